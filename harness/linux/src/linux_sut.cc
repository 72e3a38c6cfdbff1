// LinuxSut: the kernel in a private namespace, driven through a transport (TUN device or veth
// pair) and real sockets. Orchestration only: the namespace's settings, the script's processes
// and descriptors, observation and emptying the namespace live in files of their own.
#include "tcpconform/harness/linux_sut.h"

#include <sys/utsname.h>

#include <optional>
#include <thread>
#include <utility>

#include "bench_addresses.h"
#include "namespace_reset.h"
#include "namespace_settings.h"
#include "netns.h"
#include "observation.h"
#include "rtnetlink.h"
#include "script_processes.h"
#include "sock_diag.h"
#include "tcpconform/wire/codec.h"
#include "transport.h"

namespace tcpconform::harness {

using linux_sut::DiagSocket;
using linux_sut::Namespace;
using linux_sut::NamespaceScope;
using linux_sut::NamespaceSettings;
using linux_sut::Rtnl;
using linux_sut::ScriptProcesses;
using linux_sut::SockDiag;
using linux_sut::Transport;

namespace {

constexpr std::size_t kMaxPacket = 65536;
constexpr std::uint16_t kFirstFreshPort = 10000;
constexpr std::uint16_t kLastFreshPort = 32767;

// What the namespace is made with: the harness's own needs, the environment, the overrides.
Settings linux_settings(const LinuxSutOptions& options) {
  Settings settings = linux_sut::plumbing_settings();
  for (const auto& [key, value] : options.environment.settings) settings[key] = value;
  for (const auto& [key, value] : options.settings) settings[key] = value;
  return settings;
}

}  // namespace

struct LinuxSut::Impl {
  LinuxSutOptions options;
  Namespace ns;
  Rtnl rtnl;
  SockDiag diag;
  NamespaceSettings settings{ns, rtnl};
  ScriptProcesses processes{ns};
  std::unique_ptr<Transport> transport;
  InitialValueTracker initial;
  std::uint16_t next_port = kFirstFreshPort;
  std::string release;
  std::vector<std::uint8_t> tx;
  std::vector<DiagSocket> scratch;

  Impl(LinuxSutOptions o, Namespace n, Rtnl r, SockDiag d)
      : options(std::move(o)), ns(std::move(n)), rtnl(std::move(r)), diag(std::move(d)) {}

  void drain() {
    for (;;) {
      auto packet = transport->receive();
      if (!packet || packet->empty()) return;
    }
  }

  Result<void> reset() {
    processes.kill_children();
    const auto families = processes.used_families();
    if (auto r = linux_sut::destroy_connections(diag, families, scratch); !r) return r;
    processes.close_all();
    if (auto r = linux_sut::expect_no_connections(diag, families, scratch); !r) return r;
    if (auto r = settings.restore(); !r) return r;
    drain();
    initial.clear();
    processes.forget_families();
    return {};
  }
};

Result<std::unique_ptr<LinuxSut>> LinuxSut::create(const LinuxSutOptions& options) {
  auto ns = linux_sut::create_namespace(options.ehash_entries);
  if (!ns) return tl::unexpected(ns.error());
  const Settings settings = linux_settings(options);
  for (const auto& [key, value] : settings) {
    if (!linux_sut::is_known_setting(key)) {
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
    if (auto r = NamespaceSettings::write_sysctls(settings); !r) return tl::unexpected(r.error());
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
      .peers = {linux_sut::kPeerV4, linux_sut::kPeerV6},
  };
  auto transport = linux_sut::open_transport(setup, impl->ns, impl->rtnl);
  if (!transport) return tl::unexpected(transport.error());
  impl->transport = std::move(*transport);
  const int ifindex = impl->transport->ifindex();
  if (auto r = impl->rtnl.link_up(1); !r) return tl::unexpected(r.error());  // lo
  // Room for 16384 unread packets (default 500) before a TUN device drops what the kernel sends
  // (a veth has no queue: the packet socket's receive ring holds them).
  if (auto r = impl->rtnl.link_up(ifindex, 16384); !r) return tl::unexpected(r.error());
  if (auto r = impl->rtnl.add_address(ifindex, linux_sut::kKernelV4, 24); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = impl->rtnl.add_address(ifindex, linux_sut::kKernelV6, 64); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = impl->rtnl.delete_local_route_v6(linux_sut::kKernelV6); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = impl->settings.start_routes(settings, ifindex); !r) {
    return tl::unexpected(r.error());
  }
  impl->tx.reserve(kMaxPacket);
  impl->drain();
  utsname u{};
  if (::uname(&u) == 0) impl->release = u.release;
  return std::unique_ptr<LinuxSut>(new LinuxSut(std::move(impl)));
}

LinuxSut::LinuxSut(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LinuxSut::~LinuxSut() {
  if (!impl_) return;
  impl_->processes.close_all();
  impl_->transport.reset();  // closes off this thread's path where closing blocks
}

std::string LinuxSut::name() const {
  // The transport is part of the name: reports and captures say which path was measured.
  if (impl_->options.transport == TransportKind::kTun) return "linux " + impl_->release;
  return "linux " + impl_->release + " (" + std::string(transport_name(impl_->options.transport)) +
         ")";
}

Addresses LinuxSut::addresses(wire::IpVersion version) const {
  if (version == wire::IpVersion::kV4) return Addresses{linux_sut::kKernelV4, linux_sut::kPeerV4};
  return Addresses{linux_sut::kKernelV6, linux_sut::kPeerV6};
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
  return impl_->processes.call(call);
}

Result<void> LinuxSut::advance(Duration d) {
  std::this_thread::sleep_for(d);
  return {};
}

Result<std::vector<model::ConnectionObservation>> LinuxSut::observe() {
  return linux_sut::observe_namespace(impl_->diag, impl_->processes, impl_->scratch);
}

Result<void> LinuxSut::configure(const Settings& settings) {
  return impl_->settings.configure(settings);
}

Result<void> LinuxSut::reset() {
  return impl_->reset();
}

Result<std::string> LinuxSut::read_setting(const std::string& key) const {
  return impl_->settings.read(key);
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
