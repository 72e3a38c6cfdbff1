// Canned trace prefixes reaching each connection state through events (see trace_scenarios.h).
#include "trace_scenarios.h"

namespace tcpconform::model::trace {

namespace {

constexpr std::uint16_t kF = 0x001;
constexpr std::uint16_t kS = 0x002;
constexpr std::uint16_t kR = 0x004;
constexpr std::uint16_t kA = 0x010;

}  // namespace

PeerSegment peer(std::uint16_t flags, SeqPoint seq, AckPoint ack, std::uint16_t len,
                 std::uint8_t options) {
  PeerSegment p;
  p.flags = flags;
  p.seq = seq;
  p.ack = ack;
  p.payload = len;
  p.options = options;
  return p;
}

Call call(CallKind kind, FdRef fd, std::uint32_t arg, std::uint8_t misc) {
  return Call{kind, fd, arg, misc};
}

Advance advance(AdvanceMode mode, std::uint32_t micros) {
  return Advance{mode, micros};
}

std::string_view to_string(Opening o) {
  switch (o) {
    case Opening::kPassive: return "passive";
    case Opening::kActive: return "active";
    case Opening::kSimultaneous: return "simultaneous";
  }
  return "?";
}

std::string_view to_string(Target t) {
  switch (t) {
    case Target::kSynSent: return "SYN-SENT";
    case Target::kSynReceived: return "SYN-RECEIVED";
    case Target::kEstablished: return "ESTABLISHED";
    case Target::kEstablishedData: return "ESTABLISHED+data";
    case Target::kFinWait1: return "FIN-WAIT-1";
    case Target::kFinWait2: return "FIN-WAIT-2";
    case Target::kFinWait2Orphan: return "FIN-WAIT-2(orphan)";
    case Target::kClosing: return "CLOSING";
    case Target::kSimultaneousClose: return "simultaneous-close";
    case Target::kTimeWait: return "TIME-WAIT";
    case Target::kCloseWait: return "CLOSE-WAIT";
    case Target::kLastAck: return "LAST-ACK";
    case Target::kClosedByRst: return "CLOSED(RST)";
  }
  return "?";
}

State expected_state(Opening o, Target t) {
  switch (t) {
    case Target::kSynSent: return o == Opening::kPassive ? State::kSynReceived : State::kSynSent;
    case Target::kSynReceived: return State::kSynReceived;
    case Target::kEstablished:
    case Target::kEstablishedData: return State::kEstablished;
    case Target::kFinWait1: return State::kFinWait1;
    case Target::kFinWait2:
    case Target::kFinWait2Orphan: return State::kFinWait2;
    case Target::kClosing: return State::kClosing;
    case Target::kSimultaneousClose:
    case Target::kTimeWait: return State::kTimeWait;
    case Target::kCloseWait: return State::kCloseWait;
    case Target::kLastAck: return State::kLastAck;
    case Target::kClosedByRst: return State::kClosed;
  }
  return State::kClosed;
}

std::vector<Event> prefix(Opening o, Target t, bool timestamps) {
  const std::uint8_t ts = timestamps ? kOptTimestamp : 0;
  const std::uint8_t syn_opts = static_cast<std::uint8_t>(kOptMss | kOptSackPerm | kOptWscale | ts);
  std::vector<Event> ev;
  const auto seg = [&](std::uint16_t flags, SeqPoint seq, AckPoint ack, std::uint16_t len = 0) {
    ev.emplace_back(peer(flags, seq, ack, len, ts));
  };
  ev.emplace_back(call(CallKind::kSocket));
  ev.emplace_back(call(CallKind::kBind, FdRef::kLast));
  switch (o) {
    case Opening::kPassive:
      ev.emplace_back(call(CallKind::kListen, FdRef::kLast, 16));
      ev.emplace_back(peer(kS, SeqPoint::kPeerIss, AckPoint::kZero, 0, syn_opts));
      if (t == Target::kSynSent || t == Target::kSynReceived) return ev;
      seg(kA, SeqPoint::kLeft, AckPoint::kSndNxt);
      ev.emplace_back(call(CallKind::kAccept, FdRef::kListener));
      break;
    case Opening::kActive:
      ev.emplace_back(call(CallKind::kConnect, FdRef::kLast));
      if (t == Target::kSynSent) return ev;
      if (t == Target::kSynReceived) {  // the active side reaches it only by simultaneous open
        ev.emplace_back(peer(kS, SeqPoint::kPeerIss, AckPoint::kZero, 0, syn_opts));
        return ev;
      }
      ev.emplace_back(peer(kS | kA, SeqPoint::kPeerIss, AckPoint::kSndNxt, 0, syn_opts));
      break;
    case Opening::kSimultaneous:
      ev.emplace_back(call(CallKind::kConnect, FdRef::kLast));
      if (t == Target::kSynSent) return ev;
      ev.emplace_back(peer(kS, SeqPoint::kPeerIss, AckPoint::kZero, 0, syn_opts));
      if (t == Target::kSynReceived) return ev;
      // The peer's SYN,ACK repeats its SYN at IRS and acks ours (R27).
      ev.emplace_back(peer(kS | kA, SeqPoint::kIrs, AckPoint::kSndNxt, 0, syn_opts));
      break;
  }
  switch (t) {
    case Target::kSynSent:
    case Target::kSynReceived:
    case Target::kEstablished: break;
    case Target::kEstablishedData:
      ev.emplace_back(call(CallKind::kSend, FdRef::kConn, 1000));
      seg(kA, SeqPoint::kLeft, AckPoint::kSndNxt, 500);
      ev.emplace_back(call(CallKind::kRecv, FdRef::kConn, 65536));
      break;
    case Target::kFinWait1:
      ev.emplace_back(call(CallKind::kShutdown, FdRef::kConn, 0, 1));  // SHUT_WR
      break;
    case Target::kFinWait2:
      ev.emplace_back(call(CallKind::kShutdown, FdRef::kConn, 0, 1));
      seg(kA, SeqPoint::kLeft, AckPoint::kSndNxt);
      break;
    case Target::kFinWait2Orphan:
      ev.emplace_back(call(CallKind::kClose, FdRef::kConn));
      seg(kA, SeqPoint::kLeft, AckPoint::kSndNxt);
      break;
    case Target::kClosing:
      ev.emplace_back(call(CallKind::kShutdown, FdRef::kConn, 0, 1));
      seg(kF | kA, SeqPoint::kLeft, AckPoint::kSndUna);
      break;
    case Target::kSimultaneousClose:
      ev.emplace_back(call(CallKind::kShutdown, FdRef::kConn, 0, 1));
      seg(kF | kA, SeqPoint::kLeft, AckPoint::kSndUna);
      seg(kA, SeqPoint::kLeft, AckPoint::kSndNxt);
      break;
    case Target::kTimeWait:
      ev.emplace_back(call(CallKind::kClose, FdRef::kConn));
      seg(kA, SeqPoint::kLeft, AckPoint::kSndNxt);
      seg(kF | kA, SeqPoint::kLeft, AckPoint::kSndNxt);
      break;
    case Target::kCloseWait: seg(kF | kA, SeqPoint::kLeft, AckPoint::kSndNxt); break;
    case Target::kLastAck:
      seg(kF | kA, SeqPoint::kLeft, AckPoint::kSndNxt);
      ev.emplace_back(call(CallKind::kClose, FdRef::kConn));
      break;
    case Target::kClosedByRst: seg(kR, SeqPoint::kLeft, AckPoint::kZero); break;
  }
  return ev;
}

Trace handshake_trace() {
  Trace t;
  t.events = prefix(Opening::kPassive, Target::kEstablishedData, true);
  return t;
}

}  // namespace tcpconform::model::trace
