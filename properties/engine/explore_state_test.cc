// The exploration state machine on the model alone (label property, fast, fixed seed): the
// linux-profile model against a second linux-profile model must agree on every program, and a
// deliberately broken copy of the profile must make the property fail with a counterexample that
// is itself a replayable script (a test of the property).
#include <gtest/gtest.h>

#include <chrono>

#include "differential.h"
#include "explore_state_check.h"
#include "gtest_report.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/parse.h"

namespace tcpconform::explore_props {
namespace {

// The planted bug (as tests/engine/explore_kernel_test.cc plants it): the model closes a socket
// with unread data gracefully, as RFC 9293 allows, where Linux resets it (R130/R168).
model::Profile broken_linux_profile() {
  model::Profile p = model::linux_profile();
  p.half_duplex_close_rst = false;
  return p;
}

TEST(ExploreState, LinuxProfileModelAgreesWithALinuxProfileModel) {
  harness::ModelSut model(model::linux_profile());
  const auto stack = harness::model_stand_in(model::linux_profile());
  ExploreSut sut{{&model, stack.get()}, "linux", "model"};
  const Budget budget{300, 40};
  const auto started = std::chrono::steady_clock::now();
  const auto result =
      check_exploration(sut, explore_steps::Limits{}, budget,
                        "ExploreState/LinuxProfileModelAgreesWithALinuxProfileModel");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  RecordProperty("programs", static_cast<int>(sut.runs));
  RecordProperty("milliseconds", static_cast<int>(ms));
  std::cout << sut.runs << " programs played in " << ms << " ms" << std::endl;
  report(result, budget);
}

TEST(ExploreState, BrokenProfileFailsWithAReplayableCounterexample) {
  harness::ModelSut model(broken_linux_profile());
  const auto stack = harness::model_stand_in(model::linux_profile());
  ExploreSut sut{{&model, stack.get()}, "linux-broken", "model"};
  // It stops at the first failure (under a second with the CI seed, dev build).
  const auto result = check_exploration(sut, explore_steps::Limits{}, Budget{5000, 20},
                                        "ExploreState/BrokenProfileFails", /*quiet=*/true);
  ASSERT_TRUE(result.is<rc::detail::FailureResult>()) << "the planted rule change went unnoticed";
  const auto& failure = result.get<rc::detail::FailureResult>();
  EXPECT_NE(failure.description.find("divergence"), std::string::npos) << failure.description;

  // The shrunk counterexample, as printed, is a script: it parses and still diverges.
  const std::string script = counterexample_script(result);
  std::cout << "counterexample:\n" << script << std::endl;
  auto parsed = scenario::parse(script, "counterexample.pkt");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string() << "\n" << script;
  const auto replay = engine::explore::run_trial(sut.bench, *parsed);
  ASSERT_TRUE(replay.signature.has_value()) << "the printed counterexample does not diverge";
  EXPECT_EQ(replay.signature->event, engine::explore::EventClass::kClose)
      << replay.signature->text();

  // Shrinking leaves little beyond the prefix: the data, and the close().
  EXPECT_LE(parsed->steps.size(), 20U) << script;

  // And it is the rule change that makes it fail: the intact profile agrees with the stack.
  harness::ModelSut intact(model::linux_profile());
  engine::explore::Bench fixed{&intact, stack.get()};
  EXPECT_FALSE(explore_steps::failure(0, engine::explore::run_trial(fixed, *parsed)).has_value());
}

}  // namespace
}  // namespace tcpconform::explore_props
