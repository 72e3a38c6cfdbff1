// Events per second of the model: a realistic connection mix and a flood of out-of-window segments.
#include <benchmark/benchmark.h>

#include <vector>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {
namespace {

wire::IpAddress ip4(std::uint8_t d) {
  wire::IpAddress ip;
  ip.bytes = {192, 0, 2, d};
  return ip;
}

constexpr std::uint32_t kIss = 0xfffff000U;
constexpr std::uint32_t kPeerIss = 0x7ffff000U;

wire::Segment peer(wire::Flags f, std::uint32_t seq, std::uint32_t ack, std::uint32_t len) {
  wire::Segment s;
  s.src = ip4(2);
  s.dst = ip4(1);
  s.sport = 40000;
  s.dport = 8080;
  s.seq = wire::SeqNum{seq};
  s.ack = wire::SeqNum{ack};
  s.flags = f;
  s.window = 65535;
  s.payload.assign(len, 0);
  if (f.has(wire::Flag::kSyn)) s.options.emplace_back(wire::option::Mss{1460});
  return s;
}

// A passive connection per iteration: SYN, ACK, accept, 100 bytes each way, peer closes first,
// we close: 12 events, every branch of the common path.
void run_mix(benchmark::State& state, const Profile& profile) {
  Endpoint ep(profile, {ip4(1)});
  EventOutput out;
  ep.on_call({.kind = CallKind::kSocket}, out);
  ep.on_call({.kind = CallKind::kBind, .fd = 3, .address = {ip4(1), 8080}}, out);
  ep.on_call({.kind = CallKind::kListen, .fd = 3, .backlog = 128}, out);
  const wire::Segment syn = peer(wire::kSyn, kPeerIss, 0, 0);
  const wire::Segment ack = peer(wire::kAck, kPeerIss + 1, kIss + 1, 0);
  const wire::Segment data = peer(wire::kPsh | wire::kAck, kPeerIss + 1, kIss + 1, 100);
  const wire::Segment ack_data = peer(wire::kAck, kPeerIss + 101, kIss + 101, 0);
  const wire::Segment fin = peer(wire::kFinAck, kPeerIss + 101, kIss + 101, 0);
  const wire::Segment ack_fin = peer(wire::kAck, kPeerIss + 102, kIss + 102, 0);
  const SocketCall accept{.kind = CallKind::kAccept, .fd = 3};
  const SocketCall recv{.kind = CallKind::kRecv, .fd = 4, .length = 1000};
  const SocketCall send{.kind = CallKind::kSend, .fd = 4, .length = 100};
  const SocketCall close{.kind = CallKind::kClose, .fd = 4};
  std::int64_t events = 0;
  for (auto _ : state) {
    ep.choices().iss = wire::SeqNum{kIss};
    ep.on_segment(syn, out);
    ep.on_segment(ack, out);
    ep.on_call(accept, out);
    ep.on_segment(data, out);
    ep.on_call(recv, out);
    ep.on_call(send, out);
    ep.on_segment(ack_data, out);
    ep.on_segment(fin, out);
    ep.on_call(recv, out);
    ep.on_call(close, out);
    ep.on_segment(ack_fin, out);
    ep.advance(Duration{1000}, out);
    benchmark::DoNotOptimize(out);
    events += 12;
  }
  if (ep.connection_count() != 0) state.SkipWithError("connection did not close");
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_MixRfc9293(benchmark::State& state) {
  run_mix(state, rfc9293_profile());
}
void BM_MixLinux(benchmark::State& state) {
  run_mix(state, linux_profile());
}

// An established connection flooded with out-of-window segments (each draws a duplicate ACK,
// or nothing once the Linux rate limit kicks in).
void run_flood(benchmark::State& state, const Profile& profile) {
  Endpoint ep(profile, {ip4(1)});
  EventOutput out;
  ep.choices().iss = wire::SeqNum{kIss};
  ep.on_call({.kind = CallKind::kSocket}, out);
  ep.on_call({.kind = CallKind::kBind, .fd = 3, .address = {ip4(1), 8080}}, out);
  ep.on_call({.kind = CallKind::kListen, .fd = 3, .backlog = 128}, out);
  ep.on_segment(peer(wire::kSyn, kPeerIss, 0, 0), out);
  ep.on_segment(peer(wire::kAck, kPeerIss + 1, kIss + 1, 0), out);
  std::vector<wire::Segment> flood;
  for (std::uint32_t i = 0; i < 64; ++i) {
    flood.push_back(peer(wire::kAck, kPeerIss + 1000000 + i * 1000, kIss + 1, i % 2 == 0 ? 0 : 10));
  }
  std::int64_t events = 0;
  for (auto _ : state) {
    for (const auto& s : flood) ep.on_segment(s, out);
    benchmark::DoNotOptimize(out);
    events += static_cast<std::int64_t>(flood.size());
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_FloodRfc9293(benchmark::State& state) {
  run_flood(state, rfc9293_profile());
}
void BM_FloodLinux(benchmark::State& state) {
  run_flood(state, linux_profile());
}

BENCHMARK(BM_MixRfc9293);
BENCHMARK(BM_MixLinux);
BENCHMARK(BM_FloodRfc9293);
BENCHMARK(BM_FloodLinux);

}  // namespace
}  // namespace tcpconform::model
