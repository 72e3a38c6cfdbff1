// Links, addresses and routes of the SUT's namespace, set through rtnetlink (libmnl).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tcpconform/harness/sut.h"
#include "tcpconform/wire/address.h"

struct mnl_socket;

namespace tcpconform::harness::linux_sut {

// The TCP-relevant metrics the harness puts on its routes.
using MacAddress = std::array<std::uint8_t, 6>;

// One end of a veth pair: its name, MAC address and, when not 0, interface index.
struct VethEnd {
  std::string name;
  MacAddress mac{};
  int ifindex = 0;
};

struct RouteMetrics {
  bool quickack = true;  // RTAX_QUICKACK: no delayed ACKs, every step synchronous
  std::optional<std::uint32_t> rto_min_ms;  // RTAX_RTO_MIN, locked (unlocked it is ignored)
};

class Rtnl {
 public:
  // A NETLINK_ROUTE socket bound to the calling thread's network namespace.
  [[nodiscard]] static Result<Rtnl> open();
  Rtnl(Rtnl&&) noexcept;
  Rtnl& operator=(Rtnl&&) noexcept;
  ~Rtnl();

  // Sets the link up; a non-zero `txqueuelen` also sets the transmit queue length (for TUN, the
  // number of packets the kernel can queue before the harness reads them).
  [[nodiscard]] Result<void> link_up(int ifindex, std::uint32_t txqueuelen = 0);
  // Sets `flags` within the bits of `change` (IFF_UP, IFF_NOARP, ...).
  [[nodiscard]] Result<void> set_link_flags(int ifindex, unsigned flags, unsigned change);
  // Creates a veth pair: `self` in this socket's namespace, `peer` in the namespace of
  // `peer_netns` (a namespace descriptor), so that the pair never exists anywhere else. Both
  // ends down, MTU `mtu`.
  [[nodiscard]] Result<void> create_veth(const VethEnd& self, const VethEnd& peer, int peer_netns,
                                         std::uint32_t mtu);
  // Adds (or replaces) a permanent neighbour entry: `address` is at `mac` on `ifindex`, so the
  // kernel never asks for it (no ARP request, no neighbour solicitation).
  [[nodiscard]] Result<void> add_neighbour(int ifindex, const wire::IpAddress& address,
                                           const MacAddress& mac);
  // Adds address/prefix with IFA_F_NODAD and IFA_F_NOPREFIXROUTE (routes are ours to make).
  [[nodiscard]] Result<void> add_address(int ifindex, const wire::IpAddress& address,
                                         std::uint8_t prefix);
  // Creates or replaces the main-table route to dst/prefix through `ifindex`.
  [[nodiscard]] Result<void> replace_subnet_route(int ifindex, const wire::IpAddress& dst,
                                                  std::uint8_t prefix, const RouteMetrics& m);
  // Replaces the kernel's local-table route of a local address (the route traffic between two
  // kernel sockets on that address takes) so it carries `m` as well.
  [[nodiscard]] Result<void> replace_local_route(int ifindex, const wire::IpAddress& address,
                                                 const RouteMetrics& m);
  // Deletes the local-table route addrconf made for an IPv6 address: it has metric 0, which no
  // route made from user space can have (0 means "default", 1024), so it cannot be replaced and
  // would shadow ours. addrconf inserts that route from a work queue after the address is added,
  // so this waits (up to 10 s on a loaded machine) for it to appear.
  [[nodiscard]] Result<void> delete_local_route_v6(const wire::IpAddress& address);

 private:
  Rtnl() = default;
  [[nodiscard]] Result<void> transact(void* message, const char* step);
  struct Closer {
    void operator()(mnl_socket* s) const;
  };
  std::unique_ptr<mnl_socket, Closer> socket_;
  std::uint32_t seq_ = 1;
  std::uint32_t portid_ = 0;
};

}  // namespace tcpconform::harness::linux_sut
