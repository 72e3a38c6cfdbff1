// Determinism of the model, in both profiles: the same events give the same outputs (segments,
// call results, state changes, rules, observations), and a copied endpoint evolves like the
// original.
#include "event_gen.h"
#include "isolate.h"
#include "rc_check.h"
#include "tcpconform/model/profile.h"
#include "trace_runner.h"

namespace tcpconform::model::trace {
namespace {

constexpr int kCases = 100;

// Runs in a child (isolate.h); a model abort counts as "model aborted", see FINDINGS.md.
void same_events_same_outputs(const Profile& profile) {
  const Scenario s = *gen::scenario();
  const props::Outcome o = props::isolated([&] {
    std::vector<EventRecord> first;
    std::vector<EventRecord> second;
    (void)run(profile, s.trace, 0, &first);
    (void)run(profile, s.trace, 0, &second);
    for (std::size_t i = 0; i < first.size(); ++i) {
      if (!(first[i] == second[i])) return "outputs differ after event " + std::to_string(i);
    }
    return first.size() == s.trace.events.size() ? std::string{} : std::string{"short run"};
  });
  if (o.kind == props::Outcome::kCheckFailed) RC_FAIL(o.text);
  RC_CLASSIFY(props::model_aborted(o), "model aborted (FINDINGS.md)");
}

// A copy taken after the prefix, fed the same perturbations, produces the same outputs.
void copy_evolves_like_original(const Profile& profile) {
  const Scenario s = *gen::scenario();
  const props::Outcome o = props::isolated([&] {
    Runner original(profile, s.trace, 0);
    for (std::size_t i = 0; i < s.prefix_length; ++i) (void)original.step(s.trace.events[i]);
    Runner copy = original;
    for (std::size_t i = s.prefix_length; i < s.trace.events.size(); ++i) {
      (void)original.step(s.trace.events[i]);
      (void)copy.step(s.trace.events[i]);
      const EventOutput& a = original.output();
      const EventOutput& b = copy.output();
      if (a.segments.to_vector() != b.segments.to_vector() || a.result != b.result ||
          a.state_changes != b.state_changes || a.rules != b.rules ||
          original.endpoint().observe() != copy.endpoint().observe()) {
        return "the copy diverged after event " + std::to_string(i);
      }
    }
    return std::string{};
  });
  if (o.kind == props::Outcome::kCheckFailed) RC_FAIL(o.text);
  RC_CLASSIFY(props::model_aborted(o), "model aborted (FINDINGS.md)");
}

TCPCONFORM_RC_PROP(ModelRfc9293, SameEventsGiveSameOutputs, kCases, ()) {
  same_events_same_outputs(rfc9293_profile());
}
TCPCONFORM_RC_PROP(ModelLinux, SameEventsGiveSameOutputs, kCases, ()) {
  same_events_same_outputs(linux_profile());
}

TCPCONFORM_RC_PROP(ModelRfc9293, CopiedEndpointEvolvesLikeOriginal, 100, ()) {
  copy_evolves_like_original(rfc9293_profile());
}
TCPCONFORM_RC_PROP(ModelLinux, CopiedEndpointEvolvesLikeOriginal, 100, ()) {
  copy_evolves_like_original(linux_profile());
}

}  // namespace
}  // namespace tcpconform::model::trace
