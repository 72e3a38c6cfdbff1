// The program generator: seeds, targets, the step builder and the prefixes that reach each state.
#include "tcpconform/engine/explore/generator.h"

#include <cerrno>

#include "builder.h"

namespace tcpconform::engine::explore {
namespace detail {

void Builder::add(Action action) {
  Step step;
  step.time.kind = program.steps.empty() ? TimeKind::kAbsolute : TimeKind::kRelative;
  if (std::holds_alternative<AdvanceTime>(action)) step.time.kind = TimeKind::kNone;
  step.where.file = program.file;
  step.where.line = static_cast<std::uint32_t>(program.steps.size() + 1);
  step.action = std::move(action);
  program.steps.push_back(std::move(step));
}

void Builder::call(const model::SocketCall& c, model::CallResult expected, bool any) {
  SyscallSpec s;  // no name: the printer spells the call from `call`
  s.call = c;
  s.fd = c.fd;
  s.expected = expected;
  s.any_result = any;
  add(std::move(s));
}

void Builder::in(wire::Flags flags, std::uint32_t seq, std::uint32_t len,
                 std::optional<std::uint32_t> ack, std::uint16_t window,
                 std::vector<wire::Option> options) {
  PacketSpec p;
  p.direction = Direction::kInbound;
  p.flags = flags;
  p.seq = seq;
  p.payload_len = len;
  p.ack = ack;
  p.window = window;
  p.options = std::move(options);
  if (timestamps) p.options.emplace_back(wire::option::Timestamp{ts_val++, 0});
  add(std::move(p));
}

void Builder::out(wire::Flags flags, std::uint32_t seq, std::uint32_t len, std::uint32_t ack) {
  PacketSpec p;
  p.direction = Direction::kOutbound;
  p.flags = flags;
  p.seq = seq;
  p.payload_len = len;
  p.ack = ack;
  p.any_options = true;
  add(std::move(p));
}

model::SocketCall make_call(model::CallKind kind, int fd) {
  model::SocketCall c;
  c.kind = kind;
  c.fd = fd;
  return c;
}

namespace {

using model::CallKind;
using model::CallResult;

std::vector<wire::Option> syn_options() {
  return {wire::option::Mss{kPeerMss}};
}

// socket, SO_REUSEADDR, bind, listen: fd 3 listens.
void listen(Builder& b) {
  b.call(make_call(CallKind::kSocket, -1), CallResult::ok(3));
  model::SocketCall reuse = make_call(CallKind::kSetSockOpt, 3);
  reuse.option = model::SockOpt::kSoReuseAddr;
  reuse.value = 1;
  b.call(reuse, CallResult::ok(0));
  b.call(make_call(CallKind::kBind, 3), CallResult::ok(0));
  model::SocketCall l = make_call(CallKind::kListen, 3);
  l.backlog = 8;
  b.call(l, CallResult::ok(0));
  b.listen_fd = 3;
}

// Listener + peer SYN: our SYN,ACK.
void passive_syn(Builder& b) {
  listen(b);
  b.in(wire::kSyn, 0, 0, std::nullopt, kPeerWindow, syn_options());
  b.out(wire::kSynAck, 0, 0, 1);
  b.peer_nxt = 1;
  b.stack_nxt = 1;
}

void passive_established(Builder& b) {
  passive_syn(b);
  b.in(wire::kAck, 1, 0, 1);
  b.call(make_call(CallKind::kAccept, 3), CallResult::ok(4));
  b.stack_una = 1;
  b.conn_fd = 4;
  b.synchronized = true;
}

// Non-blocking connect: our SYN.
void active_syn(Builder& b) {
  b.call(make_call(CallKind::kSocket, -1), CallResult::ok(3));
  model::SocketCall nb = make_call(CallKind::kSetNonBlocking, 3);
  nb.value = 1;
  b.call(nb, CallResult::ok(0));
  b.call(make_call(CallKind::kConnect, 3), CallResult::fail(EINPROGRESS));
  b.out(wire::kSyn, 0, 0, 0);
  // A SYN's expectation must not check the ACK field (it is not set).
  std::get<PacketSpec>(b.program.steps.back().action).ack.reset();
  b.conn_fd = 3;
  b.stack_nxt = 1;
}

void active_established(Builder& b) {
  active_syn(b);
  b.in(wire::kSynAck, 0, 0, 1, kPeerWindow, syn_options());
  b.out(wire::kAck, 1, 0, 1);
  b.peer_nxt = 1;
  b.stack_una = 1;
  b.synchronized = true;
}

void simultaneous_open(Builder& b) {
  active_syn(b);
  b.in(wire::kSyn, 0, 0, std::nullopt, kPeerWindow, syn_options());
  b.out(wire::kSynAck, 0, 0, 1);
  b.peer_nxt = 1;
}

// ESTABLISHED either way, sometimes with data exchanged (read back) and some left unacked.
void established(Builder& b) {
  if (b.rng.chance(50)) {
    passive_established(b);
  } else {
    active_established(b);
  }
  if (b.rng.chance(30)) {
    b.in(wire::kPsh | wire::kAck, b.peer_nxt, 100, b.stack_nxt);
    b.peer_nxt += 100;
    b.out(wire::kAck, b.stack_nxt, 0, b.peer_nxt);
    model::SocketCall r = make_call(CallKind::kRecv, b.conn_fd);
    r.length = 1000;
    b.call(r, CallResult::ok(100));
  }
  if (b.rng.chance(30)) {
    model::SocketCall w = make_call(CallKind::kSend, b.conn_fd);
    w.length = 100;
    b.call(w, CallResult::ok(100));
    b.out(wire::kPsh | wire::kAck, b.stack_nxt, 100, b.peer_nxt);
    b.stack_nxt += 100;
  }
}

// shutdown(SHUT_WR) or close(): our FIN.
void send_fin(Builder& b) {
  if (b.rng.chance(50)) {
    model::SocketCall s = make_call(CallKind::kShutdown, b.conn_fd);
    s.how = model::ShutdownHow::kWrite;
    b.call(s, CallResult::ok(0));
  } else {
    b.call(make_call(CallKind::kClose, b.conn_fd), CallResult::ok(0));
    b.conn_fd = -1;
  }
  b.out(wire::kFinAck, b.stack_nxt, 0, b.peer_nxt);
  b.stack_nxt += 1;
  b.stack_fin = true;
}

// The peer's FIN acknowledging `ack`, and our ACK of it.
void peer_fin(Builder& b, std::uint32_t ack) {
  b.in(wire::kFinAck, b.peer_nxt, 0, ack);
  b.peer_nxt += 1;
  b.out(wire::kAck, b.stack_nxt, 0, b.peer_nxt);
}

void ack_everything(Builder& b) {
  b.in(wire::kAck, b.peer_nxt, 0, b.stack_nxt);
  b.stack_una = b.stack_nxt;
}

}  // namespace

void build_prefix(Builder& b, Target target) {
  switch (target) {
    case Target::kListen: listen(b); return;
    case Target::kSynSent: active_syn(b); return;
    case Target::kSynReceived: passive_syn(b); return;
    case Target::kSynReceivedActive: simultaneous_open(b); return;
    case Target::kEstablished: established(b); return;
    case Target::kEstablishedActive: active_established(b); return;
    case Target::kFinWait1:
      established(b);
      send_fin(b);
      return;
    case Target::kFinWait2:
      established(b);
      send_fin(b);
      ack_everything(b);
      return;
    case Target::kCloseWait:
      established(b);
      peer_fin(b, b.stack_nxt);
      b.stack_una = b.stack_nxt;
      return;
    case Target::kLastAck:
      established(b);
      peer_fin(b, b.stack_nxt);
      b.stack_una = b.stack_nxt;
      send_fin(b);
      return;
    case Target::kClosing:
      established(b);
      send_fin(b);
      peer_fin(b, b.stack_nxt - 1);  // does not cover our FIN
      return;
    case Target::kTimeWait:
      established(b);
      send_fin(b);
      ack_everything(b);
      peer_fin(b, b.stack_nxt);
      return;
  }
}

}  // namespace detail

std::string_view to_string(Target t) {
  switch (t) {
    case Target::kListen: return "LISTEN";
    case Target::kSynSent: return "SYN-SENT";
    case Target::kSynReceived: return "SYN-RECEIVED";
    case Target::kSynReceivedActive: return "SYN-RECEIVED(simultaneous-open)";
    case Target::kEstablished: return "ESTABLISHED";
    case Target::kEstablishedActive: return "ESTABLISHED(active)";
    case Target::kFinWait1: return "FIN-WAIT-1";
    case Target::kFinWait2: return "FIN-WAIT-2";
    case Target::kCloseWait: return "CLOSE-WAIT";
    case Target::kLastAck: return "LAST-ACK";
    case Target::kClosing: return "CLOSING";
    case Target::kTimeWait: return "TIME-WAIT";
  }
  return "?";
}

namespace {

constexpr std::uint64_t kTimestampStream = 0x74696d657374616dULL;

Generated build(Rng& rng, std::uint64_t seed, Target target, const GeneratorOptions& options) {
  detail::Builder b(rng);
  b.program.file = "generated.pkt";
  Rng ts_rng(mix_seed(seed, kTimestampStream));
  b.timestamps = ts_rng.chance(options.timestamp_program_percent);
  b.ts_rng = &ts_rng;
  detail::build_prefix(b, target);
  b.advance_left = rng.chance(options.timer_program_percent) ? options.max_advance_us : 0;
  Generated g;
  g.target = target;
  g.seed = seed;
  g.prefix_steps = b.program.steps.size();
  const std::size_t span = options.max_perturbations >= options.min_perturbations
                               ? options.max_perturbations - options.min_perturbations + 1
                               : 1;
  const std::size_t n = options.min_perturbations + rng.below(span);
  for (std::size_t k = 0; k < n; ++k) detail::perturb(b, options);
  g.program = std::move(b.program);
  return g;
}

}  // namespace

Generated generate(std::uint64_t seed, Target target, const GeneratorOptions& options) {
  Rng rng(seed);
  return build(rng, seed, target, options);
}

Generated generate(std::uint64_t seed, const GeneratorOptions& options) {
  Rng rng(seed);
  const auto target = static_cast<Target>(rng.below(kTargetCount));
  return build(rng, seed, target, options);
}

Generated Generator::next() {
  return generate(mix_seed(seed_, count_++), options_);
}

}  // namespace tcpconform::engine::explore
