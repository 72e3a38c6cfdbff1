// The campaign engine (campaign.h): workers, the per-program path, the progress thread.
#include "tcpconform/campaign/campaign.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "record.h"
#include "tcpconform/campaign/model_isolation.h"
#include "tcpconform/engine/explore/judge_on.h"
#include "tcpconform/engine/explore/rng.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/deviations.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::campaign {
namespace ex = engine::explore;
namespace fs = std::filesystem;

namespace {

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

// How many lane failures the result keeps as examples.
constexpr std::size_t kLaneFailureExamples = 5;
// How many times a key that does not reproduce is tried again.
constexpr int kConfirmTries = 3;

// What the workers share.
struct Shared {
  std::mutex mu;
  std::set<std::string> known;  // keys filed (or being recorded)
  std::map<std::string, ModelAbort> aborts;
  std::map<std::string, StackCrash> crashes;
  std::set<std::string> crash_sites;  // claimed, being minimised
  std::map<std::string, int> unconfirmed;
  std::vector<Finding> findings;
  ex::CellSet cells;
  model::RuleSet rules;
  std::vector<std::string> lane_failure_examples;
  std::string stack_name;
  std::atomic<std::uint64_t> programs{0};
  std::atomic<std::uint64_t> steps{0};
  std::atomic<std::int64_t> waited_us{0};
  std::atomic<std::uint64_t> lane_failures{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> new_findings{0};
  std::atomic<std::uint64_t> judged{0};
  std::atomic<std::uint64_t> judge_runs{0};
  std::atomic<std::int64_t> judge_us{0};
};

// The program being run, on disk: should the model abort, the program that did it is there.
// The file stays open and is overwritten in place (closing a truncated file makes ext4 flush).
class InflightFile {
 public:
  explicit InflightFile(fs::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  }
  InflightFile(const InflightFile&) = delete;
  InflightFile& operator=(const InflightFile&) = delete;
  ~InflightFile() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ec;
    fs::remove(path_, ec);
  }
  void write(const engine::Program& program) {
    if (fd_ < 0) return;
    const std::string text = scenario::print(program);
    if (::pwrite(fd_, text.data(), text.size(), 0) < 0 ||
        ::ftruncate(fd_, static_cast<off_t>(text.size())) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

class Worker {
 public:
  Worker(unsigned index, const CampaignOptions& options, Shared& shared,
         std::unique_ptr<harness::SystemUnderTest> stack, std::optional<ModelIsolation> isolation,
         Clock::time_point deadline, Clock::time_point grace)
      : index_(index),
        options_(options),
        shared_(shared),
        stack_(std::move(stack)),
        isolation_(std::move(isolation)),
        deadline_(deadline),
        profile_(model::profile_from_spec(options.profile).value()),
        model_(profile_),
        bench_{&model_, stack_.get(), options.environment},
        recorder_{options, *stack_, nullptr, nullptr, grace} {
    // Any other profile than linux is explained, and judged on, against the linux profile.
    if (options.profile != "linux") {
      explainer_model_ = std::make_unique<harness::ModelSut>(linux_);
      explainer_.emplace(ex::Bench{explainer_model_.get(), stack_.get(), options.environment});
      stand_in_ = harness::model_stand_in(linux_, options.environment);
      recorder_.stand_in = stand_in_.get();
      recorder_.explainer = &*explainer_;
    }
  }

  void run() {
    {
      const std::lock_guard lock(shared_.mu);
      shared_.stack_name = stack_->name();
    }
    ex::Generator generator(ex::mix_seed(options_.seed, index_));
    InflightFile inflight(options_.out / fmt::format("inflight-{}.pkt", index_));
    while (Clock::now() < deadline_ &&
           (options_.max_programs == 0 || shared_.programs.load() < options_.max_programs)) {
      const ex::Generated g = generator.next();
      inflight.write(g.program);
      one(g);
    }
  }

 private:
  void one(const ex::Generated& g) {
    if (isolation_) {
      const std::string aborted = isolation_->run(g.program);
      if (!aborted.empty()) {
        ++shared_.programs;
        const std::string slug = abort_slug(aborted);
        bool fresh = false;
        {
          const std::lock_guard lock(shared_.mu);
          fresh = !shared_.aborts.contains(slug);
          if (fresh) shared_.aborts[slug] = ModelAbort{slug, aborted, {}};
        }
        if (fresh) {
          ModelAbort a = recorder_.abort(g, aborted);
          const std::lock_guard lock(shared_.mu);
          shared_.aborts[slug] = std::move(a);
        }
        return;
      }
    }
    const ex::Trial trial = ex::run_trial(bench_, g.program);
    ++shared_.programs;
    shared_.steps += g.program.steps.size();
    shared_.waited_us += trial.result.waited_us;
    if (trial.stack_crashed) {
      crashed(g, trial);
      return;
    }
    if (trial.harness_error) {
      if (shared_.errors++ == 0) {
        fmt::print(stderr, "\ntcpconform {}: harness error (seed {}): {}\n", options_.command,
                   g.seed, trial.result.summary);
      }
      return;
    }
    const std::vector<Candidate> candidates = candidates_of(g, trial);
    std::vector<const Candidate*> fresh;
    {
      const std::lock_guard lock(shared_.mu);
      shared_.cells |= trial.cells;
      shared_.rules |= trial.result.rules;
      if (trial.lane_failed && shared_.lane_failure_examples.size() < kLaneFailureExamples) {
        shared_.lane_failure_examples.push_back(
            fmt::format("seed {} ({}): {}", g.seed, ex::to_string(g.target), trial.result.summary));
      }
      for (const Candidate& c : candidates) {
        if (shared_.known.insert(c.key).second) fresh.push_back(&c);
      }
    }
    if (trial.lane_failed) {
      ++shared_.lane_failures;
      return;
    }
    if (options_.observer != nullptr) {
      options_.observer->program(WorkerView{bench_, explainer_ ? &*explainer_ : nullptr}, g, trial);
    }
    for (const Candidate* c : fresh) {
      std::optional<Finding> f = recorder_.divergence(g, trial, *c);
      if (f && options_.observer != nullptr) options_.observer->recorded(*f);
      const std::lock_guard lock(shared_.mu);
      if (!f) {
        // Not reproducible: a later occurrence may try again, three times in all.
        if (++shared_.unconfirmed[c->key] < kConfirmTries) shared_.known.erase(c->key);
        continue;
      }
      ++shared_.new_findings;
      shared_.findings.push_back(std::move(*f));
    }
  }

  // The program's divergence and, judging on, those after it.
  std::vector<Candidate> candidates_of(const ex::Generated& g, const ex::Trial& trial) {
    std::vector<Candidate> out;
    if (trial.lane_failed || !trial.signature) return out;
    out.push_back(Candidate{*trial.signature, {}, options_.profile, {}});
    if (options_.judge_on && stand_in_) {
      const auto started = Clock::now();
      const ex::Chain chain =
          ex::judge_on(g.program, profile_, linux_, *stand_in_, hints_, {}, options_.environment);
      ++shared_.judged;
      shared_.judge_runs += chain.runs;
      shared_.judge_us +=
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
      // The chain is the stack's own only while the linux model behaves as the stack did: its
      // first link must be the trial's divergence. Later links are confirmed on the stack when
      // recorded. A link whose explanation the run budget left unminimised names no fields.
      if (!chain.links.empty() && chain.links[0].minimal &&
          chain.links[0].step == trial.result.divergence->step &&
          chain.links[0].signature == *trial.signature) {
        out[0].signature.deviations = model::joined_names(chain.links[0].explained_by);
        out[0].rules = chain.links[0].rules;
        for (std::size_t i = 1; i < chain.links.size(); ++i) {
          const ex::Link& link = chain.links[i];
          if (link.explained_by.empty() || !link.minimal) continue;
          ex::Signature sig = link.signature;
          sig.deviations = model::joined_names(link.explained_by);
          out.push_back(
              Candidate{sig, {}, model::hybrid_spec(options_.profile, link.adopted), link.rules});
        }
      }
    }
    for (Candidate& c : out) {
      c.key = options_.observer != nullptr ? options_.observer->key(g, trial, c.signature)
                                           : c.signature.slug();
    }
    return out;
  }

  // The stack died under this program (LwipSut: an assertion aborted its host, which reset()
  // restarts): a finding about the stack, once per crash site.
  void crashed(const ex::Generated& g, const ex::Trial& trial) {
    const std::string slug = crash_slug(trial.result.error->message);
    {
      const std::lock_guard lock(shared_.mu);
      if (!shared_.crash_sites.insert(slug).second) return;
    }
    StackCrash c = recorder_.crash(bench_, g, trial, slug);
    const std::lock_guard lock(shared_.mu);
    shared_.crashes[slug] = std::move(c);
  }

  unsigned index_;
  const CampaignOptions& options_;
  Shared& shared_;
  std::unique_ptr<harness::SystemUnderTest> stack_;
  std::optional<ModelIsolation> isolation_;
  Clock::time_point deadline_;
  model::Profile profile_;
  model::Profile linux_ = model::linux_profile();
  harness::ModelSut model_;
  ex::Bench bench_;
  std::unique_ptr<harness::ModelSut> explainer_model_;
  std::optional<ex::Bench> explainer_;
  std::unique_ptr<harness::ModelSut> stand_in_;
  ex::DeviationHints hints_;
  Recorder recorder_;
};

Progress progress_of(Shared& s, Clock::time_point started, bool final) {
  const std::lock_guard lock(s.mu);
  Progress p;
  p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  p.programs = s.programs.load();
  p.steps = s.steps.load();
  p.states = s.cells.states();
  p.cells = s.cells.size();
  p.rules = s.rules.size();
  p.divergences = s.known.size();
  p.final = final;
  return p;
}

}  // namespace

tl::expected<CampaignResult, CampaignError> run_campaign(const CampaignOptions& options,
                                                         const StackFactory& make_stack) {
  const auto profile = model::profile_from_spec(options.profile);
  if (!profile) return tl::make_unexpected(CampaignError{profile.error(), false});
  const unsigned jobs = std::max(1U, options.jobs);
  Shared shared;
  for (const Finding& f : options.previous) {
    shared.known.insert(f.key);
    shared.findings.push_back(f);
  }
  // Every worker's model helper is forked before any stack's socket exists
  // (model_isolation.h), and every stack is made before any thread starts.
  std::vector<std::optional<ModelIsolation>> isolations(jobs);
  if (options.isolate) {
    for (unsigned j = 0; j < jobs; ++j) {
      auto helper = ModelIsolation::start(*profile, options.environment, kMayRespawn);
      if (!helper) return tl::make_unexpected(CampaignError{helper.error(), false});
      isolations[j].emplace(std::move(*helper));
    }
  }
  std::vector<std::unique_ptr<harness::SystemUnderTest>> stacks;
  for (unsigned j = 0; j < jobs; ++j) {
    auto stack = make_stack();
    if (!stack) {
      return tl::make_unexpected(
          CampaignError{fmt::format("cannot drive {}: {}", options.sut, stack.error().to_string()),
                        stack.error().missing_privilege});
    }
    stacks.push_back(std::move(*stack));
  }
  const auto started = Clock::now();
  const auto seconds =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  const auto deadline = started + seconds;
  // Divergences found near the end are still minimised, for at most 10 s + 10% of the campaign.
  const auto grace = deadline + std::chrono::seconds(10) + seconds / 10;
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned j = 0; j < jobs; ++j) {
    workers.push_back(std::make_unique<Worker>(j, options, shared, std::move(stacks[j]),
                                               std::move(isolations[j]), deadline, grace));
  }
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (auto& w : workers) threads.emplace_back([&w] { w->run(); });
  std::atomic<bool> done{false};
  std::thread progress;
  if (options.progress) {
    progress = std::thread([&] {
      while (!done.load()) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        if (!done.load()) options.progress(progress_of(shared, started, false));
      }
    });
  }
  for (auto& t : threads) t.join();
  done = true;
  if (progress.joinable()) progress.join();
  if (options.progress) options.progress(progress_of(shared, started, true));
  workers.clear();  // stacks and helpers go before the result is read

  CampaignResult r;
  r.stack_name = shared.stack_name;
  r.jobs = jobs;
  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  r.programs = shared.programs.load();
  r.steps = shared.steps.load();
  r.waited_us = shared.waited_us.load();
  r.lane_failures = shared.lane_failures.load();
  r.lane_failure_examples = std::move(shared.lane_failure_examples);
  r.harness_errors = shared.errors.load();
  r.judged_programs = shared.judged.load();
  r.judge_runs = shared.judge_runs.load();
  r.judge_us = shared.judge_us.load();
  r.findings = std::move(shared.findings);
  r.new_findings = shared.new_findings.load();
  for (auto& [slug, a] : shared.aborts) r.model_aborts.push_back(std::move(a));
  for (auto& [slug, c] : shared.crashes) r.stack_crashes.push_back(std::move(c));
  for (const auto& entry : shared.unconfirmed) {
    const std::string& key = entry.first;
    if (std::none_of(r.findings.begin(), r.findings.end(),
                     [&](const Finding& f) { return f.key == key; })) {
      r.unconfirmed.insert(entry);
    }
  }
  r.cells = shared.cells;
  r.rules = shared.rules;
  return r;
}

}  // namespace tcpconform::campaign
