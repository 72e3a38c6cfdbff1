// CLOSE-WAIT (R20, R77, R84, R90, R106, R111, R119, R173, R177).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(CloseWait, SeedExperimentLinuxRecvQCountsTheFin) {
  Harness h{linux_profile()};
  h.close_wait();
  const auto o = h.observed(State::kCloseWait);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->recv_q, 1U);
  EXPECT_EQ(o->send_q, 0U);
}

TEST(CloseWait, RfcRecvQDoesNotCountTheFin) {
  Harness h;
  h.close_wait();
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 0U);
}

TEST(CloseWait, R111_RecvReturnsDataThenEndOfFile) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 10);
  h.seg(FA, h.theirs(11), h.ours(1));
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 11U);
  EXPECT_EQ(h.recv(fd).value, 10);
  EXPECT_EQ(h.recv(fd).value, 0);
  EXPECT_TRUE(h.fired(Rule::R111));
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 0U);
  EXPECT_EQ(h.recv(fd).value, 0);
}

TEST(CloseWait, R20_R119_CloseSendsFinAndGoesToLastAck) {
  Harness h;
  const int fd = h.close_wait();
  h.close(fd);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kLastAck);
  EXPECT_TRUE(h.fired(Rule::R20));
  EXPECT_TRUE(h.fired(Rule::R119));
}

TEST(CloseWait, R106_SendStillWorks) {
  Harness h;
  const int fd = h.close_wait();
  EXPECT_EQ(h.send(fd, 5).value, 5);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(2), 5}}));
}

TEST(CloseWait, R77_AckProcessingAsEstablished) {
  Harness h;
  const int fd = h.close_wait();
  h.send(fd, 5);
  h.seg(A, h.theirs(2), h.ours(6));
  EXPECT_EQ(h.tcb()->snd_una.value, h.ours(6));
  EXPECT_TRUE(h.fired(Rule::R77));
}

TEST(CloseWait, R84_DataAfterFinIsIgnored) {
  Harness h;
  h.close_wait();
  h.seg(PA, h.theirs(2), h.ours(1), 10);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R84));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(2));
}

TEST(CloseWait, R90_RetransmittedFinIsAckedAndStateKept) {
  Harness h;
  h.close_wait();
  h.seg(FA, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kCloseWait);
}

TEST(CloseWait, R177_LinuxRstReportsEpipe) {
  Harness h{linux_profile()};
  const int fd = h.close_wait();
  h.seg(R, h.theirs(2));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
}

TEST(CloseWait, R63_RfcRstReportsEconnreset) {
  Harness h;
  const int fd = h.close_wait();
  h.seg(R, h.theirs(2));
  EXPECT_EQ(h.send(fd, 1).error, ECONNRESET);
}

// Linux tcp_recvmsg: SOCK_DONE (a FIN came) is tested before sk_err, so a read after the reset
// reports end of file and leaves the error to the next call that looks at it. Measured: explore
// signature closed-recv-call-return (corpus/regressions/linux-read-after-fin-then-rst-is-eof.pkt).
TEST(CloseWait, R110_R177_ReadAfterRstIsEndOfFileOnceAFinCame) {
  Harness h{linux_profile()};
  const int fd = h.close_wait();
  h.seg(R, h.theirs(2));
  EXPECT_EQ(h.recv(fd).value, 0);
  EXPECT_TRUE(h.fired(Rule::R111));
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
}

TEST(CloseWait, R173_LinuxAcceptsRstAtRcvNxtMinusOne) {
  Harness h{linux_profile()};
  h.close_wait();
  h.seg(R, h.theirs(1));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R173));
}

TEST(CloseWait, R62_RfcChallengesRstAtRcvNxtMinusOne) {
  Harness h;
  h.close_wait();
  h.seg(R, h.theirs(1));
  EXPECT_EQ(h.state(), State::kCloseWait);
}

TEST(CloseWait, R81_UrgentIsIgnored) {
  Harness h;
  h.close_wait();
  wire::Segment s = h.make(A | wire::kUrg, h.theirs(2), h.ours(1));
  s.urgent = 3;
  h.inject(s);
  EXPECT_TRUE(h.fired(Rule::R81));
}

// Linux tcp_data_queue: a retransmitted FIN (all old) forces an immediate ACK (R53, R90).
TEST(CloseWait, R53_R90_RetransmittedFinIsAcked) {
  Harness h{linux_profile()};
  h.close_wait();
  h.seg(FA, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kCloseWait);
  EXPECT_TRUE(h.fired(Rule::R90));
  EXPECT_TRUE(h.fired(Rule::R53));
}

// Linux tcp_recvmsg found_fin_ok: the read that drains the text also consumes the FIN.
TEST(CloseWait, R111_ReadThatDrainsTextConsumesFin) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 30);
  h.seg(FA, h.theirs(31), h.ours(1));
  ASSERT_EQ(h.state(), State::kCloseWait);
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 31U);
  EXPECT_EQ(h.recv(fd, 1000).value, 30);
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 0U);
  EXPECT_EQ(h.recv(fd, 1000).value, 0);
  EXPECT_EQ(h.recv(fd, 1000).value, 0);
}

// A FIN that arrives after the text was read sits alone: reading exactly the text leaves it.
TEST(CloseWait, R111_FinAfterTheTextWasReadStaysUntilTheNextRead) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 30);
  EXPECT_EQ(h.recv(fd, 30).value, 30);
  h.seg(FA, h.theirs(31), h.ours(1));
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 1U);
  EXPECT_EQ(h.recv(fd, 30).value, 0);
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 0U);
}

// Linux step 7: text overlapping the peer's FIN and passing it resets (tcp_reset → EPIPE in
// CLOSE-WAIT) and draws a RST (explore close-wait-data-state, close-wait-fin-state).
TEST(CloseWait, R168_R130_LinuxTextOverlappingTheFinResets) {
  Harness h{linux_profile()};
  const int fd = h.close_wait();
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
  EXPECT_TRUE(h.fired(Rule::R168));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kSoError).value, EPIPE);
}

TEST(CloseWait, R84_RfcTextOverlappingTheFinIsIgnored) {
  Harness h;
  h.close_wait();
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_EQ(h.state(), State::kCloseWait);
}

// A segment whose text ends at RCV.NXT and whose FIN comes one octet later is queued by
// tcp_data_queue: RCV.NXT passes it and Recv-Q counts 2 (explore close-wait-fin-recv-q).
TEST(CloseWait, R90_LinuxFinMovedOneOctetOnIsQueued) {
  Harness h{linux_profile()};
  h.close_wait();
  h.seg(FA, h.theirs(1), h.ours(1), 1);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(3)}}));
  EXPECT_EQ(h.state(), State::kCloseWait);
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 2U);
}

// The FIN came while text was unread: it rides on that text's skb and a read ending exactly at
// the end of the text consumes it (tcp_recvmsg found_fin_ok; measured on Linux 6.18, explore
// close-wait-recv-recv-q).
TEST(CloseWait, R111_ExactReadConsumesFinQueuedWithText) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 30);
  h.seg(FA, h.theirs(31), h.ours(1));
  EXPECT_EQ(h.recv(fd, 30).value, 30);
  EXPECT_EQ(h.observed(State::kCloseWait)->recv_q, 0U);
  EXPECT_EQ(h.recv(fd, 30).value, 0);
}

}  // namespace
}  // namespace tcpconform::model::testing
