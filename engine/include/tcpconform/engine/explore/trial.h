// One exploration trial: a generated program run on the model and a stack, classified (prefix
// failure, divergence signature, coverage), and the minimiser's oracle built from the same run.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "tcpconform/engine/explore/coverage.h"
#include "tcpconform/engine/explore/minimise.h"
#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/engine/result.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/harness/sut.h"

namespace tcpconform::engine::explore {

// What one worker drives: the model (the profile under test) and the stack beside it (which
// chooses the ports each program is played on: see SystemUnderTest::program_port()).
struct Bench {
  harness::ModelSut* model = nullptr;
  harness::SystemUnderTest* stack = nullptr;
  // The environment the stack was made in; the model lane is configured with it.
  harness::Environment environment = harness::bench_environment();
};

struct Trial {
  ScenarioResult result;
  std::vector<model::State> states;  // the model's state before each step (model_states())
  std::vector<std::optional<RstPosition>> rst;  // per step: where an inbound RST fell
  CellSet cells;                                // (state × event class) cells the program reached
  std::optional<Signature> signature;
  // A lane departed from the script. In the prefix this means the prefix did not hold on that
  // lane (the kernel chose differently); after it, that a generated step was not expected at all.
  bool lane_failed = false;
  bool harness_error = false;  // verdict kError: the summary says why
  // The stack under test died (result.error->stack_crashed): a finding, not a harness failure.
  bool stack_crashed = false;
};

// Runs `program` on the bench's model and stack, on ports the stack chooses (program_port()).
[[nodiscard]] ScenarioResult run_on_bench(Bench& bench, const Program& program);

// Runs `program` on the bench and classifies it.
[[nodiscard]] Trial run_trial(Bench& bench, const Program& program);

// The oracle minimise() needs: run the candidate on the bench and report its divergence.
[[nodiscard]] Oracle oracle_for(Bench& bench);

}  // namespace tcpconform::engine::explore
