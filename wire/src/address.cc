// IpAddress and Endpoint: construction, text parsing (inet_pton) and printing (inet_ntop).
#include "tcpconform/wire/address.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <array>
#include <string>

namespace tcpconform::wire {

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress address;
  address.version = IpVersion::kV4;
  address.bytes[0] = a;
  address.bytes[1] = b;
  address.bytes[2] = c;
  address.bytes[3] = d;
  return address;
}

tl::expected<IpAddress, std::string> IpAddress::parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; addresses are short, so bound the copy.
  constexpr std::size_t kMaxText = INET6_ADDRSTRLEN + 8;
  if (text.empty() || text.size() > kMaxText) {
    return tl::make_unexpected(fmt::format("not an IP address: '{}'", text));
  }
  std::array<char, kMaxText + 1> buffer{};
  text.copy(buffer.data(), text.size());
  IpAddress address;
  if (text.find(':') == std::string_view::npos) {
    address.version = IpVersion::kV4;
    if (inet_pton(AF_INET, buffer.data(), address.bytes.data()) == 1) return address;
  } else {
    address.version = IpVersion::kV6;
    if (inet_pton(AF_INET6, buffer.data(), address.bytes.data()) == 1) return address;
  }
  return tl::make_unexpected(fmt::format("not an IP address: '{}'", text));
}

std::string IpAddress::to_string() const {
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  const int family = version == IpVersion::kV4 ? AF_INET : AF_INET6;
  if (inet_ntop(family, bytes.data(), buffer.data(), buffer.size()) == nullptr) return "?";
  return {buffer.data()};
}

std::string Endpoint::to_string() const {
  if (address.version == IpVersion::kV6) return fmt::format("[{}]:{}", address.to_string(), port);
  return fmt::format("{}:{}", address.to_string(), port);
}

}  // namespace tcpconform::wire
