// FIN-WAIT-1 and FIN-WAIT-2 (R15, R17, R18, R75, R76, R88, R89, R107, R110, R118, R168, R169).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(FinWait, R13_ShutdownWriteSendsFin) {
  Harness h;
  h.fin_wait_1();
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kFinWait1);
  EXPECT_EQ(h.observed(State::kFinWait1)->send_q, 1U);  // the FIN counts in Send-Q
}

TEST(FinWait, R15_R75_AckOfFinGoesToFinWait2) {
  Harness h;
  h.fin_wait_1();
  h.seg(A, h.theirs(1), h.ours(2));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kFinWait2);
  EXPECT_TRUE(h.fired(Rule::R15));
  EXPECT_TRUE(h.fired(Rule::R75));
}

TEST(FinWait, R17_R88_FinAckingOurFinGoesToTimeWait) {
  Harness h;
  h.fin_wait_1();
  h.seg(FA, h.theirs(1), h.ours(2));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R17));
  EXPECT_TRUE(h.fired(Rule::R88));
}

TEST(FinWait, R18_R89_FinInFinWait2GoesToTimeWait) {
  Harness h;
  h.fin_wait_2();
  h.seg(FA, h.theirs(1), h.ours(2));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R18));
  EXPECT_TRUE(h.fired(Rule::R89));
}

TEST(FinWait, R76_DataStillFlowsInFinWait2) {
  Harness h;
  const int fd = h.fin_wait_2();
  h.seg(PA, h.theirs(1), h.ours(2), 10);
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(11)}}));
  EXPECT_TRUE(h.fired(Rule::R76));
  EXPECT_EQ(h.recv(fd).value, 10);
  EXPECT_TRUE(h.fired(Rule::R110));
}

TEST(FinWait, R118_SecondShutdownSendsNoSecondFin) {
  Harness h;
  const int fd = h.fin_wait_1();
  h.shutdown(fd, ShutdownHow::kWrite);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R118));
}

TEST(FinWait, R107_SendIsEpipe) {
  Harness h;
  const int fd = h.fin_wait_1();
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
  EXPECT_TRUE(h.fired(Rule::R107));
}

TEST(FinWait, R168_LinuxDataAfterCloseDrawsRst) {
  Harness h{linux_profile()};
  h.fin_wait_2(true);
  h.seg(PA, h.theirs(1), h.ours(2), 10);
  EXPECT_TRUE(h.sent({{R, h.ours(2)}}));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R168));
}

TEST(FinWait, R168_LinuxDataToFinWait1AfterCloseDrawsRst) {
  Harness h{linux_profile()};
  h.fin_wait_1(true);
  h.seg(PA, h.theirs(1), h.ours(1), 10);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(FinWait, R82_RfcAcceptsDataAfterClose) {
  Harness h;
  h.fin_wait_2(true);
  h.seg(PA, h.theirs(1), h.ours(2), 10);
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(11)}}));
  EXPECT_EQ(h.state(), State::kFinWait2);
}

TEST(FinWait, R169_LinuxOrphanedFinWait2TimesOut) {
  Harness h{linux_profile()};
  h.fin_wait_2(true);
  EXPECT_TRUE(h.fired(Rule::R169));
  h.advance(59s);
  EXPECT_EQ(h.state(), State::kFinWait2);
  h.advance(1s);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.sent_nothing());
  h.seg(FA, h.theirs(1), h.ours(2));  // the peer's late FIN meets a closed port
  EXPECT_TRUE(h.sent({{R, h.ours(2)}}));
}

TEST(FinWait, R169_Linger2ShortensTheTimeout) {
  Harness h{linux_profile()};
  const int fd = h.fin_wait_1();
  h.setsockopt(fd, SockOpt::kTcpLinger2, 5);
  h.close(fd);
  h.seg(A, h.theirs(1), h.ours(2));
  h.advance(5s);
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(FinWait, R169_HalfClosedSocketStaysInFinWait2) {
  Harness h{linux_profile()};
  h.fin_wait_2(false);
  h.advance(600s);
  EXPECT_EQ(h.state(), State::kFinWait2);
}

TEST(FinWait, R169_RfcHasNoFinWait2Timeout) {
  Harness h;
  h.fin_wait_2(true);
  h.advance(600s);
  EXPECT_EQ(h.state(), State::kFinWait2);
}

TEST(FinWait, R169_CloseInFinWait2StartsTimer) {
  Harness h{linux_profile()};
  const int fd = h.fin_wait_2(false);
  h.close(fd);
  EXPECT_TRUE(h.fired(Rule::R169));
  h.advance(60s);
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(FinWait, R169_LinuxMiniSocketAcksOutOfWindowSegments) {
  Harness h{linux_profile()};
  h.fin_wait_2(true);
  h.seg(A, h.theirs(900000), h.ours(2));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(1)}}));
  EXPECT_EQ(h.observed(State::kFinWait2)->timer, TimerKind::kTimeWait);
}

TEST(FinWait, R24_AbortInFinWait1SendsRst) {
  Harness h;
  const int fd = h.fin_wait_1();
  h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
  h.close(fd);
  EXPECT_TRUE(h.sent({{R, h.ours(2)}}));
  EXPECT_TRUE(h.fired(Rule::R24));
  EXPECT_EQ(h.state(), State::kClosed);
}

// "Receive out of order FIN after close()": the orphan whose FIN this segment acknowledges
// dies on a bare FIN beyond RCV.NXT too (Linux tcp_rcv_state_process, case TCP_FIN_WAIT1;
// explore fin-wait-1-fin-state).
TEST(FinWait, R168_LinuxOrphanOutOfOrderFinAckingOurFinDrawsRst) {
  Harness h{linux_profile()};
  h.fin_wait_1(true);
  h.seg(FA, h.theirs(1000), h.ours(2));
  EXPECT_TRUE(h.sent({{R, h.ours(2)}}));
  EXPECT_TRUE(h.fired(Rule::R168));
  EXPECT_EQ(h.state(), State::kClosed);
}

}  // namespace
}  // namespace tcpconform::model::testing
