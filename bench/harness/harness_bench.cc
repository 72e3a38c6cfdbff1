// Kernel SUT throughput: steps (inject + drain + call + observe) and short connections per
// second on one core, against the limits measured in DESIGN.md (~70,000 and ~17,000), through
// each transport: every benchmark runs as .../tun/... and .../packet/... side by side.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

#include "tcpconform/harness/linux_sut.h"

namespace tcpconform::harness {
namespace {

using model::CallKind;
using model::SocketCall;
using wire::Endpoint;
using wire::IpVersion;
using wire::SeqNum;

std::unique_ptr<LinuxSut> make_sut(benchmark::State& state, TransportKind transport) {
  LinuxSutOptions options;
  options.transport = transport;
  auto made = LinuxSut::create(options);
  if (!made) {
    state.SkipWithError(made.error().to_string().c_str());
    return nullptr;
  }
  return std::move(*made);
}

// The injected peer of one connection.
struct Peer {
  Endpoint self;
  Endpoint kernel;
  SeqNum snd_nxt{1000};
  SeqNum rcv_nxt{};

  wire::Segment segment(wire::Flags flags, std::size_t payload = 0) const {
    wire::Segment s;
    s.src = self.address;
    s.dst = kernel.address;
    s.sport = self.port;
    s.dport = kernel.port;
    s.seq = snd_nxt;
    s.ack = rcv_nxt;
    s.flags = flags;
    s.window = 65535;
    s.payload.assign(payload, 0x61);
    return s;
  }
  bool send(LinuxSut& sut, wire::Flags flags, std::size_t payload = 0) {
    const wire::Segment s = segment(flags, payload);
    snd_nxt += s.seg_len();
    return sut.inject(s).has_value();
  }
  // Drains the transport; tracks RCV.NXT. Returns the number of segments.
  std::size_t drain(LinuxSut& sut) {
    auto got = sut.collect();
    if (!got) return 0;
    for (const auto& s : *got) {
      if (s.flags.has(wire::Flag::kSyn)) rcv_nxt = s.seq;
      rcv_nxt = wire::seq_max(rcv_nxt, s.seq + s.seg_len());
    }
    return got->size();
  }
};

int call(LinuxSut& sut, SocketCall c) {
  auto r = sut.call(c);
  return r ? static_cast<int>(r->value) : -1;
}

// One step: the peer sends a byte, the kernel's ACK is drained, the byte is read, and every
// socket of the namespace is observed.
void BM_Step(benchmark::State& state, TransportKind transport) {
  auto sut = make_sut(state, transport);
  if (!sut) return;
  const Addresses a = sut->addresses(IpVersion::kV4);
  Peer peer{Endpoint{a.peer, 40000}, Endpoint{a.local, 8080}};
  const int l = call(*sut, {.kind = CallKind::kSocket});
  call(*sut, {.kind = CallKind::kBind, .fd = l, .address = peer.kernel});
  call(*sut, {.kind = CallKind::kListen, .fd = l, .backlog = 8});
  peer.send(*sut, wire::kSyn);
  peer.drain(*sut);
  peer.send(*sut, wire::kAck);
  const int fd = call(*sut, {.kind = CallKind::kAccept, .fd = l});
  const bool observe = state.range(0) != 0;
  std::size_t segments = 0;
  for (auto _ : state) {
    peer.send(*sut, wire::kAck | wire::kPsh, 1);
    segments += peer.drain(*sut);
    benchmark::DoNotOptimize(call(*sut, {.kind = CallKind::kRecv, .fd = fd, .length = 1}));
    if (observe) {
      auto seen = sut->observe();
      if (!seen || seen->size() != 2) state.SkipWithError("observe failed");
    }
  }
  if (segments != static_cast<std::size_t>(state.iterations())) {
    state.SkipWithError("a step was not synchronous");
  }
  state.counters["steps/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Step, tun, TransportKind::kTun)
    ->ArgName("observe")
    ->Arg(1)
    ->Arg(0)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Step, packet, TransportKind::kPacket)
    ->ArgName("observe")
    ->Arg(1)
    ->Arg(0)
    ->UseRealTime();

// One short connection, as a program: handshake, data both ways, close to TIME-WAIT; with
// reset() after each (Arg 1, what a campaign does) or every 64 connections (Arg 0).
void BM_ShortConnection(benchmark::State& state, TransportKind transport) {
  auto sut = make_sut(state, transport);
  if (!sut) return;
  const bool reset_each = state.range(0) != 0;
  const Addresses a = sut->addresses(IpVersion::kV4);
  std::uint16_t peer_port = 20000;
  std::int64_t n = 0;
  int l = -1;
  for (auto _ : state) {
    if (l < 0) {
      l = call(*sut, {.kind = CallKind::kSocket});
      call(*sut, {.kind = CallKind::kBind, .fd = l, .address = Endpoint{a.local, 8080}});
      call(*sut, {.kind = CallKind::kListen, .fd = l, .backlog = 64});
    }
    Peer peer{Endpoint{a.peer, peer_port}, Endpoint{a.local, 8080}};
    peer_port = peer_port == 60000 ? 20000 : static_cast<std::uint16_t>(peer_port + 1);
    peer.send(*sut, wire::kSyn);
    peer.drain(*sut);  // SYN-ACK
    peer.send(*sut, wire::kAck);
    const int fd = call(*sut, {.kind = CallKind::kAccept, .fd = l});
    peer.send(*sut, wire::kAck | wire::kPsh, 10);
    peer.drain(*sut);  // ACK
    call(*sut, {.kind = CallKind::kRecv, .fd = fd, .length = 100});
    call(*sut, {.kind = CallKind::kSend, .fd = fd, .length = 10});
    peer.drain(*sut);  // data
    peer.send(*sut, wire::kAck);
    call(*sut, {.kind = CallKind::kClose, .fd = fd});
    peer.drain(*sut);  // FIN
    peer.send(*sut, wire::kAck);
    peer.send(*sut, wire::kFinAck);
    if (peer.drain(*sut) != 1) state.SkipWithError("no ACK of the FIN");  // → TIME-WAIT
    if (reset_each || ++n % 64 == 0) {
      if (!sut->reset()) state.SkipWithError("reset failed");
      l = -1;
    }
  }
  state.counters["connections/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_ShortConnection, tun, TransportKind::kTun)
    ->ArgName("reset_each")
    ->Arg(1)
    ->Arg(0)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ShortConnection, packet, TransportKind::kPacket)
    ->ArgName("reset_each")
    ->Arg(1)
    ->Arg(0)
    ->UseRealTime();

void BM_Observe(benchmark::State& state) {
  auto sut = make_sut(state, TransportKind::kTun);
  if (!sut) return;
  const Addresses a = sut->addresses(IpVersion::kV4);
  const int l = call(*sut, {.kind = CallKind::kSocket});
  call(*sut, {.kind = CallKind::kBind, .fd = l, .address = Endpoint{a.local, 8080}});
  call(*sut, {.kind = CallKind::kListen, .fd = l, .backlog = 8});
  for (int i = 0; i < state.range(0); ++i) {
    Peer peer{Endpoint{a.peer, static_cast<std::uint16_t>(30000 + i)}, Endpoint{a.local, 8080}};
    peer.send(*sut, wire::kSyn);
    peer.drain(*sut);
    peer.send(*sut, wire::kAck);
  }
  for (auto _ : state) {
    auto seen = sut->observe();
    benchmark::DoNotOptimize(seen);
  }
}
BENCHMARK(BM_Observe)->ArgName("connections")->Arg(1)->Arg(16)->UseRealTime();

void BM_Create(benchmark::State& state, TransportKind transport) {
  LinuxSutOptions options;
  options.transport = transport;
  for (auto _ : state) {
    auto made = LinuxSut::create(options);
    if (!made) state.SkipWithError(made.error().to_string().c_str());
  }
}
BENCHMARK_CAPTURE(BM_Create, tun, TransportKind::kTun)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Create, packet, TransportKind::kPacket)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tcpconform::harness
