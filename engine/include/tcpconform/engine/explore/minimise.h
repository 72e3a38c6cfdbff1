// Delta debugging of a divergent program: the prefix is kept, perturbation steps are removed
// while the program still diverges with the same signature.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/engine/program.h"

namespace tcpconform::engine::explore {

// Where and how a candidate diverged.
struct Outcome {
  Signature signature;
  std::size_t step = 0;  // the divergent step
};

// Runs a candidate (on the model and the stack) and says how it diverged; nullopt when it did
// not (or the run failed).
using Oracle = std::function<std::optional<Outcome>(const Program&)>;

struct Minimised {
  Program program;
  std::size_t runs = 0;     // oracle calls made
  bool reproduced = false;  // the original program diverged as expected when re-run
};

// ddmin (Zeller and Hildebrandt, 2002) over steps [prefix_steps, end): the result diverges with
// `target` and no single perturbation step can be removed without losing it (unless `max_runs`
// ran out first). Steps after the divergent one are dropped first.
[[nodiscard]] Minimised minimise(const Program& program, std::size_t prefix_steps,
                                 const Signature& target, const Oracle& oracle,
                                 std::size_t max_runs = 200);

}  // namespace tcpconform::engine::explore
