// Socket calls per state and their Linux errnos (R100–R120f, R130, R165, R168).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Calls, DescriptorsAreLowestFreeFromThree) {
  Harness h;
  EXPECT_EQ(h.socket(), 3);
  EXPECT_EQ(h.socket(), 4);
  EXPECT_EQ(h.socket(), 5);
  h.close(4);
  EXPECT_EQ(h.socket(), 4);
  // Another process has its own table.
  EXPECT_EQ(h.call({.kind = CallKind::kSocket, .process = 1}).value, 3);
}

TEST(Calls, UnknownDescriptorIsEbadf) {
  Harness h;
  EXPECT_EQ(h.close(9).error, EBADF);
  EXPECT_EQ(h.send(9, 1).error, EBADF);
  EXPECT_EQ(h.recv(9).error, EBADF);
  EXPECT_EQ(h.listen(9).error, EBADF);
}

TEST(Calls, R100_BindTwiceIsEinval) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.bind(fd).value, 0);
  EXPECT_EQ(h.bind(fd, 9000).error, EINVAL);
}

TEST(Calls, R100_BindToForeignAddressIsEaddrnotavail) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.call({.kind = CallKind::kBind, .fd = fd, .address = {kRemote, 80}}).error,
            EADDRNOTAVAIL);
}

TEST(Calls, R100_BindToPortInUseIsEaddrinuse) {
  Harness h;
  h.listening();
  const int fd = h.socket();
  EXPECT_EQ(h.bind(fd).error, EADDRINUSE);
}

TEST(Calls, ReuseAddrLetsTwoUnlistenedSocketsShareAPort) {
  Harness h;
  const int a = h.socket();
  const int b = h.socket();
  h.setsockopt(a, SockOpt::kSoReuseAddr, 1);
  h.setsockopt(b, SockOpt::kSoReuseAddr, 1);
  EXPECT_EQ(h.bind(a).value, 0);
  EXPECT_EQ(h.bind(b).value, 0);
  EXPECT_EQ(h.listen(a).value, 0);
  EXPECT_EQ(h.listen(b).error, EADDRINUSE);
}

TEST(Calls, ListenWithoutBindPicksAnEphemeralPort) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.listen(fd).value, 0);
  const auto o = h.observed(State::kListen);
  ASSERT_TRUE(o.has_value());
  EXPECT_GE(o->tuple.local.port, 32768);
}

TEST(Calls, R164a_BacklogIsCappedBySomaxconn) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.listen(fd, 100000);
  EXPECT_EQ(h.observed(State::kListen)->send_q, 4096U);
}

TEST(Calls, ConnectWithoutBindUsesEphemeralPort) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.connect(fd).error, EINPROGRESS);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].src, kLocal);
  EXPECT_EQ(h.out.segments[0].sport, 40000);
  EXPECT_EQ(h.out.segments[0].dport, kRemotePort);
}

TEST(Calls, R165_LinuxConnectOnListenerIsEisconn) {
  Harness h{linux_profile()};
  const int fd = h.listening();
  EXPECT_EQ(h.connect(fd).error, EISCONN);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R165));
}

// Linux 6.18, measured in both families: a socket that listened never turns active, even once
// shutdown(SHUT_RD) closed its listener; listen() again still works.
TEST(Calls, R165_LinuxConnectAfterListenerShutdownIsEinval) {
  Harness h{linux_profile()};
  const int fd = h.listening();
  ASSERT_EQ(h.shutdown(fd, ShutdownHow::kRead).value, 0);
  EXPECT_EQ(h.connect(fd).error, EINVAL);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R165));
  EXPECT_EQ(h.listen(fd).value, 0);
}

TEST(Calls, R2_RfcConnectAfterListenerShutdownOpensConnection) {
  Harness h;
  const int fd = h.listening();
  ASSERT_EQ(h.shutdown(fd, ShutdownHow::kRead).value, 0);
  EXPECT_EQ(h.connect(fd).error, EINPROGRESS);
  EXPECT_EQ(h.state(), State::kSynSent);
}

// Linux 6.18, measured in both families: once a connect() sent a SYN from a socket, listen()
// fails EINVAL after the attempt is gone, while a new connect() still works.
TEST(Calls, R100_LinuxListenAfterConnectAttemptIsEinval) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  ASSERT_EQ(h.connect(fd).error, EINPROGRESS);
  ASSERT_EQ(h.shutdown(fd, ShutdownHow::kWrite).value, 0);  // SYN-SENT → CLOSED (R6)
  EXPECT_EQ(h.listen(fd).error, EINVAL);
  EXPECT_TRUE(h.fired(Rule::R100));
  EXPECT_FALSE(h.observed(State::kListen).has_value());
  EXPECT_EQ(h.connect(fd).error, EINPROGRESS);
}

// Measured likewise: a connect() that fails at once (no address of the family: ENETUNREACH)
// sent no SYN and leaves listen() possible.
TEST(Calls, R100_LinuxConnectThatSentNoSynLeavesListenPossible) {
  Harness h{linux_profile()};
  const int fd =
      static_cast<int>(h.call({.kind = CallKind::kSocket, .family = wire::IpVersion::kV6}).value);
  wire::IpAddress remote6;
  remote6.version = wire::IpVersion::kV6;
  remote6.bytes[0] = 0x20;
  remote6.bytes[1] = 0x01;
  remote6.bytes[2] = 0x0d;
  remote6.bytes[3] = 0xb8;
  remote6.bytes[15] = 2;
  ASSERT_EQ(h.call({.kind = CallKind::kConnect, .fd = fd, .address = {remote6, kRemotePort}}).error,
            ENETUNREACH);
  EXPECT_EQ(h.listen(fd).value, 0);
}

TEST(Calls, R1_RfcListenAfterConnectAttemptListens) {
  Harness h;
  const int fd = h.socket();
  ASSERT_EQ(h.connect(fd).error, EINPROGRESS);
  ASSERT_EQ(h.shutdown(fd, ShutdownHow::kWrite).value, 0);
  EXPECT_EQ(h.listen(fd).value, 0);
  EXPECT_TRUE(h.observed(State::kListen).has_value());
}

TEST(Calls, R5_R101_RfcConnectOnListenerGoesActive) {
  Harness h;
  const int fd = h.listening();
  EXPECT_EQ(h.connect(fd).error, EINPROGRESS);
  EXPECT_TRUE(h.sent({{S, kOurIss}}));
  EXPECT_EQ(h.state(), State::kSynSent);
  EXPECT_FALSE(h.observed(State::kListen).has_value());
  EXPECT_TRUE(h.fired(Rule::R5));
}

TEST(Calls, R102_ConnectOnAcceptedSocketIsEisconn) {
  Harness h;
  const int fd = h.passive_established();
  EXPECT_EQ(h.connect(fd).error, EISCONN);
}

TEST(Calls, R103_SendOnUnconnectedSocketIsEpipe) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
  EXPECT_TRUE(h.fired(Rule::R103));
}

TEST(Calls, R104_R165_SendOnListenerIsEpipe) {
  Harness h{linux_profile()};
  const int fd = h.listening();
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
  EXPECT_TRUE(h.fired(Rule::R104));
}

TEST(Calls, R108_RecvOnUnconnectedSocketIsEnotconn) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.recv(fd).error, ENOTCONN);
  EXPECT_TRUE(h.fired(Rule::R108));
  const int lfd = h.listening();
  EXPECT_EQ(h.recv(lfd).error, ENOTCONN);
}

TEST(Calls, R113_ShutdownOnUnconnectedSocketIsEnotconn) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.shutdown(fd, ShutdownHow::kWrite).error, ENOTCONN);
}

TEST(Calls, R113_CloseOfUnconnectedSocketSucceedsSilently) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(h.close(fd).value, 0);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R113));
}

TEST(Calls, R130_R168_LinuxCloseWithUnreadDataSendsRst) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 5);
  h.close(fd);
  EXPECT_TRUE(h.sent({{RA, h.ours(1), h.theirs(6)}}));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R130));
  EXPECT_TRUE(h.fired(Rule::R168));
}

TEST(Calls, R130_RfcCloseWithUnreadDataSendsFin) {
  Harness h;
  const int fd = h.active_established();
  h.seg(PA, h.theirs(1), h.ours(1), 5);
  h.close(fd);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(6)}}));
}

TEST(Calls, R168_LinuxUnreadFinAloneDoesNotReset) {
  Harness h{linux_profile()};
  const int fd = h.close_wait();
  h.close(fd);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(2)}}));
}

TEST(Calls, R24_R120d_LingerZeroCloseSendsRst) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  EXPECT_EQ(h.setsockopt(fd, SockOpt::kSoLinger, 0, true).value, 0);
  h.close(fd);
  EXPECT_TRUE(h.sent({{RA, h.ours(1), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R120d));
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(Calls, R120d_RfcAbortRstHasNoAck) {
  Harness h;
  const int fd = h.active_established();
  h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
  h.close(fd);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
}

TEST(Calls, SoLingerReadsBack) {
  Harness h;
  const int fd = h.socket();
  h.setsockopt(fd, SockOpt::kSoLinger, 7, true);
  const CallResult r = h.getsockopt(fd, SockOpt::kSoLinger);
  EXPECT_EQ(r.value, 7);
  EXPECT_TRUE(r.linger_on);
}

TEST(Calls, TcpLinger2DefaultsToFinTimeout) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kTcpLinger2).value, 60);
  h.setsockopt(fd, SockOpt::kTcpLinger2, -5);
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kTcpLinger2).value, -1);
}

TEST(Calls, ProcessExitClosesAllItsDescriptors) {
  Harness h;
  const int fd = h.active_established();
  (void)fd;
  h.call({.kind = CallKind::kExitProcess, .process = 0});
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kFinWait1);
  EXPECT_TRUE(h.observed(State::kFinWait1)->orphan);
  EXPECT_EQ(h.socket(), 3);
}

TEST(Calls, ShutdownReadMakesRecvReturnEof) {
  Harness h;
  const int fd = h.active_established();
  h.shutdown(fd, ShutdownHow::kRead);
  EXPECT_EQ(h.recv(fd).value, 0);
  EXPECT_TRUE(h.sent_nothing());
}

TEST(Calls, ShutdownReadWriteSendsFin) {
  Harness h;
  const int fd = h.active_established();
  h.shutdown(fd, ShutdownHow::kReadWrite);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
}

TEST(Calls, ShutdownInSynSentDisconnects) {
  Harness h;
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  EXPECT_EQ(h.shutdown(fd, ShutdownHow::kWrite).value, 0);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(Calls, R120f_ObserveReportsStateAndQueues) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 7);
  const auto obs = h.ep.observe();
  ASSERT_EQ(obs.size(), 1U);
  EXPECT_EQ(obs[0].state, State::kEstablished);
  EXPECT_EQ(obs[0].send_q, 7U);
  EXPECT_EQ(obs[0].fd, fd);
  EXPECT_EQ(obs[0].timer, TimerKind::kRetransmit);
}

TEST(Calls, SendBufferLimitsWrites) {
  Choices c = Harness::default_choices();
  c.snd_buffer = 1000;
  Harness h{rfc9293_profile(), c};
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  EXPECT_EQ(h.send(fd, 5000).value, 1000);
  EXPECT_EQ(h.send(fd, 1).error, EAGAIN);
}

TEST(Calls, AcceptedSocketInheritsListenerOptions) {
  Harness h;
  const int lfd = h.listening();
  h.setsockopt(lfd, SockOpt::kTcpNodelay, 1);
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1));
  const int fd = static_cast<int>(h.accept(lfd).value);
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kTcpNodelay).value, 1);
}

TEST(Calls, ResetBeforeAcceptStillYieldsDescriptorWithError) {
  Harness h;
  const int lfd = h.listening();
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1));
  h.seg(R, h.theirs(1));
  const int fd = static_cast<int>(h.accept(lfd).value);
  EXPECT_EQ(h.recv(fd).error, ECONNRESET);
}

TEST(Calls, R120a_AbortOfUnconnectedSocketSendsNothing) {
  Harness h;
  const int fd = h.socket();
  h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
  EXPECT_EQ(h.close(fd).value, 0);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R120a));
}

TEST(Calls, R120b_AbortOfListenerSendsNothing) {
  Harness h;
  const int fd = h.listening();
  h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
  h.close(fd);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R120b));
  EXPECT_TRUE(h.ep.observe().empty());
}

TEST(Calls, R26_AbortLeavesClosedNotTimeWait) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Harness h{p};
    const int fd = h.active_established();
    h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
    h.close(fd);
    EXPECT_TRUE(h.ep.observe().empty()) << p.name;
  }
}

// A port picked by connect() is released when the connection closes (Linux tcp_set_state →
// inet_put_port): after shutdown() in SYN-SENT (tcp_disconnect) a new connect() or listen()
// picks a new ephemeral port (explore syn-sent-syn-state, closed-listen-listener-state).
TEST(Calls, R6_R115_DisconnectReleasesTheAutomaticPort) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.connect(fd);
  ASSERT_EQ(h.out.segments.size(), 1U);
  const std::uint16_t first = h.out.segments[0].sport;
  EXPECT_EQ(h.shutdown(fd, ShutdownHow::kWrite).value, 0);
  EXPECT_EQ(h.connect(fd).error, EINPROGRESS);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_NE(h.out.segments[0].sport, first);
}

TEST(Calls, R2_ExplicitlyBoundPortIsKeptAcrossReconnects) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.seg(RA, 0, h.ours(1));
  EXPECT_EQ(h.connect(fd).error, ECONNREFUSED);
  EXPECT_EQ(h.connect(fd).error, EINPROGRESS);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].sport, kLocalPort);
}

// Linux inet_shutdown(): shutdown() on an established socket whose non-blocking connect() was
// never completed by a second call makes it SS_CONNECTED; after TIME-WAIT connect() is EISCONN,
// not ECONNABORTED (explore time-wait-connect-state, seed 1).
TEST(Calls, R102_ShutdownMarksNonBlockingConnectCompleted) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.shutdown(fd, ShutdownHow::kWrite);
  h.seg(A, h.theirs(1), h.ours(2));
  h.seg(FA, h.theirs(1), h.ours(2));
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_EQ(h.connect(fd).error, EISCONN);
}

}  // namespace
}  // namespace tcpconform::model::testing
