// Packet lines: direction, flags, seq:end(len), ack, win, urg and the option list.
#include <fmt/format.h>

#include <cstdint>
#include <limits>

#include "parser.h"

namespace tcpconform::scenario::detail {
namespace {

std::optional<wire::Flag> flag_of(char c) {
  switch (c) {
    case 'S': return wire::Flag::kSyn;
    case 'F': return wire::Flag::kFin;
    case 'R': return wire::Flag::kRst;
    case 'P': return wire::Flag::kPsh;
    case 'U': return wire::Flag::kUrg;
    case 'E': return wire::Flag::kEce;
    case 'W': return wire::Flag::kCwr;
    case '.': return wire::Flag::kAck;
    default: return std::nullopt;
  }
}

constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kU16 = std::numeric_limits<std::uint16_t>::max();

}  // namespace

// Flags are written without spaces: "S", "S.", "FP.", ".", "-". The lexer splits "S." into a
// word and a '.', so adjacent tokens are joined here.
PResult<wire::Flags> Parser::parse_flags() {
  const Token& first = peek();
  if (first.is('-')) {
    take();
    return wire::Flags{};
  }
  if (first.kind != Tok::kIdent && !first.is('.')) {
    return tl::unexpected(expected(first, "packet flags"));
  }
  wire::Flags flags;
  bool any = false;
  while (true) {
    const Token& t = peek();
    if (any && t.space_before) break;
    if (t.kind == Tok::kIdent || t.is('.')) {
      for (std::size_t i = 0; i < t.text.size(); ++i) {
        const auto f = flag_of(t.text[i]);
        if (!f) {
          ParseError e = expected(t, "packet flags");
          e.column = t.column + static_cast<std::uint32_t>(i);
          e.found = fmt::format("'{}'", t.text[i]);
          return tl::unexpected(std::move(e));
        }
        if (flags.has(*f)) {
          ParseError e = expected(t, "packet flags", "flag written twice");
          e.column = t.column + static_cast<std::uint32_t>(i);
          e.found = fmt::format("'{}'", t.text[i]);
          return tl::unexpected(std::move(e));
        }
        flags = flags.with(*f);
      }
      take();
      any = true;
      continue;
    }
    break;
  }
  return flags;
}

PResult<engine::PacketSpec> Parser::parse_packet() {
  engine::PacketSpec p;
  const Token dir = take();
  p.direction = dir.is('<') ? engine::Direction::kInbound : engine::Direction::kOutbound;

  auto flags = parse_flags();
  if (!flags) return tl::unexpected(flags.error());
  p.flags = *flags;

  // seq:end(len)
  const Token seq_tok = peek();
  auto seq = parse_unsigned("the starting sequence number (seq:end(len))", kU32);
  if (!seq) return tl::unexpected(seq.error());
  if (auto s = expect_punct(':', "':' after the sequence number (seq:end(len))"); !s) {
    return tl::unexpected(s.error());
  }
  auto end = parse_unsigned("the ending sequence number (seq:end(len))", kU32);
  if (!end) return tl::unexpected(end.error());
  if (auto s = expect_punct('(', "'(' and the payload length (seq:end(len))"); !s) {
    return tl::unexpected(s.error());
  }
  auto len = parse_unsigned("the payload length (seq:end(len))", kU16);
  if (!len) return tl::unexpected(len.error());
  if (auto s = expect_punct(')', "')' after the payload length"); !s) {
    return tl::unexpected(s.error());
  }
  if (((*seq + *len) & kU32) != *end) {
    return tl::unexpected(
        error_at(seq_tok, fmt::format("inconsistent sequence numbers and payload length: {}:{}({}) "
                                      "should end at {}",
                                      *seq, *end, *len, (*seq + *len) & kU32)));
  }
  p.seq = static_cast<std::uint32_t>(*seq);
  p.payload_len = static_cast<std::uint32_t>(*len);

  // ack, win, urg in packetdrill's order, each optional.
  if (peek().is_word("ack")) {
    take();
    auto ack = parse_unsigned("the acknowledgment number after 'ack'", kU32);
    if (!ack) return tl::unexpected(ack.error());
    p.ack = static_cast<std::uint32_t>(*ack);
  }
  if (peek().is_word("win")) {
    take();
    auto win = parse_unsigned("the window after 'win'", kU16);
    if (!win) return tl::unexpected(win.error());
    p.window = static_cast<std::uint16_t>(*win);
  }
  if (peek().is_word("urg")) {
    take();
    auto urg = parse_unsigned("the urgent pointer after 'urg'", kU16);
    if (!urg) return tl::unexpected(urg.error());
    p.urgent = static_cast<std::uint16_t>(*urg);
  }
  if (peek().is('<')) {
    if (auto s = parse_tcp_options(p); !s) return tl::unexpected(s.error());
  }
  if (!at_statement_end()) {
    const Token& t = peek();
    std::string_view what = "'ack', 'win', 'urg', '<' options or end of line";
    if (t.kind == Tok::kIdent && (t.text == "ack" || t.text == "win" || t.text == "urg")) {
      what = "end of line (packetdrill's order is ack, win, urg, options)";
    }
    return tl::unexpected(expected(t, what));
  }
  return p;
}

}  // namespace tcpconform::scenario::detail
