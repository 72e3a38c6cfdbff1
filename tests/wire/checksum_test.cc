// Tests of the Internet checksum and the TCP pseudo-header checksums, edge cases included.
#include "tcpconform/wire/checksum.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "captures.h"
#include "tcpconform/wire/codec.h"

namespace tcpconform::wire {
namespace {

std::uint16_t field16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8U | b[at + 1]);
}

TEST(WireChecksum, Rfc1071Example) {
  // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (after the end-around carry).
  const std::array<std::uint8_t, 8> data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_fold(checksum_add(0, data)), 0xddf2);
  EXPECT_EQ(internet_checksum(data), 0x220d);
}

TEST(WireChecksum, OddLengthPadsLastByteWithZero) {
  const std::array<std::uint8_t, 3> odd{0x12, 0x34, 0x56};
  const std::array<std::uint8_t, 4> even{0x12, 0x34, 0x56, 0x00};
  EXPECT_EQ(internet_checksum(odd), internet_checksum(even));
  EXPECT_EQ(internet_checksum(std::array<std::uint8_t, 1>{0x01}), 0xfeff);
}

TEST(WireChecksum, CarryWrapsAround) {
  const std::array<std::uint8_t, 4> data{0xff, 0xff, 0x00, 0x01};
  // 0xffff + 0x0001 = 0x10000, folds to 0x0001.
  EXPECT_EQ(checksum_fold(checksum_add(0, data)), 0x0001);
  EXPECT_EQ(internet_checksum(data), 0xfffe);
}

TEST(WireChecksum, ManyCarriesFold) {
  const std::vector<std::uint8_t> data(70000, 0xff);
  // A sum of 0xffff words is 0xffff (negative zero) however many there are.
  EXPECT_EQ(checksum_fold(checksum_add(0, data)), 0xffff);
  EXPECT_EQ(internet_checksum(data), 0x0000);
}

TEST(WireChecksum, AllZeroDataGivesFfff) {
  const std::array<std::uint8_t, 6> zeros{};
  EXPECT_EQ(internet_checksum(zeros), 0xffff);
  EXPECT_EQ(internet_checksum(std::span<const std::uint8_t>{}), 0xffff);
}

TEST(WireChecksum, ChainedAddsEqualOneAdd) {
  const std::array<std::uint8_t, 8> data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  const std::uint32_t chained =
      checksum_add(checksum_add(0, std::span(data).first(4)), std::span(data).subspan(4));
  EXPECT_EQ(checksum_fold(chained), checksum_fold(checksum_add(0, data)));
}

TEST(WireChecksum, KernelIpv4HeaderVerifies) {
  EXPECT_EQ(internet_checksum(std::span(testdata::kV4Syn).first(20)), 0);
  EXPECT_EQ(internet_checksum(std::span(testdata::kV4Rst).first(20)), 0);
}

TEST(WireChecksum, KernelTcpChecksumsVerifyV4AndV6) {
  const auto v4 = std::span<const std::uint8_t>(testdata::kV4Data);
  EXPECT_EQ(tcp_checksum(IpAddress::v4(192, 0, 2, 1), IpAddress::v4(192, 0, 2, 2), v4.subspan(20)),
            0);
  const auto v6 = std::span<const std::uint8_t>(testdata::kV6Syn);
  const IpAddress src = *IpAddress::parse("2001:db8::1");
  const IpAddress dst = *IpAddress::parse("2001:db8::2");
  EXPECT_EQ(tcp_checksum(src, dst, v6.subspan(40)), 0);
}

TEST(WireChecksum, TcpChecksumComputedWithZeroedFieldMatchesKernel) {
  std::vector<std::uint8_t> tcp(testdata::kV4Syn.begin() + 20, testdata::kV4Syn.end());
  const std::uint16_t kernel = field16(tcp, 16);
  tcp[16] = 0;
  tcp[17] = 0;
  EXPECT_EQ(tcp_checksum(IpAddress::v4(192, 0, 2, 1), IpAddress::v4(192, 0, 2, 2), tcp), kernel);
}

TEST(WireChecksum, PseudoHeaderDependsOnAddressesAndLength) {
  const IpAddress a = IpAddress::v4(192, 0, 2, 1);
  const IpAddress b = IpAddress::v4(192, 0, 2, 2);
  EXPECT_NE(checksum_fold(pseudo_header_sum(a, b, 20)), checksum_fold(pseudo_header_sum(a, b, 21)));
  EXPECT_NE(checksum_fold(pseudo_header_sum(a, a, 20)), checksum_fold(pseudo_header_sum(a, b, 20)));
  // Swapping source and destination does not change a one's-complement sum.
  EXPECT_EQ(pseudo_header_sum(a, b, 20), pseudo_header_sum(b, a, 20));
}

// A segment whose TCP checksum computes to 0x0000: the urgent pointer is chosen to cancel the
// rest of the sum. Transmitted as 0x0000; 0xffff is its one's-complement twin and also verifies.
std::vector<std::uint8_t> packet_with_zero_tcp_checksum() {
  Segment s{.src = IpAddress::v4(192, 0, 2, 1),
            .dst = IpAddress::v4(192, 0, 2, 2),
            .sport = 1234,
            .dport = 80,
            .seq = SeqNum{1},
            .flags = kAck};
  const auto first = emit(s);
  s.urgent = field16(first, 36);  // adding the checksum into the sum makes it 0xffff
  return emit(s);
}

TEST(WireChecksum, ZeroTcpChecksumIsTransmittedAsZero) {
  const auto packet = packet_with_zero_tcp_checksum();
  EXPECT_EQ(field16(packet, 36), 0x0000);
  EXPECT_TRUE(parse(packet).has_value());
}

TEST(WireChecksum, FfffIsAcceptedAsZeroTcpChecksum) {
  auto packet = packet_with_zero_tcp_checksum();
  packet[36] = 0xff;
  packet[37] = 0xff;
  EXPECT_TRUE(parse(packet).has_value());
}

}  // namespace
}  // namespace tcpconform::wire
