// Recording what a campaign found: a divergence minimised, explained, written and replayed; a
// crash of the stack minimised while it crashes the same way; a model abort written as it came.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tcpconform/campaign/campaign.h"
#include "tcpconform/campaign/finding.h"
#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/harness/sut.h"

namespace tcpconform::campaign {

using Clock = std::chrono::steady_clock;

// A divergence to record: the program's first, or one found by judging on (judge_on.h).
struct Candidate {
  engine::explore::Signature signature;
  std::string key;                 // what it is filed under (Finding::key)
  std::string profile;             // the spec of the profile that diverged
  std::vector<model::Rule> rules;  // judged on: the explaining fields' rules applied there
};

// What one worker records with.
struct Recorder {
  const CampaignOptions& options;
  harness::SystemUnderTest& stack;
  // With a profile other than linux: a linux-profile model standing in for the stack (quick
  // minimisation of explained divergences), and the linux-profile model against the stack.
  harness::SystemUnderTest* stand_in = nullptr;
  engine::explore::Bench* explainer = nullptr;
  Clock::time_point stop_minimising;  // past it, candidates count as lost

  // Minimises a fresh divergence, writes its reproducer and checks that the file replays to the
  // same signature. Nullopt when a re-run of the program does not diverge the same way
  // (timing): nothing is written then.
  [[nodiscard]] std::optional<Finding> divergence(const engine::explore::Generated& g,
                                                  const engine::explore::Trial& trial,
                                                  const Candidate& c) const;
  // The stack died under `g` (trial.stack_crashed): its program, minimised step by step while
  // the stack crashes at the same site, is the reproducer.
  [[nodiscard]] StackCrash crash(engine::explore::Bench& bench, const engine::explore::Generated& g,
                                 const engine::explore::Trial& trial,
                                 const std::string& slug) const;
  // The model aborted (in its helper process) on `g`.
  [[nodiscard]] ModelAbort abort(const engine::explore::Generated& g,
                                 const std::string& message) const;
};

}  // namespace tcpconform::campaign
