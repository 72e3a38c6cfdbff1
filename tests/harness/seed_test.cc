// The seed experiment: an established pair, then the server (or the client) killed with SIGINT,
// observed on two kernel sockets in the namespace and on the kernel against an injected peer.
#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

class Seed : public ::testing::TestWithParam<IpVersion> {};

// Two kernel sockets on the kernel's address: the listener and its accepted socket in process
// `server_process`, the client in `client_process`.
struct KernelPair {
  int listener = -1;
  int server = -1;
  int client = -1;
  std::uint16_t port = 0;
  std::uint16_t client_port = 0;
};

KernelPair connect_pair(LinuxSut& sut, IpVersion v, int server_process, int client_process) {
  Calls srv{sut, server_process};
  Calls cli{sut, client_process};
  KernelPair p;
  p.port = sut.fresh_port();
  const Endpoint at{sut.addresses(v).local, p.port};
  p.listener = srv.socket(v);
  EXPECT_EQ(srv.bind(p.listener, at).error, 0);
  EXPECT_EQ(srv.listen(p.listener).error, 0);
  p.client = cli.socket(v);
  const CallResult c = cli.connect(p.client, at);
  EXPECT_TRUE(c.error == 0 || c.error == EINPROGRESS) << c.error;
  const CallResult a = srv.accept(p.listener);
  EXPECT_EQ(a.error, 0);
  p.server = static_cast<int>(a.value);
  for (const auto& o : observe(sut)) {
    if (o.tuple.remote.port == p.port) p.client_port = o.tuple.local.port;
  }
  return p;
}

TEST_P(Seed, TwoKernelSocketsEstablishedPair) {
  TCPCONFORM_MAKE_SUT(sut);
  const KernelPair p = connect_pair(sut, GetParam(), 1, 0);
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 3U);
  const auto listener = find(all, p.port, 0);
  ASSERT_TRUE(listener);
  EXPECT_EQ(listener->state, State::kListen);
  EXPECT_EQ(listener->fd, p.listener);
  EXPECT_EQ(listener->recv_q, 0U);  // accept queue, now empty
  EXPECT_EQ(listener->send_q, 8U);  // backlog
  const auto server = find(all, p.port, p.client_port);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->state, State::kEstablished);
  EXPECT_EQ(server->fd, p.server);
  EXPECT_FALSE(server->orphan);
  const auto client = find(all, p.client_port, p.port);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->state, State::kEstablished);
  EXPECT_EQ(client->fd, p.client);
  EXPECT_FALSE(client->orphan);
  EXPECT_EQ(client->tuple, server->tuple.reversed());
}

TEST_P(Seed, TwoKernelSocketsServerKilled) {
  TCPCONFORM_MAKE_SUT(sut);
  const KernelPair p = connect_pair(sut, GetParam(), 1, 0);
  Calls{sut, 1}.exit();  // SIGINT to the server process
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 2U);
  const auto server = find(all, p.port, p.client_port);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->state, State::kFinWait2);
  EXPECT_TRUE(server->orphan);
  EXPECT_FALSE(server->fd);
  const auto client = find(all, p.client_port, p.port);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->state, State::kCloseWait);
  EXPECT_EQ(client->recv_q, 1U);
  EXPECT_EQ(client->fd, p.client);
  EXPECT_FALSE(client->orphan);
}

TEST_P(Seed, TwoKernelSocketsClientKilled) {
  TCPCONFORM_MAKE_SUT(sut);
  const KernelPair p = connect_pair(sut, GetParam(), 0, 1);
  Calls{sut, 1}.exit();  // SIGINT to the client process
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 3U);  // the listener is still there
  const auto client = find(all, p.client_port, p.port);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->state, State::kFinWait2);
  EXPECT_TRUE(client->orphan);
  const auto server = find(all, p.port, p.client_port);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->state, State::kCloseWait);
  EXPECT_EQ(server->recv_q, 1U);
  EXPECT_EQ(server->fd, p.server);
}

// The kernel accepts a connection from the injected peer in process 1.
struct Accepted {
  Peer peer;
  int listener;
  int fd;
};

Accepted accept_from_peer(LinuxSut& sut, IpVersion v) {
  Calls srv{sut, 1};
  const std::uint16_t port = sut.fresh_port();
  Peer peer = Peer::make(sut, v, sut.fresh_port(), port);
  const int l = srv.socket(v);
  EXPECT_EQ(srv.bind(l, peer.kernel).error, 0);
  EXPECT_EQ(srv.listen(l).error, 0);
  peer.send(wire::kSyn);
  peer.expect(wire::kSynAck);
  peer.send(wire::kAck);
  peer.expect_nothing();
  const CallResult a = srv.accept(l);
  EXPECT_EQ(a.error, 0);
  return Accepted{peer, l, static_cast<int>(a.value)};
}

TEST_P(Seed, InjectedPeerEstablished) {
  TCPCONFORM_MAKE_SUT(sut);
  Accepted c = accept_from_peer(sut, GetParam());
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 2U);
  const auto conn = find(all, c.peer.kernel.port, c.peer.self.port);
  ASSERT_TRUE(conn);
  EXPECT_EQ(conn->state, State::kEstablished);
  EXPECT_EQ(conn->fd, c.fd);
  EXPECT_EQ(conn->tuple, (wire::FourTuple{c.peer.kernel, c.peer.self}));
}

TEST_P(Seed, InjectedPeerServerKilled) {
  TCPCONFORM_MAKE_SUT(sut);
  Accepted c = accept_from_peer(sut, GetParam());
  Calls{sut, 1}.exit();
  c.peer.expect(wire::kFinAck);  // the peer (client) is now in CLOSE-WAIT with the FIN unread
  c.peer.send(wire::kAck);
  c.peer.expect_nothing();
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].state, State::kFinWait2);
  EXPECT_TRUE(all[0].orphan);
  EXPECT_FALSE(all[0].fd);
}

TEST_P(Seed, InjectedPeerClientKilled) {
  TCPCONFORM_MAKE_SUT(sut);
  const IpVersion v = GetParam();
  Calls cli{sut, 1};
  Peer peer = Peer::make(sut, v, sut.fresh_port(), 0);
  const int fd = cli.socket(v);
  EXPECT_EQ(cli.connect(fd, peer.self).error, EINPROGRESS);
  peer.expect(wire::kSyn);
  peer.send(wire::kSynAck);
  peer.expect(wire::kAck);
  cli.exit();
  peer.expect(wire::kFinAck);
  peer.send(wire::kAck);
  peer.expect_nothing();
  const auto all = observe(sut);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].state, State::kFinWait2);
  EXPECT_TRUE(all[0].orphan);
  EXPECT_EQ(all[0].tuple, (wire::FourTuple{peer.kernel, peer.self}));
}

TEST_P(Seed, InjectedPeerClosesServerSitsInCloseWait) {
  TCPCONFORM_MAKE_SUT(sut);
  Accepted c = accept_from_peer(sut, GetParam());
  c.peer.send(wire::kFinAck);
  c.peer.expect(wire::kAck);
  const auto conn = find(observe(sut), c.peer.kernel.port, c.peer.self.port);
  ASSERT_TRUE(conn);
  EXPECT_EQ(conn->state, State::kCloseWait);
  EXPECT_EQ(conn->recv_q, 1U);
  EXPECT_EQ(conn->fd, c.fd);
  EXPECT_FALSE(conn->orphan);
}

INSTANTIATE_TEST_SUITE_P(Versions, Seed, ::testing::Values(IpVersion::kV4, IpVersion::kV6),
                         version_name);

}  // namespace
}  // namespace tcpconform::harness::testing
