// Internal to the generator: appends steps to a Program while tracking, roughly, where the
// connection's sequence space stands (script space, relative numbers).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/rng.h"
#include "tcpconform/engine/program.h"
#include "tcpconform/model/call.h"

namespace tcpconform::engine::explore::detail {

struct Builder {
  explicit Builder(Rng& r) : rng(r) {}

  Rng& rng;
  Program program;
  // Nominal values, relative to each side's ISN. They follow the prefix exactly and the
  // perturbations approximately (a perturbation the stack rejects does not move them).
  std::uint32_t peer_nxt = 0;   // the next sequence number the peer sends (stack's RCV.NXT)
  std::uint32_t stack_una = 0;  // the oldest byte the peer has not acknowledged
  std::uint32_t stack_nxt = 0;  // the stack's SND.NXT
  bool stack_fin = false;       // the stack has queued its FIN
  bool synchronized = false;    // both SYNs seen
  int conn_fd = -1;             // the connection's descriptor, -1 when none (closed, orphan)
  int listen_fd = -1;           // the listener's descriptor, -1 when none
  std::int64_t advance_left = 0;
  // Timestamp programs: every inbound segment carries TS (TSval `ts_val`, TSecr 0, which every
  // stack accepts), so timestamps are negotiated; `ts_rng` draws the TS perturbations (old,
  // missing, a bogus TSecr) from a stream of its own, so programs without timestamps are the
  // ones the same seed gave before timestamps existed.
  bool timestamps = false;
  std::uint32_t ts_val = 1000;
  Rng* ts_rng = nullptr;

  // Appends a step: the first one at absolute time 0, later ones at +0.
  void add(Action action);
  // A socket call; `expected` is checked unless `any` (then `= ...`).
  void call(const model::SocketCall& c, model::CallResult expected, bool any = false);
  // An inbound segment (window 65535 unless given); in a timestamp program it gets TS.
  void in(wire::Flags flags, std::uint32_t seq, std::uint32_t len, std::optional<std::uint32_t> ack,
          std::uint16_t window = kPeerWindow, std::vector<wire::Option> options = {});
  // An outbound expectation with any options (`<...>`).
  void out(wire::Flags flags, std::uint32_t seq, std::uint32_t len, std::uint32_t ack);
};

// Calls by kind, as the scripts write them (addresses as `...`: the engine's own).
model::SocketCall make_call(model::CallKind kind, int fd);

// Appends the prefix that reaches `target`.
void build_prefix(Builder& b, Target target);
// The TS option of a perturbation segment in a timestamp program (none: the segment goes
// without), advancing the peer's clock.
[[nodiscard]] std::optional<wire::Option> perturbation_timestamp(Builder& b);
// Appends one random perturbation step.
void perturb(Builder& b, const GeneratorOptions& options);

}  // namespace tcpconform::engine::explore::detail
