// A small deterministic PRNG (splitmix64) owned by its caller: no global state, same seed → same
// sequence on every platform.
#pragma once

#include <cstdint>

namespace tcpconform::engine::explore {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  // The next 64 random bits (Steele, Lea, Flood: "Fast splittable pseudorandom number
  // generators", the splitmix64 finaliser).
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
  }
  // Uniform in [0, n); n must be > 0. (Modulo bias is irrelevant for test generation.)
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // True with probability percent/100.
  bool chance(unsigned percent) { return below(100) < percent; }
  // A uniformly chosen element of a non-empty array.
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

// Mixes two values into one seed (the seed of worker `b` of campaign `a`, of program `b` …).
inline std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  Rng r(a ^ (b * 0xd1342543de82ef95ULL));
  return r.next();
}

}  // namespace tcpconform::engine::explore
