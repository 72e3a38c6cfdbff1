// Tests of IpAddress and Endpoint: construction, parsing and printing.
#include "tcpconform/wire/address.h"

#include <gtest/gtest.h>

namespace tcpconform::wire {
namespace {

TEST(WireIpAddress, V4FillsFirstFourBytes) {
  const IpAddress a = IpAddress::v4(192, 0, 2, 1);
  EXPECT_EQ(a.version, IpVersion::kV4);
  EXPECT_EQ(a.bytes[0], 192);
  EXPECT_EQ(a.bytes[3], 1);
  EXPECT_EQ(a.bytes[4], 0);
  EXPECT_EQ(a.to_string(), "192.0.2.1");
}

TEST(WireIpAddress, ParsesV4) {
  auto a = IpAddress::parse("192.0.2.200");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(*a, IpAddress::v4(192, 0, 2, 200));
}

TEST(WireIpAddress, ParsesV6AndPrintsCompressed) {
  auto a = IpAddress::parse("2001:0db8:0:0:0:0:0:1");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->version, IpVersion::kV6);
  EXPECT_EQ(a->bytes[0], 0x20);
  EXPECT_EQ(a->bytes[15], 1);
  EXPECT_EQ(a->to_string(), "2001:db8::1");
}

TEST(WireIpAddress, RejectsGarbage) {
  EXPECT_FALSE(IpAddress::parse("").has_value());
  EXPECT_FALSE(IpAddress::parse("192.0.2").has_value());
  EXPECT_FALSE(IpAddress::parse("192.0.2.256").has_value());
  EXPECT_FALSE(IpAddress::parse("2001:db8:::1").has_value());
  EXPECT_FALSE(IpAddress::parse(std::string(200, '1')).has_value());
}

TEST(WireEndpoint, PrintsV4AndBracketedV6) {
  EXPECT_EQ((Endpoint{IpAddress::v4(192, 0, 2, 1), 8080}.to_string()), "192.0.2.1:8080");
  EXPECT_EQ((Endpoint{*IpAddress::parse("2001:db8::1"), 80}.to_string()), "[2001:db8::1]:80");
}

TEST(WireFourTuple, ReversedSwapsEnds) {
  const FourTuple t{Endpoint{IpAddress::v4(192, 0, 2, 1), 1},
                    Endpoint{IpAddress::v4(192, 0, 2, 2), 2}};
  EXPECT_EQ(t.reversed().local, t.remote);
  EXPECT_EQ(t.reversed().reversed(), t);
}

}  // namespace
}  // namespace tcpconform::wire
