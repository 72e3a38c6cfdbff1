// The fixture's opening sequences (see lwip_fixture.h).
#include "lwip_fixture.h"

namespace tcpconform::harness::testing {

using model::CallKind;

std::pair<int, std::uint32_t> LwipTest::passive_open() {
  const int l = socket();
  EXPECT_EQ(call({.kind = CallKind::kBind,
                  .fd = l,
                  .address = {wire::IpAddress::v4(192, 0, 2, 1), kStackPort}})
                .error,
            0);
  EXPECT_EQ(call({.kind = CallKind::kListen, .fd = l, .backlog = 8}).error, 0);
  EXPECT_TRUE(sut->inject(peer(wire::kSyn, kPeerIsn, 0)));
  auto out = sent();
  EXPECT_EQ(out.size(), 1U);
  if (out.empty()) return {-1, 0};
  EXPECT_EQ(out[0].flags, wire::kSynAck);
  EXPECT_EQ(out[0].ack.value, kPeerIsn + 1);
  const std::uint32_t iss = out[0].seq.value;
  EXPECT_TRUE(sut->inject(peer(wire::kAck, kPeerIsn + 1, iss + 1)));
  const auto accepted = call({.kind = CallKind::kAccept, .fd = l});
  EXPECT_GE(accepted.value, 3);
  return {static_cast<int>(accepted.value), iss};
}

std::pair<int, std::uint32_t> LwipTest::active_open() {
  const int fd = socket();
  const auto r = call({.kind = CallKind::kConnect,
                       .fd = fd,
                       .address = {wire::IpAddress::v4(192, 0, 2, 2), kPeerPort}});
  EXPECT_EQ(r.error, EINPROGRESS);
  auto out = sent();
  EXPECT_EQ(out.size(), 1U);
  if (out.empty()) return {-1, 0};
  EXPECT_EQ(out[0].flags, wire::kSyn);
  const std::uint32_t iss = out[0].seq.value;
  auto synack = peer(wire::kSynAck, kPeerIsn, iss + 1, 0, out[0].sport);
  synack.dport = out[0].sport;
  synack.sport = kPeerPort;
  EXPECT_TRUE(sut->inject(synack));
  out = sent();
  EXPECT_EQ(out.size(), 1U);
  if (!out.empty()) {
    EXPECT_EQ(out[0].flags, wire::kAck);
    EXPECT_EQ(out[0].ack.value, kPeerIsn + 1);
  }
  return {fd, iss};
}

}  // namespace tcpconform::harness::testing
