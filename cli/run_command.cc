// `tcpconform run` / `replay`: parse scenarios, run them on worker threads (one kernel namespace
// each), print one line per scenario, explanations of failures and the summary line.
#include "run_command.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "exit_codes.h"
#include "output_files.h"
#include "profile_option.h"
#include "scenario_files.h"
#include "stacks.h"
#include "tcpconform/engine/explore/judge_on.h"
#include "tcpconform/engine/report.h"
#include "tcpconform/engine/runner.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/deviations.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/parse.h"

namespace tcpconform::cli {
namespace fs = std::filesystem;

namespace {

struct RunConfig {
  std::vector<std::string> paths;
  StackChoice stack;
  std::string profile = "linux";
  bool ipv4 = false;
  bool ipv6 = false;
  bool both = false;
  unsigned jobs = 0;
  std::string json;
  std::string junit;
  std::string pcap_dir;
  std::string filter;
  std::string out_dir = "tcpconform-out";
  bool verbose = false;
  bool real_time = false;
};

struct Task {
  std::size_t program = 0;
  wire::IpVersion version = wire::IpVersion::kV4;
};

const char* family(wire::IpVersion v) {
  return v == wire::IpVersion::kV4 ? "ipv4" : "ipv6";
}

std::string display_name(const fs::path& file, const std::vector<std::string>& roots) {
  for (const std::string& root : roots) {
    std::error_code ec;
    if (fs::is_directory(root, ec)) {
      const fs::path rel = fs::relative(file, root, ec);
      if (!ec && !rel.empty() && rel.native().rfind("..", 0) != 0) return rel.string();
    }
  }
  return file.string();
}

// One worker: its own model and, unless --sut model, its own stack (for the kernel, its own
// namespace).
struct Worker {
  std::unique_ptr<harness::SystemUnderTest> stack;
  std::unique_ptr<harness::ModelSut> model;
  // With --profile rfc9293: a linux-profile model that explains failures as known deviations,
  // and a second one standing in for the stack to name the rules that explain them.
  std::unique_ptr<harness::ModelSut> explainer;
  std::unique_ptr<harness::ModelSut> stand_in;
  engine::explore::DeviationHints hints;
};

tl::expected<Worker, harness::Error> make_worker(const RunConfig& config) {
  Worker w;
  w.model = std::make_unique<harness::ModelSut>(profile_of(config.profile));
  if (config.profile != "linux") {
    w.explainer = std::make_unique<harness::ModelSut>(model::linux_profile());
    w.stand_in = harness::model_stand_in(model::linux_profile());
  }
  if (drives_real_stack(config.stack)) {
    auto stack = make_stack(config.stack, harness::bench_environment());
    if (!stack) return tl::make_unexpected(stack.error());
    w.stack = std::move(*stack);
  }
  return w;
}

engine::ScenarioResult run_one(Worker& w, const engine::Program& program, wire::IpVersion v,
                               const RunConfig& config) {
  engine::RunOptions options;
  options.version = v;
  options.real_time = config.real_time;
  // The kernel keeps TIME-WAIT and orphans of earlier programs: every run gets ports of its own.
  const engine::RunOptions script_ports;
  auto take_fresh_ports = [&] {
    if (w.stack) {
      options.stack_port = w.stack->program_port(script_ports.stack_port);
      options.peer_port = w.stack->program_port(script_ports.peer_port);
    }
  };
  take_fresh_ports();
  engine::ScenarioResult result = engine::run_scenario(program, *w.model, w.stack.get(), options);
  if (result.verdict != engine::Verdict::kFail || !w.explainer) return result;
  // A failure that the linux profile does not have is a documented Linux deviation from the
  // RFC profile: it is reported as known, naming the rules only the linux profile applied.
  take_fresh_ports();
  const engine::ScenarioResult linux_run =
      engine::run_scenario(program, *w.explainer, w.stack.get(), options);
  if (linux_run.verdict != engine::Verdict::kPass) return result;
  result.verdict = engine::Verdict::kKnownDeviation;
  // The rules: those the linux profile's explaining fields apply at each divergence, judging on
  // past each (engine/explore/judge_on.h); else every rule only the linux run applied.
  const engine::explore::Chain chain = engine::explore::judge_on(
      program, profile_of(config.profile), model::linux_profile(), *w.stand_in, w.hints);
  const bool explained = !chain.links.empty() &&
                         std::all_of(chain.links.begin(), chain.links.end(), [](const auto& l) {
                           return !l.explained_by.empty() && l.minimal;
                         });
  if (explained) {
    for (const auto& link : chain.links) {
      for (const model::Rule r : link.rules) {
        if (std::find(result.explained_by.begin(), result.explained_by.end(), r) ==
            result.explained_by.end()) {
          result.explained_by.push_back(r);
        }
      }
    }
  } else {
    linux_run.rules.for_each([&](model::Rule r) {
      if (!result.rules.contains(r)) result.explained_by.push_back(r);
    });
  }
  if (result.explained_by.empty()) {
    // Both profiles applied the same rules (a call's result differs, not the rule that fired):
    // name the rules of each single linux field that alone lets the profile pass the script.
    const model::Profile base = profile_of(config.profile);
    const model::Profile linux = model::linux_profile();
    engine::RunOptions model_only = options;
    model_only.stack_port = script_ports.stack_port;
    model_only.peer_port = script_ports.peer_port;
    for (const model::Deviation* d : model::differing(base, linux)) {
      model::Profile with = base;
      d->adopt(with, linux);
      harness::ModelSut adopted(with);
      if (engine::run_scenario(program, adopted, nullptr, model_only).verdict !=
          engine::Verdict::kPass) {
        continue;
      }
      for (const model::Rule r : d->rules) {
        if (std::find(result.explained_by.begin(), result.explained_by.end(), r) ==
            result.explained_by.end()) {
          result.explained_by.push_back(r);
        }
      }
    }
  }
  return result;
}

int run_all(const RunConfig& config) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::string> roots = config.paths;
  if (roots.empty()) roots.push_back(bundled_corpus().string());
  auto files = find_scenarios(roots, config.filter);
  if (!files) {
    fmt::print(stderr, "tcpconform run: {}\n", files.error());
    return kExitBadInput;
  }
  if (files->empty()) {
    fmt::print(stderr, "tcpconform run: no scenario (*.pkt) found{}\n",
               config.filter.empty() ? "" : fmt::format(" matching '{}'", config.filter));
    return kExitBadInput;
  }

  // Parse everything first: a malformed scenario is bad input, reported before anything runs.
  std::vector<engine::Program> programs;
  std::vector<std::string> names;
  bool bad = false;
  for (const fs::path& f : *files) {
    auto parsed = scenario::parse_file(f);
    if (!parsed) {
      fmt::print(stderr, "{}\n", parsed.error().to_string());
      bad = true;
      continue;
    }
    names.push_back(display_name(f, roots));
    parsed->file = f.string();
    programs.push_back(std::move(*parsed));
  }
  if (bad) return kExitBadInput;

  std::vector<Task> tasks;
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const bool declared = std::any_of(programs[p].options.begin(), programs[p].options.end(),
                                      [](const auto& o) { return o.name == "ip_version"; });
    if (declared) {
      tasks.push_back({p, programs[p].ip_version});
      continue;
    }
    if (config.ipv4 || config.both || !config.ipv6) tasks.push_back({p, wire::IpVersion::kV4});
    if (config.ipv6 || config.both) tasks.push_back({p, wire::IpVersion::kV6});
  }

  unsigned jobs = config.jobs;
  if (jobs == 0) jobs = std::max(1U, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(tasks.size()));

  std::vector<std::optional<engine::ScenarioResult>> results(tasks.size());
  std::atomic<std::size_t> next{0};
  std::mutex print_mutex;
  std::optional<harness::Error> setup_error;
  // The first worker is made before any thread starts: without root, entering a user namespace
  // needs a single-threaded process, and a missing privilege is best reported at once.
  auto first = make_worker(config);
  if (!first) {
    fmt::print(stderr, "tcpconform run: cannot drive {}: {}\n", config.stack.sut,
               first.error().to_string());
    return first.error().missing_privilege ? kExitNoPrivileges : kExitFailures;
  }
  std::atomic<bool> first_taken{false};
  auto work = [&] {
    auto worker = first_taken.exchange(true) ? make_worker(config) : std::move(first);
    if (!worker) {
      const std::lock_guard lock(print_mutex);
      if (!setup_error) setup_error = worker.error();
      return;
    }
    for (std::size_t t = next++; t < tasks.size(); t = next++) {
      const Task& task = tasks[t];
      engine::ScenarioResult r = run_one(*worker, programs[task.program], task.version, config);
      r.file = names[task.program];
      const std::lock_guard lock(print_mutex);
      std::string lanes;
      if (r.verdict == engine::Verdict::kKnownDeviation) {
        lanes = "  [the linux profile explains it:";
        for (const model::Rule rule : r.explained_by)
          lanes += fmt::format(" {}", model::to_string(rule));
        lanes += "]";
      }
      if (r.verdict == engine::Verdict::kFail) {
        for (const auto& lane : r.lanes) {
          lanes += fmt::format(
              "{}{}: {}", lanes.empty() ? "  [" : "; ", lane.sut,
              lane.passed
                  ? std::string("pass")
                  : fmt::format("fails at line {}", lane.mismatch ? lane.mismatch->where.line : 0));
        }
        if (r.divergence) {
          lanes += fmt::format("; states diverge at line {}", r.divergence->where.line);
        }
        lanes += "]";
      }
      fmt::print("{:<5} {}  {}  {:.1f} ms{}{}\n", engine::to_string(r.verdict),
                 family(task.version), r.file, static_cast<double>(r.wall_us) / 1e3,
                 r.waited_us > 0 ? fmt::format(" (of which {:.1f} ms waiting for timers)",
                                               static_cast<double>(r.waited_us) / 1e3)
                                 : "",
                 lanes);
      if (config.verbose) {
        for (const auto& lane : r.lanes) {
          fmt::print("    exchange on {}:\n{}", lane.sut, engine::ladder(lane));
          for (const auto& note : lane.notes) fmt::print("    note: {}\n", note);
        }
      }
      std::fflush(stdout);
      results[t] = std::move(r);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(work);
  for (auto& th : threads) th.join();

  if (setup_error &&
      std::none_of(results.begin(), results.end(), [](const auto& r) { return r.has_value(); })) {
    fmt::print(stderr, "tcpconform run: cannot drive {}: {}\n", config.stack.sut,
               setup_error->to_string());
    return setup_error->missing_privilege ? kExitNoPrivileges : kExitFailures;
  }

  RunSummary summary;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t known = 0;
  std::int64_t waited = 0;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    if (!results[t]) continue;
    engine::ScenarioResult& r = *results[t];
    waited += r.waited_us;
    switch (r.verdict) {
      case engine::Verdict::kPass: ++passed; break;
      case engine::Verdict::kKnownDeviation: ++known; break;
      case engine::Verdict::kFail:
      case engine::Verdict::kError: {
        ++failed;
        fmt::print("\n{} {} ({}): {}\n", engine::to_string(r.verdict), r.file, family(r.version),
                   r.summary);
        fmt::print("{}", engine::explain(r));
        auto repro =
            write_reproducer(fs::path(config.out_dir) / "repro", programs[tasks[t].program], r);
        if (repro) {
          fmt::print("    reproducer: {}\n", repro->string());
        } else {
          fmt::print(stderr, "tcpconform run: {}\n", repro.error());
        }
        break;
      }
    }
    if (!config.pcap_dir.empty()) {
      if (auto p = write_pcaps(config.pcap_dir, r); !p) {
        fmt::print(stderr, "tcpconform run: {}\n", p.error());
      }
    }
    summary.results.push_back(std::move(r));
  }
  summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Coverage of the whole run: catalog rules the model applied, state-diagram edges walked.
  model::RuleSet rules;
  std::set<std::pair<model::State, model::State>> edges;
  for (const auto& r : summary.results) {
    rules |= r.rules;
    edges.insert(r.edges.begin(), r.edges.end());
  }
  fmt::print("\ncoverage: {} of {} catalog rules applied by the model, {} state transitions\n",
             rules.size(), model::kRuleCount, edges.size());
  // Scenarios whose subject is a kernel timer are timed apart: their real waits dominate.
  std::vector<std::int64_t> quick;
  std::int64_t quick_total = 0;
  std::size_t timed = 0;
  std::int64_t timed_total = 0;
  for (const auto& r : summary.results) {
    if (r.waited_us > 0) {
      ++timed;
      timed_total += r.wall_us;
    } else {
      quick.push_back(r.wall_us);
      quick_total += r.wall_us;
    }
  }
  if (!quick.empty()) {
    std::sort(quick.begin(), quick.end());
    fmt::print(
        "time: {} scenarios without timer waits took {:.3f} s (median {:.2f} ms); {} "
        "scenarios about kernel timers took {:.2f} s\n",
        quick.size(), static_cast<double>(quick_total) / 1e6,
        static_cast<double>(quick[quick.size() / 2]) / 1e3, timed,
        static_cast<double>(timed_total) / 1e6);
  }
  if (config.verbose) {
    std::string ids;
    rules.for_each([&](model::Rule r) { ids += fmt::format(" {}", model::to_string(r)); });
    fmt::print("rules:{}\n", ids);
    for (const auto& [from, to] : edges) {
      fmt::print("edge: {} -> {}\n", model::to_string(from), model::to_string(to));
    }
  }
  int code = failed > 0 ? kExitFailures : kExitOk;
  if (!config.json.empty()) {
    if (auto w = write_json(config.json, summary); !w) {
      fmt::print(stderr, "tcpconform run: {}\n", w.error());
      code = kExitBadInput;
    }
  }
  if (!config.junit.empty()) {
    if (auto w = write_junit(config.junit, summary); !w) {
      fmt::print(stderr, "tcpconform run: {}\n", w.error());
      code = kExitBadInput;
    }
  }
  fmt::print(
      "\n{} passed, {} failed, {} known deviations in {:.2f} s ({:.2f} s waiting for kernel "
      "timers)\n",
      passed, failed, known, summary.wall_seconds, static_cast<double>(waited) / 1e6);
  return code;
}

void add_common_options(CLI::App* cmd, RunConfig& config) {
  add_stack_options(cmd, config.stack, "model (the model alone)");
  add_profile_option(cmd, config.profile);
  auto* v4 = cmd->add_flag("--ipv4", config.ipv4, "Run in IPv4 (the default)");
  auto* v6 = cmd->add_flag("--ipv6", config.ipv6, "Run in IPv6");
  auto* both = cmd->add_flag("--both", config.both, "Run in IPv4 and IPv6");
  v4->excludes(v6)->excludes(both);
  v6->excludes(both);
  cmd->add_option("--pcap", config.pcap_dir, "Write one capture per scenario and lane to DIR");
  cmd->add_option("--out", config.out_dir, "Directory for reproducer scripts")
      ->capture_default_str();
  cmd->add_flag("--real-time", config.real_time,
                "Wait out every gap of a script on the kernel, as packetdrill does (by default "
                "only gaps in which a timer fires are waited)");
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<RunConfig>();
  auto* cmd = app.add_subcommand(
      "run",
      "Run scenarios (packetdrill scripts) against the model and the kernel. With no PATH, the "
      "bundled corpus.");
  cmd->add_option("paths", config->paths, "Scenario files or directories (searched for *.pkt)");
  add_common_options(cmd, *config);
  cmd->add_option("-j,--jobs", config->jobs,
                  "Parallel workers, one namespace each (default: cores)");
  cmd->add_option("--json", config->json, "Write a JSON report to FILE");
  cmd->add_option("--junit", config->junit, "Write a JUnit XML report to FILE");
  cmd->add_option("--filter", config->filter, "Only scenarios whose path matches GLOB");
  cmd->add_flag("-v,--verbose", config->verbose, "Print every exchange and note");
  cmd->callback([config, &exit_code] { exit_code = run_all(*config); });
}

void add_replay_command(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<RunConfig>();
  auto* cmd = app.add_subcommand("replay", "Run one scenario with a full trace");
  cmd->add_option("file", config->paths, "The scenario to replay")->required()->expected(1);
  add_common_options(cmd, *config);
  cmd->callback([config, &exit_code] {
    config->verbose = true;
    config->jobs = 1;
    exit_code = run_all(*config);
  });
}

}  // namespace tcpconform::cli
