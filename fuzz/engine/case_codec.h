// Fuzz inputs: a target state, a prefix route and a list of symbolic perturbations
// (perturbation.h), as bytes. Every byte string decodes (fields are reduced modulo their ranges,
// a truncated last step is dropped), so libFuzzer's own mutations never waste an execution, and
// encode(decode(x)) is the canonical form of x.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "perturbation.h"
#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/program.h"

namespace tcpconform::explore_steps {

struct Case {
  engine::explore::Target target = engine::explore::Target::kEstablished;
  std::uint8_t variant = 0;  // the prefix's route (prefix(): passive or active, data or not)
  std::vector<Perturbation> steps;

  friend bool operator==(const Case&, const Case&) = default;
};

// Longer inputs are cut: a program's cost grows with its length, its interest does not.
inline constexpr std::size_t kMaxSteps = 24;

[[nodiscard]] Case decode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::vector<std::uint8_t> encode(const Case& c);

// The program of a case: the prefix, then each perturbation resolved in turn.
struct Built {
  engine::Program program;
  std::size_t prefix_steps = 0;
};
[[nodiscard]] Built build(const Case& c, const Limits& limits);

}  // namespace tcpconform::explore_steps
