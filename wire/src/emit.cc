// emit(): a Segment into IPv4/IPv6 + TCP bytes with correct (or deliberately broken) checksums.
#include <algorithm>

#include "tcpconform/wire/checksum.h"
#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/options.h"

namespace tcpconform::wire {
namespace {

constexpr std::size_t kIpv4Header = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kTcpHeader = 20;
constexpr std::uint8_t kProtoTcp = 6;

void set16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8U);
  b[at + 1] = static_cast<std::uint8_t>(v);
}
void set32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 24U);
  b[at + 1] = static_cast<std::uint8_t>(v >> 16U);
  b[at + 2] = static_cast<std::uint8_t>(v >> 8U);
  b[at + 3] = static_cast<std::uint8_t>(v);
}

}  // namespace

// Layout: IPv4 (no IP options, TOS 0, ID 0, DF set) or IPv6 (traffic class 0, flow label 0),
// chosen by segment.src.version; then the TCP header, options padded with zeros, payload.
// Preconditions (else the packet is well-formed bytes but not what the segment says): src and dst
// have the same version; options fit 40 bytes (longer areas are cut at 40); the packet fits the
// 16-bit IP length field.
void emit_into(const Segment& segment, std::vector<std::uint8_t>& out, const EmitOptions& options) {
  const bool v4 = segment.src.version == IpVersion::kV4;
  const std::size_t ip_len = v4 ? kIpv4Header : kIpv6Header;
  const std::size_t start = out.size();
  out.resize(start + ip_len + kTcpHeader, 0);

  // Options first, straight into place, so their padded size gives the data offset.
  const std::size_t options_at = out.size();
  if (options.raw_options) {
    out.insert(out.end(), options.raw_options->begin(), options.raw_options->end());
    while ((out.size() - options_at) % 4 != 0) out.push_back(0);
  } else {
    encode_options(segment.options, out);
  }
  if (out.size() - options_at > kMaxOptionBytes) out.resize(options_at + kMaxOptionBytes);
  const std::size_t tcp_header = kTcpHeader + (out.size() - options_at);
  out.insert(out.end(), segment.payload.begin(), segment.payload.end());
  const std::size_t tcp_len = out.size() - start - ip_len;

  const std::size_t ip = start;
  if (v4) {
    out[ip] = 0x45;
    set16(out, ip + 2, static_cast<std::uint16_t>(ip_len + tcp_len));
    set16(out, ip + 6, 0x4000);  // DF, as Linux sends TCP
    out[ip + 8] = segment.ttl;
    out[ip + 9] = kProtoTcp;
    std::copy_n(segment.src.bytes.begin(), 4, out.begin() + static_cast<std::ptrdiff_t>(ip + 12));
    std::copy_n(segment.dst.bytes.begin(), 4, out.begin() + static_cast<std::ptrdiff_t>(ip + 16));
    std::uint16_t sum = internet_checksum(std::span(out).subspan(ip, kIpv4Header));
    if (options.corrupt_ip_checksum) sum ^= 1U;
    set16(out, ip + 10, sum);
  } else {
    out[ip] = 0x60;
    set16(out, ip + 4, static_cast<std::uint16_t>(tcp_len));
    out[ip + 6] = kProtoTcp;
    out[ip + 7] = segment.ttl;
    std::copy_n(segment.src.bytes.begin(), 16, out.begin() + static_cast<std::ptrdiff_t>(ip + 8));
    std::copy_n(segment.dst.bytes.begin(), 16, out.begin() + static_cast<std::ptrdiff_t>(ip + 24));
  }

  const std::size_t tcp = start + ip_len;
  set16(out, tcp, segment.sport);
  set16(out, tcp + 2, segment.dport);
  set32(out, tcp + 4, segment.seq.value);
  set32(out, tcp + 8, segment.ack.value);
  out[tcp + 12] =
      static_cast<std::uint8_t>((tcp_header / 4) << 4U | ((segment.flags.bits >> 8U) & 1U));
  out[tcp + 13] = static_cast<std::uint8_t>(segment.flags.bits);
  set16(out, tcp + 14, segment.window);
  set16(out, tcp + 18, segment.urgent);
  // A checksum of a different address family than the header would be garbage; use src's.
  IpAddress dst = segment.dst;
  dst.version = segment.src.version;
  std::uint16_t sum = tcp_checksum(segment.src, dst, std::span(out).subspan(tcp, tcp_len));
  // Corrupt by flipping the low bit, not all bits: ~0x0000 is 0xffff, which verifies as correct.
  if (options.corrupt_tcp_checksum) sum ^= 1U;
  set16(out, tcp + 16, sum);
}

bool is_well_formed(const Segment& segment) {
  if (segment.src.version != segment.dst.version) return false;
  const bool v4 = segment.src.version == IpVersion::kV4;
  if (v4) {
    const auto zero = [](std::uint8_t b) { return b == 0; };
    if (!std::all_of(segment.src.bytes.begin() + 4, segment.src.bytes.end(), zero) ||
        !std::all_of(segment.dst.bytes.begin() + 4, segment.dst.bytes.end(), zero)) {
      return false;
    }
  }
  if (!is_canonical(segment.options)) return false;
  // IPv4's total length counts the IP header; IPv6's payload length does not.
  const std::size_t counted =
      (v4 ? kIpv4Header : 0) + kTcpHeader + padded_size(segment.options) + segment.payload.size();
  return counted <= 0xffff;
}

std::vector<std::uint8_t> emit(const Segment& segment, const EmitOptions& options) {
  std::vector<std::uint8_t> out;
  out.reserve((segment.src.version == IpVersion::kV4 ? kIpv4Header : kIpv6Header) + kTcpHeader +
              kMaxOptionBytes + segment.payload.size());
  emit_into(segment, out, options);
  return out;
}

}  // namespace tcpconform::wire
