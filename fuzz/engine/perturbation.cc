// Resolving symbolic perturbations into script steps, and the basis they are resolved against.
#include "perturbation.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>

namespace tcpconform::explore_steps {
namespace {

using engine::Action;
using engine::Direction;
using engine::PacketSpec;
using engine::Program;
using engine::SyscallSpec;
using model::CallKind;

// The windows and MSS the generator assumes (generator.h).
using engine::explore::kNominalWindow;
using engine::explore::kPeerMss;
using engine::explore::kPeerWindow;

void add(Program& program, Action action) {
  engine::Step step;
  step.time.kind =
      program.steps.empty() ? engine::TimeKind::kAbsolute : engine::TimeKind::kRelative;
  if (std::holds_alternative<engine::AdvanceTime>(action)) step.time.kind = engine::TimeKind::kNone;
  step.where.file = program.file;
  step.where.line = static_cast<std::uint32_t>(program.steps.size() + 1);
  step.action = std::move(action);
  program.steps.push_back(std::move(step));
}

model::SocketCall make_call(CallKind kind, int fd) {
  model::SocketCall c;
  c.kind = kind;
  c.fd = fd;
  return c;
}

// A call whose result is not checked (`= ...`).
void add_call(Program& program, const model::SocketCall& c) {
  SyscallSpec s;  // no name: the printer spells the call from `call`
  s.call = c;
  s.fd = c.fd;
  s.any_result = true;
  add(program, std::move(s));
}

std::uint32_t seq_value(SeqPoint p, const Basis& b) {
  const std::uint32_t nxt = b.peer_nxt;
  switch (p) {
    case SeqPoint::kLeft: return nxt;
    case SeqPoint::kLeftMinus1: return nxt - 1;
    case SeqPoint::kInside: return nxt + kNominalWindow / 2;
    case SeqPoint::kRightMinus1: return nxt + kNominalWindow - 1;
    case SeqPoint::kRight: return nxt + kNominalWindow;
    case SeqPoint::kFarAhead: return nxt + 0x40000000U;
    case SeqPoint::kFarBehind: return nxt - 0x40000000U;
    case SeqPoint::kHalfSpace: return nxt + 0x80000000U;
    // Relative numbers whose wire values (relative + 0x60000000) sit at the 2^32 wrap.
    case SeqPoint::kWrapLast: return 0x9fffffffU;
    case SeqPoint::kWrapFirst: return 0xa0000000U;
    case SeqPoint::kWrapBefore: return 0x9fffff00U;
    case SeqPoint::kIsn: return 0;
  }
  return nxt;
}

std::uint32_t ack_value(AckPoint p, const Basis& b) {
  const std::uint32_t una = b.stack_una;
  const std::uint32_t nxt = b.stack_nxt;
  switch (p) {
    case AckPoint::kNxt: return nxt;
    case AckPoint::kUnaMinus1: return una - 1;
    case AckPoint::kUna: return una;
    case AckPoint::kInside: return nxt - una >= 2 ? una + (nxt - una) / 2 : una;
    case AckPoint::kNxtPlus1: return nxt + 1;
    case AckPoint::kOldBound: return una - kPeerWindow;
    case AckPoint::kOldBoundMinus1: return una - kPeerWindow - 1;
    case AckPoint::kFarAhead: return nxt + 0x40000000U;
    case AckPoint::kHalfSpace: return una + 0x80000000U;
    case AckPoint::kFarBehind: return una - 0x40000000U;
  }
  return nxt;
}

// Moves the basis as an in-order, acceptable segment would (the explore generator's rule).
void follow(Basis& b, const PacketSpec& p) {
  if (p.flags.has(wire::Flag::kSyn) && !p.flags.has(wire::Flag::kRst) && !b.peer_syn) {
    // The peer's first SYN (an open that the prefix left to the perturbations) sets RCV.NXT.
    b.peer_syn = true;
    b.peer_nxt = p.seq + 1;
    return;
  }
  if (p.flags.has(wire::Flag::kRst) || p.flags.has(wire::Flag::kSyn)) return;
  if (p.seq != b.peer_nxt) return;
  b.peer_nxt += p.payload_len + (p.flags.has(wire::Flag::kFin) ? 1U : 0U);
  if (p.ack && *p.ack - b.stack_una <= b.stack_nxt - b.stack_una) b.stack_una = *p.ack;
}

void append_segment(Program& program, Basis& b, const Segment& s) {
  PacketSpec p;
  p.direction = Direction::kInbound;
  p.flags = wire::Flags{s.flags};
  p.seq = seq_value(s.seq, b);
  p.payload_len = kPayloads[s.payload % std::size(kPayloads)];
  if (p.flags.has(wire::Flag::kAck)) p.ack = ack_value(s.ack, b);
  p.window = kWindows[s.window % std::size(kWindows)];
  if (s.mss) p.options = {wire::option::Mss{kPeerMss}};
  follow(b, p);
  add(program, std::move(p));
}

void append_duplicate(Program& program) {
  for (auto it = program.steps.rbegin(); it != program.steps.rend(); ++it) {
    if (const auto* p = std::get_if<PacketSpec>(&it->action);
        p != nullptr && p->direction == Direction::kInbound) {
      const PacketSpec copy = *p;
      add(program, copy);
      return;
    }
  }
}

void forget(Basis& b, int fd) {
  if (fd == b.conn_fd) b.conn_fd = -1;
  if (fd == b.listen_fd) b.listen_fd = -1;
}

void queue_fin(Basis& b) {
  if (!b.stack_fin) b.stack_nxt += 1;
  b.stack_fin = true;
}

void append_call(Program& program, Basis& b, const Call& c) {
  int fd = c.fd == FdRef::kConnection ? b.conn_fd : b.listen_fd;
  if (fd < 0) fd = c.fd == FdRef::kConnection ? b.listen_fd : b.conn_fd;
  if (fd < 0) {
    // Nothing left open: a fresh socket (it reuses no tuple).
    add_call(program, make_call(CallKind::kSocket, -1));
    return;
  }
  switch (c.op) {
    case CallOp::kSend1:
    case CallOp::kSend100:
    case CallOp::kSend3000: {
      model::SocketCall s = make_call(CallKind::kSend, fd);
      s.length = c.op == CallOp::kSend1 ? 1 : c.op == CallOp::kSend100 ? 100 : 3000;
      add_call(program, s);
      if (fd == b.conn_fd && !b.stack_fin && b.synchronized) b.stack_nxt += s.length;
      return;
    }
    case CallOp::kRecv: {
      model::SocketCall r = make_call(CallKind::kRecv, fd);
      r.length = 1000;
      add_call(program, r);
      return;
    }
    case CallOp::kShutdownRead:
    case CallOp::kShutdownWrite:
    case CallOp::kShutdownBoth: {
      model::SocketCall s = make_call(CallKind::kShutdown, fd);
      s.how = c.op == CallOp::kShutdownRead    ? model::ShutdownHow::kRead
              : c.op == CallOp::kShutdownWrite ? model::ShutdownHow::kWrite
                                               : model::ShutdownHow::kReadWrite;
      add_call(program, s);
      if (c.op != CallOp::kShutdownRead && fd == b.conn_fd) queue_fin(b);
      return;
    }
    case CallOp::kClose:
      add_call(program, make_call(CallKind::kClose, fd));
      if (fd == b.conn_fd) queue_fin(b);
      forget(b, fd);
      return;
    case CallOp::kAbort: {
      model::SocketCall l = make_call(CallKind::kSetSockOpt, fd);
      l.option = model::SockOpt::kSoLinger;
      l.linger_on = true;
      l.value = 0;
      add_call(program, l);
      add_call(program, make_call(CallKind::kClose, fd));
      forget(b, fd);
      return;
    }
    case CallOp::kConnect: add_call(program, make_call(CallKind::kConnect, fd)); return;
    case CallOp::kAccept: {
      const int listener = b.listen_fd >= 0 ? b.listen_fd : fd;
      add_call(program, make_call(CallKind::kAccept, listener));
      // A connection completed by the perturbations is accepted as the lowest free descriptor.
      if (b.conn_fd < 0 && b.listen_fd >= 0) b.conn_fd = 4;
      return;
    }
    case CallOp::kListen: {
      model::SocketCall l = make_call(CallKind::kListen, fd);
      l.backlog = 8;
      add_call(program, l);
      return;
    }
    case CallOp::kGetSoError: {
      model::SocketCall g = make_call(CallKind::kGetSockOpt, fd);
      g.option = model::SockOpt::kSoError;
      add_call(program, g);
      return;
    }
  }
}

void append_advance(Program& program, Basis& b, const Advance& a, const Limits& limits) {
  const std::int64_t d = kAdvances[a.duration % std::size(kAdvances)];
  if (b.advanced_us + d > limits.max_advance_us) return;
  b.advanced_us += d;
  add(program, engine::AdvanceTime{d});
}

std::string_view seq_name(SeqPoint p) {
  static constexpr std::array<std::string_view, kSeqPointCount> kNames = {
      "rcv.nxt",    "rcv.nxt-1",  "inside",    "right-edge-1", "right-edge", "far-ahead",
      "far-behind", "half-space", "wrap-last", "wrap-first",   "wrap-256",   "isn"};
  return kNames[static_cast<std::size_t>(p) % kNames.size()];
}

std::string_view ack_name(AckPoint p) {
  static constexpr std::array<std::string_view, kAckPointCount> kNames = {
      "snd.nxt",   "snd.una-1",   "snd.una",   "inside",     "snd.nxt+1",
      "old-bound", "old-bound-1", "far-ahead", "half-space", "far-behind"};
  return kNames[static_cast<std::size_t>(p) % kNames.size()];
}

std::string_view call_name(CallOp op) {
  static constexpr std::array<std::string_view, kCallOpCount> kNames = {"send(1)",
                                                                        "send(100)",
                                                                        "send(3000)",
                                                                        "recv",
                                                                        "shutdown(RD)",
                                                                        "shutdown(WR)",
                                                                        "shutdown(RDWR)",
                                                                        "close",
                                                                        "abort",
                                                                        "connect",
                                                                        "accept",
                                                                        "listen",
                                                                        "getsockopt(SO_ERROR)"};
  return kNames[static_cast<std::size_t>(op) % kNames.size()];
}

}  // namespace

Basis basis_after(const Program& prefix) {
  Basis b;
  for (const engine::Step& step : prefix.steps) {
    if (const auto* p = std::get_if<PacketSpec>(&step.action)) {
      const bool syn = p->flags.has(wire::Flag::kSyn);
      const bool fin = p->flags.has(wire::Flag::kFin);
      if (p->direction == Direction::kOutbound) {
        b.stack_nxt =
            std::max(b.stack_nxt, p->seq + p->payload_len + (syn ? 1U : 0U) + (fin ? 1U : 0U));
        b.stack_fin = b.stack_fin || fin;
        continue;
      }
      if (syn && !b.peer_syn) {
        b.peer_syn = true;
        b.peer_nxt = p->seq + 1;
      } else if (!syn && p->seq == b.peer_nxt) {
        b.peer_nxt += p->payload_len + (fin ? 1U : 0U);
      }
      if (p->ack && p->flags.has(wire::Flag::kAck)) {
        b.stack_una = *p->ack;
        b.synchronized = b.synchronized || (b.peer_syn && *p->ack >= 1);
      }
    } else if (const auto* s = std::get_if<SyscallSpec>(&step.action); s != nullptr && s->call) {
      const model::SocketCall& c = *s->call;
      switch (c.kind) {
        case CallKind::kListen: b.listen_fd = c.fd; break;
        case CallKind::kConnect: b.conn_fd = c.fd; break;
        case CallKind::kAccept: b.conn_fd = static_cast<int>(s->expected.value); break;
        case CallKind::kClose: forget(b, c.fd); break;
        default: break;
      }
    } else if (const auto* a = std::get_if<engine::AdvanceTime>(&step.action)) {
      b.advanced_us += a->usecs;
    }
  }
  return b;
}

void append(Program& program, Basis& basis, const Perturbation& p, const Limits& limits) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Segment>) {
          append_segment(program, basis, v);
        } else if constexpr (std::is_same_v<T, Call>) {
          append_call(program, basis, v);
        } else if constexpr (std::is_same_v<T, Advance>) {
          append_advance(program, basis, v, limits);
        } else {
          append_duplicate(program);
        }
      },
      p);
}

Program prefix(engine::explore::Target target, std::uint32_t variant) {
  engine::explore::GeneratorOptions none;
  none.min_perturbations = 0;
  none.max_perturbations = 0;
  none.timer_program_percent = 0;
  return engine::explore::generate(variant, target, none).program;
}

std::string describe(const Perturbation& p) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Segment>) {
          return fmt::format("segment flags=0x{:02x} seq={} ack={} len={} win={}{}", v.flags,
                             seq_name(v.seq), ack_name(v.ack),
                             kPayloads[v.payload % std::size(kPayloads)],
                             kWindows[v.window % std::size(kWindows)], v.mss ? " mss" : "");
        } else if constexpr (std::is_same_v<T, Call>) {
          return fmt::format("call {} on {}", call_name(v.op),
                             v.fd == FdRef::kConnection ? "connection" : "listener");
        } else if constexpr (std::is_same_v<T, Advance>) {
          return fmt::format("advance {}us", kAdvances[v.duration % std::size(kAdvances)]);
        } else {
          return "duplicate the latest inbound segment";
        }
      },
      p);
}

}  // namespace tcpconform::explore_steps
