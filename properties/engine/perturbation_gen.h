// RapidCheck generators of symbolic perturbations (fuzz/engine/perturbation.h). The common
// cases come first in each choice, so shrinking moves towards them: an in-order segment at
// RCV.NXT acknowledging SND.NXT, no payload, the full window. Choices ignore RapidCheck's size
// (which scales integer ranges: at size 10 an enum of 13 would draw only its first two values):
// the size governs how many commands a sequence has, not which ones.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <iterator>

#include "perturbation.h"

namespace tcpconform::explore_props::gen {

inline constexpr int kFullSize = rc::kNominalSize;

template <typename Enum>
rc::Gen<Enum> any_of(int count) {
  return rc::gen::resize(kFullSize, rc::gen::map(rc::gen::inRange(0, count),
                                                 [](int v) { return static_cast<Enum>(v); }));
}

// Half the time one of the usual combinations, otherwise any of the 256 flag bytes.
inline rc::Gen<std::uint8_t> flags() {
  return rc::gen::oneOf(
      rc::gen::element<std::uint8_t>(0x10, 0x18, 0x02, 0x12, 0x11, 0x19, 0x04, 0x14, 0x01, 0x03),
      rc::gen::arbitrary<std::uint8_t>());
}

inline rc::Gen<explore_steps::Segment> segment() {
  using explore_steps::Segment;
  return rc::gen::build<Segment>(
      rc::gen::set(&Segment::flags, flags()),
      rc::gen::set(&Segment::seq,
                   rc::gen::weightedOneOf<explore_steps::SeqPoint>(
                       {{4, rc::gen::just(explore_steps::SeqPoint::kLeft)},
                        {6, any_of<explore_steps::SeqPoint>(explore_steps::kSeqPointCount)}})),
      rc::gen::set(&Segment::ack,
                   rc::gen::weightedOneOf<explore_steps::AckPoint>(
                       {{4, rc::gen::just(explore_steps::AckPoint::kNxt)},
                        {6, any_of<explore_steps::AckPoint>(explore_steps::kAckPointCount)}})),
      rc::gen::set(&Segment::payload,
                   rc::gen::weightedOneOf<std::uint8_t>(
                       {{1, rc::gen::just<std::uint8_t>(0)},
                        {1, rc::gen::inRange<std::uint8_t>(0, static_cast<std::uint8_t>(std::size(
                                                                  explore_steps::kPayloads)))}})),
      rc::gen::set(&Segment::window,
                   rc::gen::weightedOneOf<std::uint8_t>(
                       {{3, rc::gen::just<std::uint8_t>(0)},
                        {1, rc::gen::inRange<std::uint8_t>(0, static_cast<std::uint8_t>(std::size(
                                                                  explore_steps::kWindows)))}})),
      rc::gen::set(&Segment::mss, rc::gen::arbitrary<bool>()));
}

inline rc::Gen<explore_steps::Call> call() {
  using explore_steps::Call;
  return rc::gen::build<Call>(
      rc::gen::set(&Call::op, any_of<explore_steps::CallOp>(explore_steps::kCallOpCount)),
      rc::gen::set(&Call::fd, rc::gen::weightedOneOf<explore_steps::FdRef>(
                                  {{3, rc::gen::just(explore_steps::FdRef::kConnection)},
                                   {1, rc::gen::just(explore_steps::FdRef::kListener)}})));
}

inline rc::Gen<explore_steps::Advance> advance() {
  return rc::gen::map(rc::gen::inRange<std::uint8_t>(
                          0, static_cast<std::uint8_t>(std::size(explore_steps::kAdvances))),
                      [](std::uint8_t d) { return explore_steps::Advance{d}; });
}

inline rc::Gen<explore_steps::Perturbation> perturbation() {
  using explore_steps::Perturbation;
  return rc::gen::resize(kFullSize,
                         rc::gen::weightedOneOf<Perturbation>(
                             {{6, rc::gen::cast<Perturbation>(segment())},
                              {3, rc::gen::cast<Perturbation>(call())},
                              {1, rc::gen::cast<Perturbation>(advance())},
                              {1, rc::gen::just<Perturbation>(explore_steps::Duplicate{})}}));
}

}  // namespace tcpconform::explore_props::gen
