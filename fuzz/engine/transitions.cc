// The model's (state × event class × rule) transitions of a program, step by step.
#include "transitions.h"

#include "tcpconform/engine/explore/coverage.h"

namespace tcpconform::explore_steps {

std::vector<std::size_t> transitions(const engine::Program& program, harness::ModelSut& model) {
  std::vector<std::size_t> out;
  const auto trace = engine::explore::model_trace(program, model);
  if (!trace) return out;
  for (std::size_t i = 0; i < trace->executed; ++i) {
    const auto event = engine::explore::event_class(program, i);
    if (!event) continue;
    const model::State before = trace->states[i];
    out.push_back(transition_index(before, *event, 0));
    trace->rules[i].for_each([&](model::Rule r) {
      out.push_back(transition_index(before, *event, static_cast<std::size_t>(r) + 1));
    });
  }
  return out;
}

}  // namespace tcpconform::explore_steps
