// Parsing IPv4/IPv6+TCP packets into Segments and emitting Segments as packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "tcpconform/wire/segment.h"

namespace tcpconform::wire {

enum class ParseErrorKind : std::uint8_t {
  kTruncated,          // fewer bytes than a header or a length field claims
  kBadVersion,         // IP version is neither 4 nor 6
  kBadIpHeaderLength,  // IPv4 IHL < 5 or beyond the packet
  kBadTotalLength,     // IP total/payload length disagrees with the buffer
  kNotTcp,             // protocol / next header is not TCP
  kIpv6ExtensionHeader,
  kFragment,  // IPv4 fragment (MF or offset set)
  kBadIpChecksum,
  kBadDataOffset,    // TCP data offset < 5 or beyond the segment
  kBadOptionLength,  // an option's length byte is < 2, too short for its kind, or overruns
  kBadTcpChecksum,
};

struct ParseError {
  ParseErrorKind kind = ParseErrorKind::kTruncated;
  std::size_t offset = 0;  // byte offset in the packet of the offending field
  std::string field;       // the field's name, e.g. "tcp.data_offset", "tcp.option[2].length"
  std::string message;     // one line for a person

  friend bool operator==(const ParseError&, const ParseError&) = default;
  [[nodiscard]] std::string to_string() const;
};

struct ParseOptions {
  bool verify_checksums = true;
};

// Parses one IP packet (IPv4 or IPv6, no link layer) carrying TCP. Never reads outside `packet`.
// Strict about lengths: the buffer must be exactly the IP total/payload length. Checks run in
// header order, IP checksum after the IP header's fields and TCP checksum before the options, so
// a damaged packet reports its checksum rather than a guess. Not kept in the Segment (and not
// needed for emit): IPv4 TOS, ID, DF and IP options; IPv6 traffic class and flow label; the three
// reserved TCP bits; EOL padding (see options.h).
[[nodiscard]] tl::expected<Segment, ParseError> parse(std::span<const std::uint8_t> packet,
                                                      ParseOptions options = {});

// How to deliberately break an emitted packet, for negative tests.
struct EmitOptions {
  bool corrupt_tcp_checksum = false;  // flip the TCP checksum after computing it
  bool corrupt_ip_checksum = false;   // IPv4 only
  // When set, these bytes replace the encoded option list verbatim (padded to 4 with zeros),
  // so malformed option lists can be sent.
  std::optional<std::vector<std::uint8_t>> raw_options;
};

// Emits an IP packet with correct IP and TCP checksums (unless EmitOptions says otherwise).
// IPv4 headers carry no IP options, TOS 0, ID 0 and DF; IPv6 headers traffic class and flow
// label 0; the IP version is segment.src's. The option area is the options in order, padded
// with zero bytes to a multiple of 4 (see options.h for the canonical form).
[[nodiscard]] std::vector<std::uint8_t> emit(const Segment& segment,
                                             const EmitOptions& options = {});
// Appends to `out` instead of allocating (the harness hot path).
void emit_into(const Segment& segment, std::vector<std::uint8_t>& out,
               const EmitOptions& options = {});

// True when parse(emit(segment)) == segment: src and dst of the same version (IPv4 addresses with
// zero bytes after the fourth), a canonical option list (options.h), and a packet that fits the
// 16-bit IP length. What parse returns is always well-formed.
[[nodiscard]] bool is_well_formed(const Segment& segment);

}  // namespace tcpconform::wire
