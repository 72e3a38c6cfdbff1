// `tcpconform explore`: a campaign (tcpconform/campaign) with a live progress line, its findings
// as DIR/<signature>.pkt and DIR/summary.json.
#include "explore_command.h"

#include <fmt/core.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "exit_codes.h"
#include "profile_option.h"
#include "stacks.h"
#include "tcpconform/campaign/campaign.h"
#include "tcpconform/campaign/files.h"
#include "tcpconform/campaign/summary.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::cli {
namespace fs = std::filesystem;

namespace {

struct ExploreConfig {
  StackChoice stack;
  campaign::CampaignOptions campaign;
  unsigned jobs = 0;  // 0: one per core
  std::string out = "tcpconform-explore";
  bool resume = false;
};

std::string progress_line(const campaign::Progress& p) {
  const double secs = std::max(p.elapsed_seconds, 1e-3);
  return fmt::format(
      "[{:5.0f} s] {} programs ({:.0f}/s, {:.0f} steps/s)  states {}/{}  cells {}/{}  rules {}/{}  "
      "divergences {}",
      p.elapsed_seconds, p.programs, static_cast<double>(p.programs) / secs,
      static_cast<double>(p.steps) / secs, p.states, model::kStateCount, p.cells,
      engine::explore::kCellCount, p.rules, model::kRuleCount, p.divergences);
}

void print_findings(const campaign::CampaignResult& r) {
  for (const campaign::Finding& f : r.findings) {
    if (f.previous) continue;
    fmt::print("divergence {}: {} ({} steps, replays {}/{}){}\n", f.signature.text(), f.file,
               f.steps_after, f.replayed, campaign::kReplays,
               f.explained_by.empty() ? "" : fmt::format(" [linux profile: {}]", f.explained_by));
  }
  for (const campaign::ModelAbort& a : r.model_aborts) {
    fmt::print("model abort: {} ({})\n", a.file, a.message);
  }
  for (const campaign::StackCrash& c : r.stack_crashes) {
    fmt::print("stack crash: {} ({})\n", c.file, c.message);
  }
  const auto surfaced = campaign::surfaced_deviations(r.findings);
  if (surfaced.empty()) return;
  std::string list;
  for (const campaign::SurfacedDeviation& s : surfaced) {
    const std::vector<const model::Deviation*> one = {s.deviation};
    list += fmt::format("\n  {} [{}]", model::describe(one), s.keys.size());
  }
  fmt::print("linux deviations that explain divergences ({}):{}\n", surfaced.size(), list);
  const auto rules = campaign::linux_rules_surfaced(r.findings);
  std::string ids;
  for (const std::string& id : rules) ids += " " + id;
  fmt::print("catalog [LINUX] rules applied where they explain a divergence ({}):{}\n",
             rules.size(), ids.empty() ? " none" : ids);
}

int explore(ExploreConfig& config) {
  std::error_code ec;
  fs::create_directories(config.out, ec);
  if (ec) {
    fmt::print(stderr, "tcpconform explore: {}: {}\n", config.out, ec.message());
    return kExitBadInput;
  }
  campaign::CampaignOptions& options = config.campaign;
  options.out = config.out;
  options.sut = config.stack.sut;
  options.jobs = config.jobs != 0 ? config.jobs : std::max(1U, std::thread::hardware_concurrency());
  const fs::path summary_path = fs::path(config.out) / "summary.json";
  if (config.resume) options.previous = campaign::read_previous(summary_path);
  options.progress = [](const campaign::Progress& p) {
    fmt::print(stderr, "\r{}{}", progress_line(p), p.final ? "\n" : "");
    std::fflush(stderr);
  };
  // The stack beside the model: a real one, or a linux-profile model for the self-check.
  const campaign::StackFactory make = [&]() {
    if (drives_real_stack(config.stack)) return make_stack(config.stack, options.environment);
    return harness::Result<std::unique_ptr<harness::SystemUnderTest>>(
        harness::model_stand_in(model::linux_profile(), options.environment));
  };
  auto result = campaign::run_campaign(options, make);
  if (!result) {
    fmt::print(stderr, "tcpconform explore: {}\n", result.error().message);
    return result.error().missing_privilege ? kExitNoPrivileges : kExitFailures;
  }
  const std::string summary = campaign::summary_json(options, *result).dump(2) + "\n";
  if (auto w = campaign::write_text(summary_path, summary); !w) {
    fmt::print(stderr, "tcpconform explore: {}\n", w.error());
    return kExitBadInput;
  }
  print_findings(*result);
  fmt::print("{} new distinct divergences; summary: {}\n", result->new_findings,
             summary_path.string());
  return result->found_something() ? kExitFailures : kExitOk;
}

}  // namespace

void add_explore_command(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<ExploreConfig>();
  auto* cmd = app.add_subcommand(
      "explore",
      "Generate programs that drive a connection into every state and perturb it; report each "
      "distinct model/stack divergence as a minimised reproducer");
  add_stack_options(cmd, config->stack, "model (a linux-profile model: the self-check)");
  add_profile_option(cmd, config->campaign.profile);
  cmd->add_option("--time", config->campaign.seconds, "Campaign length in seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("-j,--jobs", config->jobs,
                  "Parallel workers, one namespace each (default: cores)");
  cmd->add_option("--seed", config->campaign.seed,
                  "Campaign seed (worker k uses a seed mixed from it)")
      ->capture_default_str();
  cmd->add_option("--out", config->out, "Directory for reproducers and summary.json")
      ->capture_default_str();
  cmd->add_flag("--resume", config->resume,
                "Read DIR/summary.json and skip the divergences it already lists");
  cmd->add_option("--programs", config->campaign.max_programs,
                  "Stop after this many programs (0: only --time bounds the campaign)")
      ->capture_default_str();
  cmd->add_flag("!--no-isolate", config->campaign.isolate,
                "Do not pre-run each program on the model in a helper process (faster, but a "
                "model invariant failure then ends the campaign)");
  cmd->callback([config, &exit_code] { exit_code = explore(*config); });
}

}  // namespace tcpconform::cli
