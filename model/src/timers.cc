// Timers: retransmission with back-off (R136–R138), zero-window probes (R139b), user timeout
// (R139, R170), TIME-WAIT (R22, R139a) and the FIN-WAIT-2 orphan timeout (R169).
#include <algorithm>
#include <cerrno>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

void Endpoint::fire_timers(int index) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  if (t.timewait_deadline <= now_) {
    if (t.state == State::kTimeWait) {
      fire(Rule::R22);  // 2MSL (or Linux's 60 s) expired
      fire(Rule::R139a);
    } else {
      fire(Rule::R169);  // the orphaned FIN-WAIT-2 connection is forgotten
    }
    delete_tcb(index);
    return;
  }
  if (t.rtx_deadline > now_) return;
  t.rtx_deadline = kNever;
  if (t.request_socket && request_orphaned(t)) {
    // R160/R114: the listener is gone; the request's timer drops it silently (Linux
    // reqsk_timer_handler: sk_listener not in TCP_LISTEN → drop).
    fire(Rule::R114);
    delete_tcb(index);
    return;
  }
  const Duration uto = std::chrono::milliseconds{t.user_timeout_ms};
  if (t.user_timeout_ms > 0 && now_ - t.oldest_unacked_sent >= uto) {
    fire(Rule::R139);
    fire(Rule::R25);
    fire(Rule::R170);
    give_up(index, ETIMEDOUT);
    return;
  }
  if (t.loss_probe) {
    send_loss_probe(index);
    return;
  }
  if (t.probing) {
    // R139b/R179: zero-window probe, backed off like a retransmission; never gives up while the
    // peer answers (only the user timeout above ends it).
    fire(Rule::R139b);
    if (profile_.zero_window_probe_old_seq) {
      fire(Rule::R179);
      emit(t, wire::kAck, t.snd_una - SeqLen{1}, 0);
    } else {
      const SeqNum data_end = t.fin_queued ? t.write_seq - SeqLen{1} : t.write_seq;
      if (wire::lt(t.snd_una, t.snd_nxt)) {
        emit(t, wire::kAck | wire::kPsh, t.snd_una, 1);  // the same probe byte again
      } else if (wire::lt(t.snd_nxt, data_end)) {
        emit(t, wire::kAck | wire::kPsh, t.snd_nxt, 1);
        t.snd_nxt = t.snd_nxt + SeqLen{1};
        t.snd_rtx = t.snd_nxt;
      } else {
        emit(t, wire::kAck, t.snd_una - SeqLen{1}, 0);
      }
    }
    t.retransmits++;
    t.rto = std::min(t.rto * 2, profile_.rto_max);
    t.probing = true;
    t.rtx_deadline = now_ + t.rto;
    return;
  }
  retransmit_timeout(index);
}

void Endpoint::retransmit_timeout(int index) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  fire(Rule::R136);
  fire(Rule::R139a);
  const bool handshake = t.state == State::kSynSent || t.state == State::kSynReceived;
  if (handshake) {
    const int limit = t.passive ? profile_.synack_retries
                      : t.state == State::kSynSent
                          ? profile_.syn_retries + profile_.syn_linear_timeouts
                          : profile_.syn_retries;
    bool timed_out = false;
    if (t.state == State::kSynSent && profile_.syn_give_up_by_time) {
      // Linux tcp_model_timeout(): (2^(n+1) - 1) × the initial RTO while the doubling stays
      // below TCP_RTO_MAX, then TCP_RTO_MAX per further retry.
      int thresh = 0;
      while (thresh < 30 && profile_.rto_initial * (1LL << (thresh + 1)) <= profile_.rto_max)
        ++thresh;
      const int n = profile_.syn_retries;
      const Duration budget = n <= thresh ? profile_.rto_initial * ((2LL << n) - 1)
                                          : profile_.rto_initial * ((2LL << thresh) - 1) +
                                                profile_.rto_max * (n - thresh);
      timed_out = now_ - t.oldest_unacked_sent >= budget;
    }
    if (t.retransmits >= limit || timed_out) {
      fire(Rule::R138);
      fire(Rule::R170);
      give_up(index, ETIMEDOUT);
      return;
    }
  } else if (t.retransmits > 0 && now_ - t.first_retransmit >= (t.orphan ? profile_.orphan_give_up
                                                                         : profile_.data_give_up)) {
    fire(Rule::R138);
    fire(Rule::R170);
    give_up(index, ETIMEDOUT);
    return;
  }
  if (t.retransmits == 0) t.first_retransmit = t.oldest_unacked_sent;
  t.retransmits++;
  t.tlp_outstanding = false;
  t.rtt_timing = false;  // Karn's rule
  fire(Rule::R137);
  switch (t.state) {
    case State::kSynSent: emit_syn(t, false); break;
    case State::kSynReceived: emit_syn(t, true); break;
    case State::kEstablished:
    case State::kFinWait1:
    case State::kCloseWait:
    case State::kClosing:
    case State::kLastAck:
      // Go back to the oldest unacknowledged byte with a congestion window of one segment.
      t.snd_rtx = t.snd_una;
      t.cwnd = 1;
      output(index);
      break;
    case State::kFinWait2:
    case State::kTimeWait:
    case State::kClosed:
    case State::kListen: break;
  }
  Tcb& u = tcbs_[static_cast<std::size_t>(index)];
  // Linux tcp_retransmit_timer: SYN-SENT keeps the RTO for the first tcp_syn_linear_timeouts.
  if (u.state != State::kSynSent || u.retransmits > profile_.syn_linear_timeouts) {
    u.rto = std::min(u.rto * 2, profile_.rto_max);
  }
  if (u.snd_una == u.snd_nxt && !handshake) {
    u.rtx_deadline = kNever;
    return;
  }
  u.rtx_deadline = now_ + u.rto;
  if (u.user_timeout_ms > 0) {
    // Linux tcp_clamp_rto_to_user_timeout: wake up when the user timeout expires.
    u.rtx_deadline =
        std::min(u.rtx_deadline,
                 u.oldest_unacked_sent + Duration{std::chrono::milliseconds{u.user_timeout_ms}});
  }
}

// Retransmission or user timeout: the connection is aborted without a segment (R25, R139).
void Endpoint::give_up(int index, int error) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  if (t.state == State::kSynReceived && t.passive && t.socket < 0) {
    delete_tcb(index);  // a passive open that never completed: the listener stays
    return;
  }
  reset_connection(index, error);
}

}  // namespace tcpconform::model
