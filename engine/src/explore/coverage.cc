// The model's state before each step of a program, and the (state × event class) cells reached.
#include "tcpconform/engine/explore/coverage.h"

#include "tcpconform/engine/lane.h"

namespace tcpconform::engine::explore {
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

namespace {

// Where the RST of step `spec` falls for the model's connection to the peer (see RstPosition).
RstPosition rst_position(const PacketSpec& spec, const harness::ModelSut& model) {
  const model::Tcb* peer = nullptr;
  model.endpoint().for_each_tcb([&](const model::Tcb& t) {
    if (peer == nullptr && t.tuple.remote.port == kScriptPeerPort) peer = &t;
  });
  if (peer == nullptr || peer->state == model::State::kListen) return RstPosition::kOutside;
  if (peer->state == model::State::kSynSent) {
    return spec.ack && *spec.ack == 1 ? RstPosition::kExact : RstPosition::kOutside;
  }
  // model_trace() plays the program with the default LaneOptions: the peer's ISN on the wire is
  // theirs, and script sequence numbers are relative to it.
  const std::uint32_t seq = LaneOptions{}.peer_isn.value + spec.seq;
  const auto offset = static_cast<std::int32_t>(seq - peer->rcv_nxt.value);
  if (offset == 0) return RstPosition::kExact;
  if (offset > 0 && static_cast<std::uint32_t>(offset) < peer->rcv_wnd)
    return RstPosition::kInWindow;
  return RstPosition::kOutside;
}

}  // namespace

std::string_view to_string(RstPosition p) {
  switch (p) {
    case RstPosition::kExact: return "exact";
    case RstPosition::kInWindow: return "in-window";
    case RstPosition::kOutside: return "outside";
  }
  return "?";
}

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

harness::Result<ModelTrace> model_trace(const Program& program, harness::ModelSut& model,
                                        const harness::Environment& environment) {
  if (auto r = model.reset(); !r) return tl::make_unexpected(r.error());
  if (auto r = model.configure(environment.settings); !r) {
    return tl::make_unexpected(r.error());
  }
  Lane lane(model, program, LaneOptions{});
  if (auto r = lane.start(); !r) return tl::make_unexpected(r.error());
  ModelTrace trace;
  trace.states.reserve(program.steps.size() + 1);
  trace.rst.resize(program.steps.size());
  trace.rules.resize(program.steps.size());
  model::State last = model::State::kClosed;
  for (std::size_t i = 0; i < program.steps.size(); ++i) {
    if (!lane.failed()) {
      if (auto r = lane.reach(i, true); !r) return tl::make_unexpected(r.error());
      auto seen = lane.observe_script_space();
      if (!seen) return tl::make_unexpected(seen.error());
      last = main_state(*seen);
      const auto* packet = std::get_if<PacketSpec>(&program.steps[i].action);
      if (packet != nullptr && packet->direction == Direction::kInbound &&
          packet->flags.has(wire::Flag::kRst)) {
        trace.rst[i] = rst_position(*packet, model);
      }
      if (auto r = lane.execute(i); !r) return tl::make_unexpected(r.error());
      trace.rules[i] = model.last_event_rules();
      trace.executed = i + 1;
    }
    trace.states.push_back(last);
  }
  if (!lane.failed()) {
    auto seen = lane.observe_script_space();
    if (!seen) return tl::make_unexpected(seen.error());
    last = main_state(*seen);
  }
  trace.states.push_back(last);
  return trace;
}

harness::Result<std::vector<model::State>> model_states(const Program& program,
                                                        harness::ModelSut& model,
                                                        const harness::Environment& environment) {
  auto trace = model_trace(program, model, environment);
  if (!trace) return tl::make_unexpected(trace.error());
  return std::move(trace->states);
}

CellSet cells_of(const Program& program, const std::vector<model::State>& states) {
  CellSet cells;
  for (std::size_t i = 0; i < program.steps.size() && i < states.size(); ++i) {
    if (const auto c = event_class(program, i)) cells.insert(states[i], *c);
  }
  return cells;
}

}  // namespace tcpconform::engine::explore
