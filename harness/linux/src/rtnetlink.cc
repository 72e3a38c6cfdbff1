// rtnetlink requests (link up, addresses, routes with TCP metrics) built with libmnl.
#include "rtnetlink.h"

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <thread>

#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {
namespace {

constexpr std::size_t kNetlinkBuffer = 8192;

// A request being built in a buffer of its own: the netlink header (`type`, `flags`; transact()
// adds NLM_F_REQUEST | NLM_F_ACK and the sequence number), then the family header `Body`,
// zeroed, which `->` reaches. Attributes follow through nlh().
template <typename Body>
class Request {
 public:
  Request(std::uint16_t type, std::uint16_t flags) : nlh_(mnl_nlmsg_put_header(buffer_.data())) {
    nlh_->nlmsg_type = type;
    nlh_->nlmsg_flags = flags;
    body_ = static_cast<Body*>(mnl_nlmsg_put_extra_header(nlh_, sizeof(Body)));
  }
  Request(const Request&) = delete;  // nlh_ and body_ point into buffer_
  Request& operator=(const Request&) = delete;

  [[nodiscard]] nlmsghdr* nlh() { return nlh_; }
  Body* operator->() { return body_; }

 private:
  std::array<char, kNetlinkBuffer> buffer_{};
  nlmsghdr* nlh_;
  Body* body_ = nullptr;
};

unsigned char family_of(const wire::IpAddress& a) {
  return a.version == wire::IpVersion::kV4 ? AF_INET : AF_INET6;
}
std::uint16_t length_of(const wire::IpAddress& a) {
  return a.version == wire::IpVersion::kV4 ? 4 : 16;
}

void put_metrics(nlmsghdr* nlh, const RouteMetrics& m) {
  nlattr* nest = mnl_attr_nest_start(nlh, RTA_METRICS);
  if (m.quickack) mnl_attr_put_u32(nlh, RTAX_QUICKACK, 1);
  if (m.rto_min_ms) {
    mnl_attr_put_u32(nlh, RTAX_RTO_MIN, *m.rto_min_ms);
    mnl_attr_put_u32(nlh, RTAX_LOCK, 1U << RTAX_RTO_MIN);
  }
  mnl_attr_nest_end(nlh, nest);
}

// Where a route lives and what it is (rtmsg's table, protocol, scope and type).
struct RouteKind {
  unsigned char table;
  unsigned char protocol;
  unsigned char scope;
  unsigned char type;
};

// The route to dst/prefix out of `ifindex`.
void put_route(Request<rtmsg>& rtm, int ifindex, const wire::IpAddress& dst, std::uint8_t prefix,
               const RouteKind& kind) {
  rtm->rtm_family = family_of(dst);
  rtm->rtm_dst_len = prefix;
  rtm->rtm_table = kind.table;
  rtm->rtm_protocol = kind.protocol;
  rtm->rtm_scope = kind.scope;
  rtm->rtm_type = kind.type;
  mnl_attr_put(rtm.nlh(), RTA_DST, length_of(dst), dst.bytes.data());
  mnl_attr_put_u32(rtm.nlh(), RTA_OIF, static_cast<std::uint32_t>(ifindex));
}

}  // namespace

void Rtnl::Closer::operator()(mnl_socket* s) const {
  mnl_socket_close(s);
}

Rtnl::Rtnl(Rtnl&&) noexcept = default;
Rtnl& Rtnl::operator=(Rtnl&&) noexcept = default;
Rtnl::~Rtnl() = default;

Result<Rtnl> Rtnl::open() {
  Rtnl r;
  r.socket_.reset(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC));
  if (!r.socket_) return tl::unexpected(os_error("rtnetlink", "cannot open NETLINK_ROUTE"));
  if (mnl_socket_bind(r.socket_.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
    return tl::unexpected(os_error("rtnetlink", "cannot bind NETLINK_ROUTE"));
  }
  r.portid_ = mnl_socket_get_portid(r.socket_.get());
  return r;
}

Result<void> Rtnl::transact(void* message, const char* step) {
  auto* nlh = static_cast<nlmsghdr*>(message);
  nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = seq_++;
  if (mnl_socket_sendto(socket_.get(), nlh, nlh->nlmsg_len) < 0) {
    return tl::unexpected(os_error(step, "rtnetlink send failed"));
  }
  std::array<char, kNetlinkBuffer> buffer{};
  for (;;) {
    const auto n = mnl_socket_recvfrom(socket_.get(), buffer.data(), buffer.size());
    if (n < 0) return tl::unexpected(os_error(step, "rtnetlink receive failed"));
    const int rc = mnl_cb_run(buffer.data(), static_cast<std::size_t>(n), nlh->nlmsg_seq, portid_,
                              nullptr, nullptr);
    if (rc == MNL_CB_ERROR) return tl::unexpected(os_error(step, "the kernel refused"));
    if (rc == MNL_CB_STOP) return {};
  }
}

Result<void> Rtnl::link_up(int ifindex, std::uint32_t txqueuelen) {
  Request<ifinfomsg> ifi(RTM_NEWLINK, 0);
  nlmsghdr* nlh = ifi.nlh();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  if (txqueuelen != 0) mnl_attr_put_u32(nlh, IFLA_TXQLEN, txqueuelen);
  return transact(nlh, "link up");
}

Result<void> Rtnl::set_link_flags(int ifindex, unsigned flags, unsigned change) {
  Request<ifinfomsg> ifi(RTM_NEWLINK, 0);
  nlmsghdr* nlh = ifi.nlh();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  ifi->ifi_flags = flags;
  ifi->ifi_change = change;
  return transact(nlh, "link flags");
}

Result<void> Rtnl::create_veth(const VethEnd& self, const VethEnd& peer, int peer_netns,
                               std::uint32_t mtu) {
  Request<ifinfomsg> ifi(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  nlmsghdr* nlh = ifi.nlh();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = self.ifindex;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, self.name.c_str());
  mnl_attr_put(nlh, IFLA_ADDRESS, self.mac.size(), self.mac.data());
  mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  // VETH_INFO_PEER carries a whole link request of its own: an ifinfomsg, then attributes.
  nlattr* info_peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
  auto* peer_ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  peer_ifi->ifi_family = AF_UNSPEC;
  peer_ifi->ifi_index = peer.ifindex;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, peer.name.c_str());
  mnl_attr_put(nlh, IFLA_ADDRESS, peer.mac.size(), peer.mac.data());
  mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
  mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<std::uint32_t>(peer_netns));
  mnl_attr_nest_end(nlh, info_peer);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, linkinfo);
  return transact(nlh, "create veth");
}

Result<void> Rtnl::add_neighbour(int ifindex, const wire::IpAddress& address,
                                 const MacAddress& mac) {
  Request<ndmsg> ndm(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
  nlmsghdr* nlh = ndm.nlh();
  ndm->ndm_family = family_of(address);
  ndm->ndm_ifindex = ifindex;
  ndm->ndm_state = NUD_PERMANENT;
  ndm->ndm_type = RTN_UNICAST;
  mnl_attr_put(nlh, NDA_DST, length_of(address), address.bytes.data());
  mnl_attr_put(nlh, NDA_LLADDR, mac.size(), mac.data());
  return transact(nlh, "add neighbour");
}

Result<void> Rtnl::add_address(int ifindex, const wire::IpAddress& address, std::uint8_t prefix) {
  Request<ifaddrmsg> ifa(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE);
  nlmsghdr* nlh = ifa.nlh();
  ifa->ifa_family = family_of(address);
  ifa->ifa_prefixlen = prefix;
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = static_cast<unsigned>(ifindex);
  mnl_attr_put(nlh, IFA_LOCAL, length_of(address), address.bytes.data());
  mnl_attr_put(nlh, IFA_ADDRESS, length_of(address), address.bytes.data());
  mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD | IFA_F_NOPREFIXROUTE);
  return transact(nlh, "add address");
}

Result<void> Rtnl::replace_subnet_route(int ifindex, const wire::IpAddress& dst,
                                        std::uint8_t prefix, const RouteMetrics& m) {
  Request<rtmsg> rtm(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
  put_route(rtm, ifindex, dst, prefix,
            RouteKind{RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_LINK, RTN_UNICAST});
  put_metrics(rtm.nlh(), m);
  return transact(rtm.nlh(), "route");
}

Result<void> Rtnl::replace_local_route(int ifindex, const wire::IpAddress& address,
                                       const RouteMetrics& m) {
  Request<rtmsg> rtm(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
  put_route(rtm, ifindex, address, static_cast<std::uint8_t>(length_of(address) * 8),
            RouteKind{RT_TABLE_LOCAL, RTPROT_KERNEL, RT_SCOPE_HOST, RTN_LOCAL});
  if (address.version == wire::IpVersion::kV4) {
    mnl_attr_put(rtm.nlh(), RTA_PREFSRC, 4, address.bytes.data());
  }
  put_metrics(rtm.nlh(), m);
  return transact(rtm.nlh(), "local route");
}

Result<void> Rtnl::delete_local_route_v6(const wire::IpAddress& address) {
  Request<rtmsg> rtm(RTM_DELROUTE, 0);
  nlmsghdr* nlh = rtm.nlh();
  rtm->rtm_family = AF_INET6;
  rtm->rtm_dst_len = 128;
  rtm->rtm_table = RT_TABLE_LOCAL;
  rtm->rtm_type = RTN_LOCAL;
  mnl_attr_put(nlh, RTA_DST, 16, address.bytes.data());
  const std::uint32_t length = nlh->nlmsg_len;
  // Usually there after one or two polls; a loaded machine can delay addrconf's work queue.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto r = transact(nlh, "delete local route");
    if (r || r.error().os_error != ESRCH) return r;
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    nlh->nlmsg_len = length;
  }
  return tl::unexpected(
      Error{"delete local route", "addrconf did not make the IPv6 local route within 10 s"});
}

}  // namespace tcpconform::harness::linux_sut
