// Runs a Program on the reference model and, in lockstep, on a real system under test.
#pragma once

#include <cstdint>

#include "tcpconform/engine/program.h"
#include "tcpconform/engine/result.h"
#include "tcpconform/harness/environment.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/harness/sut.h"

namespace tcpconform::engine {

struct RunOptions {
  wire::IpVersion version = wire::IpVersion::kV4;
  // Ports the program uses on the wire (the kernel needs fresh ones per program).
  std::uint16_t stack_port = 8080;
  std::uint16_t peer_port = 40000;
  // Wait out every gap of the script on the real stack, as packetdrill does. Otherwise a gap
  // is waited only when the model says a timer fires inside it (the scenario is about a timer).
  bool real_time = false;
  // The environment the program runs in: the model lane is configured with it before the
  // program's own settings (a real stack was made in it: see the CLI's stacks).
  harness::Environment environment = harness::bench_environment();
};

// Plays `program` on `model` and, when given, on `sut`, step by step:
// - both lanes check every expectation of the script;
// - after each step the connections' states (with Recv-Q/Send-Q and orphan status) of the two
//   lanes are compared, and the first difference is the scenario's divergence;
// - the model's rules and state-diagram edges are recorded as coverage.
// The returned verdict is kPass only when every lane passed and nothing diverged; kError when a
// harness failed (the summary says why).
[[nodiscard]] ScenarioResult run_scenario(const Program& program, harness::ModelSut& model,
                                          harness::SystemUnderTest* sut, const RunOptions& options);

}  // namespace tcpconform::engine
