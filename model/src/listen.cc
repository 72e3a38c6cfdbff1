// Passive open: LISTEN (RFC 9293 §3.10.7.2), Linux request sockets (tcp_check_req), accept queue.
#include <algorithm>
#include <cerrno>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

using wire::Flag;

namespace {

// R145 (RFC 1122 §4.2.3.10): SYNs from broadcast or multicast sources are dropped.
bool unicast(const wire::IpAddress& a) {
  if (a.version == wire::IpVersion::kV4) {
    if (a.bytes[0] >= 224) return false;  // multicast, reserved and limited broadcast
    return true;
  }
  return a.bytes[0] != 0xff;
}

}  // namespace

// `iss`: set when a SYN reopens a TIME-WAIT connection (R124, R176).
void Endpoint::listen_segment(int listener, const wire::Segment& seg, std::optional<SeqNum> iss) {
  Socket& l = sockets_[static_cast<std::size_t>(listener)];
  if (seg.flags.has(Flag::kRst)) {
    fire(Rule::R35);  // first: RST is ignored
    fire(Rule::R143);
    return;
  }
  if (seg.flags.has(Flag::kAck)) {
    fire(Rule::R36);  // second: no ACK is acceptable here → <SEQ=SEG.ACK><CTL=RST>
    fire(Rule::R141);
    emit_rst_for(seg);
    return;
  }
  if (!seg.flags.has(Flag::kSyn)) {
    fire(Rule::R38);  // fourth: anything else is dropped
    if (seg.flags.has(Flag::kFin)) fire(Rule::R39);
    return;
  }
  if (seg.flags.has(Flag::kFin) && profile_.listen_drops_syn_fin) {
    fire(Rule::R167);
    return;
  }
  if (!unicast(seg.src)) {
    fire(Rule::R145);
    return;
  }
  // R164a: Linux tcp_conn_request drops SYNs while the accept queue is full (sk_acceptq_is_full:
  // more than `backlog` children waiting).
  if (static_cast<int>(l.accept_queue.size()) > l.backlog) {
    fire(Rule::R164a);
    return;
  }
  int pending = 0;
  for (const Tcb& t : tcbs_) {
    if (t.state == State::kSynReceived && t.listener == listener && t.socket < 0) ++pending;
  }
  if (pending >= std::max(l.backlog, 1)) {
    fire(Rule::R164);  // SYN queue full: Linux would answer with a SYN cookie (not modelled)
    return;
  }
  // Third: SYN (R4, R37).
  const int index = new_tcb();
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  t.state = State::kListen;  // the RFC's view: this TCB was the listening one
  t.tuple = seg.tuple_at_receiver();
  t.passive = true;
  t.listener = listener;
  t.request_socket = profile_.request_sockets;
  t.user_mss = static_cast<std::uint16_t>(l.maxseg);
  t.iss = iss.has_value() ? *iss : take_iss();
  t.ts_offset = choices_.ts_offset;
  t.irs = seg.seq;
  t.rcv_nxt = seg.seq + SeqLen{1};
  t.rcv_up = t.rcv_nxt;
  negotiate_options(t, seg);
  const std::uint16_t mss =
      t.tuple.local.address.version == wire::IpVersion::kV4 ? choices_.mss_v4 : choices_.mss_v6;
  const std::uint32_t unit = static_cast<std::uint32_t>(mss) - (t.ts_ok ? 12U : 0U);
  t.rcv_wnd_init = choices_.rcv_space;
  if (choices_.round_window_to_mss && t.rcv_wnd_init > unit) {
    t.rcv_wnd_init -= t.rcv_wnd_init % unit;
  }
  t.rcv_wnd_init = std::min(t.rcv_wnd_init, choices_.rcv_buffer);
  t.rcv_wnd = t.rcv_wnd_init;
  if (!seg.payload.empty()) {
    fire(Rule::R47);
    // RFC: buffered until ESTABLISHED; Linux (no TFO): discarded, the peer resends it.
    if (!profile_.syn_data_discarded) {
      t.rcv_nxt = t.rcv_nxt + SeqLen{static_cast<std::uint32_t>(seg.payload.size())};
    }
  }
  t.copied_seq = t.rcv_nxt;
  if (!profile_.syn_data_discarded) {
    t.copied_seq = seg.seq + SeqLen{1};
  }
  t.snd_una = t.iss;
  t.snd_up = t.iss;
  t.snd_sml = t.iss;
  t.snd_nxt = t.iss + SeqLen{1};
  t.write_seq = t.snd_nxt;
  t.pushed_seq = t.snd_nxt;
  t.snd_rtx = t.snd_nxt;
  t.snd_wnd = seg.window;  // windows on SYNs are never scaled
  t.max_snd_wnd = t.snd_wnd;
  t.snd_wl1 = seg.seq;
  fire(Rule::R4);
  fire(Rule::R37);
  fire(Rule::R140);
  if (profile_.request_sockets) fire(Rule::R160);
  set_state(index, State::kSynReceived);
  t.oldest_unacked_sent = now_;
  t.rtt_timing = true;
  t.rtt_seq = t.snd_nxt;
  t.rtt_start = now_;
  emit_syn(t, true);
  arm_rtx(t);
}

// R160/R114: the request's listener no longer listens (closed, or shut down and not listening
// again): Linux tcp_v4_rcv / reqsk_timer_handler test sk_listener->sk_state != TCP_LISTEN.
bool Endpoint::request_orphaned(const Tcb& t) const {
  if (t.listener < 0) return true;
  const Socket& l = sockets_[static_cast<std::size_t>(t.listener)];
  return !l.live || !l.listening;
}

// Linux tcp_check_req(): a segment for a request socket (R160–R163, R164a).
void Endpoint::request_segment(int index, const wire::Segment& seg) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  const bool rst = seg.flags.has(Flag::kRst);
  const bool syn = seg.flags.has(Flag::kSyn);
  const bool ack = seg.flags.has(Flag::kAck);
  if (request_orphaned(t)) {
    // R160/R114: the listener was closed; the request is dropped now and the segment looked
    // up again (Linux tcp_v4_rcv: sk_state != TCP_LISTEN → inet_csk_reqsk_queue_drop_and_put).
    fire(Rule::R114);
    delete_tcb(index);
    const int listener = find_listener(seg.tuple_at_receiver().local);
    if (listener >= 0) {
      listen_segment(listener, seg, std::nullopt);
    } else {
      closed_segment(seg);
    }
    return;
  }
  const bool paws = paws_reject(t, seg);
  // A retransmitted SYN: resend the SYN,ACK (R163; rate-limited like other out-of-window ACKs).
  if (seg.seq == t.irs && syn && !ack && !rst && !seg.flags.has(Flag::kFin) && !paws) {
    fire(Rule::R163);
    if (!oow_rate_limited(t, seg)) emit_syn(t, true);
    return;
  }
  // A bad ACK is handed to the listener, which answers with RST (R161, R36) — except on a RST
  // exactly at RCV.NXT, which drops the request whatever its ACK (R162; measured on Linux 6.18).
  const bool exact_rst = rst && seg.seq == t.rcv_nxt;
  if (ack && !paws && seg.ack != t.iss + SeqLen{1} && !exact_rst) {
    fire(Rule::R161);
    fire(Rule::R141);
    if (!rst) {
      fire(Rule::R36);
      emit_rst_for(seg);
    }
    return;
  }
  // tcp_in_window(seq, end_seq, rcv_nxt, rcv_nxt + window).
  const SeqNum end = seg.seq + seg.seg_len();
  const SeqNum right = t.rcv_nxt + SeqLen{t.rcv_wnd};
  const bool in_window = seg.seq == t.rcv_nxt ||
                         (wire::gt(end, t.rcv_nxt) && wire::lt(seg.seq, right)) ||
                         (seg.seq == right && seg.seq == end);
  // R154: a TSecr that echoes none of our SYN,ACKs (Linux tcp_check_req: tsecr_reject,
  // LINUX_MIB_TSECRREJECTED); TSecr 0 is not checked.
  bool tsecr_reject = false;
  if (profile_.request_checks_tsecr && t.ts_ok && t.synack_tsval_sent) {
    const auto* ts = seg.find_option<wire::option::Timestamp>();
    tsecr_reject = ts != nullptr && ts->ecr != 0 &&
                   !(static_cast<std::int32_t>(ts->ecr - t.synack_tsval_first) >= 0 &&
                     static_cast<std::int32_t>(t.synack_tsval_last - ts->ecr) >= 0);
  }
  if (paws || tsecr_reject || !in_window) {
    fire(Rule::R53);
    if (paws) fire(Rule::R151);
    if (tsecr_reject) fire(Rule::R154);
    if (!rst && !oow_rate_limited(t, seg)) emit(t, wire::kAck, t.snd_nxt, 0);
    return;
  }
  bool has_syn = syn;
  if (seg.seq == t.irs) has_syn = false;  // the old SYN is trimmed
  if (rst && seg.seq != t.rcv_nxt) {
    // R62/R131: an in-window RST not exactly at RCV.NXT draws a challenge ACK and the request
    // stays (RFC 5961 §3.2 in SYN-RECEIVED; measured on Linux 6.18).
    fire(Rule::R131);
    fire(Rule::R62);
    if (!oow_rate_limited(t, seg)) emit(t, wire::kAck, t.snd_nxt, 0);
    return;
  }
  if (rst || has_syn) {
    // An acceptable RST or an in-window SYN drops the request; the listener stays (R162, R11).
    if (rst) {
      fire(Rule::R162);
      fire(Rule::R11);
    } else {
      fire(Rule::R66);
      emit_rst_for(seg);
    }
    delete_tcb(index);
    return;
  }
  if (!ack) {
    fire(Rule::R70);
    return;
  }
  // The final ACK: the child socket is created (R160), unless the accept queue is full (R164a).
  const Socket& l = sockets_[static_cast<std::size_t>(t.listener)];
  if (static_cast<int>(l.accept_queue.size()) > l.backlog) {
    fire(Rule::R164a);
    if (profile_.abort_on_overflow) {
      emit_rst_for(seg);
      delete_tcb(index);
    }
    return;
  }
  fire(Rule::R160);
  t.request_socket = false;
  if (syn) {
    // The SYN bit at IRS was trimmed by tcp_check_req, which has already created the child and
    // queued it for accept() (inet_csk_complete_hashdance), its SYN acknowledged
    // (tcp_create_openreq_child: snd_una = ISS + 1). The child then sees the SYN bit in
    // tcp_validate_incoming and answers with a challenge ACK (R67), staying SYN-RECEIVED.
    establish_passive(index);
    Tcb& c = tcbs_[static_cast<std::size_t>(index)];
    c.snd_una = seg.ack;
    c.snd_wl1 = seg.seq;
    c.snd_wl2 = seg.ack;
    c.rtx_deadline = kNever;
    c.retransmits = 0;
    c.rtt_timing = false;
    fire(Rule::R67);
    fire(Rule::R132);
    send_challenge_ack(c, seg);
    return;
  }
  synchronized_segment(index, seg);
}

// The passive connection is ESTABLISHED: its socket exists from now on, waiting in the
// listener's accept queue.
void Endpoint::establish_passive(int index) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  if (t.listener < 0 || t.socket >= 0) return;  // no listener, or already queued (R160)
  Socket& l = sockets_[static_cast<std::size_t>(t.listener)];
  if (!l.live || !l.listening) return;
  const int process = l.process;
  const int s = new_socket(process, t.tuple.local.address.version, false);
  Socket& child = sockets_[static_cast<std::size_t>(s)];
  Socket& lst = sockets_[static_cast<std::size_t>(t.listener)];  // new_socket may reallocate
  child.bound = true;
  child.local = t.tuple.local;
  child.tcb = index;
  child.connect_called = true;
  child.connect_reported = true;
  child.nodelay = lst.nodelay;
  child.linger_on = lst.linger_on;
  child.linger_seconds = lst.linger_seconds;
  child.user_timeout_ms = lst.user_timeout_ms;
  child.linger2 = lst.linger2;
  t.socket = s;
  t.nodelay = lst.nodelay;
  t.user_timeout_ms = lst.user_timeout_ms;
  t.linger2 = lst.linger2;
  t.user_mss = static_cast<std::uint16_t>(lst.maxseg);
  lst.accept_queue.push_back(s);
}

}  // namespace tcpconform::model
