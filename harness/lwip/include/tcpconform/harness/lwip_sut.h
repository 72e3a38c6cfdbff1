// lwIP behind the SystemUnderTest interface. lwIP keeps one global stack per process, so the stack
// runs in a child process of its own (tcpconform-lwip-host) and LwipSut is a thin client that talks
// to it over a socketpair: every LwipSut has its own lwIP, and a worker thread can own one. When
// lwIP aborts on one of its own LWIP_ASSERTs, the call in progress returns an Error with
// `stack_crashed` set and the assertion's text; reset() starts a fresh host.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness {

struct LwipSutOptions {
  // How lwIP's virtual clock moves. kReal: it follows the steady clock between requests (and
  // advance() adds to it without waiting), so the engine treats lwIP like the kernel and waits
  // only where a timer is what a step is about. kVirtual: only advance() moves it (tests).
  enum class Clock : std::uint8_t { kReal, kVirtual };
  Clock clock = Clock::kReal;
  // The host program; empty: $TCPCONFORM_LWIP_HOST, then next to the running executable, then
  // the build tree's.
  std::string host_path;
  // A host that does not answer within this long is killed and reported as crashed.
  std::chrono::milliseconds answer_timeout{10'000};
};

class LwipSut final : public SystemUnderTest {
 public:
  // Starts the host process; an Error says why not (no host program: built without lwIP).
  [[nodiscard]] static Result<std::unique_ptr<LwipSut>> create(LwipSutOptions options = {});
  ~LwipSut() override;

  [[nodiscard]] std::string name() const override;
  // IPv4: the stack is 192.0.2.1 and the peer 192.0.2.2, as for the kernel. lwIP is driven in
  // IPv4 only: IPv6 segments and sockets are refused.
  [[nodiscard]] Addresses addresses(wire::IpVersion version) const override;
  [[nodiscard]] Result<void> inject(const wire::Segment& segment) override;
  [[nodiscard]] Result<std::vector<wire::Segment>> collect() override;
  [[nodiscard]] Result<model::CallResult> call(const model::SocketCall& call) override;
  [[nodiscard]] Result<void> advance(Duration d) override;
  [[nodiscard]] Result<std::vector<model::ConnectionObservation>> observe() override;
  // Keys: `lwip/quickack` (1, the default: ACKs lwIP delays are sent at once after each step,
  // like the kernel harness's quickack route; 0: they wait for lwIP's 250 ms fast timer). Every
  // other key is a kernel sysctl lwIP has no counterpart for: accepted and listed in
  // ignored_settings(), since lwIP's timers and limits are compile-time constants.
  [[nodiscard]] Result<void> configure(const Settings& settings) override;
  [[nodiscard]] Result<void> reset() override;
  // With Clock::kVirtual the engine advances lwIP's clock through every gap instead of waiting.
  [[nodiscard]] bool virtual_time() const override {
    return options_.clock == LwipSutOptions::Clock::kVirtual;
  }
  // lwIP runs all of its TCP timers from tcp_tmr() every TCP_TMR_INTERVAL (250 ms); the next
  // one is never further away than that.
  [[nodiscard]] std::optional<Duration> time_to_next_timer() const override;

  [[nodiscard]] const std::vector<std::string>& ignored_settings() const { return ignored_; }
  // lwIP's version as the host reports it ("2.1.3").
  [[nodiscard]] const std::string& version() const { return version_; }
  [[nodiscard]] pid_t host_pid() const { return pid_; }
  // Tests: makes lwIP fail one of its own assertions (tcp_recved() on a listener).
  [[nodiscard]] Result<void> trip_assert();

 private:
  explicit LwipSut(LwipSutOptions options) : options_(std::move(options)) {}
  [[nodiscard]] Result<void> spawn();
  void stop();
  [[nodiscard]] Error crashed(const std::string& step);
  [[nodiscard]] Result<std::vector<std::uint8_t>> request(std::uint8_t op,
                                                          const std::vector<std::uint8_t>& payload,
                                                          const std::string& step);

  LwipSutOptions options_;
  std::string host_path_;
  std::string version_;
  pid_t pid_ = -1;
  int sock_ = -1;
  int output_ = -1;             // the host's stdout and stderr
  std::optional<Error> crash_;  // set once the host died; cleared by reset()
  std::chrono::steady_clock::time_point last_request_;
  std::vector<std::string> ignored_;
};

}  // namespace tcpconform::harness
