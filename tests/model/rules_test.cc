// Rule ids, state names and errno names: the model's vocabulary.
#include <cerrno>

#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Rules, EveryCatalogIdIsPresent) {
  EXPECT_EQ(kRuleCount, 164U);
  EXPECT_EQ(to_string(Rule::R1), "R1");
  EXPECT_EQ(to_string(Rule::R79a), "R79a");
  EXPECT_EQ(to_string(Rule::R120f), "R120f");
  EXPECT_EQ(to_string(Rule::R179), "R179");
}

TEST(Rules, ParseIsInverseOfToString) {
  for (std::size_t i = 0; i < kRuleCount; ++i) {
    const auto r = static_cast<Rule>(i);
    EXPECT_EQ(rule_from_string(to_string(r)), r);
  }
  EXPECT_EQ(rule_from_string("r62"), Rule::R62);
  EXPECT_FALSE(rule_from_string("R29").has_value());
  EXPECT_FALSE(rule_from_string("R").has_value());
  EXPECT_FALSE(rule_from_string("X1").has_value());
}

TEST(Rules, RuleSetIsASet) {
  RuleSet s;
  EXPECT_TRUE(s.empty());
  s.insert(Rule::R62);
  s.insert(Rule::R62);
  s.insert(Rule::R1);
  EXPECT_EQ(s.size(), 2U);
  EXPECT_TRUE(s.contains(Rule::R62));
  EXPECT_FALSE(s.contains(Rule::R61));
  std::vector<Rule> seen;
  s.for_each([&](Rule r) { seen.push_back(r); });
  EXPECT_EQ(seen, (std::vector<Rule>{Rule::R1, Rule::R62}));
}

TEST(States, NamesRoundTrip) {
  for (int i = 0; i < kStateCount; ++i) {
    const auto s = static_cast<State>(i);
    EXPECT_EQ(state_from_string(to_string(s)), s);
  }
  EXPECT_EQ(state_from_string("TCP_FIN_WAIT1"), State::kFinWait1);
  EXPECT_EQ(state_from_string("SYN_RECV"), State::kSynReceived);
  EXPECT_FALSE(state_from_string("BOGUS").has_value());
}

TEST(Errnos, NamesRoundTrip) {
  EXPECT_EQ(errno_name(ECONNRESET), "ECONNRESET");
  EXPECT_EQ(errno_from_name("EAGAIN"), EAGAIN);
  EXPECT_EQ(errno_from_name("EWOULDBLOCK"), EAGAIN);
  EXPECT_EQ(errno_name(99999), "99999");
  EXPECT_FALSE(errno_from_name("ENOTHING").has_value());
}

}  // namespace
}  // namespace tcpconform::model::testing
