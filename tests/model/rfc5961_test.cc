// RFC 5961 mitigations in synchronized states (R60–R64, R67, R71, R131–R135, R173, R174).
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(Rfc5961, R61_RstAtRcvNxtResets) {
  Harness h;
  const int fd = h.active_established();
  h.seg(R, h.theirs(1));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R61));
  EXPECT_TRUE(h.fired(Rule::R63));
  EXPECT_EQ(h.recv(fd).error, ECONNRESET);
  EXPECT_EQ(h.recv(fd).value, 0);
  EXPECT_EQ(h.send(fd, 1).error, EPIPE);
}

TEST(Rfc5961, R62_R135_InexactRstDrawsChallengeAckAndChangesNothing) {
  Harness h;
  h.active_established();
  const Tcb before = *h.tcb();
  h.seg(R, h.theirs(100));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.state(), State::kEstablished);
  EXPECT_TRUE(h.fired(Rule::R62));
  EXPECT_TRUE(h.fired(Rule::R135));
  expect_same_tcb(before, *h.tcb());
}

TEST(Rfc5961, R60_RstOutsideWindowIsDropped) {
  Harness h;
  h.active_established();
  h.seg(R, h.theirs(10000000));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R60));
  EXPECT_EQ(h.state(), State::kEstablished);
}

TEST(Rfc5961, R60_OldRstIsDropped) {
  Harness h;
  h.active_established();
  h.seg(R, h.theirs(0));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_EQ(h.state(), State::kEstablished);
}

TEST(Rfc5961, R64_RstCarryingDataIsAccepted) {
  Harness h;
  h.active_established();
  h.seg(R, h.theirs(1), 0, 12);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R64));
}

TEST(Rfc5961, R67_R132_SynInEstablishedDrawsChallengeAck) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Harness h{p};
    h.active_established();
    h.syn(h.theirs(5));
    EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}})) << p.name;
    EXPECT_EQ(h.state(), State::kEstablished);
    EXPECT_TRUE(h.fired(Rule::R67));
    EXPECT_TRUE(h.fired(Rule::R132));
  }
}

TEST(Rfc5961, R67_SynOutsideWindowAlsoDrawsChallengeAck) {
  Harness h;
  h.active_established();
  h.syn(h.theirs(50000000));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
}

TEST(Rfc5961, R71_R134_AckBelowWindowDrawsAckAndDropsData) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 100);
  h.seg(A, h.theirs(1), h.ours(101));
  h.seg(PA, h.theirs(1), h.ours(101) - 200000, 10);
  EXPECT_TRUE(h.sent({{A, h.ours(101), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R71));
  EXPECT_TRUE(h.fired(Rule::R134));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(1));
}

TEST(Rfc5961, R71_OldAckWithinMaxWindowIsAccepted) {
  Harness h;
  const int fd = h.active_established();
  h.send(fd, 100);
  h.seg(A, h.theirs(1), h.ours(101));
  h.seg(PA, h.theirs(1), h.ours(51), 10);
  EXPECT_TRUE(h.sent({{A, h.ours(101), h.theirs(11)}}));
}

TEST(Rfc5961, R173_LinuxOldAckBoundIsBytesAcked) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.send(fd, 100);
  h.seg(A, h.theirs(1), h.ours(101));
  // 101 bytes acked so far (SYN included): an ACK 150 below SND.UNA is too old for Linux.
  h.seg(PA, h.theirs(1), h.ours(101) - 150, 10);
  EXPECT_TRUE(h.sent({{A, h.ours(101), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R173));
}

TEST(Rfc5961, R133_R174_LinuxRateLimitsChallengeAcks) {
  Harness h{linux_profile()};
  h.active_established();
  h.seg(R, h.theirs(100));
  EXPECT_EQ(h.out.segments.size(), 1U);
  h.seg(R, h.theirs(200));
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R174));
  h.advance(500ms);
  h.seg(R, h.theirs(300));
  EXPECT_EQ(h.out.segments.size(), 1U);
}

TEST(Rfc5961, R133_RfcProfileDoesNotRateLimit) {
  Harness h;
  h.active_established();
  h.seg(R, h.theirs(100));
  h.seg(R, h.theirs(200));
  EXPECT_EQ(h.out.segments.size(), 1U);
  EXPECT_TRUE(h.fired(Rule::R133));
}

TEST(Rfc5961, R131_RstRulesApplyInFinWait2) {
  Harness h;
  h.fin_wait_2();
  h.seg(R, h.theirs(10));
  EXPECT_TRUE(h.sent({{A, h.ours(2), h.theirs(1)}}));
  h.seg(R, h.theirs(1));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R131));
}

TEST(Rfc5961, R142_UnacceptableSegmentNeverDrawsRst) {
  Harness h;
  h.active_established();
  h.seg(A, h.theirs(1) - 100000, h.ours(1) + 100000);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_FALSE(h.out.segments[0].flags.has(Flag::kRst));
  EXPECT_TRUE(h.fired(Rule::R142));
}

TEST(Rfc5961, R23_R63_AcceptedRstClosesEveryState) {
  Harness h;
  h.fin_wait_1();
  h.seg(R, h.theirs(1));
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R23));
  ASSERT_EQ(h.out.state_changes.size(), 1U);
  EXPECT_EQ(h.out.state_changes[0].from, State::kFinWait1);
}

TEST(Rfc5961, R153_RstIsAcceptedWhateverItsTsval) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(s);
  wire::Segment rst = h.make(R, h.theirs(1));
  rst.options.emplace_back(wire::option::Timestamp{1, 0});
  h.inject(rst);
  EXPECT_EQ(h.state(), State::kClosed);
  EXPECT_TRUE(h.fired(Rule::R153));
}

TEST(Rfc5961, R153_TsRecentExpiresAfter24Days) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(s);
  h.advance(std::chrono::hours{24 * 25});
  wire::Segment d = h.make(PA, h.theirs(1), h.ours(1), 10);
  d.options.emplace_back(wire::option::Timestamp{5, 0});
  h.inject(d);
  EXPECT_TRUE(h.fired(Rule::R153));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(11));
}

// Linux tcp_ack: old ACKs are bounded by min(max_window, bytes_acked); a passive child starts
// with bytes_acked 0 (tcp_create_openreq_child), so SEG.ACK = ISS draws a challenge ACK.
TEST(Rfc5961, R71_R134_R173_LinuxAckBelowWhatWasAckedDrawsChallenge) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  h.seg(PA, h.theirs(1), h.ours(0), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_TRUE(h.fired(Rule::R173));
  EXPECT_EQ(h.recv(fd).error, EAGAIN);
}

// RFC 5961 §4 (R67): a SYN whatever its sequence number, here the peer's SYN again at IRS.
TEST(Rfc5961, R67_R132_SynAtOldIrsDrawsChallengeAck) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Harness h{p};
    h.passive_established();
    h.syn();
    EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}})) << p.name;
    EXPECT_TRUE(h.fired(Rule::R67)) << p.name;
    EXPECT_EQ(h.state(), State::kEstablished) << p.name;
  }
}

// Linux tcp_send_challenge_ack → __tcp_oow_rate_limited: the per-socket limit applies to
// challenge ACKs whatever the segment carries; the data is dropped all the same.
TEST(Rfc5961, R134_R174_ChallengeForDataIsRateLimited) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  h.seg(PA, h.theirs(1), h.ours(0), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  h.seg(PA, h.theirs(1), h.ours(0), 100);
  EXPECT_TRUE(h.sent_nothing());
  EXPECT_TRUE(h.fired(Rule::R174));
  EXPECT_EQ(h.recv(fd).error, EAGAIN);
}

}  // namespace
}  // namespace tcpconform::model::testing
