// TIME-WAIT (R22, R56, R79a, R121–R129, R171, R175, R176).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(TimeWait, R122_R22_RfcTimeWaitLastsTwoMsl) {
  Harness h;
  h.time_wait();
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R122));
  h.advance(239s);
  EXPECT_EQ(h.state(), State::kTimeWait);
  h.advance(1s);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R22));
  EXPECT_TRUE(h.sent_nothing());
}

TEST(TimeWait, R175_LinuxTimeWaitLastsSixtySeconds) {
  Harness h{linux_profile()};
  h.time_wait();
  EXPECT_TRUE(h.fired(Rule::R175));
  h.advance(59s);
  EXPECT_EQ(h.state(), State::kTimeWait);
  h.advance(1s);
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(TimeWait, R128_ObservedWithoutQueuesAndWithTimer) {
  Harness h{linux_profile()};
  h.time_wait();
  const auto o = h.observed(State::kTimeWait);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->recv_q, 0U);
  EXPECT_EQ(o->send_q, 0U);
  EXPECT_EQ(o->timer, TimerKind::kTimeWait);
  EXPECT_FALSE(o->fd.has_value());
}

TEST(TimeWait, R79a_R123_FinRetransmissionIsAckedAndRestartsTimer) {
  Harness h;
  h.time_wait();
  h.advance(200s);
  h.seg(FA, h.theirs(1), h.ours(2));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_TRUE(h.fired(Rule::R79a));
  h.advance(200s);
  EXPECT_EQ(h.state(), State::kTimeWait);
  h.advance(40s);
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(TimeWait, R56_OutOfWindowSegmentDrawsAck) {
  Harness h;
  h.time_wait();
  h.seg(A, h.theirs(500000), h.ours(2));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_TRUE(h.fired(Rule::R56));
}

TEST(TimeWait, R121_RfcIgnoresRst) {
  Harness h;
  h.time_wait();
  h.seg(R, h.theirs(2));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R121));
}

TEST(TimeWait, R171_LinuxRstKillsTimeWait) {
  Harness h{linux_profile()};
  h.time_wait();
  h.seg(R, h.theirs(2));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R171));
}

TEST(TimeWait, R171_LinuxIgnoresInexactRst) {
  Harness h{linux_profile()};
  h.time_wait();
  h.seg(R, h.theirs(50));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kTimeWait);
}

TEST(TimeWait, R124_R125_R176_NewerSynReopensWithIsnAboveOldSndNxt) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Harness h{p};
    const int lfd = h.listening();
    h.syn();
    h.seg(A, h.theirs(1), h.ours(1));
    const int fd = static_cast<int>(h.accept(lfd).value);
    h.close(fd);  // FIN at ours(1)
    h.seg(A, h.theirs(1), h.ours(2));
    h.seg(FA, h.theirs(1), h.ours(2));
    ASSERT_EQ(h.state(), State::kTimeWait) << p.name;
    h.syn(h.theirs(1000));
    ASSERT_EQ(h.out.segments.size(), 1U) << p.name;
    EXPECT_EQ(h.out.segments[0].flags, SA) << p.name;
    EXPECT_EQ(h.out.segments[0].seq.value, h.ours(2) + 65537) << p.name;
    EXPECT_EQ(h.out.segments[0].ack.value, h.theirs(1001)) << p.name;
    EXPECT_EQ(h.state(), State::kSynReceived) << p.name;
    EXPECT_TRUE(h.fired(Rule::R124)) << p.name;
    EXPECT_TRUE(h.fired(Rule::R125)) << p.name;
  }
}

TEST(TimeWait, R127_OldSynDrawsAckAndKeepsTimeWait) {
  Harness h{linux_profile()};
  h.time_wait();
  h.syn(h.theirs(0));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R127));
}

TEST(TimeWait, R126_TimestampsDecideReopening) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Harness h{p};
    const int lfd = h.listening();
    wire::Segment syn = h.make(S, kPeerIss);
    syn.options.emplace_back(wire::option::Timestamp{1000, 0});
    h.inject(syn);
    wire::Segment ack = h.make(A, h.theirs(1), h.ours(1));
    ack.options.emplace_back(wire::option::Timestamp{1001, 0});
    h.inject(ack);
    const int fd = static_cast<int>(h.accept(lfd).value);
    h.close(fd);
    wire::Segment fin = h.make(FA, h.theirs(1), h.ours(2));
    fin.options.emplace_back(wire::option::Timestamp{1002, 0});
    h.inject(fin);
    ASSERT_EQ(h.state(), State::kTimeWait) << p.name;
    // An old sequence number but a newer TSval: RFC 6191 reopens.
    wire::Segment again = h.make(S, h.theirs(0));
    again.options.emplace_back(wire::option::Timestamp{2000, 0});
    h.inject(again);
    EXPECT_EQ(h.state(), State::kSynReceived) << p.name;
    EXPECT_TRUE(h.fired(Rule::R126)) << p.name;
  }
}

TEST(TimeWait, R126_RfcRefusesNewerSeqWithOlderTimestamp) {
  Harness h;
  const int lfd = h.listening();
  wire::Segment syn = h.make(S, kPeerIss);
  syn.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(syn);
  wire::Segment ack = h.make(A, h.theirs(1), h.ours(1));
  ack.options.emplace_back(wire::option::Timestamp{1001, 0});
  h.inject(ack);
  h.close(static_cast<int>(h.accept(lfd).value));
  wire::Segment fin = h.make(FA, h.theirs(1), h.ours(2));
  fin.options.emplace_back(wire::option::Timestamp{1002, 0});
  h.inject(fin);
  wire::Segment again = h.make(S, h.theirs(5000));
  again.options.emplace_back(wire::option::Timestamp{900, 0});
  h.inject(again);
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R127));
}

TEST(TimeWait, R129_ConnectToTheSameTupleFails) {
  Harness h;
  h.time_wait();
  const int fd = h.socket();
  h.setsockopt(fd, SockOpt::kSoReuseAddr, 1);
  EXPECT_EQ(h.bind(fd).value, 0);
  EXPECT_EQ(h.connect(fd).error, EADDRNOTAVAIL);
  EXPECT_TRUE(h.fired(Rule::R129));
}

TEST(TimeWait, R129_BindWithoutReuseAddrIsRefused) {
  Harness h;
  h.time_wait();
  const int fd = h.socket();
  EXPECT_EQ(h.bind(fd).error, EADDRINUSE);
}

TEST(TimeWait, R175_LinuxBareAckRestartsTimer) {
  Harness h{linux_profile()};
  h.time_wait();
  h.advance(50s);
  h.seg(A, h.theirs(2), h.ours(2));
  EXPECT_TRUE(h.sent_nothing());
  h.advance(50s);
  EXPECT_EQ(h.state(), State::kTimeWait);
}

TEST(TimeWait, R112_SendAndRecvOnTheOldDescriptor) {
  Harness h;
  const int fd = h.fin_wait_2(false);
  h.seg(FA, h.theirs(1), h.ours(2));
  ASSERT_EQ(h.state(), State::kTimeWait);
  EXPECT_EQ(h.recv(fd).value, 0);
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
}

TEST(TimeWait, R68_SynInTimeWaitIsNotAChallengeAck) {
  Harness h;
  h.time_wait();
  h.syn(h.theirs(0));
  EXPECT_TRUE(h.fired(Rule::R68));
  EXPECT_FALSE(h.fired(Rule::R67));
}

TEST(TimeWait, R124_SynWithoutListenerDoesNotReopen) {
  Harness h;
  h.time_wait();  // active close: no listener on the port
  h.syn(h.theirs(1000));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(2)}}));
  EXPECT_EQ(h.state(), State::kTimeWait);
}

// Linux tcp_time_wait → tcp_done keeps the receive queue: text received in FIN-WAIT-2 is
// still read after the FIN moved the connection to TIME-WAIT (corpus
// data-fin-wait-2-read-then-eof).
TEST(TimeWait, R110_R89_UnreadTextSurvivesTimeWait) {
  Harness h{linux_profile()};
  const int fd = h.fin_wait_2();
  h.seg(PA, h.theirs(1), h.ours(2), 50);
  h.seg(FA, h.theirs(51), h.ours(2));
  ASSERT_EQ(h.state(), State::kTimeWait);
  EXPECT_EQ(h.recv(fd, 1000).value, 50);
  EXPECT_EQ(h.recv(fd, 1000).value, 0);
}

// Linux: the timewait sock keeps the socket's cookie, so ss shows TIME-WAIT owned by the
// descriptor until close(), then an orphan (corpus close-in-time-wait-silent).
TEST(TimeWait, R128_TimeWaitBecomesOrphanWhenTheDescriptorCloses) {
  Harness h{linux_profile()};
  const int fd = h.fin_wait_2();
  h.seg(FA, h.theirs(1), h.ours(2));
  ASSERT_TRUE(h.observed(State::kTimeWait).has_value());
  EXPECT_FALSE(h.observed(State::kTimeWait)->orphan);
  EXPECT_EQ(h.observed(State::kTimeWait)->fd, fd);
  EXPECT_EQ(h.close(fd).value, 0);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.observed(State::kTimeWait)->orphan);
}

}  // namespace
}  // namespace tcpconform::model::testing
