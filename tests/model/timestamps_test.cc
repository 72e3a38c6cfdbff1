// Timestamps in Linux's request and TIME-WAIT sockets (R151, R153, R154, R160): measured with
// explore's timestamp programs (corpus/regressions/linux-*-paws-* and *-tsecr*.pkt).
#include "model_test_helpers.h"
#include "tcpconform/model/deviations.h"

namespace tcpconform::model::testing {
namespace {

wire::Segment with_ts(wire::Segment s, std::uint32_t val, std::uint32_t ecr) {
  s.options.emplace_back(wire::option::Timestamp{val, ecr});
  return s;
}

// A request socket whose SYN carried TSval 1000.
void ts_request(Harness& h) {
  h.listener_fd = h.listening();
  wire::Segment syn = h.make(S, kPeerIss);
  syn.options.emplace_back(wire::option::Mss{1460});
  h.inject(with_ts(syn, 1000, 0));
  ASSERT_EQ(h.state(), State::kSynReceived);
}

std::uint32_t listener_recv_q(const Harness& h) {
  return h.observed(State::kListen)->recv_q;
}

TEST(Timestamps, R151_R160_LinuxRequestPawsHasNoTolerance) {
  Harness h{linux_profile()};
  ts_request(h);
  h.inject(with_ts(h.make(A, h.theirs(1), h.ours(1)), 999, 0));
  EXPECT_EQ(h.state(), State::kSynReceived);
  EXPECT_EQ(listener_recv_q(h), 0U);
}

TEST(Timestamps, R151_R160_LinuxRequestAcceptsTheSameTsval) {
  Harness h{linux_profile()};
  ts_request(h);
  h.inject(with_ts(h.make(A, h.theirs(1), h.ours(1)), 1000, 0));
  EXPECT_EQ(listener_recv_q(h), 1U);
}

TEST(Timestamps, R153_LinuxRequestPawsRejectsRst) {
  Harness h{linux_profile()};
  ts_request(h);
  h.inject(with_ts(h.make(R, h.theirs(1)), 999, 0));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(Timestamps, R153_RfcAcceptsRstWhateverItsTsval) {
  Harness h{profile_from_spec("linux-paws_strict_in_minisocks").value()};
  ts_request(h);
  h.inject(with_ts(h.make(R, h.theirs(1)), 999, 0));
  EXPECT_EQ(h.state(), State::kClosed);
}

TEST(Timestamps, R154_LinuxRequestDropsForeignTsecr) {
  Harness h{linux_profile()};
  ts_request(h);
  wire::Segment syn = h.make(S, h.theirs(1), 0, 100);
  h.inject(with_ts(syn, 1002, 0x12345678));
  EXPECT_TRUE(h.fired(Rule::R154));
  EXPECT_EQ(h.state(), State::kSynReceived);
}

TEST(Timestamps, R154_LinuxRequestAcceptsTheEchoOfItsSynAck) {
  Harness h{linux_profile()};
  ts_request(h);
  const auto synack_ts = h.tcb()->synack_tsval_first;
  h.inject(with_ts(h.make(A, h.theirs(1), h.ours(1)), 1001, synack_ts));
  EXPECT_EQ(listener_recv_q(h), 1U);
}

TEST(Timestamps, R153_LinuxTimeWaitPawsRejectsRst) {
  Harness h{linux_profile()};
  const int fd = h.socket();
  h.bind(fd);
  h.connect(fd);
  h.inject(with_ts(h.make(SA, kPeerIss, h.ours(1)), 1000, 0));
  h.close(fd);
  h.inject(with_ts(h.make(A, h.theirs(1), h.ours(2)), 1001, 0));
  h.inject(with_ts(h.make(FA, h.theirs(1), h.ours(2)), 1002, 0));
  ASSERT_EQ(h.state(), State::kTimeWait);
  h.inject(with_ts(h.make(R, h.theirs(2)), 1001, 0));
  EXPECT_EQ(h.state(), State::kTimeWait);
}

}  // namespace
}  // namespace tcpconform::model::testing
