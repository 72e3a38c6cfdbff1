// `tcpconform matrix`: runs generated programs (the explorer's) on the model and each stack for a
// bounded time, records which (state × event) cells the steps reached and where stack and model
// diverged, minimises one reproducer per distinct divergence and renders the matrix.
#include "matrix_command.h"

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "exit_codes.h"
#include "matrix_report.h"
#include "profile_option.h"
#include "stacks.h"
#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/minimise.h"
#include "tcpconform/engine/explore/rng.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::cli {
namespace {

namespace fs = std::filesystem;
namespace ex = engine::explore;
using Clock = std::chrono::steady_clock;

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

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// What the workers of one stack share.
struct Campaign {
  const MatrixConfig* config = nullptr;
  std::string sut;
  fs::path dir;  // reproducers of this stack
  Clock::time_point deadline;
  std::mutex mu;
  matrix::StackMatrix result;
  std::set<std::string> claimed;  // divergences (and crash sites) already being recorded
  std::atomic<std::uint64_t> programs{0};
};

// Minimises the divergence, checks whether the linux profile explains it and writes its
// reproducer; the cell gets it even when minimisation did not reproduce it (file then empty).
matrix::CellDivergence record(ex::Bench& bench, ex::Bench& explainer, const ex::Generated& g,
                              const ex::Trial& trial, const std::string& file, Campaign& c) {
  matrix::CellDivergence d;
  const ex::Signature& sig = *trial.signature;
  d.signature = sig.text();
  d.field = sig.field;
  const ex::Minimised m = ex::minimise(g.program, g.prefix_steps, sig, ex::oracle_for(bench), 60);
  const engine::Program& best = m.reproduced ? m.program : g.program;
  const ex::Trial shown = ex::run_trial(bench, best);
  const ex::Trial& used = shown.signature == sig ? shown : trial;
  if (used.result.divergence && !used.result.divergence->diffs.empty()) {
    const auto& diff = used.result.divergence->diffs.front();
    d.model_side = fmt::format("{} {}", diff.field, diff.expected);
    d.stack_side = diff.actual;
  }
  const ex::Trial linux_run = ex::run_trial(explainer, best);
  d.explained = !linux_run.signature && !linux_run.lane_failed && !linux_run.harness_error;
  const std::string header = fmt::format(
      "// tcpconform matrix: {} diverges from the model ({} profile) at {}\n// model: {}; stack: "
      "{}{}\n// seed {} (target {}), {} steps\n// replay: tcpconform replay --profile {} --sut {} "
      "{}\n",
      c.result.stack, c.config->profile, sig.text(), d.model_side, d.stack_side,
      d.explained ? " (the linux profile explains it)" : "", g.seed, ex::to_string(g.target),
      best.steps.size(), c.config->profile, c.sut, file);
  if (write_file(file, header + scenario::print(best))) d.file = file;
  return d;
}

// The assertion (or signal) of a crash summary: what two crashes must share to be the same.
std::string crash_site(const std::string& summary) {
  const auto colon = summary.find(": lwIP ");
  return colon == std::string::npos ? summary : summary.substr(colon + 2);
}

// Greedy one-step-at-a-time removal of perturbation steps while the stack still crashes the same
// way (crashes have no divergence signature for minimise()).
engine::Program minimise_crash(ex::Bench& bench, engine::Program program, std::size_t prefix,
                               const std::string& site) {
  for (std::size_t i = program.steps.size(); i-- > prefix;) {
    engine::Program candidate = program;
    candidate.steps.erase(candidate.steps.begin() + static_cast<std::ptrdiff_t>(i));
    const ex::Trial t = ex::run_trial(bench, candidate);
    if (t.harness_error && crash_site(t.result.summary) == site) program = std::move(candidate);
  }
  return program;
}

void worker(unsigned index, Campaign& c, std::unique_ptr<harness::SystemUnderTest> stack) {
  const MatrixConfig& config = *c.config;
  harness::ModelSut model(profile_of(config.profile));
  harness::ModelSut linux_model(model::linux_profile());
  ex::Bench bench{&model, stack.get()};
  ex::Bench explainer{&linux_model, stack.get()};
  harness::ModelSut tracer(profile_of(config.profile));
  ex::Generator generator(ex::mix_seed(config.seed, index));
  while (Clock::now() < c.deadline &&
         (config.max_programs == 0 || c.programs.load() < config.max_programs)) {
    const ex::Generated g = generator.next();
    const ex::Trial trial = ex::run_trial(bench, g.program);
    ++c.programs;
    if (trial.harness_error) {
      const bool crash =
          trial.result.summary.find(harness::kStackCrashedMarker) != std::string::npos;
      const std::string site = crash_site(trial.result.summary);
      fs::path file;
      {
        const std::lock_guard lock(c.mu);
        if (!crash) ++c.result.harness_errors;
        if (!crash || !c.claimed.insert("crash " + site).second) continue;
        const auto quote = site.find('"');
        const std::string what =
            quote == std::string::npos ? site : site.substr(quote, site.find(" in ") - quote);
        file = c.dir / ("crash-" + ex::slugify(what).substr(0, 60) + ".pkt");
      }
      const engine::Program best = minimise_crash(bench, g.program, g.prefix_steps, site);
      const std::string text = fmt::format(
          "// tcpconform matrix: {} crashed: {}\n// seed {} (target {}), minimised from {} to {} "
          "steps\n// replay: tcpconform replay --profile {} --sut {} {}\n{}",
          c.result.stack, trial.result.summary, g.seed, ex::to_string(g.target),
          g.program.steps.size(), best.steps.size(), config.profile, c.sut, file.string(),
          scenario::print(best));
      const bool written = write_file(file, text);
      const std::lock_guard lock(c.mu);
      c.result.crashes.push_back({trial.result.summary, written ? file.string() : std::string()});
      continue;
    }
    if (trial.lane_failed) {
      const std::lock_guard lock(c.mu);
      ++c.result.lane_failures;
      continue;
    }
    auto trace = ex::model_trace(g.program, tracer);
    if (!trace) continue;
    // Steps after the divergent one are not judged: the stack's state is not the model's there —
    // unless the linux profile explains the divergence (a known deviation, such as Linux counting
    // the FIN in Recv-Q): then the program is judged on against that profile, so that one
    // systematic, documented difference does not hide every state behind it.
    std::size_t last = g.program.steps.size();
    if (trial.result.divergence) {
      last = std::min(last, trial.result.divergence->step + 1);
      const ex::Trial lin = ex::run_trial(explainer, g.program);
      if (!lin.lane_failed && !lin.harness_error) {
        last = std::max(
            last, lin.result.divergence ? lin.result.divergence->step + 1 : g.program.steps.size());
      }
    }
    std::optional<std::pair<model::State, matrix::Column>> divergent;
    std::string key;
    {
      const std::lock_guard lock(c.mu);
      for (std::size_t i = 0; i < last && i < trace->states.size(); ++i) {
        const auto event = ex::event_class(g.program, i);
        if (!event) continue;
        ++c.result.at(trace->states[i], matrix::column_of(*event, trace->rst[i])).reached;
      }
      if (trial.signature && trial.result.divergence) {
        const std::size_t step = trial.result.divergence->step;
        const auto column = matrix::column_of(
            trial.signature->event, step < trace->rst.size() ? trace->rst[step] : std::nullopt);
        key = fmt::format("{}-{}", trial.signature->slug(), ex::slugify(matrix::to_string(column)));
        if (c.claimed.insert(key).second) divergent = {trial.signature->state, column};
      }
    }
    if (!divergent) continue;
    const std::string file = (c.dir / (key + ".pkt")).string();
    matrix::CellDivergence d = record(bench, explainer, g, trial, file, c);
    const std::lock_guard lock(c.mu);
    c.result.at(divergent->first, divergent->second).divergences.push_back(std::move(d));
  }
}

// One stack's campaign; nullopt (with the message printed) when the stack cannot be driven.
std::optional<matrix::StackMatrix> run_stack(const MatrixConfig& config, const std::string& sut,
                                             int& code) {
  StackChoice choice;
  choice.sut = sut;
  const unsigned jobs =
      config.jobs != 0 ? config.jobs : std::max(1U, std::thread::hardware_concurrency());
  // Every worker's stack is made before any thread starts (user namespaces need a
  // single-threaded process), as explore does.
  std::vector<std::unique_ptr<harness::SystemUnderTest>> stacks;
  for (unsigned j = 0; j < jobs; ++j) {
    auto made = sut == "model" ? harness::Result<std::unique_ptr<harness::SystemUnderTest>>(
                                     std::make_unique<harness::ModelSut>(model::linux_profile()))
                               : make_stack(choice, harness::bench_environment());
    if (!made) {
      fmt::print(stderr, "tcpconform matrix: cannot drive {}: {}\n", sut, made.error().to_string());
      code = made.error().missing_privilege ? kExitNoPrivileges : kExitFailures;
      return std::nullopt;
    }
    stacks.push_back(std::move(*made));
  }
  Campaign c;
  c.config = &config;
  c.sut = sut;
  c.dir = fs::path(config.out) / sut;
  std::error_code ec;
  fs::create_directories(c.dir, ec);
  c.result.sut = sut;
  c.result.stack = stacks.front()->name();
  c.result.profile = config.profile;
  const auto started = Clock::now();
  c.deadline = started + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(config.seconds));
  fmt::print(stderr, "tcpconform matrix: {} ({}), {} worker(s), {:.0f} s\n", sut, c.result.stack,
             jobs, config.seconds);
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j) {
    threads.emplace_back(
        [&c, j, stack = std::move(stacks[j])]() mutable { worker(j, c, std::move(stack)); });
  }
  for (auto& t : threads) t.join();
  c.result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  c.result.programs = c.programs.load();
  return std::move(c.result);
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
  if (!config.json.empty() && !write_file(config.json, matrix::json(results).dump(2) + "\n")) {
    fmt::print(stderr, "tcpconform matrix: cannot write {}\n", config.json);
    return kExitBadInput;
  }
  if (!config.markdown.empty()) {
    const fs::path base = fs::path(config.markdown).parent_path();
    if (!write_file(config.markdown, matrix::markdown(results, base.empty() ? "." : base))) {
      fmt::print(stderr, "tcpconform matrix: cannot write {}\n", config.markdown);
      return kExitBadInput;
    }
  }
  for (const auto& r : results) {
    if (!r.crashes.empty()) return kExitFailures;
    for (const auto& row : r.cells) {
      for (const auto& cell : row) {
        if (cell.verdict() == matrix::Verdict::kDiverges) return kExitFailures;
      }
    }
  }
  return kExitOk;
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
