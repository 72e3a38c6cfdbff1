// The Internet checksum (RFC 1071) and the TCP pseudo-header sums for IPv4 and IPv6.
#pragma once

#include <cstdint>
#include <span>

#include "tcpconform/wire/address.h"

namespace tcpconform::wire {

// Adds `data` to a running 32-bit one's-complement accumulator, as big-endian 16-bit words; an
// odd trailing byte is padded with a zero byte (RFC 1071 §4.1). `data` must start at an even
// offset of the checksummed range for the result to be meaningful when chaining calls.
[[nodiscard]] std::uint32_t checksum_add(std::uint32_t sum, std::span<const std::uint8_t> data);

// Folds the carries of an accumulator into 16 bits (end-around carry), without complementing.
[[nodiscard]] std::uint16_t checksum_fold(std::uint32_t sum);

// The Internet checksum of `data`: the complement of the folded one's-complement sum. For a
// buffer that already holds a correct checksum field this returns 0.
[[nodiscard]] std::uint16_t internet_checksum(std::span<const std::uint8_t> data);

// The one's-complement sum of the TCP pseudo-header (RFC 9293 §3.1 for IPv4, RFC 8200 §8.1 for
// IPv6), unfolded. `src` and `dst` must have the same version; `tcp_length` is the TCP header
// plus payload length in bytes.
[[nodiscard]] std::uint32_t pseudo_header_sum(const IpAddress& src, const IpAddress& dst,
                                              std::uint32_t tcp_length);

// The TCP checksum over pseudo-header and `tcp` (header and payload). The checksum field inside
// `tcp` must be zero to compute the value to transmit; with the transmitted field in place, a
// correct segment yields 0. A computed 0x0000 is transmitted as is (TCP, unlike UDP, has no
// "no checksum" value); 0xffff, its one's-complement twin, is accepted as equal by verifiers.
[[nodiscard]] std::uint16_t tcp_checksum(const IpAddress& src, const IpAddress& dst,
                                         std::span<const std::uint8_t> tcp);

}  // namespace tcpconform::wire
