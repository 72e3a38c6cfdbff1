// SYN-RECEIVED: §3.10.7.4 for passive and simultaneous opens, and Linux request sockets
// (R9–R12, R27, R66, R72, R160–R163).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

// Active side in SYN-RECEIVED after crossing SYNs.
int simultaneous(Harness& h) {
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.syn();
  return fd;
}

TEST(SynReceived, R9_R72_AckOfSynEstablishes) {
  Harness h;
  h.listening();
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_TRUE(h.fired(Rule::R9));
  EXPECT_TRUE(h.fired(Rule::R72));
}

TEST(SynReceived, R72_BadAckDrawsRstAndKeepsState) {
  Harness h;
  h.listening();
  h.syn();
  h.seg(A, h.theirs(1), h.ours(5));
  EXPECT_TRUE(h.sent({{R, h.ours(5)}}));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(SynReceived, R161_LinuxBadAckToRequestSocketDrawsRst) {
  Harness h{linux_profile()};
  h.listening();
  h.syn();
  h.seg(A, h.theirs(1), h.ours(2));
  EXPECT_TRUE(h.sent({{R, h.ours(2)}}));
  EXPECT_TRUE(h.fired(Rule::R161));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(SynReceived, R11_RstReturnsToListenSilently) {
  Harness h;
  h.listening();
  h.syn();
  h.seg(R, h.theirs(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R11));
  EXPECT_TRUE(h.observed(State::kListen).has_value());
  ASSERT_EQ(h.out.state_changes.size(), 1U);
  EXPECT_EQ(h.out.state_changes[0].to, State::kListen);
}

TEST(SynReceived, R62_RfcInexactRstDrawsChallengeAck) {
  Harness h;
  h.listening();
  h.syn();
  h.seg(R, h.theirs(100));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(SynReceived, R66_RfcInWindowSynReturnsToListen) {
  Harness h;
  h.listening();
  h.syn();
  h.syn(h.theirs(10));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R66));
}

TEST(SynReceived, R66_RfcRetransmittedSynDrawsAck) {
  Harness h;
  h.listening();
  h.syn();
  h.syn();
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(SynReceived, R163_LinuxRetransmittedSynResendsSynAck) {
  Harness h{linux_profile()};
  h.listening();
  h.syn();
  h.syn();
  EXPECT_TRUE(h.sent({{SA, h.ours(0), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R163));
}

TEST(SynReceived, R53_OutOfWindowSegmentDrawsAck) {
  Harness h;
  h.listening();
  h.syn();
  h.seg(A, h.theirs(1000000), h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(SynReceived, R160_LinuxFinalAckWithDataDeliversIt) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.seg(PA, h.theirs(1), h.ours(1), 10);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(11)}}));
  const int fd = static_cast<int>(h.accept(lfd).value);
  EXPECT_EQ(h.recv(fd).value, 10);
}

TEST(SynReceived, R87_FinOnFinalAckGoesToCloseWait) {
  Harness h;
  h.listening();
  h.syn();
  h.seg(FA, h.theirs(1), h.ours(1));
  EXPECT_EQ(h.state(), State::kCloseWait);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(2)}}));
}

TEST(SynReceived, R70_SegmentWithoutAckIsDropped) {
  Harness h;
  h.listening();
  h.syn();
  h.seg(P, h.theirs(1), 0, 5);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R70));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(SynReceived, R164a_LinuxFinalAckDroppedWhenAcceptQueueFull) {
  Harness h{linux_profile()};
  h.listening(0);
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1));
  wire::Segment s = h.make(S, 5000);
  s.sport = kRemotePort + 1;
  // A second request created before the queue filled up would be kept; here the listener is
  // full already, so even the SYN is dropped.
  h.inject(s);
  EXPECT_TRUE(h.sent_nothing());
}

TEST(SynReceived, R12_SimultaneousOpenRstRefuses) {
  Harness h;
  const int fd = simultaneous(h);
  h.seg(R, h.theirs(1));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R12));
  EXPECT_EQ(h.connect(fd).error, ECONNREFUSED);
}

TEST(SynReceived, R27_CrossingSynAckEstablishesWithoutReply) {
  Harness h;
  simultaneous(h);
  h.seg(SA, kPeerIss, h.ours(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_TRUE(h.fired(Rule::R27));
}

// Linux 6.18 (corpus handshake-simultaneous-open): the SYN octet of the crossing SYN,ACK is an
// old duplicate, acknowledged at once (tcp_data_queue).
TEST(SynReceived, R27_R53_LinuxAcksTheCrossingSynAck) {
  Harness h{linux_profile()};
  simultaneous(h);
  h.seg(SA, kPeerIss, h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_TRUE(h.fired(Rule::R27));
  EXPECT_TRUE(h.fired(Rule::R53));
}

// Linux tcp_reset(): ECONNREFUSED only in SYN-SENT; SYN-RECEIVED gives ECONNRESET.
TEST(SynReceived, R12_R177_LinuxSimultaneousOpenRstResets) {
  Harness h{linux_profile()};
  const int fd = simultaneous(h);
  h.seg(R, h.theirs(1));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R177));
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kSoError).value, ECONNRESET);
}

// RFC 5961 §3.2 applies to request sockets too (Linux 6.18, corpus
// syn-received-rst-in-window-challenge-ack): an inexact in-window RST draws an ACK.
TEST(SynReceived, R62_R131_InexactRstToRequestSocketDrawsChallengeAck) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.seg(R, h.theirs(100));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R62));
  EXPECT_EQ(h.state(), State::kSynReceived);
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_GE(h.accept(lfd).value, 3);
}

TEST(SynReceived, R162_ExactRstDropsRequestSocket) {
  Harness h{linux_profile()};
  h.listening();
  h.syn();
  h.seg(R, h.theirs(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R162));
  EXPECT_EQ(h.state(), State::kClosed);
}

// Linux inet_csk_listen_stop leaves request sockets; the next segment drops the request and
// is answered as if no listener existed (corpus listen-close-with-request-then-ack-rst).
TEST(SynReceived, R160_R114_RequestOutlivesListenerUntilTouched) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.close(lfd);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kSynReceived);
  EXPECT_TRUE(h.observed(State::kSynReceived).has_value());
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R114));
}

TEST(SynReceived, R160_R114_OrphanRequestDroppedByItsTimer) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.close(lfd);
  h.advance(1s);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(SynReceived, R114_RfcListenerCloseDropsRequests) {
  Harness h;
  const int lfd = h.listening();
  h.syn();
  h.close(lfd);
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(SynReceived, R10_R116_CloseSendsFin) {
  Harness h;
  const int fd = simultaneous(h);
  h.close(fd);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kFinWait1);
  EXPECT_TRUE(h.fired(Rule::R10));
}

TEST(SynReceived, R120d_AbortSendsRst) {
  Harness h;
  const int fd = simultaneous(h);
  h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
  h.close(fd);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(SynReceived, R67_SynInActiveSynReceivedDrawsChallengeAck) {
  Harness h;
  simultaneous(h);
  h.syn(h.theirs(5));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

// Linux tcp_ack() rejects only an ACK below SND.UNA: in a simultaneous open an ACK of our ISS
// establishes the connection with the SYN still unacknowledged (explore syn-received-ack-state).
TEST(SynReceived, R72_LinuxAckOfIssEstablishesSimultaneousOpen) {
  Harness h{linux_profile()};
  simultaneous(h);
  h.seg(A, h.theirs(1), h.ours(0));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_EQ(h.observed(State::kEstablished)->send_q, 1U);
}

TEST(SynReceived, R72_R141_RfcAckOfIssDrawsRst) {
  Harness h;
  simultaneous(h);
  h.seg(A, h.theirs(1), h.ours(0));
  EXPECT_TRUE(h.sent({{R, h.ours(0)}}));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

// A RST exactly at RCV.NXT drops the request whatever its ACK: the bad ACK is not handed to the
// listener first (measured on Linux 6.18, explore syn-received-rst-state).
TEST(SynReceived, R162_LinuxExactRstWithBadAckDropsRequest) {
  Harness h{linux_profile()};
  h.listening();
  h.syn();
  h.seg(RA, h.theirs(1), h.ours(0));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R162));
  EXPECT_EQ(h.state(), State::kClosed);
}

// Linux tcp_shutdown() ignores SYN-RECEIVED; the FIN leaves when the ACK of our SYN arrives
// (tcp_rcv_state_process, case TCP_SYN_RECV; explore syn-received-shutdown-state).
TEST(SynReceived, R10_R116_LinuxShutdownDefersFinUntilEstablished) {
  Harness h{linux_profile()};
  const int fd = simultaneous(h);
  EXPECT_EQ(h.shutdown(fd, ShutdownHow::kWrite).value, 0);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kSynReceived);
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kFinWait1);
}

TEST(SynReceived, R10_R116_RfcShutdownSendsFinAtOnce) {
  Harness h;
  const int fd = simultaneous(h);
  h.shutdown(fd, ShutdownHow::kWrite);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kFinWait1);
}

// tcp_check_req trims a SYN at IRS and creates the child (queued for accept()); the child then
// challenges the SYN bit and stays SYN-RECEIVED (explore syn-received-syn-ack-listener-recv-q).
TEST(SynReceived, R160_R67_LinuxSynAtIrsWithGoodAckQueuesChildAndDrawsChallenge) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.seg(SA | F, kPeerIss, h.ours(1));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R67));
  EXPECT_EQ(h.state(), State::kSynReceived);
  bool listener_has_child = false;
  for (const auto& o : h.ep.observe()) {
    if (o.state == State::kListen) listener_has_child = o.recv_q == 1;
  }
  EXPECT_TRUE(listener_has_child);
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_GE(h.accept(lfd).value, 3);
}

// After crossing SYNs Linux keeps the window scale our SYN offered although the peer's SYN had
// none (tcp_rcv_synsent_state_process): the window field is scaled (explore
// established-data-send-q, seed 1).
TEST(SynReceived, R7_R45_LinuxSimultaneousOpenKeepsOurWindowScale) {
  Harness h{linux_profile()};
  simultaneous(h);
  h.seg(A, h.theirs(1), h.ours(1));
  h.seg(PA, h.theirs(1), h.ours(1), 1);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].window, (64240U - 1U + 127U) / 128U);
}

TEST(SynReceived, R7_R45_RfcSimultaneousOpenWithoutPeerWindowScaleIsUnscaled) {
  Harness h;
  simultaneous(h);
  h.seg(A, h.theirs(1), h.ours(1));
  h.seg(PA, h.theirs(1), h.ours(1), 1);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_GT(h.out.segments[0].window, 1000U);
}

// shutdown(SHUT_RD) stops a listener but keeps its socket; listen() again before the request is
// touched makes it LISTEN again and the request carries on (Linux req->rsk_listener is the
// same sock, in TCP_LISTEN again; explore syn-received-rst-state, syn-received-fin-state seed 2).
TEST(SynReceived, R160_R114_LinuxRequestSurvivesListenerShutdownAndRelisten) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.shutdown(lfd, ShutdownHow::kRead);
  EXPECT_EQ(h.listen(lfd).value, 0);
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_GE(h.accept(lfd).value, 3);
}

}  // namespace
}  // namespace tcpconform::model::testing
