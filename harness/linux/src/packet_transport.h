// The packet transport: a veth pair whose one end sits in the kernel's namespace and whose other
// end sits in a second namespace of ours, where an AF_PACKET socket injects and captures
// Ethernet frames. The path a real network device gives, and the way to a stack elsewhere.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "netns.h"
#include "packet_ring.h"
#include "rtnetlink.h"
#include "transport.h"
#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

class PacketTransport final : public Transport {
 public:
  // The kernel's end of the pair, and ours (in the second namespace).
  static constexpr MacAddress kKernelMac = {0x02, 0x00, 0xc0, 0x00, 0x02, 0x01};
  static constexpr MacAddress kPeerMac = {0x02, 0x00, 0xc0, 0x00, 0x02, 0x02};
  static constexpr const char* kPeerName = "tcpcpeer";

  // See open_transport(). The second namespace has IPv6 disabled and no address and no socket
  // but ours, so its own kernel never answers (nor resets) the test traffic it sees.
  [[nodiscard]] static Result<std::unique_ptr<PacketTransport>> open(const TransportSetup& setup,
                                                                     const Namespace& kernel,
                                                                     Rtnl& rtnl);
  ~PacketTransport() override;

  [[nodiscard]] int ifindex() const override { return ifindex_; }
  // Frames the packet (our MAC to the kernel end's) and sends it on our end: veth hands it to
  // the kernel's end inside the send() call, and the kernel's replies reach our ring before the
  // call returns.
  [[nodiscard]] Result<void> send(std::span<const std::uint8_t> ip_packet) override;
  // The next IPv4 or IPv6 packet the kernel sent, link-layer header and padding removed;
  // frames of other types are skipped. Read from the receive ring: no system call at all.
  [[nodiscard]] Result<std::span<const std::uint8_t>> receive() override;
  [[nodiscard]] Result<bool> wait(Duration limit) override;

 private:
  PacketTransport() = default;
  // The second namespace, our packet socket in it (unbound) and a NETLINK_ROUTE socket there.
  [[nodiscard]] Result<Rtnl> open_wire_side();
  // Offloads off on both ends, both ends up, the socket bound to ours, static neighbours.
  [[nodiscard]] Result<void> configure(const TransportSetup& setup, const Namespace& kernel,
                                       Rtnl& rtnl, Rtnl& wire_rtnl);

  Namespace wire_;  // the second namespace; it dies with its last descriptor (ours, the socket)
  UniqueFd socket_;
  PacketRing ring_;
  int ifindex_ = 0;
};

}  // namespace tcpconform::harness::linux_sut
