// `tcpconform matrix`: a bounded campaign per stack (tcpconform/campaign) whose observer
// records which (state × event) cells the steps reached and where stack and model diverged, one
// minimised reproducer per distinct divergence, and the matrix rendered side by side.
#include "matrix_command.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "exit_codes.h"
#include "matrix_report.h"
#include "profile_option.h"
#include "stacks.h"
#include "tcpconform/campaign/campaign.h"
#include "tcpconform/campaign/files.h"
#include "tcpconform/campaign/matrix.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::cli {
namespace {

namespace fs = std::filesystem;

struct MatrixConfig {
  std::vector<std::string> suts;
  std::string profile = "rfc9293";
  double seconds = 30;  // per stack
  unsigned jobs = 0;
  std::uint64_t seed = 1;
  std::uint64_t max_programs = 0;  // per stack; 0: only --time bounds it
  std::string out = "tcpconform-matrix";
  std::string json;
  std::string markdown;
};

// One stack's campaign; nullopt (with the message printed) when the stack cannot be driven.
std::optional<matrix::StackMatrix> run_stack(const MatrixConfig& config, const std::string& sut,
                                             int& code) {
  campaign::CampaignOptions options;
  options.command = "matrix";
  options.profile = config.profile;
  options.sut = sut;
  options.jobs = config.jobs != 0 ? config.jobs : std::max(1U, std::thread::hardware_concurrency());
  options.seed = config.seed;
  options.seconds = config.seconds;
  options.max_programs = config.max_programs;
  // The matrix counts cells: each program's first divergence is its finding, no judging on,
  // and no model helper (a model abort would end this stack's campaign).
  options.isolate = false;
  options.judge_on = false;
  options.out = fs::path(config.out) / sut;
  campaign::matrix::MatrixObserver observer;
  options.observer = &observer;
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec) {
    fmt::print(stderr, "tcpconform matrix: {}: {}\n", options.out.string(), ec.message());
    code = kExitBadInput;
    return std::nullopt;
  }
  StackChoice choice;
  choice.sut = sut;
  const campaign::StackFactory make = [&]() {
    if (sut != "model") return make_stack(choice, options.environment);
    return harness::Result<std::unique_ptr<harness::SystemUnderTest>>(
        harness::model_stand_in(model::linux_profile(), options.environment));
  };
  fmt::print(stderr, "tcpconform matrix: {}, {} worker(s), {:.0f} s\n", sut, options.jobs,
             config.seconds);
  auto result = campaign::run_campaign(options, make);
  if (!result) {
    fmt::print(stderr, "tcpconform matrix: {}\n", result.error().message);
    code = result.error().missing_privilege ? kExitNoPrivileges : kExitFailures;
    return std::nullopt;
  }
  return observer.matrix(options, *result);
}

int run_matrix(const MatrixConfig& config) {
  if (config.suts.empty()) {
    fmt::print(stderr, "tcpconform matrix: give at least one --sut\n");
    return kExitBadInput;
  }
  std::vector<matrix::StackMatrix> results;
  int code = kExitOk;
  for (const std::string& sut : config.suts) {
    auto r = run_stack(config, sut, code);
    if (!r) return code;
    results.push_back(std::move(*r));
  }
  fmt::print("{}", matrix::text(results));
  if (!config.json.empty()) {
    if (auto w = campaign::write_text(config.json, matrix::json(results).dump(2) + "\n"); !w) {
      fmt::print(stderr, "tcpconform matrix: {}\n", w.error());
      return kExitBadInput;
    }
  }
  if (!config.markdown.empty()) {
    const fs::path base = fs::path(config.markdown).parent_path();
    const std::string text = matrix::markdown(results, base.empty() ? "." : base);
    if (auto w = campaign::write_text(config.markdown, text); !w) {
      fmt::print(stderr, "tcpconform matrix: {}\n", w.error());
      return kExitBadInput;
    }
  }
  const bool diverges = std::any_of(results.begin(), results.end(),
                                    [](const matrix::StackMatrix& r) { return r.diverges(); });
  return diverges ? kExitFailures : kExitOk;
}

}  // namespace

void add_matrix_command(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<MatrixConfig>();
  auto* cmd = app.add_subcommand(
      "matrix",
      "Run a bounded exploration campaign per stack and show the state x event conformance matrix "
      "(conform, known deviation, divergence with its reproducer, not reached), stacks side by "
      "side");
  cmd->add_option("--sut", config->suts,
                  "A stack to drive (repeat for side by side): linux, lwip, or model (a "
                  "linux-profile model: the self-check)")
      ->check(CLI::IsMember({"linux", "lwip", "model"}))
      ->required();
  add_profile_option(cmd, config->profile);
  cmd->add_option("--time", config->seconds, "Campaign length per stack, in seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("-j,--jobs", config->jobs, "Workers per stack (default: cores)");
  cmd->add_option("--seed", config->seed, "Campaign seed (the same programs for every stack)")
      ->capture_default_str();
  cmd->add_option("--programs", config->max_programs,
                  "Stop each stack after this many programs (0: only --time bounds it)")
      ->capture_default_str();
  cmd->add_option("--out", config->out, "Directory for the reproducers (one folder per stack)")
      ->capture_default_str();
  cmd->add_option("--json", config->json, "Write the matrix as JSON to FILE");
  cmd->add_option("--markdown", config->markdown, "Write the matrix as Markdown to FILE");
  cmd->callback([config, &exit_code] { exit_code = run_matrix(*config); });
}

}  // namespace tcpconform::cli
