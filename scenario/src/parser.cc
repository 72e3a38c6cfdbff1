// The script level: token access, errors, options, times and the dispatch of each statement.
#include "parser.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace tcpconform::scenario {

std::string ParseError::to_string() const {
  std::string where =
      line == 0 ? fmt::format("{}", file) : fmt::format("{}:{}:{}", file, line, column);
  if (!expected.empty()) {
    if (message.empty()) return fmt::format("{}: expected {}, found {}", where, expected, found);
    return fmt::format("{}: expected {}, found {} ({})", where, expected, found, message);
  }
  return fmt::format("{}: {}", where, message);
}

namespace detail {

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEof: return "end of file";
    case Tok::kNewline: return "end of line";
    case Tok::kBackquoted: return "a shell command";
    case Tok::kCode: return "a code block";
    case Tok::kOption: return "an option line";
    case Tok::kDirective: return "a '//@' line";
    case Tok::kString: return fmt::format("'\"{}\"'", t.text.substr(0, 24));
    case Tok::kInt:
    case Tok::kFloat:
    case Tok::kIdent:
    case Tok::kEllipsis:
    case Tok::kPunct:
    case Tok::kError: break;
  }
  std::string shown;
  for (const char c : t.text.substr(0, 24)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      shown += fmt::format("\\x{:02x}", u);
    } else {
      shown += c;
    }
  }
  return fmt::format("'{}'", shown);
}

std::optional<std::uint64_t> to_unsigned(std::string_view text, std::uint64_t max) {
  std::uint64_t base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    std::uint64_t d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<std::uint64_t>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<std::uint64_t>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<std::uint64_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (value > (max - d) / base) return std::nullopt;
    value = value * base + d;
  }
  return value;
}

std::optional<std::int64_t> seconds_to_usecs(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  std::uint64_t secs = 0;
  if (!whole.empty()) {
    const auto w = to_unsigned(whole, 1'000'000'000);  // ~31 years: plenty, and no overflow
    if (!w) return std::nullopt;
    secs = *w;
  }
  std::uint64_t usecs = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    usecs *= 10;
    if (i < frac.size()) {
      if (frac[i] < '0' || frac[i] > '9') return std::nullopt;
      usecs += static_cast<std::uint64_t>(frac[i] - '0');
    }
  }
  return static_cast<std::int64_t>(secs * 1'000'000 + usecs);
}

const Token& Parser::peek() {
  for (;;) {
    if (!lookahead_) lookahead_ = lexer_.next();
    if (nesting_ > 0 && lookahead_->kind == Tok::kNewline) {
      lookahead_.reset();
      continue;
    }
    return *lookahead_;
  }
}

Token Parser::take() {
  peek();
  Token t = std::move(*lookahead_);
  lookahead_.reset();
  return t;
}

bool Parser::at_statement_end() {
  const Token& t = peek();
  return t.kind == Tok::kNewline || t.kind == Tok::kEof;
}

ParseError Parser::expected(const Token& at, std::string_view what,
                            std::string_view message) const {
  ParseError e;
  e.file = file_;
  e.line = at.line;
  e.column = at.column;
  if (at.kind == Tok::kError) {
    e.message = fmt::format("{} {}", at.message, describe(at));
    return e;
  }
  e.expected = std::string(what);
  e.found = describe(at);
  e.message = std::string(message);
  return e;
}

ParseError Parser::error_at(std::uint32_t line, std::uint32_t column, std::string message) const {
  ParseError e;
  e.file = file_;
  e.line = line;
  e.column = column;
  e.message = std::move(message);
  return e;
}

Status Parser::expect_punct(char c, std::string_view what) {
  if (!peek().is(c)) return tl::unexpected(expected(peek(), what));
  take();
  return {};
}

Status Parser::expect_statement_end(std::string_view what) {
  if (!at_statement_end()) return tl::unexpected(expected(peek(), what));
  return {};
}

PResult<std::uint64_t> Parser::parse_unsigned(std::string_view what, std::uint64_t max) {
  const Token& t = peek();
  if (t.kind != Tok::kInt) return tl::unexpected(expected(t, what));
  const auto v = to_unsigned(t.text, max);
  if (!v) {
    return tl::unexpected(expected(t, what, fmt::format("out of range: at most {}", max)));
  }
  take();
  return *v;
}

PResult<engine::TimeSpec> Parser::parse_time() {
  engine::TimeSpec time;
  auto number = [this](std::string_view what) -> PResult<std::int64_t> {
    const Token& t = peek();
    if (t.kind != Tok::kInt && t.kind != Tok::kFloat) return tl::unexpected(expected(t, what));
    if (t.text.size() > 2 && (t.text[1] == 'x' || t.text[1] == 'X')) {
      return tl::unexpected(expected(t, what, "a time is written in decimal seconds"));
    }
    const auto v = seconds_to_usecs(t.text);
    if (!v) return tl::unexpected(expected(t, what, "out of range"));
    take();
    return *v;
  };
  if (peek().is('*')) {
    take();
    time.kind = engine::TimeKind::kAny;
    return time;
  }
  bool relative = false;
  if (peek().is('+')) {
    take();
    relative = true;
  }
  auto start = number("a time in seconds");
  if (!start) return tl::unexpected(start.error());
  time.usecs = *start;
  time.kind = relative ? engine::TimeKind::kRelative : engine::TimeKind::kAbsolute;
  if (peek().is('~')) {
    take();
    if (peek().is('+')) {
      if (!relative) {
        return tl::unexpected(
            expected(peek(), "an absolute end time", "a range starting absolute ends absolute"));
      }
      take();
    }
    auto end = number("the end of the time range");
    if (!end) return tl::unexpected(end.error());
    time.end_usecs = *end;
    time.kind = relative ? engine::TimeKind::kRelativeRange : engine::TimeKind::kAbsoluteRange;
    if (time.end_usecs < time.usecs) {
      return tl::unexpected(error_at(peek().line, peek().column, "time range is backwards"));
    }
  }
  return time;
}

namespace {

void apply_option(engine::Program& program, const engine::ScriptOption& option) {
  const std::string value = option.value.value_or("");
  if (option.name == "ip_version") {
    if (value == "ipv6") {
      program.ip_version = wire::IpVersion::kV6;
      program.ipv4_mapped_ipv6 = false;
    } else if (value == "ipv4-mapped-ipv6") {
      program.ip_version = wire::IpVersion::kV6;
      program.ipv4_mapped_ipv6 = true;
    } else {
      program.ip_version = wire::IpVersion::kV4;
      program.ipv4_mapped_ipv6 = false;
    }
  } else if (option.name == "tolerance_usecs") {
    const auto v = to_unsigned(value, std::numeric_limits<std::int64_t>::max());
    if (v) program.tolerance_usecs = static_cast<std::int64_t>(*v);
  } else if (option.name == "local_ip") {
    program.local_ip = value;
  } else if (option.name == "remote_ip") {
    program.remote_ip = value;
  }
}

}  // namespace

PResult<engine::Program> Parser::run() {
  engine::Program program;
  program.file = file_;
  for (;;) {
    nesting_ = 0;
    const Token& t = peek();
    if (t.kind == Tok::kEof) break;
    if (t.kind == Tok::kNewline) {
      take();
      continue;
    }
    if (t.kind == Tok::kError) return tl::unexpected(expected(t, ""));

    engine::Step step;
    step.where = engine::SourceLocation{file_, t.line, t.column};
    step.time.kind = engine::TimeKind::kNone;

    if (t.kind == Tok::kOption) {
      // One or more `--name[=value]` on the line, as packetdrill allows.
      const Token opt = take();
      std::string_view rest = opt.text;
      std::uint32_t column = opt.column + 2;
      for (;;) {
        std::size_t next = std::string_view::npos;
        for (std::size_t k = 1; k + 2 < rest.size(); ++k) {
          if ((rest[k] == ' ' || rest[k] == '\t') && rest[k + 1] == '-' && rest[k + 2] == '-') {
            next = k;
            break;
          }
        }
        std::string_view part = rest.substr(0, next);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
        engine::ScriptOption option;
        const std::size_t eq = part.find('=');
        option.name = std::string(part.substr(0, eq));
        if (eq != std::string_view::npos) option.value = std::string(part.substr(eq + 1));
        const bool good_name =
            !option.name.empty() && option.name.find_first_not_of(
                                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_") == std::string::npos;
        if (!good_name) {
          return tl::unexpected(
              error_at(opt.line, column, "malformed option: expected --name or --name=value"));
        }
        apply_option(program, option);
        program.options.push_back(std::move(option));
        if (next == std::string_view::npos) break;
        std::size_t skip = next;
        while (skip < rest.size() && (rest[skip] == ' ' || rest[skip] == '\t')) ++skip;
        column += static_cast<std::uint32_t>(skip + 2);
        rest = rest.substr(skip + 2);
      }
      continue;
    }
    if (t.kind == Tok::kDirective) {
      const Token d = take();
      auto action = parse_directive(d);
      if (!action) return tl::unexpected(action.error());
      step.action = std::move(*action);
      program.steps.push_back(std::move(step));
      continue;
    }

    const bool timed = t.kind != Tok::kBackquoted && t.kind != Tok::kCode;
    if (timed) {
      if (t.kind != Tok::kInt && t.kind != Tok::kFloat && !t.is('+') && !t.is('*')) {
        return tl::unexpected(expected(t, "a time, a shell command, an option or a '//@' line"));
      }
      auto time = parse_time();
      if (!time) return tl::unexpected(time.error());
      step.time = *time;
    }

    const Token& a = peek();
    if (a.is('<') || a.is('>')) {
      if (step.time.blocking_end_usecs) {
        return tl::unexpected(expected(a, "a system call", "only calls can block"));
      }
      auto packet = parse_packet();
      if (!packet) return tl::unexpected(packet.error());
      step.action = std::move(*packet);
    } else if (a.kind == Tok::kBackquoted) {
      const Token cmd = take();
      step.action = interpret_shell(cmd.text);
    } else if (a.kind == Tok::kCode) {
      const Token code = take();
      auto block = parse_code(code);
      if (!block) return tl::unexpected(block.error());
      step.action = std::move(*block);
    } else if (a.kind == Tok::kEllipsis || a.kind == Tok::kIdent) {
      if (step.time.kind != engine::TimeKind::kAbsolute &&
          step.time.kind != engine::TimeKind::kRelative) {
        return tl::unexpected(
            expected(a, "a packet ('<' or '>')", "only outbound packets take '*' or a time range"));
      }
      if (a.kind == Tok::kEllipsis) {
        take();
        const Token& n = peek();
        if (n.kind != Tok::kInt && n.kind != Tok::kFloat) {
          return tl::unexpected(expected(n, "the end time of a blocking call"));
        }
        const auto end = seconds_to_usecs(n.text);
        if (!end) return tl::unexpected(expected(n, "the end time of a blocking call"));
        take();
        step.time.blocking_end_usecs = *end;
        if (peek().kind != Tok::kIdent) return tl::unexpected(expected(peek(), "a system call"));
      }
      auto call = parse_syscall();
      if (!call) return tl::unexpected(call.error());
      step.action = std::move(*call);
    } else {
      return tl::unexpected(
          expected(a, "a packet ('<' or '>'), a system call, a shell command or a code block"));
    }
    if (!at_statement_end()) {
      return tl::unexpected(expected(peek(), "end of line"));
    }
    if (const auto* shell = std::get_if<engine::ShellCommand>(&step.action)) {
      for (const auto& [key, value] : shell->settings) program.settings[key] = value;
    }
    program.steps.push_back(std::move(step));
  }
  return program;
}

}  // namespace detail

Result<engine::Program> parse(std::string_view text, std::string_view file) {
  detail::Parser parser(text, file);
  return parser.run();
}

Result<engine::Program> parse_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParseError e;
    e.file = path.string();
    e.message = "cannot read the file";
    return tl::unexpected(std::move(e));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path.string());
}

}  // namespace tcpconform::scenario
