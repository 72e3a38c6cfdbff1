// The packet transport (a veth pair driven through an AF_PACKET socket) behaves like a wire:
// replies are ready when the send returns, segments carry final checksums and fit the MTU, no
// neighbour discovery is needed, and the second namespace never answers the kernel.
#include <algorithm>
#include <chrono>
#include <thread>

#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

const LinuxSutOptions kPacket{.transport = TransportKind::kPacket};

class PacketTransportTest : public ::testing::TestWithParam<IpVersion> {};

// Every reply of a short connection, counted: handshake, data both ways, close to TIME-WAIT.
// veth hands a frame to the other end inside the sender's call, so a reply that is not on our
// socket when inject() or the socket call returns would be a transport that needs waiting for.
TEST_P(PacketTransportTest, EveryReplyIsReadyWhenTheCallReturns) {
  TCPCONFORM_MAKE_SUT(sut, kPacket);
  const IpVersion v = GetParam();
  Calls k{sut};
  const std::uint16_t port = sut.fresh_port();
  const int l = k.socket(v);
  ASSERT_EQ(k.bind(l, Endpoint{sut.addresses(v).local, port}).error, 0);
  ASSERT_EQ(k.listen(l, 64).error, 0);
  constexpr int kConnections = 200;
  int ready = 0;
  int steps = 0;
  const auto one = [&](Peer& peer, wire::Flags flags) {
    ++steps;
    auto got = collect(sut);
    if (got.size() != 1) return;
    ++ready;
    const wire::Segment& s = got.front();
    EXPECT_EQ(s.flags.bits, flags.bits);
    EXPECT_EQ(s.src, sut.addresses(v).local) << "one of our own frames came back";
    if (s.flags.has(wire::Flag::kSyn)) peer.rcv_nxt = s.seq;
    peer.rcv_nxt = wire::seq_max(peer.rcv_nxt, s.seq + s.seg_len());
  };
  for (int i = 0; i < kConnections; ++i) {
    Peer peer = Peer::make(sut, v, sut.fresh_port(), port);
    peer.send(wire::kSyn);
    one(peer, wire::kSynAck);
    peer.send(wire::kAck);
    const int fd = static_cast<int>(k.accept(l).value);
    peer.send(wire::kAck | wire::kPsh, 10);
    one(peer, wire::kAck);
    k.recv(fd, 100);  // unread data would turn the close into a reset
    k.send(fd, 10);
    one(peer, wire::kAck | wire::kPsh);
    peer.send(wire::kAck);
    k.close(fd);
    one(peer, wire::kFinAck);
    peer.send(wire::kAck);
    peer.send(wire::kFinAck);
    one(peer, wire::kAck);
  }
  EXPECT_EQ(ready, steps);
  RecordProperty("synchronous_replies", ready);
  RecordProperty("replies", steps);
}

// Offloads are off on both ends: collect() verifies every checksum (a partial checksum left for
// the device would fail it), and a bulk send leaves in segments of at most one MSS.
TEST_P(PacketTransportTest, SegmentsHaveFinalChecksumsAndFitTheMtu) {
  TCPCONFORM_MAKE_SUT(sut, kPacket);
  const IpVersion v = GetParam();
  Calls k{sut};
  Peer peer = Peer::make(sut, v, sut.fresh_port(), sut.fresh_port());
  const int l = k.socket(v);
  ASSERT_EQ(k.bind(l, peer.kernel).error, 0);
  ASSERT_EQ(k.listen(l).error, 0);
  peer.send(wire::kSyn);
  peer.expect(wire::kSynAck);
  peer.send(wire::kAck);
  const int fd = static_cast<int>(k.accept(l).value);
  ASSERT_EQ(k.send(fd, 30000).value, 30000);
  const std::vector<wire::Segment> got = collect(sut);
  // Initial congestion window: ten segments; with TSO or GSO on they would be one 14 KiB frame.
  ASSERT_GE(got.size(), 10U);
  const std::size_t mss = v == IpVersion::kV4 ? 1460 : 1440;  // MTU 1500, as the TUN device
  for (const wire::Segment& s : got) {
    EXPECT_LE(s.payload.size() + (s.find_option<wire::option::Timestamp>() ? 12U : 0U), mss);
  }
}

// Permanent neighbour entries for the peer, IFF_NOARP for every other address in the prefix:
// the kernel's first segment to any of them leaves at once, not after ARP or NDP.
TEST_P(PacketTransportTest, AnyAddressInThePrefixIsReachedWithoutNeighbourDiscovery) {
  TCPCONFORM_MAKE_SUT(sut, kPacket);
  const IpVersion v = GetParam();
  Calls k{sut};
  wire::IpAddress other = sut.addresses(v).peer;
  other.bytes[v == IpVersion::kV4 ? 3 : 15] = 77;
  for (const wire::IpAddress& to : {sut.addresses(v).peer, other}) {
    const int c = k.socket(v);
    EXPECT_EQ(k.connect(c, Endpoint{to, sut.fresh_port()}).error, EINPROGRESS);
    const auto got = collect(sut);
    ASSERT_EQ(got.size(), 1U) << to.to_string();
    EXPECT_EQ(got.front().flags.bits, wire::kSyn.bits);
    EXPECT_EQ(got.front().dst, to);
  }
}

// The second namespace has no address, no IPv6 and no socket but ours: its kernel sees the
// kernel's SYN and SYN-ACK and must stay silent (a reset from it would close the connection).
TEST_P(PacketTransportTest, TheSecondNamespaceNeverAnswers) {
  TCPCONFORM_MAKE_SUT(sut, kPacket);
  const IpVersion v = GetParam();
  Calls k{sut};
  const int c = k.socket(v);
  const Endpoint far{sut.addresses(v).peer, sut.fresh_port()};
  EXPECT_EQ(k.connect(c, far).error, EINPROGRESS);
  Peer peer = Peer::make(sut, v, sut.fresh_port(), sut.fresh_port());
  const int l = k.socket(v);
  ASSERT_EQ(k.bind(l, peer.kernel).error, 0);
  ASSERT_EQ(k.listen(l).error, 0);
  peer.send(wire::kSyn);
  EXPECT_EQ(collect(sut).size(), 2U);  // the SYN and the SYN-ACK
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(collect(sut).empty());
  const auto seen = observe(sut);
  const auto active =
      std::find_if(seen.begin(), seen.end(), [&](const auto& o) { return o.tuple.remote == far; });
  ASSERT_NE(active, seen.end());
  EXPECT_EQ(active->state, State::kSynSent);
  const auto passive = find(seen, peer.kernel.port, peer.self.port);
  ASSERT_TRUE(passive.has_value());
  EXPECT_EQ(passive->state, State::kSynReceived);
}

INSTANTIATE_TEST_SUITE_P(Families, PacketTransportTest,
                         ::testing::Values(IpVersion::kV4, IpVersion::kV6), version_name);

TEST(PacketTransport, NameSaysWhichPath) {
  TCPCONFORM_MAKE_SUT(sut, kPacket);
  EXPECT_NE(sut.name().find("(packet)"), std::string::npos) << sut.name();
}

}  // namespace
}  // namespace tcpconform::harness::testing
