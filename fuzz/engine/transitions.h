// Transition coverage of one program on the model: for each event, the model's state before it,
// the event's class and each catalog rule the model fired for it. The fuzzers feed these cells
// to libFuzzer as extra counters, so the search is guided by transitions reached, not by code
// coverage alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/engine/program.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/rules.h"
#include "tcpconform/model/state.h"

namespace tcpconform::explore_steps {

// One counter per (state, event class, rule), plus one per (state, event class) for events that
// fired no rule at all.
inline constexpr std::size_t kRuleSlots = model::kRuleCount + 1;
inline constexpr std::size_t kTransitionCount =
    static_cast<std::size_t>(model::kStateCount) * engine::explore::kEventClassCount * kRuleSlots;

[[nodiscard]] constexpr std::size_t transition_index(model::State state,
                                                     engine::explore::EventClass event,
                                                     std::size_t rule_slot) {
  return (static_cast<std::size_t>(state) * engine::explore::kEventClassCount +
          static_cast<std::size_t>(event)) *
             kRuleSlots +
         rule_slot;
}

// Plays `program` on `model` alone (reset and configured as run_scenario() does) and returns the
// transition_index() of every (state, event class, rule) it reached, in order, repeats included.
// Empty when the model lane could not run (a harness error).
[[nodiscard]] std::vector<std::size_t> transitions(const engine::Program& program,
                                                   harness::ModelSut& model);

}  // namespace tcpconform::explore_steps
