// LinuxSut: the kernel in a private namespace, driven through a transport (TUN device or veth
// pair) and real sockets.
#include "tcpconform/harness/linux_sut.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/utsname.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "child_process.h"
#include "netns.h"
#include "rtnetlink.h"
#include "sock_diag.h"
#include "sockets.h"
#include "sysctl.h"
#include "tcpconform/wire/codec.h"
#include "transport.h"
#include "unique_fd.h"

namespace tcpconform::harness {

using linux_sut::CallReply;
using linux_sut::CallRequest;
using linux_sut::ChildProcess;
using linux_sut::DiagSocket;
using linux_sut::Namespace;
using linux_sut::NamespaceScope;
using linux_sut::RouteMetrics;
using linux_sut::Rtnl;
using linux_sut::SockDiag;
using linux_sut::Transport;
using linux_sut::UniqueFd;

namespace {

constexpr std::string_view kRouteQuickack = "route/quickack";
constexpr std::string_view kRouteRtoMin = "route/rto_min_ms";
constexpr std::size_t kMaxPacket = 65536;
constexpr std::uint16_t kFirstFreshPort = 10000;
constexpr std::uint16_t kLastFreshPort = 32767;

// Linux TCP_* states (include/net/tcp_states.h).
enum LinuxTcpState : std::uint8_t {
  kEstablished = 1,
  kSynSent,
  kSynRecv,
  kFinWait1,
  kFinWait2,
  kTimeWait,
  kClose,
  kCloseWait,
  kLastAck,
  kListen,
  kClosing,
  kNewSynRecv,
};
constexpr std::uint32_t kTcpfClose = 1U << kClose;
constexpr std::uint8_t kSendShutdown = 2;

std::optional<model::State> state_of(std::uint8_t linux_state) {
  switch (linux_state) {
    case kEstablished: return model::State::kEstablished;
    case kSynSent: return model::State::kSynSent;
    case kSynRecv:
    case kNewSynRecv: return model::State::kSynReceived;
    case kFinWait1: return model::State::kFinWait1;
    case kFinWait2: return model::State::kFinWait2;
    case kTimeWait: return model::State::kTimeWait;
    case kCloseWait: return model::State::kCloseWait;
    case kLastAck: return model::State::kLastAck;
    case kListen: return model::State::kListen;
    case kClosing: return model::State::kClosing;
    default: return std::nullopt;  // CLOSE: not a connection any more
  }
}

model::TimerKind timer_of(std::uint8_t idiag_timer) {
  switch (idiag_timer) {
    case 1: return model::TimerKind::kRetransmit;
    case 2: return model::TimerKind::kKeepalive;
    case 3: return model::TimerKind::kTimeWait;
    case 4: return model::TimerKind::kZeroWindowProbe;
    default: return model::TimerKind::kNone;
  }
}

wire::IpAddress v6(std::uint8_t last) {
  wire::IpAddress a;
  a.version = wire::IpVersion::kV6;
  a.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
  return a;
}

wire::IpAddress zero_of(wire::IpVersion v) {
  wire::IpAddress a;
  a.version = v;
  return a;
}

Result<std::optional<std::uint32_t>> parse_rto_min(const std::string& text) {
  if (text.empty()) return std::optional<std::uint32_t>{};
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return tl::unexpected(Error{"configure", "route/rto_min_ms must be milliseconds, not " + text});
  }
  return std::optional<std::uint32_t>{v};
}

Result<bool> parse_bool(const std::string& key, const std::string& text) {
  if (text == "0") return false;
  if (text == "1") return true;
  return tl::unexpected(Error{"configure", key + " must be 0 or 1, not " + text});
}

bool is_route_key(std::string_view key) {
  return key == kRouteQuickack || key == kRouteRtoMin;
}

}  // namespace

Settings default_linux_settings() {
  return Settings{
      // Timers scenarios wait for, short (Linux defaults: 60, 6, 5).
      {"net/ipv4/tcp_fin_timeout", "2"},
      {"net/ipv4/tcp_syn_retries", "2"},
      {"net/ipv4/tcp_synack_retries", "2"},
      // Options every SYN carries: the Linux defaults, pinned.
      {"net/ipv4/tcp_timestamps", "1"},
      {"net/ipv4/tcp_sack", "1"},
      {"net/ipv4/tcp_window_scaling", "1"},
      // Buffers pinned to the long-standing defaults (Linux 6.18 raised tcp_rmem[2] to 32 MB,
      // which changes the window scale a SYN offers): scenarios then read the same on every
      // kernel, and the model's window scale 7 and SYN window 64240 match.
      {"net/ipv4/tcp_rmem", "4096\t131072\t6291456"},
      {"net/ipv4/tcp_wmem", "4096\t16384\t4194304"},
      {"net/ipv4/tcp_ecn", "2"},
      {"net/ipv4/tcp_rfc1337", "0"},
      // Nothing learned by one program may change the next: no metrics cache, no TFO cookies.
      {"net/ipv4/tcp_no_metrics_save", "1"},
      {"net/ipv4/tcp_fastopen", "0"},
      // Autocorking holds back a small send while an earlier segment sits unread in the TUN
      // queue; off, every send leaves inside the send() call.
      {"net/ipv4/tcp_autocorking", "0"},
      {"net/ipv4/ip_local_port_range", "32768\t60999"},
      // A namespace with a private 1024-bucket hash table would allow only 512 TIME-WAIT
      // sockets (Linux tcp_sk_init()); beyond that Linux skips TIME-WAIT altogether.
      {"net/ipv4/tcp_max_tw_buckets", "262144"},
      // IPv6 addresses usable at once, and no router solicitations or DAD probes as noise.
      {"net/ipv6/conf/all/accept_dad", "0"},
      {"net/ipv6/conf/default/accept_dad", "0"},
      {"net/ipv6/conf/default/dad_transmits", "0"},
      {"net/ipv6/conf/default/router_solicitations", "0"},
      {"net/ipv6/conf/default/accept_ra", "0"},
      {"net/ipv6/conf/default/addr_gen_mode", "1"},
      // Route metrics (rtnetlink), not sysctls.
      {std::string(kRouteQuickack), "1"},
      {std::string(kRouteRtoMin), ""},
  };
}

// One script descriptor: which process owns it and what the real descriptor is there.
struct FdEntry {
  int real_fd = -1;
  std::uint64_t cookie = 0;
  wire::IpVersion family = wire::IpVersion::kV4;
  bool listening = false;
  wire::Endpoint local;
  std::uint64_t sent = 0;
};

struct LinuxSut::Impl {
  LinuxSutOptions options;
  Namespace ns;
  Rtnl rtnl;
  SockDiag diag;
  std::unique_ptr<Transport> transport;
  int ifindex = 0;  // the transport's interface in the namespace
  RouteMetrics base_metrics;
  RouteMetrics metrics;
  std::map<std::string, std::string> overridden;  // key -> value before configure()
  std::map<int, std::map<int, FdEntry>> fds;      // process -> script fd -> entry
  std::map<int, ChildProcess> children;
  InitialValueTracker initial;
  bool used_v4 = false;
  bool used_v6 = false;
  std::uint16_t next_port = kFirstFreshPort;
  std::string release;
  std::vector<std::uint8_t> tx;
  std::vector<DiagSocket> scratch;

  Impl(LinuxSutOptions o, Namespace n, Rtnl r, SockDiag d)
      : options(std::move(o)), ns(std::move(n)), rtnl(std::move(r)), diag(std::move(d)) {}

  Result<void> apply_routes() {
    const wire::IpAddress local4 = wire::IpAddress::v4(192, 0, 2, 1);
    const wire::IpAddress net4 = wire::IpAddress::v4(192, 0, 2, 0);
    wire::IpAddress net6 = v6(0);
    if (auto r = rtnl.replace_subnet_route(ifindex, net4, 24, metrics); !r) return r;
    if (auto r = rtnl.replace_subnet_route(ifindex, net6, 64, metrics); !r) return r;
    if (auto r = rtnl.replace_local_route(ifindex, local4, metrics); !r) return r;
    return rtnl.replace_local_route(ifindex, v6(1), metrics);
  }

  Result<void> apply_route_key(const std::string& key, const std::string& value, RouteMetrics& m) {
    if (key == kRouteQuickack) {
      auto b = parse_bool(key, value);
      if (!b) return tl::unexpected(b.error());
      m.quickack = *b;
    } else {
      auto v = parse_rto_min(value);
      if (!v) return tl::unexpected(v.error());
      m.rto_min_ms = *v;
    }
    return {};
  }

  void drain() {
    for (;;) {
      auto packet = transport->receive();
      if (!packet || packet->empty()) return;
    }
  }

  int lowest_free_fd(int process) const {
    int fd = 3;
    const auto it = fds.find(process);
    if (it == fds.end()) return fd;
    for (const auto& [script_fd, entry] : it->second) {
      if (script_fd != fd) break;
      ++fd;
    }
    return fd;
  }

  Result<CallReply> run(int process, const CallRequest& request) {
    if (process == 0) {
      if (request.call.kind == model::CallKind::kSocket) {
        auto scope = NamespaceScope::enter(ns);
        if (!scope) return tl::unexpected(scope.error());
        return linux_sut::execute(request);
      }
      return linux_sut::execute(request);
    }
    auto it = children.find(process);
    if (it == children.end()) {
      auto child = ChildProcess::spawn(ns.net.get());
      if (!child) return tl::unexpected(child.error());
      it = children.emplace(process, std::move(*child)).first;
    }
    return it->second.run(request);
  }

  Result<model::CallResult> exit_process(int process) {
    if (process == 0) {
      // This process cannot exit: close its descriptors in order, as exit would.
      auto it = fds.find(0);
      if (it != fds.end()) {
        for (auto& [script_fd, entry] : it->second) ::close(entry.real_fd);
        fds.erase(it);
      }
      return model::CallResult::ok();
    }
    auto it = children.find(process);
    if (it != children.end()) {
      auto r = it->second.terminate(SIGINT);
      children.erase(it);
      if (!r) return tl::unexpected(r.error());
    }
    fds.erase(process);
    return model::CallResult::ok();
  }

  Result<model::CallResult> call(const model::SocketCall& c) {
    if (c.kind == model::CallKind::kExitProcess) return exit_process(c.process);
    CallRequest request{.call = c};
    auto& table = fds[c.process];
    FdEntry* entry = nullptr;
    if (c.kind != model::CallKind::kSocket) {
      const auto it = table.find(c.fd);
      if (it == table.end()) return model::CallResult::fail(EBADF);
      entry = &it->second;
      request.call.fd = entry->real_fd;
      request.call.family = entry->family;
      request.stream_offset = entry->sent;
    }
    auto reply = run(c.process, request);
    if (!reply) return tl::unexpected(reply.error());
    model::CallResult result = reply->result;
    switch (c.kind) {
      case model::CallKind::kSocket:
        if (reply->new_fd >= 0) {
          const int script_fd = lowest_free_fd(c.process);
          table[script_fd] =
              FdEntry{.real_fd = reply->new_fd, .cookie = reply->cookie, .family = c.family};
          (c.family == wire::IpVersion::kV4 ? used_v4 : used_v6) = true;
          result.value = script_fd;
        }
        break;
      case model::CallKind::kAccept:
        if (reply->new_fd >= 0) {
          const int script_fd = lowest_free_fd(c.process);
          table[script_fd] = FdEntry{.real_fd = reply->new_fd,
                                     .cookie = reply->cookie,
                                     .family = entry->family,
                                     .local = reply->local};
          result.value = script_fd;
        }
        break;
      case model::CallKind::kListen:
        if (result.error == 0) {
          entry->listening = true;
          entry->local = reply->local;
        }
        break;
      case model::CallKind::kSend:
        if (result.value > 0) entry->sent += static_cast<std::uint64_t>(result.value);
        break;
      case model::CallKind::kClose:
        table.erase(c.fd);  // Linux releases the descriptor even when close() reports an error
        break;
      case model::CallKind::kBind:
      case model::CallKind::kConnect:
        if (entry != nullptr) entry->local = reply->local;
        break;
      case model::CallKind::kRecv:
      case model::CallKind::kShutdown:
      case model::CallKind::kSetSockOpt:
      case model::CallKind::kGetSockOpt:
      case model::CallKind::kSetNonBlocking:
      case model::CallKind::kExitProcess: break;
    }
    return result;
  }

  model::ConnectionObservation to_observation(const DiagSocket& s, model::State state) const {
    model::ConnectionObservation o;
    o.tuple = s.tuple;
    o.state = state;
    o.recv_q = s.rqueue;
    o.send_q = s.wqueue;
    o.timer = timer_of(s.timer);
    bool owned = false;
    for (const auto& [process, table] : fds) {
      for (const auto& [script_fd, entry] : table) {
        if (entry.cookie == s.cookie) {
          o.fd = script_fd;
          owned = true;
        }
      }
    }
    if (!owned) {
      if (!s.shutdown) {
        // Mini sockets: TIME-WAIT (and FIN-WAIT-2 after close, Linux tcp_time_wait()) belong to
        // no descriptor; a request socket belongs to its listener.
        o.orphan = state != model::State::kSynReceived;
      } else {
        // A full socket nobody holds: closed by its owner (tcp_close() sets both shutdown
        // bits), or a child still waiting in its listener's accept queue.
        o.orphan = (*s.shutdown & kSendShutdown) != 0;
      }
    }
    return o;
  }

  Result<std::vector<model::ConnectionObservation>> observe() {
    scratch.clear();
    const std::uint32_t states = linux_sut::kTcpfAll & ~linux_sut::kTcpfListen & ~kTcpfClose;
    if (used_v4) {
      if (auto r = diag.dump(wire::IpVersion::kV4, states, scratch); !r) {
        return tl::unexpected(r.error());
      }
    }
    if (used_v6) {
      if (auto r = diag.dump(wire::IpVersion::kV6, states, scratch); !r) {
        return tl::unexpected(r.error());
      }
    }
    // Listeners sit in the global listening hash, slow to walk: look ours up one by one.
    for (const auto& [process, table] : fds) {
      for (const auto& [script_fd, entry] : table) {
        if (!entry.listening) continue;
        const wire::FourTuple key{entry.local,
                                  wire::Endpoint{zero_of(entry.local.address.version), 0}};
        if (process == 0) {
          // Our own descriptor: TCP_INFO says the same as inet_diag for a listener, faster.
          tcp_info info{};
          socklen_t length = sizeof(info);
          if (::getsockopt(entry.real_fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) {
            return tl::unexpected(linux_sut::os_error("observe", "TCP_INFO of a listener"));
          }
          if (info.tcpi_state == linux_sut::kTcpListen) {
            // Linux tcp_get_info(): for LISTEN, unacked is the accept queue and sacked the
            // backlog, as inet_diag's rqueue and wqueue.
            scratch.push_back(DiagSocket{.tuple = key,
                                         .state = info.tcpi_state,
                                         .rqueue = info.tcpi_unacked,
                                         .wqueue = info.tcpi_sacked,
                                         .cookie = entry.cookie,
                                         .shutdown = std::uint8_t{0}});
          }
          continue;
        }
        auto found = diag.lookup(key, entry.cookie);
        if (!found) return tl::unexpected(found.error());
        if (*found && (*found)->state == linux_sut::kTcpListen) scratch.push_back(**found);
      }
    }
    std::vector<model::ConnectionObservation> out;
    out.reserve(scratch.size());
    for (const DiagSocket& s : scratch) {
      if (auto state = state_of(s.state)) out.push_back(to_observation(s, *state));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.tuple, a.state) < std::tie(b.tuple, b.state);
    });
    return out;
  }

  Result<void> configure(const Settings& settings) {
    auto scope = NamespaceScope::enter(ns);
    if (!scope) return tl::unexpected(scope.error());
    // Validate everything first, so that a bad key changes nothing.
    RouteMetrics m = metrics;
    std::map<std::string, std::string> previous;
    for (const auto& [key, value] : settings) {
      if (is_route_key(key)) {
        if (auto r = apply_route_key(key, value, m); !r) return r;
        continue;
      }
      if (!linux_sut::is_namespaced_sysctl(key)) {
        return tl::unexpected(Error{"configure", "unknown setting " + key});
      }
      auto current = linux_sut::read_sysctl(key);
      if (!current) return tl::unexpected(Error{"configure", "unknown setting " + key});
      previous.emplace(key, *current);
    }
    for (const auto& [key, value] : settings) {
      if (is_route_key(key)) continue;
      overridden.try_emplace(key, previous[key]);
      if (auto r = linux_sut::write_sysctl(key, value); !r) return r;
    }
    if (m.quickack != metrics.quickack || m.rto_min_ms != metrics.rto_min_ms) {
      metrics = m;
      if (auto r = apply_routes(); !r) return r;
    }
    return {};
  }

  // The families a socket can exist in: a request socket or a child belongs to a listener, an
  // orphan or TIME-WAIT socket to a socket created since the last reset.
  std::vector<wire::IpVersion> used_families() const {
    std::vector<wire::IpVersion> out;
    if (used_v4) out.push_back(wire::IpVersion::kV4);
    if (used_v6) out.push_back(wire::IpVersion::kV6);
    return out;
  }

  Result<void> destroy_all(std::uint32_t states) {
    for (const auto v : used_families()) {
      scratch.clear();
      if (auto r = diag.dump(v, states, scratch); !r) return r;
      for (const DiagSocket& s : scratch) {
        if (auto r = diag.destroy(s); !r) return r;
      }
    }
    return {};
  }

  Result<void> reset() {
    children.clear();  // SIGKILL and reap: their descriptors are closed when this returns
    const std::uint32_t states = linux_sut::kTcpfAll & ~linux_sut::kTcpfListen & ~kTcpfClose;
    if (auto r = destroy_all(states); !r) return r;
    for (auto& [process, table] : fds) {
      for (auto& [script_fd, entry] : table) {
        if (process == 0) ::close(entry.real_fd);
      }
    }
    fds.clear();
    // Closing a listener or a destroyed socket sends nothing new; make sure nothing is left.
    for (const auto v : used_families()) {
      scratch.clear();
      if (auto r = diag.dump(v, states, scratch); !r) return r;
      if (!scratch.empty()) {
        return tl::unexpected(
            Error{"reset", fmt::format("{} socket(s) survived SOCK_DESTROY, e.g. {}",
                                       scratch.size(), scratch.front().tuple.local.to_string())});
      }
    }
    if (!overridden.empty()) {
      auto scope = NamespaceScope::enter(ns);
      if (!scope) return tl::unexpected(scope.error());
      for (const auto& [key, value] : overridden) {
        if (auto r = linux_sut::write_sysctl(key, value); !r) return r;
      }
      overridden.clear();
    }
    if (metrics.quickack != base_metrics.quickack ||
        metrics.rto_min_ms != base_metrics.rto_min_ms) {
      metrics = base_metrics;
      if (auto r = apply_routes(); !r) return r;
    }
    drain();
    initial.clear();
    used_v4 = false;
    used_v6 = false;
    return {};
  }
};

Result<std::unique_ptr<LinuxSut>> LinuxSut::create(const LinuxSutOptions& options) {
  auto ns = linux_sut::create_namespace(options.ehash_entries);
  if (!ns) return tl::unexpected(ns.error());
  Settings settings = default_linux_settings();
  for (const auto& [key, value] : options.settings) settings[key] = value;
  for (const auto& [key, value] : settings) {
    if (!is_route_key(key) && !linux_sut::is_namespaced_sysctl(key)) {
      return tl::unexpected(Error{"create", "unknown setting " + key});
    }
  }
  std::optional<Rtnl> rtnl;
  std::optional<SockDiag> diag;
  {
    // In the namespace only for what binds to it: sysctls (before the transport's device, which
    // inherits net/ipv6/conf/default) and the netlink sockets. The scope ends before anything
    // that owns `ns` can be destroyed.
    auto scope = NamespaceScope::enter(*ns);
    if (!scope) return tl::unexpected(scope.error());
    for (const auto& [key, value] : settings) {
      if (is_route_key(key)) continue;
      if (auto r = linux_sut::write_sysctl(key, value); !r) return tl::unexpected(r.error());
    }
    auto r = Rtnl::open();
    if (!r) return tl::unexpected(r.error());
    rtnl.emplace(std::move(*r));
    auto d = SockDiag::open();
    if (!d) return tl::unexpected(d.error());
    diag.emplace(std::move(*d));
  }
  auto impl = std::make_unique<Impl>(options, std::move(*ns), std::move(*rtnl), std::move(*diag));
  const linux_sut::TransportSetup setup{
      .kind = options.transport,
      .name = options.device_name,
      .peers = {wire::IpAddress::v4(192, 0, 2, 2), v6(2)},
  };
  auto transport = linux_sut::open_transport(setup, impl->ns, impl->rtnl);
  if (!transport) return tl::unexpected(transport.error());
  impl->transport = std::move(*transport);
  const int ifindex = impl->transport->ifindex();
  impl->ifindex = ifindex;
  RouteMetrics metrics;
  for (const auto& [key, value] : settings) {
    if (!is_route_key(key)) continue;
    if (auto r = impl->apply_route_key(key, value, metrics); !r) return tl::unexpected(r.error());
  }
  impl->base_metrics = metrics;
  impl->metrics = metrics;
  if (auto r = impl->rtnl.link_up(1); !r) return tl::unexpected(r.error());  // lo
  // Room for 16384 unread packets (default 500) before a TUN device drops what the kernel sends
  // (a veth has no queue: the packet socket's receive ring holds them).
  if (auto r = impl->rtnl.link_up(ifindex, 16384); !r) return tl::unexpected(r.error());
  if (auto r = impl->rtnl.add_address(ifindex, wire::IpAddress::v4(192, 0, 2, 1), 24); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = impl->rtnl.add_address(ifindex, v6(1), 64); !r) return tl::unexpected(r.error());
  if (auto r = impl->rtnl.delete_local_route_v6(v6(1)); !r) return tl::unexpected(r.error());
  if (auto r = impl->apply_routes(); !r) return tl::unexpected(r.error());
  impl->tx.reserve(kMaxPacket);
  impl->drain();
  utsname u{};
  if (::uname(&u) == 0) impl->release = u.release;
  return std::unique_ptr<LinuxSut>(new LinuxSut(std::move(impl)));
}

LinuxSut::LinuxSut(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LinuxSut::~LinuxSut() {
  if (!impl_) return;
  impl_->children.clear();
  for (auto& [process, table] : impl_->fds) {
    for (auto& [script_fd, entry] : table) {
      if (process == 0) ::close(entry.real_fd);
    }
  }
  impl_->transport.reset();  // closes off this thread's path where closing blocks
}

std::string LinuxSut::name() const {
  // The transport is part of the name: reports and captures say which path was measured.
  if (impl_->options.transport == TransportKind::kTun) return "linux " + impl_->release;
  return "linux " + impl_->release + " (" + std::string(transport_name(impl_->options.transport)) +
         ")";
}

Addresses LinuxSut::addresses(wire::IpVersion version) const {
  if (version == wire::IpVersion::kV4) {
    return Addresses{wire::IpAddress::v4(192, 0, 2, 1), wire::IpAddress::v4(192, 0, 2, 2)};
  }
  return Addresses{v6(1), v6(2)};
}

Result<void> LinuxSut::inject(const wire::Segment& segment) {
  impl_->tx.clear();
  wire::emit_into(segment, impl_->tx);
  return impl_->transport->send(impl_->tx);
}

Result<std::vector<wire::Segment>> LinuxSut::collect() {
  std::vector<wire::Segment> out;
  const auto now = std::chrono::steady_clock::now();
  for (;;) {
    auto packet = impl_->transport->receive();
    if (!packet) return tl::unexpected(packet.error());
    if (packet->empty()) return out;
    auto segment = wire::parse(*packet);
    if (!segment) {
      switch (segment.error().kind) {
        case wire::ParseErrorKind::kNotTcp:
        case wire::ParseErrorKind::kIpv6ExtensionHeader:
        case wire::ParseErrorKind::kFragment:
          continue;  // ICMPv6, MLD (hop-by-hop header): noise, not the connection's business
        default:
          return tl::unexpected(Error{
              "collect", "the kernel sent an unparsable packet: " + segment.error().to_string()});
      }
    }
    impl_->initial.learn(*segment, now);
    out.push_back(std::move(*segment));
  }
}

Result<model::CallResult> LinuxSut::call(const model::SocketCall& call) {
  return impl_->call(call);
}

Result<void> LinuxSut::advance(Duration d) {
  std::this_thread::sleep_for(d);
  return {};
}

Result<std::vector<model::ConnectionObservation>> LinuxSut::observe() {
  return impl_->observe();
}

Result<void> LinuxSut::configure(const Settings& settings) {
  return impl_->configure(settings);
}

Result<void> LinuxSut::reset() {
  return impl_->reset();
}

Result<std::string> LinuxSut::read_setting(const std::string& key) const {
  if (key == kRouteQuickack) return std::string(impl_->metrics.quickack ? "1" : "0");
  if (key == kRouteRtoMin) {
    return impl_->metrics.rto_min_ms ? fmt::format("{}", *impl_->metrics.rto_min_ms) : "";
  }
  if (!linux_sut::is_namespaced_sysctl(key)) {
    return tl::unexpected(Error{"read setting", "unknown setting " + key});
  }
  auto scope = NamespaceScope::enter(impl_->ns);
  if (!scope) return tl::unexpected(scope.error());
  return linux_sut::read_sysctl(key);
}

const InitialValueTracker& LinuxSut::initial_values() const {
  return impl_->initial;
}

std::uint16_t LinuxSut::fresh_port() {
  const std::uint16_t port = impl_->next_port;
  impl_->next_port =
      port == kLastFreshPort ? kFirstFreshPort : static_cast<std::uint16_t>(port + 1);
  return port;
}

std::uint16_t LinuxSut::program_port(std::uint16_t /*script_port*/) {
  return fresh_port();
}

}  // namespace tcpconform::harness
