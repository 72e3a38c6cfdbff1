// Kernel timers in real time: advance() waits, and what the timer sent is collected after it.
#include <chrono>

#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

TEST(LinuxTimers, SynAckIsRetransmittedWhenTheRtoExpires) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  Peer peer = Peer::make(sut, IpVersion::kV4, sut.fresh_port(), sut.fresh_port());
  const int l = k.socket(IpVersion::kV4);
  ASSERT_EQ(k.bind(l, peer.kernel).error, 0);
  ASSERT_EQ(k.listen(l).error, 0);
  peer.send(wire::kSyn);
  const wire::Segment first = peer.expect(wire::kSynAck);
  ASSERT_TRUE(sut.advance(std::chrono::milliseconds(300)).has_value());
  peer.expect_nothing();  // the initial RTO is one second (RFC 6298 §2.1)
  ASSERT_TRUE(sut.advance(std::chrono::milliseconds(1000)).has_value());
  const auto again = collect(sut);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].flags, wire::kSynAck);
  EXPECT_EQ(again[0].seq, first.seq);
}

TEST(LinuxTimers, OrphanedFinWait2TimesOutAfterTcpFinTimeout) {
  TCPCONFORM_MAKE_SUT(sut, LinuxSutOptions{.settings = {{"net/ipv4/tcp_fin_timeout", "1"}}});
  Calls k{sut};
  Peer peer = Peer::make(sut, IpVersion::kV6, sut.fresh_port(), 0);
  const int fd = k.socket(IpVersion::kV6);
  ASSERT_EQ(k.connect(fd, peer.self).error, EINPROGRESS);
  peer.expect(wire::kSyn);
  peer.send(wire::kSynAck);
  peer.expect(wire::kAck);
  ASSERT_EQ(k.close(fd).error, 0);
  peer.expect(wire::kFinAck);
  peer.send(wire::kAck);
  auto all = observe(sut);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].state, State::kFinWait2);
  EXPECT_TRUE(all[0].orphan);
  EXPECT_EQ(all[0].timer, model::TimerKind::kTimeWait);  // Linux: a mini socket, tcp_time_wait()
  ASSERT_TRUE(sut.advance(std::chrono::milliseconds(1300)).has_value());
  EXPECT_TRUE(observe(sut).empty());
  peer.expect_nothing();  // it goes silently
}

}  // namespace
}  // namespace tcpconform::harness::testing
