// Judging on after explained divergences (engine/explore/judge_on.h), model against model: the
// linux profile stands in for the stack.
#include "tcpconform/engine/explore/judge_on.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include "engine_test_helpers.h"
#include "tcpconform/harness/model_sut.h"

namespace tcpconform::engine::explore {
namespace {

using testing::parse_or_die;

// A passive open (the RFC's listener becomes the connection: R160 differs at the SYN), then
// close() with unread data (Linux resets: R168 differs at the close).
constexpr std::string_view kPassiveOpenThenCloseWithUnreadData = R"(
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
+0 bind(3, ..., ...) = 0
+0 listen(3, 8) = 0
+0 < S 0:0(0) win 65535 <mss 1460>
+0 > S. 0:0(0) ack 1 <...>
+0 < . 1:1(0) ack 1 win 65535
+0 accept(3, ..., ...) = 4
+0 < P. 1:11(10) ack 1 win 65535
+0 close(4) = 0
)";
constexpr std::size_t kSynStep = 4;
constexpr std::size_t kCloseStep = 9;

bool names(const std::vector<const model::Deviation*>& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(),
                     [&](const model::Deviation* d) { return d->name == name; });
}

Chain chain_of(std::string_view script, const model::Profile& base, DeviationHints& hints) {
  const model::Profile linux = model::linux_profile();
  auto reference = harness::model_stand_in(linux);
  return judge_on(parse_or_die(script), base, linux, *reference, hints);
}

TEST(JudgeOn, RfcProfileChainsPastTheRequestSocketToTheResetOnClose) {
  DeviationHints hints;
  const Chain chain =
      chain_of(kPassiveOpenThenCloseWithUnreadData, model::rfc9293_profile(), hints);
  ASSERT_GE(chain.links.size(), 2U);
  const Link& first = chain.links.front();
  EXPECT_EQ(first.step, kSynStep);
  EXPECT_TRUE(first.adopted.empty());
  EXPECT_NE(std::find(first.rules.begin(), first.rules.end(), model::Rule::R160),
            first.rules.end());
  EXPECT_TRUE(names(first.explained_by, "request_sockets")) << model::describe(first.explained_by);
  const auto at_close = std::find_if(chain.links.begin(), chain.links.end(),
                                     [](const Link& l) { return l.step == kCloseStep; });
  ASSERT_NE(at_close, chain.links.end());
  EXPECT_TRUE(names(at_close->explained_by, "half_duplex_close_rst"))
      << model::describe(at_close->explained_by);
  EXPECT_TRUE(names(at_close->adopted, "request_sockets"));
  EXPECT_EQ(at_close->signature.state, model::State::kEstablished);
  EXPECT_EQ(at_close->signature.event, EventClass::kClose);
  for (const Link& l : chain.links) {
    EXPECT_FALSE(l.explained_by.empty()) << l.step;
    ::testing::Test::RecordProperty(fmt::format("link_{}", l.step),
                                    model::describe(l.explained_by));
  }
}

// An active close to TIME-WAIT, then a RST at RCV.NXT: RFC 1337 ignores it, Linux dies (R171).
constexpr std::string_view kRstInTimeWait = R"(
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <...>
+0 < . 1:1(0) ack 1 win 257
+0 accept(3, ..., ...) = 4
+0 close(4) = 0
+0 > F. 1:1(0) ack 1 <...>
+0 < . 1:1(0) ack 2 win 257
+0 < F. 1:1(0) ack 2 win 257
+0 > . 2:2(0) ack 2 <...>
+0 < R. 2:2(0) ack 2 win 257
)";
constexpr std::size_t kRstStep = 13;

TEST(JudgeOn, RfcProfileReachesTheRstThatKillsTimeWait) {
  DeviationHints hints;
  const Chain chain = chain_of(kRstInTimeWait, model::rfc9293_profile(), hints);
  ASSERT_FALSE(chain.links.empty());
  const Link& last = chain.links.back();
  std::string all;
  for (const Link& l : chain.links)
    all += fmt::format("{}: {}; ", l.step, model::describe(l.explained_by));
  EXPECT_EQ(last.step, kRstStep) << all;
  EXPECT_TRUE(names(last.explained_by, "rfc1337")) << all;
  EXPECT_EQ(last.rules, std::vector<model::Rule>{model::Rule::R171});
  EXPECT_EQ(last.signature.state, model::State::kTimeWait);
  EXPECT_EQ(last.signature.event, EventClass::kRst);
}

TEST(JudgeOn, EachExplanationIsMinimal) {
  DeviationHints hints;
  const Chain chain =
      chain_of(kPassiveOpenThenCloseWithUnreadData, model::rfc9293_profile(), hints);
  for (const Link& l : chain.links) EXPECT_LE(l.explained_by.size(), 2U) << l.step;
}

TEST(JudgeOn, ReferenceProfileHasNoLinks) {
  DeviationHints hints;
  const Chain chain = chain_of(kPassiveOpenThenCloseWithUnreadData, model::linux_profile(), hints);
  EXPECT_TRUE(chain.links.empty());
  EXPECT_EQ(chain.runs, 1U);
}

TEST(JudgeOn, OneChangedFieldIsFoundAlone) {
  DeviationHints hints;
  const Chain chain =
      chain_of(kPassiveOpenThenCloseWithUnreadData,
               model::profile_from_spec("linux-half_duplex_close_rst").value(), hints);
  ASSERT_EQ(chain.links.size(), 1U);
  EXPECT_EQ(chain.links[0].step, kCloseStep);
  ASSERT_EQ(chain.links[0].explained_by.size(), 1U);
  EXPECT_EQ(chain.links[0].explained_by[0]->name, "half_duplex_close_rst");
}

TEST(JudgeOn, HintsAreTriedFirst) {
  DeviationHints hints;
  const Chain cold = chain_of(kPassiveOpenThenCloseWithUnreadData, model::rfc9293_profile(), hints);
  ASSERT_FALSE(hints.top(1).empty());
  const Chain warm = chain_of(kPassiveOpenThenCloseWithUnreadData, model::rfc9293_profile(), hints);
  EXPECT_LT(warm.runs, cold.runs);
  ASSERT_EQ(warm.links.size(), cold.links.size());
  for (std::size_t i = 0; i < warm.links.size(); ++i) {
    EXPECT_EQ(warm.links[i].explained_by, cold.links[i].explained_by) << i;
  }
}

TEST(JudgeOn, RunBudgetBoundsTheSearch) {
  DeviationHints hints;
  const model::Profile linux = model::linux_profile();
  auto reference = harness::model_stand_in(linux);
  const Chain chain =
      judge_on(parse_or_die(kPassiveOpenThenCloseWithUnreadData), model::rfc9293_profile(), linux,
               *reference, hints, JudgeOnLimits{.max_links = 8, .max_runs = 3});
  EXPECT_LE(chain.runs, 3U);
}

}  // namespace
}  // namespace tcpconform::engine::explore
