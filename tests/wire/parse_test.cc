// Tests of parse(): real kernel segments (IPv4 and IPv6) and one test per ParseErrorKind.
#include <gtest/gtest.h>

#include <vector>

#include "captures.h"
#include "tcpconform/wire/codec.h"

namespace tcpconform::wire {
namespace {

using Bytes = std::vector<std::uint8_t>;

const IpAddress kLocal4 = IpAddress::v4(192, 0, 2, 1);
const IpAddress kPeer4 = IpAddress::v4(192, 0, 2, 2);
const IpAddress kLocal6 = *IpAddress::parse("2001:db8::1");
const IpAddress kPeer6 = *IpAddress::parse("2001:db8::2");

template <std::size_t N>
Bytes bytes(const std::array<std::uint8_t, N>& a) {
  return Bytes(a.begin(), a.end());
}

// Sets the IPv4 header checksum right again after a test changed a header byte.
void fix_ipv4_checksum(Bytes& p) {
  p[10] = 0;
  p[11] = 0;
  const std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0fU) * 4;
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < ihl; i += 2) sum += static_cast<std::uint32_t>(p[i] << 8U | p[i + 1]);
  while ((sum >> 16U) != 0) sum = (sum & 0xffffU) + (sum >> 16U);
  p[10] = static_cast<std::uint8_t>(~sum >> 8U);
  p[11] = static_cast<std::uint8_t>(~sum);
}

ParseError parse_error(const Bytes& packet, ParseOptions options = {}) {
  auto result = parse(packet, options);
  EXPECT_FALSE(result.has_value());
  if (result) return ParseError{};
  return result.error();
}

TEST(WireParse, KernelSynV4) {
  auto s = parse(testdata::kV4Syn);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  const Segment expected{
      .src = kLocal4,
      .dst = kPeer4,
      .sport = 40000,
      .dport = 8080,
      .seq = SeqNum{2999602944U},
      .ack = SeqNum{0},
      .flags = kSyn,
      .window = 64240,
      .urgent = 0,
      .options = {option::Mss{1460}, option::SackPermitted{}, option::Timestamp{1548524295, 0},
                  option::Nop{}, option::WindowScale{10}},
      .payload = {},
      .ttl = 64};
  EXPECT_EQ(*s, expected);
  EXPECT_EQ(s->seg_len(), SeqLen{1});
}

TEST(WireParse, KernelAckV4) {
  auto s = parse(testdata::kV4Ack);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->flags, kAck);
  EXPECT_EQ(s->seq, SeqNum{2999602945U});
  EXPECT_EQ(s->ack, SeqNum{1000001});
  EXPECT_EQ(s->window, 63);
  EXPECT_EQ(s->options, (std::vector<Option>{option::Nop{}, option::Nop{},
                                             option::Timestamp{1548524295, 7000}}));
  EXPECT_TRUE(s->payload.empty());
}

TEST(WireParse, KernelDataV4) {
  auto s = parse(testdata::kV4Data);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->flags, kPsh | kAck);
  const std::string text = "hello, tcpconform\n";
  EXPECT_EQ(s->payload, Bytes(text.begin(), text.end()));
  EXPECT_EQ(s->seg_len(), SeqLen{18});
}

TEST(WireParse, KernelFinV4) {
  auto s = parse(testdata::kV4Fin);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->flags, kFinAck);
  EXPECT_EQ(s->seq, SeqNum{2999602963U});
  EXPECT_EQ(s->seg_len(), SeqLen{1});
}

TEST(WireParse, KernelSynAckV4) {
  auto s = parse(testdata::kV4Synack);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->flags, kSynAck);
  EXPECT_EQ(s->sport, 80);
  EXPECT_EQ(s->dport, 4000);
  EXPECT_EQ(s->ack, SeqNum{12346});
  EXPECT_EQ(s->find_option<option::Timestamp>()->ecr, 5000U);
  EXPECT_EQ(s->find_option<option::WindowScale>()->shift, 10);
}

TEST(WireParse, KernelRstV4) {
  auto s = parse(testdata::kV4Rst);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->flags, kRstAck);
  EXPECT_EQ(s->seq, SeqNum{0});
  EXPECT_EQ(s->ack, SeqNum{12346});
  EXPECT_EQ(s->window, 0);
  EXPECT_TRUE(s->options.empty());
}

TEST(WireParse, KernelSynV6) {
  auto s = parse(testdata::kV6Syn);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->src, kLocal6);
  EXPECT_EQ(s->dst, kPeer6);
  EXPECT_EQ(s->sport, 40001);
  EXPECT_EQ(s->flags, kSyn);
  EXPECT_EQ(s->find_option<option::Mss>()->value, 1440);
  EXPECT_EQ(s->ttl, 64);
}

TEST(WireParse, KernelSynAckV6) {
  auto s = parse(testdata::kV6Synack);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->src, kLocal6);
  EXPECT_EQ(s->flags, kSynAck);
  EXPECT_EQ(s->ack, SeqNum{778});
}

TEST(WireParse, EmptyPacketIsTruncated) {
  const ParseError e = parse_error(Bytes{});
  EXPECT_EQ(e.kind, ParseErrorKind::kTruncated);
  EXPECT_EQ(e.field, "ip.version");
}

TEST(WireParse, EveryPrefixOfEveryCaptureIsRejectedWithoutOverread) {
  // Under ASan this also proves no read beyond the buffer: each prefix is a fresh exact copy.
  for (const Bytes& full : {bytes(testdata::kV4Syn), bytes(testdata::kV4Data),
                            bytes(testdata::kV6Syn), bytes(testdata::kV6Synack)}) {
    for (std::size_t n = 0; n < full.size(); ++n) {
      const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      auto result = parse(prefix);
      ASSERT_FALSE(result.has_value()) << n;
      EXPECT_EQ(result.error().kind, ParseErrorKind::kTruncated) << n << result.error().to_string();
    }
  }
}

TEST(WireParse, TruncatedIpv4Header) {
  const ParseError e = parse_error(Bytes{0x45, 0, 0, 20});
  EXPECT_EQ(e.kind, ParseErrorKind::kTruncated);
  EXPECT_EQ(e.field, "ipv4.header");
}

TEST(WireParse, TruncatedTotalLength) {
  Bytes p = bytes(testdata::kV4Syn);
  p.pop_back();
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kTruncated);
  EXPECT_EQ(e.field, "ipv4.total_length");
  EXPECT_EQ(e.offset, 2U);
}

TEST(WireParse, TruncatedTcpHeader) {
  Bytes p = bytes(testdata::kV4Rst);
  p.resize(30);
  p[3] = 30;
  fix_ipv4_checksum(p);
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kTruncated);
  EXPECT_EQ(e.field, "tcp.header");
  EXPECT_EQ(e.offset, 20U);
}

TEST(WireParse, TruncatedIpv6PayloadLength) {
  Bytes p = bytes(testdata::kV6Syn);
  p.resize(p.size() - 1);
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kTruncated);
  EXPECT_EQ(e.field, "ipv6.payload_length");
}

TEST(WireParse, BadVersion) {
  Bytes p = bytes(testdata::kV4Syn);
  p[0] = 0x55;
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kBadVersion);
  EXPECT_EQ(e.field, "ip.version");
}

TEST(WireParse, BadIpHeaderLengthBelowFive) {
  Bytes p = bytes(testdata::kV4Syn);
  p[0] = 0x44;
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kBadIpHeaderLength);
  EXPECT_EQ(e.field, "ipv4.ihl");
}

TEST(WireParse, BadIpHeaderLengthBeyondPacket) {
  Bytes p = bytes(testdata::kV4Rst);
  p.resize(24);
  p[3] = 24;
  p[0] = 0x4f;  // 60 bytes of header in a 24-byte packet
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kBadIpHeaderLength);
}

TEST(WireParse, Ipv4OptionsAreSkipped) {
  // A header of 24 bytes: one NOP and an EOL-padded IP option area before TCP.
  Bytes p = bytes(testdata::kV4Rst);
  p.insert(p.begin() + 20, {1, 0, 0, 0});
  p[0] = 0x46;
  p[3] = static_cast<std::uint8_t>(p.size());
  fix_ipv4_checksum(p);
  auto s = parse(p);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(*s, *parse(testdata::kV4Rst));
}

TEST(WireParse, TrailingBytesBeyondTotalLength) {
  Bytes p = bytes(testdata::kV4Rst);
  p.push_back(0);
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kBadTotalLength);
  EXPECT_EQ(e.field, "ipv4.total_length");
}

TEST(WireParse, TotalLengthBelowHeaderLength) {
  Bytes p = bytes(testdata::kV4Rst);
  p[2] = 0;
  p[3] = 19;
  fix_ipv4_checksum(p);
  EXPECT_EQ(parse_error(p).kind, ParseErrorKind::kBadTotalLength);
}

TEST(WireParse, Ipv6TrailingBytes) {
  Bytes p = bytes(testdata::kV6Syn);
  p.push_back(0);
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kBadTotalLength);
  EXPECT_EQ(e.field, "ipv6.payload_length");
}

TEST(WireParse, NotTcpV4) {
  Bytes p = bytes(testdata::kV4Rst);
  p[9] = 17;  // UDP
  fix_ipv4_checksum(p);
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kNotTcp);
  EXPECT_EQ(e.field, "ipv4.protocol");
  EXPECT_EQ(e.offset, 9U);
}

TEST(WireParse, NotTcpV6) {
  Bytes p = bytes(testdata::kV6Syn);
  p[6] = 58;  // ICMPv6
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kNotTcp);
  EXPECT_EQ(e.field, "ipv6.next_header");
}

TEST(WireParse, Ipv6ExtensionHeaderIsReported) {
  for (const std::uint8_t next : {std::uint8_t{0}, std::uint8_t{43}, std::uint8_t{60}}) {
    Bytes p = bytes(testdata::kV6Syn);
    p[6] = next;
    const ParseError e = parse_error(p);
    EXPECT_EQ(e.kind, ParseErrorKind::kIpv6ExtensionHeader) << int{next};
    EXPECT_EQ(e.offset, 6U);
  }
}

TEST(WireParse, Ipv6FragmentHeader) {
  Bytes p = bytes(testdata::kV6Syn);
  p[6] = 44;
  EXPECT_EQ(parse_error(p).kind, ParseErrorKind::kFragment);
}

TEST(WireParse, Ipv4MoreFragments) {
  Bytes p = bytes(testdata::kV4Rst);
  p[6] = 0x20;  // MF, offset 0
  fix_ipv4_checksum(p);
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kFragment);
  EXPECT_EQ(e.field, "ipv4.fragment");
}

TEST(WireParse, Ipv4FragmentOffset) {
  Bytes p = bytes(testdata::kV4Rst);
  p[6] = 0x40;  // DF
  p[7] = 0x01;  // offset 8 bytes
  fix_ipv4_checksum(p);
  EXPECT_EQ(parse_error(p).kind, ParseErrorKind::kFragment);
}

TEST(WireParse, BadIpChecksum) {
  Bytes p = bytes(testdata::kV4Syn);
  p[11] ^= 1U;
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kBadIpChecksum);
  EXPECT_EQ(e.field, "ipv4.checksum");
  EXPECT_EQ(e.offset, 10U);
  EXPECT_TRUE(parse(p, ParseOptions{.verify_checksums = false}).has_value());
}

TEST(WireParse, BadTcpChecksum) {
  Bytes p = bytes(testdata::kV6Synack);
  p[40 + 17] ^= 0x80U;
  const ParseError e = parse_error(p);
  EXPECT_EQ(e.kind, ParseErrorKind::kBadTcpChecksum);
  EXPECT_EQ(e.field, "tcp.checksum");
  EXPECT_EQ(e.offset, 56U);
  EXPECT_TRUE(parse(p, ParseOptions{.verify_checksums = false}).has_value());
}

TEST(WireParse, TcpChecksumCoversPayload) {
  Bytes p = bytes(testdata::kV4Data);
  p.back() ^= 0x01U;
  EXPECT_EQ(parse_error(p).kind, ParseErrorKind::kBadTcpChecksum);
}

TEST(WireParse, DataOffsetBelowFive) {
  Bytes p = bytes(testdata::kV4Rst);
  p[32] = 0x40;
  const ParseError e = parse_error(p, ParseOptions{.verify_checksums = false});
  EXPECT_EQ(e.kind, ParseErrorKind::kBadDataOffset);
  EXPECT_EQ(e.field, "tcp.data_offset");
  EXPECT_EQ(e.offset, 32U);
}

TEST(WireParse, DataOffsetBeyondSegment) {
  Bytes p = bytes(testdata::kV4Rst);
  p[32] = 0x60;  // 24 bytes of header in a 20-byte segment
  const ParseError e = parse_error(p, ParseOptions{.verify_checksums = false});
  EXPECT_EQ(e.kind, ParseErrorKind::kBadDataOffset);
}

TEST(WireParse, BadOptionLengthNamesTheOption) {
  Bytes p = bytes(testdata::kV4Syn);
  p[40 + 7] = 9;  // the timestamp option (index 2) claims 9 bytes instead of 10
  const ParseError e = parse_error(p, ParseOptions{.verify_checksums = false});
  EXPECT_EQ(e.kind, ParseErrorKind::kBadOptionLength);
  EXPECT_EQ(e.field, "tcp.option[2].length");
  EXPECT_EQ(e.offset, 47U);
}

TEST(WireParse, ChecksumIsCheckedBeforeOptions) {
  Bytes p = bytes(testdata::kV4Syn);
  p[40 + 7] = 9;
  EXPECT_EQ(parse_error(p).kind, ParseErrorKind::kBadTcpChecksum);
}

TEST(WireParse, AeFlagAndReservedBits) {
  Bytes p = bytes(testdata::kV4Rst);
  p[32] = 0x5f;  // three reserved bits set (ignored) and AE
  auto s = parse(p, ParseOptions{.verify_checksums = false});
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->flags.has(Flag::kAe));
  EXPECT_EQ(s->flags, kRstAck | Flags{Flag::kAe});
}

TEST(WireParseError, ToStringNamesKindFieldAndOffset) {
  const ParseError e{.kind = ParseErrorKind::kBadDataOffset,
                     .offset = 32,
                     .field = "tcp.data_offset",
                     .message = "data offset 16 bytes is below the minimum 20"};
  EXPECT_EQ(e.to_string(),
            "bad TCP data offset at byte 32 (tcp.data_offset): data offset 16 bytes is below the "
            "minimum 20");
}

}  // namespace
}  // namespace tcpconform::wire
