// RapidCheck generators of model event traces: drive the connection into a chosen state through
// events (passive, active or simultaneous open, then data or close), then perturb it with peer
// segments at interesting sequence numbers, socket calls and time advances across timers.
//
// Peer segments are symbolic (fuzz/model/trace_codec.h): SEG.SEQ is a point relative to the
// connection's current RCV.NXT — left edge −1, left edge, inside, right edge −1, right edge, far
// outside, 2^31 away, IRS — plus a small delta; SEG.ACK likewise relative to SND.UNA / SND.NXT /
// the RFC 5961 lower bound; ISNs sit near the 2^32 and 2^31 wraps. Flags are any of the 512
// combinations half of the time and a common one otherwise.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <ostream>
#include <utility>
#include <vector>

#include "trace_codec.h"
#include "trace_scenarios.h"

namespace tcpconform::model::trace {

// A generated test case: how the connection was opened, which state the prefix reaches, and the
// whole trace (prefix, then the perturbations).
struct Scenario {
  Opening opening = Opening::kPassive;
  Target target = Target::kEstablished;
  bool timestamps = false;
  std::size_t prefix_length = 0;
  Trace trace;
};

inline void showValue(const Scenario& s, std::ostream& os) {
  os << "opening " << to_string(s.opening) << " to " << to_string(s.target)
     << (s.timestamps ? " with timestamps" : "") << ", prefix of " << s.prefix_length << " events\n"
     << to_string(s.trace);
}

inline void showValue(const Trace& t, std::ostream& os) {
  os << to_string(t);
}

}  // namespace tcpconform::model::trace

namespace tcpconform::model::trace::gen {

// ISNs at and around the 2^32 and 2^31 wraps as often as anywhere else.
inline rc::Gen<std::uint32_t> isn() {
  return rc::gen::oneOf(rc::gen::element<std::uint32_t>(0xfffffff0U, 0xffffff00U, 0xffffffffU, 0U,
                                                        1U, 0x7fffffffU, 0x80000000U),
                        rc::gen::arbitrary<std::uint32_t>());
}

inline rc::Gen<std::int8_t> delta() {
  return rc::gen::weightedOneOf<std::int8_t>(
      {{6, rc::gen::just<std::int8_t>(0)},
       {3, rc::gen::element<std::int8_t>(-1, 1)},
       {1, rc::gen::element<std::int8_t>(-2, 2, -64, 64, -128, 127)}});
}

inline rc::Gen<std::uint16_t> flags() {
  // SYN, SYN|ACK, ACK, PSH|ACK, FIN|ACK, FIN, RST, RST|ACK, SYN|FIN, none.
  return rc::gen::oneOf(rc::gen::element<std::uint16_t>(0x002, 0x012, 0x010, 0x018, 0x011, 0x001,
                                                        0x004, 0x014, 0x003, 0x000),
                        rc::gen::inRange<std::uint16_t>(0, 0x200));
}

inline rc::Gen<PeerSegment> peer_segment() {
  return rc::gen::build<PeerSegment>(
      rc::gen::set(&PeerSegment::tuple,
                   rc::gen::weightedOneOf<Tuple>(
                       {{8, rc::gen::just(Tuple::kMain)},
                        {1, rc::gen::element(Tuple::kOtherPeer, Tuple::kClosedPort)}})),
      rc::gen::set(&PeerSegment::flags, flags()),
      rc::gen::set(&PeerSegment::seq,
                   rc::gen::map(rc::gen::inRange<std::uint8_t>(0, kSeqPointCount),
                                [](std::uint8_t v) { return static_cast<SeqPoint>(v); })),
      rc::gen::set(&PeerSegment::seq_delta, delta()),
      rc::gen::set(&PeerSegment::ack,
                   rc::gen::map(rc::gen::inRange<std::uint8_t>(0, kAckPointCount),
                                [](std::uint8_t v) { return static_cast<AckPoint>(v); })),
      rc::gen::set(&PeerSegment::ack_delta, delta()),
      rc::gen::set(&PeerSegment::payload,
                   rc::gen::weightedOneOf<std::uint16_t>(
                       {{4, rc::gen::just<std::uint16_t>(0)},
                        {2, rc::gen::element<std::uint16_t>(1, 100, 536, 1460, kMaxPayload)},
                        {1, rc::gen::inRange<std::uint16_t>(0, kMaxPayload + 1)}})),
      rc::gen::set(&PeerSegment::window,
                   rc::gen::weightedOneOf<std::uint16_t>(
                       {{4, rc::gen::just<std::uint16_t>(65535)},
                        {1, rc::gen::element<std::uint16_t>(0, 1, 512, 29200)}})),
      rc::gen::set(&PeerSegment::options, rc::gen::inRange<std::uint8_t>(0, kOptAll + 1)),
      rc::gen::set(&PeerSegment::ts,
                   rc::gen::map(rc::gen::inRange<std::uint8_t>(0, kTsValCount),
                                [](std::uint8_t v) { return static_cast<TsVal>(v); })));
}

inline rc::Gen<Call> call() {
  return rc::gen::build<Call>(
      rc::gen::set(
          &Call::kind,
          rc::gen::weightedOneOf<CallKind>(
              {{3, rc::gen::element(CallKind::kSend, CallKind::kRecv)},
               {2, rc::gen::element(CallKind::kShutdown, CallKind::kClose)},
               {1, rc::gen::map(rc::gen::inRange<std::uint8_t>(0, kCallKindCount),
                                [](std::uint8_t v) { return static_cast<CallKind>(v); })}})),
      rc::gen::set(&Call::fd,
                   rc::gen::weightedOneOf<FdRef>(
                       {{6, rc::gen::just(FdRef::kConn)},
                        {1, rc::gen::element(FdRef::kListener, FdRef::kLast, FdRef::kBogus)}})),
      rc::gen::set(&Call::arg, rc::gen::oneOf(rc::gen::element<std::uint32_t>(0, 1, 16, 100, 1000,
                                                                              65536, 1U << 20),
                                              rc::gen::arbitrary<std::uint32_t>())),
      rc::gen::set(&Call::misc, rc::gen::arbitrary<std::uint8_t>()));
}

// Time steps: fixed spans from 1 µs to 50 min, and steps to just before, at and past the earliest
// armed timer (retransmission, TIME-WAIT, FIN-WAIT-2, user timeout).
inline rc::Gen<Advance> advance() {
  return rc::gen::build<Advance>(
      rc::gen::set(&Advance::mode,
                   rc::gen::map(rc::gen::inRange<std::uint8_t>(0, kAdvanceModeCount),
                                [](std::uint8_t v) { return static_cast<AdvanceMode>(v); })),
      rc::gen::set(&Advance::micros,
                   rc::gen::element<std::uint32_t>(1, 1000, 200000, 1000000, 60000000, 240000000U,
                                                   3000000000U)));
}

inline rc::Gen<Event> event() {
  return rc::gen::weightedOneOf<Event>({{5, rc::gen::cast<Event>(peer_segment())},
                                        {2, rc::gen::cast<Event>(call())},
                                        {2, rc::gen::cast<Event>(advance())}});
}

// Perturbations after the prefix: up to 40 events (fewer at small sizes).
inline rc::Gen<std::vector<Event>> perturbations() {
  return rc::gen::scale(0.4, rc::gen::container<std::vector<Event>>(event()));
}

inline rc::Gen<Opening> opening() {
  return rc::gen::element(Opening::kPassive, Opening::kActive, Opening::kSimultaneous);
}

inline rc::Gen<Target> target() {
  return rc::gen::map(rc::gen::inRange<std::uint8_t>(0, kTargetCount),
                      [](std::uint8_t v) { return static_cast<Target>(v); });
}

// The opening and target alone (no perturbation).
inline rc::Gen<Scenario> opening_only() {
  return rc::gen::map(rc::gen::tuple(opening(), target(), rc::gen::arbitrary<bool>(), isn(), isn()),
                      [](const std::tuple<Opening, Target, bool, std::uint32_t, std::uint32_t>& p) {
                        Scenario s;
                        std::tie(s.opening, s.target, s.timestamps, s.trace.our_iss,
                                 s.trace.peer_iss) = p;
                        s.trace.header_options = s.timestamps ? kHdrAll : kHdrSack;
                        s.trace.events = prefix(s.opening, s.target, s.timestamps);
                        s.prefix_length = s.trace.events.size();
                        return s;
                      });
}

// A state-reaching prefix followed by perturbations.
inline rc::Gen<Scenario> scenario() {
  return rc::gen::map(rc::gen::pair(opening_only(), perturbations()),
                      [](std::pair<Scenario, std::vector<Event>> p) {
                        Scenario s = std::move(p.first);
                        for (Event& e : p.second) s.trace.events.push_back(std::move(e));
                        return s;
                      });
}

// Arbitrary traces for codec round trips (header and events of every kind).
inline rc::Gen<Trace> trace() {
  return rc::gen::map(
      rc::gen::tuple(isn(), isn(), rc::gen::inRange<std::uint8_t>(0, kHdrAll + 1),
                     rc::gen::container<std::vector<Event>>(event())),
      [](std::tuple<std::uint32_t, std::uint32_t, std::uint8_t, std::vector<Event>> p) {
        Trace t;
        std::tie(t.our_iss, t.peer_iss, t.header_options, t.events) = std::move(p);
        if (t.events.size() > kMaxEvents) t.events.resize(kMaxEvents);
        return t;
      });
}

}  // namespace tcpconform::model::trace::gen
