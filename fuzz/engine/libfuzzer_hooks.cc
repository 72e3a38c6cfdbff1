// libFuzzer entry points shared by the explore targets (compiled into each target, not into a
// library, so the linker keeps them): the test function, the step-level custom mutator and
// crossover, and the transition counters libFuzzer reads as extra coverage.
#include "libfuzzer_hooks.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "case_codec.h"
#include "case_mutator.h"
#include "transitions.h"

// libFuzzer treats every byte of this section as an 8-bit coverage counter (cleared before each
// input): one per (state × event class × rule) transition, so an input that reaches a new
// transition, or reaches one more often, is kept even when it runs no new code.
__attribute__((
    section("__libfuzzer_extra_counters"),
    used)) static std::uint8_t transition_counters[tcpconform::explore_steps::kTransitionCount];

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tcpconform::explore_steps::run_input(tcpconform::explore_steps::target_driver(),
                                       std::span<const std::uint8_t>(data, size),
                                       std::span<std::uint8_t>(transition_counters));
  return 0;
}

namespace {

std::size_t emit(const tcpconform::explore_steps::Case& c, std::uint8_t* data,
                 std::size_t max_size) {
  tcpconform::explore_steps::Case fitted = c;
  std::vector<std::uint8_t> out = encode(fitted);
  while (out.size() > max_size && !fitted.steps.empty()) {  // too long: drop steps from the end
    fitted.steps.pop_back();
    out = encode(fitted);
  }
  if (out.size() > max_size) return 0;
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  using namespace tcpconform::explore_steps;
  const Case c = decode(std::span<const std::uint8_t>(data, size));
  return emit(mutate(c, seed, 1 + seed % 3), data, max_size);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                 const std::uint8_t* data2, std::size_t size2,
                                                 std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned int seed) {
  using namespace tcpconform::explore_steps;
  const Case a = decode(std::span<const std::uint8_t>(data1, size1));
  const Case b = decode(std::span<const std::uint8_t>(data2, size2));
  return emit(crossover(a, b, seed), out, max_out_size);
}
