// CLOSED (no TCB): RFC 9293 §3.10.7.1, reset generation group 1 (R30–R34, R143, R144).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Closed, R32_SegmentWithoutAckDrawsRstAckCoveringIt) {
  Harness h;
  h.seg(P, 1000, 0, 20);
  EXPECT_TRUE(h.sent({{RA, 0, 1020}}));
  EXPECT_TRUE(h.fired(Rule::R32));
  EXPECT_TRUE(h.fired(Rule::R30));
}

TEST(Closed, R32_SynCountsOneInSegLen) {
  Harness h;
  h.syn();
  EXPECT_TRUE(h.sent({{RA, 0, kPeerIss + 1}}));
}

TEST(Closed, R32_FinCountsOneInSegLen) {
  Harness h;
  h.seg(F | P, 1000, 0, 5);
  EXPECT_TRUE(h.sent({{RA, 0, 1006}}));
}

TEST(Closed, R33_SegmentWithAckDrawsRstAtSegAck) {
  Harness h;
  h.seg(A, 1000, 4242, 3);
  EXPECT_TRUE(h.sent({{R, 4242}}));
  EXPECT_TRUE(h.fired(Rule::R33));
  EXPECT_EQ(h.out.segments[0].dport, kRemotePort);
  EXPECT_EQ(h.out.segments[0].sport, kLocalPort);
  EXPECT_EQ(h.out.segments[0].dst, kRemote);
}

TEST(Closed, R31_R143_RstIsNeverAnswered) {
  Harness h;
  h.seg(R, 1000);
  EXPECT_TRUE(h.sent_nothing());
  h.seg(RA, 1000, 5);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R31));
  EXPECT_TRUE(h.fired(Rule::R143));
}

TEST(Closed, R34_NoTcbIsCreated) {
  Harness h;
  h.syn();
  EXPECT_EQ(h.ep.connection_count(), 0U);
  EXPECT_TRUE(h.out.state_changes.empty());
  EXPECT_TRUE(h.fired(Rule::R34));
}

TEST(Closed, R144_StrayAckAfterRestartDrawsRst) {
  Harness h;
  h.seg(PA, h.theirs(1), h.ours(1), 10);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
  EXPECT_TRUE(h.fired(Rule::R144));
}

TEST(Closed, SegmentForAnotherHostIsIgnored) {
  Harness h;
  wire::Segment s = h.make(S, 1);
  s.dst = ip4(198, 51, 100, 1);
  h.inject(s);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.out.rules.empty());
}

TEST(Closed, R30_DataToClosedPortIsDroppedNotBuffered) {
  Harness h;
  h.seg(PA, 1000, 5, 100);
  EXPECT_TRUE(h.fired(Rule::R30));
  EXPECT_EQ(h.ep.connection_count(), 0U);
  EXPECT_TRUE(h.ep.observe().empty());
}

}  // namespace
}  // namespace tcpconform::model::testing
