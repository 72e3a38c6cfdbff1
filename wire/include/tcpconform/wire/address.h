// IPv4 and IPv6 addresses and transport endpoints as value types.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace tcpconform::wire {

enum class IpVersion : std::uint8_t { kV4 = 4, kV6 = 6 };

// An IPv4 address occupies the first four bytes; the rest are zero.
struct IpAddress {
  IpVersion version = IpVersion::kV4;
  std::array<std::uint8_t, 16> bytes{};

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  // Parses dotted-quad IPv4 or RFC 4291 text IPv6 (inet_pton rules).
  [[nodiscard]] static tl::expected<IpAddress, std::string> parse(std::string_view text);
  [[nodiscard]] std::string to_string() const;
};

struct Endpoint {
  IpAddress address;
  std::uint16_t port = 0;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
  // "192.0.2.1:8080" or "[2001:db8::1]:8080".
  [[nodiscard]] std::string to_string() const;
};

// A connection's identity seen from one side: local endpoint, remote endpoint.
struct FourTuple {
  Endpoint local;
  Endpoint remote;

  friend bool operator==(const FourTuple&, const FourTuple&) = default;
  friend auto operator<=>(const FourTuple&, const FourTuple&) = default;
  [[nodiscard]] FourTuple reversed() const { return FourTuple{remote, local}; }
};

}  // namespace tcpconform::wire
