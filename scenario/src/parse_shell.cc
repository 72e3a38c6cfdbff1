// Shell commands: packetdrill's init helpers become settings; nothing is ever run.
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "parser.h"

namespace tcpconform::scenario::detail {
namespace {

// What packetdrill's gtests/net/common/defaults.sh sets (its sysctl lines; its `ip tcp_metrics
// flush` and `tc qdisc` lines concern the host and have no setting).
constexpr std::array<std::pair<std::string_view, std::string_view>, 23> kDefaultsSh{{
    {"net/ipv4/tcp_rmem", "4096 540000 15728640"},
    {"net/ipv4/tcp_wmem", "4096 262144 4194304"},
    {"net/ipv4/tcp_timestamps", "1"},
    {"net/ipv4/tcp_syn_retries", "5"},
    {"net/ipv4/tcp_synack_retries", "5"},
    {"net/ipv4/tcp_frto", "2"},
    {"net/ipv4/tcp_sack", "1"},
    {"net/ipv4/tcp_dsack", "1"},
    {"net/ipv4/tcp_fack", "0"},
    {"net/ipv4/tcp_reordering", "3"},
    {"net/ipv4/tcp_congestion_control", "cubic"},
    {"net/ipv4/tcp_slow_start_after_idle", "0"},
    {"net/ipv4/tcp_early_retrans", "4"},
    {"net/ipv4/tcp_recovery", "1"},
    {"net/ipv4/tcp_tso_win_divisor", "3"},
    {"net/ipv4/tcp_ecn", "0"},
    {"net/ipv4/tcp_ecn_option", "2"},
    {"net/ipv4/tcp_pacing_ss_ratio", "200"},
    {"net/ipv4/tcp_pacing_ca_ratio", "120"},
    {"net/ipv4/tcp_notsent_lowat", "4294967295"},
    {"net/ipv4/tcp_fastopen", "0x70403"},
    {"net/ipv4/tcp_fastopen_key", "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4"},
    {"net/ipv4/tcp_syncookies", "1"},
}};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits at newlines, ';' and '&&' outside quotes.
std::vector<std::string_view> split_commands(std::string_view text) {
  std::vector<std::string_view> parts;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\n' || c == ';' || (c == '&' && i + 1 < text.size() && text[i + 1] == '&')) {
      parts.push_back(trim(text.substr(start, i - start)));
      if (c == '&') ++i;
      start = i + 1;
    }
  }
  parts.push_back(trim(text.substr(start)));
  std::vector<std::string_view> nonempty;
  for (const auto p : parts) {
    if (!p.empty()) nonempty.push_back(p);
  }
  return nonempty;
}

// Shell words with quotes removed; nullopt when the command needs a real shell ($, `, >, |, …).
std::optional<std::vector<std::string>> words(std::string_view command) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (const char c : command) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        if (quote == '"' && (c == '$' || c == '`' || c == '\\')) return std::nullopt;
        word += c;
      }
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == '$' || c == '`' || c == '>' || c == '<' || c == '|' || c == '\\' || c == '(' ||
        c == ')' || c == '*' || c == '?' || c == '&') {
      return std::nullopt;
    }
    word += c;
    in_word = true;
  }
  if (quote != 0) return std::nullopt;
  if (in_word) out.push_back(std::move(word));
  return out;
}

// "net.ipv4.tcp_fin_timeout" or "/proc/sys/net/ipv4/tcp_fin_timeout" → "net/ipv4/tcp_fin_timeout".
std::optional<std::string> sysctl_key(std::string_view key) {
  if (key.substr(0, 10) == "/proc/sys/") key.remove_prefix(10);
  if (key.empty() || key.front() == '/' || key.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  for (const char c : key) {
    if (c == '.') {
      out += '/';
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '/') {
      out += c;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// `sysctl [-q|-w|-e] k=v …` or `set_sysctls.py /proc/sys/k=v …`: every argument must be k=v.
bool assignments(const std::vector<std::string>& w, std::size_t first, bool allow_flags,
                 engine::Settings& out) {
  engine::Settings found;
  std::size_t count = 0;
  for (std::size_t i = first; i < w.size(); ++i) {
    if (allow_flags && (w[i] == "-q" || w[i] == "-w" || w[i] == "-e")) continue;
    const std::size_t eq = w[i].find('=');
    if (eq == std::string::npos || eq == 0) return false;
    const auto key = sysctl_key(std::string_view(w[i]).substr(0, eq));
    if (!key) return false;
    found[*key] = w[i].substr(eq + 1);
    ++count;
  }
  if (count == 0) return false;
  for (auto& [k, v] : found) out[k] = v;
  return true;
}

}  // namespace

engine::ShellCommand interpret_shell(std::string_view text) {
  engine::ShellCommand cmd;
  cmd.text = std::string(text);
  for (const std::string_view part : split_commands(text)) {
    const auto w = words(part);
    bool ok = false;
    if (w && !w->empty()) {
      const std::string& program = (*w)[0];
      if (ends_with(program, "/defaults.sh") || program == "defaults.sh") {
        for (const auto& [k, v] : kDefaultsSh) cmd.settings[std::string(k)] = std::string(v);
        ok = w->size() == 1;
      } else if (program == "sysctl" || ends_with(program, "/sysctl")) {
        ok = assignments(*w, 1, true, cmd.settings);
      } else if (program == "set_sysctls.py" || ends_with(program, "/set_sysctls.py")) {
        ok = assignments(*w, 1, false, cmd.settings);
      }
    }
    if (ok) {
      cmd.recognised.emplace_back(part);
    } else {
      cmd.unsupported.emplace_back(part);
    }
  }
  return cmd;
}

}  // namespace tcpconform::scenario::detail
