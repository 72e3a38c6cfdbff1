// CLOSING (R16, R19, R78, R120).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Closing, R16_FinBeforeAckOfOurFinGoesToClosing) {
  Harness h;
  h.closing();
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kClosing);
  EXPECT_TRUE(h.fired(Rule::R16));
  EXPECT_TRUE(h.fired(Rule::R88));
}

TEST(Closing, R19_R78_AckOfFinGoesToTimeWait) {
  Harness h;
  h.closing();
  h.seg(A, h.theirs(2), h.ours(2));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R19));
  EXPECT_TRUE(h.fired(Rule::R78));
}

TEST(Closing, R78_OtherAcksAreIgnored) {
  Harness h;
  h.closing();
  h.seg(A, h.theirs(2), h.ours(1));
  EXPECT_EQ(h.state(), State::kClosing);
  EXPECT_TRUE(h.sent_nothing());
}

TEST(Closing, R137_FinIsRetransmittedInClosing) {
  Harness h;
  h.closing();
  h.advance(1s);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(2)}}));
}

TEST(Closing, R120_SendIsRefused) {
  Harness h;
  const int fd = h.closing();
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
  EXPECT_EQ(h.recv(fd).value, 0);
}

TEST(Closing, R53_R90_RetransmittedFinIsAcked) {
  Harness h{linux_profile()};
  h.closing();
  h.seg(FA, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kClosing);
}

// R74/R119: a window update in CLOSING releases the data and the FIN queued behind it (Linux
// tcp_rcv_state_process → tcp_data_snd_check; corpus closing-fin-after-queued-data).
TEST(Closing, R74_R119_WindowUpdateReleasesQueuedDataAndFin) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);  // zero window
  EXPECT_EQ(h.send(fd, 300).value, 300);
  EXPECT_TRUE(h.sent_nothing());
  h.close(fd);
  EXPECT_TRUE(h.sent_nothing());
  h.seg(FA, h.theirs(1), h.ours(1), 0, 0);
  ASSERT_EQ(h.state(), State::kClosing);
  h.seg(A, h.theirs(2), h.ours(1), 0, 1000);
  EXPECT_TRUE(h.sent({{FA | P, h.ours(1), h.theirs(2), 300}}));
  EXPECT_TRUE(h.fired(Rule::R74));
  h.seg(A, h.theirs(2), h.ours(302), 0, 1000);
  EXPECT_EQ(h.state(), State::kTimeWait);
}

// Linux ≥ 6.17 tcp_sequence(): with the peer's FIN unread (receive queue busy) a segment ending
// past the right edge is dropped with a duplicate ACK, its ACK unused (explore closing-data-state).
TEST(Closing, R51_LinuxSegmentPastTheWindowDroppedWhileFinUnread) {
  Harness h{linux_profile()};
  h.closing();
  const std::uint32_t right = h.tcb()->rcv_adv.value;
  h.seg(A, right, h.ours(2), 1);
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kClosing);
}

TEST(Closing, R51_R54_RfcSegmentAtTheRightEdgeTakesItsAck) {
  Harness h;
  h.closing();
  const std::uint32_t right = h.tcb()->rcv_adv.value;
  h.seg(A, right - 1, h.ours(2), 2);
  EXPECT_EQ(h.state(), State::kTimeWait);
}

// Text overlapping the FIN in CLOSING resets too (tcp_reset; explore closing-fin-state).
TEST(Closing, R168_R130_LinuxTextOverlappingTheFinResets) {
  Harness h{linux_profile()};
  h.closing();
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
  EXPECT_EQ(h.state(), State::kClosed);
}

// tcp_sequence() lets a FIN pass the right edge by its own octet ("Some stacks are known to
// handle FIN incorrectly"): its ACK is used even with the queue busy (explore closing-fin-state,
// seed 1 after the end-of-segment check).
TEST(Closing, R51_LinuxFinMayPassTheRightEdgeByItsOwnOctet) {
  Harness h{linux_profile()};
  h.closing();
  const std::uint32_t right = h.tcb()->rcv_adv.value;
  h.seg(FA, right, h.ours(2));
  EXPECT_EQ(h.state(), State::kTimeWait);
}

}  // namespace
}  // namespace tcpconform::model::testing
