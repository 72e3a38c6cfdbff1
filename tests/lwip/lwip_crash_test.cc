// When lwIP aborts on one of its own assertions, the host process dies: the call in progress
// returns an Error marked stack_crashed with lwIP's message, later calls say the same, and reset()
// starts a fresh host.
#include <signal.h>

#include "lwip_fixture.h"

namespace tcpconform::harness::testing {
namespace {

TEST_F(LwipTest, AnLwipAssertionIsReportedAsAStackCrash) {
  const auto crashed = sut->trip_assert();
  ASSERT_FALSE(crashed);
  const Error& e = crashed.error();
  EXPECT_TRUE(e.stack_crashed);
  EXPECT_FALSE(e.missing_privilege);
  EXPECT_NE(e.message.find("tcp_recved for listen-pcbs"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("signal 6"), std::string::npos) << e.message;
  EXPECT_NE(e.to_string().find(kStackCrashedMarker), std::string::npos);
  // Until reset(), every request reports the crash.
  const auto later = sut->observe();
  ASSERT_FALSE(later);
  EXPECT_TRUE(later.error().stack_crashed);
}

// Found by `tcpconform matrix --sut lwip`: one FIN whose SEQ is RCV.NXT + 2^31 trips
// LWIP_ASSERT("insane offset!") in tcp_receive() (docs/lwip-findings/crash-insane-offset.pkt).
TEST_F(LwipTest, AFinHalfTheSequenceSpaceAwayAbortsLwip) {
  const auto [fd, iss] = passive_open();
  ASSERT_GE(fd, 3);
  const auto crashed = sut->inject(peer(wire::kFinAck, kPeerIsn + 1 + 0x80000000U, iss + 1));
  ASSERT_FALSE(crashed);
  EXPECT_TRUE(crashed.error().stack_crashed);
  EXPECT_NE(crashed.error().message.find("insane offset!"), std::string::npos)
      << crashed.error().message;
  EXPECT_EQ(crashed.error().step, "inject");
}

TEST_F(LwipTest, ResetAfterACrashStartsAFreshHost) {
  const pid_t before = sut->host_pid();
  ASSERT_FALSE(sut->trip_assert());
  ASSERT_TRUE(sut->reset());
  EXPECT_NE(sut->host_pid(), before);
  const auto [fd, iss] = passive_open();
  EXPECT_GE(fd, 3);
}

TEST_F(LwipTest, AHostKilledFromOutsideIsACrashToo) {
  ASSERT_EQ(::kill(sut->host_pid(), SIGKILL), 0);
  const auto r = sut->collect();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().stack_crashed);
  EXPECT_NE(r.error().message.find("signal 9"), std::string::npos) << r.error().message;
  ASSERT_TRUE(sut->reset());
  EXPECT_TRUE(sut->collect());
}

}  // namespace
}  // namespace tcpconform::harness::testing
