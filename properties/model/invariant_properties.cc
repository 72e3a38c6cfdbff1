// Per-event invariants of the model, in both profiles: after every event of a generated trace
// (a state-reaching prefix, then perturbations) the model's own structural invariants hold
// (Endpoint::check_invariants), SND.UNA ≤ SND.NXT, the receive window's right edge never moves
// left, state changes follow catalog edges, and challenge ACKs change nothing.
//
// Each trace runs in a forked child (isolate.h), so a model abort is shrunk like any failure. An
// abort is a failure of ModelInvariantsHoldAfterEveryEvent only: the other properties held on
// every event before it, and count the case under "model aborted" (see FINDINGS.md).
#include "event_gen.h"
#include "isolate.h"
#include "rc_check.h"
#include "tcpconform/model/profile.h"
#include "trace_runner.h"

namespace tcpconform::model::trace {
namespace {

constexpr int kCases = 100;

void holds_after_every_event(const Profile& profile, unsigned check) {
  const Scenario s = *gen::scenario();
  const props::Outcome o = props::isolated([&] {
    const auto v = run(profile, s.trace, check);
    return v ? describe(*v, s.trace) : std::string{};
  });
  if (o.kind == props::Outcome::kCheckFailed) RC_FAIL(o.text);
  RC_CLASSIFY(props::model_aborted(o), "model aborted (FINDINGS.md)");
}

void model_invariants_hold(const Profile& profile) {
  const Scenario s = *gen::scenario();
  const props::Outcome o = props::isolated([&] {
    (void)run(profile, s.trace, 0);  // the model checks itself after every event
    return std::string{};
  });
  if (o.kind != props::Outcome::kPassed) RC_FAIL(o.text);
}

// The generator reaches the state it claims before perturbing it.
void opening_reaches_target(const Profile& profile) {
  const Scenario s = *gen::opening_only();
  Runner r(profile, s.trace, 0);
  for (const Event& e : s.trace.events) (void)r.step(e);
  RC_ASSERT(r.state() == expected_state(s.opening, s.target));
}

TCPCONFORM_RC_PROP(ModelRfc9293, OpeningsReachTheirTargetState, 100, ()) {
  opening_reaches_target(rfc9293_profile());
}
TCPCONFORM_RC_PROP(ModelLinux, OpeningsReachTheirTargetState, 100, ()) {
  opening_reaches_target(linux_profile());
}

TCPCONFORM_RC_PROP(ModelRfc9293, ModelInvariantsHoldAfterEveryEvent, kCases, ()) {
  model_invariants_hold(rfc9293_profile());
}
TCPCONFORM_RC_PROP(ModelLinux, ModelInvariantsHoldAfterEveryEvent, kCases, ()) {
  model_invariants_hold(linux_profile());
}

TCPCONFORM_RC_PROP(ModelRfc9293, SndUnaNeverPassesSndNxt, kCases, ()) {
  holds_after_every_event(rfc9293_profile(), kCheckSndOrder);
}
TCPCONFORM_RC_PROP(ModelLinux, SndUnaNeverPassesSndNxt, kCases, ()) {
  holds_after_every_event(linux_profile(), kCheckSndOrder);
}

TCPCONFORM_RC_PROP(ModelRfc9293, ReceiveWindowRightEdgeNeverMovesLeft, kCases, ()) {
  holds_after_every_event(rfc9293_profile(), kCheckWindowEdge);
}
TCPCONFORM_RC_PROP(ModelLinux, ReceiveWindowRightEdgeNeverMovesLeft, kCases, ()) {
  holds_after_every_event(linux_profile(), kCheckWindowEdge);
}

TCPCONFORM_RC_PROP(ModelRfc9293, StateChangesFollowCatalogEdges, kCases, ()) {
  holds_after_every_event(rfc9293_profile(), kCheckStateEdges);
}
TCPCONFORM_RC_PROP(ModelLinux, StateChangesFollowCatalogEdges, kCases, ()) {
  holds_after_every_event(linux_profile(), kCheckStateEdges);
}

TCPCONFORM_RC_PROP(ModelRfc9293, ChallengeAckChangesNoVariable, kCases, ()) {
  holds_after_every_event(rfc9293_profile(), kCheckChallengeAck);
}
TCPCONFORM_RC_PROP(ModelLinux, ChallengeAckChangesNoVariable, kCases, ()) {
  holds_after_every_event(linux_profile(), kCheckChallengeAck);
}

}  // namespace
}  // namespace tcpconform::model::trace
