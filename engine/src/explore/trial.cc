// Running one generated program on a bench and classifying what happened.
#include "tcpconform/engine/explore/trial.h"

#include "tcpconform/engine/runner.h"

namespace tcpconform::engine::explore {

ScenarioResult run_on_bench(Bench& bench, const Program& program) {
  RunOptions options;
  options.environment = bench.environment;
  if (bench.stack != nullptr) {
    options.stack_port = bench.stack->program_port(options.stack_port);
    options.peer_port = bench.stack->program_port(options.peer_port);
  }
  return run_scenario(program, *bench.model, bench.stack, options);
}

Trial run_trial(Bench& bench, const Program& program) {
  Trial t;
  t.result = run_on_bench(bench, program);
  t.harness_error = t.result.verdict == Verdict::kError;
  t.stack_crashed = t.result.error && t.result.error->stack_crashed;
  for (const LaneResult& lane : t.result.lanes) t.lane_failed = t.lane_failed || lane.mismatch;
  // The model's own view, step by step (run_scenario reset it; model_states does again).
  auto trace = model_trace(program, *bench.model, bench.environment);
  if (!trace) {
    t.harness_error = true;
    return t;
  }
  t.states = std::move(trace->states);
  t.rst = std::move(trace->rst);
  t.cells = cells_of(program, t.states);
  t.signature = signature_of(program, t.result, t.states);
  return t;
}

Oracle oracle_for(Bench& bench) {
  return [&bench](const Program& candidate) -> std::optional<Outcome> {
    Trial t = run_trial(bench, candidate);
    if (!t.signature || t.harness_error) return std::nullopt;
    return Outcome{*t.signature, t.result.divergence->step};
  };
}

}  // namespace tcpconform::engine::explore
