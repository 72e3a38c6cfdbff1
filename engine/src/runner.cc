// The differential runner: lanes in lockstep, state comparison, verdict and coverage.
#include "tcpconform/engine/runner.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "tcpconform/engine/lane.h"

namespace tcpconform::engine {
namespace {

using Clock = std::chrono::steady_clock;

bool changes_state(const Action& a) {
  if (const auto* p = std::get_if<PacketSpec>(&a)) return p->direction == Direction::kInbound;
  return std::holds_alternative<SyscallSpec>(a) || std::holds_alternative<AdvanceTime>(a);
}

std::string tuple_text(const wire::FourTuple& t) {
  if (t.remote.port == 0) return fmt::format("{} > *", t.local.to_string());
  return fmt::format("{} > {}", t.local.to_string(), t.remote.to_string());
}

// Differences between the model's and the stack's connections, in script space.
std::vector<FieldDiff> compare_observations(const std::vector<model::ConnectionObservation>& m,
                                            const std::vector<model::ConnectionObservation>& s) {
  std::vector<FieldDiff> diffs;
  auto describe = [](const model::ConnectionObservation* o) {
    if (o == nullptr) return std::string("(none)");
    return fmt::format("{} recvq {} sendq {}{}", model::to_string(o->state), o->recv_q, o->send_q,
                       o->orphan ? " orphan" : "");
  };
  auto find = [](const std::vector<model::ConnectionObservation>& v,
                 const wire::FourTuple& t) -> const model::ConnectionObservation* {
    for (const auto& o : v) {
      if (o.tuple == t) return &o;
    }
    return nullptr;
  };
  auto differs = [](const model::ConnectionObservation& a, const model::ConnectionObservation& b) {
    return a.state != b.state || a.recv_q != b.recv_q || a.send_q != b.send_q ||
           a.orphan != b.orphan;
  };
  for (const auto& o : m) {
    const auto* other = find(s, o.tuple);
    if (other == nullptr || differs(o, *other)) {
      diffs.push_back({tuple_text(o.tuple), describe(&o), describe(other)});
    }
  }
  for (const auto& o : s) {
    if (find(m, o.tuple) == nullptr)
      diffs.push_back({tuple_text(o.tuple), describe(nullptr), describe(&o)});
  }
  return diffs;
}

// The first call, up to step `i`, whose result the script left open and both lanes now know,
// and whose results differ. Each call is compared once (`compared`); a call that completed on
// one lane only (one blocks, the other does not) is not judged here.
std::optional<Divergence> compare_open_results(const Program& program, const Lane& model_lane,
                                               const Lane& real_lane, std::vector<bool>& compared,
                                               std::size_t i) {
  for (std::size_t j = 0; j <= i; ++j) {
    if (compared[j]) continue;
    const auto& mine = model_lane.open_result(j);
    const auto& theirs = real_lane.open_result(j);
    if (!mine || !theirs) continue;
    compared[j] = true;
    const bool same =
        mine->value == theirs->value && (mine->value != -1 || mine->error == theirs->error);
    if (same) continue;
    const auto& spec = std::get<SyscallSpec>(program.steps[j].action);
    Divergence d;
    d.step = j;
    d.where = program.steps[j].where;
    d.what = fmt::format("the model and the stack returned differently from {}()", spec.name);
    d.diffs.push_back(
        {fmt::format("call {}()", spec.name), call_result_text(*mine), call_result_text(*theirs)});
    return d;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "PASS";
    case Verdict::kFail: return "FAIL";
    case Verdict::kKnownDeviation: return "KNOWN";
    case Verdict::kError: return "ERROR";
  }
  return "?";
}

ScenarioResult run_scenario(const Program& program, harness::ModelSut& model,
                            harness::SystemUnderTest* sut, const RunOptions& options) {
  const auto started = Clock::now();
  ScenarioResult result;
  result.file = program.file;
  result.version = options.version;
  auto harness_error = [&](const harness::Error& e) {
    result.verdict = Verdict::kError;
    result.summary = e.to_string();
    result.error = e;
    return result;
  };

  LaneOptions lane_options;
  lane_options.version = options.version;
  lane_options.stack_port = options.stack_port;
  lane_options.peer_port = options.peer_port;

  if (auto r = model.reset(); !r) return harness_error(r.error());
  // The model lives in the run's environment (short FIN-WAIT-2 timeout, few SYN retries, …),
  // as the stack does, whether or not a stack takes part.
  if (auto r = model.configure(options.environment.settings); !r) {
    return harness_error(r.error());
  }
  if (sut != nullptr) {
    if (auto r = sut->reset(); !r) return harness_error(r.error());
  }
  Lane model_lane(model, program, lane_options);
  std::optional<Lane> real_lane;
  if (sut != nullptr) {
    real_lane.emplace(*sut, program, lane_options);
  }
  if (auto r = model_lane.start(); !r) return harness_error(r.error());
  if (real_lane) {
    if (auto r = real_lane->start(); !r) return harness_error(r.error());
  }

  std::int64_t timer_grace_us = 0;  // real waits for late kernel timers before a comparison
  std::vector<bool> compared(program.steps.size(), false);  // open call results judged
  for (std::size_t i = 0; i < program.steps.size(); ++i) {
    auto happened = model_lane.reach(i, true);
    if (!happened) return harness_error(happened.error());
    if (real_lane) {
      auto reached = real_lane->reach(i, *happened || options.real_time);
      if (!reached) return harness_error(reached.error());
    }
    if (auto r = model_lane.execute(i); !r) return harness_error(r.error());
    if (real_lane) {
      if (auto r = real_lane->execute(i); !r) return harness_error(r.error());
    }
    // A lane that departed from the script stops; the other goes on, so each lane's verdict is
    // its own. States are compared only while both still follow the script.
    if (model_lane.failed() && (!real_lane || real_lane->failed())) break;
    if (real_lane && !result.divergence && !model_lane.failed() && !real_lane->failed()) {
      if (auto d = compare_open_results(program, model_lane, *real_lane, compared, i)) {
        if (d->step == i) {
          model.last_event_rules().for_each([&](model::Rule r) { d->rules.push_back(r); });
        }
        result.divergence = std::move(d);
      }
    }
    if (real_lane && !result.divergence && !model_lane.failed() && !real_lane->failed() &&
        changes_state(program.steps[i].action)) {
      auto mine = model_lane.observe_script_space();
      if (!mine) return harness_error(mine.error());
      auto theirs = real_lane->observe_script_space();
      if (!theirs) return harness_error(theirs.error());
      auto diffs = compare_observations(*mine, *theirs);
      // A kernel timer fires a little after its due time (jiffies, timer slack): after a step
      // whose gap held a timer, the stack's state gets the tolerance its segments get.
      const bool after_timer =
          *happened || std::holds_alternative<AdvanceTime>(program.steps[i].action);
      if (!diffs.empty() && after_timer && !sut->virtual_time()) {
        const auto tolerance = std::chrono::microseconds{
            std::max(lane_options.tolerance_us, program.tolerance_usecs.value_or(0))};
        const auto until = Clock::now() + tolerance;
        while (!diffs.empty() && Clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds{1});
          timer_grace_us += 1000;
          theirs = real_lane->observe_script_space();
          if (!theirs) return harness_error(theirs.error());
          diffs = compare_observations(*mine, *theirs);
        }
      }
      if (!diffs.empty()) {
        Divergence d;
        d.step = i;
        d.where = program.steps[i].where;
        d.what = "the model and the stack disagree on the connections' states";
        d.diffs = std::move(diffs);
        model.last_event_rules().for_each([&](model::Rule r) { d.rules.push_back(r); });
        result.divergence = std::move(d);
      }
    }
  }
  if (auto r = model_lane.finish(); !r) return harness_error(r.error());
  if (real_lane) {
    if (auto r = real_lane->finish(); !r) return harness_error(r.error());
  }

  result.lanes.push_back(std::move(model_lane.result()));
  if (real_lane) result.lanes.push_back(std::move(real_lane->result()));
  result.rules = model.rules_fired();
  for (const auto& c : model.state_changes()) result.edges.emplace_back(c.from, c.to);

  result.waited_us += timer_grace_us;
  bool all_passed = !result.divergence;
  for (const auto& lane : result.lanes) {
    all_passed = all_passed && lane.passed;
    result.waited_us += lane.waited_us;
  }
  result.verdict = all_passed ? Verdict::kPass : Verdict::kFail;
  if (result.divergence) {
    result.summary = fmt::format("{}:{}: {}", result.divergence->where.file,
                                 result.divergence->where.line, result.divergence->what);
  } else {
    for (const auto& lane : result.lanes) {
      if (lane.mismatch) {
        result.summary = fmt::format("{}:{}: {}: {}", lane.mismatch->where.file,
                                     lane.mismatch->where.line, lane.sut, lane.mismatch->what);
        break;
      }
    }
  }
  result.wall_us =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
  return result;
}

}  // namespace tcpconform::engine
