// The veth pair, the second namespace and the AF_PACKET socket that plays the wire.
#include "packet_transport.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <thread>
#include <utility>

#include "ethtool.h"
#include "sysctl.h"
#include "wait_readable.h"

namespace tcpconform::harness::linux_sut {
namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::uint32_t kMtu = 1500;  // as the TUN device: the same MSS, the same segments
// Linux handles a link event at once (not batched up to a second later) only when a device's
// index differs from its peer's, and addrconf waits for that event before it makes the IPv6
// local route; in two fresh namespaces both ends would be index 2.
constexpr int kPeerIfindex = 42;
// What waits for collect() sits in the receive ring: 4096 slots of 2 KiB (a 1514-byte frame and
// the ring's own header fit), 8 MiB. Offloads are off, so no frame is larger; an overflow is
// reported by collect(), never silent.
constexpr std::uint32_t kFrameSize = 2048;
constexpr std::uint32_t kFrames = 4096;

int set_int(int fd, int level, int name, int value) {
  return ::setsockopt(fd, level, name, &value, sizeof(value));
}

// The IP packet a frame's payload carries, without the padding a short Ethernet frame may have.
std::span<const std::uint8_t> ip_packet_of(std::span<const std::uint8_t> payload) {
  if (payload.empty()) return payload;
  std::size_t length = payload.size();
  if ((payload[0] >> 4) == 4 && payload.size() >= 20) {
    length = static_cast<std::size_t>(payload[2]) << 8 | payload[3];
  } else if ((payload[0] >> 4) == 6 && payload.size() >= 40) {
    length = 40 + (static_cast<std::size_t>(payload[4]) << 8 | payload[5]);
  }
  return payload.first(std::min(length, payload.size()));
}

Result<int> ifindex_in(const Namespace& ns, const char* name) {
  auto scope = NamespaceScope::enter(ns);
  if (!scope) return tl::unexpected(scope.error());
  const auto index = static_cast<int>(::if_nametoindex(name));
  if (index == 0)
    return tl::unexpected(os_error("if_nametoindex", std::string(name) + " vanished"));
  return index;
}

}  // namespace

Result<std::unique_ptr<PacketTransport>> PacketTransport::open(const TransportSetup& setup,
                                                               const Namespace& kernel,
                                                               Rtnl& rtnl) {
  std::unique_ptr<PacketTransport> t(new PacketTransport);
  auto wire_rtnl = t->open_wire_side();
  if (!wire_rtnl) return tl::unexpected(wire_rtnl.error());
  // One request in the kernel's namespace puts our end straight into the second one: no end of
  // the pair ever exists in the host's namespace.
  const VethEnd kernel_end{setup.name, kKernelMac};
  const VethEnd peer_end{kPeerName, kPeerMac, kPeerIfindex};
  if (auto r = rtnl.create_veth(kernel_end, peer_end, t->wire_.net.get(), kMtu); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = t->configure(setup, kernel, rtnl, *wire_rtnl); !r) return tl::unexpected(r.error());
  return t;
}

Result<Rtnl> PacketTransport::open_wire_side() {
  auto wire = create_namespace(0);
  if (!wire) return tl::unexpected(wire.error());
  wire_ = std::move(*wire);
  auto scope = NamespaceScope::enter(wire_);
  if (!scope) return tl::unexpected(scope.error());
  // Before our veth end exists, so that it inherits "default": no IPv6 at all on our side (no
  // link-local address, no DAD, no router solicitation, no MLD report, no reply).
  for (const char* key : {"net/ipv6/conf/all/disable_ipv6", "net/ipv6/conf/default/disable_ipv6"}) {
    if (auto r = write_sysctl(key, "1"); !r) return tl::unexpected(r.error());
  }
  // Protocol 0: receives nothing until bound to our end.
  socket_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket_.valid()) {
    Error e = os_error("socket(AF_PACKET)", "cannot open a packet socket");
    e.missing_privilege = (errno == EPERM || errno == EACCES);
    return tl::unexpected(e);
  }
  return Rtnl::open();
}

Result<void> PacketTransport::configure(const TransportSetup& setup, const Namespace& kernel,
                                        Rtnl& rtnl, Rtnl& wire_rtnl) {
  auto kernel_index = ifindex_in(kernel, setup.name.c_str());
  if (!kernel_index) return tl::unexpected(kernel_index.error());
  ifindex_ = *kernel_index;
  auto peer_index = ifindex_in(wire_, kPeerName);
  if (!peer_index) return tl::unexpected(peer_index.error());
  {
    // The ethtool ioctl finds the device in the namespace of the socket it is made on.
    auto scope = NamespaceScope::enter(kernel);
    if (!scope) return tl::unexpected(scope.error());
    const UniqueFd ioctl_socket(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!ioctl_socket.valid()) return tl::unexpected(os_error("ethtool", "no socket"));
    if (auto r = disable_offloads(ioctl_socket.get(), setup.name); !r) return r;
  }
  const int fd = socket_.get();
  if (auto r = disable_offloads(fd, kPeerName); !r) return r;
  // Our own frames are not the kernel's: never hand them back as "sent by the stack". Frames go
  // straight to the device (no qdisc, no taps): veth has no queue to bypass anyway.
  if (set_int(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1) != 0 ||
      set_int(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1) != 0) {
    return tl::unexpected(os_error("setsockopt(SOL_PACKET)", "packet socket options refused"));
  }
  // collect() reads frames from shared memory instead of making one recvfrom() per frame plus
  // one that says EAGAIN: that is what brings this transport close to TUN's speed.
  auto ring = PacketRing::attach(fd, kFrames, kFrameSize);
  if (!ring) return tl::unexpected(ring.error());
  ring_ = std::move(*ring);
  // No ARP on either end: the kernel's end reaches the peers through permanent neighbour
  // entries, and any other address of the prefixes at its own MAC (IFF_NOARP) instead of asking
  // for it. Our end answers nothing.
  constexpr unsigned kFlags = IFF_UP | IFF_NOARP;
  if (auto r = wire_rtnl.set_link_flags(*peer_index, kFlags, kFlags); !r) return r;
  if (auto r = rtnl.set_link_flags(ifindex_, kFlags, kFlags); !r) return r;
  // Bound once our end is up: binding to a device that is down leaves ENETDOWN pending on the
  // socket, and the first send would report it.
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = *peer_index;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    return tl::unexpected(os_error("bind(AF_PACKET)", "cannot bind to the veth end"));
  }
  int pending = 0;
  socklen_t pending_length = sizeof(pending);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &pending_length) != 0 || pending != 0) {
    return tl::unexpected(
        os_error("bind(AF_PACKET)", "the packet socket reports an error", pending));
  }
  // After IFF_UP: taking a link down flushes even permanent entries.
  for (const wire::IpAddress& peer : setup.peers) {
    if (auto r = rtnl.add_neighbour(ifindex_, peer, kPeerMac); !r) return r;
  }
  return {};
}

PacketTransport::~PacketTransport() {
  // Releasing a packet socket waits for an RCU grace period, and the ring's mapping keeps the
  // socket alive: both go on a detached thread, off the caller's path.
  if (!socket_.valid()) return;
  std::thread([ring = std::move(ring_), fd = std::move(socket_)]() mutable {
    ring = PacketRing();
    fd.reset();
  }).detach();
}

Result<void> PacketTransport::send(std::span<const std::uint8_t> ip_packet) {
  if (ip_packet.empty()) return tl::unexpected(Error{"inject", "empty packet"});
  std::array<std::uint8_t, kEthernetHeader> header{};
  std::memcpy(header.data(), kKernelMac.data(), kKernelMac.size());
  std::memcpy(header.data() + 6, kPeerMac.data(), kPeerMac.size());
  const std::uint16_t type = (ip_packet[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP;
  header[12] = static_cast<std::uint8_t>(type >> 8);
  header[13] = static_cast<std::uint8_t>(type & 0xff);
  std::array<iovec, 2> parts{{{header.data(), header.size()},
                              {const_cast<std::uint8_t*>(ip_packet.data()), ip_packet.size()}}};
  msghdr message{};
  message.msg_iov = parts.data();
  message.msg_iovlen = parts.size();
  const auto n = ::sendmsg(socket_.get(), &message, 0);
  if (n < 0) {
    if (errno == EMSGSIZE) {
      return tl::unexpected(os_error("inject", "packet larger than the veth's MTU (1500)"));
    }
    return tl::unexpected(os_error("inject", "send on the packet socket failed"));
  }
  if (static_cast<std::size_t>(n) != header.size() + ip_packet.size()) {
    return tl::unexpected(Error{"inject", "short send on the packet socket"});
  }
  return {};
}

Result<std::span<const std::uint8_t>> PacketTransport::receive() {
  for (;;) {
    auto frame = ring_.next();
    if (!frame) return tl::unexpected(frame.error());
    if (!*frame) return std::span<const std::uint8_t>{};
    const std::span<const std::uint8_t> bytes = (*frame)->bytes;
    // PACKET_IGNORE_OUTGOING already keeps our frames away; this is the belt to its braces.
    if ((*frame)->packet_type == PACKET_OUTGOING || bytes.size() < kEthernetHeader) continue;
    const auto type = static_cast<std::uint16_t>(bytes[12] << 8 | bytes[13]);
    if (type != ETH_P_IP && type != ETH_P_IPV6) continue;
    return ip_packet_of(bytes.subspan(kEthernetHeader));
  }
}

Result<bool> PacketTransport::wait(Duration limit) {
  ring_.release();  // else poll() would count the frame we hold as pending
  return wait_readable(socket_.get(), limit);
}

}  // namespace tcpconform::harness::linux_sut
