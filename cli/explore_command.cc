// `tcpconform explore`: parallel workers (one kernel namespace each) run generated programs,
// show live progress, minimise each distinct divergence into DIR/<signature>.pkt and write
// DIR/summary.json.
#include "explore_command.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "exit_codes.h"
#include "explore_findings.h"
#include "model_isolation.h"
#include "profile_option.h"
#include "stacks.h"
#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/judge_on.h"
#include "tcpconform/engine/explore/minimise.h"
#include "tcpconform/engine/explore/rng.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/model/deviations.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/parse.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::cli {
namespace fs = std::filesystem;
namespace ex = engine::explore;
using Clock = std::chrono::steady_clock;

namespace {

struct ExploreConfig {
  StackChoice stack;
  std::string profile = "linux";
  double seconds = 60;
  unsigned jobs = 0;
  std::uint64_t seed = 1;
  std::string out = "tcpconform-explore";
  bool resume = false;
  std::uint64_t max_programs = 0;  // 0: no limit (tests bound campaigns this way)
  bool isolate = true;             // run each program on the model in a child process first
};

// A divergence to record: the program's first, or one found by judging on (judge_on.h).
struct Candidate {
  ex::Signature signature;
  std::string profile;             // the spec of the profile that diverged
  std::vector<model::Rule> rules;  // judged on: the explaining fields' rules applied there
};

struct Shared {
  std::mutex mu;
  std::set<std::string> known;                // signature slugs
  std::map<std::string, std::string> aborts;  // model invariant aborts: slug → message
  // [lwip] The stack under test itself died (an LWIP_ASSERT): slug → message (see crash_slug()).
  std::map<std::string, std::string> stack_crashes;
  std::map<std::string, int> unconfirmed;  // divergences a re-run did not reproduce: tries
  std::vector<Finding> findings;
  ex::CellSet cells;
  model::RuleSet rules;
  std::vector<std::string> prefix_failures;  // first few, for the summary
  std::string stack_name;
  std::atomic<std::uint64_t> programs{0};
  std::atomic<std::uint64_t> steps{0};
  std::atomic<std::int64_t> waited_us{0};  // real waits for kernel timers (`//@ advance`, …)
  std::atomic<std::uint64_t> lane_failures{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> new_findings{0};
  std::atomic<std::uint64_t> judged{0};      // programs judged on past a first divergence
  std::atomic<std::uint64_t> judge_runs{0};  // their model-against-model runs
  std::atomic<std::int64_t> judge_us{0};     // and the time they took
  std::atomic<unsigned> running{0};
};

tl::expected<void, std::string> write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return tl::make_unexpected(fmt::format("cannot write {}", path.string()));
  return {};
}

// A helper that died is forked again from the running campaign only where fork() in a
// multi-threaded process is safe: glibc's malloc re-initialises its locks in the child, the
// sanitizers' allocators do not (a child could deadlock). Sanitized builds then go on without
// isolation after a first model abort.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
constexpr bool kMayRespawn = false;
#else
constexpr bool kMayRespawn = true;
#endif
#else
constexpr bool kMayRespawn = true;
#endif

// A model abort's name: "model-abort-" and the source location it names.
std::string abort_slug(const std::string& message) {
  const auto at = message.rfind(" at ");
  std::string where = at == std::string::npos ? message : message.substr(at + 4);
  const auto slash = where.rfind('/');
  if (slash != std::string::npos) where = where.substr(slash + 1);
  return "model-abort-" + ex::slugify(where);
}

// [lwip] A crash of the stack under test by where it happened: "stack-crash-tcp_in-c-1234" from
// lwIP's "Assertion … failed at line 1234 in …/tcp_in.c", else by the signal.
std::string crash_slug(const std::string& summary) {
  std::string where;
  if (const auto at = summary.find("failed at line "); at != std::string::npos) {
    std::string rest = summary.substr(at + 15);
    const auto in = rest.find(" in ");
    if (in != std::string::npos) {
      std::string file = rest.substr(in + 4);
      file = file.substr(0, file.find(' '));
      if (const auto slash = file.rfind('/'); slash != std::string::npos)
        file = file.substr(slash + 1);
      where = file + "-" + rest.substr(0, in);
    }
  } else if (const auto sig = summary.find("signal "); sig != std::string::npos) {
    where = "signal-" + summary.substr(sig + 7, summary.find(' ', sig + 7) - sig - 7);
  }
  return where.empty() ? "stack-crash" : "stack-crash-" + ex::slugify(where);
}

// Minimises a fresh divergence, writes its reproducer and checks that the file replays to the
// same signature. Nullopt when a re-run of the program does not diverge the same way (timing):
// nothing is written then.
// A divergence the linux profile model explains is first minimised against that model (`stand_in`,
// microseconds a run) and kept when the result diverges the same way on the stack.
std::optional<Finding> record(harness::SystemUnderTest& stack, harness::SystemUnderTest* stand_in,
                              ex::Bench* explainer, const ex::Generated& g, const ex::Trial& trial,
                              const Candidate& c, const ExploreConfig& config,
                              Clock::time_point stop_minimising) {
  harness::ModelSut model(profile_of(c.profile));
  ex::Bench bench{&model, &stack};
  const ex::Signature target = c.signature.bare();
  Finding f;
  f.signature = c.signature;
  f.profile = c.profile;
  for (const model::Rule r : c.rules) f.linux_rules.emplace_back(model::to_string(r));
  f.seed = g.seed;
  f.target = std::string(ex::to_string(g.target));
  f.steps_before = g.program.steps.size();
  // Minimisation ends with the campaign's grace period: past it, candidates count as lost.
  const ex::Oracle run = ex::oracle_for(bench);
  const ex::Oracle bounded = [&](const engine::Program& p) -> std::optional<ex::Outcome> {
    if (Clock::now() > stop_minimising) return std::nullopt;
    return run(p);
  };
  std::optional<ex::Minimised> quick;
  if (stand_in != nullptr && !c.signature.deviations.empty()) {
    ex::Bench on_model{&model, stand_in};
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
  f.file = (fs::path(config.out) / (f.signature.slug() + ".pkt")).string();
  // Details from a run of the minimised program.
  ex::Trial final_trial = ex::run_trial(bench, best);
  // (Should that run not diverge as expected, the first candidate's details are the trial's.)
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
    // The linux profile explains the divergence when one of kReplays runs on the stack matches
    // it throughout (a single run can miss by the stack's timing under load).
    auto explains = [](const ex::Trial& t) {
      return !t.signature && !t.lane_failed && !t.harness_error;
    };
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
  const std::string text = reproducer_text(f, config.profile, config.stack.sut, best);
  if (auto w = write_text(f.file, text); !w) {
    fmt::print(stderr, "\ntcpconform explore: {}\n", w.error());
    return f;
  }
  // The file itself, parsed back, must diverge the same way, every time (kReplays runs).
  auto parsed = scenario::parse(text, f.file);
  if (parsed) {
    for (int k = 0; k < kReplays; ++k) {
      const ex::Trial replay = ex::run_trial(bench, *parsed);
      f.replayed += replay.signature == target ? 1 : 0;
    }
  }
  f.replays = f.replayed == kReplays;
  return f;
}

// The stack one worker drives beside the model: a real one, or a linux-profile model for the
// self-check.
harness::Result<std::unique_ptr<harness::SystemUnderTest>> worker_stack(
    const ExploreConfig& config) {
  if (drives_real_stack(config.stack))
    return make_stack(config.stack, harness::bench_environment());
  return std::unique_ptr<harness::SystemUnderTest>(harness::model_stand_in(model::linux_profile()));
}

void work(unsigned index, const ExploreConfig& config, Shared& shared, Clock::time_point deadline,
          std::unique_ptr<harness::SystemUnderTest> owned_stack,
          std::optional<ModelIsolation> isolation) {
  const model::Profile profile = profile_of(config.profile);
  harness::ModelSut model(profile);
  std::unique_ptr<harness::ModelSut> explainer_model;
  // Any other profile than linux is judged on past the divergences the linux profile explains,
  // model against model with a linux-profile model standing in for the stack (judge_on.h).
  const model::Profile linux = model::linux_profile();
  std::unique_ptr<harness::ModelSut> linux_stand_in;
  ex::DeviationHints hints;
  if (config.profile != "linux") {
    explainer_model = std::make_unique<harness::ModelSut>(linux);
    linux_stand_in = harness::model_stand_in(linux);
  }
  harness::SystemUnderTest* stack = owned_stack.get();
  {
    const std::lock_guard lock(shared.mu);
    shared.stack_name = stack->name();
  }
  ex::Bench bench{&model, stack};
  std::optional<ex::Bench> explainer;
  if (explainer_model) explainer = ex::Bench{explainer_model.get(), stack};
  ex::Generator generator(ex::mix_seed(config.seed, index));
  const fs::path inflight = fs::path(config.out) / fmt::format("inflight-{}.pkt", index);
  // Divergences found near the end are still minimised, for at most 10 s + 10% of the campaign.
  const auto grace = deadline + std::chrono::seconds(10) +
                     std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(config.seconds * 0.1));
  int inflight_fd = ::open(inflight.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ++shared.running;
  while (Clock::now() < deadline &&
         (config.max_programs == 0 || shared.programs.load() < config.max_programs)) {
    const ex::Generated g = generator.next();
    // Should the model abort on a broken invariant, the program that did it is on disk. (The
    // file stays open and is overwritten in place: closing a truncated file makes ext4 flush.)
    if (inflight_fd >= 0) {
      const std::string text = scenario::print(g.program);
      if (::pwrite(inflight_fd, text.data(), text.size(), 0) < 0 ||
          ::ftruncate(inflight_fd, static_cast<off_t>(text.size())) != 0) {
        ::close(inflight_fd);
        inflight_fd = -1;
      }
    }
    if (isolation) {
      const std::string aborted = isolation->run(g.program);
      if (!aborted.empty()) {
        ++shared.programs;
        const std::string slug = abort_slug(aborted);
        bool fresh_abort = false;
        {
          const std::lock_guard lock(shared.mu);
          fresh_abort = shared.aborts.emplace(slug, aborted).second;
        }
        if (fresh_abort) {
          const fs::path file = fs::path(config.out) / (slug + ".pkt");
          const std::string text = fmt::format(
              "// tcpconform explore: the model aborts (seed {}, target {})\n// {}\n// replay: "
              "tcpconform replay --profile {} --sut model {}\n{}",
              g.seed, ex::to_string(g.target), aborted, config.profile, file.string(),
              scenario::print(g.program));
          if (auto w = write_text(file, text); !w) fmt::print(stderr, "\n{}\n", w.error());
        }
        continue;
      }
    }
    const ex::Trial trial = ex::run_trial(bench, g.program);
    ++shared.programs;
    shared.steps += g.program.steps.size();
    shared.waited_us += trial.result.waited_us;
    // [lwip] The stack died under this program (LwipSut: an LWIP_ASSERT aborted its host, which
    // reset() restarts): a finding about the stack, written with its program as the reproducer
    // (not minimised), once per crash site. Kept local to this loop on purpose.
    if (trial.harness_error &&
        trial.result.summary.find(harness::kStackCrashedMarker) != std::string::npos) {
      const std::string slug = crash_slug(trial.result.summary);
      bool fresh_crash = false;
      {
        const std::lock_guard lock(shared.mu);
        fresh_crash = shared.stack_crashes.emplace(slug, trial.result.summary).second;
      }
      if (fresh_crash) {
        const fs::path file = fs::path(config.out) / (slug + ".pkt");
        const std::string text = fmt::format(
            "// tcpconform explore: the stack under test crashed (seed {}, target {})\n// {}\n"
            "// replay: tcpconform replay --profile {} --sut {} {}\n{}",
            g.seed, ex::to_string(g.target), trial.result.summary, config.profile, config.stack.sut,
            file.string(), scenario::print(g.program));
        if (auto w = write_text(file, text); !w) fmt::print(stderr, "\n{}\n", w.error());
      }
      continue;
    }
    if (trial.harness_error) {
      if (shared.errors++ == 0) {
        fmt::print(stderr, "\ntcpconform explore: harness error (seed {}): {}\n", g.seed,
                   trial.result.summary);
      }
      continue;
    }
    // The program's divergence and, judging on, those after it.
    std::vector<Candidate> candidates;
    if (!trial.lane_failed && trial.signature) {
      candidates.push_back(Candidate{*trial.signature, config.profile, {}});
      if (linux_stand_in) {
        const auto judge_start = Clock::now();
        const ex::Chain chain = ex::judge_on(g.program, profile, linux, *linux_stand_in, hints);
        ++shared.judged;
        shared.judge_runs += chain.runs;
        shared.judge_us +=
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - judge_start)
                .count();
        // The chain is the stack's own only while the linux model behaves as the stack did:
        // its first link must be the trial's divergence. Later links are confirmed on the
        // stack by record().
        // A link whose explanation the run budget left unminimised names no fields.
        if (!chain.links.empty() && chain.links[0].minimal &&
            chain.links[0].step == trial.result.divergence->step &&
            chain.links[0].signature == *trial.signature) {
          candidates[0].signature.deviations = model::joined_names(chain.links[0].explained_by);
          candidates[0].rules = chain.links[0].rules;
          for (std::size_t i = 1; i < chain.links.size(); ++i) {
            const ex::Link& link = chain.links[i];
            if (link.explained_by.empty() || !link.minimal) continue;
            ex::Signature sig = link.signature;
            sig.deviations = model::joined_names(link.explained_by);
            candidates.push_back(
                Candidate{sig, model::hybrid_spec(config.profile, link.adopted), link.rules});
          }
        }
      }
    }
    std::vector<const Candidate*> fresh;
    {
      const std::lock_guard lock(shared.mu);
      shared.cells |= trial.cells;
      shared.rules |= trial.result.rules;
      if (trial.lane_failed) {
        if (shared.prefix_failures.size() < 5) {
          shared.prefix_failures.push_back(fmt::format(
              "seed {} ({}): {}", g.seed, ex::to_string(g.target), trial.result.summary));
        }
      }
      for (const Candidate& c : candidates) {
        if (shared.known.insert(c.signature.slug()).second) fresh.push_back(&c);
      }
    }
    if (trial.lane_failed) ++shared.lane_failures;
    for (const Candidate* c : fresh) {
      std::optional<Finding> f =
          record(*stack, linux_stand_in.get(), explainer ? &*explainer : nullptr, g, trial, *c,
                 config, grace);
      const std::lock_guard lock(shared.mu);
      if (!f) {
        // Not reproducible: a later occurrence may try again, three times in all.
        const std::string slug = c->signature.slug();
        if (++shared.unconfirmed[slug] < 3) shared.known.erase(slug);
        continue;
      }
      ++shared.new_findings;
      shared.findings.push_back(std::move(*f));
    }
  }
  --shared.running;
  if (inflight_fd >= 0) ::close(inflight_fd);
  std::error_code ec;
  fs::remove(inflight, ec);
}

std::string progress_line(const Shared& s, double elapsed) {
  const auto programs = static_cast<double>(s.programs.load());
  const auto steps = static_cast<double>(s.steps.load());
  const double secs = std::max(elapsed, 1e-3);
  return fmt::format(
      "[{:5.0f} s] {} programs ({:.0f}/s, {:.0f} steps/s)  states {}/{}  cells {}/{}  rules {}/{}  "
      "divergences {}",
      elapsed, s.programs.load(), programs / secs, steps / secs, s.cells.states(),
      model::kStateCount, s.cells.size(), ex::kCellCount, s.rules.size(), model::kRuleCount,
      s.known.size());
}

int explore(const ExploreConfig& config) {
  std::error_code ec;
  fs::create_directories(config.out, ec);
  if (ec) {
    fmt::print(stderr, "tcpconform explore: {}: {}\n", config.out, ec.message());
    return kExitBadInput;
  }
  const fs::path summary_path = fs::path(config.out) / "summary.json";
  Shared shared;
  if (config.resume) {
    shared.findings = read_previous(summary_path);
    for (const Finding& f : shared.findings) shared.known.insert(f.signature.slug());
  }
  unsigned jobs =
      config.jobs != 0 ? config.jobs : std::max(1U, std::thread::hardware_concurrency());
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(config.seconds));
  // Every worker's model helper is forked before any kernel socket exists (model_isolation.h).
  std::vector<std::optional<ModelIsolation>> isolations(jobs);
  if (config.isolate) {
    for (unsigned j = 0; j < jobs; ++j) {
      auto started_helper = ModelIsolation::start(profile_of(config.profile), kMayRespawn);
      if (!started_helper) {
        fmt::print(stderr, "tcpconform explore: {}\n", started_helper.error());
        return kExitFailures;
      }
      isolations[j].emplace(std::move(*started_helper));
    }
  }
  // Every worker's stack is made before any thread starts: without root, entering a user
  // namespace needs a single-threaded process, and a missing privilege is best reported at once.
  std::vector<std::unique_ptr<harness::SystemUnderTest>> stacks;
  for (unsigned j = 0; j < jobs; ++j) {
    auto stack = worker_stack(config);
    if (!stack) {
      fmt::print(stderr, "tcpconform explore: cannot drive {}: {}\n", config.stack.sut,
                 stack.error().to_string());
      return stack.error().missing_privilege ? kExitNoPrivileges : kExitFailures;
    }
    stacks.push_back(std::move(*stack));
  }
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned j = 0; j < jobs; ++j) {
    threads.emplace_back(
        [&, j, stack = std::move(stacks[j]), helper = std::move(isolations[j])]() mutable {
          work(j, config, shared, deadline, std::move(stack), std::move(helper));
        });
  }
  std::atomic<bool> done{false};
  std::thread progress([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
      const std::lock_guard lock(shared.mu);
      fmt::print(stderr, "\r{}", progress_line(shared, elapsed));
      std::fflush(stderr);
    }
  });
  for (auto& t : threads) t.join();
  done = true;
  progress.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  fmt::print(stderr, "\r{}\n", progress_line(shared, elapsed));

  const double secs = std::max(elapsed, 1e-3);
  nlohmann::json divergences = nlohmann::json::array();
  for (const Finding& f : shared.findings) divergences.push_back(finding_json(f));
  nlohmann::json cells = nlohmann::json::array();
  for (int s = 0; s < model::kStateCount; ++s) {
    for (int c = 0; c < ex::kEventClassCount; ++c) {
      const auto state = static_cast<model::State>(s);
      const auto event = static_cast<ex::EventClass>(c);
      if (shared.cells.contains(state, event)) {
        cells.push_back(fmt::format("{} x {}", model::to_string(state), ex::to_string(event)));
      }
    }
  }
  // Judging on: which linux fields explain the findings (the deviations a campaign surfaced).
  struct Surfaced {
    const model::Deviation* deviation = nullptr;
    std::vector<std::string> slugs;  // the findings it explains
  };
  std::map<std::string_view, Surfaced> surfaced;  // by field name
  for (const Finding& f : shared.findings) {
    for (const model::Deviation* d : model::named(f.signature.deviations)) {
      Surfaced& s = surfaced[d->name];
      s.deviation = d;
      s.slugs.push_back(f.signature.slug());
    }
  }
  std::set<std::string> linux_rules;  // the catalog's [LINUX] ids among them
  for (const Finding& f : shared.findings) {
    if (f.explained_by.empty()) continue;
    for (const std::string& id : f.linux_rules) {
      const auto r = model::rule_from_string(id);
      if (r && model::is_linux_rule(*r)) linux_rules.insert(id);
    }
  }
  nlohmann::json deviations = nlohmann::json::object();
  for (const auto& [name, s] : surfaced) {
    nlohmann::json rule_ids = nlohmann::json::array();
    for (const model::Rule r : s.deviation->rules) {
      rule_ids.push_back(std::string(model::to_string(r)));
    }
    deviations[std::string(name)] = {{"rules", rule_ids}, {"divergences", s.slugs}};
  }
  nlohmann::json rules = nlohmann::json::array();
  shared.rules.for_each([&](model::Rule r) { rules.push_back(std::string(model::to_string(r))); });
  nlohmann::json unconfirmed = nlohmann::json::object();
  for (const auto& entry : shared.unconfirmed) {
    const std::string& slug = entry.first;
    if (std::none_of(shared.findings.begin(), shared.findings.end(),
                     [&](const Finding& f) { return f.signature.slug() == slug; })) {
      unconfirmed[slug] = entry.second;
    }
  }
  nlohmann::json stack_crashes = nlohmann::json::array();  // [lwip]
  for (const auto& [slug, message] : shared.stack_crashes) {
    stack_crashes.push_back(
        {{"file", (fs::path(config.out) / (slug + ".pkt")).string()}, {"message", message}});
  }
  nlohmann::json model_aborts = nlohmann::json::array();
  for (const auto& [slug, message] : shared.aborts) {
    model_aborts.push_back(
        {{"file", (fs::path(config.out) / (slug + ".pkt")).string()}, {"message", message}});
  }
  const nlohmann::json summary = {
      {"profile", config.profile},
      {"sut", config.stack.sut},
      {"stack", shared.stack_name},
      {"seed", config.seed},
      {"jobs", jobs},
      {"seconds", elapsed},
      {"programs", shared.programs.load()},
      {"steps", shared.steps.load()},
      {"programs_per_second", static_cast<double>(shared.programs.load()) / secs},
      {"steps_per_second", static_cast<double>(shared.steps.load()) / secs},
      {"kernel_timer_wait_seconds", static_cast<double>(shared.waited_us.load()) / 1e6},
      {"lane_failures", shared.lane_failures.load()},
      {"lane_failure_examples", shared.prefix_failures},
      {"harness_errors", shared.errors.load()},
      {"judged_on",
       {{"programs", shared.judged.load()},
        {"model_runs", shared.judge_runs.load()},
        {"seconds", static_cast<double>(shared.judge_us.load()) / 1e6}}},
      {"linux_deviations", deviations},
      {"linux_rules_surfaced", linux_rules},
      {"coverage",
       {{"cells_reached", shared.cells.size()},
        {"cells_total", ex::kCellCount},
        {"fraction",
         static_cast<double>(shared.cells.size()) / static_cast<double>(ex::kCellCount)},
        {"states_reached", shared.cells.states()},
        {"states_total", model::kStateCount},
        {"rules_applied", shared.rules.size()},
        {"rules_total", model::kRuleCount},
        {"cells", cells},
        {"rules", rules}}},
      {"divergences", divergences},
      {"model_aborts", model_aborts},
      {"stack_crashes", stack_crashes},
      {"unconfirmed", unconfirmed},
  };
  if (auto w = write_text(summary_path, summary.dump(2) + "\n"); !w) {
    fmt::print(stderr, "tcpconform explore: {}\n", w.error());
    return kExitBadInput;
  }
  for (const Finding& f : shared.findings) {
    if (f.previous) continue;
    fmt::print("divergence {}: {} ({} steps, replays {}/{}){}\n", f.signature.text(), f.file,
               f.steps_after, f.replayed, kReplays,
               f.explained_by.empty() ? "" : fmt::format(" [linux profile: {}]", f.explained_by));
  }
  for (const auto& [slug, message] : shared.aborts) {
    fmt::print("model abort: {} ({})\n", (fs::path(config.out) / (slug + ".pkt")).string(),
               message);
  }
  for (const auto& [slug, message] : shared.stack_crashes) {  // [lwip]
    fmt::print("stack crash: {} ({})\n", (fs::path(config.out) / (slug + ".pkt")).string(),
               message);
  }
  if (!surfaced.empty()) {
    std::string list;
    for (const auto& [name, s] : surfaced) {
      const std::vector<const model::Deviation*> one = {s.deviation};
      list += fmt::format("\n  {} [{}]", model::describe(one), s.slugs.size());
    }
    fmt::print("linux deviations that explain divergences ({}):{}\n", surfaced.size(), list);
    std::string ids;
    for (const std::string& id : linux_rules) ids += " " + id;
    fmt::print("catalog [LINUX] rules applied where they explain a divergence ({}):{}\n",
               linux_rules.size(), ids.empty() ? " none" : ids);
  }
  fmt::print("{} new distinct divergences; summary: {}\n", shared.new_findings.load(),
             summary_path.string());
  return shared.new_findings.load() > 0 || !shared.aborts.empty() || !shared.stack_crashes.empty()
             ? kExitFailures
             : kExitOk;
}

}  // namespace

void add_explore_command(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<ExploreConfig>();
  auto* cmd = app.add_subcommand(
      "explore",
      "Generate programs that drive a connection into every state and perturb it; report each "
      "distinct model/stack divergence as a minimised reproducer");
  add_stack_options(cmd, config->stack, "model (a linux-profile model: the self-check)");
  add_profile_option(cmd, config->profile);
  cmd->add_option("--time", config->seconds, "Campaign length in seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("-j,--jobs", config->jobs,
                  "Parallel workers, one namespace each (default: cores)");
  cmd->add_option("--seed", config->seed, "Campaign seed (worker k uses a seed mixed from it)")
      ->capture_default_str();
  cmd->add_option("--out", config->out, "Directory for reproducers and summary.json")
      ->capture_default_str();
  cmd->add_flag("--resume", config->resume,
                "Read DIR/summary.json and skip the divergences it already lists");
  cmd->add_option("--programs", config->max_programs,
                  "Stop after this many programs (0: only --time bounds the campaign)")
      ->capture_default_str();
  cmd->add_flag("!--no-isolate", config->isolate,
                "Do not pre-run each program on the model in a helper process (faster, but a "
                "model invariant failure then ends the campaign)");
  cmd->callback([config, &exit_code] { exit_code = explore(*config); });
}

}  // namespace tcpconform::cli
