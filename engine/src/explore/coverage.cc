// The model's state before each step of a program, and the (state × event class) cells reached.
#include "tcpconform/engine/explore/coverage.h"

#include "tcpconform/engine/lane.h"
#include "tcpconform/harness/linux_sut.h"

namespace tcpconform::engine::explore {
namespace {

model::State main_state(const std::vector<model::ConnectionObservation>& seen) {
  bool listening = false;
  for (const auto& o : seen) {
    if (o.state == model::State::kListen) {
      listening = true;
    } else if (o.tuple.remote.port == kScriptPeerPort) {
      return o.state;
    }
  }
  return listening ? model::State::kListen : model::State::kClosed;
}

}  // namespace

std::size_t CellSet::states() const {
  std::size_t n = 0;
  for (int s = 0; s < model::kStateCount; ++s) {
    bool any = false;
    for (int c = 0; c < kEventClassCount; ++c) {
      any = any || contains(static_cast<model::State>(s), static_cast<EventClass>(c));
    }
    n += any ? 1 : 0;
  }
  return n;
}

harness::Result<std::vector<model::State>> model_states(const Program& program,
                                                        harness::ModelSut& model) {
  if (auto r = model.reset(); !r) return tl::make_unexpected(r.error());
  if (auto r = model.configure(harness::default_linux_settings()); !r) {
    return tl::make_unexpected(r.error());
  }
  Lane lane(model, program, LaneOptions{});
  if (auto r = lane.start(); !r) return tl::make_unexpected(r.error());
  std::vector<model::State> states;
  states.reserve(program.steps.size() + 1);
  model::State last = model::State::kClosed;
  for (std::size_t i = 0; i < program.steps.size(); ++i) {
    if (!lane.failed()) {
      if (auto r = lane.reach(i, true); !r) return tl::make_unexpected(r.error());
      auto seen = lane.observe_script_space();
      if (!seen) return tl::make_unexpected(seen.error());
      last = main_state(*seen);
      if (auto r = lane.execute(i); !r) return tl::make_unexpected(r.error());
    }
    states.push_back(last);
  }
  if (!lane.failed()) {
    auto seen = lane.observe_script_space();
    if (!seen) return tl::make_unexpected(seen.error());
    last = main_state(*seen);
  }
  states.push_back(last);
  return states;
}

CellSet cells_of(const Program& program, const std::vector<model::State>& states) {
  CellSet cells;
  for (std::size_t i = 0; i < program.steps.size() && i < states.size(); ++i) {
    if (const auto c = event_class(program, i)) cells.insert(states[i], *c);
  }
  return cells;
}

}  // namespace tcpconform::engine::explore
