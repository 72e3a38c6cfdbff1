// A campaign's summary.json, and what it says about the linux profile: which of its fields
// explain findings (judging on) and which catalog [LINUX] rules they surfaced.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tcpconform/campaign/campaign.h"
#include "tcpconform/model/deviations.h"

namespace tcpconform::campaign {

// A linux-profile field that explains findings, and their keys.
struct SurfacedDeviation {
  const model::Deviation* deviation = nullptr;
  std::vector<std::string> keys;
};

// By field name.
[[nodiscard]] std::vector<SurfacedDeviation> surfaced_deviations(
    const std::vector<Finding>& findings);
// The catalog's [LINUX] ids among the rules explained findings name.
[[nodiscard]] std::set<std::string> linux_rules_surfaced(const std::vector<Finding>& findings);

[[nodiscard]] nlohmann::json summary_json(const CampaignOptions& options,
                                          const CampaignResult& result);

}  // namespace tcpconform::campaign
