// The Linux profile as a whole: the fields' values and end-to-end behaviours the catalog measured.
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

TEST(LinuxProfile, FieldsFollowDefaultSysctls) {
  const Profile p = linux_profile();
  EXPECT_EQ(p.name, "linux");
  EXPECT_EQ(p.time_wait, Duration{60s});           // R175
  EXPECT_EQ(p.fin_timeout, Duration{60s});         // R169
  EXPECT_EQ(p.rto_min, Duration{200ms});           // R170
  EXPECT_EQ(p.syn_retries, 6);                     // R170
  EXPECT_EQ(p.synack_retries, 5);                  // R170
  EXPECT_FALSE(p.rfc1337);                         // R171
  EXPECT_TRUE(p.half_duplex_close_rst);            // R168
  EXPECT_TRUE(p.request_sockets);                  // R160
  EXPECT_EQ(p.oow_ack_interval, Duration{500ms});  // R174
}

TEST(LinuxProfile, RfcProfileFollowsTheRfc) {
  const Profile p = rfc9293_profile();
  EXPECT_EQ(p.name, "rfc9293");
  EXPECT_EQ(p.time_wait, Duration{240s});  // R122: 2 × MSL of 2 min
  EXPECT_TRUE(p.rfc1337);                  // R121
  EXPECT_FALSE(p.half_duplex_close_rst);   // R130 [OPT]
  EXPECT_EQ(p.rto_min, Duration{1s});      // R136
}

TEST(LinuxProfile, R160_R9_FullPassiveExchange) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(101)}}));
  EXPECT_EQ(h.recv(fd).value, 100);
  EXPECT_EQ(h.send(fd, 50).value, 50);
  EXPECT_TRUE(h.sent({{PA, h.ours(1), h.theirs(101), 50}}));
  h.seg(FA, h.theirs(101), h.ours(51));
  EXPECT_EQ(h.state(), State::kCloseWait);
  h.close(fd);
  EXPECT_TRUE(h.sent({{FA, h.ours(51), h.theirs(102)}}));
  h.seg(A, h.theirs(102), h.ours(52));
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(LinuxProfile, R175_R128_ActiveCloserEndsInTimeWait) {
  Harness h{linux_profile()};
  const int fd = h.active_established();
  h.close(fd);
  h.seg(FA, h.theirs(1), h.ours(2));
  EXPECT_EQ(h.state(), State::kTimeWait);
  EXPECT_TRUE(h.fired(Rule::R128));
}

TEST(LinuxProfile, SynAckWithTimestampsUsesWindow65160) {
  Harness h{linux_profile()};
  h.listening();
  wire::Segment s = h.make(S, kPeerIss);
  s.options.emplace_back(wire::option::Mss{1460});
  s.options.emplace_back(wire::option::SackPermitted{});
  s.options.emplace_back(wire::option::Timestamp{5, 0});
  s.options.emplace_back(wire::option::Nop{});
  s.options.emplace_back(wire::option::WindowScale{7});
  h.inject(s);
  ASSERT_EQ(h.out.segments.size(), 1U);
  const wire::Segment& r = h.out.segments[0];
  EXPECT_EQ(r.window, 65160);
  ASSERT_EQ(r.options.size(), 5U);
  EXPECT_EQ(std::get<wire::option::Timestamp>(r.options[2]).ecr, 5U);
}

TEST(LinuxProfile, R178_SegmentsWithoutTimestampAreAccepted) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  const auto ts = std::get<wire::option::Timestamp>(h.out.segments[0].options[2]);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{100, ts.val});
  h.inject(s);
  ASSERT_TRUE(h.tcb()->ts_ok);
  h.seg(PA, h.theirs(1), h.ours(1), 10);  // no TSopt
  EXPECT_TRUE(h.fired(Rule::R178));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(11));
}

TEST(LinuxProfile, R150_RfcDropsSegmentsWithoutTimestamp) {
  Harness h;
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{100, 0});
  h.inject(s);
  h.seg(PA, h.theirs(1), h.ours(1), 10);
  EXPECT_TRUE(h.fired(Rule::R150));
  EXPECT_TRUE(h.sent_nothing());
}

TEST(LinuxProfile, R151_PawsRejectsOldTimestamp) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(s);
  wire::Segment old = h.make(PA, h.theirs(1), h.ours(1), 10);
  old.options.emplace_back(wire::option::Timestamp{900, 0});
  h.inject(old);
  EXPECT_TRUE(h.fired(Rule::R151));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(1));
}

TEST(LinuxProfile, R152_R154_TsRecentFollowsTheLeftEdgeAndIsEchoed) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(s);
  wire::Segment d = h.make(PA, h.theirs(1), h.ours(1), 10);
  d.options.emplace_back(wire::option::Timestamp{1500, 0});
  h.inject(d);
  EXPECT_EQ(h.tcb()->ts_recent, 1500U);
  EXPECT_TRUE(h.fired(Rule::R152));
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(std::get<wire::option::Timestamp>(h.out.segments[0].options[2]).ecr, 1500U);
  EXPECT_TRUE(h.fired(Rule::R154));
}

TEST(LinuxProfile, R50_PawsRunsBeforeTheSequenceCheck) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(s);
  wire::Segment old = h.make(PA, h.theirs(900000), h.ours(1), 10);
  old.options.emplace_back(wire::option::Timestamp{900, 0});
  h.inject(old);
  EXPECT_TRUE(h.fired(Rule::R50));
  EXPECT_FALSE(h.fired(Rule::R53));
}

TEST(LinuxProfile, Ipv6PassiveOpenAnnouncesMss1440) {
  wire::IpAddress local;
  local.version = wire::IpVersion::kV6;
  local.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  wire::IpAddress remote = local;
  remote.bytes[15] = 2;
  Endpoint ep(linux_profile(), {local});
  EventOutput out;
  ep.on_call({.kind = CallKind::kSocket, .family = wire::IpVersion::kV6}, out);
  ep.on_call({.kind = CallKind::kBind, .fd = 3, .address = {local, 80}}, out);
  EXPECT_EQ(out.result->value, 0);
  ep.on_call({.kind = CallKind::kListen, .fd = 3, .backlog = 4}, out);
  wire::Segment syn;
  syn.src = remote;
  syn.dst = local;
  syn.sport = 5555;
  syn.dport = 80;
  syn.seq = SeqNum{1};
  syn.flags = S;
  syn.window = 65535;
  syn.options.emplace_back(wire::option::Mss{1440});
  ep.on_segment(syn, out);
  ASSERT_EQ(out.segments.size(), 1U);
  EXPECT_EQ(out.segments[0].flags, SA);
  EXPECT_EQ(out.segments[0].dst, remote);
  EXPECT_EQ(std::get<wire::option::Mss>(out.segments[0].options[0]).value, 1440);
}

TEST(LinuxProfile, TcpMaxsegClampsTheAnnouncedMss) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.setsockopt(fd, SockOpt::kTcpMaxSeg, 1000);
  h.connect(fd);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(std::get<wire::option::Mss>(h.out.segments[0].options[0]).value, 1000);
}

TEST(LinuxProfile, ConnectWithoutAddressOfTheFamilyIsEnetunreach) {
  Harness h{linux_profile()};
  const int fd =
      static_cast<int>(h.call({.kind = CallKind::kSocket, .family = wire::IpVersion::kV6}).value);
  wire::IpAddress v6;
  v6.version = wire::IpVersion::kV6;
  v6.bytes[15] = 9;
  EXPECT_EQ(h.call({.kind = CallKind::kConnect, .fd = fd, .address = {v6, 80}}).error, ENETUNREACH);
}
namespace {
// An active open with timestamps (peer TSval 1000) on the linux profile.
int ts_established(Harness& h) {
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  wire::Segment s = h.make(SA, kPeerIss, h.ours(1));
  s.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(s);
  return fd;
}
}  // namespace

// Linux tcp_paws_check with TCP_PAWS_WINDOW = 1: one tick older than TS.Recent passes.
TEST(LinuxProfile, R151_PawsToleratesOneTick) {
  Harness h{linux_profile()};
  ts_established(h);
  wire::Segment d = h.make(PA, h.theirs(1), h.ours(1), 100);
  d.options.emplace_back(wire::option::Timestamp{999, 0});
  h.inject(d);
  EXPECT_FALSE(h.fired(Rule::R50));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(101));
}

TEST(LinuxProfile, R151_RfcPawsRejectsOneTick) {
  Profile p = linux_profile();
  p.paws_window = 0;
  Harness h{p};
  ts_established(h);
  wire::Segment d = h.make(PA, h.theirs(1), h.ours(1), 100);
  d.options.emplace_back(wire::option::Timestamp{999, 0});
  h.inject(d);
  EXPECT_TRUE(h.fired(Rule::R50));
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(1));
}

// Linux tcp_disordered_ack: a pure duplicate ACK that updates nothing is exempt from PAWS.
TEST(LinuxProfile, R151_DisorderedDuplicateAckIsNotPawsRejected) {
  Harness h{linux_profile()};
  ts_established(h);
  wire::Segment fresh = h.make(A, h.theirs(1), h.ours(1));
  fresh.options.emplace_back(wire::option::Timestamp{1000, 0});
  h.inject(fresh);  // SND.WL1 = RCV.NXT: the next duplicate ACK updates no window
  wire::Segment a = h.make(A, h.theirs(1), h.ours(1));
  a.options.emplace_back(wire::option::Timestamp{950, 0});
  h.inject(a);
  EXPECT_FALSE(h.fired(Rule::R50));
  EXPECT_TRUE(h.fired(Rule::R151));
  EXPECT_TRUE(h.sent_nothing());
  // Data with the same old TSval is still rejected.
  wire::Segment d = h.make(PA, h.theirs(1), h.ours(1), 10);
  d.options.emplace_back(wire::option::Timestamp{950, 0});
  h.inject(d);
  EXPECT_TRUE(h.fired(Rule::R50));
  EXPECT_TRUE(h.sent({{A, h.ours(1), h.theirs(1)}}));
}

// Linux tcp_ack fails before tcp_replace_ts_recent: an ACK above SND.NXT leaves TS.Recent alone
// (packetdrill ts_recent/invalid_ack.pkt).
TEST(LinuxProfile, R152_R172_AckAboveSndNxtDoesNotUpdateTsRecent) {
  Harness h{linux_profile()};
  ts_established(h);
  wire::Segment bad = h.make(FA, h.theirs(1), h.ours(9999));
  bad.options.emplace_back(wire::option::Timestamp{200000, 0});
  h.inject(bad);
  EXPECT_TRUE(h.fired(Rule::R172));
  EXPECT_EQ(h.tcb()->ts_recent, 1000U);
  wire::Segment d = h.make(PA, h.theirs(1), h.ours(1), 100);
  d.options.emplace_back(wire::option::Timestamp{1001, 0});
  h.inject(d);
  EXPECT_EQ(h.tcb()->rcv_nxt.value, h.theirs(101));
}

// Linux __tcp_select_window(): the right edge stays put while anything is unread, so the ACK of
// a FIN at RCV.NXT offers a window one smaller and a segment at the old RCV.NXT+RCV.WND is
// outside it (explore closing-ack-state, close-wait-ack-send-q).
TEST(LinuxProfile, R82_FinDoesNotMoveTheRightEdge) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  const std::uint32_t w = h.tcb()->rcv_wnd;
  h.shutdown(fd, ShutdownHow::kWrite);
  h.seg(FA, h.theirs(1), h.ours(1));
  ASSERT_EQ(h.state(), State::kClosing);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].window, w - 1);
  // At the RFC edge RCV.NXT+W (one beyond Linux's): not acceptable, the ACK of our FIN is lost.
  h.seg(A, h.theirs(2 + w), h.ours(2), 0, 0);
  EXPECT_EQ(h.state(), State::kClosing);
}

// Data keeps the edge too, and reading it back does not reopen the window by less than an MSS.
TEST(LinuxProfile, R82_UnreadTextKeepsTheRightEdge) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  const std::uint32_t w = h.tcb()->rcv_wnd;
  h.seg(PA, h.theirs(1), h.ours(1), 100);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].window, w - 100);
  EXPECT_EQ(h.recv(fd, 100).value, 100);
  EXPECT_EQ(h.send(fd, 10).value, 10);
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].window, w - 100);
}

TEST(LinuxProfile, R82_RfcFinLeavesTheWindowWhole) {
  Harness h;
  h.passive_established();
  const std::uint32_t w = h.tcb()->rcv_wnd;
  h.seg(FA, h.theirs(1), h.ours(1));
  ASSERT_EQ(h.out.segments.size(), 1U);
  EXPECT_EQ(h.out.segments[0].window, w);
}

}  // namespace
}  // namespace tcpconform::model::testing
