// Judging on after explained divergences (see judge_on.h).
#include "tcpconform/engine/explore/judge_on.h"

#include <algorithm>
#include <optional>

#include "tcpconform/engine/explore/coverage.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/harness/model_sut.h"

namespace tcpconform::engine::explore {
namespace {

using DeviationList = std::vector<const model::Deviation*>;

// The first step at which the two lanes part: a divergence, or either lane departing from the
// script. Nullopt: they never do.
std::optional<std::size_t> first_difference(const ScenarioResult& r) {
  std::optional<std::size_t> first;
  auto take = [&](std::size_t step) { first = first ? std::min(*first, step) : step; };
  if (r.divergence) take(r.divergence->step);
  for (const LaneResult& lane : r.lanes) {
    if (lane.mismatch) take(lane.mismatch->step);
  }
  return first;
}

model::Profile with(const model::Profile& profile, const DeviationList& fields,
                    const model::Profile& reference) {
  model::Profile p = profile;
  for (const model::Deviation* d : fields) d->adopt(p, reference);
  return p;
}

class Judge {
 public:
  Judge(const Program& program, const model::Profile& reference_profile,
        harness::SystemUnderTest& reference, std::size_t max_runs,
        const harness::Environment& environment)
      : program_(program),
        reference_profile_(reference_profile),
        reference_(reference),
        environment_(environment),
        max_runs_(max_runs) {}

  [[nodiscard]] std::size_t runs() const { return runs_; }
  [[nodiscard]] bool out_of_runs() const { return runs_ >= max_runs_; }

  Trial trial(const model::Profile& profile) {
    ++runs_;
    harness::ModelSut model(profile);
    Bench bench{&model, &reference_, environment_};
    return run_trial(bench, program_);
  }

  // Whether `profile` plus `fields` gets past step `k` (no difference at or before it).
  bool passes(const model::Profile& profile, const DeviationList& fields, std::size_t k) {
    ++runs_;
    harness::ModelSut model(with(profile, fields, reference_profile_));
    Bench bench{&model, &reference_, environment_};
    const ScenarioResult r = run_on_bench(bench, program_);
    if (r.verdict == Verdict::kError) return false;
    const auto first = first_difference(r);
    return !first || *first > k;
  }

  // The rules of `link.explained_by` that `profile` with them applies at the link's step.
  std::vector<model::Rule> rules_at(const model::Profile& profile, const Link& link) {
    model::RuleSet own;
    for (const model::Deviation* d : link.explained_by) {
      for (const model::Rule r : d->rules) own.insert(r);
    }
    std::vector<model::Rule> applied;
    if (out_of_runs()) {
      own.for_each([&](model::Rule r) { applied.push_back(r); });
      return applied;
    }
    ++runs_;
    harness::ModelSut model(with(profile, link.explained_by, reference_profile_));
    const auto trace = model_trace(program_, model, environment_);
    if (trace && link.step < trace->rules.size()) {
      trace->rules[link.step].for_each([&](model::Rule r) {
        if (own.contains(r)) applied.push_back(r);
      });
    }
    if (applied.empty()) own.for_each([&](model::Rule r) { applied.push_back(r); });
    return applied;
  }

  // A 1-minimal subset of `candidates` that gets `profile` past step `k` (empty: none does).
  DeviationList explain(const model::Profile& profile, const DeviationList& candidates,
                        std::size_t k, const DeviationHints& hints) {
    for (const model::Deviation* hint : hints.top(4)) {
      if (out_of_runs()) return {};
      if (std::find(candidates.begin(), candidates.end(), hint) == candidates.end()) continue;
      if (passes(profile, {hint}, k)) return {hint};
    }
    if (candidates.empty() || out_of_runs() || !passes(profile, candidates, k)) return {};
    DeviationList s = candidates;
    // Halve while one half alone suffices (the usual case: one field explains the step).
    while (s.size() > 1 && !out_of_runs()) {
      const auto mid = s.begin() + static_cast<std::ptrdiff_t>(s.size() / 2);
      DeviationList lower(s.begin(), mid);
      DeviationList upper(mid, s.end());
      if (passes(profile, lower, k)) {
        s = std::move(lower);
      } else if (!out_of_runs() && passes(profile, upper, k)) {
        s = std::move(upper);
      } else {
        break;
      }
    }
    // Then drop fields one at a time while the rest still suffices.
    for (std::size_t i = 0; s.size() > 1 && i < s.size() && !out_of_runs();) {
      DeviationList rest = s;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
      if (passes(profile, rest, k)) {
        s = std::move(rest);
      } else {
        ++i;
      }
    }
    return s;
  }

 private:
  const Program& program_;
  const model::Profile& reference_profile_;
  harness::SystemUnderTest& reference_;
  const harness::Environment& environment_;
  std::size_t max_runs_;
  std::size_t runs_ = 0;
};

}  // namespace

void DeviationHints::count(const std::vector<const model::Deviation*>& explained) {
  for (const model::Deviation* d : explained) {
    auto it = std::find_if(counts_.begin(), counts_.end(),
                           [&](const auto& entry) { return entry.first == d; });
    if (it == counts_.end()) {
      counts_.emplace_back(d, 1);
    } else {
      ++it->second;
    }
  }
  std::stable_sort(counts_.begin(), counts_.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
}

std::vector<const model::Deviation*> DeviationHints::top(std::size_t n) const {
  std::vector<const model::Deviation*> out;
  for (std::size_t i = 0; i < counts_.size() && i < n; ++i) out.push_back(counts_[i].first);
  return out;
}

Chain judge_on(const Program& program, const model::Profile& base,
               const model::Profile& reference_profile, harness::SystemUnderTest& reference,
               DeviationHints& hints, const JudgeOnLimits& limits,
               const harness::Environment& environment) {
  Chain chain;
  Judge judge(program, reference_profile, reference, limits.max_runs, environment);
  model::Profile current = base;
  DeviationList adopted;
  while (chain.links.size() < limits.max_links && !judge.out_of_runs()) {
    const Trial t = judge.trial(current);
    if (t.harness_error || t.lane_failed || !t.signature) break;
    Link link;
    link.signature = *t.signature;
    link.step = t.result.divergence->step;
    link.adopted = adopted;
    link.explained_by =
        judge.explain(current, model::differing(current, reference_profile), link.step, hints);
    link.minimal = !judge.out_of_runs();
    if (!link.explained_by.empty() && link.minimal) link.rules = judge.rules_at(current, link);
    chain.links.push_back(link);
    if (link.explained_by.empty() || !link.minimal) break;
    hints.count(link.explained_by);
    for (const model::Deviation* d : link.explained_by) {
      d->adopt(current, reference_profile);
      adopted.push_back(d);
    }
  }
  chain.runs = judge.runs();
  return chain;
}

}  // namespace tcpconform::engine::explore
