// The Internet checksum (RFC 1071) with the TCP pseudo-headers of IPv4 and IPv6.
#include "tcpconform/wire/checksum.h"

#include <cstddef>

namespace tcpconform::wire {

std::uint32_t checksum_add(std::uint32_t sum, std::span<const std::uint8_t> data) {
  // Adds big-endian 32-bit words into 64 bits: 2^16 = 1 modulo 0xffff, so a 32-bit word adds the
  // same as its two 16-bit halves, and no carry is lost before the final fold (RFC 1071 §2(B)).
  std::uint64_t acc = sum;
  const std::size_t n = data.size();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    acc += static_cast<std::uint32_t>(data[i]) << 24U |
           static_cast<std::uint32_t>(data[i + 1]) << 16U |
           static_cast<std::uint32_t>(data[i + 2]) << 8U | static_cast<std::uint32_t>(data[i + 3]);
  }
  if (i + 2 <= n) {
    acc += static_cast<std::uint32_t>(data[i] << 8U | data[i + 1]);
    i += 2;
  }
  if (i < n) acc += static_cast<std::uint32_t>(data[i] << 8U);  // odd byte, zero-padded
  while ((acc >> 32U) != 0) acc = (acc & 0xffffffffU) + (acc >> 32U);
  return static_cast<std::uint32_t>(acc);
}

std::uint16_t checksum_fold(std::uint32_t sum) {
  while ((sum >> 16U) != 0) sum = (sum & 0xffffU) + (sum >> 16U);
  return static_cast<std::uint16_t>(sum);
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> data) {
  return static_cast<std::uint16_t>(~checksum_fold(checksum_add(0, data)));
}

std::uint32_t pseudo_header_sum(const IpAddress& src, const IpAddress& dst,
                                std::uint32_t tcp_length) {
  constexpr std::uint32_t kTcpProtocol = 6;
  const std::size_t address_size = src.version == IpVersion::kV4 ? 4 : 16;
  std::uint32_t sum = checksum_add(0, std::span(src.bytes).first(address_size));
  sum = checksum_add(sum, std::span(dst.bytes).first(address_size));
  // IPv4: zero, protocol, 16-bit TCP length. IPv6: 32-bit length, 24 zero bits, next header.
  // Both reduce to adding the length's two halves and the protocol number.
  std::uint64_t acc = sum;
  acc += kTcpProtocol + (tcp_length >> 16U) + (tcp_length & 0xffffU);
  while ((acc >> 32U) != 0) acc = (acc & 0xffffffffU) + (acc >> 32U);
  return static_cast<std::uint32_t>(acc);
}

std::uint16_t tcp_checksum(const IpAddress& src, const IpAddress& dst,
                           std::span<const std::uint8_t> tcp) {
  const std::uint32_t sum =
      checksum_add(pseudo_header_sum(src, dst, static_cast<std::uint32_t>(tcp.size())), tcp);
  return static_cast<std::uint16_t>(~checksum_fold(sum));
}

}  // namespace tcpconform::wire
