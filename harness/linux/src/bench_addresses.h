// The addresses of the kernel's namespace: its sockets on 192.0.2.1 / 2001:db8::1, the injected
// peer on 192.0.2.2 / 2001:db8::2 (TEST-NET-1 and the IPv6 documentation prefix).
#pragma once

#include <cstdint>

#include "tcpconform/wire/address.h"

namespace tcpconform::harness::linux_sut {

// 2001:db8::`last`.
[[nodiscard]] inline wire::IpAddress test_net_v6(std::uint8_t last) {
  wire::IpAddress a;
  a.version = wire::IpVersion::kV6;
  a.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
  return a;
}

inline const wire::IpAddress kKernelV4 = wire::IpAddress::v4(192, 0, 2, 1);
inline const wire::IpAddress kPeerV4 = wire::IpAddress::v4(192, 0, 2, 2);
inline const wire::IpAddress kKernelV6 = test_net_v6(1);
inline const wire::IpAddress kPeerV6 = test_net_v6(2);

}  // namespace tcpconform::harness::linux_sut
