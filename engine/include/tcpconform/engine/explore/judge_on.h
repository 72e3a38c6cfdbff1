// Judging a program on after a divergence the reference profile explains.
//
// A campaign with the rfc9293 profile against Linux diverges early in almost every program (a
// request socket at the first SYN, the window Linux offers, …), and a program stops counting at
// its first divergence: the Linux deviations further on would stay hidden behind it. So after
// a divergence, the profile under test adopts the reference profile's fields that explain the
// divergent step (a 1-minimal set, found by delta debugging over the fields that differ), and
// the program is judged again from the start; the next divergence is a deviation of its own.
//
// Everything here runs model against model (the reference profile stands in for the stack,
// whose behaviour it documents), so a chain costs a few milliseconds. The caller confirms a
// link against the real stack before reporting it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/engine/program.h"
#include "tcpconform/harness/environment.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/model/deviations.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::engine::explore {

// One divergence of the chain.
struct Link {
  Signature signature;  // how the profile diverged (its `deviations` left empty)
  std::size_t step = 0;
  // The fields the profile had adopted when it diverged here: the profile to replay it with
  // is the base plus these (model::hybrid_spec()).
  std::vector<const model::Deviation*> adopted;
  // The reference's fields that explain the step; empty when even the whole reference profile
  // does not get past it (the chain ends there).
  std::vector<const model::Deviation*> explained_by;
  // False when the run budget ran out before `explained_by` was 1-minimal: it then holds more
  // fields than explain the step (the chain ends there).
  bool minimal = true;
  // The rules of those fields that the explaining profile applied at the step (what Linux did
  // there, by catalog id); their whole rule lists when the step applied none of them.
  std::vector<model::Rule> rules;
};

struct Chain {
  std::vector<Link> links;
  std::size_t runs = 0;  // model-against-model runs it took
};

// Fields that explained earlier links, most frequent first: tried alone before the search.
class DeviationHints {
 public:
  void count(const std::vector<const model::Deviation*>& explained);
  [[nodiscard]] std::vector<const model::Deviation*> top(std::size_t n) const;

 private:
  std::vector<std::pair<const model::Deviation*, std::size_t>> counts_;
};

struct JudgeOnLimits {
  std::size_t max_links = 8;
  std::size_t max_runs = 400;  // model-against-model runs take tens of microseconds
};

// Runs `program` with `base` against `reference` (a stand-in for the stack: a ModelSut with
// `reference_profile` made in `environment`, see harness::model_stand_in()) and judges on after
// each divergence.
[[nodiscard]] Chain judge_on(
    const Program& program, const model::Profile& base, const model::Profile& reference_profile,
    harness::SystemUnderTest& reference, DeviationHints& hints, const JudgeOnLimits& limits = {},
    const harness::Environment& environment = harness::bench_environment());

}  // namespace tcpconform::engine::explore
