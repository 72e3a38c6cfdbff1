// Text notation of segments in packetdrill/tcpdump style: printing and parsing.
//
// Grammar (tokens separated by spaces; parse accepts the trailing parts in any order, once each;
// print writes them in this order):
//   segment  := flags ' ' seq ':' end '(' len ')' [' ack ' N] [' win ' N] [' urg ' N]
//               [' <' option (',' option)* '>'] [' payload ' HEX]
//   flags    := '-' | letters of F S R P . U E W A (FIN SYN RST PSH ACK URG ECE CWR AE),
//               printed in that order; '-' means no flag
//   option   := 'nop' | 'eol' | 'mss ' N | 'wscale ' N | 'sackOK' | 'TS val ' N ' ecr ' N
//             | 'sack ' L ':' R (' ' L ':' R)* | 'unknown-kind ' K ' [' HEX ']'
// Numbers are decimal and absolute, printed as given (mapping to relative numbers is the
// scenario module's job). `end` is seq + len modulo 2^32 and len is the payload length; SYN and
// FIN are not counted, as in packetdrill; len is at most 65535. print writes `ack` when the ACK
// flag is set or the field is non-zero, `urg` when URG is set or the pointer is non-zero, `win`
// always, the option list when non-empty. Without `payload`, parse yields `len` zero bytes; print
// writes `payload` only when asked to (NotationOptions), so print then parse is the identity on the
// TCP fields (ports excepted) and on the payload's length, and on the payload too with
// payload_bytes.
//
// With addresses: "192.0.2.1:80 > 192.0.2.2:4000: S. 0:0(0) win 65535" or
// "[2001:db8::1]:80 > [2001:db8::2]:4000: ..." (IPv6 in brackets); ttl is not part of it.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "tcpconform/wire/segment.h"

namespace tcpconform::wire {

struct NotationError {
  std::size_t column = 1;  // 1-based column in the parsed text where the problem starts
  std::string message;

  friend bool operator==(const NotationError&, const NotationError&) = default;
  [[nodiscard]] std::string to_string() const;  // "column 5: expected ':' after seq"
};

struct NotationOptions {
  bool payload_bytes = false;  // append " payload HEX" when the payload is non-empty
};

// "S." for SYN+ACK, "-" for no flag.
[[nodiscard]] std::string flags_to_notation(Flags flags);
// "<mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>"; "" for an empty list.
[[nodiscard]] std::string options_to_notation(std::span<const Option> options);

// The TCP part: "S. 0:0(0) ack 1 win 65535 <mss 1460,...>".
[[nodiscard]] std::string to_notation(const Segment& segment, NotationOptions options = {});
// Addresses and ports first: "192.0.2.1:80 > 192.0.2.2:4000: S. 0:0(0) ...".
[[nodiscard]] std::string to_notation_with_addresses(const Segment& segment,
                                                     NotationOptions options = {});

// Parses the TCP part; addresses, ports and ttl of the result keep Segment's defaults. The whole
// text must be consumed (surrounding spaces allowed).
[[nodiscard]] tl::expected<Segment, NotationError> parse_notation(std::string_view text);
// Parses the form with addresses and ports.
[[nodiscard]] tl::expected<Segment, NotationError> parse_notation_with_addresses(
    std::string_view text);

// Streams to_notation_with_addresses(segment, {.payload_bytes = true}) and the ttl, so GoogleTest
// and RapidCheck print readable segments in failures.
std::ostream& operator<<(std::ostream& os, const Segment& segment);

}  // namespace tcpconform::wire
