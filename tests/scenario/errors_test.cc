// Tests of malformed scripts: each gives file:line:column, what was expected and what was found.
#include <gtest/gtest.h>

#include <string>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

using testing::parse_err;

TEST(Errors, TruncatedPacketLine) {
  const auto e =
      parse_err("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0\n+0 close(3) = 0\n");
  EXPECT_EQ(e.line, 2U);
  EXPECT_EQ(e.column, 11U);
  EXPECT_EQ(e.found, "end of line");
  EXPECT_EQ(e.to_string(),
            "t.pkt:2:11: expected '(' and the payload length (seq:end(len)), found end of line");
}

TEST(Errors, TruncatedAtEndOfFile) {
  const auto e = parse_err("+0 > S.");
  EXPECT_EQ(e.found, "end of file");
  EXPECT_EQ(e.column, 8U);
}

TEST(Errors, UnknownFlagPointsAtTheLetter) {
  const auto e = parse_err("\n\n+0 < SQ. 0:0(0) win 100\n");
  EXPECT_EQ(e.to_string(), "t.pkt:3:7: expected packet flags, found 'Q'");
}

TEST(Errors, MissingFlags) {
  EXPECT_EQ(parse_err("+0 < 0:0(0)").to_string(), "t.pkt:1:6: expected packet flags, found '0'");
}

TEST(Errors, BadOption) {
  const auto e = parse_err("+0 < S 0:0(0) win 100 <mss 1460,foo 3>");
  EXPECT_EQ(e.line, 1U);
  EXPECT_EQ(e.column, 33U);
  EXPECT_EQ(e.expected, "a TCP option");
  EXPECT_EQ(e.found, "'foo'");
}

TEST(Errors, OptionValueOutOfRange) {
  const auto e = parse_err("+0 < S 0:0(0) <mss 70000>");
  EXPECT_EQ(e.column, 20U);
  EXPECT_NE(e.message.find("at most 65535"), std::string::npos);
}

TEST(Errors, UnterminatedOptionList) {
  const auto e = parse_err("+0 < S 0:0(0) <mss 1460,nop\n+0 close(3) = 0\n");
  EXPECT_EQ(e.line, 1U);
  EXPECT_EQ(e.found, "end of line");
}

TEST(Errors, AnyOptionsOnlyOutbound) {
  const auto e = parse_err("+0 < S 0:0(0) <...>");
  EXPECT_EQ(e.column, 16U);
}

TEST(Errors, InconsistentSequenceNumbers) {
  const auto e = parse_err("+0 < . 1:1000(1000) ack 1");
  EXPECT_EQ(e.column, 8U);
  EXPECT_NE(e.message.find("should end at 1001"), std::string::npos);
}

TEST(Errors, FieldsOutOfOrder) {
  const auto e = parse_err("+0 < . 1:1(0) win 5 ack 1");
  EXPECT_EQ(e.column, 21U);
}

TEST(Errors, UnknownSyscall) {
  const auto e = parse_err("+0 frobnicate(3) = 0");
  EXPECT_EQ(e.to_string(),
            "t.pkt:1:4: expected a system call, found 'frobnicate' (unknown system call)");
}

TEST(Errors, BadErrnoName) {
  const auto e = parse_err("+0 connect(3, ..., ...) = -1 ENOTANERRNO (Nope)");
  EXPECT_EQ(e.column, 30U);
  EXPECT_EQ(e.found, "'ENOTANERRNO'");
  EXPECT_EQ(e.message, "unknown errno name");
}

TEST(Errors, ErrnoNeedsMinusOne) {
  const auto e = parse_err("+0 connect(3, ..., ...) = 0 EAGAIN (x)");
  EXPECT_NE(e.message.find("-1"), std::string::npos);
}

TEST(Errors, MissingResult) {
  const auto e = parse_err("+0 close(3)\n");
  EXPECT_EQ(e.expected, "'=' and the expected result");
  EXPECT_EQ(e.found, "end of line");
  const auto e2 = parse_err("+0 close(3) = \n");
  EXPECT_EQ(e2.expected, "the expected return value");
}

TEST(Errors, UnterminatedCommentPointsAtItsStart) {
  const auto e = parse_err("+0 close(3) = 0\n  /* never closed\n+0 close(4) = 0\n");
  EXPECT_EQ(e.line, 2U);
  EXPECT_EQ(e.column, 3U);
  EXPECT_EQ(e.to_string(), "t.pkt:2:3: unterminated comment '/*'");
}

TEST(Errors, UnterminatedBackquoteAndCode) {
  EXPECT_EQ(parse_err("`../common/defaults.sh\n").message,
            "unterminated shell command (missing closing '`') '`'");
  EXPECT_EQ(parse_err("+0 %{ assert tcpi_state == 1\n").line, 1U);
}

TEST(Errors, UnterminatedString) {
  const auto e = parse_err(
      "+0 bind(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"1.2.3.4)}, 16) = 0");
  EXPECT_NE(e.message.find("unterminated string"), std::string::npos);
}

TEST(Errors, GarbageAtStartOfLine) {
  const auto e = parse_err("hello world\n");
  EXPECT_EQ(e.column, 1U);
  EXPECT_EQ(e.found, "'hello'");
}

TEST(Errors, TrailingGarbage) {
  const auto e = parse_err("+0 close(3) = 0 extra\n");
  EXPECT_EQ(e.column, 17U);
}

TEST(Errors, BackwardsRangeAndStarOnCall) {
  EXPECT_EQ(parse_err("+0.2~+0.1 > S 0:0(0)").message, "time range is backwards");
  EXPECT_NE(parse_err("* close(3) = 0").message.find("outbound"), std::string::npos);
}

TEST(Errors, DeepNestingIsBounded) {
  std::string deep = "+0 setsockopt(3, ";
  for (int i = 0; i < 10000; ++i) deep += "[";
  const auto e = parse_err(deep);
  EXPECT_NE(e.message.find("nested deeper"), std::string::npos);
}

TEST(Errors, HugeNumbersAreRangeErrors) {
  EXPECT_FALSE(parse("+0 < . 99999999999999999999999:1(0)", "t.pkt").has_value());
  EXPECT_FALSE(parse("+99999999999999999999 close(3) = 0", "t.pkt").has_value());
  EXPECT_FALSE(parse("+0 close(3) = 99999999999999999999999", "t.pkt").has_value());
}

TEST(Errors, FileThatCannotBeRead) {
  const auto p = parse_file("/nonexistent/dir/x.pkt");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().to_string(), "/nonexistent/dir/x.pkt: cannot read the file");
}

}  // namespace
}  // namespace tcpconform::scenario
