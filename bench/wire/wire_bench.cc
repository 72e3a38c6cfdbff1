// Parse and emit throughput (segments/s) for a SYN with options, a 1000-byte data segment and a
// bare ACK, IPv4 and IPv6.
#include <benchmark/benchmark.h>

#include <vector>

#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/notation.h"

namespace {

namespace wire = tcpconform::wire;

wire::Segment base(bool v6) {
  wire::Segment s;
  if (v6) {
    s.src = *wire::IpAddress::parse("2001:db8::1");
    s.dst = *wire::IpAddress::parse("2001:db8::2");
  } else {
    s.src = wire::IpAddress::v4(192, 0, 2, 1);
    s.dst = wire::IpAddress::v4(192, 0, 2, 2);
  }
  s.sport = 40000;
  s.dport = 8080;
  s.seq = wire::SeqNum{2999602944U};
  s.window = 64240;
  return s;
}

wire::Segment syn(bool v6) {
  wire::Segment s = base(v6);
  s.flags = wire::kSyn;
  s.options = {wire::option::Mss{1460}, wire::option::SackPermitted{},
               wire::option::Timestamp{1548524295, 0}, wire::option::Nop{},
               wire::option::WindowScale{10}};
  return s;
}

wire::Segment data(bool v6) {
  wire::Segment s = base(v6);
  s.flags = wire::kAck | wire::kPsh;
  s.ack = wire::SeqNum{1000001};
  s.options = {wire::option::Nop{}, wire::option::Nop{}, wire::option::Timestamp{1548524345, 7000}};
  s.payload.assign(1000, 0x61);
  return s;
}

wire::Segment bare_ack(bool v6) {
  wire::Segment s = base(v6);
  s.flags = wire::kAck;
  s.ack = wire::SeqNum{1000001};
  return s;
}

using Maker = wire::Segment (*)(bool);

void BM_Parse(benchmark::State& state, Maker make, bool v6) {
  const auto bytes = wire::emit(make(v6));
  for (auto _ : state) {
    auto s = wire::parse(bytes);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

void BM_Emit(benchmark::State& state, Maker make, bool v6) {
  const wire::Segment s = make(v6);
  std::vector<std::uint8_t> out;
  for (auto _ : state) {
    out.clear();
    wire::emit_into(s, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}

void BM_EmitAllocating(benchmark::State& state, Maker make, bool v6) {
  const wire::Segment s = make(v6);
  for (auto _ : state) {
    auto out = wire::emit(s);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Notation(benchmark::State& state, Maker make, bool v6) {
  const wire::Segment s = make(v6);
  for (auto _ : state) {
    auto text = wire::to_notation(s);
    auto back = wire::parse_notation(text);
    benchmark::DoNotOptimize(back);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_Parse, syn_v4, syn, false);
BENCHMARK_CAPTURE(BM_Parse, data1000_v4, data, false);
BENCHMARK_CAPTURE(BM_Parse, ack_v4, bare_ack, false);
BENCHMARK_CAPTURE(BM_Parse, syn_v6, syn, true);
BENCHMARK_CAPTURE(BM_Parse, data1000_v6, data, true);
BENCHMARK_CAPTURE(BM_Emit, syn_v4, syn, false);
BENCHMARK_CAPTURE(BM_Emit, data1000_v4, data, false);
BENCHMARK_CAPTURE(BM_Emit, ack_v4, bare_ack, false);
BENCHMARK_CAPTURE(BM_Emit, syn_v6, syn, true);
BENCHMARK_CAPTURE(BM_Emit, data1000_v6, data, true);
BENCHMARK_CAPTURE(BM_EmitAllocating, syn_v4, syn, false);
BENCHMARK_CAPTURE(BM_Notation, syn_v4, syn, false);

}  // namespace
