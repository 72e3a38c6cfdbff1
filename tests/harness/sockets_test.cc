// Socket calls on the kernel: script descriptors, errno results, the byte pattern, processes.
#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

TEST(LinuxSockets, ScriptFdsAreTheLowestFreeFromThreePerProcess) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls p0{sut, 0};
  Calls p1{sut, 1};
  EXPECT_EQ(p0.socket(IpVersion::kV4), 3);
  EXPECT_EQ(p0.socket(IpVersion::kV6), 4);
  EXPECT_EQ(p1.socket(IpVersion::kV4), 3);
  EXPECT_EQ(p0.close(3).error, 0);
  EXPECT_EQ(p0.socket(IpVersion::kV4), 3);
  EXPECT_EQ(p0.socket(IpVersion::kV4), 5);
}

TEST(LinuxSockets, UnknownDescriptorIsEbadf) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  EXPECT_EQ(k.close(3).error, EBADF);
  EXPECT_EQ(k.send(7, 1).error, EBADF);
  Calls other{sut, 2};
  EXPECT_EQ(other.recv(3, 1).error, EBADF);
}

TEST(LinuxSockets, ErrnoIsAResultNotAnError) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  const int fd = k.socket(IpVersion::kV4);
  EXPECT_EQ(k.recv(fd, 10).error, ENOTCONN);
  EXPECT_EQ(k.accept(fd).error, EINVAL);
  const Endpoint nowhere{sut.addresses(IpVersion::kV4).local, sut.fresh_port()};
  EXPECT_EQ(k.connect(fd, nowhere).error, EINPROGRESS);
  // The local stack's RST arrived inside connect(): the pending error is there, read once.
  const SocketCall so_error{
      .kind = CallKind::kGetSockOpt, .fd = fd, .option = model::SockOpt::kSoError};
  EXPECT_EQ(k.run(so_error).value, ECONNREFUSED);
  EXPECT_EQ(k.run(so_error).value, 0);
}

TEST(LinuxSockets, SendContinuesTheBytePatternAcrossCalls) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  Peer peer = Peer::make(sut, IpVersion::kV4, sut.fresh_port(), 0);
  const int fd = k.socket(IpVersion::kV4);
  EXPECT_EQ(k.run({.kind = CallKind::kSetSockOpt,
                   .fd = fd,
                   .option = model::SockOpt::kTcpNodelay,
                   .value = 1})
                .error,
            0);
  EXPECT_EQ(k.connect(fd, peer.self).error, EINPROGRESS);
  peer.expect(wire::kSyn);
  peer.send(wire::kSynAck);
  peer.expect(wire::kAck);
  EXPECT_EQ(k.send(fd, 300).value, 300);
  const wire::Segment first = peer.expect(wire::kAck | wire::kPsh);
  ASSERT_EQ(first.payload.size(), 300U);
  EXPECT_EQ(first.payload[299], 299 % 256);
  EXPECT_EQ(k.send(fd, 2).value, 2);
  const wire::Segment second = peer.expect(wire::kAck | wire::kPsh);
  ASSERT_EQ(second.payload.size(), 2U);
  EXPECT_EQ(second.payload[0], 300 % 256);
}

TEST(LinuxSockets, LingerZeroCloseAborts) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  Peer peer = Peer::make(sut, IpVersion::kV6, sut.fresh_port(), 0);
  const int fd = k.socket(IpVersion::kV6);
  EXPECT_EQ(k.run({.kind = CallKind::kSetSockOpt,
                   .fd = fd,
                   .option = model::SockOpt::kSoLinger,
                   .value = 0,
                   .linger_on = true})
                .error,
            0);
  const CallResult got =
      k.run({.kind = CallKind::kGetSockOpt, .fd = fd, .option = model::SockOpt::kSoLinger});
  EXPECT_EQ(got, (CallResult{0, 0, true}));
  EXPECT_EQ(k.connect(fd, peer.self).error, EINPROGRESS);
  peer.expect(wire::kSyn);
  peer.send(wire::kSynAck);
  peer.expect(wire::kAck);
  EXPECT_EQ(k.close(fd).error, 0);
  peer.expect(wire::kRstAck);
  EXPECT_TRUE(observe(sut).empty());
}

TEST(LinuxSockets, ExitOfProcessZeroClosesItsDescriptors) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  const int l = k.socket(IpVersion::kV4);
  EXPECT_EQ(k.bind(l, Endpoint{sut.addresses(IpVersion::kV4).local, sut.fresh_port()}).error, 0);
  EXPECT_EQ(k.listen(l).error, 0);
  EXPECT_EQ(observe(sut).size(), 1U);
  k.exit();
  EXPECT_TRUE(observe(sut).empty());
  EXPECT_EQ(k.close(l).error, EBADF);
}

TEST(LinuxSockets, ChildProcessOwnsItsSocketsUntilKilled) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls child{sut, 3};
  const int l = child.socket(IpVersion::kV6);
  EXPECT_EQ(child.bind(l, Endpoint{sut.addresses(IpVersion::kV6).local, sut.fresh_port()}).error,
            0);
  EXPECT_EQ(child.listen(l).error, 0);
  auto all = observe(sut);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].fd, l);
  child.exit();
  EXPECT_TRUE(observe(sut).empty());
  // The process number can be used again: a new process.
  EXPECT_EQ(child.socket(IpVersion::kV6), 3);
}

TEST(LinuxSockets, LearnsTheKernelsIsnAndTimestamp) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  Peer peer = Peer::make(sut, IpVersion::kV4, sut.fresh_port(), 0);
  const int fd = k.socket(IpVersion::kV4);
  EXPECT_EQ(k.connect(fd, peer.self).error, EINPROGRESS);
  const wire::Segment syn = peer.expect(wire::kSyn);
  const auto learned = sut.initial_values().find(syn.tuple_at_sender());
  ASSERT_TRUE(learned);
  EXPECT_EQ(learned->isn, syn.seq);
  const auto* ts = syn.find_option<wire::option::Timestamp>();
  ASSERT_NE(ts, nullptr);  // tcp_timestamps=1 in the profile
  EXPECT_EQ(learned->tsval, ts->val);
  ASSERT_TRUE(sut.reset().has_value());
  EXPECT_TRUE(sut.initial_values().all().empty());
}

}  // namespace
}  // namespace tcpconform::harness::testing
