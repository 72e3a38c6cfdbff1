// ddmin over a divergent program's perturbation steps, keeping its prefix and its signature.
#include "tcpconform/engine/explore/minimise.h"

#include <algorithm>
#include <vector>

namespace tcpconform::engine::explore {
namespace {

Program with_steps(const Program& program, std::size_t prefix_steps,
                   const std::vector<std::size_t>& kept) {
  Program out = program;
  out.steps.resize(prefix_steps);
  for (const std::size_t i : kept) out.steps.push_back(program.steps[i]);
  return out;
}

}  // namespace

Minimised minimise(const Program& program, std::size_t prefix_steps, const Signature& target,
                   const Oracle& oracle, std::size_t max_runs) {
  Minimised m;
  m.program = program;
  prefix_steps = std::min(prefix_steps, program.steps.size());

  // Indices (into `program`) of the perturbation steps still kept; the current candidate's
  // divergent step bounds what matters.
  std::vector<std::size_t> kept;
  for (std::size_t i = prefix_steps; i < program.steps.size(); ++i) kept.push_back(i);

  // Tests a candidate; on success keeps it, cut after its divergent step.
  auto test = [&](const std::vector<std::size_t>& candidate) {
    if (m.runs >= max_runs) return false;
    ++m.runs;
    const auto outcome = oracle(with_steps(program, prefix_steps, candidate));
    if (!outcome || outcome->signature != target) return false;
    kept = candidate;
    if (outcome->step >= prefix_steps) {
      const std::size_t last = outcome->step - prefix_steps;
      if (last + 1 < kept.size()) kept.resize(last + 1);
    }
    return true;
  };

  m.reproduced = test(kept);
  if (!m.reproduced) return m;

  std::size_t n = 2;
  while (kept.size() >= 2 && m.runs < max_runs) {
    const std::size_t chunk = (kept.size() + n - 1) / n;
    bool reduced = false;
    for (std::size_t start = 0; start < kept.size() && !reduced; start += chunk) {
      // The complement of chunk [start, start + chunk).
      std::vector<std::size_t> candidate;
      for (std::size_t k = 0; k < kept.size(); ++k) {
        if (k < start || k >= start + chunk) candidate.push_back(kept[k]);
      }
      if (candidate.empty()) continue;
      reduced = test(candidate);
    }
    if (reduced) {
      n = std::max<std::size_t>(n - 1, 2);
    } else if (n >= kept.size()) {
      break;  // 1-minimal: no single step can go
    } else {
      n = std::min(n * 2, kept.size());
    }
  }
  // A lone perturbation may be unnecessary too (the prefix alone diverging is possible only when
  // the prefix itself diverges; try it).
  if (kept.size() == 1) test({});
  m.program = with_steps(program, prefix_steps, kept);
  return m;
}

}  // namespace tcpconform::engine::explore
