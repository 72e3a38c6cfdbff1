// One fuzz input: decode, run differentially, count transitions, judge.
#include "fuzz_driver.h"

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "case_codec.h"
#include "differential.h"
#include "tcpconform/scenario/print.h"
#include "transitions.h"

namespace tcpconform::explore_steps {
namespace {

struct Stats {
  std::bitset<kTransitionCount> seen;
  std::size_t inputs = 0;
};

Stats& stats() {
  static Stats s;
  return s;
}

void print_stats() {
  std::fprintf(stderr,
               "explore fuzz: %zu distinct (state x event x rule) transitions in %zu inputs\n",
               stats().seen.count(), stats().inputs);
}

bool env(const char* name) {
  return std::getenv(name) != nullptr;
}

// Whether the run's divergence is one EXPLORE_FUZZ_KNOWN lists.
bool known(const engine::explore::Trial& trial) {
  static const std::string list = [] {
    const char* v = std::getenv("EXPLORE_FUZZ_KNOWN");
    return v == nullptr ? std::string{} : "," + std::string{v} + ",";
  }();
  if (list.empty() || !trial.signature || trial.harness_error) return false;
  return list.find("," + trial.signature->slug() + ",") != std::string::npos;
}

}  // namespace

void run_input(Driver& driver, std::span<const std::uint8_t> input,
               std::span<std::uint8_t> counters) {
  static const bool verbose = env("EXPLORE_FUZZ_VERBOSE");
  static const bool want_stats = [] {
    if (env("EXPLORE_FUZZ_STATS")) std::atexit(print_stats);
    return true;
  }();
  (void)want_stats;
  std::fill(counters.begin(), counters.end(), std::uint8_t{0});

  const Built built = build(decode(input), driver.limits);
  if (verbose) std::fprintf(stderr, "%s\n", scenario::print(built.program).c_str());

  const engine::explore::Trial trial = engine::explore::run_trial(driver.bench, built.program);
  if (const auto why = failure(built.prefix_steps, trial); why && !known(trial)) {
    const std::string text = reproducer(built.program, *why, driver.profile, driver.sut);
    std::fprintf(stderr, "\nexplore fuzz: the model and %s disagree\n%s\n", driver.sut.c_str(),
                 text.c_str());
    std::fflush(stderr);
    std::abort();
  }

  static const bool guided = !env("EXPLORE_FUZZ_NO_TRANSITIONS");
  ++stats().inputs;
  for (const std::size_t t : transitions(built.program, *driver.bench.model)) {
    stats().seen.set(t);
    if (guided && t < counters.size() && counters[t] < 255) ++counters[t];
  }
}

}  // namespace tcpconform::explore_steps
