// The model's (state × event class × rule) transitions of a program, step by step.
#include "transitions.h"

#include "tcpconform/engine/lane.h"
#include "tcpconform/harness/linux_sut.h"

namespace tcpconform::explore_steps {
namespace {

// The program's connection: to the peer when there is one, else LISTEN when a listener exists,
// else CLOSED (as engine::explore::model_states() names it).
model::State main_state(const std::vector<model::ConnectionObservation>& seen) {
  bool listening = false;
  for (const auto& o : seen) {
    if (o.state == model::State::kListen) {
      listening = true;
    } else if (o.tuple.remote.port == engine::kScriptPeerPort) {
      return o.state;
    }
  }
  return listening ? model::State::kListen : model::State::kClosed;
}

}  // namespace

std::vector<std::size_t> transitions(const engine::Program& program, harness::ModelSut& model) {
  std::vector<std::size_t> out;
  if (!model.reset() || !model.configure(harness::default_linux_settings())) return out;
  engine::Lane lane(model, program, engine::LaneOptions{});
  if (!lane.start()) return out;
  for (std::size_t i = 0; i < program.steps.size() && !lane.failed(); ++i) {
    if (!lane.reach(i, true)) return out;
    const auto seen = lane.observe_script_space();
    if (!seen) return out;
    const model::State before = main_state(*seen);
    if (!lane.execute(i)) return out;
    const auto event = engine::explore::event_class(program, i);
    if (!event) continue;
    out.push_back(transition_index(before, *event, 0));
    model.last_event_rules().for_each([&](model::Rule r) {
      out.push_back(transition_index(before, *event, static_cast<std::size_t>(r) + 1));
    });
  }
  return out;
}

}  // namespace tcpconform::explore_steps
