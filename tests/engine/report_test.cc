// Text reports: the ladder diagram and the failure explanation.
#include "tcpconform/engine/report.h"

#include <gtest/gtest.h>

#include <string>

#include "engine_test_helpers.h"

namespace tcpconform::engine {
namespace {

TEST(Report, LadderShowsBothDirectionsAndCalls) {
  const auto r = testing::run_on_model(testing::kPassiveOpen);
  ASSERT_EQ(r.lanes.size(), 1U);
  const std::string text = ladder(r.lanes[0]);
  EXPECT_NE(text.find("stack <-- peer   S 0:0(0)"), std::string::npos) << text;
  EXPECT_NE(text.find("stack --> peer   S. 0:0(0) ack 1"), std::string::npos) << text;
  EXPECT_NE(text.find("accept(3) = 4"), std::string::npos) << text;
}

TEST(Report, ExplanationGivesLocationExpectedAndActual) {
  const auto r = testing::run_on_model(std::string(testing::kPassiveOpen) +
                                       "+0 close(4) = 0\n+0 > R. 1:1(0) ack 1\n");
  const std::string text = explain(r);
  EXPECT_NE(text.find("test.pkt:10:"), std::string::npos) << text;
  EXPECT_NE(text.find("tcp_flags"), std::string::npos) << text;
  EXPECT_NE(text.find("R."), std::string::npos) << text;
  EXPECT_NE(text.find("F."), std::string::npos) << text;
}

}  // namespace
}  // namespace tcpconform::engine
