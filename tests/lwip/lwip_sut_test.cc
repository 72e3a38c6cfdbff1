// LwipSut against lwIP 2.1.3 in its host process: opens in both directions, data, the close to
// TIME-WAIT and its expiry on the virtual clock, RST, reset() and reproducible ISS.
#include <cerrno>

#include "lwip_fixture.h"

namespace tcpconform::harness::testing {
namespace {

using model::CallKind;
using model::State;

TEST_F(LwipTest, PassiveOpenReachesEstablishedAndListenerStays) {
  const auto [fd, iss] = passive_open();
  ASSERT_GE(fd, 3);
  const auto all = seen();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].state, State::kListen);
  EXPECT_EQ(all[0].recv_q, 0U);  // accepted: the queue is empty again
  EXPECT_EQ(all[0].send_q, 8U);  // the backlog, as ss shows it
  EXPECT_EQ(all[1].state, State::kEstablished);
  EXPECT_EQ(all[1].fd, fd);
  EXPECT_FALSE(all[1].orphan);
}

TEST_F(LwipTest, SynReceivedIsVisibleBeforeTheFinalAck) {
  const int l = socket();
  ASSERT_EQ(call({.kind = CallKind::kBind,
                  .fd = l,
                  .address = {wire::IpAddress::v4(192, 0, 2, 1), kStackPort}})
                .error,
            0);
  ASSERT_EQ(call({.kind = CallKind::kListen, .fd = l, .backlog = 1}).error, 0);
  ASSERT_TRUE(sut->inject(peer(wire::kSyn, kPeerIsn, 0)));
  const auto c = connection();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, State::kSynReceived);
  EXPECT_FALSE(c->orphan);
  EXPECT_FALSE(c->fd);
  EXPECT_EQ(call({.kind = CallKind::kAccept, .fd = l}).error, EAGAIN);
}

TEST_F(LwipTest, ActiveOpenReachesEstablishedAndConnectReportsIt) {
  const auto [fd, iss] = active_open();
  ASSERT_GE(fd, 3);
  const auto c = connection();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, State::kEstablished);
  const model::SocketCall again{.kind = CallKind::kConnect,
                                .fd = fd,
                                .address = {wire::IpAddress::v4(192, 0, 2, 2), kPeerPort}};
  EXPECT_EQ(call(again).value, 0);  // the blocking connect completes
  EXPECT_EQ(call(again).error, EISCONN);
}

TEST_F(LwipTest, DataBothWaysWithQueues) {
  const auto [fd, iss] = passive_open();
  ASSERT_GE(fd, 3);
  ASSERT_TRUE(sut->inject(peer(wire::kAck | wire::kPsh, kPeerIsn + 1, iss + 1, 100)));
  auto out = sent();
  ASSERT_EQ(out.size(), 1U);  // quickack: lwIP's delayed ACK is sent at once
  EXPECT_EQ(out[0].ack.value, kPeerIsn + 101);
  EXPECT_EQ(connection()->recv_q, 100U);
  EXPECT_EQ(call({.kind = CallKind::kRecv, .fd = fd, .length = 60}).value, 60);
  EXPECT_EQ(connection()->recv_q, 40U);
  EXPECT_EQ(call({.kind = CallKind::kRecv, .fd = fd, .length = 1000}).value, 40);
  EXPECT_EQ(call({.kind = CallKind::kRecv, .fd = fd, .length = 1000}).error, EAGAIN);

  EXPECT_EQ(call({.kind = CallKind::kSend, .fd = fd, .length = 50}).value, 50);
  out = sent();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back().payload.size(), 50U);
  EXPECT_EQ(out.back().payload[1], 1);  // stream byte k is k mod 256
  EXPECT_EQ(connection()->send_q, 50U);
  ASSERT_TRUE(sut->inject(peer(wire::kAck, kPeerIsn + 101, iss + 51)));
  EXPECT_EQ(connection()->send_q, 0U);
}

TEST_F(LwipTest, ActiveCloseGoesThroughTimeWaitAndExpires) {
  const auto [fd, iss] = active_open();
  ASSERT_GE(fd, 3);
  const std::uint16_t port = connection()->tuple.local.port;
  EXPECT_EQ(call({.kind = CallKind::kClose, .fd = fd}).value, 0);
  auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_TRUE(out[0].flags.has(wire::Flag::kFin));
  EXPECT_EQ(connection()->state, State::kFinWait1);
  EXPECT_TRUE(connection()->orphan);
  auto ack = peer(wire::kAck, kPeerIsn + 1, iss + 2, 0, port);
  ASSERT_TRUE(sut->inject(ack));
  EXPECT_EQ(connection()->state, State::kFinWait2);
  ASSERT_TRUE(sut->inject(peer(wire::kFinAck, kPeerIsn + 1, iss + 2, 0, port)));
  out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].ack.value, kPeerIsn + 2);
  EXPECT_EQ(connection()->state, State::kTimeWait);
  // lwIP's TIME-WAIT is 2 × TCP_MSL = 120 s.
  ASSERT_TRUE(sut->advance(std::chrono::seconds(115)));
  EXPECT_TRUE(connection());
  ASSERT_TRUE(sut->advance(std::chrono::seconds(10)));
  EXPECT_FALSE(connection());
}

TEST_F(LwipTest, PassiveCloseThroughLastAck) {
  const auto [fd, iss] = passive_open();
  ASSERT_TRUE(sut->inject(peer(wire::kFinAck, kPeerIsn + 1, iss + 1)));
  EXPECT_EQ(connection()->state, State::kCloseWait);
  EXPECT_EQ(call({.kind = CallKind::kRecv, .fd = fd, .length = 10}).value, 0);
  (void)sent();
  EXPECT_EQ(call({.kind = CallKind::kClose, .fd = fd}).value, 0);
  EXPECT_EQ(connection()->state, State::kLastAck);
  ASSERT_TRUE(sut->inject(peer(wire::kAck, kPeerIsn + 2, iss + 2)));
  EXPECT_FALSE(connection());
}

TEST_F(LwipTest, InWindowRstKillsTheConnection) {
  const auto [fd, iss] = passive_open();
  ASSERT_GE(fd, 3);
  ASSERT_TRUE(sut->inject(peer(wire::kRst, kPeerIsn + 1, 0)));
  EXPECT_FALSE(connection());
  EXPECT_EQ(call({.kind = CallKind::kRecv, .fd = fd, .length = 10}).error, ECONNRESET);
  EXPECT_EQ(call({.kind = CallKind::kSend, .fd = fd, .length = 10}).error, EPIPE);
}

TEST_F(LwipTest, RstToASynSentRefusesTheConnection) {
  const int fd = socket();
  const model::SocketCall connect{.kind = CallKind::kConnect,
                                  .fd = fd,
                                  .address = {wire::IpAddress::v4(192, 0, 2, 2), kPeerPort}};
  ASSERT_EQ(call(connect).error, EINPROGRESS);
  const auto syn = sent().at(0);
  ASSERT_TRUE(sut->inject(peer(wire::kRstAck, 0, syn.seq.value + 1, 0, syn.sport)));
  EXPECT_FALSE(connection());
  EXPECT_EQ(call(connect).error, ECONNREFUSED);
}

TEST_F(LwipTest, SegmentToAClosedPortDrawsRst) {
  ASSERT_TRUE(sut->inject(peer(wire::kSyn, kPeerIsn, 0, 0, 9)));
  const auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_TRUE(out[0].flags.has(wire::Flag::kRst));
  EXPECT_EQ(out[0].ack.value, kPeerIsn + 1);
}

TEST_F(LwipTest, ResetForgetsEverythingAndIssRepeats) {
  const auto first = active_open();
  ASSERT_TRUE(sut->reset());
  EXPECT_TRUE(seen().empty());
  EXPECT_TRUE(sent().empty());  // nothing is sent when connections are dropped
  const auto second = active_open();
  EXPECT_EQ(first.second, second.second);  // tcp_next_iss is ours: the same program, the same ISS
}

TEST_F(LwipTest, Ipv6IsRefused) {
  EXPECT_EQ(call({.kind = CallKind::kSocket, .family = wire::IpVersion::kV6}).error, EAFNOSUPPORT);
}

TEST_F(LwipTest, KernelSettingsAreAcceptedAndListedAsIgnored) {
  ASSERT_TRUE(sut->configure({{"net/ipv4/tcp_fin_timeout", "2"}, {"lwip/quickack", "1"}}));
  ASSERT_EQ(sut->ignored_settings().size(), 1U);
  EXPECT_EQ(sut->ignored_settings()[0], "net/ipv4/tcp_fin_timeout");
  EXPECT_FALSE(sut->configure({{"lwip/quickack", "x"}}));
}

}  // namespace
}  // namespace tcpconform::harness::testing
