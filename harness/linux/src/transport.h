// The packet path between the injected peer and the kernel under test, whatever carries it
// (a TUN device, or an AF_PACKET socket on a veth pair): one IP packet in, the IP packets the
// kernel sent out. LinuxSut sees nothing else of it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "netns.h"
#include "rtnetlink.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/harness/transport.h"
#include "tcpconform/wire/address.h"
#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

class Transport {
 public:
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  Transport(Transport&&) = delete;
  Transport& operator=(Transport&&) = delete;
  // Closes. Where closing blocks in the kernel (an RCU grace period for TUN and packet sockets),
  // the descriptors are closed on a detached thread, off the caller's path.
  virtual ~Transport() = default;

  // The interface in the kernel's namespace that carries the SUT's addresses and routes.
  [[nodiscard]] virtual int ifindex() const = 0;
  // Hands one IP packet to the kernel, which has processed it (and queued its replies for
  // receive()) when this returns.
  [[nodiscard]] virtual Result<void> send(std::span<const std::uint8_t> ip_packet) = 0;
  // The next IP packet the kernel sent, without link-layer framing; empty when none is pending.
  // Never blocks. The view is valid until the next call.
  [[nodiscard]] virtual Result<std::span<const std::uint8_t>> receive() = 0;
  // Waits until a packet is pending or `limit` has passed (for what a timer sends); true when
  // one is pending.
  [[nodiscard]] virtual Result<bool> wait(Duration limit) = 0;
};

// What a transport needs to know of the kernel's side.
struct TransportSetup {
  TransportKind kind = TransportKind::kTun;
  // The interface in the kernel's namespace (TUN device or veth end).
  std::string name;
  // The peer addresses the kernel reaches through the interface without neighbour discovery.
  std::vector<wire::IpAddress> peers;
};

// Creates the transport's device in `kernel` (whose sysctls must already be set: the device
// inherits net/ipv{4,6}/conf/default). `rtnl` is bound to `kernel`. On return the interface
// exists and, for the packet transport, is up with static neighbours for `setup.peers`; its
// addresses and routes are the caller's.
[[nodiscard]] Result<std::unique_ptr<Transport>> open_transport(const TransportSetup& setup,
                                                                const Namespace& kernel,
                                                                Rtnl& rtnl);

// Closes `fd` on a detached thread: closing a TUN device or a packet socket waits for an RCU
// grace period (~30 ms).
void close_in_background(UniqueFd fd);

}  // namespace tcpconform::harness::linux_sut
