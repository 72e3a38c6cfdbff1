// Sequence numbers as points and lengths in the 2^32 circle (RFC 9293 §3.4); no total order.
#pragma once

#include <compare>
#include <cstdint>

namespace tcpconform::wire {

// A distance in sequence space. Lengths add and compare as plain unsigned numbers.
struct SeqLen {
  std::uint32_t value = 0;

  friend constexpr bool operator==(SeqLen, SeqLen) = default;
  friend constexpr auto operator<=>(SeqLen, SeqLen) = default;
  friend constexpr SeqLen operator+(SeqLen a, SeqLen b) { return SeqLen{a.value + b.value}; }
  friend constexpr SeqLen operator-(SeqLen a, SeqLen b) { return SeqLen{a.value - b.value}; }
};

// A point in sequence space. Points compare only modulo 2^32 through lt/le/gt/ge, which are
// meaningful only for points less than 2^31 apart; there is deliberately no operator<.
struct SeqNum {
  std::uint32_t value = 0;

  friend constexpr bool operator==(SeqNum, SeqNum) = default;
  friend constexpr SeqNum operator+(SeqNum a, SeqLen d) { return SeqNum{a.value + d.value}; }
  friend constexpr SeqNum operator-(SeqNum a, SeqLen d) { return SeqNum{a.value - d.value}; }
  // The forward distance from b to a (a - b modulo 2^32).
  friend constexpr SeqLen operator-(SeqNum a, SeqNum b) { return SeqLen{a.value - b.value}; }
  constexpr SeqNum& operator+=(SeqLen d) {
    value += d.value;
    return *this;
  }
};

constexpr bool lt(SeqNum a, SeqNum b) {
  return static_cast<std::int32_t>(a.value - b.value) < 0;
}
constexpr bool le(SeqNum a, SeqNum b) {
  return lt(a, b) || a == b;
}
constexpr bool gt(SeqNum a, SeqNum b) {
  return lt(b, a);
}
constexpr bool ge(SeqNum a, SeqNum b) {
  return le(b, a);
}

// left <= x < left + size (modulo 2^32); an empty window contains nothing.
constexpr bool in_window(SeqNum x, SeqNum left, SeqLen size) {
  return (x - left).value < size.value;
}

// The later / earlier of two points (modulo 2^32).
constexpr SeqNum seq_max(SeqNum a, SeqNum b) {
  return lt(a, b) ? b : a;
}
constexpr SeqNum seq_min(SeqNum a, SeqNum b) {
  return lt(a, b) ? a : b;
}

}  // namespace tcpconform::wire
