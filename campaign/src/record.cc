// Recording what a campaign found (record.h).
#include "record.h"

#include <fmt/core.h>

#include "tcpconform/campaign/files.h"
#include "tcpconform/engine/explore/minimise.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/deviations.h"
#include "tcpconform/scenario/parse.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::campaign {
namespace ex = engine::explore;
namespace fs = std::filesystem;

namespace {

// The linux profile explains a divergence when its model matches the stack throughout.
bool explains(const ex::Trial& t) {
  return !t.signature && !t.lane_failed && !t.harness_error;
}

void report_write_error(const tl::expected<void, std::string>& written) {
  if (!written) fmt::print(stderr, "\ntcpconform: {}\n", written.error());
}

}  // namespace

std::optional<Finding> Recorder::divergence(const ex::Generated& g, const ex::Trial& trial,
                                            const Candidate& c) const {
  harness::ModelSut model(model::profile_from_spec(c.profile).value());
  ex::Bench bench{&model, &stack, options.environment};
  const ex::Signature target = c.signature.bare();
  Finding f;
  f.signature = c.signature;
  f.key = c.key;
  f.profile = c.profile;
  for (const model::Rule r : c.rules) f.linux_rules.emplace_back(model::to_string(r));
  f.seed = g.seed;
  f.target = std::string(ex::to_string(g.target));
  f.steps_before = g.program.steps.size();
  const ex::Oracle run = ex::oracle_for(bench);
  const ex::Oracle bounded = [&](const engine::Program& p) -> std::optional<ex::Outcome> {
    if (Clock::now() > stop_minimising) return std::nullopt;
    return run(p);
  };
  // A divergence the linux profile model explains is first minimised against that model
  // (microseconds a run) and kept when the result diverges the same way on the stack.
  std::optional<ex::Minimised> quick;
  if (stand_in != nullptr && !c.signature.deviations.empty()) {
    ex::Bench on_model{&model, stand_in, options.environment};
    quick = ex::minimise(g.program, g.prefix_steps, target, ex::oracle_for(on_model), 200);
    if (!quick->reproduced || ex::run_trial(bench, quick->program).signature != target) {
      quick.reset();
    }
  }
  const ex::Minimised m =
      quick ? *quick : ex::minimise(g.program, g.prefix_steps, target, bounded, 100);
  if (!m.reproduced) return std::nullopt;
  const engine::Program& best = m.program;
  f.steps_after = best.steps.size();
  f.minimise_runs = m.runs;
  f.file = (options.out / (c.key + ".pkt")).string();
  // Details from a run of the minimised program (should it not diverge as expected, the first
  // candidate's details are the trial's).
  const ex::Trial final_trial = ex::run_trial(bench, best);
  const ex::Trial& shown =
      final_trial.signature != target && trial.signature == target ? trial : final_trial;
  if (shown.result.divergence) {
    const engine::Divergence& d = *shown.result.divergence;
    if (!d.diffs.empty()) {
      f.model_side = fmt::format("{} {}", d.diffs.front().field, d.diffs.front().expected);
      f.stack_side = d.diffs.front().actual;
    }
    for (const model::Rule r : d.rules) f.rules.emplace_back(model::to_string(r));
  }
  if (explainer != nullptr) {
    // One of kReplays runs on the stack must match throughout (a single run can miss by the
    // stack's timing under load).
    ex::Trial linux_run = ex::run_trial(*explainer, best);
    for (int k = 1; k < kReplays && !explains(linux_run); ++k) {
      linux_run = ex::run_trial(*explainer, best);
    }
    if (explains(linux_run)) {
      f.explained_by = model::describe(model::named(c.signature.deviations));
      if (f.explained_by.empty()) {
        std::string ids;
        linux_run.result.rules.for_each([&](model::Rule r) {
          if (!shown.result.rules.contains(r))
            ids += fmt::format("{}{}", ids.empty() ? "" : " ", model::to_string(r));
        });
        f.explained_by = ids.empty() ? "(same rules)" : "rules " + ids;
      }
    }
  }
  const std::string text = reproducer_text(f, options.command, options.profile, options.sut, best);
  if (auto w = write_text(f.file, text); !w) {
    report_write_error(w);
    return f;
  }
  // The file itself, parsed back, must diverge the same way, every time (kReplays runs).
  if (auto parsed = scenario::parse(text, f.file)) {
    for (int k = 0; k < kReplays; ++k) {
      f.replayed += ex::run_trial(bench, *parsed).signature == target ? 1 : 0;
    }
  }
  f.replays = f.replayed == kReplays;
  return f;
}

StackCrash Recorder::crash(ex::Bench& bench, const ex::Generated& g, const ex::Trial& trial,
                           const std::string& slug) const {
  StackCrash c;
  c.slug = slug;
  c.message = trial.result.summary;
  c.file = (options.out / (slug + ".pkt")).string();
  c.steps_before = g.program.steps.size();
  // Greedy removal of perturbation steps while the stack still crashes at the same site
  // (a crash has no divergence signature for minimise()).
  engine::Program program = g.program;
  for (std::size_t i = program.steps.size(); i-- > g.prefix_steps;) {
    if (Clock::now() > stop_minimising) break;
    engine::Program candidate = program;
    candidate.steps.erase(candidate.steps.begin() + static_cast<std::ptrdiff_t>(i));
    const ex::Trial t = ex::run_trial(bench, candidate);
    if (t.stack_crashed && crash_slug(t.result.error->message) == slug) {
      program = std::move(candidate);
    }
  }
  c.steps_after = program.steps.size();
  const std::string text = fmt::format(
      "// tcpconform {}: the stack under test crashed (seed {}, target {}), minimised from {} to "
      "{} steps\n// {}\n// replay: tcpconform replay --profile {} --sut {} {}\n{}",
      options.command, g.seed, ex::to_string(g.target), c.steps_before, c.steps_after, c.message,
      options.profile, options.sut, c.file, scenario::print(program));
  report_write_error(write_text(c.file, text));
  return c;
}

ModelAbort Recorder::abort(const ex::Generated& g, const std::string& message) const {
  ModelAbort a;
  a.slug = abort_slug(message);
  a.message = message;
  a.file = (options.out / (a.slug + ".pkt")).string();
  const std::string text = fmt::format(
      "// tcpconform {}: the model aborts (seed {}, target {})\n// {}\n// replay: "
      "tcpconform replay --profile {} --sut model {}\n{}",
      options.command, g.seed, ex::to_string(g.target), message, options.profile, a.file,
      scenario::print(g.program));
  report_write_error(write_text(a.file, text));
  return a;
}

}  // namespace tcpconform::campaign
