// InitialValueTracker: binds each connection's ISN and first TSval from what the stack sent.
#include "tcpconform/harness/initial_values.h"

namespace tcpconform::harness {

void InitialValueTracker::learn(const wire::Segment& sent,
                                std::chrono::steady_clock::time_point when) {
  const wire::FourTuple key = sent.tuple_at_sender();
  const auto* ts = sent.find_option<wire::option::Timestamp>();
  if (sent.flags.has(wire::Flag::kSyn)) {
    // A SYN (or SYN-ACK) carries the ISN; a different ISN on the same tuple is a new
    // incarnation of the connection, a retransmission repeats the same one.
    auto [it, inserted] = known_.try_emplace(key);
    if (!inserted && it->second.isn != sent.seq) it->second = InitialValues{};
    it->second.isn = sent.seq;
    if (ts != nullptr && !it->second.tsval) {
      it->second.tsval = ts->val;
      it->second.tsval_seen = when;
    }
    return;
  }
  if (ts == nullptr) return;
  auto it = known_.find(key);
  if (it == known_.end()) it = known_.try_emplace(key).first;
  if (!it->second.tsval) {
    it->second.tsval = ts->val;
    it->second.tsval_seen = when;
  }
}

std::optional<InitialValues> InitialValueTracker::find(const wire::FourTuple& stack_side) const {
  const auto it = known_.find(stack_side);
  if (it == known_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tcpconform::harness
