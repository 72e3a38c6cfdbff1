// Applies symbolic traces to a model endpoint and checks the model's properties after each event.
#include "trace_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>

namespace tcpconform::model::trace {

namespace {

using wire::Flag;
using wire::SeqLen;
using wire::SeqNum;

constexpr std::uint16_t kOurPort = 8080;
constexpr std::uint16_t kOurOtherPort = 8081;
constexpr std::uint16_t kPeerPort = 40000;
constexpr std::uint16_t kPeerOtherPort = 40001;
constexpr std::uint32_t kMaxSend = 1U << 22;

wire::IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  wire::IpAddress ip;
  ip.bytes[0] = a;
  ip.bytes[1] = b;
  ip.bytes[2] = c;
  ip.bytes[3] = d;
  return ip;
}

std::string state_text(State s) {
  return std::string{to_string(s)};
}

}  // namespace

std::optional<std::string_view> allowed_edge(const Profile& profile, State from, State to) {
  for (const AllowedEdge& e : kAllowedEdges) {
    if (e.from == from && e.to == to && (e.needs == nullptr || profile.*(e.needs))) return e.rules;
  }
  return std::nullopt;
}

std::string_view check_name(unsigned check) {
  switch (check) {
    case kCheckSndOrder: return "SND.UNA <= SND.NXT";
    case kCheckWindowEdge: return "receive window right edge never moves left (R82)";
    case kCheckStateEdges: return "state changes only along catalog edges";
    case kCheckChallengeAck: return "a challenge ACK changes no TCB variable (R135)";
    default: return "?";
  }
}

const wire::IpAddress& Runner::our_address() {
  static const wire::IpAddress a = v4(192, 0, 2, 1);
  return a;
}

const wire::IpAddress& Runner::peer_address() {
  static const wire::IpAddress a = v4(192, 0, 2, 2);
  return a;
}

wire::FourTuple Runner::four_tuple(Tuple tuple) {
  wire::FourTuple t{{our_address(), kOurPort}, {peer_address(), kPeerPort}};
  switch (tuple) {
    case Tuple::kMain: break;
    case Tuple::kOtherPeer: t.remote.port = kPeerOtherPort; break;
    case Tuple::kClosedPort: t.local.port = kOurOtherPort; break;
  }
  return t;
}

namespace {

Choices choices_of(const Trace& trace) {
  Choices c;
  c.iss = SeqNum{trace.our_iss};
  c.timestamps = (trace.header_options & kHdrTimestamps) != 0;
  c.sack = (trace.header_options & kHdrSack) != 0;
  c.window_scaling = (trace.header_options & kHdrWscale) != 0;
  return c;
}

}  // namespace

Runner::Runner(const Profile& profile, const Trace& trace, unsigned checks)
    : profile_(profile),
      checks_(checks),
      ep_(profile, {our_address()}, choices_of(trace)),
      peer_iss_(trace.peer_iss) {}

const Tcb* Runner::tcb(Tuple tuple) const {
  return ep_.find(four_tuple(tuple));
}

State Runner::state(Tuple tuple) const {
  const Tcb* t = tcb(tuple);
  return t == nullptr ? State::kClosed : t->state;
}

// Resolves the symbolic numbers against the TCB (or what was last known of it) and fills seg_.
void Runner::build_segment(const PeerSegment& p) {
  const wire::FourTuple tuple = four_tuple(p.tuple);
  Known k = known_[static_cast<std::size_t>(p.tuple)];
  if (const Tcb* t = ep_.find(tuple)) {
    k.valid = true;
    k.snd_una = t->snd_una;
    k.snd_nxt = t->snd_nxt;
    k.iss = t->iss;
    k.max_snd_wnd = t->max_snd_wnd;
    if (t->state == State::kSynSent) {
      k.rcv_nxt = SeqNum{peer_iss_};  // nothing received yet: the peer's SYN,ACK goes here
      k.irs = SeqNum{peer_iss_};
      k.rcv_wnd = 65535;
    } else {
      k.rcv_nxt = t->rcv_nxt;
      k.irs = t->irs;
      k.rcv_wnd = t->rcv_adv_valid && wire::le(t->rcv_nxt, t->rcv_adv)
                      ? (t->rcv_adv - t->rcv_nxt).value
                      : t->rcv_wnd;
    }
  } else if (!k.valid) {
    k.rcv_nxt = SeqNum{peer_iss_};
    k.irs = SeqNum{peer_iss_};
    k.rcv_wnd = 65535;
    k.iss = ep_.choices().iss;
    k.snd_una = k.iss;
    k.snd_nxt = k.iss + SeqLen{1};
  }
  SeqNum seq;
  switch (p.seq) {
    case SeqPoint::kLeft: seq = k.rcv_nxt; break;
    case SeqPoint::kLeftMinus1: seq = k.rcv_nxt - SeqLen{1}; break;
    case SeqPoint::kInside: seq = k.rcv_nxt + SeqLen{k.rcv_wnd / 2}; break;
    case SeqPoint::kRightMinus1: seq = k.rcv_nxt + SeqLen{k.rcv_wnd} - SeqLen{1}; break;
    case SeqPoint::kRight: seq = k.rcv_nxt + SeqLen{k.rcv_wnd}; break;
    case SeqPoint::kFar: seq = k.rcv_nxt + SeqLen{1U << 30}; break;
    case SeqPoint::kOpposite: seq = k.rcv_nxt + SeqLen{1U << 31}; break;
    case SeqPoint::kIrs: seq = k.irs; break;
    case SeqPoint::kPeerIss: seq = SeqNum{peer_iss_}; break;
  }
  seq = SeqNum{seq.value + static_cast<std::uint32_t>(static_cast<std::int32_t>(p.seq_delta))};
  SeqNum ack;
  switch (p.ack) {
    case AckPoint::kSndNxt: ack = k.snd_nxt; break;
    case AckPoint::kSndUna: ack = k.snd_una; break;
    case AckPoint::kSndUnaMinus1: ack = k.snd_una - SeqLen{1}; break;
    case AckPoint::kMid: ack = k.snd_una + SeqLen{(k.snd_nxt - k.snd_una).value / 2}; break;
    case AckPoint::kSndNxtPlus1: ack = k.snd_nxt + SeqLen{1}; break;
    case AckPoint::kBelowMaxWindow: ack = k.snd_una - SeqLen{k.max_snd_wnd} - SeqLen{1}; break;
    case AckPoint::kAtMaxWindow: ack = k.snd_una - SeqLen{k.max_snd_wnd}; break;
    case AckPoint::kFar: ack = k.snd_una + SeqLen{1U << 30}; break;
    case AckPoint::kIss: ack = k.iss; break;
    case AckPoint::kZero: ack = SeqNum{0}; break;
  }
  ack = SeqNum{ack.value + static_cast<std::uint32_t>(static_cast<std::int32_t>(p.ack_delta))};

  seg_.src = peer_address();
  seg_.dst = tuple.local.address;
  seg_.sport = tuple.remote.port;
  seg_.dport = tuple.local.port;
  seg_.seq = seq;
  seg_.ack = ack;
  seg_.flags = wire::Flags{p.flags};
  seg_.window = p.window;
  seg_.urgent = seg_.flags.has(Flag::kUrg) ? std::uint16_t{1} : std::uint16_t{0};
  seg_.ttl = 64;
  seg_.options.clear();
  if ((p.options & kOptMss) != 0) seg_.options.emplace_back(wire::option::Mss{1460});
  if ((p.options & kOptSackPerm) != 0) seg_.options.emplace_back(wire::option::SackPermitted{});
  if ((p.options & kOptTimestamp) != 0) {
    std::uint32_t val = peer_ts_;
    switch (p.ts) {
      case TsVal::kNext: val = ++peer_ts_; break;
      case TsVal::kSame: break;
      case TsVal::kOld: val = peer_ts_ - 1000U; break;
      case TsVal::kOpposite: val = peer_ts_ + (1U << 31); break;
    }
    seg_.options.emplace_back(wire::option::Timestamp{val, our_tsval_});
  }
  if ((p.options & kOptWscale) != 0) seg_.options.emplace_back(wire::option::WindowScale{7});
  // Deterministic content: byte i of the payload is the low byte of its sequence number.
  seg_.payload.resize(p.payload);
  for (std::size_t i = 0; i < seg_.payload.size(); ++i) {
    seg_.payload[i] = static_cast<std::uint8_t>((seq.value + i) & 0xffU);
  }
}

SocketCall Runner::build_call(const Call& c) const {
  SocketCall s;
  s.kind = c.kind;
  switch (c.fd) {
    case FdRef::kConn: s.fd = conn_fd_ >= 0 ? conn_fd_ : 3; break;
    case FdRef::kListener: s.fd = listener_fd_ >= 0 ? listener_fd_ : 3; break;
    case FdRef::kLast: s.fd = last_fd_ >= 0 ? last_fd_ : 3; break;
    case FdRef::kBogus: s.fd = 99; break;
  }
  const bool other = (c.misc & 1U) != 0;
  switch (c.kind) {
    case CallKind::kBind: s.address = {our_address(), other ? kOurOtherPort : kOurPort}; break;
    case CallKind::kConnect:
      s.address = {peer_address(), other ? kPeerOtherPort : kPeerPort};
      break;
    case CallKind::kListen: s.backlog = static_cast<int>(c.arg & 0xffffU); break;
    case CallKind::kSend: s.length = c.arg % (kMaxSend + 1); break;
    case CallKind::kRecv: s.length = c.arg; break;
    case CallKind::kShutdown: s.how = static_cast<ShutdownHow>(c.misc % 3U); break;
    case CallKind::kSetSockOpt:
    case CallKind::kGetSockOpt:
      s.option = static_cast<SockOpt>((c.misc & 0x7fU) % kSockOptCount);
      s.value = static_cast<std::int32_t>(c.arg);
      s.linger_on = (c.misc & 0x80U) != 0;
      break;
    case CallKind::kSetNonBlocking: s.value = c.arg & 1U; break;
    case CallKind::kExitProcess: s.process = static_cast<int>(c.arg & 1U); break;
    case CallKind::kSocket:
    case CallKind::kAccept:
    case CallKind::kClose: break;
  }
  return s;
}

Duration Runner::build_advance(const Advance& a) const {
  const TimePoint dl = ep_.next_deadline();
  const Duration fixed{a.micros};
  if (a.mode == AdvanceMode::kFixed || dl == kNever) return fixed;
  const Duration to = dl > ep_.now() ? dl - ep_.now() : Duration{0};
  switch (a.mode) {
    case AdvanceMode::kFixed: return fixed;
    case AdvanceMode::kToDeadline: return to;
    case AdvanceMode::kBeforeDeadline: return to > Duration{0} ? to - Duration{1} : to;
    case AdvanceMode::kPastDeadline: return to + fixed;
  }
  return fixed;
}

// Remembers what the peer learns from our segments (our TSval) and each tuple's last variables.
void Runner::note_output() {
  for (const wire::Segment& s : out_.segments) {
    if (const auto* ts = s.find_option<wire::option::Timestamp>()) our_tsval_ = ts->val;
  }
  for (std::uint8_t i = 0; i < kTupleCount; ++i) {
    const Tcb* t = ep_.find(four_tuple(static_cast<Tuple>(i)));
    if (t == nullptr) continue;
    Known& k = known_[i];
    k.valid = true;
    k.snd_una = t->snd_una;
    k.snd_nxt = t->snd_nxt;
    k.iss = t->iss;
    k.max_snd_wnd = t->max_snd_wnd;
    if (t->state != State::kSynSent) {
      k.rcv_nxt = t->rcv_nxt;
      k.irs = t->irs;
      k.rcv_wnd = t->rcv_wnd;
    }
  }
}

std::optional<Violation> Runner::fail(unsigned check, std::string detail) const {
  return Violation{steps_ - 1, check, std::move(detail)};
}

std::optional<Violation> Runner::step(const Event& event) {
  // Snapshots for the checks.
  states_before_.clear();
  ep_.for_each_tcb([this](const Tcb& t) { states_before_.emplace_back(t.tuple, t.state); });
  target_before_.reset();
  if (const auto* p = std::get_if<PeerSegment>(&event)) {
    if (const Tcb* t = tcb(p->tuple)) target_before_ = *t;
    build_segment(*p);
    ep_.on_segment(seg_, out_);
  } else if (const auto* c = std::get_if<Call>(&event)) {
    const SocketCall call = build_call(*c);
    ep_.on_call(call, out_);
    const CallResult r = *out_.result;
    switch (call.kind) {
      case CallKind::kSocket:
        if (r.value >= 0) last_fd_ = static_cast<int>(r.value);
        break;
      case CallKind::kListen:
        if (r.value == 0) listener_fd_ = call.fd;
        break;
      case CallKind::kConnect:
        if (r.value == 0 || r.error == EINPROGRESS) conn_fd_ = call.fd;
        break;
      case CallKind::kAccept:
        if (r.value >= 0) conn_fd_ = static_cast<int>(r.value);
        break;
      default: break;
    }
  } else {
    ep_.advance(build_advance(std::get<Advance>(event)), out_);
  }
  ++steps_;
  ep_.check_invariants();
  auto v = check(event);
  note_output();
  return v;
}

std::optional<Violation> Runner::check(const Event& event) {
  if ((checks_ & kCheckSndOrder) != 0) {
    std::optional<Violation> v;
    ep_.for_each_tcb([&](const Tcb& t) {
      if (!v && !wire::le(t.snd_una, t.snd_nxt)) {
        v = fail(kCheckSndOrder, fmt::format("SND.UNA {} > SND.NXT {}: {}", t.snd_una.value,
                                             t.snd_nxt.value, t.to_string()));
      }
    });
    if (v) return v;
  }

  if ((checks_ & kCheckWindowEdge) != 0) {
    std::optional<Violation> v;
    std::vector<Edge> next;
    ep_.for_each_tcb([&](const Tcb& t) {
      if (t.state == State::kSynSent) return;  // nothing received: no receive window yet
      Edge e{t.serial, t.rcv_nxt + SeqLen{t.rcv_wnd}, t.rcv_adv, t.rcv_adv_valid, true};
      const auto old = std::find_if(edges_.begin(), edges_.end(),
                                    [&](const Edge& o) { return o.serial == t.serial; });
      if (!v && old != edges_.end()) {
        if (wire::lt(e.right, old->right)) {
          v = fail(kCheckWindowEdge, fmt::format("RCV.NXT+RCV.WND moved left from {} to {}: {}",
                                                 old->right.value, e.right.value, t.to_string()));
        } else if (old->adv_valid && e.adv_valid && wire::lt(e.adv, old->adv)) {
          v = fail(kCheckWindowEdge,
                   fmt::format("advertised right edge moved left from {} to {}: {}", old->adv.value,
                               e.adv.value, t.to_string()));
        }
      }
      next.push_back(e);
    });
    edges_ = std::move(next);
    if (v) return v;
  }

  if ((checks_ & kCheckStateEdges) != 0) {
    auto current = states_before_;
    const auto lookup = [&](const wire::FourTuple& tuple) {
      return std::find_if(current.begin(), current.end(),
                          [&](const auto& p) { return p.first == tuple; });
    };
    for (const StateChange& c : out_.state_changes) {
      const auto rules = allowed_edge(profile_, c.from, c.to);
      if (!rules) {
        return fail(
            kCheckStateEdges,
            fmt::format("{} -> {} ({} {}) is not a catalog edge", to_string(c.from),
                        to_string(c.to), c.tuple.local.to_string(), c.tuple.remote.to_string()));
      }
      const bool listener = c.tuple.remote.port == 0;
      if (listener) continue;  // listeners are sockets, not TCBs
      auto it = lookup(c.tuple);
      const State before = it == current.end() ? State::kClosed : it->second;
      // A new connection starts CLOSED (active) or as the listener's clone in LISTEN (R4).
      const bool continues =
          c.from == before || (c.from == State::kListen && before == State::kClosed);
      if (!continues) {
        return fail(kCheckStateEdges,
                    fmt::format("change {} -> {} does not continue the previous state {} ({})",
                                to_string(c.from), to_string(c.to), to_string(before),
                                c.tuple.remote.to_string()));
      }
      const State now = c.to == State::kListen ? State::kClosed : c.to;
      if (it == current.end()) {
        current.emplace_back(c.tuple, now);
      } else {
        it->second = now;
      }
    }
    std::optional<Violation> v;
    ep_.for_each_tcb([&](const Tcb& t) {
      auto it = lookup(t.tuple);
      const State expected = it == current.end() ? State::kClosed : it->second;
      if (!v && expected != t.state) {
        v = fail(kCheckStateEdges,
                 fmt::format("state {} reached without a recorded change (expected {}): {}",
                             state_text(t.state), state_text(expected), t.to_string()));
      }
    });
    if (v) return v;
    for (const auto& [tuple, st] : current) {
      if (st != State::kClosed && ep_.find(tuple) == nullptr) {
        return fail(kCheckStateEdges,
                    fmt::format("{} connection {} vanished without a change to CLOSED",
                                state_text(st), tuple.remote.to_string()));
      }
    }
  }

  if ((checks_ & kCheckChallengeAck) != 0 && std::holds_alternative<PeerSegment>(event) &&
      out_.rules.contains(Rule::R135) && target_before_) {
    // RFC variables, queues and reassembly state. RCV.WND is left out: every emitted segment
    // re-derives it from the buffer (R82), and kCheckWindowEdge covers its right edge.
    const Tcb& b = *target_before_;
    const Tcb* a = ep_.find(b.tuple);
    if (a == nullptr) {
      return fail(kCheckChallengeAck, fmt::format("the connection vanished: {}", b.to_string()));
    }
    const bool same = a->state == b.state && a->snd_una == b.snd_una && a->snd_nxt == b.snd_nxt &&
                      a->snd_wnd == b.snd_wnd && a->snd_up == b.snd_up && a->snd_wl1 == b.snd_wl1 &&
                      a->snd_wl2 == b.snd_wl2 && a->iss == b.iss &&
                      a->max_snd_wnd == b.max_snd_wnd && a->rcv_nxt == b.rcv_nxt &&
                      a->rcv_up == b.rcv_up && a->irs == b.irs && a->write_seq == b.write_seq &&
                      a->copied_seq == b.copied_seq && a->fin_received == b.fin_received &&
                      a->ooo_count == b.ooo_count && a->bytes_acked == b.bytes_acked;
    if (!same) {
      return fail(kCheckChallengeAck,
                  fmt::format("before: {}\n  after:  {}", b.to_string(), a->to_string()));
    }
  }
  return std::nullopt;
}

std::optional<Violation> run(const Profile& profile, const Trace& trace, unsigned checks,
                             std::vector<EventRecord>* records, StopBefore stop_before) {
  Runner r(profile, trace, checks);
  for (const Event& e : trace.events) {
    if (stop_before != nullptr && stop_before(r, e)) break;
    auto v = r.step(e);
    if (records != nullptr) {
      EventRecord rec;
      rec.segments = r.output().segments.to_vector();
      rec.result = r.output().result;
      rec.state_changes = r.output().state_changes;
      rec.rules = r.output().rules;
      rec.observed = r.endpoint().observe();
      records->push_back(std::move(rec));
    }
    if (v) return v;
  }
  return std::nullopt;
}

std::string describe(const Violation& v, const Trace& trace) {
  std::string s = fmt::format("violated: {}\n  after event {}", check_name(v.check), v.event);
  if (v.event < trace.events.size()) s += fmt::format(" ({})", to_string(trace.events[v.event]));
  s += fmt::format("\n  {}\n", v.detail);
  s += to_string(trace);
  return s;
}

}  // namespace tcpconform::model::trace
