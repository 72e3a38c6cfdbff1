// Drives LwipSut by hand in tests: the peer's segments and the stack's replies (virtual clock).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "tcpconform/harness/lwip_sut.h"

namespace tcpconform::harness::testing {

inline constexpr std::uint16_t kStackPort = 8080;
inline constexpr std::uint16_t kPeerPort = 40000;
inline constexpr std::uint32_t kPeerIsn = 0x60000000;

class LwipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LwipSutOptions options;
    options.clock = LwipSutOptions::Clock::kVirtual;
    auto made = LwipSut::create(options);
    if (!made) GTEST_SKIP() << made.error().to_string();
    sut = std::move(*made);
    ASSERT_TRUE(sut->reset());
  }

  // A segment from the peer (192.0.2.2:40000) to the stack (192.0.2.1:port).
  static wire::Segment peer(wire::Flags flags, std::uint32_t seq, std::uint32_t ack,
                            std::size_t payload = 0, std::uint16_t port = kStackPort) {
    wire::Segment s;
    s.src = wire::IpAddress::v4(192, 0, 2, 2);
    s.dst = wire::IpAddress::v4(192, 0, 2, 1);
    s.sport = kPeerPort;
    s.dport = port;
    s.seq = wire::SeqNum{seq};
    s.ack = wire::SeqNum{ack};
    s.flags = flags;
    s.window = 65535;
    s.payload.assign(payload, 0x55);
    if (flags.has(wire::Flag::kSyn)) s.options.emplace_back(wire::option::Mss{1460});
    return s;
  }

  model::CallResult call(model::SocketCall c) {
    auto r = sut->call(c);
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : model::CallResult::fail(-1);
  }

  int socket() { return static_cast<int>(call({.kind = model::CallKind::kSocket}).value); }

  std::vector<wire::Segment> sent() {
    auto r = sut->collect();
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<wire::Segment>{};
  }

  std::vector<model::ConnectionObservation> seen() {
    auto r = sut->observe();
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<model::ConnectionObservation>{};
  }

  // The connection to the peer, if lwIP has one.
  std::optional<model::ConnectionObservation> connection() {
    for (const auto& o : seen()) {
      if (o.tuple.remote.port == kPeerPort) return o;
    }
    return std::nullopt;
  }

  // listen on 8080, peer SYN → SYN,ACK, peer ACK, accept: returns (fd, stack ISS).
  std::pair<int, std::uint32_t> passive_open();
  // connect to the peer, peer SYN,ACK → ACK: returns (fd, stack ISS).
  std::pair<int, std::uint32_t> active_open();

  std::unique_ptr<LwipSut> sut;
};

}  // namespace tcpconform::harness::testing
