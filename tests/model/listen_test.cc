// LISTEN: RFC 9293 §3.10.7.2 and the Linux listener (R1, R3, R4, R35–R39, R160, R164a, R167).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Listen, R1_ListenCreatesListenerAndSendsNothing) {
  Harness h;
  const int fd = h.socket();
  h.bind(fd);
  EXPECT_EQ(h.listen(fd).value, 0);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R1));
  ASSERT_EQ(h.out.state_changes.size(), 1U);
  EXPECT_EQ(h.out.state_changes[0].to, State::kListen);
  const auto o = h.observed(State::kListen);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->tuple.local.port, kLocalPort);
  EXPECT_EQ(o->send_q, 16U);  // ss: Send-Q of a listener is its backlog
  EXPECT_EQ(o->fd, fd);
}

TEST(Listen, R3_R114_CloseDeletesListenerSilently) {
  Harness h;
  const int fd = h.listening();
  h.close(fd);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R3));
  EXPECT_TRUE(h.ep.observe().empty());
  h.syn();  // the port is closed now
  EXPECT_TRUE(h.sent({{RA, 0, kPeerIss + 1}}));
}

TEST(Listen, R4_R37_SynDrawsSynAckAndCreatesSynReceived) {
  Harness h;
  h.listening();
  h.syn();
  EXPECT_TRUE(h.sent({{SA, h.ours(0), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R4));
  EXPECT_TRUE(h.fired(Rule::R37));
  EXPECT_EQ(h.state(), State::kSynReceived);
  EXPECT_EQ(h.tcb()->irs.value, kPeerIss);
  EXPECT_EQ(h.tcb()->snd_nxt.value, h.ours(1));
  ASSERT_EQ(h.out.state_changes.size(), 1U);
  EXPECT_EQ(h.out.state_changes[0].from, State::kListen);
  EXPECT_EQ(h.out.state_changes[0].to, State::kSynReceived);
}

TEST(Listen, R35_RstIsIgnored) {
  Harness h;
  h.listening();
  h.seg(R, 1234);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R35));
  h.seg(RA, 1234, 99);
  EXPECT_TRUE(h.sent_nothing());
}

TEST(Listen, R36_R141_AckDrawsRstAtSegAck) {
  Harness h;
  h.listening();
  h.seg(A, 1234, 777);
  EXPECT_TRUE(h.sent({{R, 777}}));
  EXPECT_TRUE(h.fired(Rule::R36));
  EXPECT_EQ(h.ep.connection_count(), 0U);
}

TEST(Listen, R36_SynAckToListenerDrawsRst) {
  Harness h;
  h.listening();
  h.seg(SA, 1234, 555);
  EXPECT_TRUE(h.sent({{R, 555}}));
}

TEST(Listen, R38_R39_BareFinOrDataIsDropped) {
  Harness h;
  h.listening();
  h.seg(F, 1234);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R38));
  EXPECT_TRUE(h.fired(Rule::R39));
  h.seg(P, 1234, 0, 10);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.ep.connection_count(), 0U);
}

TEST(Listen, R167_LinuxDropsSynFin) {
  Harness h{linux_profile()};
  h.listening();
  h.seg(S | F, kPeerIss);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R167));
}

TEST(Listen, R37_RfcAnswersSynFin) {
  Harness h;
  h.listening();
  h.seg(S | F, kPeerIss);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].flags, SA);
}

TEST(Listen, R160_ListenerStaysInListenAndChildIsAccepted) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  EXPECT_TRUE(h.fired(Rule::R160));
  EXPECT_TRUE(h.observed(State::kListen).has_value());
  EXPECT_TRUE(h.observed(State::kSynReceived).has_value());
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kEstablished);
  const auto l = h.observed(State::kListen);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->recv_q, 1U);  // ss: Recv-Q of a listener is its accept queue
  const CallResult r = h.accept(lfd);
  EXPECT_EQ(r.value, 4);
  EXPECT_EQ(h.observed(State::kListen)->recv_q, 0U);
  EXPECT_EQ(h.observed(State::kEstablished)->fd, 4);
}

TEST(Listen, R109_AcceptOnEmptyQueueIsEagain) {
  Harness h;
  const int fd = h.listening();
  EXPECT_EQ(h.accept(fd).error, EAGAIN);
}

TEST(Listen, R164a_LinuxDropsSynWhileAcceptQueueIsFull) {
  Harness h{linux_profile()};
  h.listening(0);
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1));
  EXPECT_EQ(h.state(), State::kEstablished);
  wire::Segment s = h.make(S, 5000);
  s.sport = kRemotePort + 1;
  h.inject(s);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R164a));
}

TEST(Listen, R145_SynFromMulticastIsDropped) {
  Harness h;
  h.listening();
  wire::Segment s = h.make(S, kPeerIss);
  s.src = ip4(224, 0, 0, 1);
  h.inject(s);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R145));
}

TEST(Listen, R140_SuccessiveConnectionsGetDifferentIss) {
  Harness h;
  h.listening();
  h.syn();
  const std::uint32_t first = h.out.segments[0].seq.value;
  wire::Segment s = h.make(S, 5000);
  s.sport = kRemotePort + 1;
  h.inject(s);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_NE(h.out.segments[0].seq.value, first);
  EXPECT_TRUE(h.fired(Rule::R140));
}

TEST(Listen, R47_RfcBuffersDataOnSyn) {
  Harness h;
  h.listening();
  wire::Segment s = h.make(S, kPeerIss, 0, 10);
  h.inject(s);
  EXPECT_TRUE(h.sent({{SA, h.ours(0), h.theirs(11)}}));
  EXPECT_TRUE(h.fired(Rule::R47));
}

TEST(Listen, R47_LinuxDiscardsDataOnSyn) {
  Harness h{linux_profile()};
  h.listening();
  h.inject(h.make(S, kPeerIss, 0, 10));
  EXPECT_TRUE(h.sent({{SA, h.ours(0), h.theirs(1)}}));
}

TEST(Listen, R168_LinuxClosingListenerResetsUnacceptedChildren) {
  Harness h{linux_profile()};
  const int lfd = h.listening();
  h.syn();
  h.seg(A, h.theirs(1), h.ours(1));
  h.close(lfd);
  EXPECT_TRUE(h.sent({{RA, h.ours(1), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R168));
  EXPECT_EQ(h.ep.connection_count(), 0U);
}

TEST(Listen, R114_ClosingListenerDropsPendingRequests) {
  Harness h;
  const int lfd = h.listening();
  h.syn();
  h.close(lfd);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.ep.connection_count(), 0U);
  EXPECT_TRUE(h.fired(Rule::R114));
}

TEST(Listen, ListenerOnWildcardAddressAcceptsSyn) {
  Harness h;
  const int fd = h.socket();
  EXPECT_EQ(
      h.call({.kind = CallKind::kBind, .fd = fd, .address = {wire::IpAddress{}, kLocalPort}}).value,
      0);
  h.listen(fd);
  h.syn();
  EXPECT_TRUE(h.sent({{SA, h.ours(0), h.theirs(1)}}));
}

TEST(Listen, R164_SynQueueOverflowDropsSynWithoutCookies) {
  Harness h{linux_profile()};
  h.listening(1);
  h.syn();
  wire::Segment s = h.make(S, 5000);
  s.sport = kRemotePort + 1;
  h.inject(s);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R164));
}

}  // namespace
}  // namespace tcpconform::model::testing
