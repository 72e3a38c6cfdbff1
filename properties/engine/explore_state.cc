// The exploration commands: what each one appends, when it is valid, and how it is judged.
#include "explore_state.h"

#include <fmt/core.h>

#include <cstdlib>
#include <iostream>

#include "differential.h"
#include "perturbation_gen.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::explore_props {
namespace {

// Whether two runs of steps say the same thing (source locations aside).
bool same_steps(const std::vector<engine::Step>& a, const std::vector<engine::Step>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].time != b[i].time || a[i].action != b[i].action) return false;
  }
  return true;
}

// Appends `steps` numbered as lines of `program` (a shrunk sequence moves them).
void append_steps(engine::Program& program, const std::vector<engine::Step>& steps) {
  for (engine::Step step : steps) {
    step.where.file = program.file;
    step.where.line = static_cast<std::uint32_t>(program.steps.size() + 1);
    program.steps.push_back(std::move(step));
  }
}

void show_steps(std::ostream& os, const std::vector<engine::Step>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    os << (i == 0 ? "" : "\n") << scenario::print_step(steps[i]);
  }
}

// Plays `program` on the bench and fails the property on what explore would report.
// EXPLORE_STATE_VERBOSE=1 prints every program before it is played.
void play(ExploreSut& sut, const engine::Program& program, std::size_t prefix_steps) {
  static const bool verbose = std::getenv("EXPLORE_STATE_VERBOSE") != nullptr;
  if (verbose) std::cerr << scenario::print(program) << "\n";
  ++sut.runs;
  const engine::explore::Trial trial = engine::explore::run_trial(sut.bench, program);
  if (const auto why = explore_steps::failure(prefix_steps, trial)) {
    RC_FAIL(fmt::format("{}\n\nreproducer:\n{}", *why,
                        explore_steps::reproducer(program, *why, sut.profile, sut.sut)));
  }
}

}  // namespace

Open::Open(const ExploreModel& s)
    : target_(*gen::any_of<engine::explore::Target>(engine::explore::kTargetCount)),
      route_(*rc::gen::resize(gen::kFullSize, rc::gen::inRange<std::uint8_t>(0, 4))) {
  RC_PRE(!s.opened);
  prefix_ = explore_steps::prefix(target_, route_);
}

void Open::checkPreconditions(const ExploreModel& s0) const {
  RC_PRE(!s0.opened);
}

void Open::apply(ExploreModel& s0) const {
  s0.opened = true;
  s0.program = prefix_;
  s0.prefix_steps = prefix_.steps.size();
  s0.basis = explore_steps::basis_after(prefix_);
}

void Open::run(const ExploreModel& /*s0*/, ExploreSut& sut) const {
  play(sut, prefix_, prefix_.steps.size());
}

void Open::show(std::ostream& os) const {
  os << "// open: " << engine::explore::to_string(target_) << ", route " << int{route_} << "\n";
  show_steps(os, prefix_.steps);
}

Perturb::Perturb(const ExploreModel& s) : perturbation_(*gen::perturbation()) {
  RC_PRE(s.opened);
  engine::Program program = s.program;
  after_ = s.basis;
  explore_steps::append(program, after_, perturbation_, s.limits);
  steps_.assign(program.steps.begin() + static_cast<std::ptrdiff_t>(s.program.steps.size()),
                program.steps.end());
}

void Perturb::checkPreconditions(const ExploreModel& s0) const {
  RC_PRE(s0.opened);
  engine::Program program = s0.program;
  explore_steps::Basis basis = s0.basis;
  explore_steps::append(program, basis, perturbation_, s0.limits);
  const std::vector<engine::Step> now(
      program.steps.begin() + static_cast<std::ptrdiff_t>(s0.program.steps.size()),
      program.steps.end());
  RC_PRE(same_steps(now, steps_) && basis == after_);
}

void Perturb::apply(ExploreModel& s0) const {
  append_steps(s0.program, steps_);
  s0.basis = after_;
}

void Perturb::run(const ExploreModel& s0, ExploreSut& sut) const {
  engine::Program program = s0.program;
  append_steps(program, steps_);
  play(sut, program, s0.prefix_steps);
}

void Perturb::show(std::ostream& os) const {
  os << "// " << explore_steps::describe(perturbation_);
  if (!steps_.empty()) os << "\n";
  show_steps(os, steps_);
}

}  // namespace tcpconform::explore_props
