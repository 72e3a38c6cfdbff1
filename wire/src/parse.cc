// parse(): IPv4/IPv6 + TCP bytes into a Segment, bounds-checked, with errors naming the field.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "tcpconform/wire/checksum.h"
#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/options.h"

namespace tcpconform::wire {
namespace {

constexpr std::size_t kIpv4MinHeader = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kTcpMinHeader = 20;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoIpv6Fragment = 44;

// Contract: every accessor below is called only after the caller checked `at + width <= size`.
std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8U | b[at + 1]);
}
std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) << 24U | static_cast<std::uint32_t>(b[at + 1]) << 16U |
         static_cast<std::uint32_t>(b[at + 2]) << 8U | static_cast<std::uint32_t>(b[at + 3]);
}

tl::unexpected<ParseError> fail(ParseErrorKind kind, std::size_t offset, std::string field,
                                std::string message) {
  return tl::make_unexpected(ParseError{
      .kind = kind, .offset = offset, .field = std::move(field), .message = std::move(message)});
}

// IPv6 extension headers (RFC 8200 §4 and the IANA "IPv6 Extension Header Types" registry),
// except the Fragment header, which is reported as kFragment.
bool is_ipv6_extension(std::uint8_t next) {
  switch (next) {
    case 0:    // Hop-by-Hop Options
    case 43:   // Routing
    case 50:   // Encapsulating Security Payload
    case 51:   // Authentication Header
    case 60:   // Destination Options
    case 135:  // Mobility
    case 139:  // Host Identity Protocol
    case 140:  // Shim6
    case 253:  // experimentation
    case 254: return true;
    default: return false;
  }
}

IpAddress address_at(IpVersion version, std::span<const std::uint8_t> b, std::size_t at) {
  IpAddress a;
  a.version = version;
  const std::size_t n = version == IpVersion::kV4 ? 4 : 16;
  std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(at), n, a.bytes.begin());
  return a;
}

// Parses the TCP part; `base` is its offset in the packet, for error offsets.
tl::expected<Segment, ParseError> parse_tcp(Segment&& seg, std::span<const std::uint8_t> tcp,
                                            std::size_t base, const ParseOptions& options) {
  if (tcp.size() < kTcpMinHeader) {
    return fail(ParseErrorKind::kTruncated, base, "tcp.header",
                fmt::format("TCP header needs {} bytes, {} present", kTcpMinHeader, tcp.size()));
  }
  const std::size_t data_offset = static_cast<std::size_t>(tcp[12] >> 4U) * 4;
  if (data_offset < kTcpMinHeader) {
    return fail(ParseErrorKind::kBadDataOffset, base + 12, "tcp.data_offset",
                fmt::format("data offset {} bytes is below the minimum 20", data_offset));
  }
  if (data_offset > tcp.size()) {
    return fail(
        ParseErrorKind::kBadDataOffset, base + 12, "tcp.data_offset",
        fmt::format("data offset {} bytes is beyond the {}-byte segment", data_offset, tcp.size()));
  }
  if (options.verify_checksums && tcp_checksum(seg.src, seg.dst, tcp) != 0) {
    return fail(ParseErrorKind::kBadTcpChecksum, base + 16, "tcp.checksum",
                fmt::format("TCP checksum 0x{:04x} is wrong", get16(tcp, 16)));
  }
  seg.sport = get16(tcp, 0);
  seg.dport = get16(tcp, 2);
  seg.seq = SeqNum{get32(tcp, 4)};
  seg.ack = SeqNum{get32(tcp, 8)};
  seg.flags = Flags{static_cast<std::uint16_t>((tcp[12] & 1U) << 8U | tcp[13])};
  seg.window = get16(tcp, 14);
  seg.urgent = get16(tcp, 18);
  auto decoded =
      decode_options(tcp.subspan(kTcpMinHeader, data_offset - kTcpMinHeader), base + kTcpMinHeader);
  if (!decoded) return tl::make_unexpected(std::move(decoded.error()));
  seg.options = std::move(*decoded);
  seg.payload.assign(tcp.begin() + static_cast<std::ptrdiff_t>(data_offset), tcp.end());
  return std::move(seg);
}

tl::expected<Segment, ParseError> parse_v4(std::span<const std::uint8_t> p,
                                           const ParseOptions& options) {
  if (p.size() < kIpv4MinHeader) {
    return fail(ParseErrorKind::kTruncated, 0, "ipv4.header",
                fmt::format("IPv4 header needs 20 bytes, {} present", p.size()));
  }
  const std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0fU) * 4;
  if (ihl < kIpv4MinHeader || ihl > p.size()) {
    return fail(ParseErrorKind::kBadIpHeaderLength, 0, "ipv4.ihl",
                fmt::format("header length {} bytes (packet {} bytes)", ihl, p.size()));
  }
  const std::size_t total = get16(p, 2);
  if (total > p.size()) {
    return fail(ParseErrorKind::kTruncated, 2, "ipv4.total_length",
                fmt::format("total length {} but only {} bytes present", total, p.size()));
  }
  if (total < ihl || total < p.size()) {
    return fail(ParseErrorKind::kBadTotalLength, 2, "ipv4.total_length",
                fmt::format("total length {} disagrees with header length {} and packet size {}",
                            total, ihl, p.size()));
  }
  const std::uint16_t frag = get16(p, 6);
  if ((frag & 0x2000U) != 0 || (frag & 0x1fffU) != 0) {
    return fail(ParseErrorKind::kFragment, 6, "ipv4.fragment",
                fmt::format("fragment (MF {}, offset {})", (frag >> 13U) & 1U, frag & 0x1fffU));
  }
  if (p[9] != kProtoTcp) {
    return fail(ParseErrorKind::kNotTcp, 9, "ipv4.protocol",
                fmt::format("protocol {} is not TCP", p[9]));
  }
  if (options.verify_checksums && internet_checksum(p.first(ihl)) != 0) {
    return fail(ParseErrorKind::kBadIpChecksum, 10, "ipv4.checksum",
                fmt::format("IPv4 header checksum 0x{:04x} is wrong", get16(p, 10)));
  }
  Segment seg;
  seg.ttl = p[8];
  seg.src = address_at(IpVersion::kV4, p, 12);
  seg.dst = address_at(IpVersion::kV4, p, 16);
  return parse_tcp(std::move(seg), p.subspan(ihl, total - ihl), ihl, options);
}

tl::expected<Segment, ParseError> parse_v6(std::span<const std::uint8_t> p,
                                           const ParseOptions& options) {
  if (p.size() < kIpv6Header) {
    return fail(ParseErrorKind::kTruncated, 0, "ipv6.header",
                fmt::format("IPv6 header needs 40 bytes, {} present", p.size()));
  }
  const std::size_t payload = get16(p, 4);
  if (kIpv6Header + payload > p.size()) {
    return fail(ParseErrorKind::kTruncated, 4, "ipv6.payload_length",
                fmt::format("payload length {} but only {} bytes follow the header", payload,
                            p.size() - kIpv6Header));
  }
  if (kIpv6Header + payload < p.size()) {
    return fail(ParseErrorKind::kBadTotalLength, 4, "ipv6.payload_length",
                fmt::format("payload length {} but {} bytes follow the header", payload,
                            p.size() - kIpv6Header));
  }
  const std::uint8_t next = p[6];
  if (next == kProtoIpv6Fragment) {
    return fail(ParseErrorKind::kFragment, 6, "ipv6.next_header", "IPv6 fragment header");
  }
  if (is_ipv6_extension(next)) {
    return fail(ParseErrorKind::kIpv6ExtensionHeader, 6, "ipv6.next_header",
                fmt::format("extension header {} before TCP is not supported", next));
  }
  if (next != kProtoTcp) {
    return fail(ParseErrorKind::kNotTcp, 6, "ipv6.next_header",
                fmt::format("next header {} is not TCP", next));
  }
  Segment seg;
  seg.ttl = p[7];
  seg.src = address_at(IpVersion::kV6, p, 8);
  seg.dst = address_at(IpVersion::kV6, p, 24);
  return parse_tcp(std::move(seg), p.subspan(kIpv6Header), kIpv6Header, options);
}

std::string_view kind_name(ParseErrorKind kind) {
  switch (kind) {
    case ParseErrorKind::kTruncated: return "truncated";
    case ParseErrorKind::kBadVersion: return "bad IP version";
    case ParseErrorKind::kBadIpHeaderLength: return "bad IP header length";
    case ParseErrorKind::kBadTotalLength: return "bad IP length";
    case ParseErrorKind::kNotTcp: return "not TCP";
    case ParseErrorKind::kIpv6ExtensionHeader: return "IPv6 extension header";
    case ParseErrorKind::kFragment: return "fragment";
    case ParseErrorKind::kBadIpChecksum: return "bad IP checksum";
    case ParseErrorKind::kBadDataOffset: return "bad TCP data offset";
    case ParseErrorKind::kBadOptionLength: return "bad TCP option length";
    case ParseErrorKind::kBadTcpChecksum: return "bad TCP checksum";
  }
  return "unknown error";
}

}  // namespace

std::string ParseError::to_string() const {
  return fmt::format("{} at byte {} ({}): {}", kind_name(kind), offset, field, message);
}

tl::expected<Segment, ParseError> parse(std::span<const std::uint8_t> packet,
                                        ParseOptions options) {
  if (packet.empty()) {
    return fail(ParseErrorKind::kTruncated, 0, "ip.version", "empty packet");
  }
  switch (packet[0] >> 4U) {
    case 4: return parse_v4(packet, options);
    case 6: return parse_v6(packet, options);
    default:
      return fail(ParseErrorKind::kBadVersion, 0, "ip.version",
                  fmt::format("IP version {} is neither 4 nor 6", packet[0] >> 4U));
  }
}

}  // namespace tcpconform::wire
