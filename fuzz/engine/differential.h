// One differential run of a program, judged the way `tcpconform explore` judges it: the engine's
// run_scenario() on the model and the stack, its state comparison after every step, and the
// explore signature of a divergence. Shared by the rc::state property and the fuzzers, so that a
// property failure, a fuzzer crash and an explore finding mean the same thing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/engine/program.h"

namespace tcpconform::explore_steps {

// Why a run fails, empty when it passes. It fails when
// - the engine reports a divergence (the model and the stack disagree on a connection's state,
//   Recv-Q, Send-Q or orphan status after some step);
// - a harness failed (the run could not be judged);
// - a lane departed from the prefix's expectations (the prefix promises a state on both);
// - after the prefix, one lane departed from the script and the other did not, or at another
//   step (the only expectations left are that blocking calls return: the lanes disagree on it).
[[nodiscard]] std::optional<std::string> failure(std::size_t prefix_steps,
                                                 const engine::explore::Trial& trial);

// A reproducer script: `why` as comments, the replay command, then the program.
[[nodiscard]] std::string reproducer(const engine::Program& program, const std::string& why,
                                     const std::string& profile, const std::string& sut);

}  // namespace tcpconform::explore_steps
