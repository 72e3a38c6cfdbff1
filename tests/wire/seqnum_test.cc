// Tests of SeqNum/SeqLen: modular comparison and arithmetic across the 2^32 wrap.
#include "tcpconform/wire/seqnum.h"

#include <gtest/gtest.h>

namespace tcpconform::wire {
namespace {

constexpr SeqNum kNearWrap{0xffff'fff0U};

TEST(WireSeqNum, AdditionWrapsModulo2To32) {
  EXPECT_EQ(kNearWrap + SeqLen{0x20}, SeqNum{0x10});
  EXPECT_EQ(SeqNum{0x10} - SeqLen{0x20}, kNearWrap);
}

TEST(WireSeqNum, DifferenceIsForwardDistance) {
  EXPECT_EQ(SeqNum{0x10} - kNearWrap, SeqLen{0x20});
  EXPECT_EQ(kNearWrap - SeqNum{0x10}, SeqLen{0xffff'ffe0U});
}

TEST(WireSeqNum, LessThanAcrossWrap) {
  EXPECT_TRUE(lt(kNearWrap, SeqNum{0x10}));
  EXPECT_FALSE(lt(SeqNum{0x10}, kNearWrap));
  EXPECT_TRUE(gt(SeqNum{0x10}, kNearWrap));
  EXPECT_TRUE(le(kNearWrap, kNearWrap));
  EXPECT_FALSE(lt(kNearWrap, kNearWrap));
  EXPECT_TRUE(ge(kNearWrap, kNearWrap));
}

TEST(WireSeqNum, ComparisonAtHalfCircleIsAntisymmetricOneWay) {
  // Points exactly 2^31 apart: int32(a - b) is INT32_MIN for both orders, so each is "less".
  // Callers must keep compared points closer than 2^31 (RFC 9293 §3.4).
  const SeqNum a{0};
  const SeqNum b{0x8000'0000U};
  EXPECT_TRUE(lt(a, b));
  EXPECT_TRUE(lt(b, a));
}

TEST(WireSeqNum, InWindowAcrossWrap) {
  EXPECT_TRUE(in_window(kNearWrap, kNearWrap, SeqLen{0x20}));
  EXPECT_TRUE(in_window(SeqNum{0x0f}, kNearWrap, SeqLen{0x20}));
  EXPECT_FALSE(in_window(SeqNum{0x10}, kNearWrap, SeqLen{0x20}));
  EXPECT_FALSE(in_window(SeqNum{0xffff'ffefU}, kNearWrap, SeqLen{0x20}));
}

TEST(WireSeqNum, EmptyWindowContainsNothing) {
  EXPECT_FALSE(in_window(kNearWrap, kNearWrap, SeqLen{0}));
}

TEST(WireSeqNum, MaxAndMinAcrossWrap) {
  EXPECT_EQ(seq_max(kNearWrap, SeqNum{5}), SeqNum{5});
  EXPECT_EQ(seq_min(kNearWrap, SeqNum{5}), kNearWrap);
}

TEST(WireSeqNum, CompoundAddition) {
  SeqNum s = kNearWrap;
  s += SeqLen{0x11};
  EXPECT_EQ(s, SeqNum{1});
}

TEST(WireSeqLen, AddsAndSubtracts) {
  EXPECT_EQ(SeqLen{3} + SeqLen{4}, SeqLen{7});
  EXPECT_EQ(SeqLen{3} - SeqLen{4}, SeqLen{0xffff'ffffU});
  EXPECT_LT(SeqLen{3}, SeqLen{4});
}

}  // namespace
}  // namespace tcpconform::wire
