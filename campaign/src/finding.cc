// What a campaign finds: reproducer headers and summary.json entries (finding.h).
#include "tcpconform/campaign/finding.h"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tcpconform/model/rules.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::campaign {
namespace ex = engine::explore;
namespace fs = std::filesystem;

namespace {

std::string rules_text(const std::vector<std::string>& rules) {
  std::string out;
  for (const auto& r : rules) out += (out.empty() ? "" : " ") + r;
  return out.empty() ? "(none)" : out;
}

}  // namespace

std::string abort_slug(const std::string& message) {
  const auto at = message.rfind(" at ");
  std::string where = at == std::string::npos ? message : message.substr(at + 4);
  const auto slash = where.rfind('/');
  if (slash != std::string::npos) where = where.substr(slash + 1);
  return "model-abort-" + ex::slugify(where);
}

std::string crash_slug(const std::string& message) {
  std::string where;
  if (const auto at = message.find("failed at line "); at != std::string::npos) {
    std::string rest = message.substr(at + 15);
    const auto in = rest.find(" in ");
    if (in != std::string::npos) {
      std::string file = rest.substr(in + 4);
      file = file.substr(0, file.find(' '));
      if (const auto slash = file.rfind('/'); slash != std::string::npos)
        file = file.substr(slash + 1);
      where = file + "-" + rest.substr(0, in);
    }
  } else if (const auto sig = message.find("signal "); sig != std::string::npos) {
    where = "signal-" + message.substr(sig + 7, message.find(' ', sig + 7) - sig - 7);
  }
  return where.empty() ? "stack-crash" : "stack-crash-" + ex::slugify(where);
}

std::string reproducer_text(const Finding& f, const std::string& command,
                            const std::string& campaign_profile, const std::string& sut,
                            const engine::Program& program) {
  std::string text = fmt::format("// tcpconform {}: divergence {}\n", command, f.signature.text());
  text += fmt::format("// signature: {} (state before the step / event class / first field)\n",
                      f.signature.slug());
  text += fmt::format("// profile {}, sut {}, seed {} (target {}), minimised from {} to {} steps\n",
                      f.profile, sut, f.seed, f.target, f.steps_before, f.steps_after);
  if (f.profile != campaign_profile) {
    text += fmt::format(
        "// judged on: the campaign's {} profile diverged earlier in the program, in ways the "
        "linux profile explains; {} adopts those linux fields\n",
        campaign_profile, f.profile);
  }
  text += fmt::format("// model: {}; stack: {}\n", f.model_side, f.stack_side);
  text +=
      fmt::format("// rules the model applied at the divergent step: {}\n", rules_text(f.rules));
  if (!f.explained_by.empty()) {
    text += fmt::format("// the linux profile explains it: {}\n", f.explained_by);
    if (!f.linux_rules.empty()) {
      text += fmt::format("// rules the linux profile applies there instead: {}\n",
                          rules_text(f.linux_rules));
    }
  } else if (!f.signature.deviations.empty()) {
    text += fmt::format(
        "// the linux profile model explains it with {}, but not on this stack: the stack "
        "departs from the linux profile too\n",
        f.signature.deviations);
  }
  text += fmt::format("// replay: tcpconform replay --profile {} --sut {} {}\n", f.profile, sut,
                      f.file);
  return text + scenario::print(program);
}

nlohmann::json finding_json(const Finding& f) {
  return nlohmann::json{
      {"signature",
       {{"state", std::string(model::to_string(f.signature.state))},
        {"event", std::string(ex::to_string(f.signature.event))},
        {"field", f.signature.field},
        {"deviations", f.signature.deviations}}},
      {"slug", f.signature.slug()},
      {"key", f.key},
      {"file", f.file},
      {"profile", f.profile},
      {"linux_rules", f.linux_rules},
      {"seed", f.seed},
      {"target", f.target},
      {"steps_before", f.steps_before},
      {"steps_after", f.steps_after},
      {"minimise_runs", f.minimise_runs},
      {"rules", f.rules},
      {"model", f.model_side},
      {"stack", f.stack_side},
      {"replays", f.replays},
      {"replayed", fmt::format("{}/{}", f.replayed, kReplays)},
      {"explained_by_linux_profile", f.explained_by},
      {"from_previous_run", f.previous},
  };
}

// Divergences of an earlier summary (--resume): their signatures are skipped.
std::vector<Finding> read_previous(const fs::path& path) {
  std::vector<Finding> out;
  std::ifstream in(path);
  if (!in) return out;
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.contains("divergences") || !j["divergences"].is_array()) return out;
  for (const auto& d : j["divergences"]) {
    if (!d.is_object() || !d.contains("signature") || !d["signature"].is_object()) continue;
    const auto& s = d["signature"];
    auto str = [](const nlohmann::json& o, const char* key) {
      return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
    };
    const auto state = model::state_from_string(str(s, "state"));
    const auto event = ex::event_class_from_string(str(s, "event"));
    if (!state || !event) continue;
    Finding f;
    f.signature = ex::Signature{*state, *event, str(s, "field"), str(s, "deviations")};
    f.key = str(d, "key");
    if (f.key.empty()) f.key = f.signature.slug();  // summaries written before keys existed
    f.file = str(d, "file");
    f.profile = str(d, "profile");
    if (d.contains("linux_rules") && d["linux_rules"].is_array()) {
      for (const auto& r : d["linux_rules"]) {
        if (r.is_string()) f.linux_rules.push_back(r.get<std::string>());
      }
    }
    f.target = str(d, "target");
    f.model_side = str(d, "model");
    f.stack_side = str(d, "stack");
    f.explained_by = str(d, "explained_by_linux_profile");
    if (d.contains("seed") && d["seed"].is_number_unsigned())
      f.seed = d["seed"].get<std::uint64_t>();
    if (d.contains("replays") && d["replays"].is_boolean()) f.replays = d["replays"].get<bool>();
    f.previous = true;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tcpconform::campaign
