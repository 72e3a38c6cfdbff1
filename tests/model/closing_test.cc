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

}  // namespace
}  // namespace tcpconform::model::testing
