// What running a scenario produced: per-lane traces, the first mismatch, divergences, coverage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tcpconform/engine/program.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/model/rules.h"
#include "tcpconform/model/state.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::engine {

// One line of a lane's exchange, in script space (relative sequence numbers), for the ladder.
struct TraceEntry {
  enum class Kind : std::uint8_t {
    kInbound,   // the peer (the script) sent a segment
    kOutbound,  // the stack sent a segment
    kCall,      // a socket call and its result
    kState,     // a state change or an observation
    kNote,      // anything else worth showing (skipped shell command, wait)
  };
  Kind kind = Kind::kNote;
  std::size_t step = 0;      // index in Program::steps
  std::int64_t time_us = 0;  // script time at which it happened
  std::string text;          // e.g. "S. 0:0(0) ack 1 win 65160 <mss 1460,...>"
};

// One field that differs between what the script (or the other lane) expected and what was seen.
struct FieldDiff {
  std::string field;  // "tcp_flags", "tcp_ack", "state", "call.errno", …
  std::string expected;
  std::string actual;
};

struct Mismatch {
  std::size_t step = 0;
  SourceLocation where;
  std::string what;  // one line: "outbound segment differs", "no segment sent by +0.2", …
  std::vector<FieldDiff> diffs;
};

// One system under test's run of the scenario.
struct LaneResult {
  std::string sut;  // "linux 6.18.44", "model (linux)"
  bool passed = false;
  std::optional<Mismatch> mismatch;  // the first step where the lane departed from the script
  std::vector<TraceEntry> trace;
  std::vector<std::string> notes;  // skipped shell commands, ignored settings, …
  std::int64_t waited_us = 0;      // real time spent waiting for timers (kernel lanes)
  // Every segment on the wire, both directions, with the script time it was seen (for pcap).
  std::vector<std::pair<std::int64_t, wire::Segment>> packets;
};

// A step where the model and a system under test disagree about the connections' states.
struct Divergence {
  std::size_t step = 0;
  SourceLocation where;
  std::string what;
  std::vector<FieldDiff> diffs;
  std::vector<model::Rule> rules;  // the rules the model applied at that step
};

enum class Verdict : std::uint8_t {
  kPass,
  kFail,
  kKnownDeviation,  // the failure is one the active profile documents (rule ids in `explained_by`)
  kError,           // the scenario could not be run (harness failure)
};

struct ScenarioResult {
  std::string file;
  wire::IpVersion version = wire::IpVersion::kV4;
  Verdict verdict = Verdict::kFail;
  std::string summary;  // one line: why it failed, or empty
  // kError: the harness failure; `error->stack_crashed` when the stack under test itself died
  // (a finding about the stack, not a failure of the harness).
  std::optional<harness::Error> error;
  std::vector<LaneResult> lanes;
  std::optional<Divergence> divergence;
  std::vector<model::Rule> explained_by;
  model::RuleSet rules;  // every rule the model applied
  // State-diagram edges the model walked: (from, to) pairs.
  std::vector<std::pair<model::State, model::State>> edges;
  std::int64_t wall_us = 0;    // wall time of the whole scenario
  std::int64_t waited_us = 0;  // of which real waits for kernel timers
};

std::string_view to_string(Verdict v);

}  // namespace tcpconform::engine
