// SYN-SENT: RFC 9293 §3.10.7.3 and Linux tcp_rcv_synsent_state_process (R2, R6–R8, R40–R47, R166).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

int syn_sent(Harness& h) {
  const int fd = h.socket();
  h.bind(fd);
  EXPECT_EQ(h.connect(fd).error, EINPROGRESS);
  return fd;
}

TEST(SynSent, R2_ConnectSendsSynAndReturnsEinprogress) {
  Harness h;
  const int fd = h.socket();
  h.bind(fd);
  const CallResult r = h.connect(fd);
  EXPECT_EQ(r.value, -1);
  EXPECT_EQ(r.error, EINPROGRESS);
  EXPECT_TRUE(h.sent({{S, kOurIss}}));
  EXPECT_EQ(h.state(), State::kSynSent);
  EXPECT_TRUE(h.fired(Rule::R2));
  EXPECT_EQ(h.tcb()->snd_una.value, kOurIss);
  EXPECT_EQ(h.tcb()->snd_nxt.value, h.ours(1));
  // ss: the SYN counts one in Send-Q.
  EXPECT_EQ(h.observed(State::kSynSent)->send_q, 1U);
}

TEST(SynSent, LinuxSynCarriesLinuxOptions) {
  Harness h{linux_profile()};
  syn_sent(h);
  ASSERT_EQ(h.out.segments.size(), 1U);
  const wire::Segment& s = h.out.segments[0];
  EXPECT_EQ(s.window, 64240);
  ASSERT_EQ(s.options.size(), 5U);
  EXPECT_EQ(std::get<wire::option::Mss>(s.options[0]).value, 1460);
  EXPECT_TRUE(std::holds_alternative<wire::option::SackPermitted>(s.options[1]));
  EXPECT_EQ(std::get<wire::option::Timestamp>(s.options[2]).ecr, 0U);
  EXPECT_TRUE(std::holds_alternative<wire::option::Nop>(s.options[3]));
  EXPECT_EQ(std::get<wire::option::WindowScale>(s.options[4]).shift, 7);
}

TEST(SynSent, R8_R44_SynAckEstablishesWithBareAck) {
  Harness h;
  const int fd = syn_sent(h);
  h.synack();
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_TRUE(h.fired(Rule::R8));
  EXPECT_TRUE(h.fired(Rule::R44));
  EXPECT_TRUE(h.fired(Rule::R43));
  EXPECT_EQ(h.tcb()->snd_wnd, 65535U);
  EXPECT_EQ(h.tcb()->snd_wl1.value, kPeerIss);
  EXPECT_EQ(h.connect(fd).value, 0);  // SS_CONNECTING → SS_CONNECTED
  EXPECT_EQ(h.connect(fd).error, EISCONN);
}

TEST(SynSent, R40_UnacceptableAckDrawsRst) {
  Harness h;
  syn_sent(h);
  h.seg(SA, kPeerIss, h.ours(5));
  EXPECT_TRUE(h.sent({{R, h.ours(5)}}));
  EXPECT_TRUE(h.fired(Rule::R40));
  EXPECT_EQ(h.state(), State::kSynSent);
}

TEST(SynSent, R40_AckOfIssItselfIsUnacceptable) {
  Harness h;
  syn_sent(h);
  h.seg(A, kPeerIss, h.ours(0));
  EXPECT_TRUE(h.sent({{R, h.ours(0)}}));
}

TEST(SynSent, R40_R143_RstWithUnacceptableAckIsDropped) {
  Harness h;
  syn_sent(h);
  h.seg(RA, kPeerIss, h.ours(7));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kSynSent);
}

TEST(SynSent, R42_RstWithAcceptableAckRefuses) {
  Harness h;
  const int fd = syn_sent(h);
  h.seg(RA, 0, h.ours(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R42));
  EXPECT_EQ(h.connect(fd).error, ECONNREFUSED);
}

TEST(SynSent, R177_RefusedConnectionReportsEconnrefusedInSoError) {
  Harness h{linux_profile()};
  const int fd = syn_sent(h);
  h.seg(RA, 0, h.ours(1));
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kSoError).value, ECONNREFUSED);
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kSoError).value, 0);
}

TEST(SynSent, R42_RstWithoutAckIsDropped) {
  Harness h;
  syn_sent(h);
  h.seg(R, kPeerIss);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kSynSent);
}

TEST(SynSent, R46_AcceptableAckWithoutSynIsDropped) {
  Harness h;
  syn_sent(h);
  h.seg(A, kPeerIss, h.ours(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R46));
  EXPECT_EQ(h.state(), State::kSynSent);
}

TEST(SynSent, R85_FinIsNeverProcessed) {
  Harness h;
  syn_sent(h);
  h.seg(F, kPeerIss);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R85));
}

TEST(SynSent, R7_R45_SynWithoutAckIsSimultaneousOpen) {
  Harness h;
  syn_sent(h);
  h.syn();
  EXPECT_TRUE(h.sent({{SA, h.ours(0), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kSynReceived);
  EXPECT_TRUE(h.fired(Rule::R7));
  EXPECT_TRUE(h.fired(Rule::R45));
}

TEST(SynSent, R6_R115_CloseDeletesTcbSilently) {
  Harness h;
  const int fd = syn_sent(h);
  h.close(fd);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R6));
}

TEST(SynSent, R102_SecondConnectIsEalready) {
  Harness h;
  const int fd = syn_sent(h);
  EXPECT_EQ(h.connect(fd).error, EALREADY);
  EXPECT_TRUE(h.fired(Rule::R102));
}

TEST(SynSent, R105_SendWouldBlock) {
  Harness h;
  const int fd = syn_sent(h);
  EXPECT_EQ(h.send(fd, 10).error, EAGAIN);
  EXPECT_TRUE(h.fired(Rule::R105));
}

TEST(SynSent, R109_RecvWouldBlock) {
  Harness h;
  const int fd = syn_sent(h);
  EXPECT_EQ(h.recv(fd).error, EAGAIN);
  EXPECT_TRUE(h.fired(Rule::R109));
}

TEST(SynSent, R120c_AbortSendsNothing) {
  Harness h;
  const int fd = syn_sent(h);
  h.setsockopt(fd, SockOpt::kSoLinger, 0, true);
  h.close(fd);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(SynSent, R166_LinuxResetsSynAckWithForeignTsecr) {
  Harness h{linux_profile()};
  syn_sent(h);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{100, 999999});
  h.inject(s);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
  EXPECT_TRUE(h.fired(Rule::R166));
  EXPECT_EQ(h.state(), State::kSynSent);
}

TEST(SynSent, R166_LinuxAcceptsSynAckEchoingOurTsval) {
  Harness h{linux_profile()};
  syn_sent(h);
  const auto ts = std::get<wire::option::Timestamp>(h.out.segments[0].options[2]);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{100, ts.val});
  h.inject(s);
  EXPECT_EQ(h.state(), State::kEstablished);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(std::get<wire::option::Timestamp>(h.out.segments[0].options[2]).ecr, 100U);
}

TEST(SynSent, R47_RfcDeliversDataOnSynAck) {
  Harness h;
  const int fd = syn_sent(h);
  h.inject(h.make(SA, kPeerIss, h.ours(1), 5));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(6)}}));
  EXPECT_EQ(h.recv(fd).value, 5);
}

TEST(SynSent, R47_LinuxIgnoresDataOnSynAck) {
  Harness h{linux_profile()};
  syn_sent(h);
  h.inject(h.make(SA, kPeerIss, h.ours(1), 5));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
}

TEST(SynSent, R44_RfcFinOnSynAckGoesToCloseWait) {
  Harness h;
  syn_sent(h);
  h.seg(SA | F, kPeerIss, h.ours(1));
  EXPECT_EQ(h.state(), State::kCloseWait);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(2)}}));
}

TEST(SynSent, R41_MssIsTakenFromSynAck) {
  Harness h;
  syn_sent(h);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Mss{1000});
  h.inject(s);
  EXPECT_EQ(h.tcb()->snd_mss, 1000);
  EXPECT_TRUE(h.fired(Rule::R41));
}

TEST(SynSent, R43_SynAckSetsIrsRcvNxtAndSndUna) {
  Harness h;
  syn_sent(h);
  h.synack();
  EXPECT_EQ(h.tcb()->irs.value, kPeerIss);
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(1));
  EXPECT_EQ(h.tcb()->snd_una.value, h.ours(1));
  EXPECT_TRUE(h.fired(Rule::R43));
}

TEST(SynSent, R141_UnacceptableAckLeavesStateUnchanged) {
  Harness h;
  syn_sent(h);
  const Tcb before = *h.tcb();
  h.seg(A, kPeerIss, h.ours(100));
  EXPECT_TRUE(h.fired(Rule::R141));
  expect_same_tcb(before, *h.tcb());
}

}  // namespace
}  // namespace tcpconform::model::testing

namespace tcpconform::model::testing {
namespace {

// tcp_rcv_synsent_state_process tests the TSecr before the RST: reset_and_undo, no RST back.
TEST(SynSent, R166_LinuxDropsRstAckWithForeignTsecr) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(RA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{100, 999999});
  h.inject(s);
  EXPECT_TRUE(h.fired(Rule::R166));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kSynSent);
}

TEST(SynSent, R42_RfcRstAckWithForeignTsecrResets) {
  Harness h;
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(RA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{100, 999999});
  h.inject(s);
  EXPECT_EQ(h.state(), State::kClosed);
}

}  // namespace
}  // namespace tcpconform::model::testing
