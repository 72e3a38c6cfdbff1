// The generator's perturbations: inbound segments at the interesting points of the windows,
// duplicates, socket calls at odd moments, and time advancing across timers.
#include <array>

#include "builder.h"

namespace tcpconform::engine::explore::detail {
namespace {

using model::CallKind;
using model::CallResult;

// The six classic control bits; every combination of them is reachable (see flags()).
constexpr std::array<wire::Flag, 6> kBits = {wire::Flag::kFin, wire::Flag::kSyn, wire::Flag::kRst,
                                             wire::Flag::kPsh, wire::Flag::kAck, wire::Flag::kUrg};

wire::Flags flags(Rng& rng) {
  if (rng.chance(40)) {
    // Any of the 64 combinations.
    const std::uint64_t bits = rng.below(64);
    wire::Flags f;
    for (std::size_t i = 0; i < kBits.size(); ++i) {
      if ((bits >> i) & 1U) f = f.with(kBits[i]);
    }
    return f;
  }
  static constexpr wire::Flags kCommon[] = {
      wire::kSyn,
      wire::kSynAck,
      wire::kAck,
      wire::kAck,
      wire::kPsh | wire::kAck,
      wire::kFinAck,
      wire::kRst,
      wire::kRstAck,
      wire::kFin | wire::kPsh | wire::kAck,
      wire::kSyn | wire::kFin,
  };
  return rng.pick(kCommon);
}

// A sequence number at one of the interesting points relative to the stack's receive window
// [RCV.NXT, RCV.NXT + RCV.WND), nominal values.
std::uint32_t seq_point(Builder& b) {
  const std::uint32_t nxt = b.peer_nxt;
  if (b.rng.chance(45)) return nxt;
  static constexpr std::uint32_t kOffsets[] = {
      0xffffffffU,         // left edge - 1
      0,                   // left edge
      kNominalWindow / 2,  // inside
      kNominalWindow - 1,  // right edge - 1
      kNominalWindow,      // right edge (first byte outside)
      0x40000000U,         // far outside, ahead
      0xc0000000U,         // far outside, behind
      0x80000000U,         // exactly half the sequence space away
  };
  if (b.rng.chance(15)) {
    // Across the 2^32 wrap of the wire value (the lane puts the peer's ISN at 0x60000000):
    // the last numbers before zero and the first after it.
    static constexpr std::uint32_t kWrap[] = {0x9fffffffU, 0xa0000000U, 0x9fffff00U};
    return b.rng.pick(kWrap);
  }
  return nxt + b.rng.pick(kOffsets);
}

// An acknowledgment number at one of the interesting points relative to [SND.UNA, SND.NXT].
std::uint32_t ack_point(Builder& b) {
  const std::uint32_t una = b.stack_una;
  const std::uint32_t nxt = b.stack_nxt;
  if (b.rng.chance(45)) return nxt;
  switch (b.rng.below(9)) {
    case 0: return una - 1;
    case 1: return una;
    case 2: return nxt - una >= 2 ? una + (nxt - una) / 2 : una;  // inside
    case 3: return nxt + 1;                                       // above SND.NXT
    case 4: return una - kPeerWindow;                             // the old-ACK bound
    case 5: return una - kPeerWindow - 1;
    case 6: return nxt + 0x40000000U;   // far ahead
    case 7: return una + 0x80000000U;   // half the space away
    default: return una - 0x40000000U;  // far behind
  }
}

std::uint32_t payload(Rng& rng) {
  static constexpr std::uint32_t kLengths[] = {0, 0, 0, 0, 0, 1, 10, 100, 1000};
  return rng.pick(kLengths);
}

// Moves the nominal values as an in-order, acceptable segment would.
void follow(Builder& b, const PacketSpec& p) {
  if (p.flags.has(wire::Flag::kRst) || p.flags.has(wire::Flag::kSyn)) return;
  if (p.seq != b.peer_nxt) return;
  b.peer_nxt += p.payload_len + (p.flags.has(wire::Flag::kFin) ? 1U : 0U);
  if (p.ack && *p.ack - b.stack_una <= b.stack_nxt - b.stack_una) b.stack_una = *p.ack;
}

void segment(Builder& b) {
  PacketSpec p;
  p.direction = Direction::kInbound;
  p.flags = flags(b.rng);
  p.seq = seq_point(b);
  p.payload_len = payload(b.rng);
  if (p.flags.has(wire::Flag::kAck)) p.ack = ack_point(b);
  static constexpr std::uint16_t kWindows[] = {kPeerWindow, kPeerWindow, kPeerWindow, 0, 1, 1000};
  p.window = b.rng.pick(kWindows);
  if (p.flags.has(wire::Flag::kSyn) && b.rng.chance(70)) p.options = {wire::option::Mss{kPeerMss}};
  if (auto ts = perturbation_timestamp(b)) p.options.push_back(*ts);
  follow(b, p);
  b.add(std::move(p));
}

// Repeats the latest inbound segment, as the network may.
bool duplicate(Builder& b) {
  for (auto it = b.program.steps.rbegin(); it != b.program.steps.rend(); ++it) {
    if (const auto* p = std::get_if<PacketSpec>(&it->action);
        p != nullptr && p->direction == Direction::kInbound) {
      const PacketSpec copy = *p;
      b.add(copy);
      return true;
    }
  }
  return false;
}

void close_fd(Builder& b, int fd) {
  if (fd == b.conn_fd) b.conn_fd = -1;
  if (fd == b.listen_fd) b.listen_fd = -1;
}

void queue_fin(Builder& b) {
  if (!b.stack_fin) b.stack_nxt += 1;
  b.stack_fin = true;
}

void call(Builder& b) {
  // Mostly the connection; sometimes the listener (accept, connect, close at odd moments).
  int fd = b.conn_fd;
  if (fd < 0 || (b.listen_fd >= 0 && b.rng.chance(30))) fd = b.listen_fd;
  if (fd < 0) {
    // Nothing left open: a fresh socket that tries to connect to the peer (reusing no tuple).
    b.call(make_call(CallKind::kSocket, -1), CallResult{}, true);
    return;
  }
  switch (b.rng.below(10)) {
    case 0:
    case 1: {
      model::SocketCall c = make_call(CallKind::kSend, fd);
      static constexpr std::uint32_t kLengths[] = {1, 100, 3000};
      c.length = b.rng.pick(kLengths);
      b.call(c, CallResult{}, true);
      if (!b.stack_fin && b.synchronized) b.stack_nxt += c.length;
      return;
    }
    case 2: {
      model::SocketCall c = make_call(CallKind::kRecv, fd);
      c.length = 1000;
      b.call(c, CallResult{}, true);
      return;
    }
    case 3: {
      model::SocketCall c = make_call(CallKind::kShutdown, fd);
      static constexpr model::ShutdownHow kHow[] = {
          model::ShutdownHow::kRead, model::ShutdownHow::kWrite, model::ShutdownHow::kReadWrite};
      c.how = b.rng.pick(kHow);
      b.call(c, CallResult{}, true);
      if (c.how != model::ShutdownHow::kRead && fd == b.conn_fd) queue_fin(b);
      return;
    }
    case 4:
      b.call(make_call(CallKind::kClose, fd), CallResult{}, true);
      if (fd == b.conn_fd) queue_fin(b);
      close_fd(b, fd);
      return;
    case 5: {
      // Abort: SO_LINGER {1, 0} then close() (RFC 9293 ABORT).
      model::SocketCall l = make_call(CallKind::kSetSockOpt, fd);
      l.option = model::SockOpt::kSoLinger;
      l.linger_on = true;
      l.value = 0;
      b.call(l, CallResult{}, true);
      b.call(make_call(CallKind::kClose, fd), CallResult{}, true);
      close_fd(b, fd);
      return;
    }
    case 6: b.call(make_call(CallKind::kConnect, fd), CallResult{}, true); return;
    case 7: {
      const int listener = b.listen_fd >= 0 ? b.listen_fd : fd;
      b.call(make_call(CallKind::kAccept, listener), CallResult{}, true);
      // A connection completed by the perturbations is accepted as the lowest free descriptor.
      if (b.conn_fd < 0 && b.listen_fd >= 0) b.conn_fd = 4;
      return;
    }
    case 8: {
      model::SocketCall l = make_call(CallKind::kListen, fd);
      l.backlog = 8;
      b.call(l, CallResult{}, true);
      return;
    }
    default: {
      model::SocketCall g = make_call(CallKind::kGetSockOpt, fd);
      g.option = model::SockOpt::kSoError;  // reading SO_ERROR clears it
      b.call(g, CallResult{}, true);
      return;
    }
  }
}

bool advance(Builder& b) {
  static constexpr std::int64_t kSteps[] = {10'000, 100'000, 250'000, 500'000, 1'000'000};
  const std::int64_t d = b.rng.pick(kSteps);
  if (d > b.advance_left) return false;
  b.advance_left -= d;
  b.add(AdvanceTime{d});
  return true;
}

}  // namespace

std::optional<wire::Option> perturbation_timestamp(Builder& b) {
  if (!b.timestamps || b.ts_rng == nullptr) return std::nullopt;
  Rng& r = *b.ts_rng;
  const std::uint64_t roll = r.below(100);
  if (roll < 10) return std::nullopt;  // R150/R178: no TS on a timestamp connection
  if (roll < 20) {
    return wire::option::Timestamp{b.ts_val - 2, 0};  // R151: older than TS.Recent (PAWS)
  }
  if (roll < 25) {
    return wire::option::Timestamp{b.ts_val + 0x80000000U, 0};  // half the TS space away
  }
  if (roll < 32) {
    // R166: a TSecr that echoes nothing we sent (0 would be exempt).
    return wire::option::Timestamp{b.ts_val++, 0x12345678U};
  }
  return wire::option::Timestamp{b.ts_val++, 0};
}

void perturb(Builder& b, const GeneratorOptions& options) {
  const unsigned advance_percent = b.advance_left > 0 ? options.advance_percent : 0;
  const std::uint64_t roll = b.rng.below(100);
  if (roll < advance_percent && advance(b)) return;
  if (roll < advance_percent + options.call_percent) {
    call(b);
    return;
  }
  if (b.rng.chance(10) && duplicate(b)) return;
  segment(b);
}

}  // namespace tcpconform::engine::explore::detail
