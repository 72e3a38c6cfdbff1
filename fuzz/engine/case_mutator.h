// Structure-aware mutation of fuzz cases at the step level: insert, delete, replace, duplicate or
// swap a step, mutate one field of one step (a flag bit, the sequence or acknowledgment point,
// payload, window, the call, the duration), change the target state or the prefix route; and
// crossover at step boundaries.
#pragma once

#include <cstdint>

#include "case_codec.h"

namespace tcpconform::explore_steps {

// `rounds` mutations of `c` (each one that applies), drawn from `seed`.
[[nodiscard]] Case mutate(Case c, std::uint64_t seed, unsigned rounds = 1);

// The header of one parent, then a run of steps of `a` and a run of steps of `b`, each cut at a
// step boundary.
[[nodiscard]] Case crossover(const Case& a, const Case& b, std::uint64_t seed);

}  // namespace tcpconform::explore_steps
