// Human-readable reports of a scenario run: the ladder diagram and the failure explanation.
#pragma once

#include <string>

#include "tcpconform/engine/result.h"

namespace tcpconform::engine {

// The exchange a lane saw, one line per event, time on the left, stack and peer as columns:
//   0.100  stack <-- peer  S 0:0(0) win 32792 <mss 1000>
//   0.100  stack --> peer  S. 0:0(0) ack 1 win 65160 <mss 1460,nop,wscale 7>
[[nodiscard]] std::string ladder(const LaneResult& lane);

// Why a scenario did not pass: where, expected versus actual field by field, the rule ids the
// model applied, and each lane's exchange up to that point.
[[nodiscard]] std::string explain(const ScenarioResult& result);

}  // namespace tcpconform::engine
