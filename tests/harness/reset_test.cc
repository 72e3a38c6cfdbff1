// reset(): every socket of every state destroyed by cookie, nothing left for the next program.
#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

class Reset : public ::testing::TestWithParam<IpVersion> {};

// Leaves one socket in many states: LISTEN, SYN-RECEIVED, ESTABLISHED (unaccepted and
// accepted), FIN-WAIT-1 orphan, TIME-WAIT, SYN-SENT, and a pair owned by a child process.
std::uint16_t make_a_mess(LinuxSut& sut, IpVersion v) {
  Calls k{sut};
  const std::uint16_t port = sut.fresh_port();
  Peer a = Peer::make(sut, v, sut.fresh_port(), port);
  const int l = k.socket(v);
  EXPECT_EQ(k.bind(l, a.kernel).error, 0);
  EXPECT_EQ(k.listen(l).error, 0);
  a.send(wire::kSyn);  // stays SYN-RECEIVED
  a.expect(wire::kSynAck);
  Peer b = Peer::make(sut, v, sut.fresh_port(), port);
  b.send(wire::kSyn);
  b.expect(wire::kSynAck);
  b.send(wire::kAck);  // ESTABLISHED, then accepted and closed: FIN-WAIT-1 orphan
  const int fd = static_cast<int>(k.accept(l).value);
  EXPECT_EQ(k.close(fd).error, 0);
  b.expect(wire::kFinAck);
  Peer c = Peer::make(sut, v, sut.fresh_port(), port);
  c.send(wire::kSyn);
  c.expect(wire::kSynAck);
  c.send(wire::kAck);  // ESTABLISHED, in the accept queue
  Peer d = Peer::make(sut, v, sut.fresh_port(), port);
  d.send(wire::kSyn);
  d.expect(wire::kSynAck);
  d.send(wire::kAck);
  const int fd2 = static_cast<int>(k.accept(l).value);
  EXPECT_EQ(k.close(fd2).error, 0);
  d.expect(wire::kFinAck);
  d.send(wire::kAck);
  d.send(wire::kFinAck);
  d.expect(wire::kAck);  // TIME-WAIT
  Peer e = Peer::make(sut, v, sut.fresh_port(), 0);
  EXPECT_EQ(k.connect(k.socket(v), e.self).error, EINPROGRESS);  // SYN-SENT
  e.expect(wire::kSyn);
  Calls child{sut, 1};
  const std::uint16_t port2 = sut.fresh_port();
  const int l2 = child.socket(v);
  EXPECT_EQ(child.bind(l2, Endpoint{sut.addresses(v).local, port2}).error, 0);
  EXPECT_EQ(child.listen(l2).error, 0);
  const int cfd = k.socket(v);
  EXPECT_NE(k.connect(cfd, Endpoint{sut.addresses(v).local, port2}).error, EBADF);
  EXPECT_GE(observe(sut).size(), 9U);
  return port;
}

TEST_P(Reset, LeavesNoSocketAndTheSamePortsCanBeUsedAgain) {
  TCPCONFORM_MAKE_SUT(sut);
  const IpVersion v = GetParam();
  const std::uint16_t port = make_a_mess(sut, v);
  ASSERT_TRUE(sut.reset().has_value());
  EXPECT_TRUE(collect(sut).empty());  // the RSTs SOCK_DESTROY sent were drained
  Calls k{sut};
  EXPECT_EQ(k.socket(v), 3);  // descriptors start over
  EXPECT_TRUE(observe(sut).empty());
  // The same listener port, and the same peer port, work again at once.
  Peer again = Peer::make(sut, v, static_cast<std::uint16_t>(port + 1), port);
  EXPECT_EQ(k.bind(3, again.kernel).error, 0);
  EXPECT_EQ(k.listen(3).error, 0);
  again.send(wire::kSyn);
  again.expect(wire::kSynAck);
}

TEST_P(Reset, RepeatedProgramsStayClean) {
  TCPCONFORM_MAKE_SUT(sut);
  for (int i = 0; i < 20; ++i) {
    make_a_mess(sut, GetParam());
    ASSERT_TRUE(sut.reset().has_value());
  }
  Calls k{sut};
  k.socket(IpVersion::kV4);
  k.socket(IpVersion::kV6);
  EXPECT_TRUE(observe(sut).empty());
}

TEST(ResetOnce, ManySutsSideBySide) {
  std::vector<std::unique_ptr<LinuxSut>> suts;
  for (int i = 0; i < 4; ++i) {
    auto made = LinuxSut::create();
    if (!made && made.error().missing_privilege) GTEST_SKIP() << made.error().to_string();
    ASSERT_TRUE(made.has_value()) << made.error().to_string();
    suts.push_back(std::move(*made));
  }
  // The same addresses and ports in every namespace, without interference.
  for (auto& sut : suts) {
    Calls k{*sut};
    const int l = k.socket(IpVersion::kV4);
    EXPECT_EQ(k.bind(l, Endpoint{sut->addresses(IpVersion::kV4).local, 5000}).error, 0);
    EXPECT_EQ(k.listen(l).error, 0);
  }
  for (auto& sut : suts) EXPECT_EQ(observe(*sut).size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(Versions, Reset, ::testing::Values(IpVersion::kV4, IpVersion::kV6),
                         version_name);

}  // namespace
}  // namespace tcpconform::harness::testing
