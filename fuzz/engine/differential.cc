// Judging a differential run, and the reproducer it prints.
#include "differential.h"

#include <fmt/core.h>

#include <sstream>

#include "tcpconform/scenario/print.h"

namespace tcpconform::explore_steps {
namespace {

std::string diffs_text(const std::vector<engine::FieldDiff>& diffs) {
  std::string out;
  for (const auto& d : diffs) {
    out += fmt::format("\n  {}: model {}, stack {}", d.field, d.expected, d.actual);
  }
  return out;
}

std::string mismatch_text(const engine::LaneResult& lane) {
  const engine::Mismatch& m = *lane.mismatch;
  return fmt::format("{} at step {} (line {}): {}{}", lane.sut, m.step + 1, m.where.line, m.what,
                     diffs_text(m.diffs));
}

}  // namespace

std::optional<std::string> failure(std::size_t prefix_steps, const engine::explore::Trial& trial) {
  const engine::ScenarioResult& r = trial.result;
  if (trial.harness_error) return fmt::format("harness error: {}", r.summary);
  if (r.divergence) {
    std::string rules;
    for (const model::Rule rule : r.divergence->rules) {
      rules += fmt::format("{}{}", rules.empty() ? "" : " ", model::to_string(rule));
    }
    return fmt::format("divergence {} at step {} (line {}): {}{}\n  rules the model applied: {}",
                       trial.signature ? trial.signature->text() : "?", r.divergence->step + 1,
                       r.divergence->where.line, r.divergence->what,
                       diffs_text(r.divergence->diffs), rules.empty() ? "(none)" : rules);
  }
  const engine::LaneResult* failed = nullptr;
  for (const auto& lane : r.lanes) {
    if (lane.mismatch && lane.mismatch->step < prefix_steps) {
      return "the prefix did not hold: " + mismatch_text(lane);
    }
    if (lane.mismatch && failed == nullptr) failed = &lane;
  }
  if (failed != nullptr && r.lanes.size() == 2) {
    const auto& a = r.lanes[0].mismatch;
    const auto& b = r.lanes[1].mismatch;
    if (!a || !b || a->step != b->step) {
      return "the lanes disagree on the script: " + mismatch_text(*failed);
    }
  }
  return std::nullopt;
}

std::string reproducer(const engine::Program& program, const std::string& why,
                       const std::string& profile, const std::string& sut) {
  std::string out;
  std::istringstream lines(why);
  for (std::string line; std::getline(lines, line);) out += "// " + line + "\n";
  out += fmt::format("// replay: tcpconform replay --profile {} --sut {} FILE\n", profile, sut);
  return out + scenario::print(program);
}

}  // namespace tcpconform::explore_steps
