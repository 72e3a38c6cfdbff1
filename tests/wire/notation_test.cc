// Tests of the packetdrill-style text notation: printing, parsing, errors with columns.
#include "tcpconform/wire/notation.h"

#include <gtest/gtest.h>

#include <sstream>

#include "captures.h"
#include "tcpconform/wire/codec.h"

namespace tcpconform::wire {
namespace {

Segment syn_ack() {
  return Segment{.seq = SeqNum{0},
                 .ack = SeqNum{1},
                 .flags = kSynAck,
                 .window = 65535,
                 .options = {option::Mss{1460}, option::SackPermitted{}, option::Timestamp{100, 0},
                             option::Nop{}, option::WindowScale{7}}};
}

TEST(WireNotation, PrintsSynAckLikePacketdrill) {
  EXPECT_EQ(to_notation(syn_ack()),
            "S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
}

TEST(WireNotation, ParsesSynAck) {
  auto s =
      parse_notation("S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(*s, syn_ack());
}

TEST(WireNotation, PrintsKernelCapturesWithAddresses) {
  EXPECT_EQ(to_notation_with_addresses(*parse(testdata::kV4Data)),
            "192.0.2.1:40000 > 192.0.2.2:8080: P. 2999602945:2999602963(18) ack 1000001 win 63 "
            "<nop,nop,TS val 1548524345 ecr 7000>");
  EXPECT_EQ(to_notation_with_addresses(*parse(testdata::kV6Syn)),
            "[2001:db8::1]:40001 > [2001:db8::2]:8080: S 3698705475:3698705475(0) win 64800 "
            "<mss 1440,sackOK,TS val 2557832389 ecr 0,nop,wscale 10>");
  EXPECT_EQ(to_notation(*parse(testdata::kV4Rst)), "R. 0:0(0) ack 12346 win 0");
}

TEST(WireNotation, FlagLetters) {
  EXPECT_EQ(flags_to_notation(Flags{}), "-");
  EXPECT_EQ(flags_to_notation(kFinAck | kPsh), "FP.");
  EXPECT_EQ(flags_to_notation(Flags{0x1ff}), "FSRP.UEWA");
  EXPECT_EQ(parse_notation("SEW 0:0(0) win 1")->flags,
            kSyn | Flags{Flag::kEce} | Flags{Flag::kCwr});
  EXPECT_EQ(parse_notation("- 5:5(0)")->flags, Flags{});
}

TEST(WireNotation, AckPrintedWhenNonZeroWithoutAckFlag) {
  const Segment s{.seq = SeqNum{1}, .ack = SeqNum{9}, .flags = kRst};
  EXPECT_EQ(to_notation(s), "R 1:1(0) ack 9 win 0");
  EXPECT_EQ(*parse_notation(to_notation(s)), s);
}

TEST(WireNotation, UrgentPointer) {
  const Segment s{.seq = SeqNum{1}, .flags = kUrg | kAck, .urgent = 3, .payload = {0, 0, 0}};
  EXPECT_EQ(to_notation(s), ".U 1:4(3) ack 0 win 0 urg 3");
  EXPECT_EQ(*parse_notation(to_notation(s)), s);
}

TEST(WireNotation, SequenceWrapsInEnd) {
  const Segment s{
      .seq = SeqNum{0xffff'fffeU}, .flags = kAck, .payload = std::vector<std::uint8_t>(4)};
  EXPECT_EQ(to_notation(s), ". 4294967294:2(4) ack 0 win 0");
  EXPECT_EQ(*parse_notation(to_notation(s)), s);
}

TEST(WireNotation, SackEolAndUnknownOptions) {
  const Segment s{
      .flags = kAck,
      .options = {option::Nop{}, option::Nop{},
                  option::Sack{{{SeqNum{1}, SeqNum{2}}, {SeqNum{3}, SeqNum{4}}}},
                  option::Unknown{30, {0xab, 0x01}}, option::Unknown{253, {}}, option::Eol{}}};
  const std::string text = to_notation(s);
  EXPECT_EQ(text,
            ". 0:0(0) ack 0 win 0 <nop,nop,sack 1:2 3:4,unknown-kind 30 [ab01],"
            "unknown-kind 253 [],eol>");
  EXPECT_EQ(*parse_notation(text), s);
}

TEST(WireNotation, PayloadBytesOnRequest) {
  const Segment s{.flags = kPsh | kAck, .payload = {'h', 'i'}};
  EXPECT_EQ(to_notation(s, {.payload_bytes = true}), "P. 0:2(2) ack 0 win 0 payload 6869");
  EXPECT_EQ(*parse_notation(to_notation(s, {.payload_bytes = true})), s);
  // Without the bytes, the length survives as zeros.
  EXPECT_EQ(parse_notation(to_notation(s))->payload, (std::vector<std::uint8_t>{0, 0}));
}

TEST(WireNotation, PartsInAnyOrderAndExtraSpaces) {
  auto s = parse_notation("  S.  0:0(0)  <mss 1460>  win 5   ack 1 ");
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->window, 5);
  EXPECT_EQ(s->ack, SeqNum{1});
  EXPECT_EQ(s->options, (std::vector<Option>{option::Mss{1460}}));
}

TEST(WireNotation, WithAddressesRoundTrip) {
  Segment s = *parse(testdata::kV6Synack);
  s.ttl = 64;
  auto back = parse_notation_with_addresses(to_notation_with_addresses(s));
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(*back, s);
  Segment v4 = *parse(testdata::kV4Synack);
  EXPECT_EQ(*parse_notation_with_addresses(to_notation_with_addresses(v4)), v4);
}

void expect_error(std::string_view text, std::size_t column, std::string_view needle) {
  auto s = parse_notation(text);
  ASSERT_FALSE(s.has_value()) << text;
  EXPECT_EQ(s.error().column, column) << text << ": " << s.error().to_string();
  EXPECT_NE(s.error().message.find(needle), std::string::npos) << s.error().message;
}

TEST(WireNotation, ErrorsCarryColumns) {
  expect_error("", 1, "expected flags");
  expect_error("X 0:0(0)", 1, "unknown flag 'X'");
  expect_error("SS 0:0(0)", 2, "given twice");
  expect_error("S 0 0(0)", 4, "expected ':'");
  expect_error("S 0:1(0)", 5, "is not seq");
  expect_error("S 0:0(0) win 65536", 14, "out of range");
  expect_error("S 0:0(0) win x", 14, "expected a number");
  expect_error("S 0:0(0) ack 1 ack 2", 16, "given twice");
  expect_error("S 0:0(0) <mss 1460,bogus 3>", 20, "unknown option 'bogus'");
  expect_error("S 0:0(0) <mss 1460", 19, "expected ',' or '>'");
  expect_error("S 0:0(0) <sack>", 15, "at least one sack block");
  expect_error("S 0:0(0) <TS val 1>", 19, "expected 'ecr'");
  expect_error("S 0:0(0) <unknown-kind 30 [abc]>", 30, "odd number of hex digits");
  expect_error("S 0:0(0) <unknown-kind 256 []>", 24, "out of range");
  expect_error("S 0:0(0) hello", 10, "unexpected 'hello'");
  expect_error("S 0:0(0) win 5x", 15, "unexpected 'x'");
  expect_error("P. 0:2(2) payload 01", 11, "payload has 1 bytes but len is 2");
  expect_error("S 0:0(99999999999)", 7, "out of range");
  expect_error("S 0:4000000000(4000000000)", 16, "len is out of range (max 65535)");
}

TEST(WireNotation, AddressErrors) {
  auto e = parse_notation_with_addresses("192.0.2.1:80 192.0.2.2:1: S 0:0(0)");
  ASSERT_FALSE(e.has_value());
  e = parse_notation_with_addresses("192.0.2.300:80 > 192.0.2.2:1: S 0:0(0)");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().column, 1U);
  e = parse_notation_with_addresses("192.0.2.1:80 > 192.0.2.2:70000: S 0:0(0)");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().column, 26U);
  e = parse_notation_with_addresses("192.0.2.1:80 > [2001:db8::1]:1: S 0:0(0)");
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("different IP versions"), std::string::npos);
  e = parse_notation_with_addresses("192.0.2.1:80 > 192.0.2.2:1: S 0:0(0) bad");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().column, 38U);
}

TEST(WireNotation, StreamsSegmentsForTestFailures) {
  std::ostringstream os;
  os << *parse(testdata::kV4Rst);
  EXPECT_EQ(os.str(), "192.0.2.1:81 > 192.0.2.2:4001: R. 0:0(0) ack 12346 win 0 ttl 64");
}

TEST(WireNotationError, ToString) {
  EXPECT_EQ((NotationError{5, "expected ':' after seq"}.to_string()),
            "column 5: expected ':' after seq");
}

}  // namespace
}  // namespace tcpconform::wire
