// Parallel workers: one LinuxSut per thread, each in its own namespace, running the same program
// (same addresses, same ports) at the same time without seeing each other.
#include <atomic>
#include <thread>

#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

// Passive open, a byte each way, peer's FIN; returns how many rounds saw what they should.
int run_worker(LinuxSut& sut, int rounds) {
  int good = 0;
  for (int i = 0; i < rounds; ++i) {
    Calls k{sut};
    Peer peer = Peer::make(sut, i % 2 == 0 ? IpVersion::kV4 : IpVersion::kV6, 40000, 8080);
    const int l = k.socket(peer.self.address.version);
    k.bind(l, peer.kernel);
    k.listen(l);
    peer.send(wire::kSyn);
    peer.expect(wire::kSynAck);
    peer.send(wire::kAck);
    const int fd = static_cast<int>(k.accept(l).value);
    peer.send(wire::kAck | wire::kPsh, 1);
    peer.expect(wire::kAck);
    peer.send(wire::kFinAck);
    peer.expect(wire::kAck);
    const auto all = observe(sut);
    const auto c = find(all, 8080, 40000);
    if (all.size() == 2 && c && c->state == State::kCloseWait && c->recv_q == 2 && c->fd == fd) {
      ++good;
    }
    if (!sut.reset().has_value()) break;
  }
  return good;
}

TEST(Workers, OneSutPerThreadRunInParallel) {
  if (auto probe = LinuxSut::create(); !probe && probe.error().missing_privilege) {
    GTEST_SKIP() << probe.error().to_string();
  }
  constexpr int kWorkers = 4;
  constexpr int kRounds = 50;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&good] {
      auto sut = LinuxSut::create();
      if (!sut) return;
      good += run_worker(**sut, kRounds);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kWorkers * kRounds);
}

}  // namespace
}  // namespace tcpconform::harness::testing
