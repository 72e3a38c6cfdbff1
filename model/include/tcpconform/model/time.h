// Virtual time for the model: durations and instants in microseconds, moved only by the caller.
#pragma once

#include <chrono>
#include <cstdint>

namespace tcpconform::model {

// A span of virtual time.
using Duration = std::chrono::microseconds;
// An instant: virtual time elapsed since the endpoint was created.
using TimePoint = std::chrono::microseconds;

// The instant meaning "timer not armed".
inline constexpr TimePoint kNever = TimePoint::max();

}  // namespace tcpconform::model
