// Runs a symbolic trace (trace_codec.h) on one model endpoint and checks the model's properties
// after every event; shared by the model_trace fuzzer and the RapidCheck properties.
//
// Checks (each can be enabled separately, so one failing property does not mask another):
//  - kCheckSndOrder: SND.UNA ≤ SND.NXT (modulo 2^32) in every live TCB;
//  - kCheckWindowEdge: the right edge of the receive window, RCV.NXT + RCV.WND, and the edge last
//    advertised never move left (R82), per connection incarnation;
//  - kCheckStateEdges: every state change is an edge of kAllowedEdges (R1–R28 plus the Linux
//    profile's documented extras) and continues the connection's previous state, and no TCB changes
//    state without a recorded change;
//  - kCheckChallengeAck: an event whose rules include R135 (a challenge ACK) changes no variable
//    of the connection it answered.
// Endpoint::check_invariants() runs after every event regardless (the model calls it itself).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tcpconform/model/endpoint.h"
#include "trace_codec.h"

namespace tcpconform::model::trace {

inline constexpr unsigned kCheckSndOrder = 1U;
inline constexpr unsigned kCheckWindowEdge = 2U;
inline constexpr unsigned kCheckStateEdges = 4U;
inline constexpr unsigned kCheckChallengeAck = 8U;
inline constexpr unsigned kCheckAll = 15U;

// One allowed state change: the catalog rules that draw it, and the profile switch it needs (a
// pointer to a Profile field that must be true), if any. The table is the single definition of
// "catalog edges" used by the properties and the fuzzer.
struct AllowedEdge {
  State from;
  State to;
  std::string_view rules;
  bool Profile::*needs = nullptr;
};

// RFC 9293 Figure 5 (R1–R28) as the model records it, per connection: a passive open is
// LISTEN → SYN-RECEIVED on the new connection (the listener stays, R160 and issue 3), a reset of a
// passive SYN-RECEIVED is SYN-RECEIVED → LISTEN (R11), and every state may reach CLOSED (R23 RST,
// R24/R120 abort, R25 user timeout, R22 TIME-WAIT expiry). Linux extras: R160 request sockets,
// R165 (no LISTEN → SYN-SENT), R168 close with unread data, R169 FIN-WAIT-2 orphan timeout, R170
// give-up, R171 RST in TIME-WAIT and R176 reopening (TIME-WAIT → CLOSED, then LISTEN →
// SYN-RECEIVED) all stay on these edges.
inline constexpr AllowedEdge kAllowedEdges[] = {
    {State::kClosed, State::kListen, "R1 R100"},
    {State::kClosed, State::kSynSent, "R2 R100"},
    {State::kListen, State::kClosed, "R3 R114 R120b"},
    {State::kListen, State::kSynReceived, "R4 R37 R160"},
    {State::kListen, State::kSynSent, "R5 R101 R104 (not Linux: R165)",
     &Profile::listen_can_connect},
    {State::kSynSent, State::kClosed, "R6 R42 R115 R120c R25 R138"},
    {State::kSynSent, State::kSynReceived, "R7 R45"},
    {State::kSynSent, State::kEstablished, "R8 R44"},
    {State::kSynReceived, State::kEstablished, "R9 R72"},
    {State::kSynReceived, State::kFinWait1, "R10 R116"},
    {State::kSynReceived, State::kListen, "R11 R66 R162"},
    {State::kSynReceived, State::kClosed, "R12 R23 R24 R25 R138"},
    {State::kEstablished, State::kFinWait1, "R13 R117"},
    {State::kEstablished, State::kCloseWait, "R14 R87"},
    {State::kEstablished, State::kClosed, "R23 R24 R25 R168 R170"},
    {State::kFinWait1, State::kFinWait2, "R15 R75"},
    {State::kFinWait1, State::kClosing, "R16 R88"},
    {State::kFinWait1, State::kTimeWait, "R17 R88"},
    {State::kFinWait1, State::kClosed, "R23 R24 R25 R168 R170"},
    {State::kFinWait2, State::kTimeWait, "R18 R89"},
    {State::kFinWait2, State::kClosed, "R23 R24 R25 R168 R169"},
    {State::kCloseWait, State::kLastAck, "R20 R119"},
    {State::kCloseWait, State::kClosed, "R23 R24 R25 R168 R177"},
    {State::kClosing, State::kTimeWait, "R19 R78"},
    {State::kClosing, State::kClosed, "R23 R25 R120e"},
    {State::kLastAck, State::kClosed, "R21 R79 R23 R25 R120e"},
    {State::kTimeWait, State::kClosed, "R22 R23 R120e R171 R124 R176"},
};

// The catalog rules of the edge from → to under `profile`, or nullopt if it is not an edge.
[[nodiscard]] std::optional<std::string_view> allowed_edge(const Profile& profile, State from,
                                                           State to);

// A property that failed: after which event, which check, and what was seen.
struct Violation {
  std::size_t event = 0;
  unsigned check = 0;
  std::string detail;
};

// Everything observable about one event, for determinism comparisons.
struct EventRecord {
  std::vector<wire::Segment> segments;
  std::optional<CallResult> result;
  std::vector<StateChange> state_changes;
  RuleSet rules;
  std::vector<ConnectionObservation> observed;
  friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

// Applies a trace's events one at a time to a fresh endpoint (192.0.2.1) with the trace's
// choices, resolving symbolic sequence numbers against the live TCB.
class Runner {
 public:
  Runner(const Profile& profile, const Trace& trace, unsigned checks = kCheckAll);

  // Applies `event` and runs the enabled checks; the first violated one, if any.
  std::optional<Violation> step(const Event& event);

  [[nodiscard]] const Endpoint& endpoint() const { return ep_; }
  [[nodiscard]] const EventOutput& output() const { return out_; }
  [[nodiscard]] std::size_t steps() const { return steps_; }
  // The TCB of `tuple`'s connection, or nullptr.
  [[nodiscard]] const Tcb* tcb(Tuple tuple = Tuple::kMain) const;
  [[nodiscard]] State state(Tuple tuple = Tuple::kMain) const;
  // The concrete segment the last PeerSegment event injected.
  [[nodiscard]] const wire::Segment& last_segment() const { return seg_; }

  static wire::FourTuple four_tuple(Tuple tuple);  // as seen by our endpoint
  static const wire::IpAddress& our_address();
  static const wire::IpAddress& peer_address();

 private:
  struct Known {  // last values seen for a tuple's connection, used when it has no TCB
    bool valid = false;
    SeqNum rcv_nxt, irs, snd_una, snd_nxt, iss;
    std::uint32_t rcv_wnd = 0, max_snd_wnd = 0;
  };
  struct Edge {  // per connection incarnation (Tcb::serial)
    std::uint64_t serial = 0;
    SeqNum right;
    SeqNum adv;
    bool adv_valid = false;
    bool seen = false;
  };

  void build_segment(const PeerSegment& p);
  SocketCall build_call(const Call& c) const;
  Duration build_advance(const Advance& a) const;
  void note_output();
  std::optional<Violation> check(const Event& event);
  std::optional<Violation> fail(unsigned check, std::string detail) const;

  Profile profile_;
  unsigned checks_;
  Endpoint ep_;
  EventOutput out_;
  wire::Segment seg_;
  std::size_t steps_ = 0;
  std::uint32_t peer_iss_;
  std::uint32_t peer_ts_ = 1000;
  std::uint32_t our_tsval_ = 0;
  int conn_fd_ = -1;
  int listener_fd_ = -1;
  int last_fd_ = -1;
  std::array<Known, kTupleCount> known_{};
  // Snapshots taken before each event.
  std::vector<std::pair<wire::FourTuple, State>> states_before_;
  std::optional<Tcb> target_before_;
  std::vector<Edge> edges_;
};

// Decides, before each event, whether a run stops early (see `run`).
using StopBefore = bool (*)(const Runner& runner, const Event& next);

// Runs `trace` from a fresh endpoint; stops at the first violation, or before the first event for
// which `stop_before` returns true. With `records`, appends one record per event applied.
std::optional<Violation> run(const Profile& profile, const Trace& trace, unsigned checks,
                             std::vector<EventRecord>* records = nullptr,
                             StopBefore stop_before = nullptr);

// "event 7 (seg main R seq=inside+0 …): state edge ESTABLISHED → LISTEN is not a catalog edge" and
// the trace around it.
[[nodiscard]] std::string describe(const Violation& v, const Trace& trace);
[[nodiscard]] std::string_view check_name(unsigned check);

}  // namespace tcpconform::model::trace
