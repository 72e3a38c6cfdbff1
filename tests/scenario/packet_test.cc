// Tests of packet lines: flags, sequence space, ack/win/urg and TCP options.
#include <gtest/gtest.h>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

using engine::PacketSpec;
using testing::only;
using testing::parse_ok;

TEST(Packet, InboundSynWithOptions) {
  const auto p = only<PacketSpec>("+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>");
  EXPECT_EQ(p.direction, engine::Direction::kInbound);
  EXPECT_EQ(p.flags, wire::kSyn);
  EXPECT_EQ(p.seq, 0U);
  EXPECT_EQ(p.payload_len, 0U);
  EXPECT_FALSE(p.ack.has_value());
  EXPECT_EQ(p.window, 32792);
  ASSERT_EQ(p.options.size(), 6U);
  EXPECT_EQ(std::get<wire::option::Mss>(p.options[0]).value, 1000);
  EXPECT_TRUE(std::holds_alternative<wire::option::SackPermitted>(p.options[1]));
  EXPECT_TRUE(std::holds_alternative<wire::option::Nop>(p.options[2]));
  EXPECT_EQ(std::get<wire::option::WindowScale>(p.options[5]).shift, 7);
}

TEST(Packet, OutboundWithAnyOptions) {
  const auto p = only<PacketSpec>("+0 > S 0:0(0) <...>");
  EXPECT_EQ(p.direction, engine::Direction::kOutbound);
  EXPECT_TRUE(p.any_options);
  EXPECT_TRUE(p.options.empty());
  EXPECT_FALSE(p.window.has_value());
}

TEST(Packet, NoOptionsWrittenMeansNoOptions) {
  const auto p = only<PacketSpec>("+0 > . 1:1(0) ack 1");
  EXPECT_FALSE(p.any_options);
  EXPECT_TRUE(p.options.empty());
  EXPECT_EQ(p.flags, wire::kAck);
  EXPECT_EQ(p.ack, 1U);
}

TEST(Packet, AllFlagLetters) {
  const auto p = only<PacketSpec>("+0 < SFRPUEW. 0:0(0)");
  EXPECT_EQ(p.flags.bits, 0x0ffU);
}

TEST(Packet, FinPushAck) {
  const auto p = only<PacketSpec>("+0 > FP. 13001:20001(7000) ack 1");
  EXPECT_EQ(p.flags, wire::kFin | wire::kPsh | wire::kAck);
  EXPECT_EQ(p.seq, 13001U);
  EXPECT_EQ(p.payload_len, 7000U);
}

TEST(Packet, DashMeansNoFlags) {
  const auto p = only<PacketSpec>("+.01 < - 1:1001(1000) win 20000");
  EXPECT_EQ(p.flags.bits, 0U);
  EXPECT_EQ(p.payload_len, 1000U);
}

TEST(Packet, UrgentPointer) {
  const auto p = only<PacketSpec>("+0 < U. 1:2(1) ack 1 win 100 urg 1");
  EXPECT_EQ(p.urgent, 1);
}

TEST(Packet, TimestampsAndSackBlocksKeepRawNumbers) {
  const auto p = only<PacketSpec>(
      "+0 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 4294967295 ecr 100,sack 1:2 3:4,eol>");
  ASSERT_EQ(p.options.size(), 5U);
  const auto ts = std::get<wire::option::Timestamp>(p.options[2]);
  EXPECT_EQ(ts.val, 4294967295U);
  EXPECT_EQ(ts.ecr, 100U);
  const auto sack = std::get<wire::option::Sack>(p.options[3]);
  ASSERT_EQ(sack.blocks.size(), 2U);
  EXPECT_EQ(sack.blocks[1].left.value, 3U);
  EXPECT_EQ(sack.blocks[1].right.value, 4U);
  EXPECT_TRUE(std::holds_alternative<wire::option::Eol>(p.options[4]));
}

TEST(Packet, SequenceSpaceWraps) {
  const auto p = only<PacketSpec>("+0 < . 4294967295:9(10) ack 1");
  EXPECT_EQ(p.seq, 4294967295U);
  EXPECT_EQ(p.payload_len, 10U);
}

TEST(Packet, TimeKinds) {
  const auto prog = parse_ok(
      "0 > S 0:0(0) <...>\n"
      "+0.5 > S 0:0(0) <...>\n"
      "* > S 0:0(0) <...>\n"
      "1~2 > S 0:0(0) <...>\n"
      "+.01~+.015 > F. 1:1(0) ack 1\n");
  ASSERT_EQ(prog.steps.size(), 5U);
  EXPECT_EQ(prog.steps[0].time.kind, engine::TimeKind::kAbsolute);
  EXPECT_EQ(prog.steps[1].time.kind, engine::TimeKind::kRelative);
  EXPECT_EQ(prog.steps[1].time.usecs, 500000);
  EXPECT_EQ(prog.steps[2].time.kind, engine::TimeKind::kAny);
  EXPECT_EQ(prog.steps[3].time.kind, engine::TimeKind::kAbsoluteRange);
  EXPECT_EQ(prog.steps[3].time.usecs, 1000000);
  EXPECT_EQ(prog.steps[3].time.end_usecs, 2000000);
  EXPECT_EQ(prog.steps[4].time.kind, engine::TimeKind::kRelativeRange);
  EXPECT_EQ(prog.steps[4].time.usecs, 10000);
  EXPECT_EQ(prog.steps[4].time.end_usecs, 15000);
}

TEST(Packet, SourceLocationIsTheTimesPosition) {
  const auto prog = parse_ok("// intent\n\n   +0 < S 0:0(0) win 1\n");
  ASSERT_EQ(prog.steps.size(), 1U);
  EXPECT_EQ(prog.steps[0].where.file, "t.pkt");
  EXPECT_EQ(prog.steps[0].where.line, 3U);
  EXPECT_EQ(prog.steps[0].where.column, 4U);
}

TEST(Packet, ScriptOptions) {
  const auto prog = parse_ok(
      "--ip_version=ipv6\n--tolerance_usecs=10000\n--tcp_ts_tick_usecs=1000\n"
      "--local_ip=2001:db8::1\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
  EXPECT_EQ(prog.ip_version, wire::IpVersion::kV6);
  EXPECT_EQ(prog.tolerance_usecs, 10000);
  EXPECT_EQ(prog.local_ip, "2001:db8::1");
  ASSERT_EQ(prog.options.size(), 4U);
  EXPECT_EQ(prog.options[2].name, "tcp_ts_tick_usecs");
  EXPECT_EQ(prog.options[2].value, "1000");
}

TEST(Packet, SeveralOptionsOnOneLine) {
  const auto prog = parse_ok("--ip_version=ipv6 --tolerance_usecs=7000   --verbose\n");
  ASSERT_EQ(prog.options.size(), 3U);
  EXPECT_EQ(prog.options[1].name, "tolerance_usecs");
  EXPECT_EQ(prog.options[1].value, "7000");
  EXPECT_EQ(prog.options[2].name, "verbose");
  EXPECT_FALSE(prog.options[2].value.has_value());
  EXPECT_EQ(prog.tolerance_usecs, 7000);
  const auto bad = testing::parse_err("--ip_version=ipv4 --bad%name=1\n");
  EXPECT_EQ(bad.column, 21U);
}

}  // namespace
}  // namespace tcpconform::scenario
