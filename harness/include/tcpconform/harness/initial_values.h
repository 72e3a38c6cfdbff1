// The values a stack picks at random for each connection (ISN, timestamp clock), learned from
// the first segments it sends, so every comparison can be made relative to them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>

#include "tcpconform/wire/address.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::harness {

// What one side of one connection chose. `isn` comes from its SYN (or SYN-ACK); `tsval` is the
// TSval of the first segment it sent that carried a timestamp option, and `tsval_seen` when
// that segment was collected: on Linux TSval counts milliseconds, so the stack's timestamp
// offset relative to a clock t is tsval - ms(t - tsval_seen) at any later time.
struct InitialValues {
  std::optional<wire::SeqNum> isn;
  std::optional<std::uint32_t> tsval;
  std::chrono::steady_clock::time_point tsval_seen{};

  friend bool operator==(const InitialValues&, const InitialValues&) = default;
};

// Learns InitialValues per connection from the segments a stack sent, keyed by the stack-side
// four-tuple (segment.tuple_at_sender()). A later SYN on the same tuple (a new incarnation)
// replaces what was learned. Not thread-safe; cheap to copy.
class InitialValueTracker {
 public:
  // Records what `sent` (a segment the stack emitted, collected at `when`) reveals.
  void learn(const wire::Segment& sent,
             std::chrono::steady_clock::time_point when = std::chrono::steady_clock::now());
  // What is known of the connection whose stack-side tuple is `stack_side`, if anything.
  [[nodiscard]] std::optional<InitialValues> find(const wire::FourTuple& stack_side) const;
  [[nodiscard]] const std::map<wire::FourTuple, InitialValues>& all() const { return known_; }
  void clear() { known_.clear(); }

 private:
  std::map<wire::FourTuple, InitialValues> known_;
};

}  // namespace tcpconform::harness
