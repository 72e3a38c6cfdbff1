// SYN-RECEIVED and the synchronized states: RFC 9293 §3.10.7.4, steps 1–8 in order, with RFC 5961.
#include <algorithm>
#include <cerrno>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

using wire::Flag;

namespace {

// R51: the acceptability table (RCV.WND is the window currently offered).
bool rfc_acceptable(SeqNum seq, std::uint32_t len, SeqNum rcv_nxt, std::uint32_t wnd) {
  if (len == 0) {
    if (wnd == 0) return seq == rcv_nxt;
    return wire::in_window(seq, rcv_nxt, SeqLen{wnd});
  }
  if (wnd == 0) return false;
  return wire::in_window(seq, rcv_nxt, SeqLen{wnd}) ||
         wire::in_window(seq + SeqLen{len - 1}, rcv_nxt, SeqLen{wnd});
}

// Linux tcp_sequence(): not entirely before RCV.NXT (rcv_wup) and not beyond the right edge;
// since 6.17 a segment whose end passes the right edge also needs an empty receive queue.
// A FIN may pass the right edge by its own octet ("Some stacks are known to handle FIN
// incorrectly", the follow-up in tcp_sequence: end_seq - th->fin within the window passes).
bool linux_acceptable(SeqNum seq, std::uint32_t len, bool fin, SeqNum rcv_nxt, std::uint32_t wnd,
                      bool end_must_fit) {
  const SeqNum end = seq + SeqLen{len};
  if (wire::lt(end, rcv_nxt)) return false;
  const SeqNum right = rcv_nxt + SeqLen{wnd};
  if (end_must_fit && wire::gt(end, right) && !wire::gt(end - SeqLen{fin ? 1U : 0U}, right)) {
    return true;
  }
  if (wire::gt(seq, right)) return false;
  return !(end_must_fit && wire::gt(end, right));
}

}  // namespace

// R173: Linux tcp_reset_check() also accepts a RST at RCV.NXT-1 once the peer's FIN is in.
bool Endpoint::rst_after_fin_exception(const Tcb& t, const wire::Segment& seg) const {
  return profile_.rst_accepts_rcv_nxt_minus_one_after_fin && t.fin_received &&
         seg.seq + SeqLen{1} == t.rcv_nxt &&
         (t.state == State::kCloseWait || t.state == State::kLastAck || t.state == State::kClosing);
}

// R168/R130: Linux tcp_rcv_state_process step 7 resets a connection whose receive side is shut
// down when the segment (as received, before any trimming) has text or a FIN and its end less
// the FIN passes RCV.NXT.
bool Endpoint::abort_on_data(const Tcb& t, const wire::Segment& seg) const {
  if (!profile_.reset_on_data_after_rcv_shutdown) return false;
  const SeqNum end = seg.seq + seg.seg_len();
  const bool fin = seg.flags.has(Flag::kFin);
  if (end == seg.seq || !wire::gt(end - SeqLen{fin ? 1U : 0U}, t.rcv_nxt)) return false;
  switch (t.state) {
    case State::kCloseWait:
    case State::kClosing:
    case State::kLastAck: return wire::lt(seg.seq, t.rcv_nxt);  // RCV_SHUTDOWN set by the FIN
    case State::kFinWait1:
    case State::kFinWait2: return t.rd_shutdown;
    case State::kClosed:
    case State::kListen:
    case State::kSynSent:
    case State::kSynReceived:
    case State::kEstablished:
    case State::kTimeWait: return false;
  }
  return false;
}

void Endpoint::synchronized_segment(int index, const wire::Segment& seg) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  const bool ack = seg.flags.has(Flag::kAck);
  const bool rst = seg.flags.has(Flag::kRst);
  bool syn = seg.flags.has(Flag::kSyn);
  bool fin = seg.flags.has(Flag::kFin);
  SeqNum seq = seg.seq;
  auto len = static_cast<std::uint32_t>(seg.payload.size());

  bool old_syn_acked = false;
  // Linux checks the control bits before the sequence number (tcp_rcv_established).
  if (profile_.drop_ackless_before_seq_check && !ack && !rst && !syn) {
    fire(Rule::R70);
    return;
  }
  // R27: the crossing SYN,ACK of a simultaneous open carries our peer's SYN at IRS, now old;
  // trim it and process the ACK (§3.10.7.4 intro; Linux tcp_validate_incoming exemption).
  if (t.state == State::kSynReceived && !t.passive && syn && ack && seq == t.irs) {
    const bool exact = len == 0 && !fin && seg.ack == t.snd_nxt;
    if (!profile_.sim_open_synack_exempt || exact) {
      fire(Rule::R27);
      syn = false;
      seq = seq + SeqLen{1};
      // R27/R53: the old SYN octet is a retransmission and draws an ACK once the segment has
      // been processed (Linux tcp_data_queue: !after(end_seq, rcv_nxt) → immediate ACK).
      old_syn_acked = profile_.ack_crossing_synack;
    }
  }
  // R67/R132: RFC 5961 §4 applies to a SYN whatever its sequence number, even one wholly old
  // (e.g. a retransmission of the peer's SYN at IRS), so step 4 sees the SYN bit before trimming.
  const bool syn_bit = syn;
  // R50/R151: PAWS runs before the sequence check.
  if (paws_reject(t, seg)) {
    fire(Rule::R50);
    fire(Rule::R151);
    if (!oow_rate_limited(t, seg)) emit_ack(t);
    return;
  }
  // R150: once timestamps are in use, a non-RST segment without TSopt is dropped (RFC 7323).
  if (t.ts_ok && !rst && seg.find_option<wire::option::Timestamp>() == nullptr) {
    if (profile_.drop_segments_without_ts) {
      fire(Rule::R150);
      return;
    }
    fire(Rule::R178);
  }

  // Step 1: sequence number (R51–R54).
  // RCV.WND is the window we advertised last (its right edge never moves left).
  const std::uint32_t wnd = !t.rcv_adv_valid                 ? t.rcv_wnd
                            : wire::le(t.rcv_nxt, t.rcv_adv) ? (t.rcv_adv - t.rcv_nxt).value
                                                             : 0U;
  const std::uint32_t seg_len = len + (syn ? 1U : 0U) + (fin ? 1U : 0U);
  // R51: Linux ≥ 6.17 takes a segment ending past the window only into an empty receive
  // queue (SKB_DROP_REASON_TCP_INVALID_END_SEQUENCE); unread text or FIN make it busy.
  const SeqNum queue_start =
      t.rcvq_purged && wire::lt(t.copied_seq, t.rcvq_start) ? t.rcvq_start : t.copied_seq;
  const bool queue_busy = profile_.drop_beyond_window_when_queue_busy && t.rcv_nxt != queue_start;
  bool ok = profile_.linux_sequence_check
                ? linux_acceptable(seq, seg_len, fin, t.rcv_nxt, wnd, queue_busy)
                : rfc_acceptable(seq, seg_len, t.rcv_nxt, wnd);
  bool zero_window_drop = false;
  if (!ok && wnd == 0 && seq == t.rcv_nxt && !syn) {
    // R52: a zero window still takes the segment's ACK, URG and RST; its text is dropped.
    fire(Rule::R52);
    ok = true;
    zero_window_drop = true;
  }
  if (!ok) {
    if (rst && rst_after_fin_exception(t, seg)) {
      fire(Rule::R173);
      fire(Rule::R61);
      reset_connection(index, profile_.close_wait_reset_epipe && t.state == State::kCloseWait
                                  ? EPIPE
                                  : ECONNRESET);
      return;
    }
    if (rst) {
      fire(Rule::R60);  // out-of-window RST: drop silently
      fire(Rule::R143);
      return;
    }
    if (syn) {
      fire(Rule::R53);
      fire(Rule::R67);  // RFC 5961 §4: a SYN draws a challenge ACK whatever its sequence number
      fire(Rule::R132);
      send_challenge_ack(t, seg);
      return;
    }
    fire(Rule::R53);
    fire(Rule::R142);
    if (seg.flags.has(Flag::kFin) && wire::lt(seg.seq, t.rcv_nxt)) fire(Rule::R90);
    if (!oow_rate_limited(t, seg)) emit_ack(t);
    return;
  }
  fire(Rule::R51);
  // R152: TS.Recent follows the newest TSval of segments covering the left window edge.
  if (t.ts_ok) {
    const auto* ts = seg.find_option<wire::option::Timestamp>();
    // Linux updates TS.Recent inside tcp_ack(), after the ACK passed its checks: a segment
    // whose ACK is above SND.NXT or below SND.UNA leaves TS.Recent alone.
    const bool ack_ok = !profile_.ts_recent_needs_valid_ack ||
                        (seg.flags.has(Flag::kAck) && !wire::lt(seg.ack, t.snd_una) &&
                         !wire::gt(seg.ack, t.snd_nxt));
    if (ts != nullptr && ack_ok && wire::le(seg.seq, t.last_ack_sent) &&
        (!t.ts_recent_valid || static_cast<std::int32_t>(ts->val - t.ts_recent) >= 0)) {
      fire(Rule::R152);
      t.ts_recent = ts->val;
      t.ts_recent_valid = true;
      t.ts_recent_stamp = now_;
    }
  }
  // R54: trim what was already received (an old SYN or FIN included) and what lies beyond.
  if (wire::lt(seq, t.rcv_nxt)) {
    std::uint32_t cut = (t.rcv_nxt - seq).value;
    fire(Rule::R54);
    if (syn) {
      syn = false;
      --cut;
    }
    const std::uint32_t data_cut = std::min(cut, len);
    len -= data_cut;
    cut -= data_cut;
    if (cut > 0 && fin) fin = false;  // the FIN itself is old
    seq = t.rcv_nxt;
  }
  if (zero_window_drop) {
    len = 0;
    fin = false;
  } else if (len > 0 || fin) {
    const SeqNum right = t.rcv_nxt + SeqLen{wnd};
    if (wire::gt(seq + SeqLen{len}, right)) {
      len = wire::lt(seq, right) ? (right - seq).value : 0U;
      fin = false;
      fire(Rule::R54);
    }
  }

  // Step 2: RST (R60–R64, RFC 5961 §3.2).
  if (rst) {
    bool exact = seg.seq == t.rcv_nxt;
    if (!exact && rst_after_fin_exception(t, seg)) {
      fire(Rule::R173);
      exact = true;
    }
    fire(Rule::R131);
    if (!exact) {
      fire(Rule::R62);
      send_challenge_ack(t, seg);
      return;
    }
    fire(Rule::R61);
    fire(Rule::R63);
    fire(Rule::R23);
    if (!seg.payload.empty()) fire(Rule::R64);
    switch (t.state) {
      case State::kSynReceived:
        if (t.passive) {
          fire(Rule::R11);  // back to LISTEN, the user is not told
          set_state(index, State::kListen);
          delete_tcb(index);
        } else {
          fire(Rule::R12);
          if (!profile_.syn_received_reset_refused) fire(Rule::R177);
          reset_connection(index, profile_.syn_received_reset_refused ? ECONNREFUSED : ECONNRESET);
        }
        return;
      case State::kCloseWait:
        fire(Rule::R177);
        reset_connection(index, profile_.close_wait_reset_epipe ? EPIPE : ECONNRESET);
        return;
      case State::kEstablished:
      case State::kFinWait1:
      case State::kFinWait2:
      case State::kClosing:
      case State::kLastAck:
        fire(Rule::R177);
        reset_connection(index, ECONNRESET);
        return;
      case State::kClosed:
      case State::kListen:
      case State::kSynSent:
      case State::kTimeWait: return;  // handled elsewhere
    }
    return;
  }

  // Step 3: security/compartment (R65) is a no-op.
  // Step 4: SYN (R66, R67; RFC 5961 §4).
  if (syn || syn_bit) {
    if (syn && t.state == State::kSynReceived && t.passive &&
        profile_.syn_in_passive_syn_received_resets) {
      fire(Rule::R66);
      set_state(index, State::kListen);
      delete_tcb(index);
      return;
    }
    fire(Rule::R67);
    fire(Rule::R132);
    send_challenge_ack(t, seg);
    return;
  }

  // Step 5: ACK (R70–R79).
  if (!ack) {
    fire(Rule::R70);
    return;
  }
  bool openreq_child = false;
  bool established_now = false;
  if (t.state == State::kSynReceived) {
    const bool above_una = wire::lt(t.snd_una, seg.ack) ||
                           (profile_.syn_received_accepts_ack_of_iss && seg.ack == t.snd_una);
    if (above_una && wire::le(seg.ack, t.snd_nxt)) {
      fire(Rule::R72);
      fire(Rule::R9);
      set_state(index, State::kEstablished);
      established_now = true;
      t.snd_wnd = static_cast<std::uint32_t>(seg.window) << t.snd_wscale;
      t.max_snd_wnd = std::max(t.max_snd_wnd, t.snd_wnd);
      if (t.passive && profile_.request_sockets) {
        // R160: Linux tcp_create_openreq_child() starts the child from the final ACK:
        // max_window is that ACK's window and the SYN's ACK is not in bytes_acked (R173).
        t.max_snd_wnd = t.snd_wnd;
        openreq_child = true;
      }
      t.snd_wl1 = seg.seq;
      t.snd_wl2 = seg.ack;
      if (t.passive) establish_passive(index);
    } else {
      fire(Rule::R72);
      fire(Rule::R141);
      emit_rst_for(seg);  // <SEQ=SEG.ACK><CTL=RST>
      return;
    }
  }
  bool stop = false;
  const std::uint64_t acked_before = tcbs_[static_cast<std::size_t>(index)].bytes_acked;
  process_ack(index, seg, stop);
  if (stop) return;
  Tcb& u = tcbs_[static_cast<std::size_t>(index)];
  if (openreq_child) u.bytes_acked = acked_before;
  if (established_now && u.fin_deferred && !u.fin_queued) {
    // R10/R116: the FIN of a shutdown(SHUT_WR) made in SYN-RECEIVED leaves now (Linux
    // tcp_rcv_state_process, case TCP_SYN_RECV: SEND_SHUTDOWN → tcp_shutdown).
    fire(Rule::R116);
    send_fin(index);
  }

  // Step 6: URG (R80, R81).
  if (seg.flags.has(Flag::kUrg)) {
    switch (u.state) {
      case State::kEstablished:
      case State::kFinWait1:
      case State::kFinWait2:
        fire(Rule::R80);
        u.rcv_up = wire::seq_max(u.rcv_up, seg.seq + SeqLen{seg.urgent});
        break;
      case State::kClosed:
      case State::kListen:
      case State::kSynSent:
      case State::kSynReceived:
      case State::kCloseWait:
      case State::kClosing:
      case State::kLastAck:
      case State::kTimeWait: fire(Rule::R81); break;
    }
  }
  // Linux runs tcp_urg at step 6 in every state that gets here.
  if (profile_.urgent_out_of_band) linux_urgent(u, seg);

  // Steps 7 and 8: text and FIN.
  if (abort_on_data(u, seg)) {
    // R168/R130: text after the receive side was shut down → RST (RFC 1122 §4.2.2.13; Linux
    // tcp_rcv_state_process step 7, tcp_reset, LINUX_MIB_TCPABORTONDATA).
    fire(Rule::R168);
    fire(Rule::R130);
    emit_rst_for(seg);
    reset_connection(index, profile_.close_wait_reset_epipe && u.state == State::kCloseWait
                                ? EPIPE
                                : ECONNRESET);
    return;
  }
  if (zero_window_drop) {
    emit_ack(u);
  } else {
    const std::size_t before = out_->segments.size();
    accept_data_and_fin(index, seg, seq, len, fin);
    Tcb& v = tcbs_[static_cast<std::size_t>(index)];
    if (old_syn_acked && out_->segments.size() == before && v.state != State::kClosed &&
        v.state != State::kTimeWait) {
      fire(Rule::R53);
      emit_ack(v);
    }
  }
  if (tcbs_[static_cast<std::size_t>(index)].state != State::kClosed) output(index);
}

// Step 5 for an acceptable segment in a synchronized state (R71, R73–R79, R134, R172).
void Endpoint::process_ack(int index, const wire::Segment& seg, bool& stop) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  const SeqNum ack = seg.ack;
  // R71/R134: RFC 5961 §5.2 ACK validity.
  std::uint64_t bound = t.max_snd_wnd;
  if (profile_.old_ack_bound_uses_bytes_acked)
    bound = std::min<std::uint64_t>(bound, t.bytes_acked);
  if (wire::lt(ack, t.snd_una - SeqLen{static_cast<std::uint32_t>(bound)})) {
    fire(Rule::R71);
    fire(Rule::R134);
    if (profile_.old_ack_bound_uses_bytes_acked) fire(Rule::R173);
    send_challenge_ack(t, seg);
    stop = true;
    return;
  }
  if (wire::gt(ack, t.snd_nxt)) {
    fire(Rule::R73);
    fire(Rule::R172);
    fire(Rule::R142);
    if (profile_.ack_above_snd_nxt_acks) send_challenge_ack(t, seg);
    stop = true;
    return;
  }
  fire(Rule::R73);
  const bool fin_was_acked = t.fin_sent && t.snd_una == t.write_seq;
  const SeqNum prior_una = t.snd_una;
  if (wire::lt(t.snd_una, ack)) {
    const std::uint32_t acked = (ack - t.snd_una).value;
    const SeqNum old_una = t.snd_una;
    t.bytes_acked += acked;
    if (t.rtt_timing && wire::ge(ack, t.rtt_seq)) {
      rtt_sample(t, now_ - t.rtt_start);
      t.rtt_timing = false;
    }
    t.snd_una = ack;
    if (wire::lt(t.snd_rtx, t.snd_una)) t.snd_rtx = t.snd_una;
    if (wire::lt(t.snd_sml, t.snd_una)) t.snd_sml = t.snd_una;
    // The ACK of our SYN opens the initial window and does not grow it (RFC 5681 §3.1 counts
    // acknowledged data; Linux tcp_init_transfer sets the initial cwnd after that ACK).
    const std::uint32_t acked_data = old_una == t.iss ? acked - 1 : acked;
    if (acked_data > 0) {
      t.cwnd = std::min<std::uint32_t>(
          t.cwnd + std::max<std::uint32_t>(1, acked_data / std::max<std::uint32_t>(t.snd_mss, 1)),
          1U << 20);
    }
    t.retransmits = 0;
    t.oldest_unacked_sent = now_;
    if (t.tlp_outstanding && wire::ge(ack, t.tlp_high_seq)) t.tlp_outstanding = false;
    t.loss_probe = false;
    t.probing = false;
    if (t.snd_una == t.snd_nxt) {
      t.rtx_deadline = kNever;
    } else if (!schedule_loss_probe(t, true)) {
      t.rtx_deadline = now_ + t.rto;
    }
  }
  // R74: window update.
  const std::uint32_t nwin = static_cast<std::uint32_t>(seg.window) << t.snd_wscale;
  const bool may_update =
      profile_.linux_window_update
          ? (!wire::lt(ack, prior_una) &&  // tcp_ack: an old ACK skips the update (old_ack)
             (wire::lt(prior_una, ack) || wire::lt(t.snd_wl1, seg.seq) ||
              (t.snd_wl1 == seg.seq && (nwin > t.snd_wnd || nwin == 0))))
          : (wire::lt(t.snd_wl1, seg.seq) || (t.snd_wl1 == seg.seq && wire::le(t.snd_wl2, ack)));
  if (may_update) {
    fire(Rule::R74);
    t.snd_wnd = static_cast<std::uint32_t>(seg.window) << t.snd_wscale;
    t.max_snd_wnd = std::max(t.max_snd_wnd, t.snd_wnd);
    t.snd_wl1 = seg.seq;
    t.snd_wl2 = ack;
    if (t.snd_wnd > 0 && t.probing) {
      t.probing = false;
      t.rtx_deadline = kNever;
      t.retransmits = 0;
    }
  }
  if (t.probing) t.oldest_unacked_sent = now_;  // the peer answers our probes (R139b)
  const bool fin_acked = t.fin_sent && t.snd_una == t.write_seq;
  switch (t.state) {
    case State::kFinWait1:
      fire(Rule::R75);
      if (fin_acked) {
        fire(Rule::R15);
        set_state(index, State::kFinWait2);
        if (t.orphan && profile_.fin_wait2_orphan_timeout) {
          // R169: the orphan's FIN-WAIT-2 lifetime (Linux tcp_rcv_state_process, case
          // TCP_FIN_WAIT1, then tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)).
          const int linger2 = t.linger2;
          fire(Rule::R169);
          // "Receive out of order FIN after close()": any segment whose end less its FIN passes
          // RCV.NXT, a bare FIN beyond RCV.NXT included (end_seq != seq covers the FIN).
          const SeqNum end = seg.seq + seg.seg_len();
          const bool new_data =
              end != seg.seq &&
              wire::gt(end - SeqLen{seg.flags.has(Flag::kFin) ? 1U : 0U}, t.rcv_nxt);
          if (linger2 < 0 || new_data) {
            fire(Rule::R168);
            emit_rst_for(seg);
            reset_connection(index, ECONNRESET);
            stop = true;
            return;
          }
          Duration tmo =
              linger2 > 0 ? Duration{std::chrono::seconds{linger2}} : profile_.fin_timeout;
          const Duration floor = t.rto * 4 - t.rto / 2;
          tmo = std::max(tmo, floor);
          t.timewait_deadline = now_ + tmo;
          t.rtx_deadline = kNever;
          t.fw2_minisock = tmo <= profile_.time_wait && !seg.flags.has(Flag::kFin);
        }
      }
      break;
    case State::kFinWait2: fire(Rule::R76); break;
    case State::kCloseWait: fire(Rule::R77); break;
    case State::kClosing:
      fire(Rule::R78);
      if (fin_acked) {
        fire(Rule::R19);
        enter_time_wait(index);
      }
      // Otherwise the segment goes on: its window update may release data and the FIN still
      // queued (R119), and a retransmitted FIN is acknowledged (R90); Linux
      // tcp_rcv_state_process then runs tcp_data_snd_check/tcp_ack_snd_check.
      if (t.state == State::kTimeWait) stop = true;
      break;
    case State::kLastAck:
      fire(Rule::R79);
      if (fin_acked && !fin_was_acked) {
        fire(Rule::R21);
        fire(Rule::R128);
        delete_tcb(index);
        stop = true;
      }
      break;
    case State::kEstablished:
    case State::kClosed:
    case State::kListen:
    case State::kSynSent:
    case State::kSynReceived:
    case State::kTimeWait: break;
  }
}

// Steps 7 and 8 on the trimmed segment [seq, seq+len) (+FIN): deliver in-order text, hold
// out-of-order text (R55), process the FIN (R85–R90) and acknowledge (R83).
void Endpoint::accept_data_and_fin(int index, const wire::Segment& seg, SeqNum seq,
                                   std::uint32_t len, bool fin) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  bool need_ack = false;
  switch (t.state) {
    case State::kEstablished:
    case State::kFinWait1:
    case State::kFinWait2: {
      const SeqNum end = seq + SeqLen{len};
      const bool held_fin = fin && len == 0 && seq != t.rcv_nxt;
      if (held_fin) {
        // R55/R83: a bare FIN beyond a hole draws a duplicate ACK and, when out-of-order
        // segments are kept, waits for the hole to fill (Linux tcp_data_queue_ofo).
        fire(Rule::R83);
        if (profile_.queue_out_of_order) {
          fire(Rule::R55);
          t.ooo_fin = true;
          t.ooo_fin_seq = seq;
        }
        fin = false;
        need_ack = true;
      }
      if (len > 0) {
        if (seq == t.rcv_nxt) {
          fire(Rule::R82);
          t.rcv_seg_max = std::max(t.rcv_seg_max, len);  // tcp_measure_rcv_mss
          t.rcv_nxt = end;
          // R55: pull in held ranges that are now contiguous.
          bool merged = true;
          while (merged) {
            merged = false;
            for (std::uint8_t i = 0; i < t.ooo_count; ++i) {
              if (wire::le(t.ooo[i].begin, t.rcv_nxt)) {
                if (wire::gt(t.ooo[i].end, t.rcv_nxt)) t.rcv_nxt = t.ooo[i].end;
                t.ooo[i] = t.ooo[--t.ooo_count];
                merged = true;
                fire(Rule::R55);
                break;
              }
            }
          }
        } else if (profile_.queue_out_of_order) {
          fire(Rule::R55);
          if (t.ooo_count < t.ooo.size()) t.ooo[t.ooo_count++] = SeqRange{seq, end};
          if (fin) {
            t.ooo_fin = true;  // held with its text (tcp_data_queue_ofo keeps the FIN flag)
            t.ooo_fin_seq = end;
          }
          fin = false;
        } else {
          fin = false;  // a FIN beyond a gap cannot be processed yet
        }
        need_ack = true;
      }
      if (!fin && t.ooo_fin && t.ooo_fin_seq == t.rcv_nxt) {
        // R55/R86: the hole before a held FIN is filled (Linux tcp_ofo_queue → tcp_fin).
        fire(Rule::R55);
        t.ooo_fin = false;
        fin = true;
        seq = t.rcv_nxt;
        len = 0;
      }
      if (fin && seq + SeqLen{len} == t.rcv_nxt) {
        fire(Rule::R86);
        t.ooo_fin = false;
        t.fin_on_text = t.rcv_nxt != t.copied_seq;  // unread text: the FIN joins its skb
        t.rcv_nxt = t.rcv_nxt + SeqLen{1};
        t.fin_received = true;
        need_ack = true;
        if (t.state == State::kEstablished) {
          fire(Rule::R87);
          fire(Rule::R14);
          set_state(index, State::kCloseWait);
        } else if (t.state == State::kFinWait1) {
          fire(Rule::R88);
          fire(Rule::R16);
          fire(Rule::R28);  // simultaneous close: both sides pass through CLOSING
          set_state(index, State::kClosing);
        } else {
          const bool from_fw1 = !out_->state_changes.empty() &&
                                out_->state_changes.back().from == State::kFinWait1 &&
                                out_->state_changes.back().to == State::kFinWait2;
          fire(from_fw1 ? Rule::R17 : Rule::R18);
          fire(from_fw1 ? Rule::R88 : Rule::R89);
          emit_ack(t);
          enter_time_wait(index);
          return;
        }
      } else if (len == 0 && !fin && seq != t.rcv_nxt && !held_fin) {
        need_ack = false;
      }
      if (len == 0 && !fin && wire::lt(seg.seq, t.rcv_nxt) &&
          (!seg.payload.empty() || seg.flags.has(Flag::kFin))) {
        need_ack = true;  // a pure retransmission of old text or FIN: acknowledge again (R53)
      }
      break;
    }
    case State::kCloseWait:
    case State::kClosing:
    case State::kLastAck: {
      const SeqNum seg_end = seg.seq + seg.seg_len();
      if (profile_.reset_on_data_after_rcv_shutdown && wire::lt(seg.seq, t.rcv_nxt) &&
          wire::gt(seg_end, t.rcv_nxt) && len == 0) {
        // Linux: a segment ending with a FIN just after RCV.NXT (its text reaches RCV.NXT, so
        // abort_on_data let it through) is queued by tcp_data_queue ("Partial packet"):
        // RCV.NXT moves to its end and it is acknowledged; the state stays (tcp_fin, R90).
        fire(Rule::R54);
        fire(Rule::R90);
        t.rcv_nxt = seg_end;
        need_ack = true;
        break;
      }
      if (len > 0) fire(Rule::R84);
      if (fin) fire(Rule::R90);
      // R53/R90: a retransmission of text or of the FIN already received is acknowledged again
      // (Linux tcp_data_queue: !after(end_seq, rcv_nxt) → "A retransmit … Force an immediate
      // ack"); a bare ACK or text beyond the FIN (R84) is not.
      if ((!seg.payload.empty() || seg.flags.has(Flag::kFin)) && wire::lt(seg.seq, t.rcv_nxt)) {
        fire(Rule::R53);
        if (seg.flags.has(Flag::kFin)) fire(Rule::R90);
        need_ack = true;
      }
      break;
    }
    case State::kClosed:
    case State::kListen:
    case State::kSynSent:
    case State::kSynReceived:
    case State::kTimeWait: break;
  }
  if (need_ack) {
    fire(Rule::R83);
    emit_ack(t);
  }
}

void Endpoint::rtt_sample(Tcb& t, Duration m) {
  if (m.count() < 0) m = Duration{0};
  if (!t.rtt_valid) {
    t.srtt = m;
    t.rttvar = m / 2;
    t.rtt_valid = true;
  } else {
    const Duration diff = t.srtt > m ? t.srtt - m : m - t.srtt;
    t.rttvar = (t.rttvar * 3 + diff) / 4;
    t.srtt = (t.srtt * 7 + m) / 8;
  }
  Duration rto;
  if (profile_.rto_min_floors_variance) {
    rto = t.srtt + std::max(profile_.rto_min, t.rttvar * 4);
  } else {
    rto = std::max(profile_.rto_min, t.srtt + std::max(Duration{1000}, t.rttvar * 4));
  }
  t.rto = std::min(rto, profile_.rto_max);
}

void Endpoint::reset_connection(int index, int error) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  if (t.socket >= 0) {
    Socket& s = sockets_[static_cast<std::size_t>(t.socket)];
    if (s.live && s.tcb == index) {
      s.so_error = error;
      s.rd_shutdown = true;
      s.wr_shutdown = true;
      // tcp_reset → tcp_done purges the write queue, not the receive queue: unread text stays
      // readable before the error, and a received FIN makes later reads return 0 (R110).
      detach_unread(t, s);
      s.fin_seen = t.fin_received;
    }
  }
  delete_tcb(index);
}

void Endpoint::detach_unread(const Tcb& t, Socket& s) {
  std::uint32_t unread = (t.rcv_nxt - t.copied_seq).value;
  if (t.fin_received && unread > 0) --unread;
  s.unread_after_detach = unread;
  s.urgent_after_detach.reset();
  if (t.urg_pending) {
    const std::uint32_t at = (t.urg_seq - t.copied_seq).value;
    if (at < unread) s.urgent_after_detach = at;
  }
}

void Endpoint::linux_urgent(Tcb& t, const wire::Segment& seg) {
  if (seg.flags.has(Flag::kUrg)) {
    // tcp_check_urg: the pointer names the byte before SEG.UP (tcp_stdurg = 0).
    const SeqNum ptr = seg.seq + SeqLen{seg.urgent == 0 ? 0U : seg.urgent - 1U};
    const bool seen = wire::gt(t.copied_seq, ptr);  // already read
    const bool replay = wire::lt(ptr, t.rcv_nxt);   // "do not replay urg ptr"
    const bool older = t.urg_pending && !wire::gt(ptr, t.urg_seq);
    if (!seen && !replay && !older) {
      fire(Rule::R80);
      // A previous urgent byte still unread at the read pointer is skipped now.
      if (t.urg_pending && t.urg_seq == t.copied_seq && t.copied_seq != t.rcv_nxt) {
        t.copied_seq = t.copied_seq + SeqLen{1};
      }
      t.urg_pending = true;
      t.urg_seq = ptr;
    }
  }
}

void Endpoint::enter_time_wait(int index) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  set_state(index, State::kTimeWait);
  fire(Rule::R128);
  fire(profile_.time_wait == std::chrono::minutes{4} ? Rule::R122 : Rule::R175);
  t.timewait_deadline = now_ + profile_.time_wait;
  t.rtx_deadline = kNever;
  t.probing = false;
  t.fw2_minisock = false;
  // The socket (if a descriptor still holds it) is done; the TIME-WAIT TCB lives on its own.
  if (t.socket >= 0) {
    Socket& s = sockets_[static_cast<std::size_t>(t.socket)];
    if (s.live && s.tcb == index) {
      detach_unread(t, s);
      s.fin_seen = true;
      t.tw_socket = t.socket;
      s.tcb = -1;
      s.rd_shutdown = true;
      s.wr_shutdown = true;
    }
    t.socket = -1;
  }
}

}  // namespace tcpconform::model
