// Generated programs for exploration: a prefix that drives one connection into a chosen state,
// then random perturbations (segments, socket calls, time) whose outcome nobody wrote down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tcpconform/engine/program.h"

namespace tcpconform::engine::explore {

// The state a program's prefix drives the stack's connection into. Both open directions and
// simultaneous open and close are covered.
enum class Target : std::uint8_t {
  kListen,             // listen(): the listener alone
  kSynSent,            // connect(): our SYN sent
  kSynReceived,        // listener + peer SYN, our SYN,ACK sent (request socket)
  kSynReceivedActive,  // simultaneous open: SYN-SENT + peer SYN, our SYN,ACK sent
  kEstablished,        // passive open, accepted
  kEstablishedActive,  // active open, SYN,ACK acknowledged
  kFinWait1,           // ESTABLISHED, then shutdown(WR) or close(): our FIN sent
  kFinWait2,           // FIN-WAIT-1, our FIN acknowledged
  kCloseWait,          // ESTABLISHED, peer FIN received and acknowledged
  kLastAck,            // CLOSE-WAIT, then shutdown(WR) or close(): our FIN sent
  kClosing,            // simultaneous close: FIN-WAIT-1 + peer FIN not acking ours
  kTimeWait,           // FIN-WAIT-2 + peer FIN
};
inline constexpr int kTargetCount = 12;

std::string_view to_string(Target t);

// The stack's initial receive window with a peer MSS of 1460 and no window scaling (Linux
// tcp_select_initial_window: 65535 rounded down to 44 × 1460; the model's Choices agree).
inline constexpr std::uint32_t kNominalWindow = 64240;
// The peer's window, and MSS option on its SYNs.
inline constexpr std::uint16_t kPeerWindow = 65535;
inline constexpr std::uint16_t kPeerMss = 1460;

struct GeneratorOptions {
  // Perturbation steps after the prefix: uniformly in [min, max].
  std::size_t min_perturbations = 1;
  std::size_t max_perturbations = 8;
  // Percentage of programs that may let time pass, and their total `//@ advance` time (the
  // kernel really waits it, so timer programs dominate a campaign's wall time).
  unsigned timer_program_percent = 2;
  std::int64_t max_advance_us = 1'000'000;
  // Percentages of perturbation steps that are socket calls and time advances; the rest are
  // inbound segments (a tenth of them duplicates of an earlier one).
  unsigned call_percent = 22;
  // Percentage of programs whose segments carry timestamps (so TS is negotiated, and PAWS,
  // TS.Recent, a SYN,ACK's TSecr and segments without TS come into play).
  unsigned timestamp_program_percent = 25;
  unsigned advance_percent = 25;  // of the steps of a timer program
};

// One generated program. Steps [0, prefix_steps) are the prefix: they carry `<...>`-tolerant
// expectations and pass on the model and on Linux. Later steps have no expectations at all
// (calls are `= ...`, no `>` lines): only the differential state comparison judges them.
struct Generated {
  Program program;
  Target target = Target::kEstablished;
  std::size_t prefix_steps = 0;
  std::uint64_t seed = 0;  // generate(seed) rebuilds exactly this program
};

// The program of one seed: a pure function of (seed, options); the target is drawn from the seed.
// IPv4 script space (the stack is 192.0.2.1:8080, the peer 192.0.2.2:40000 with its ISN at relative
// 0), peer SYNs carry <mss 1460> (and TS in timestamp programs), so window scaling is never
// negotiated.
[[nodiscard]] Generated generate(std::uint64_t seed, const GeneratorOptions& options = {});
// The same with the target forced (tests; coverage of every state): generate(seed, target)
// rebuilds it.
[[nodiscard]] Generated generate(std::uint64_t seed, Target target,
                                 const GeneratorOptions& options = {});

// A reproducible stream of programs: program k is generate(mix_seed(seed, k)).
class Generator {
 public:
  explicit Generator(std::uint64_t seed, GeneratorOptions options = {})
      : seed_(seed), options_(options) {}
  [[nodiscard]] Generated next();
  [[nodiscard]] std::uint64_t count() const { return count_; }

 private:
  std::uint64_t seed_;
  GeneratorOptions options_;
  std::uint64_t count_ = 0;
};

}  // namespace tcpconform::engine::explore
