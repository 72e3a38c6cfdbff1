// The system-under-test interface: one TCP stack driven by crafted segments and socket calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "tcpconform/model/call.h"
#include "tcpconform/model/observation.h"
#include "tcpconform/wire/address.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::harness {

// A failure of the harness itself (not a protocol outcome): which step, and errno when the OS
// reported one. Exit code 77 when `missing_privilege` (no namespaces, no TUN).
struct Error {
  std::string step;     // "open /dev/net/tun", "inject", …
  std::string message;  // what went wrong, for a person
  int os_error = 0;     // errno, when the OS reported it
  bool missing_privilege = false;
  // The stack itself died (lwIP aborting on one of its LWIP_ASSERTs): a finding about the stack,
  // not a failure of the harness. to_string() ends with kStackCrashedMarker then.
  bool stack_crashed = false;

  [[nodiscard]] std::string to_string() const;
};

// How Error::to_string() marks a crash of the stack under test, so that a ScenarioResult's
// summary still says so after the Error itself is gone.
inline constexpr const char* kStackCrashedMarker = "[stack crashed]";

template <typename T>
using Result = tl::expected<T, Error>;

using Duration = std::chrono::microseconds;

// Per-namespace knobs (sysctl names under /proc/sys/net/ipv4 without the "tcp_" prefix mapping
// is not assumed: keys are the full sysctl path below /proc/sys, e.g. "net/ipv4/tcp_fin_timeout").
using Settings = std::map<std::string, std::string>;

// The addresses a program uses: the stack's sockets live on `local`, the injected peer is `peer`.
struct Addresses {
  wire::IpAddress local;
  wire::IpAddress peer;
};

class SystemUnderTest {
 public:
  SystemUnderTest() = default;
  SystemUnderTest(const SystemUnderTest&) = delete;
  SystemUnderTest& operator=(const SystemUnderTest&) = delete;
  SystemUnderTest(SystemUnderTest&&) = delete;
  SystemUnderTest& operator=(SystemUnderTest&&) = delete;
  virtual ~SystemUnderTest() = default;

  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual Addresses addresses(wire::IpVersion version) const = 0;

  // Hands one segment from the peer to the stack; the stack processes it before this returns
  // wherever the stack is synchronous.
  [[nodiscard]] virtual Result<void> inject(const wire::Segment& segment) = 0;
  // Every segment the stack has sent since the last collect(), in order.
  [[nodiscard]] virtual Result<std::vector<wire::Segment>> collect() = 0;
  // One socket call on the stack; the protocol outcome (errno) is in the CallResult.
  [[nodiscard]] virtual Result<model::CallResult> call(const model::SocketCall& call) = 0;
  // Lets `d` pass: virtual time for in-process stacks, a real wait for the kernel.
  [[nodiscard]] virtual Result<void> advance(Duration d) = 0;
  // Every TCP connection and listener of the stack, orphans and TIME-WAIT included.
  [[nodiscard]] virtual Result<std::vector<model::ConnectionObservation>> observe() = 0;
  // Applies per-program settings (see Settings); unknown keys are an error.
  [[nodiscard]] virtual Result<void> configure(const Settings& settings) = 0;
  // Forgets every socket and connection, ready for the next program.
  [[nodiscard]] virtual Result<void> reset() = 0;
  // True when advance() moves the stack's own clock without waiting (an in-process stack with
  // virtual time): the engine then plays every gap of a script through advance() instead of
  // sleeping, and polls for timer-driven segments with time_to_next_timer().
  [[nodiscard]] virtual bool virtual_time() const { return false; }
  // With virtual time: how far to advance() before the stack's next timer may fire (nothing
  // when no timer is pending).
  [[nodiscard]] virtual std::optional<Duration> time_to_next_timer() const { return std::nullopt; }
  // The port a program written with `script_port` is played on. A stack that keeps connections
  // of earlier programs after reset() (the kernel's TIME-WAIT and orphans) hands out a fresh
  // port each time, so that programs never share a tuple; others keep the script's port.
  [[nodiscard]] virtual std::uint16_t program_port(std::uint16_t script_port) {
    return script_port;
  }
};

}  // namespace tcpconform::harness
