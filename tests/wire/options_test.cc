// Tests of TCP option encoding and decoding: typed kinds, unknown kinds, padding, malformed lists.
#include "tcpconform/wire/options.h"

#include <gtest/gtest.h>

#include <vector>

#include "captures.h"

namespace tcpconform::wire {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes encode(const std::vector<Option>& options) {
  Bytes out;
  encode_options(options, out);
  return out;
}

TEST(WireOptions, DecodesKernelSynOptions) {
  const auto area = std::span(testdata::kV4Syn).subspan(40, 20);
  auto decoded = decode_options(area, 40);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
  const std::vector<Option> expected{option::Mss{1460}, option::SackPermitted{},
                                     option::Timestamp{1548524295, 0}, option::Nop{},
                                     option::WindowScale{10}};
  EXPECT_EQ(*decoded, expected);
  EXPECT_EQ(encode(expected), Bytes(area.begin(), area.end()));
}

TEST(WireOptions, EncodesSackBlocks) {
  const std::vector<Option> options{
      option::Nop{}, option::Nop{},
      option::Sack{{{SeqNum{1}, SeqNum{2}}, {SeqNum{0xffff'ffffU}, SeqNum{4}}}}};
  const Bytes expected{1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4};
  EXPECT_EQ(encode(options), expected);
  EXPECT_EQ(*decode_options(expected), options);
}

TEST(WireOptions, PadsWithZerosToFourBytes) {
  EXPECT_EQ(encode({option::SackPermitted{}}), (Bytes{4, 2, 0, 0}));
  EXPECT_EQ(encode({option::WindowScale{7}}), (Bytes{3, 3, 7, 0}));
  EXPECT_EQ(encode({}), Bytes{});
  EXPECT_EQ(padded_size(std::vector<Option>{option::WindowScale{7}}), 4U);
}

TEST(WireOptions, PaddingAfterUnalignedEndIsNotAnOption) {
  auto decoded = decode_options(Bytes{4, 2, 0, 0});
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, (std::vector<Option>{option::SackPermitted{}}));
}

TEST(WireOptions, EolAtFourByteBoundaryIsKept) {
  const std::vector<Option> options{option::Mss{536}, option::Eol{}};
  const Bytes bytes{2, 4, 2, 24, 0, 0, 0, 0};
  EXPECT_EQ(encode(options), bytes);
  EXPECT_EQ(*decode_options(bytes), options);
  EXPECT_EQ(*decode_options(Bytes{0, 0, 0, 0}), (std::vector<Option>{option::Eol{}}));
}

TEST(WireOptions, BytesAfterEolAreIgnored) {
  // RFC 9293 §3.2: EOL ends the list; whatever follows, even non-zero, is padding.
  auto decoded = decode_options(Bytes{1, 0, 2, 99});
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, (std::vector<Option>{option::Nop{}}));
}

TEST(WireOptions, UnknownKindKeepsItsBytes) {
  const Bytes bytes{30, 6, 0xde, 0xad, 0xbe, 0xef, 1, 1};
  auto decoded = decode_options(bytes);
  ASSERT_TRUE(decoded.has_value());
  const std::vector<Option> expected{option::Unknown{30, {0xde, 0xad, 0xbe, 0xef}}, option::Nop{},
                                     option::Nop{}};
  EXPECT_EQ(*decoded, expected);
  EXPECT_EQ(encode(expected), bytes);
}

TEST(WireOptions, UnknownKindWithEmptyBody) {
  const Bytes bytes{254, 2, 1, 1};
  EXPECT_EQ(*decode_options(bytes),
            (std::vector<Option>{option::Unknown{254, {}}, option::Nop{}, option::Nop{}}));
}

void expect_length_error(const Bytes& bytes, std::string_view field, std::size_t offset) {
  auto decoded = decode_options(bytes, 40);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().kind, ParseErrorKind::kBadOptionLength);
  EXPECT_EQ(decoded.error().field, field);
  EXPECT_EQ(decoded.error().offset, offset);
}

TEST(WireOptions, MissingLengthByteIsAnError) {
  expect_length_error(Bytes{1, 1, 1, 2}, "tcp.option[3].length", 44);
}

TEST(WireOptions, LengthBelowTwoIsAnError) {
  expect_length_error(Bytes{30, 0, 0, 0}, "tcp.option[0].length", 41);
  expect_length_error(Bytes{1, 30, 1, 0}, "tcp.option[1].length", 42);
}

TEST(WireOptions, LengthOverrunningTheAreaIsAnError) {
  expect_length_error(Bytes{1, 30, 4, 0}, "tcp.option[1].length", 42);
  expect_length_error(Bytes{8, 10, 0, 0, 0, 0, 0, 0}, "tcp.option[0].length", 41);
}

TEST(WireOptions, WrongFixedLengthIsAnErrorNotAGuess) {
  expect_length_error(Bytes{2, 3, 5, 0}, "tcp.option[0].length", 41);  // MSS
  expect_length_error(Bytes{2, 6, 5, 180, 0, 0, 0, 0}, "tcp.option[0].length", 41);
  expect_length_error(Bytes{1, 3, 4, 7}, "tcp.option[1].length", 42);              // wscale
  expect_length_error(Bytes{4, 3, 0, 0}, "tcp.option[0].length", 41);              // sackOK
  expect_length_error(Bytes{8, 8, 0, 0, 0, 0, 0, 0}, "tcp.option[0].length", 41);  // TS
}

TEST(WireOptions, SackLengthMustBeTwoPlusEightN) {
  expect_length_error(Bytes{5, 2, 0, 0}, "tcp.option[0].length", 41);
  expect_length_error(Bytes{5, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "tcp.option[0].length", 41);
  EXPECT_TRUE(decode_options(Bytes{5, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).has_value());
}

TEST(WireOptions, CanonicalFormRules) {
  EXPECT_TRUE(is_canonical(std::vector<Option>{}));
  EXPECT_TRUE(is_canonical(std::vector<Option>{option::Mss{1}, option::Eol{}}));
  EXPECT_FALSE(is_canonical(std::vector<Option>{option::Nop{}, option::Eol{}}));
  EXPECT_FALSE(is_canonical(std::vector<Option>{option::Eol{}, option::Nop{}}));
  EXPECT_FALSE(is_canonical(std::vector<Option>{option::Sack{}}));
  EXPECT_FALSE(is_canonical(std::vector<Option>{option::Unknown{2, {0, 1}}}));
  EXPECT_FALSE(is_canonical(std::vector<Option>{option::Unknown{30, Bytes(39, 0)}}));
  EXPECT_TRUE(is_canonical(std::vector<Option>{option::Unknown{30, Bytes(38, 0)}}));
}

TEST(WireOptions, SizesAndKinds) {
  EXPECT_EQ(encoded_size(Option{option::Timestamp{}}), 10U);
  EXPECT_EQ(encoded_size(Option{option::Sack{{{}, {}, {}}}}), 26U);
  EXPECT_EQ(encoded_size(Option{option::Unknown{99, {1, 2, 3}}}), 5U);
  EXPECT_EQ(option_kind_of(option::Unknown{99, {}}), 99);
  EXPECT_EQ(option_kind_of(option::Timestamp{}), option_kind::kTimestamp);
}

}  // namespace
}  // namespace tcpconform::wire
