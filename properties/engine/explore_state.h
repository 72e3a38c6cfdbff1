// The exploration as a RapidCheck state machine (rc::state): the model is the program so far
// (its prefix, its steps and the nominal sequence space they leave behind), the system under test
// is a bench of the reference model beside a stack. Commands are exploration steps: Open drives
// the connection into one of the explore generator's twelve target states (every state of the
// diagram, both open directions, simultaneous open and close); Perturb appends one symbolic
// perturbation (fuzz/engine/perturbation.h: segments with any flags at the window edges and
// across the 2^32 wrap, data on SYN and FIN, duplicates, calls at odd moments, time across
// timers). Each command's run() plays the whole program so far on the bench with the engine's
// run_scenario() and fails on what `tcpconform explore` would report (differential.h), so a
// counterexample is a divergence; each command's show() prints its script lines, so the shrunk
// counterexample is a packetdrill script.
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "perturbation.h"
#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/engine/program.h"

namespace tcpconform::explore_props {

struct ExploreModel {
  explore_steps::Limits limits;
  bool opened = false;
  engine::Program program;
  std::size_t prefix_steps = 0;
  explore_steps::Basis basis;
};

struct ExploreSut {
  engine::explore::Bench bench;
  std::string profile = "linux";  // for the reproducer's replay line
  std::string sut = "model";
  std::size_t runs = 0;  // programs played (for the property's statistics)
};

using ExploreCommand = rc::state::Command<ExploreModel, ExploreSut>;

// Drives the connection into a state: the explore generator's prefix for a target and route.
class Open : public ExploreCommand {
 public:
  explicit Open(const ExploreModel& s);
  void checkPreconditions(const ExploreModel& s0) const override;
  void apply(ExploreModel& s0) const override;
  void run(const ExploreModel& s0, ExploreSut& sut) const override;
  void show(std::ostream& os) const override;

 private:
  engine::explore::Target target_;
  std::uint8_t route_ = 0;
  engine::Program prefix_;
};

// One perturbation, resolved against the program so far. It is valid only where it still
// resolves to the same script lines, so when shrinking removes an earlier step RapidCheck
// regenerates it from the same random choices: the symbol ("right edge − 1") is what is kept.
class Perturb : public ExploreCommand {
 public:
  explicit Perturb(const ExploreModel& s);
  void checkPreconditions(const ExploreModel& s0) const override;
  void apply(ExploreModel& s0) const override;
  void run(const ExploreModel& s0, ExploreSut& sut) const override;
  void show(std::ostream& os) const override;

 private:
  explore_steps::Perturbation perturbation_;
  std::vector<engine::Step> steps_;  // what it appends (may be none: see append())
  explore_steps::Basis after_;
};

// The commands' generator for rc::state::check.
inline auto commands() {
  return rc::state::gen::execOneOfWithArgs<Open, Perturb, Perturb, Perturb, Perturb>();
}

}  // namespace tcpconform::explore_props
