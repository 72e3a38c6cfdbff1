// Which packet path carries the injected peer's segments to the Linux kernel and back.
#pragma once

#include <optional>
#include <string_view>

namespace tcpconform::harness {

enum class TransportKind {
  // A TUN device in the kernel's namespace: bare IP packets, the fastest path (the default).
  kTun,
  // A veth pair: one end in the kernel's namespace, the other in a second namespace where an
  // AF_PACKET socket injects and captures Ethernet frames. A real network device's path, and the
  // route to a stack on another interface, VM or board.
  kPacket,
};

// "tun" or "packet".
[[nodiscard]] constexpr std::string_view transport_name(TransportKind kind) {
  return kind == TransportKind::kTun ? "tun" : "packet";
}

// The kind named by transport_name(), or nothing.
[[nodiscard]] constexpr std::optional<TransportKind> parse_transport(std::string_view name) {
  if (name == "tun") return TransportKind::kTun;
  if (name == "packet") return TransportKind::kPacket;
  return std::nullopt;
}

}  // namespace tcpconform::harness
