// Choosing the transport, and closing descriptors off the caller's path.
#include "transport.h"

#include <thread>

#include "packet_transport.h"
#include "tun.h"

namespace tcpconform::harness::linux_sut {

Result<std::unique_ptr<Transport>> open_transport(const TransportSetup& setup,
                                                  const Namespace& kernel, Rtnl& rtnl) {
  if (setup.kind == TransportKind::kPacket) {
    auto t = PacketTransport::open(setup, kernel, rtnl);
    if (!t) return tl::unexpected(t.error());
    return std::unique_ptr<Transport>(std::move(*t));
  }
  // The TUN device is created in the namespace of the thread that asks for it.
  auto scope = NamespaceScope::enter(kernel);
  if (!scope) return tl::unexpected(scope.error());
  auto t = Tun::open(setup.name);
  if (!t) return tl::unexpected(t.error());
  return std::unique_ptr<Transport>(std::move(*t));
}

void close_in_background(UniqueFd fd) {
  if (!fd.valid()) return;
  std::thread([raw = fd.release()] { ::close(raw); }).detach();
}

}  // namespace tcpconform::harness::linux_sut
