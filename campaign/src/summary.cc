// A campaign's summary.json (summary.h).
#include "tcpconform/campaign/summary.h"

#include <fmt/core.h>

#include <map>

namespace tcpconform::campaign {
namespace ex = engine::explore;

std::vector<SurfacedDeviation> surfaced_deviations(const std::vector<Finding>& findings) {
  std::map<std::string_view, SurfacedDeviation> by_name;
  for (const Finding& f : findings) {
    for (const model::Deviation* d : model::named(f.signature.deviations)) {
      SurfacedDeviation& s = by_name[d->name];
      s.deviation = d;
      s.keys.push_back(f.key);
    }
  }
  std::vector<SurfacedDeviation> out;
  for (auto& [name, s] : by_name) out.push_back(std::move(s));
  return out;
}

std::set<std::string> linux_rules_surfaced(const std::vector<Finding>& findings) {
  std::set<std::string> out;
  for (const Finding& f : findings) {
    if (f.explained_by.empty()) continue;
    for (const std::string& id : f.linux_rules) {
      const auto r = model::rule_from_string(id);
      if (r && model::is_linux_rule(*r)) out.insert(id);
    }
  }
  return out;
}

nlohmann::json summary_json(const CampaignOptions& options, const CampaignResult& result) {
  const double secs = std::max(result.seconds, 1e-3);
  nlohmann::json divergences = nlohmann::json::array();
  for (const Finding& f : result.findings) divergences.push_back(finding_json(f));
  nlohmann::json cells = nlohmann::json::array();
  for (int s = 0; s < model::kStateCount; ++s) {
    for (int c = 0; c < ex::kEventClassCount; ++c) {
      const auto state = static_cast<model::State>(s);
      const auto event = static_cast<ex::EventClass>(c);
      if (result.cells.contains(state, event)) {
        cells.push_back(fmt::format("{} x {}", model::to_string(state), ex::to_string(event)));
      }
    }
  }
  nlohmann::json deviations = nlohmann::json::object();
  for (const SurfacedDeviation& s : surfaced_deviations(result.findings)) {
    nlohmann::json rule_ids = nlohmann::json::array();
    for (const model::Rule r : s.deviation->rules) {
      rule_ids.push_back(std::string(model::to_string(r)));
    }
    deviations[std::string(s.deviation->name)] = {{"rules", rule_ids}, {"divergences", s.keys}};
  }
  nlohmann::json rules = nlohmann::json::array();
  result.rules.for_each([&](model::Rule r) { rules.push_back(std::string(model::to_string(r))); });
  nlohmann::json stack_crashes = nlohmann::json::array();
  for (const StackCrash& c : result.stack_crashes) {
    stack_crashes.push_back({{"file", c.file}, {"message", c.message}});
  }
  nlohmann::json model_aborts = nlohmann::json::array();
  for (const ModelAbort& a : result.model_aborts) {
    model_aborts.push_back({{"file", a.file}, {"message", a.message}});
  }
  return {
      {"profile", options.profile},
      {"sut", options.sut},
      {"stack", result.stack_name},
      {"seed", options.seed},
      {"jobs", result.jobs},
      {"seconds", result.seconds},
      {"programs", result.programs},
      {"steps", result.steps},
      {"programs_per_second", static_cast<double>(result.programs) / secs},
      {"steps_per_second", static_cast<double>(result.steps) / secs},
      {"kernel_timer_wait_seconds", static_cast<double>(result.waited_us) / 1e6},
      {"lane_failures", result.lane_failures},
      {"lane_failure_examples", result.lane_failure_examples},
      {"harness_errors", result.harness_errors},
      {"judged_on",
       {{"programs", result.judged_programs},
        {"model_runs", result.judge_runs},
        {"seconds", static_cast<double>(result.judge_us) / 1e6}}},
      {"linux_deviations", deviations},
      {"linux_rules_surfaced", linux_rules_surfaced(result.findings)},
      {"coverage",
       {{"cells_reached", result.cells.size()},
        {"cells_total", ex::kCellCount},
        {"fraction",
         static_cast<double>(result.cells.size()) / static_cast<double>(ex::kCellCount)},
        {"states_reached", result.cells.states()},
        {"states_total", model::kStateCount},
        {"rules_applied", result.rules.size()},
        {"rules_total", model::kRuleCount},
        {"cells", cells},
        {"rules", rules}}},
      {"divergences", divergences},
      {"model_aborts", model_aborts},
      {"stack_crashes", stack_crashes},
      {"unconfirmed", result.unconfirmed},
  };
}

}  // namespace tcpconform::campaign
