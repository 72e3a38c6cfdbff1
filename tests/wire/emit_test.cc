// Tests of emit()/emit_into(): byte-exact against kernel captures, checksums, EmitOptions.
#include <gtest/gtest.h>

#include <vector>

#include "captures.h"
#include "tcpconform/wire/checksum.h"
#include "tcpconform/wire/codec.h"

namespace tcpconform::wire {
namespace {

using Bytes = std::vector<std::uint8_t>;

template <std::size_t N>
Bytes bytes(const std::array<std::uint8_t, N>& a) {
  return Bytes(a.begin(), a.end());
}

Bytes reemit(const Bytes& captured) {
  auto s = parse(captured);
  EXPECT_TRUE(s.has_value());
  return s ? emit(*s) : Bytes{};
}

TEST(WireEmit, ReproducesKernelPacketsWithIpIdZero) {
  // Linux sends SYN-ACKs and RSTs from a listener or no socket with IP ID 0, as emit does.
  EXPECT_EQ(reemit(bytes(testdata::kV4Synack)), bytes(testdata::kV4Synack));
  EXPECT_EQ(reemit(bytes(testdata::kV4Rst)), bytes(testdata::kV4Rst));
}

TEST(WireEmit, ReproducesKernelTcpBytesV4) {
  // Connected sockets use a per-socket IP ID; everything from the TCP header on is identical.
  for (const Bytes& kernel : {bytes(testdata::kV4Syn), bytes(testdata::kV4Ack),
                              bytes(testdata::kV4Data), bytes(testdata::kV4Fin)}) {
    const Bytes ours = reemit(kernel);
    ASSERT_EQ(ours.size(), kernel.size());
    EXPECT_EQ(Bytes(ours.begin() + 20, ours.end()), Bytes(kernel.begin() + 20, kernel.end()));
    EXPECT_EQ(ours[4], 0);
    EXPECT_EQ(ours[5], 0);
    EXPECT_EQ(internet_checksum(std::span(ours).first(20)), 0);
  }
}

TEST(WireEmit, ReproducesKernelPacketsV6ExceptFlowLabel) {
  for (const Bytes& kernel : {bytes(testdata::kV6Syn), bytes(testdata::kV6Synack)}) {
    const Bytes ours = reemit(kernel);
    ASSERT_EQ(ours.size(), kernel.size());
    EXPECT_EQ((Bytes{ours[0], ours[1], ours[2], ours[3]}), (Bytes{0x60, 0, 0, 0}));
    EXPECT_EQ(Bytes(ours.begin() + 4, ours.end()), Bytes(kernel.begin() + 4, kernel.end()));
  }
}

Segment data_segment() {
  return Segment{.src = IpAddress::v4(192, 0, 2, 2),
                 .dst = IpAddress::v4(192, 0, 2, 1),
                 .sport = 4000,
                 .dport = 80,
                 .seq = SeqNum{0xffff'fff0U},
                 .ack = SeqNum{7},
                 .flags = kPsh | kAck,
                 .window = 512,
                 .options = {option::Nop{}, option::Nop{}, option::Timestamp{1, 2}},
                 .payload = {'a', 'b', 'c'},
                 .ttl = 3};
}

TEST(WireEmit, Ipv4HeaderFields) {
  const Bytes p = emit(data_segment());
  ASSERT_EQ(p.size(), 20U + 32U + 3U);
  EXPECT_EQ(p[0], 0x45);
  EXPECT_EQ(p[1], 0);               // TOS
  EXPECT_EQ(p[2] << 8 | p[3], 55);  // total length
  EXPECT_EQ(p[6], 0x40);            // DF
  EXPECT_EQ(p[8], 3);               // TTL
  EXPECT_EQ(p[9], 6);               // TCP
  EXPECT_EQ(p[20 + 12], 0x80);      // data offset 8 words
  EXPECT_EQ(p[20 + 13], 0x18);      // PSH|ACK
}

TEST(WireEmit, AeFlagGoesToTheDataOffsetByte) {
  Segment s = data_segment();
  s.flags = s.flags | Flags{Flag::kAe};
  const Bytes p = emit(s);
  EXPECT_EQ(p[20 + 12], 0x81);
  EXPECT_EQ(*parse(p), s);
}

TEST(WireEmit, Ipv6HeaderFields) {
  Segment s = data_segment();
  s.src = *IpAddress::parse("2001:db8::2");
  s.dst = *IpAddress::parse("2001:db8::1");
  const Bytes p = emit(s);
  ASSERT_EQ(p.size(), 40U + 32U + 3U);
  EXPECT_EQ(p[0], 0x60);
  EXPECT_EQ(p[4] << 8 | p[5], 35);  // payload length
  EXPECT_EQ(p[6], 6);
  EXPECT_EQ(p[7], 3);  // hop limit
  EXPECT_EQ(*parse(p), s);
}

TEST(WireEmit, ParseOfEmitIsIdentityOnExamples) {
  Segment s = data_segment();
  EXPECT_EQ(*parse(emit(s)), s);
  s.options = {option::Mss{1460}, option::SackPermitted{}, option::Timestamp{9, 8}, option::Nop{},
               option::WindowScale{14}};
  s.flags = kSyn;
  s.payload.clear();
  EXPECT_EQ(*parse(emit(s)), s);
  s.options = {option::Sack{{{SeqNum{1}, SeqNum{2}},
                             {SeqNum{3}, SeqNum{4}},
                             {SeqNum{5}, SeqNum{6}},
                             {SeqNum{7}, SeqNum{8}}}},
               option::Nop{}, option::Nop{}, option::Unknown{30, {1, 2}}};
  EXPECT_EQ(*parse(emit(s)), s);
}

TEST(WireEmit, EmitIntoAppends) {
  Bytes out{0xaa};
  emit_into(data_segment(), out);
  ASSERT_EQ(out.size(), 1U + 55U);
  EXPECT_EQ(out[0], 0xaa);
  EXPECT_EQ(Bytes(out.begin() + 1, out.end()), emit(data_segment()));
}

TEST(WireEmit, CorruptTcpChecksum) {
  const Bytes p = emit(data_segment(), EmitOptions{.corrupt_tcp_checksum = true});
  auto r = parse(p);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ParseErrorKind::kBadTcpChecksum);
}

TEST(WireEmit, CorruptIpChecksum) {
  const Bytes p = emit(data_segment(), EmitOptions{.corrupt_ip_checksum = true});
  auto r = parse(p);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ParseErrorKind::kBadIpChecksum);
}

TEST(WireEmit, RawOptionsAreSentVerbatimAndPadded) {
  EmitOptions options;
  options.raw_options = Bytes{2, 3, 5};  // an MSS option one byte short
  const Bytes p = emit(data_segment(), options);
  EXPECT_EQ(p[20 + 12] >> 4, 6);
  EXPECT_EQ((Bytes{p[40], p[41], p[42], p[43]}), (Bytes{2, 3, 5, 0}));
  auto r = parse(p);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ParseErrorKind::kBadOptionLength);
  EXPECT_EQ(r.error().field, "tcp.option[0].length");
}

TEST(WireEmit, OversizedOptionAreaIsCutAtForty) {
  EmitOptions options;
  options.raw_options = Bytes(44, 1);
  const Bytes p = emit(data_segment(), options);
  EXPECT_EQ(p[20 + 12] >> 4, 15);
  auto s = parse(p);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->options.size(), 40U);
}

TEST(WireEmit, WellFormedSegments) {
  Segment s = data_segment();
  EXPECT_TRUE(is_well_formed(s));
  s.dst = *IpAddress::parse("2001:db8::1");
  EXPECT_FALSE(is_well_formed(s));  // mixed versions
  s = data_segment();
  s.src.bytes[4] = 1;
  EXPECT_FALSE(is_well_formed(s));  // bytes beyond an IPv4 address
  s = data_segment();
  s.options = {option::Nop{}, option::Eol{}};
  EXPECT_FALSE(is_well_formed(s));  // EOL where padding would be
  s = data_segment();
  s.payload.assign(65535 - 20 - 20 - 12, 0);
  EXPECT_TRUE(is_well_formed(s));
  EXPECT_EQ(*parse(emit(s)), s);
  s.payload.push_back(0);
  EXPECT_FALSE(is_well_formed(s));  // IPv4 total length overflows
  s.src = *IpAddress::parse("2001:db8::2");
  s.dst = *IpAddress::parse("2001:db8::1");
  EXPECT_TRUE(is_well_formed(s));  // IPv6 does not count its own header
  EXPECT_EQ(*parse(emit(s)), s);
}

TEST(WireEmit, ParsedSegmentsAreWellFormed) {
  for (const auto& packet : {std::span<const std::uint8_t>(testdata::kV4Syn),
                             std::span<const std::uint8_t>(testdata::kV6Syn),
                             std::span<const std::uint8_t>(testdata::kV4Data)}) {
    EXPECT_TRUE(is_well_formed(*parse(packet)));
  }
}

}  // namespace
}  // namespace tcpconform::wire
