// The Linux kernel as a system under test: a private network namespace reached through a
// transport (a TUN device, or an AF_PACKET socket on a veth pair), socket calls on real
// descriptors, and state read with NETLINK_SOCK_DIAG the way `ss` reads it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tcpconform/harness/environment.h"
#include "tcpconform/harness/initial_values.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/harness/transport.h"

namespace tcpconform::harness {

struct LinuxSutOptions {
  // The environment programs run in, as namespaced sysctls (the route pseudo-keys
  // "route/quickack" and "route/rto_min_ms" are rtnetlink route metrics). The harness adds what
  // it needs itself (harness/README.md: every step synchronous, no IPv6 noise).
  Environment environment = bench_environment();
  // Overrides on top of that for the whole life of the SUT (configure() overrides are per
  // program and undone by reset()).
  Settings settings;
  // net.ipv4.tcp_child_ehash_entries of the throw-away parent namespace the SUT's namespace is
  // created from: a small private established-hash makes a sock_diag dump cost microseconds
  // instead of milliseconds. 0 keeps the kernel's default (the shared global table).
  unsigned ehash_entries = 1024;
  // The packet path (see harness/README.md): a TUN device, or a veth pair whose other end is
  // an AF_PACKET socket in a second namespace.
  TransportKind transport = TransportKind::kTun;
  // Name of the kernel's interface inside the namespace (the TUN device or the veth end).
  std::string device_name = "tcpc0";
};

// The kernel's sockets live on 192.0.2.1 / 2001:db8::1 (the interface's addresses); the
// injected peer is 192.0.2.2 / 2001:db8::2, routed out of the interface. Two kernel sockets
// can also talk to each other on 192.0.2.1 (through loopback; its route has quickack too).
//
// Thread-safety: one LinuxSut per thread (each owns its namespace); a LinuxSut may move
// between threads that share the network namespace of the thread that created it. The calling
// thread is switched into the SUT's namespace only for the duration of socket() and of sysctl
// writes, and always switched back; everything else uses descriptors bound to the namespace.
//
// Processes: calls with SocketCall::process != 0 run in a forked child process (created on its
// first call, in the namespace, owning its descriptors); kExitProcess kills it with SIGINT and
// waits, so its sockets are closed exactly as when a real program dies. kExitProcess for process
// 0 (this process) closes every process-0 descriptor in ascending script-fd order.
//
// Script descriptors: kSocket and kAccept return the lowest free script fd >= 3 of the calling
// process (what Linux would return in a fresh process); SocketCall::fd names script fds; an
// unknown fd fails with EBADF without touching any real descriptor.
class LinuxSut final : public SystemUnderTest {
 public:
  // Creates the namespace, the transport, addresses, routes and the settings profile.
  // Error::missing_privilege when namespaces, /dev/net/tun (tun) or packet sockets (packet)
  // are not available.
  [[nodiscard]] static Result<std::unique_ptr<LinuxSut>> create(
      const LinuxSutOptions& options = {});
  ~LinuxSut() override;

  [[nodiscard]] std::string name() const override;
  [[nodiscard]] Addresses addresses(wire::IpVersion version) const override;
  [[nodiscard]] Result<void> inject(const wire::Segment& segment) override;
  // Also learns initial values (see initial_values()). Packets that are not TCP (ICMPv6, MLD)
  // are skipped.
  [[nodiscard]] Result<std::vector<wire::Segment>> collect() override;
  [[nodiscard]] Result<model::CallResult> call(const model::SocketCall& call) override;
  // Sleeps for `d` (kernel timers run in real time).
  [[nodiscard]] Result<void> advance(Duration d) override;
  // Every TCP socket of the namespace except CLOSED ones: listeners, request sockets
  // (SYN-RECEIVED), connections, orphans and TIME-WAIT, IPv4 and IPv6, sorted by tuple.
  [[nodiscard]] Result<std::vector<model::ConnectionObservation>> observe() override;
  [[nodiscard]] Result<void> configure(const Settings& settings) override;
  // Kills child processes, SOCK_DESTROYs every socket (by cookie), closes every descriptor,
  // undoes configure(), drains the transport and forgets learned values.
  [[nodiscard]] Result<void> reset() override;

  // The current value of a setting key (a namespaced sysctl or a route pseudo-key).
  [[nodiscard]] Result<std::string> read_setting(const std::string& key) const;
  // ISN and first TSval the kernel chose for a connection, keyed by its kernel-side tuple,
  // learned from what collect() returned since the last reset().
  [[nodiscard]] const InitialValueTracker& initial_values() const;
  // A port not handed out since this SUT was created (cycling through 10000-32767, below the
  // namespace's ephemeral range 32768-60999), for engines that remap a script's ports so that
  // consecutive programs never share a four-tuple.
  [[nodiscard]] std::uint16_t fresh_port();
  // Always fresh_port(): the namespace keeps TIME-WAIT and orphans across reset().
  [[nodiscard]] std::uint16_t program_port(std::uint16_t script_port) override;

  struct Impl;

 private:
  explicit LinuxSut(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcpconform::harness
