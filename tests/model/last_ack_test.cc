// LAST-ACK (R21, R79, R112, R120, R120e, R128).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(LastAck, R21_R79_AckOfFinDeletesTcb) {
  Harness h;
  h.last_ack();
  h.seg(A, h.theirs(2), h.ours(2));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R21));
  EXPECT_TRUE(h.fired(Rule::R79));
}

TEST(LastAck, R128_PassiveCloserNeverEntersTimeWait) {
  Harness h;
  h.last_ack();
  h.seg(A, h.theirs(2), h.ours(2));
  EXPECT_TRUE(h.fired(Rule::R128));
  EXPECT_TRUE(h.ep.observe().empty());
}

TEST(LastAck, R79_AckNotCoveringFinKeepsState) {
  Harness h;
  h.last_ack();
  h.seg(A, h.theirs(2), h.ours(1));
  EXPECT_EQ(h.state(), State::kLastAck);
}

TEST(LastAck, R112_RecvOnHalfClosedSocketIsEof) {
  Harness h;
  const int fd = h.close_wait();
  h.shutdown(fd, ShutdownHow::kWrite);
  EXPECT_EQ(h.state(), State::kLastAck);
  EXPECT_EQ(h.recv(fd).value, 0);
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
}

TEST(LastAck, R120_SecondShutdownSendsNothing) {
  Harness h;
  const int fd = h.close_wait();
  h.shutdown(fd, ShutdownHow::kWrite);
  h.shutdown(fd, ShutdownHow::kWrite);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R120));
}

TEST(LastAck, R120e_AbortDeletesWithoutSegment) {
  Harness h;
  const int fd = h.close_wait();
  h.shutdown(fd, ShutdownHow::kWrite);
  h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
  h.close(fd);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R120e));
}

TEST(LastAck, R63_RstDeletesTcb) {
  Harness h;
  h.last_ack();
  h.seg(R, h.theirs(2));
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(LastAck, R137_FinIsRetransmitted) {
  Harness h;
  h.last_ack();
  h.advance(1s);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(2)}}));
  EXPECT_TRUE(h.fired(Rule::R137));
}

TEST(LastAck, R53_R90_RetransmittedFinIsAcked) {
  Harness h{linux_profile()};
  h.last_ack();
  h.seg(FA, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kLastAck);
}

// R74/R119: corpus last-ack-fin-after-queued-data.
TEST(LastAck, R74_R119_WindowUpdateReleasesQueuedDataAndFin) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);  // zero window
  h.seg(FA, h.theirs(1), h.ours(1), 0, 0);
  ASSERT_EQ(h.state(), State::kCloseWait);
  EXPECT_EQ(h.send(fd, 300).value, 300);
  h.close(fd);
  EXPECT_TRUE(h.sent_nothing());
  ASSERT_EQ(h.state(), State::kLastAck);
  h.seg(A, h.theirs(2), h.ours(1), 0, 1000);
  EXPECT_TRUE(h.sent({{FA | P, h.ours(1), h.theirs(2), 300}}));
  h.seg(A, h.theirs(2), h.ours(302), 0, 1000);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R21));
}

}  // namespace
}  // namespace tcpconform::model::testing
