// Laws of sequence-number arithmetic across the 2^32 wrap (RFC 9293 §3.4).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tcpconform/wire/seqnum.h"
#include "wire/segment_gen.h"

namespace tcpconform::wire {
namespace {

// A non-zero distance below 2^31, where lt is meaningful.
rc::Gen<SeqLen> short_len() {
  return rc::gen::map(rc::gen::inRange<std::uint32_t>(1, 0x8000'0000U),
                      [](std::uint32_t v) { return SeqLen{v}; });
}

RC_GTEST_PROP(WireSeqNum, AddThenSubtractIsIdentity, (SeqNum a, SeqLen d)) {
  RC_ASSERT((a + d) - d == a);
  RC_ASSERT((a + d) - a == d);
}

RC_GTEST_PROP(WireSeqNum, AdditionIsAssociative, (SeqNum a, SeqLen d, SeqLen e)) {
  RC_ASSERT((a + d) + e == a + (d + e));
}

RC_GTEST_PROP(WireSeqNum, AddingAShortLengthMovesForward, (SeqNum a)) {
  const SeqLen d = *short_len();
  RC_ASSERT(lt(a, a + d));
  RC_ASSERT(gt(a + d, a));
  RC_ASSERT(!lt(a + d, a));
  RC_ASSERT(le(a, a + d));
  RC_ASSERT(!ge(a, a + d));
  RC_ASSERT(seq_max(a, a + d) == a + d);
  RC_ASSERT(seq_min(a, a + d) == a);
}

RC_GTEST_PROP(WireSeqNum, LessThanIsIrreflexiveAndLeReflexive, (SeqNum a)) {
  RC_ASSERT(!lt(a, a));
  RC_ASSERT(le(a, a));
  RC_ASSERT(ge(a, a));
}

RC_GTEST_PROP(WireSeqNum, ExactlyOneOrderForDistinctPointsCloserThanHalf, (SeqNum a)) {
  const SeqNum b = a + *short_len();
  RC_ASSERT(lt(a, b) != lt(b, a));
}

RC_GTEST_PROP(WireSeqNum, TransitiveWithinAHalfCircle, (SeqNum a)) {
  // a < b < c when both steps together stay below 2^31.
  const auto d = *rc::gen::inRange<std::uint32_t>(1, 0x4000'0000U);
  const auto e = *rc::gen::inRange<std::uint32_t>(1, 0x4000'0000U);
  const SeqNum b = a + SeqLen{d};
  const SeqNum c = b + SeqLen{e};
  RC_ASSERT(lt(a, b) && lt(b, c) && lt(a, c));
}

RC_GTEST_PROP(WireSeqNum, InWindowMatchesDistance, (SeqNum left, SeqLen size, SeqLen d)) {
  RC_ASSERT(in_window(left + d, left, size) == (d.value < size.value));
}

RC_GTEST_PROP(WireSeqNum, ComparisonIsTranslationInvariant, (SeqNum a, SeqNum b, SeqLen shift)) {
  RC_ASSERT(lt(a, b) == lt(a + shift, b + shift));
  RC_ASSERT(in_window(a, b, SeqLen{100}) == in_window(a + shift, b + shift, SeqLen{100}));
}

}  // namespace
}  // namespace tcpconform::wire
