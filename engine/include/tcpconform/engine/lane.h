// One system under test playing a Program: maps script space to the wire, keeps the lane's
// clock, checks each expectation and records the exchange.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "tcpconform/engine/program.h"
#include "tcpconform/engine/result.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/harness/sut.h"

namespace tcpconform::engine {

// Script space: the stack's port is written 8080 and the peer's 40000 (in `//@ state` tuples
// and reports), the stack's address 192.0.2.1 and the peer's 192.0.2.2 (2001:db8::1 and ::2 in
// IPv6). Sequence numbers are relative to each side's ISN, as in packetdrill.
inline constexpr std::uint16_t kScriptStackPort = 8080;
inline constexpr std::uint16_t kScriptPeerPort = 40000;

struct LaneOptions {
  wire::IpVersion version = wire::IpVersion::kV4;
  std::uint16_t stack_port = kScriptStackPort;  // the port `bind(…, ...)` uses on the wire
  std::uint16_t peer_port = kScriptPeerPort;    // the injected peer's port on the wire
  wire::SeqNum peer_isn{0x60000000};            // the script's ISN on the wire
  // Extra time allowed after an outbound segment's latest expected time before it counts as
  // missing (packetdrill's --tolerance_usecs; the program's own value wins when larger).
  std::int64_t tolerance_us = 50'000;
};

// "0", "5", "-1 EPIPE": a call's result as scripts write it.
[[nodiscard]] std::string call_result_text(const model::CallResult& r);

class Lane {
 public:
  // The model's lane: its virtual clock is the lane's, its state changes tell reach() whether a
  // gap held a timer, and settings it does not model are noted. `model` must outlive the lane.
  Lane(harness::ModelSut& model, const Program& program, LaneOptions options);
  // A stack's lane (any stack, a model standing in for one included). `stack` must outlive it.
  Lane(harness::SystemUnderTest& stack, const Program& program, LaneOptions options);

  // Applies the program's settings; call once before the first step.
  [[nodiscard]] harness::Result<void> start();
  // Brings the lane's clock to the start of step `i`. A virtual lane advances exactly and
  // reports whether anything happened in the gap (a timer fired); a real lane sleeps only when
  // `wait` is true and otherwise skips the gap.
  [[nodiscard]] harness::Result<bool> reach(std::size_t i, bool wait);
  // Performs step `i` (after reach). A departure from the script is recorded as the lane's
  // mismatch (see failed()); the error is for harness failures only.
  [[nodiscard]] harness::Result<void> execute(std::size_t i);
  // After the last step: no blocking call may still be pending. (Segments sent after the last
  // step are not judged, as in packetdrill; a script ends with `//@ quiet` to assert none.)
  [[nodiscard]] harness::Result<void> finish();

  [[nodiscard]] bool failed() const { return result_.mismatch.has_value(); }
  [[nodiscard]] const LaneResult& result() const { return result_; }
  [[nodiscard]] LaneResult& result() { return result_; }
  // The SUT's connections of this program, with ports mapped back to script space.
  [[nodiscard]] harness::Result<std::vector<model::ConnectionObservation>> observe_script_space();
  [[nodiscard]] std::int64_t now_us() const { return script_now_; }
  // What the call of step `i` returned when the script left its result open (`= ...`): the
  // runner compares these between lanes. Nullopt until the call completed (or for other steps).
  [[nodiscard]] const std::optional<model::CallResult>& open_result(std::size_t i) const {
    return open_results_[i];
  }

 private:
  struct PendingCall {
    std::size_t step = 0;
    model::SocketCall call;
  };

  std::int64_t step_start(const TimeSpec& t) const;
  std::int64_t step_end(const TimeSpec& t) const;
  void fail(std::size_t i, std::string what, std::vector<FieldDiff> diffs = {});
  void trace(TraceEntry::Kind kind, std::size_t i, std::string text);

  // lane_packets.cc
  [[nodiscard]] harness::Result<void> inbound(std::size_t i, const PacketSpec& spec);
  [[nodiscard]] harness::Result<void> outbound(std::size_t i, const PacketSpec& spec);
  [[nodiscard]] harness::Result<void> pull();  // collect() into queue_
  [[nodiscard]] harness::Result<std::optional<wire::Segment>> next_segment(std::int64_t deadline);
  [[nodiscard]] harness::Result<void> expect_quiet(std::size_t i);
  [[nodiscard]] wire::Segment build_inbound(const PacketSpec& spec) const;
  [[nodiscard]] std::vector<FieldDiff> compare(const PacketSpec& spec, const wire::Segment& s);
  [[nodiscard]] std::string script_text(const wire::Segment& s) const;

  // lane_calls.cc
  [[nodiscard]] harness::Result<void> syscall(std::size_t i, const SyscallSpec& spec);
  [[nodiscard]] harness::Result<void> retry_pending();
  void check_call(std::size_t i, const SyscallSpec& spec, const model::SocketCall& call,
                  const model::CallResult& got);
  [[nodiscard]] model::SocketCall to_wire_call(const SyscallSpec& spec) const;
  [[nodiscard]] harness::Result<void> code_block(std::size_t i, const CodeBlock& block);
  [[nodiscard]] harness::Result<void> state_expectation(std::size_t i,
                                                        const StateExpectation& expect);
  [[nodiscard]] harness::Result<void> advance_time(std::size_t i, const AdvanceTime& a);
  [[nodiscard]] wire::IpAddress script_address(const wire::IpAddress& a) const;

  harness::SystemUnderTest& sut_;
  harness::ModelSut* model_ = nullptr;
  // The stack's time is virtual (the model, or an in-process stack): gaps are advanced, never
  // slept through.
  bool virtual_time_ = false;
  const Program& program_;
  LaneOptions options_;
  harness::Addresses addresses_;
  LaneResult result_;

  // Clock: script time now, and for real lanes the real instant that corresponds to it.
  std::int64_t script_now_ = 0;
  std::chrono::steady_clock::time_point anchor_;

  // Mappings learned from the stack's segments.
  std::optional<wire::SeqNum> stack_isn_;
  std::optional<std::int64_t> ts_offset_;  // stack's TSval on the wire minus the script's
  std::uint16_t stack_port_;               // may be re-learned from an active open's SYN

  std::deque<wire::Segment> queue_;  // sent by the stack, not yet matched
  std::vector<PendingCall> pending_;
  std::vector<int> nonblocking_fds_;
  int last_fd_ = -1;  // the socket `%{ }%` assertions look at
  std::vector<std::optional<model::CallResult>> open_results_;  // one per step
};

}  // namespace tcpconform::engine
