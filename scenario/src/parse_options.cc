// TCP option lists: <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7,sack 1:2 3:4,eol> and <...>.
#include <fmt/format.h>

#include <limits>

#include "parser.h"

namespace tcpconform::scenario::detail {

Status Parser::parse_tcp_options(engine::PacketSpec& packet) {
  take();  // '<' (the list stays on one line: a missing '>' is reported where it is)
  if (peek().kind == Tok::kEllipsis) {
    const Token dots = take();
    if (packet.direction == engine::Direction::kInbound) {
      return tl::unexpected(error_at(dots, "<...> (any options) is only for outbound packets"));
    }
    packet.any_options = true;
    if (!peek().is('>')) return tl::unexpected(expected(peek(), "'>' after '<...'"));
    take();
    return {};
  }
  constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();
  std::size_t count = 0;
  for (;;) {
    const Token t = peek();
    if (t.kind != Tok::kIdent) return tl::unexpected(expected(t, "a TCP option"));
    if (++count > 40) return tl::unexpected(error_at(t, "TCP option list too long"));
    take();
    if (t.text == "nop") {
      packet.options.emplace_back(wire::option::Nop{});
    } else if (t.text == "eol") {
      packet.options.emplace_back(wire::option::Eol{});
    } else if (t.text == "sackOK") {
      packet.options.emplace_back(wire::option::SackPermitted{});
    } else if (t.text == "mss") {
      auto v = parse_unsigned("the MSS value after 'mss'", 0xffff);
      if (!v) return tl::unexpected(v.error());
      packet.options.emplace_back(wire::option::Mss{static_cast<std::uint16_t>(*v)});
    } else if (t.text == "wscale") {
      auto v = parse_unsigned("the shift count after 'wscale'", 0xff);
      if (!v) return tl::unexpected(v.error());
      packet.options.emplace_back(wire::option::WindowScale{static_cast<std::uint8_t>(*v)});
    } else if (t.text == "TS") {
      if (!peek().is_word("val")) return tl::unexpected(expected(peek(), "'val' after 'TS'"));
      take();
      auto val = parse_unsigned("the TS value after 'TS val'", kU32);
      if (!val) return tl::unexpected(val.error());
      if (!peek().is_word("ecr")) return tl::unexpected(expected(peek(), "'ecr' after 'TS val N'"));
      take();
      auto ecr = parse_unsigned("the TS echo reply after 'ecr'", kU32);
      if (!ecr) return tl::unexpected(ecr.error());
      packet.options.emplace_back(wire::option::Timestamp{static_cast<std::uint32_t>(*val),
                                                          static_cast<std::uint32_t>(*ecr)});
    } else if (t.text == "sack") {
      wire::option::Sack sack;
      do {
        if (sack.blocks.size() == 4) {
          return tl::unexpected(error_at(peek(), "a SACK option holds at most 4 blocks"));
        }
        auto left = parse_unsigned("a SACK block (left:right)", kU32);
        if (!left) return tl::unexpected(left.error());
        if (auto s = expect_punct(':', "':' in a SACK block (left:right)"); !s) {
          return tl::unexpected(s.error());
        }
        auto right = parse_unsigned("the right edge of a SACK block", kU32);
        if (!right) return tl::unexpected(right.error());
        sack.blocks.push_back(
            wire::option::SackBlock{wire::SeqNum{static_cast<std::uint32_t>(*left)},
                                    wire::SeqNum{static_cast<std::uint32_t>(*right)}});
      } while (peek().kind == Tok::kInt);
      packet.options.emplace_back(std::move(sack));
    } else {
      ParseError e = expected(t, "a TCP option",
                              "known: nop, eol, mss N, wscale N, sackOK, sack L:R, TS val N ecr N");
      return tl::unexpected(std::move(e));
    }
    if (peek().is(',')) {
      take();
      continue;
    }
    if (peek().is('>')) {
      take();
      return {};
    }
    return tl::unexpected(expected(peek(), "',' or '>' in the TCP option list"));
  }
}

}  // namespace tcpconform::scenario::detail
