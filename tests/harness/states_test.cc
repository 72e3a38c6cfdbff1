// Every state of the RFC 9293 diagram reached on the kernel and observed under its RFC name.
#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

class States : public ::testing::TestWithParam<IpVersion> {};

// A connection the kernel accepted from the injected peer, owned by process 0.
struct Passive {
  Peer peer;
  int listener = -1;
  int fd = -1;
};

Passive passive_open(LinuxSut& sut, IpVersion v) {
  Calls k{sut};
  Passive p{Peer::make(sut, v, sut.fresh_port(), sut.fresh_port())};
  p.listener = k.socket(v);
  EXPECT_EQ(k.bind(p.listener, p.peer.kernel).error, 0);
  EXPECT_EQ(k.listen(p.listener).error, 0);
  p.peer.send(wire::kSyn);
  p.peer.expect(wire::kSynAck);
  p.peer.send(wire::kAck);
  const CallResult a = k.accept(p.listener);
  EXPECT_EQ(a.error, 0);
  p.fd = static_cast<int>(a.value);
  return p;
}

std::optional<ConnectionObservation> connection(LinuxSut& sut, const Peer& peer) {
  return find(observe(sut), peer.kernel.port, peer.self.port);
}

TEST_P(States, Listen) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  const std::uint16_t port = sut.fresh_port();
  const int l = k.socket(GetParam());
  EXPECT_EQ(k.bind(l, Endpoint{sut.addresses(GetParam()).local, port}).error, 0);
  EXPECT_EQ(k.listen(l, 5).error, 0);
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].state, State::kListen);
  EXPECT_EQ(all[0].fd, l);
  EXPECT_EQ(all[0].send_q, 5U);
  EXPECT_EQ(to_string(all[0].state), "LISTEN");
}

TEST_P(States, SynSent) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  Peer peer = Peer::make(sut, GetParam(), sut.fresh_port(), 0);
  const int fd = k.socket(GetParam());
  EXPECT_EQ(k.connect(fd, peer.self).error, EINPROGRESS);
  peer.expect(wire::kSyn);
  const auto c = connection(sut, peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "SYN-SENT");
  EXPECT_EQ(c->timer, model::TimerKind::kRetransmit);
  EXPECT_EQ(c->fd, fd);
}

TEST_P(States, SynReceivedIsTheRequestSocket) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  Peer peer = Peer::make(sut, GetParam(), sut.fresh_port(), sut.fresh_port());
  const int l = k.socket(GetParam());
  EXPECT_EQ(k.bind(l, peer.kernel).error, 0);
  EXPECT_EQ(k.listen(l).error, 0);
  peer.send(wire::kSyn);
  peer.expect(wire::kSynAck);
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 2U);
  const auto c = find(all, peer.kernel.port, peer.self.port);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "SYN-RECEIVED");
  EXPECT_FALSE(c->orphan);  // it belongs to its listener
  EXPECT_FALSE(c->fd);
  const auto listener = find(all, peer.kernel.port, 0);
  ASSERT_TRUE(listener);
  EXPECT_EQ(listener->recv_q, 0U);  // not yet in the accept queue
}

TEST_P(States, EstablishedWaitingInAcceptQueueIsNotAnOrphan) {
  TCPCONFORM_MAKE_SUT(sut);
  Calls k{sut};
  Peer peer = Peer::make(sut, GetParam(), sut.fresh_port(), sut.fresh_port());
  const int l = k.socket(GetParam());
  EXPECT_EQ(k.bind(l, peer.kernel).error, 0);
  EXPECT_EQ(k.listen(l).error, 0);
  peer.send(wire::kSyn);
  peer.expect(wire::kSynAck);
  peer.send(wire::kAck);
  const auto all = observe(sut);
  const auto c = find(all, peer.kernel.port, peer.self.port);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "ESTABLISHED");
  EXPECT_FALSE(c->orphan);
  EXPECT_FALSE(c->fd);
  const auto listener = find(all, peer.kernel.port, 0);
  ASSERT_TRUE(listener);
  EXPECT_EQ(listener->recv_q, 1U);  // ss: the accept queue
}

TEST_P(States, EstablishedWithQueues) {
  TCPCONFORM_MAKE_SUT(sut);
  Passive p = passive_open(sut, GetParam());
  Calls k{sut};
  p.peer.send(wire::kAck | wire::kPsh, 100);
  p.peer.expect(wire::kAck);  // quickack route: acknowledged at once
  EXPECT_EQ(k.send(p.fd, 10).value, 10);
  const wire::Segment data = p.peer.expect(wire::kAck | wire::kPsh);
  ASSERT_EQ(data.payload.size(), 10U);
  EXPECT_EQ(data.payload[3], 3);  // the stream pattern: byte k is k mod 256
  const auto c = connection(sut, p.peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "ESTABLISHED");
  EXPECT_EQ(c->recv_q, 100U);
  EXPECT_EQ(c->send_q, 10U);
  EXPECT_EQ(c->fd, p.fd);
  EXPECT_EQ(k.recv(p.fd, 60).value, 60);
  EXPECT_EQ(connection(sut, p.peer)->recv_q, 40U);
}

TEST_P(States, FinWait1) {
  TCPCONFORM_MAKE_SUT(sut);
  Passive p = passive_open(sut, GetParam());
  Calls k{sut};
  EXPECT_EQ(k.shutdown(p.fd, model::ShutdownHow::kWrite).error, 0);
  p.peer.expect(wire::kFinAck);
  const auto c = connection(sut, p.peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "FIN-WAIT-1");
  EXPECT_FALSE(c->orphan);
}

TEST_P(States, FinWait2) {
  TCPCONFORM_MAKE_SUT(sut);
  Passive p = passive_open(sut, GetParam());
  Calls k{sut};
  EXPECT_EQ(k.shutdown(p.fd, model::ShutdownHow::kWrite).error, 0);
  p.peer.expect(wire::kFinAck);
  p.peer.send(wire::kAck);
  const auto c = connection(sut, p.peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "FIN-WAIT-2");
  EXPECT_EQ(c->fd, p.fd);
  EXPECT_FALSE(c->orphan);
}

TEST_P(States, Closing) {
  TCPCONFORM_MAKE_SUT(sut);
  Passive p = passive_open(sut, GetParam());
  Calls k{sut};
  EXPECT_EQ(k.close(p.fd).error, 0);
  const wire::Segment fin = p.peer.expect(wire::kFinAck);
  // Simultaneous close: the peer's FIN does not acknowledge the kernel's.
  p.peer.rcv_nxt = fin.seq;
  p.peer.send(wire::kFinAck);
  p.peer.expect(wire::kAck);
  const auto c = connection(sut, p.peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "CLOSING");
  EXPECT_TRUE(c->orphan);
}

TEST_P(States, TimeWait) {
  TCPCONFORM_MAKE_SUT(sut);
  Passive p = passive_open(sut, GetParam());
  Calls k{sut};
  EXPECT_EQ(k.close(p.fd).error, 0);
  p.peer.expect(wire::kFinAck);
  p.peer.send(wire::kAck);
  p.peer.send(wire::kFinAck);
  p.peer.expect(wire::kAck);
  const auto c = connection(sut, p.peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "TIME-WAIT");
  EXPECT_EQ(c->timer, model::TimerKind::kTimeWait);
  EXPECT_TRUE(c->orphan);
}

TEST_P(States, CloseWaitThenLastAck) {
  TCPCONFORM_MAKE_SUT(sut);
  Passive p = passive_open(sut, GetParam());
  Calls k{sut};
  p.peer.send(wire::kFinAck);
  p.peer.expect(wire::kAck);
  auto c = connection(sut, p.peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "CLOSE-WAIT");
  EXPECT_EQ(k.close(p.fd).error, 0);
  p.peer.expect(wire::kFinAck);
  c = connection(sut, p.peer);
  ASSERT_TRUE(c);
  EXPECT_EQ(to_string(c->state), "LAST-ACK");
  EXPECT_TRUE(c->orphan);
  p.peer.send(wire::kAck);
  EXPECT_FALSE(connection(sut, p.peer));  // CLOSED: gone
}

TEST_P(States, ResetMakesItClosed) {
  TCPCONFORM_MAKE_SUT(sut);
  Passive p = passive_open(sut, GetParam());
  Calls k{sut};
  ASSERT_TRUE(connection(sut, p.peer));
  p.peer.send(wire::kRst);
  EXPECT_FALSE(connection(sut, p.peer));
  EXPECT_EQ(k.recv(p.fd, 1).error, ECONNRESET);
}

INSTANTIATE_TEST_SUITE_P(Versions, States, ::testing::Values(IpVersion::kV4, IpVersion::kV6),
                         version_name);

}  // namespace
}  // namespace tcpconform::harness::testing
