// TIME-WAIT (R56, R79a, R121–R127, R171, R175, R176) and Linux's FIN-WAIT-2 mini-socket (R169).
#include <cerrno>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

using wire::Flag;

namespace {

bool tsval_newer(const Tcb& t, const wire::Segment& seg) {
  const auto* ts = seg.find_option<wire::option::Timestamp>();
  return ts != nullptr && t.ts_recent_valid && static_cast<std::int32_t>(t.ts_recent - ts->val) < 0;
}

}  // namespace

// Modelled on Linux tcp_timewait_state_process(), with the RFC's choices as profile fields.
void Endpoint::time_wait_segment(int index, const wire::Segment& seg) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  const bool rst = seg.flags.has(Flag::kRst);
  const bool syn = seg.flags.has(Flag::kSyn);
  const bool ack = seg.flags.has(Flag::kAck);
  const bool fin = seg.flags.has(Flag::kFin);
  const bool paws = paws_reject(t, seg);
  const SeqNum end = seg.seq + seg.seg_len();

  // An acceptable bare ACK or RST exactly at RCV.NXT.
  if (!paws && seg.seq == t.rcv_nxt && (seg.seq == end || rst)) {
    if (rst) {
      fire(Rule::R61);
      if (profile_.rfc1337) {
        fire(Rule::R121);  // RFC 1337: do not let a RST assassinate TIME-WAIT
        return;
      }
      fire(Rule::R171);
      fire(Rule::R63);
      fire(Rule::R23);
      delete_tcb(index);
      return;
    }
    fire(Rule::R79a);
    if (profile_.time_wait_ack_restarts_timer) {
      fire(Rule::R175);
      t.timewait_deadline = now_ + profile_.time_wait;
    }
    const auto* ts = seg.find_option<wire::option::Timestamp>();
    if (ts != nullptr && t.ts_ok) {
      t.ts_recent = ts->val;
      t.ts_recent_valid = true;
      t.ts_recent_stamp = now_;
    }
    return;
  }
  // A SYN may reopen the connection (R124–R126, R176) when it is not an old duplicate.
  if (syn && !rst && !ack) {
    const bool newer_ts = t.ts_ok && tsval_newer(t, seg);
    const bool newer_seq = wire::gt(seg.seq, t.rcv_nxt);
    const bool reopen =
        t.ts_ok ? (newer_ts || (profile_.time_wait_reopen_by_seq_with_ts && newer_seq)) : newer_seq;
    if (reopen && !paws) {
      fire(t.ts_ok ? Rule::R126 : Rule::R125);
      const int listener = find_listener(t.tuple.local);
      if (listener >= 0) {
        fire(Rule::R124);
        fire(Rule::R68);
        fire(Rule::R176);
        SeqNum iss = t.snd_nxt + SeqLen{profile_.time_wait_reopen_isn_offset};
        if (iss.value == 0) iss.value = 1;
        delete_tcb(index);
        listen_segment(listener, seg, iss);
        return;
      }
    }
    fire(Rule::R127);
    fire(Rule::R68);
    if (paws) {
      fire(Rule::R151);
      if (profile_.time_wait_ack_restarts_timer) t.timewait_deadline = now_ + profile_.time_wait;
    }
    if (!oow_rate_limited(t, seg)) emit(t, wire::kAck, t.snd_nxt, 0);
    return;
  }
  if (rst) {
    fire(Rule::R60);  // any other RST: dropped silently
    fire(Rule::R121);
    return;
  }
  // Everything else is acknowledged (R56); a FIN retransmission restarts the timer (R79a, R123).
  fire(Rule::R56);
  const bool fin_retransmission = fin && end == t.rcv_nxt;
  if (fin_retransmission) {
    fire(Rule::R79a);
    fire(Rule::R123);
    fire(Rule::R90);
    t.timewait_deadline = now_ + profile_.time_wait;
  } else if (profile_.time_wait_ack_restarts_timer && (ack || paws)) {
    fire(Rule::R175);
    t.timewait_deadline = now_ + profile_.time_wait;
  }
  if (paws) fire(Rule::R151);
  if (!oow_rate_limited(t, seg)) emit(t, wire::kAck, t.snd_nxt, 0);
}

// Linux: an orphaned FIN-WAIT-2 connection kept as a TIME-WAIT mini-socket of substate FIN_WAIT2
// (tcp_timewait_state_process, first branch). It answers like this:
void Endpoint::fw2_minisock_segment(int index, const wire::Segment& seg) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  const bool rst = seg.flags.has(Flag::kRst);
  const bool syn = seg.flags.has(Flag::kSyn);
  const bool ack = seg.flags.has(Flag::kAck);
  const bool fin = seg.flags.has(Flag::kFin);
  const SeqNum end = seg.seq + seg.seg_len();
  const SeqNum right = t.rcv_nxt + SeqLen{t.rcv_wnd};
  const bool in_window = seg.seq == t.rcv_nxt ||
                         (wire::gt(end, t.rcv_nxt) && wire::lt(seg.seq, right)) ||
                         (seg.seq == right && seg.seq == end);
  fire(Rule::R169);
  if (paws_reject(t, seg) || !in_window) {
    fire(Rule::R53);
    if (!rst && !oow_rate_limited(t, seg)) emit(t, wire::kAck, t.snd_nxt, 0);
    return;
  }
  if (rst) {
    fire(Rule::R63);
    delete_tcb(index);
    return;
  }
  if (syn && !wire::lt(seg.seq, t.rcv_nxt)) {
    emit_rst_for(seg);
    delete_tcb(index);
    return;
  }
  if (!ack || !wire::gt(end, t.rcv_nxt) || end == seg.seq) return;  // duplicate ACK
  if (!fin || end != t.rcv_nxt + SeqLen{1}) {
    fire(Rule::R168);  // new data after the application closed → RST
    emit_rst_for(seg);
    delete_tcb(index);
    return;
  }
  // The FIN: true TIME-WAIT.
  fire(Rule::R18);
  fire(Rule::R89);
  fire(Rule::R86);
  t.rcv_nxt = end;
  t.fin_received = true;
  const auto* ts = seg.find_option<wire::option::Timestamp>();
  if (ts != nullptr && t.ts_ok) {
    t.ts_recent = ts->val;
    t.ts_recent_valid = true;
  }
  emit(t, wire::kAck, t.snd_nxt, 0);
  enter_time_wait(index);
}

}  // namespace tcpconform::model
