// Safety: the host's links, addresses, routes and TCP sockets are the same before and after a
// kernel workload through either transport, no test segment shows on any host interface, and
// nothing of a SUT (device, namespace, descriptor) outlives it. Reads the host, never writes.
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

std::string hex(const void* data, std::size_t n) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  const auto* p = static_cast<const std::uint8_t*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 0x0fU];
  }
  return out;
}

// Everything a leak could change, as sorted text lines.
struct HostSnapshot {
  std::set<std::string> links;
  std::set<std::string> addresses;
  std::set<std::string> routes;
  std::set<std::string> tcp_listeners;
};

struct DumpContext {
  std::uint16_t type;
  std::set<std::string>* out;
};

int attr_cb(const nlattr* attr, void* data) {
  auto* table = static_cast<std::array<const nlattr*, 64>*>(data);
  const auto type = mnl_attr_get_type(attr);
  if (type < table->size()) (*table)[type] = attr;
  return MNL_CB_OK;
}

std::string attr_hex(const nlattr* a) {
  return a == nullptr ? "-" : hex(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
}

int dump_cb(const nlmsghdr* nlh, void* data) {
  auto* ctx = static_cast<DumpContext*>(data);
  std::array<const nlattr*, 64> tb{};
  std::ostringstream line;
  if (nlh->nlmsg_type == RTM_NEWLINK) {
    const auto* ifi = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
    mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, &tb);
    line << ifi->ifi_index << " " << (tb[IFLA_IFNAME] ? mnl_attr_get_str(tb[IFLA_IFNAME]) : "?")
         << " up=" << ((ifi->ifi_flags & IFF_UP) != 0);
  } else if (nlh->nlmsg_type == RTM_NEWADDR) {
    const auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(nlh));
    mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, &tb);
    line << int{ifa->ifa_family} << " " << ifa->ifa_index << " " << attr_hex(tb[IFA_ADDRESS]) << "/"
         << int{ifa->ifa_prefixlen};
  } else if (nlh->nlmsg_type == RTM_NEWROUTE) {
    const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
    if ((rtm->rtm_flags & RTM_F_CLONED) != 0) return MNL_CB_OK;  // caches come and go
    mnl_attr_parse(nlh, sizeof(*rtm), attr_cb, &tb);
    line << int{rtm->rtm_family} << " t" << (tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : 0)
         << " " << attr_hex(tb[RTA_DST]) << "/" << int{rtm->rtm_dst_len} << " type"
         << int{rtm->rtm_type} << " oif" << attr_hex(tb[RTA_OIF]) << " gw"
         << attr_hex(tb[RTA_GATEWAY]);
  } else {
    return MNL_CB_OK;
  }
  ctx->out->insert(line.str());
  return MNL_CB_OK;
}

void dump(mnl_socket* nl, std::uint16_t type, std::uint8_t family, std::set<std::string>& out) {
  std::array<char, 8192> buffer{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(buffer.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  nlh->nlmsg_seq = static_cast<std::uint32_t>(type) * 10 + family;
  auto* gen = static_cast<rtgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  gen->rtgen_family = family;
  ASSERT_GE(mnl_socket_sendto(nl, nlh, nlh->nlmsg_len), 0);
  std::vector<char> rx(65536);
  DumpContext ctx{type, &out};
  for (;;) {
    const auto n = mnl_socket_recvfrom(nl, rx.data(), rx.size());
    ASSERT_GE(n, 0);
    const int rc = mnl_cb_run(rx.data(), static_cast<std::size_t>(n), nlh->nlmsg_seq,
                              mnl_socket_get_portid(nl), dump_cb, &ctx);
    ASSERT_NE(rc, MNL_CB_ERROR);
    if (rc == MNL_CB_STOP) return;
  }
}

void read_tcp_listeners(const char* path, std::set<std::string>& out) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state == "0A") out.insert(std::string(path) + " " + local);
  }
}

HostSnapshot snapshot() {
  HostSnapshot s;
  mnl_socket* nl = mnl_socket_open(NETLINK_ROUTE);
  EXPECT_NE(nl, nullptr);
  if (nl == nullptr) return s;
  EXPECT_GE(mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID), 0);
  dump(nl, RTM_GETLINK, AF_UNSPEC, s.links);
  dump(nl, RTM_GETADDR, AF_UNSPEC, s.addresses);
  dump(nl, RTM_GETROUTE, AF_INET, s.routes);
  dump(nl, RTM_GETROUTE, AF_INET6, s.routes);
  mnl_socket_close(nl);
  read_tcp_listeners("/proc/net/tcp", s.tcp_listeners);
  read_tcp_listeners("/proc/net/tcp6", s.tcp_listeners);
  return s;
}

// Every host TCP socket (any state) as "local remote" in /proc/net/tcp{,6} notation.
std::set<std::string> host_sockets() {
  std::set<std::string> out;
  for (const char* path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote;
      fields >> slot >> local >> remote;
      out.insert(local + " " + remote);
    }
  }
  return out;
}

// Host TCP sockets not in `before` that touch the test's IPv6 prefix or the test's ports.
std::vector<std::string> new_host_sockets_touching(const std::set<std::string>& before,
                                                   const std::set<std::uint16_t>& ports) {
  std::vector<std::string> found;
  for (const std::string& socket : host_sockets()) {
    if (before.count(socket) != 0) continue;
    const std::string local = socket.substr(0, socket.find(' '));
    const std::string remote = socket.substr(socket.find(' ') + 1);
    const auto port_of = [](const std::string& a) {
      return static_cast<std::uint16_t>(std::stoul(a.substr(a.find(':') + 1), nullptr, 16));
    };
    // /proc/net/tcp6 prints each 32-bit word in host order: 2001:db8:: is "B80D0120".
    const bool v6_test = local.rfind("B80D0120", 0) == 0 || remote.rfind("B80D0120", 0) == 0;
    if (v6_test || ports.count(port_of(local)) != 0 || ports.count(port_of(remote)) != 0) {
      found.push_back(socket);
    }
  }
  return found;
}

// A packet socket on every host interface, catching what the workload might leak.
class HostSniffer {
 public:
  HostSniffer() {
    fd_ = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (fd_ >= 0) {
      const int size = 16 << 20;
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
    }
  }
  ~HostSniffer() {
    if (fd_ >= 0) ::close(fd_);
  }
  HostSniffer(const HostSniffer&) = delete;
  HostSniffer& operator=(const HostSniffer&) = delete;
  [[nodiscard]] bool ok() const { return fd_ >= 0; }
  [[nodiscard]] unsigned seen() const { return seen_; }

  // Test segments seen: TCP to or from 192.0.2.0/24 on one of `ports`, or anything 2001:db8::/32.
  std::vector<std::string> leaks(const std::set<std::uint16_t>& ports, unsigned& drops) {
    std::vector<std::string> out;
    std::vector<std::uint8_t> buf(65536);
    seen_ = 0;
    for (;;) {
      sockaddr_ll from{};
      socklen_t len = sizeof(from);
      const auto n =
          ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) break;
      ++seen_;
      const auto size = static_cast<std::size_t>(n);
      char ifname[IF_NAMESIZE] = "?";
      ::if_indextoname(static_cast<unsigned>(from.sll_ifindex), ifname);
      if (ntohs(from.sll_protocol) == ETH_P_IP && size >= 20 && buf[9] == IPPROTO_TCP) {
        const std::size_t ihl = (buf[0] & 0x0fU) * 4U;
        if (size < ihl + 4) continue;
        const bool test_net = (buf[12] == 192 && buf[13] == 0 && buf[14] == 2) ||
                              (buf[16] == 192 && buf[17] == 0 && buf[18] == 2);
        const auto sport = static_cast<std::uint16_t>(buf[ihl] << 8 | buf[ihl + 1]);
        const auto dport = static_cast<std::uint16_t>(buf[ihl + 2] << 8 | buf[ihl + 3]);
        if (test_net && (ports.count(sport) != 0 || ports.count(dport) != 0)) {
          out.push_back(std::string("IPv4 TCP on ") + ifname + " port " + std::to_string(sport) +
                        "->" + std::to_string(dport));
        }
      } else if (ntohs(from.sll_protocol) == ETH_P_IPV6 && size >= 40) {
        const std::array<std::uint8_t, 4> prefix{0x20, 0x01, 0x0d, 0xb8};
        if (std::memcmp(&buf[8], prefix.data(), 4) == 0 ||
            std::memcmp(&buf[24], prefix.data(), 4) == 0) {
          out.push_back(std::string("IPv6 2001:db8:: packet on ") + ifname);
        }
      }
    }
    tpacket_stats stats{};
    socklen_t slen = sizeof(stats);
    ::getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &stats, &slen);
    drops = stats.tp_drops;
    return out;
  }

 private:
  int fd_ = -1;
  unsigned seen_ = 0;
};

std::string transport_param_name(const ::testing::TestParamInfo<TransportKind>& info) {
  return std::string(transport_name(info.param));
}

// A bit of everything the harness does, in both families, on two SUTs.
void workload(std::set<std::uint16_t>& ports, TransportKind transport) {
  for (int round = 0; round < 2; ++round) {
    TCPCONFORM_MAKE_SUT(sut, LinuxSutOptions{.transport = transport});
    for (const IpVersion v : {IpVersion::kV4, IpVersion::kV6}) {
      Calls k{sut};
      Calls child{sut, 1};
      Peer peer = Peer::make(sut, v, sut.fresh_port(), sut.fresh_port());
      const int l = child.socket(v);
      ASSERT_EQ(child.bind(l, peer.kernel).error, 0);
      ASSERT_EQ(child.listen(l).error, 0);
      peer.send(wire::kSyn);
      peer.expect(wire::kSynAck);
      peer.send(wire::kAck);
      peer.send(wire::kAck | wire::kPsh, 10);
      peer.expect(wire::kAck);
      const int fd = static_cast<int>(child.accept(l).value);
      child.send(fd, 100);
      const int c = k.socket(v);
      k.connect(c, peer.kernel);  // kernel to kernel, through loopback
      child.exit();
      Peer active = Peer::make(sut, v, sut.fresh_port(), 0);
      const int a = k.socket(v);
      k.connect(a, active.self);
      EXPECT_FALSE(collect(sut).empty());
      // Only the ports the test chose (fresh_port(), below the ephemeral range): the host's own
      // connections use ephemeral ports and must not be mistaken for leaks.
      ports.insert(peer.self.port);
      ports.insert(peer.kernel.port);
      ports.insert(active.self.port);
      ASSERT_TRUE(sut.reset().has_value());
    }
  }
}

class SafetyTest : public ::testing::TestWithParam<TransportKind> {};

TEST_P(SafetyTest, HostNetworkUntouchedAndNoTestSegmentOnHostInterfaces) {
  const LinuxSutOptions options{.transport = GetParam()};
  if (!LinuxSut::create(options).has_value()) GTEST_SKIP() << "no kernel SUT here";
  HostSniffer sniffer;
  const HostSnapshot before = snapshot();
  const std::set<std::string> sockets_before = host_sockets();
  std::set<std::uint16_t> ports;
  workload(ports, GetParam());
  if (HasFatalFailure() || IsSkipped()) return;
  ::usleep(50000);  // anything leaked would be on the wire by now
  const HostSnapshot after = snapshot();
  EXPECT_EQ(before.links, after.links);
  EXPECT_EQ(before.addresses, after.addresses);
  EXPECT_EQ(before.routes, after.routes);
  EXPECT_EQ(before.tcp_listeners, after.tcp_listeners);
  EXPECT_EQ(new_host_sockets_touching(sockets_before, ports), std::vector<std::string>{});
  ASSERT_FALSE(ports.empty());
  if (!sniffer.ok()) GTEST_SKIP() << "no AF_PACKET socket on the host: sniffing part skipped";
  unsigned drops = 0;
  EXPECT_EQ(sniffer.leaks(ports, drops), std::vector<std::string>{});
  EXPECT_EQ(drops, 0U) << "the sniffer dropped packets: inconclusive";
  RecordProperty("host_packets_inspected", static_cast<int>(sniffer.seen()));
}

// What this process holds: the network namespaces its descriptors refer to, and its sockets.
struct Held {
  std::multiset<std::string> namespaces;  // "net:[inode]", one per descriptor
  int sockets = 0;
};

Held held_by_this_process() {
  Held h;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(entry.path(), ec).string();
    if (target.rfind("net:[", 0) == 0) h.namespaces.insert(target);
    if (target.rfind("socket:[", 0) == 0) ++h.sockets;
  }
  return h;
}

std::set<std::string> distinct(const std::multiset<std::string>& m) {
  return {m.begin(), m.end()};
}

// Whether any process (a thread of ours or a child) is still inside one of `namespaces`.
std::vector<std::string> processes_in(const std::set<std::string>& namespaces) {
  std::vector<std::string> found;
  const auto look = [&](const std::filesystem::path& dir) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::error_code ec;
      const std::string target =
          std::filesystem::read_symlink(entry.path() / "ns/net", ec).string();
      if (!ec && namespaces.count(target) != 0) found.push_back(entry.path().string());
    }
  };
  look("/proc");
  look("/proc/self/task");  // our own threads
  return found;
}

// Every reference to a namespace is a descriptor of ours (the namespace descriptors and the
// sockets bound to it; devices hold none), so once the SUT has closed them the kernel destroys
// both namespaces, and the veth pair with them. The veth never shows in the host namespace.
TEST_P(SafetyTest, NoDeviceNamespaceOrDescriptorOutlivesTheSut) {
  const Held before = held_by_this_process();
  const HostSnapshot host_before = snapshot();
  std::set<std::string> ours;
  {
    TCPCONFORM_MAKE_SUT(sut, LinuxSutOptions{.transport = GetParam()});
    Calls k{sut};
    Peer peer = Peer::make(sut, IpVersion::kV4, sut.fresh_port(), sut.fresh_port());
    const int l = k.socket(IpVersion::kV4);
    ASSERT_EQ(k.bind(l, peer.kernel).error, 0);
    ASSERT_EQ(k.listen(l).error, 0);
    peer.send(wire::kSyn);
    peer.expect(wire::kSynAck);
    const Held during = held_by_this_process();
    // The SUT also holds our own namespace (to return to): not one of its own.
    const std::string host = std::filesystem::read_symlink("/proc/self/ns/net").string();
    for (const std::string& n : distinct(during.namespaces)) {
      if (before.namespaces.count(n) == 0 && n != host) ours.insert(n);
    }
    // The kernel's namespace, and for the packet transport the second one.
    EXPECT_EQ(ours.size(), GetParam() == TransportKind::kPacket ? 2U : 1U);
    EXPECT_EQ(snapshot().links, host_before.links) << "a device of the SUT is in the host";
  }
  // The transport's descriptors close on a detached thread (closing waits for RCU).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  Held after = held_by_this_process();
  while (after.sockets > before.sockets && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    after = held_by_this_process();
  }
  // At most as many: a closer thread of an earlier test may have finished meanwhile.
  EXPECT_LE(after.sockets, before.sockets);
  for (const std::string& n : ours) EXPECT_EQ(after.namespaces.count(n), 0U) << n;
  EXPECT_EQ(processes_in(ours), std::vector<std::string>{});
  const HostSnapshot host_after = snapshot();
  EXPECT_EQ(host_after.links, host_before.links);
  EXPECT_EQ(host_after.addresses, host_before.addresses);
  EXPECT_EQ(host_after.routes, host_before.routes);
}

INSTANTIATE_TEST_SUITE_P(Transports, SafetyTest,
                         ::testing::Values(TransportKind::kTun, TransportKind::kPacket),
                         transport_param_name);

TEST(Safety, ChildProcessesAreReapedWithTheSut) {
  {
    TCPCONFORM_MAKE_SUT(sut);
    Calls{sut, 1}.socket(IpVersion::kV4);
    Calls{sut, 2}.socket(IpVersion::kV6);
  }
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(Safety, NamespaceIsPrivate) {
  TCPCONFORM_MAKE_SUT(sut);
  // The SUT's listener is invisible from the test's own (the host's) namespace.
  const std::set<std::string> before = host_sockets();
  Calls k{sut};
  const std::uint16_t port = sut.fresh_port();
  const int l = k.socket(IpVersion::kV4);
  ASSERT_EQ(k.bind(l, Endpoint{sut.addresses(IpVersion::kV4).local, port}).error, 0);
  ASSERT_EQ(k.listen(l).error, 0);
  EXPECT_EQ(new_host_sockets_touching(before, {port}), std::vector<std::string>{});
}

}  // namespace
}  // namespace tcpconform::harness::testing
