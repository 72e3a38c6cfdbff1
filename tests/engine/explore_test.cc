// The explorer on the model alone: generator determinism, prefixes that hold, printing that
// round-trips, and the minimiser shrinking a planted divergence (a second model as the stack).
#include <gtest/gtest.h>

#include <set>

#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/minimise.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/engine/runner.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/parse.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::engine::explore {
namespace {

Program prefix_of(const Generated& g) {
  Program p = g.program;
  p.steps.resize(g.prefix_steps);
  return p;
}

bool has_outbound(const Program& p, std::size_t from) {
  for (std::size_t i = from; i < p.steps.size(); ++i) {
    const auto* s = std::get_if<PacketSpec>(&p.steps[i].action);
    if (s != nullptr && s->direction == Direction::kOutbound) return true;
  }
  return false;
}

TEST(ExploreGenerator, SameSeedSamePrograms) {
  Generator a(42);
  Generator b(42);
  Generator c(43);
  int differ = 0;
  for (int k = 0; k < 200; ++k) {
    const Generated x = a.next();
    const Generated y = b.next();
    const Generated z = c.next();
    ASSERT_TRUE(same_meaning(x.program, y.program)) << "program " << k;
    EXPECT_EQ(x.seed, y.seed);
    EXPECT_EQ(scenario::print(x.program), scenario::print(generate(x.seed).program));
    differ += same_meaning(x.program, z.program) ? 0 : 1;
  }
  EXPECT_GT(differ, 150);
}

TEST(ExploreGenerator, EveryTargetIsReached) {
  std::set<Target> seen;
  Generator g(7);
  for (int k = 0; k < 500; ++k) seen.insert(g.next().target);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kTargetCount));
}

TEST(ExploreGenerator, PerturbationsHaveNoExpectations) {
  Generator g(11);
  for (int k = 0; k < 300; ++k) {
    const Generated x = g.next();
    ASSERT_GT(x.program.steps.size(), x.prefix_steps);
    EXPECT_FALSE(has_outbound(x.program, x.prefix_steps));
    for (std::size_t i = x.prefix_steps; i < x.program.steps.size(); ++i) {
      if (const auto* s = std::get_if<SyscallSpec>(&x.program.steps[i].action)) {
        EXPECT_TRUE(s->any_result);
      }
    }
  }
}

TEST(ExploreGenerator, EveryPrefixPassesOnTheModel) {
  for (const model::Profile& profile : {model::linux_profile(), model::rfc9293_profile()}) {
    harness::ModelSut model(profile);
    for (int t = 0; t < kTargetCount; ++t) {
      for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Generated g = generate(seed, static_cast<Target>(t));
        const ScenarioResult r = run_scenario(prefix_of(g), model, nullptr, RunOptions{});
        ASSERT_EQ(r.verdict, Verdict::kPass) << profile.name << " " << to_string(g.target)
                                             << " seed " << seed << ": " << r.summary << "\n"
                                             << scenario::print(prefix_of(g));
      }
    }
  }
}

TEST(ExploreGenerator, PrefixEndsInItsTargetState) {
  harness::ModelSut model(model::linux_profile());
  const std::pair<Target, model::State> expected[] = {
      {Target::kListen, model::State::kListen},
      {Target::kSynSent, model::State::kSynSent},
      {Target::kSynReceived, model::State::kSynReceived},
      {Target::kSynReceivedActive, model::State::kSynReceived},
      {Target::kEstablished, model::State::kEstablished},
      {Target::kEstablishedActive, model::State::kEstablished},
      {Target::kFinWait1, model::State::kFinWait1},
      {Target::kFinWait2, model::State::kFinWait2},
      {Target::kCloseWait, model::State::kCloseWait},
      {Target::kLastAck, model::State::kLastAck},
      {Target::kClosing, model::State::kClosing},
      {Target::kTimeWait, model::State::kTimeWait},
  };
  for (const auto& [target, state] : expected) {
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      const Generated g = generate(seed, target);
      auto states = model_states(g.program, model);
      ASSERT_TRUE(states.has_value());
      EXPECT_EQ((*states)[g.prefix_steps], state) << to_string(target) << " seed " << seed;
    }
  }
}

TEST(ExploreGenerator, WholeProgramsRunOnTheModelAndAgreeWithThemselves) {
  harness::ModelSut model(model::linux_profile());
  harness::ModelSut same(model::linux_profile());
  Bench bench{&model, &same};
  Generator g(99);
  CellSet cells;
  for (int k = 0; k < 300; ++k) {
    const Generated x = g.next();
    const Trial t = run_trial(bench, x.program);
    ASSERT_FALSE(t.harness_error) << t.result.summary;
    ASSERT_FALSE(t.lane_failed) << t.result.summary << "\n" << scenario::print(x.program);
    EXPECT_FALSE(t.signature.has_value()) << scenario::print(x.program);
    cells |= t.cells;
  }
  EXPECT_GT(cells.states(), 8U);
  EXPECT_GT(cells.size(), 60U);
}

TEST(ExploreGenerator, PrintedProgramsParseBack) {
  Generator g(5);
  for (int k = 0; k < 200; ++k) {
    const Generated x = g.next();
    const std::string text = scenario::print(x.program);
    auto parsed = scenario::parse(text, "generated.pkt");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string() << "\n" << text;
    EXPECT_EQ(scenario::print(*parsed), text);
    EXPECT_EQ(parsed->steps.size(), x.program.steps.size());
  }
}

// The planted divergence: the "stack" is the linux profile with RFC 1337 protection switched on
// (R121: an acceptable RST in TIME-WAIT is ignored) while the model keeps Linux's R171 (it
// kills TIME-WAIT).
model::Profile planted() {
  model::Profile p = model::linux_profile();
  p.rfc1337 = true;
  return p;
}

TEST(ExploreMinimiser, ShrinksAPlantedDivergenceKeepingItsSignature) {
  harness::ModelSut model(model::linux_profile());
  harness::ModelSut stack(planted());
  Bench bench{&model, &stack};
  GeneratorOptions options;
  options.min_perturbations = 6;
  options.max_perturbations = 10;
  std::optional<Generated> found;
  std::optional<Trial> trial;
  for (std::uint64_t seed = 0; seed < 3000 && !found; ++seed) {
    Generated g = generate(seed, Target::kTimeWait, options);
    Trial t = run_trial(bench, g.program);
    if (t.signature && t.result.divergence->step + 2 < g.program.steps.size()) {
      found = std::move(g);
      trial = std::move(t);
    }
  }
  ASSERT_TRUE(found.has_value()) << "no planted divergence in 3000 TIME-WAIT programs";
  const Signature sig = *trial->signature;
  EXPECT_EQ(sig.state, model::State::kTimeWait);
  EXPECT_EQ(sig.event, EventClass::kRst);
  EXPECT_EQ(sig.field, "state");

  const Minimised m = minimise(found->program, found->prefix_steps, sig, oracle_for(bench));
  ASSERT_TRUE(m.reproduced);
  EXPECT_LT(m.program.steps.size(), found->program.steps.size());
  EXPECT_EQ(m.program.steps.size(), found->prefix_steps + 1) << scenario::print(m.program);
  const Trial again = run_trial(bench, m.program);
  ASSERT_TRUE(again.signature.has_value());
  EXPECT_EQ(*again.signature, sig);

  // The reproducer, printed and parsed back, diverges the same way.
  auto parsed = scenario::parse(scenario::print(m.program), "repro.pkt");
  ASSERT_TRUE(parsed.has_value());
  const Trial replayed = run_trial(bench, *parsed);
  ASSERT_TRUE(replayed.signature.has_value());
  EXPECT_EQ(*replayed.signature, sig);
}

TEST(ExploreTrace, RstPositionsAreClassifiedAgainstTheModelsWindow) {
  // ESTABLISHED with RCV.NXT = 1: an RST inside the window (challenge ACK), one far outside it
  // (dropped), one at RCV.NXT (the connection dies), and one with no connection left.
  const auto program = scenario::parse(R"(0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 65535 <mss 1460>
+0 > S. 0:0(0) ack 1 <...>
+0 < . 1:1(0) ack 1 win 65535
+0 accept(3, ..., ...) = 4
+0 < R 1001:1001(0) win 0
+0 < R 1000001:1000001(0) win 0
+0 < R 1:1(0) win 0
+0 < R 1:1(0) win 0
)",
                                       "rst.pkt");
  ASSERT_TRUE(program.has_value());
  harness::ModelSut model(model::rfc9293_profile());
  const auto trace = model_trace(*program, model);
  ASSERT_TRUE(trace.has_value());
  ASSERT_EQ(trace->rst.size(), program->steps.size());
  EXPECT_FALSE(trace->rst[5].has_value());  // a bare ACK
  EXPECT_EQ(trace->rst[7], RstPosition::kInWindow);
  EXPECT_EQ(trace->rst[8], RstPosition::kOutside);
  EXPECT_EQ(trace->rst[9], RstPosition::kExact);
  EXPECT_EQ(trace->rst[10], RstPosition::kOutside);  // LISTEN only: no window
  EXPECT_EQ(trace->states[9], model::State::kEstablished);
  EXPECT_EQ(trace->states[10], model::State::kListen);
  auto states = model_states(*program, model);
  ASSERT_TRUE(states.has_value());
  EXPECT_EQ(*states, trace->states);
}

TEST(ExploreSignature, SlugIsAFileName) {
  const Signature s{model::State::kFinWait2, EventClass::kSynAck, "listener.state", ""};
  EXPECT_EQ(s.slug(), "fin-wait-2-syn-ack-listener-state");
  EXPECT_EQ(s.text(), "FIN-WAIT-2 / SYN-ACK / listener.state");
}

TEST(ExploreSignature, ExplainingDeviationsAreAPartOfTheSignature) {
  const Signature s{model::State::kListen, EventClass::kSyn, "state",
                    "request_sockets+linux_window_selection"};
  EXPECT_EQ(s.slug(), "listen-syn-state--request-sockets-linux-window-selection");
  EXPECT_EQ(s.text(), "LISTEN / SYN / state / linux: request_sockets+linux_window_selection");
  EXPECT_NE(s, s.bare());
  EXPECT_EQ(s.bare().slug(), "listen-syn-state");
}

TEST(ExploreSignature, LongSlugsStayFileNames) {
  std::string many;
  for (int i = 0; i < 12; ++i) many += "+drop_beyond_window_when_queue_busy";
  const Signature s{model::State::kListen, EventClass::kSyn, "state", many};
  EXPECT_LE(s.slug().size(), 160U);
  const Signature t{model::State::kListen, EventClass::kSyn, "state", many + "+rfc1337"};
  EXPECT_NE(s.slug(), t.slug());
}

}  // namespace
}  // namespace tcpconform::engine::explore

namespace tcpconform::engine::explore {
namespace {

bool has_ts(const PacketSpec& p) {
  for (const auto& o : p.options) {
    if (std::holds_alternative<wire::option::Timestamp>(o)) return true;
  }
  return false;
}

// A quarter of the programs negotiate timestamps: every inbound segment of their prefix carries
// TS (later ones mostly); the others carry none anywhere.
TEST(ExploreGenerator, TimestampProgramsCarryTsThroughTheirPrefix) {
  int with = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    const Generated g = generate(seed);
    bool ts_program = false;
    for (const Step& step : g.program.steps) {
      const auto* p = std::get_if<PacketSpec>(&step.action);
      ts_program =
          ts_program || (p != nullptr && p->direction == Direction::kInbound && has_ts(*p));
    }
    for (std::size_t i = 0; i < g.prefix_steps; ++i) {
      const auto* p = std::get_if<PacketSpec>(&g.program.steps[i].action);
      if (p == nullptr || p->direction != Direction::kInbound) continue;
      EXPECT_EQ(has_ts(*p), ts_program) << "seed " << seed << " step " << i;
    }
    with += ts_program ? 1 : 0;
  }
  EXPECT_GT(with, 60);
  EXPECT_LT(with, 140);
}

}  // namespace
}  // namespace tcpconform::engine::explore
