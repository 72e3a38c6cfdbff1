// tcpconform's `//@` lines (a comment to packetdrill): state, quiet and advance.
#include <arpa/inet.h>
#include <fmt/format.h>

#include <limits>
#include <string>
#include <vector>

#include "parser.h"

namespace tcpconform::scenario::detail {
namespace {

struct Word {
  std::string_view text;
  std::uint32_t column = 0;
};

std::vector<Word> split(std::string_view text, std::uint32_t column) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\r') ++i;
    if (i > start)
      out.push_back({text.substr(start, i - start), column + static_cast<std::uint32_t>(start)});
  }
  return out;
}

// "192.0.2.1:8080" or "[2001:db8::1]:8080".
std::optional<wire::Endpoint> endpoint(std::string_view w) {
  std::string_view host;
  std::string_view port;
  wire::Endpoint ep;
  if (!w.empty() && w.front() == '[') {
    const std::size_t close = w.find(']');
    if (close == std::string_view::npos || close + 1 >= w.size() || w[close + 1] != ':') {
      return std::nullopt;
    }
    host = w.substr(1, close - 1);
    port = w.substr(close + 2);
    ep.address.version = wire::IpVersion::kV6;
  } else {
    const std::size_t colon = w.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = w.substr(0, colon);
    port = w.substr(colon + 1);
    ep.address.version = wire::IpVersion::kV4;
  }
  if (host.empty() || host.size() > 45) return std::nullopt;
  const auto p = to_unsigned(port, 0xffff);
  if (!p || port.substr(0, 2) == "0x") return std::nullopt;
  ep.port = static_cast<std::uint16_t>(*p);
  const std::string h(host);
  const int af = ep.address.version == wire::IpVersion::kV4 ? AF_INET : AF_INET6;
  if (inet_pton(af, h.c_str(), ep.address.bytes.data()) != 1) return std::nullopt;
  return ep;
}

// "60s", "0.5s", "200ms", "150us", "2" (seconds); at most 10^15 µs, digits past 1 µs dropped.
std::optional<std::int64_t> duration(std::string_view w) {
  std::uint64_t unit = 1'000'000;  // µs per unit
  std::size_t frac_digits = 6;
  if (w.size() > 2 && w.substr(w.size() - 2) == "ms") {
    unit = 1'000;
    frac_digits = 3;
    w.remove_suffix(2);
  } else if (w.size() > 2 && w.substr(w.size() - 2) == "us") {
    unit = 1;
    frac_digits = 0;
    w.remove_suffix(2);
  } else if (w.size() > 1 && w.back() == 's') {
    w.remove_suffix(1);
  }
  const std::size_t dot = w.find('.');
  const std::string_view whole = w.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view{} : w.substr(dot + 1);
  if (whole.empty() && frac.empty()) return std::nullopt;
  for (const char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t value = 0;
  if (!whole.empty()) {
    if (whole.substr(0, 2) == "0x") return std::nullopt;
    const auto v = to_unsigned(whole, 1'000'000'000'000'000ULL / unit);
    if (!v) return std::nullopt;
    value = *v * unit;
  }
  std::uint64_t part = 0;
  std::uint64_t scale = unit;
  for (std::size_t i = 0; i < frac_digits && i < frac.size(); ++i) {
    scale /= 10;
    part += static_cast<std::uint64_t>(frac[i] - '0') * scale;
  }
  return static_cast<std::int64_t>(value + part);
}

}  // namespace

PResult<engine::Action> Parser::parse_directive(const Token& directive) {
  const std::vector<Word> w = split(directive.text, directive.column + 3);
  const std::uint32_t line = directive.line;
  const auto end_column = directive.column + 3 + static_cast<std::uint32_t>(directive.text.size());
  auto found = [&](std::size_t i) {
    return i < w.size() ? fmt::format("'{}'", w[i].text.substr(0, 40)) : std::string("end of line");
  };
  auto fail = [&](std::size_t i, std::string_view what, std::string_view message = {}) {
    ParseError e = error_at(line, i < w.size() ? w[i].column : end_column, "");
    e.expected = std::string(what);
    e.found = found(i);
    e.message = std::string(message);
    return tl::unexpected(std::move(e));
  };
  if (w.empty()) return fail(0, "an extension: state, quiet or advance");
  const std::string_view verb = w[0].text;
  if (verb == "quiet") {
    if (w.size() > 1) return fail(1, "end of line");
    return engine::QuietExpectation{};
  }
  if (verb == "advance") {
    if (w.size() < 2) return fail(1, "a duration such as 60s, 200ms or 150us");
    const auto d = duration(w[1].text);
    if (!d) return fail(1, "a duration such as 60s, 200ms or 150us");
    if (w.size() > 2) return fail(2, "end of line");
    return engine::AdvanceTime{*d};
  }
  if (verb != "state") return fail(0, "an extension: state, quiet or advance");

  engine::StateExpectation s;
  std::size_t i = 1;
  if (i < w.size() && w[i].text == "fd") {
    ++i;
    const auto fd =
        i < w.size() ? to_unsigned(w[i].text, std::numeric_limits<int>::max()) : std::nullopt;
    if (!fd || w[i].text.substr(0, 2) == "0x") return fail(i, "a descriptor number after 'fd'");
    s.fd = static_cast<int>(*fd);
    ++i;
  } else {
    const auto local = i < w.size() ? endpoint(w[i].text) : std::nullopt;
    if (!local) {
      return fail(i, "'fd N' or a connection 'local:port > remote:port'",
                  "IPv6 endpoints are written [addr]:port");
    }
    ++i;
    if (i >= w.size() || w[i].text != ">") return fail(i, "'>' between the two endpoints");
    ++i;
    wire::FourTuple tuple;
    tuple.local = *local;
    if (i < w.size() && w[i].text == "*") {
      s.listener = true;
      tuple.remote.address.version = local->address.version;
    } else {
      const auto remote = i < w.size() ? endpoint(w[i].text) : std::nullopt;
      if (!remote) return fail(i, "the remote endpoint (addr:port, or * for a listener)");
      if (remote->address.version != local->address.version) {
        return fail(i, "a remote endpoint of the local endpoint's address family");
      }
      tuple.remote = *remote;
    }
    s.tuple = tuple;
    ++i;
  }
  const auto state = i < w.size() ? state_from_name(w[i].text) : std::nullopt;
  if (!state) return fail(i, "a state name (ESTABLISHED, FIN-WAIT-2, TIME-WAIT, CLOSED, …)");
  s.state = *state;
  ++i;
  while (i < w.size()) {
    const std::string_view k = w[i].text;
    if (k == "recvq" || k == "sendq") {
      std::optional<std::uint32_t>& q = k == "recvq" ? s.recv_q : s.send_q;
      if (q) return fail(i, "each of recvq, sendq once");
      const auto v = i + 1 < w.size() ? to_unsigned(w[i + 1].text, 0xffffffff) : std::nullopt;
      if (!v || w[i + 1].text.substr(0, 2) == "0x") return fail(i + 1, "a byte count");
      q = static_cast<std::uint32_t>(*v);
      i += 2;
    } else if (k == "orphan" || k == "owned") {
      if (s.orphan) return fail(i, "one of orphan, owned");
      s.orphan = k == "orphan";
      ++i;
    } else {
      return fail(i, "recvq N, sendq N, orphan, owned or end of line");
    }
  }
  return s;
}

}  // namespace tcpconform::scenario::detail
