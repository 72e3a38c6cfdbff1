// Timers: retransmission and back-off (R136–R138), give-up (R170), user timeout (R25, R139),
// zero-window probes (R139b, R179).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Timers, R136_R137_SynIsRetransmittedWithExponentialBackoff) {
  Harness h;
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.advance(999ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);
  EXPECT_TRUE(h.sent({{S, kOurIss}}));
  EXPECT_TRUE(h.fired(Rule::R136));
  EXPECT_TRUE(h.fired(Rule::R137));
  h.advance(1999ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);
  EXPECT_TRUE(h.sent({{S, kOurIss}}));
}

TEST(Timers, R170_LinuxSynRetriesWithLinearTimeoutsGiveUpAt131s) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  // tcp_syn_linear_timeouts = 4 and tcp_syn_retries = 6: retransmissions at 1, 2, 3, 4, 5, 7,
  // 11, 19, 35, 67 s; give up at 131 s.
  h.advance(5s);
  EXPECT_EQ(h.out.segments.size(), 5U);
  h.advance(1s);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(125s - 1us);
  EXPECT_EQ(h.state(), State::kSynSent);
  EXPECT_EQ(h.out.segments.size(), 5U);
  h.advance(1us);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R170));
  EXPECT_EQ(h.connect(fd).error, ETIMEDOUT);
}

TEST(Timers, R138_RfcSynGivesUpAfterAtLeastThreeMinutes) {
  Harness h;
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.advance(180s);
  EXPECT_EQ(h.state(), State::kSynSent);
  h.advance(100s);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R138));
}

TEST(Timers, R137_SynAckIsRetransmittedAndRequestDropsAfterRetries) {
  Harness h{linux_profile()};
  h.listening();
  h.syn();
  h.advance(1s);
  EXPECT_TRUE(h.sent({{SA, h.ours(0), h.theirs(1)}}));
  // Retransmissions at 1, 3, 7, 15, 31 s; the request is dropped at 63 s.
  h.advance(61s);
  EXPECT_EQ(h.state(), State::kSynReceived);
  h.advance(1s);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.observed(State::kListen).has_value());
}

TEST(Timers, R136_DataIsRetransmittedAfterRto) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 100);
  h.advance(1s);  // RFC 6298: minimum RTO 1 s
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
  h.advance(2s);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
  h.seg(A, h.theirs(1), h.ours(101));
  h.advance(10s);
  EXPECT_TRUE(h.sent_nothing());
}

TEST(Timers, R170_LinuxRtoMinIs200ms) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.send(fd, 100);
  h.advance(199ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
}

TEST(Timers, R136_RetransmitsOnlyTheEarliestSegment) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 3000);
  h.advance(1s);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1), 1460}}));
  h.seg(A, h.theirs(1), h.ours(1461));
  EXPECT_EQ(h.out.segments.size(), 2U);  // go-back-N continues with the rest
}

TEST(Timers, R137_FinIsRetransmittedInFinWait1) {
  Harness h;
  h.fin_wait_1();
  h.advance(1s);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
}

TEST(Timers, R138_DataGivesUpAfterR2) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 10);
  h.advance(200s);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.ever_fired(Rule::R138));
  EXPECT_EQ(h.recv(fd).error, ETIMEDOUT);
}

TEST(Timers, R139_R25_UserTimeoutAbortsWithEtimedout) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.setsockopt(fd, SockOpt::kTcpUserTimeout, 3000);
  h.send(fd, 10);
  h.advance(2900ms);
  EXPECT_EQ(h.state(), State::kEstablished);
  h.advance(100ms);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R139));
  EXPECT_TRUE(h.fired(Rule::R25));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.send(fd, 1).error, ETIMEDOUT);
}

TEST(Timers, R179_LinuxZeroWindowProbeUsesSndUnaMinusOne) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  h.send(fd, 10);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.observed(State::kEstablished)->timer, TimerKind::kZeroWindowProbe);
  h.advance(200ms);  // the probe timer starts at the RTO (TCP_RTO_MIN after a 0 ms RTT)
  EXPECT_TRUE(h.sent({{A, h.ours(0), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R179));
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);  // still closed; probing continues, backed off
  h.advance(400ms);
  EXPECT_TRUE(h.sent({{A, h.ours(0), h.theirs(1)}}));
  h.seg(A, h.theirs(1), h.ours(1), 0, 1000);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 10}}));
}

TEST(Timers, R139b_RfcZeroWindowProbeSendsOneByte) {
  Harness h;
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  h.send(fd, 10);
  h.advance(1s);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 1}}));
  EXPECT_TRUE(h.fired(Rule::R139b));
}

TEST(Timers, R139b_ProbesOutliveTheRetransmissionLimit) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  h.send(fd, 10);
  for (int i = 0; i < 20; ++i) {
    h.advance(120s);
    h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  }
  EXPECT_EQ(h.state(), State::kEstablished);
}

TEST(Timers, R139a_NextDeadlineReportsArmedTimer) {
  Harness h;
  EXPECT_EQ(h.ep.next_deadline(), kNever);
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  EXPECT_EQ(h.ep.next_deadline(), TimePoint{1s});
}

TEST(Timers, RttSampleSetsRto) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.advance(10ms);
  h.synack();
  // SRTT 10 ms, RTTVAR floored at TCP_RTO_MIN: RTO 210 ms.
  EXPECT_EQ(h.tcb()->rto, Duration{210ms});
  h.send(fd, 1);
  h.advance(209ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);
  EXPECT_EQ(h.out.segments.size(), 1U);
}

TEST(Timers, R170_LinuxDataGivesUpAfterRetries2) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.send(fd, 10);
  // RTO 200 ms doubling to 120 s: 15 retransmissions, give-up 924.6 s after the first send.
  h.advance(924599ms);
  EXPECT_EQ(h.state(), State::kEstablished);
  h.advance(1ms);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_EQ(h.recv(fd).error, ETIMEDOUT);
}

TEST(Timers, R139b_UserTimeoutEndsUnansweredProbes) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.setsockopt(fd, SockOpt::kTcpUserTimeout, 5000);
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  h.send(fd, 10);
  h.advance(4s);
  EXPECT_EQ(h.state(), State::kEstablished);
  h.advance(10s);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.ever_fired(Rule::R139));
}

TEST(Timers, R139b_AnsweredProbesKeepTheConnectionDespiteUserTimeout) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.setsockopt(fd, SockOpt::kTcpUserTimeout, 5000);
  h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  h.send(fd, 10);
  for (int i = 0; i < 10; ++i) {
    h.advance(2s);
    h.seg(A, h.theirs(1), h.ours(1), 0, 0);
  }
  EXPECT_EQ(h.state(), State::kEstablished);
}
// Linux active open with SACK negotiated (tail loss probes need SACK), after `rtt` of delay.
int linux_sack_established(Harness& h, Duration rtt) {
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.advance(rtt);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Mss{1460});
  s.options.emplace_back(wire::option::SackPermitted{});
  h.inject(s);
  EXPECT_TRUE(h.tcb()->sack_ok);
  return fd;
}

TEST(Timers, R136_LinuxTailLossProbePrecedesTheRto) {
  Harness h{linux_profile()};
  const int fd = linux_sack_established(h, 0ms);
  h.send(fd, 100);
  // SRTT 0: probe after 0 + TCP_RTO_MIN (one segment out), capped by the 200 ms RTO.
  h.advance(199ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
  h.advance(199ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);  // the RTO, 200 ms after the probe
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
  h.advance(399ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);  // backed off to 400 ms
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(1), 100}}));
}

TEST(Timers, R137_LinuxFinRetransmissionsMatchPacketdrillUserTimeoutScript) {
  // packetdrill tcp/user_timeout/user_timeout.pkt: RTT 100 ms, FIN at +0, +.3, +.3, +.6.
  Harness h{linux_profile()};
  const int fd = linux_sack_established(h, 100ms);
  h.close(fd);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  h.advance(300ms);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  h.advance(300ms);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  h.advance(599ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);
  EXPECT_TRUE(h.sent({{FA, h.ours(1), h.theirs(1)}}));
  // Data after close: RST (R168).
  h.seg(PA, h.theirs(1), h.ours(1), 1);
  EXPECT_TRUE(h.sent({{R, h.ours(1)}}));
}

TEST(Timers, R136_NoTailLossProbeWithoutSack) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.send(fd, 100);
  h.advance(200ms);
  EXPECT_EQ(h.out.segments.size(), 1U);
  h.advance(200ms);
  EXPECT_TRUE(h.sent_nothing());  // the RTO backed off to 400 ms
  h.advance(200ms);
  EXPECT_EQ(h.out.segments.size(), 1U);
}

TEST(Timers, R136_AckedProbeStopsTimers) {
  Harness h{linux_profile()};
  const int fd = linux_sack_established(h, 0ms);
  h.send(fd, 100);
  h.advance(200ms);
  h.seg(A, h.theirs(1), h.ours(101));
  h.advance(10s);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.ep.next_deadline(), kNever);
}
TEST(Timers, R137_LossProbeResendsAFinSentAlone) {
  // packetdrill tcp/shutdown/shutdown-rdwr-write-queue-close.pkt: the probe resends the lone FIN.
  Harness h{linux_profile()};
  const int fd = linux_sack_established(h, 10ms);
  h.send(fd, 5000);
  h.shutdown(fd, ShutdownHow::kReadWrite);
  EXPECT_TRUE(h.sent({{FA, h.ours(5001), h.theirs(1)}}));
  h.advance(21ms);
  EXPECT_TRUE(h.sent_nothing());
  h.advance(1ms);  // 2·SRTT + 2 ms with several segments in flight
  EXPECT_TRUE(h.sent({{FA, h.ours(5001), h.theirs(1)}}));
}
TEST(Timers, R170_LinuxOrphanGivesUpAfterOrphanRetries) {
  Harness h{linux_profile()};
  h.fin_wait_1(true);
  h.advance(102199ms);
  EXPECT_EQ(h.state(), State::kFinWait1);
  h.advance(1ms);
  EXPECT_EQ(h.state(), State::kClosed);
}
TEST(Timers, NegativeOrHugeAdvanceIsSafe) {
  Harness h;
  h.advance(Duration{-5});
  EXPECT_EQ(h.ep.now(), TimePoint{0});
  h.advance(Duration::max());
  EXPECT_LT(h.ep.now(), kNever);
  h.advance(Duration::max());
  EXPECT_LT(h.ep.now(), kNever);
}
// Linux tcp_write_timeout: with tcp_syn_retries = 2 the linear SYNs come at 1..5 s and the
// open is abandoned at tcp_model_timeout(2) = 7 s (corpus timers-syn-retries-etimedout).
TEST(Timers, R170_LinuxSynGivesUpByTimeWithLinearTimeouts) {
  Profile p = linux_profile();
  p.syn_retries = 2;
  Harness h{p};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.advance(5s);
  EXPECT_EQ(h.out.segments.size(), 5U);
  h.advance(2s - 1us);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kSynSent);
  h.advance(1us);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R170));
  EXPECT_EQ(h.getsockopt(fd, SockOpt::kSoError).value, ETIMEDOUT);
}

}  // namespace
}  // namespace tcpconform::model::testing
