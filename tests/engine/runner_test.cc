// The differential runner: verdicts, mismatches field by field, blocking calls, divergences.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engine_test_helpers.h"

namespace tcpconform::engine {
namespace {

using testing::first_mismatch;
using testing::kPassiveOpen;
using testing::run_differential;
using testing::run_on_model;

TEST(Runner, PassiveOpenPassesOnTheModel) {
  const auto r = run_on_model(std::string(kPassiveOpen) + "//@ state fd 4 ESTABLISHED\n");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
  ASSERT_EQ(r.lanes.size(), 1U);
  EXPECT_TRUE(r.lanes[0].passed);
}

TEST(Runner, PassiveOpenPassesInIpv6) {
  const auto r = run_on_model(std::string(kPassiveOpen) + "//@ state fd 4 ESTABLISHED\n",
                              model::linux_profile(), wire::IpVersion::kV6);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
}

TEST(Runner, OutboundMismatchNamesTheFieldAndLine) {
  const auto r =
      run_on_model(std::string(kPassiveOpen) + "+0 close(4) = 0\n+0 > R. 1:1(0) ack 1\n");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  const Mismatch& m = first_mismatch(r);
  EXPECT_EQ(m.where.line, 10U);
  ASSERT_FALSE(m.diffs.empty());
  EXPECT_EQ(m.diffs[0].field, "tcp_flags");
  EXPECT_EQ(m.diffs[0].expected, "R.");
  EXPECT_EQ(m.diffs[0].actual, "F.");
}

TEST(Runner, MissingSegmentIsAMismatch) {
  const auto r = run_on_model(std::string(kPassiveOpen) + "+0 > F. 1:1(0) ack 1\n");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(first_mismatch(r).what.find("no segment"), std::string::npos);
}

TEST(Runner, WrongCallResultIsAMismatch) {
  const auto r = run_on_model(std::string(kPassiveOpen) + "+0 close(4) = -1 EBADF\n");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  const Mismatch& m = first_mismatch(r);
  ASSERT_FALSE(m.diffs.empty());
  EXPECT_EQ(m.diffs[0].field, "return");
}

TEST(Runner, BlockingAcceptCompletesWhenTheHandshakeDoes) {
  const auto r = run_on_model(R"(
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0...0.2 accept(3, ..., ...) = 4
+.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <...>
+.1 < . 1:1(0) ack 1 win 257
+.1 write(4, ..., 10) = 10
+0 > P. 1:11(10) ack 1
)");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
}

TEST(Runner, BlockingCallThatNeverReturnsFails) {
  const auto r = run_on_model(R"(
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 accept(3, ..., ...) = 4
)");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(first_mismatch(r).what.find("never returned"), std::string::npos);
}

TEST(Runner, SplitDataSegmentsMatchOneScriptSegment) {
  const auto r = run_on_model(std::string(kPassiveOpen) + "+0 write(4, ..., 3000) = 3000\n" +
                              "+0 > P. 1:3001(3000) ack 1\n");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
}

TEST(Runner, StateExpectationChecksRecvQ) {
  const auto ok = run_on_model(std::string(kPassiveOpen) + "+0 < F. 1:1(0) ack 1 win 257\n" +
                               "+0 > . 1:1(0) ack 2\n//@ state fd 4 CLOSE-WAIT recvq 1\n");
  EXPECT_EQ(ok.verdict, Verdict::kPass) << ok.summary;
  const auto bad = run_on_model(std::string(kPassiveOpen) + "+0 < F. 1:1(0) ack 1 win 257\n" +
                                "+0 > . 1:1(0) ack 2\n//@ state fd 4 CLOSE-WAIT recvq 0\n");
  ASSERT_EQ(bad.verdict, Verdict::kFail);
  ASSERT_FALSE(first_mismatch(bad).diffs.empty());
  EXPECT_EQ(first_mismatch(bad).diffs[0].field, "recv_q");
}

TEST(Runner, QuietFailsWhenTheStackSentSomething) {
  const auto r =
      run_on_model(std::string(kPassiveOpen) + "+0 < F. 1:1(0) ack 1 win 257\n" + "//@ quiet\n");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(first_mismatch(r).what.find("expects none"), std::string::npos);
}

TEST(Runner, TimersFireInVirtualTime) {
  // The FIN is retransmitted by the retransmission timer; the model needs no real wait.
  const auto r = run_on_model(std::string(kPassiveOpen) + "+0 close(4) = 0\n" +
                              "+0 > F. 1:1(0) ack 1\n+0~+3 > F. 1:1(0) ack 1\n");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
  EXPECT_LT(r.wall_us, 1'000'000);
}

TEST(Runner, ProfilesThatDisagreeOnStateDiverge) {
  // R168: close() with unread data resets on Linux; a stack without that rule sends a FIN.
  model::Profile without_r168 = model::linux_profile();
  without_r168.half_duplex_close_rst = false;
  const auto r = run_differential(
      std::string(kPassiveOpen) + "+0 < P. 1:11(10) ack 1 win 257\n+0 close(4) = 0\n",
      model::linux_profile(), without_r168);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  ASSERT_TRUE(r.divergence.has_value());
  EXPECT_EQ(r.divergence->where.line, 10U);
  EXPECT_NE(std::find(r.divergence->rules.begin(), r.divergence->rules.end(), model::Rule::R168),
            r.divergence->rules.end());
}

TEST(Runner, CoverageRecordsRulesAndEdges) {
  const auto r = run_on_model(std::string(kPassiveOpen));
  EXPECT_TRUE(r.rules.contains(model::Rule::R1));
  bool listen_seen = false;
  for (const auto& [from, to] : r.edges) {
    listen_seen = listen_seen || (from == model::State::kClosed && to == model::State::kListen);
  }
  EXPECT_TRUE(listen_seen);
}

}  // namespace
}  // namespace tcpconform::engine
