// ESTABLISHED: data, acknowledgements, windows and the FIN (R13, R14, R51–R55, R70, R73, R74,
// R80, R82, R83, R86, R87, R106, R110, R117, R172).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Established, R106_SendSegmentizesWithPiggybackedAck) {
  Harness h;
  const int fd = h.active_established();
  EXPECT_EQ(h.send(fd, 100).value, 100);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
  EXPECT_TRUE(h.fired(Rule::R106));
  EXPECT_EQ(h.observed(State::kEstablished)->send_q, 100U);
  h.seg(A, h.theirs(1), h.ours(101));
  EXPECT_EQ(h.observed(State::kEstablished)->send_q, 0U);
  EXPECT_EQ(h.tcb()->snd_una.value, h.ours(101));
}

TEST(Established, R106_LargeSendUsesMssSizedSegments) {
  Harness h;
  const int fd = h.active_established();
  EXPECT_EQ(h.send(fd, 3000).value, 3000);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1), 1460},
                      {A, h.ours(1461), h.theirs(1), 1460},
                      {PA, h.ours(2921), h.theirs(1), 80}}));
}

TEST(Established, R82_R83_InOrderDataIsAcked) {
  Harness h;
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(101)}}));
  EXPECT_TRUE(h.fired(Rule::R82));
  EXPECT_TRUE(h.fired(Rule::R83));
  EXPECT_EQ(h.observed(State::kEstablished)->recv_q, 100U);
  EXPECT_EQ(h.recv(fd, 60).value, 60);
  EXPECT_EQ(h.observed(State::kEstablished)->recv_q, 40U);
  EXPECT_EQ(h.recv(fd).value, 40);
  EXPECT_TRUE(h.fired(Rule::R110));
}

TEST(Established, R110_RecvWithoutDataWouldBlock) {
  Harness h;
  const int fd = h.active_established();
  EXPECT_EQ(h.recv(fd).error, EAGAIN);
}

TEST(Established, R53_OutOfWindowDataDrawsAckAndIsDropped) {
  Harness h;
  h.active_established();
  h.seg(PA, h.theirs(200000), h.ours(1), 10);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R53));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(1));
}

TEST(Established, R53_OldDuplicateDrawsAck) {
  Harness h;
  h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 10);
  h.seg(PA, h.theirs(1), h.ours(1), 10);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(11)}}));
}

TEST(Established, R54_OverlappingSegmentIsTrimmed) {
  Harness h;
  h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 50);
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(101)}}));
  EXPECT_TRUE(h.fired(Rule::R54));
}

TEST(Established, R51_ZeroLengthSegmentAtWindowEdge) {
  Harness h;
  h.active_established();
  // RCV.NXT ≤ SEG.SEQ < RCV.NXT+RCV.WND for a zero-length segment: acceptable, nothing sent.
  h.seg(A, h.theirs(100), h.ours(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R51));
}

TEST(Established, R55_LinuxHoldsOutOfOrderData) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(PA, h.theirs(101), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));  // duplicate ACK for the hole
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(201)}}));
  EXPECT_TRUE(h.fired(Rule::R55));
  EXPECT_EQ(h.recv(fd).value, 200);
}

TEST(Established, R55_RfcProfileDropsOutOfOrderData) {
  Harness h;
  h.active_established();
  h.seg(PA, h.theirs(101), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(101)}}));
}

TEST(Established, R70_DataWithoutAckIsDropped) {
  Harness h;
  h.active_established();
  h.seg(P, h.theirs(1), 0, 10);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R70));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(1));
}

TEST(Established, R70_LinuxDropsAckLessSegmentEvenOutOfWindow) {
  Harness h{linux_profile()};
  h.active_established();
  h.seg(P, h.theirs(900000), 0, 10);
  EXPECT_TRUE(h.sent_nothing());
}

TEST(Established, R73_DuplicateAckIsIgnored) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 10);
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.tcb()->snd_una.value, h.ours(1));
}

TEST(Established, R73_R172_AckAboveSndNxtDrawsAckAndDropsData) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Harness h{p};
    h.active_established();
    h.seg(PA, h.theirs(1), h.ours(500), 10);
    EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}})) << p.name;
    EXPECT_TRUE(h.fired(Rule::R172)) << p.name;
    EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(1)) << p.name;
  }
}

TEST(Established, R74_WindowUpdateFollowsNewerSegments) {
  Harness h;
  h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 1000);
  EXPECT_EQ(h.tcb()->snd_wnd, 1000U);
  EXPECT_TRUE(h.fired(Rule::R74));
}

TEST(Established, R74_ZeroWindowHoldsDataUntilUpdate) {
  Harness h;
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  h.send(fd, 100);
  EXPECT_TRUE(h.sent_nothing());
  h.seg(A, h.theirs(1), h.ours(1), 0, 1000);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
}

TEST(Established, R14_R86_R87_FinGoesToCloseWaitWithAck) {
  Harness h;
  h.active_established();
  h.seg(FA, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kCloseWait);
  EXPECT_TRUE(h.fired(Rule::R14));
  EXPECT_TRUE(h.fired(Rule::R86));
  EXPECT_TRUE(h.fired(Rule::R87));
}

TEST(Established, R86_FinAfterDataIsProcessedInOrder) {
  Harness h;
  const int fd = h.active_established();
  h.seg(FA | P, h.theirs(1), h.ours(1), 20);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(22)}}));
  EXPECT_EQ(h.recv(fd).value, 20);
  EXPECT_EQ(h.recv(fd).value, 0);
}

TEST(Established, R86_FinBeyondAHoleIsNotProcessed) {
  Harness h;
  h.active_established();
  h.seg(FA, h.theirs(50), h.ours(1));
  EXPECT_EQ(h.state(), State::kEstablished);
}

TEST(Established, R13_R117_CloseSendsFinAfterQueuedData) {
  Harness h;
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);  // zero window: data stays queued
  h.send(fd, 10);
  h.shutdown(fd, ShutdownHow::kWrite);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kFinWait1);
  h.seg(A, h.theirs(1), h.ours(1), 0, 1000);
  EXPECT_TRUE(h.sent({{FA | P, h.ours(1), h.theirs(1), 10}}));
  EXPECT_TRUE(h.ever_fired(Rule::R13));
  EXPECT_TRUE(h.ever_fired(Rule::R117));
}

TEST(Established, R80_UrgentPointerIsRecorded) {
  Harness h;
  h.active_established();
  wire::Segment s = h.make(PA | wire::kUrg, h.theirs(1), h.ours(1), 10);
  s.urgent = 5;
  h.inject(s);
  EXPECT_TRUE(h.fired(Rule::R80));
  EXPECT_EQ(h.tcb()->rcv_up.value, h.theirs(6));
}

TEST(Established, R52_ZeroWindowStillTakesAcks) {
  Choices c = Harness::default_choices();
  c.rcv_buffer = 100;
  Harness h{rfc9293_profile(), c};
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 100);  // fills the buffer: window 0
  EXPECT_EQ(h.out.segments[0].window, 0);
  h.send(fd, 10);
  h.seg(PA, h.theirs(101), h.ours(11), 10);
  EXPECT_TRUE(h.fired(Rule::R52));
  EXPECT_TRUE(h.sent({{A, h.ours(11), h.theirs(101)}}));
  EXPECT_EQ(h.tcb()->snd_una.value, h.ours(11));
}

TEST(Established, NagleHoldsSecondSmallSegment) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 10);
  h.send(fd, 10);
  EXPECT_TRUE(h.sent_nothing());
  h.seg(A, h.theirs(1), h.ours(11));
  EXPECT_TRUE(h.sent({{PA, h.ours(11), h.theirs(1), 10}}));
}

TEST(Established, NodelaySendsSmallSegmentsAtOnce) {
  Harness h;
  const int fd = h.active_established();
  h.setsockopt(fd, SockOpt::kTcpNodelay, 1);
  h.send(fd, 10);
  h.send(fd, 10);
  EXPECT_TRUE(h.sent({{PA, h.ours(11), h.theirs(1), 10}}));
}

TEST(Established, LinuxWindowFieldIsScaled) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Mss{1460});
  s.options.emplace_back(wire::option::WindowScale{7});
  h.inject(s);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].window, 502);  // 64240 rounded up to 128-byte units
}

// Linux tcp_data_queue_ofo keeps a FIN beyond a hole and sends a duplicate ACK; the FIN takes
// effect when the hole fills (corpus data-out-of-order-fin-held).
TEST(Established, R55_R83_R86_OutOfOrderFinIsHeldAndDupAcked) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(FA, h.theirs(101), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_TRUE(h.fired(Rule::R55));
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(102)}}));
  EXPECT_EQ(h.state(), State::kCloseWait);
  EXPECT_TRUE(h.fired(Rule::R86));
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 101U);
  EXPECT_EQ(h.recv(fd, 1000).value, 100);
}

TEST(Established, R55_R86_FinWithOutOfOrderTextIsHeld) {
  Harness h{linux_profile()};
  h.active_established();
  h.seg(FA | P, h.theirs(51), h.ours(1), 50);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  h.seg(PA, h.theirs(1), h.ours(1), 50);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(102)}}));
  EXPECT_EQ(h.state(), State::kCloseWait);
}

// RFC profile (no out-of-order queue): the early FIN still draws a duplicate ACK, then is lost.
TEST(Established, R83_RfcOutOfOrderFinDrawsDupAck) {
  Harness h;
  h.active_established();
  h.seg(FA, h.theirs(101), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kEstablished);
}

// Linux forced_push(): a segment more than half the peer's largest window beyond the last PSH
// carries PSH (corpus handshake-*-window-used: a 100-byte window, P. 1:101).
TEST(Established, R106_LinuxForcedPushOnWindowLimitedSegment) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1), 0, 100);
  const int fd = static_cast<int>(h.accept(lfd).value);
  EXPECT_EQ(h.send(fd, 1000).value, 1000);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
}

TEST(Established, R106_RfcPshOnlyOnLastSegmentOfWrite) {
  Harness h;
  const int lfd = h.listening();
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1), 0, 100);
  const int fd = static_cast<int>(h.accept(lfd).value);
  EXPECT_EQ(h.send(fd, 1000).value, 1000);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1), 100}}));
}

// Linux transmits a write in GSO chunks of at most half the congestion window, and forces PSH
// on each chunk's last segment (__tcp_transmit_skb; compat shutdown-rdwr-send-queue-ack-close:
// ten segments with PSH on the 5th and 10th, then two with PSH on the second).
TEST(Established, R106_LinuxGsoChunksEndWithPsh) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  EXPECT_EQ(h.send(fd, 20 * 1460).value, 20 * 1460);
  std::vector<Expect> burst;
  for (std::uint32_t i = 0; i < 10; ++i) {
    burst.push_back({i == 4 || i == 9 ? PA : A, h.ours(1 + i * 1460), h.theirs(1), 1460});
  }
  EXPECT_TRUE(h.sent(burst));
  h.seg(A, h.theirs(1), h.ours(1 + 1460));
  EXPECT_TRUE(h.sent({{A, h.ours(1 + 10 * 1460), h.theirs(1), 1460},
                      {PA, h.ours(1 + 11 * 1460), h.theirs(1), 1460}}));
}

// The ACK of our SYN does not grow the initial window (RFC 5681 §3.1 counts acknowledged data;
// Linux tcp_init_transfer sets the initial cwnd after it): a passive open sends ten segments.
TEST(Established, R106_R9_AckOfSynLeavesInitialWindow) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  EXPECT_EQ(h.send(fd, 20 * 1460).value, 20 * 1460);
  EXPECT_EQ(h.out.segments.size(), 10U);
  EXPECT_EQ(h.tcb()->cwnd, 10U);
}

// RFC 9293 §3.9.1 leaves PSH to the sender beyond the end of a SEND: the RFC profile marks only
// the last segment of the write, never the middle of a cwnd-limited burst.
TEST(Established, R106_RfcBurstHasNoPshBeforeTheEndOfTheWrite) {
  Harness h;
  const int fd = h.passive_established();
  EXPECT_EQ(h.send(fd, 20 * 1460).value, 20 * 1460);
  ASSERT_EQ(h.out.segments.size(), 3U);
  for (const wire::Segment& s : h.out.segments) EXPECT_FALSE(s.flags.has(Flag::kPsh));
}

// Linux tcp_may_update_window(): a duplicate (same SEG.SEQ, no new ACK) cannot shrink the
// window; RFC 9293 takes it (explore established-fin-state).
TEST(Established, R74_LinuxDuplicateSegmentCannotShrinkTheWindow) {
  Harness h{linux_profile()};
  h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 1000);
  EXPECT_EQ(h.tcb()->snd_wnd, 1000U);
  h.seg(A, h.theirs(1), h.ours(1), 0, 500);
  EXPECT_EQ(h.tcb()->snd_wnd, 1000U);
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  EXPECT_EQ(h.tcb()->snd_wnd, 0U);
}

TEST(Established, R74_RfcDuplicateSegmentUpdatesTheWindow) {
  Harness h;
  h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 1000);
  h.seg(A, h.theirs(1), h.ours(1), 0, 500);
  EXPECT_EQ(h.tcb()->snd_wnd, 500U);
}

// Nagle does not hold the small segment that carries the FIN (Linux tcp_nagle_test; explore
// fin-wait-1-ack-state, seed 1 final run).
TEST(Established, R106_R13_NagleLetsTheSegmentCarryingTheFinGo) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.send(fd, 10);
  h.send(fd, 10);
  EXPECT_TRUE(h.sent_nothing());
  h.shutdown(fd, ShutdownHow::kWrite);
  EXPECT_TRUE(h.sent({{PA | F, h.ours(11), h.theirs(1), 10}}));
  EXPECT_EQ(h.state(), State::kFinWait1);
}

}  // namespace
}  // namespace tcpconform::model::testing
