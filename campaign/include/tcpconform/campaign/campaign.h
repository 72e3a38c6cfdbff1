// One campaign engine for `explore` and `matrix`: workers (one stack each, made before any thread
// starts), generated programs, the model in a helper process, trials, judging on past explained
// divergences, de-duplication, minimised and replayed reproducers, and the counts a summary
// needs. The commands only choose options and present the result.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "tcpconform/campaign/finding.h"
#include "tcpconform/engine/explore/coverage.h"
#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/harness/environment.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/model/rules.h"

namespace tcpconform::campaign {

// What the live progress line shows (CampaignOptions::progress).
struct Progress {
  double elapsed_seconds = 0;
  std::uint64_t programs = 0;
  std::uint64_t steps = 0;
  std::size_t states = 0;       // states reached
  std::size_t cells = 0;        // (state × event class) cells reached
  std::size_t rules = 0;        // catalog rules applied
  std::size_t divergences = 0;  // distinct keys seen (some may not confirm)
  bool final = false;           // the last call, after the workers stopped
};

// A worker's benches, for observers: the profile under test against the stack, and (with a
// profile other than linux) a linux-profile model against the same stack.
struct WorkerView {
  engine::explore::Bench& bench;
  engine::explore::Bench* explainer = nullptr;
};

// What a command adds to the engine. Called on worker threads, concurrently: implementations
// lock what they share.
class Observer {
 public:
  Observer() = default;
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;
  Observer(Observer&&) = delete;
  Observer& operator=(Observer&&) = delete;
  virtual ~Observer() = default;

  // A program that ran to its end on the model and the stack (no crash, harness error, model
  // abort or prefix failure).
  virtual void program(const WorkerView& /*view*/, const engine::explore::Generated& /*g*/,
                       const engine::explore::Trial& /*trial*/) {}
  // The key the program's divergence `signature` is filed under: candidates with one key are
  // one finding (see Finding::key).
  [[nodiscard]] virtual std::string key(const engine::explore::Generated& /*g*/,
                                        const engine::explore::Trial& /*trial*/,
                                        const engine::explore::Signature& signature) {
    return signature.slug();
  }
  // A finding was recorded (minimised, written, replayed).
  virtual void recorded(const Finding& /*finding*/) {}
};

struct CampaignOptions {
  std::string command = "explore";  // names reproducers' headers ("// tcpconform explore: …")
  std::string profile = "linux";    // the profile spec under test (model/deviations.h)
  std::string sut = "linux";        // the stack as the user named it, for replay commands
  unsigned jobs = 1;                // workers, one stack each
  std::uint64_t seed = 1;           // worker k generates from mix_seed(seed, k)
  double seconds = 60;
  std::uint64_t max_programs = 0;  // 0: only `seconds` bounds the campaign
  // Run each program on the model in a helper process first, so a model invariant abort is a
  // finding and not the campaign's end (model_isolation.h).
  bool isolate = true;
  // With a profile other than linux: judge on past each divergence the linux profile explains
  // (engine/explore/judge_on.h), so each later Linux departure is a finding of its own.
  bool judge_on = true;
  // Where reproducers (<key>.pkt, model-abort-*.pkt, stack-crash-*.pkt) and the workers'
  // in-flight programs (inflight-N.pkt, removed at the end) are written. Must exist.
  std::filesystem::path out;
  harness::Environment environment = harness::bench_environment();
  std::vector<Finding> previous;                  // --resume: known already, not reported again
  std::function<void(const Progress&)> progress;  // about once a second, and once at the end
  Observer* observer = nullptr;
};

struct CampaignResult {
  std::string stack_name;  // the stack's own name ("linux 6.18.44", "lwIP 2.1.3")
  unsigned jobs = 0;
  double seconds = 0;
  std::uint64_t programs = 0;
  std::uint64_t steps = 0;
  std::int64_t waited_us = 0;  // real waits for the stack's timers
  std::uint64_t lane_failures = 0;
  std::vector<std::string> lane_failure_examples;  // the first few
  std::uint64_t harness_errors = 0;
  std::uint64_t judged_programs = 0;  // programs judged on past a first divergence
  std::uint64_t judge_runs = 0;       // their model-against-model runs
  std::int64_t judge_us = 0;
  std::vector<Finding> findings;  // CampaignOptions::previous first, then this campaign's
  std::uint64_t new_findings = 0;
  std::vector<ModelAbort> model_aborts;   // one per slug, by slug
  std::vector<StackCrash> stack_crashes;  // one per slug, by slug
  // Keys that diverged but never reproduced when minimised (three tries each): key → tries.
  std::map<std::string, int> unconfirmed;
  engine::explore::CellSet cells;
  model::RuleSet rules;

  // New divergences, model aborts or stack crashes: the command's exit code is 1.
  [[nodiscard]] bool found_something() const {
    return new_findings > 0 || !model_aborts.empty() || !stack_crashes.empty();
  }
};

struct CampaignError {
  std::string message;
  bool missing_privilege = false;  // exit code 77
};

// Makes one stack; called `jobs` times before any worker thread starts (without root, entering
// a user namespace needs a single-threaded process).
using StackFactory = std::function<harness::Result<std::unique_ptr<harness::SystemUnderTest>>()>;

[[nodiscard]] tl::expected<CampaignResult, CampaignError> run_campaign(
    const CampaignOptions& options, const StackFactory& make_stack);

}  // namespace tcpconform::campaign
