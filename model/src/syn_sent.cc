// SYN-SENT: RFC 9293 §3.10.7.3, with Linux tcp_rcv_synsent_state_process differences (R166).
#include <cerrno>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

using wire::Flag;

void Endpoint::syn_sent_segment(int index, const wire::Segment& seg) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  const bool ack = seg.flags.has(Flag::kAck);
  const bool rst = seg.flags.has(Flag::kRst);
  const bool syn = seg.flags.has(Flag::kSyn);

  // First: the ACK (R40, R41).
  if (ack) {
    if (wire::le(seg.ack, t.iss) || wire::gt(seg.ack, t.snd_nxt)) {
      fire(Rule::R40);
      fire(Rule::R141);
      if (!rst) {
        emit_rst_for(seg);  // <SEQ=SEG.ACK><CTL=RST>
      } else {
        fire(Rule::R143);
      }
      return;
    }
    fire(Rule::R41);
    // R166: Linux rejects a SYN,ACK whose TSecr was never sent (PAWS for the active side). The
    // test comes before the RST's: a RST,ACK with such a TSecr is dropped (reset_and_undo; no
    // RST answers a RST).
    if (profile_.synsent_checks_tsecr && t.ts_ok) {
      const auto* ts = seg.find_option<wire::option::Timestamp>();
      if (ts != nullptr && ts->ecr != 0 &&
          !(static_cast<std::int32_t>(ts->ecr - t.syn_tsval) >= 0 &&
            static_cast<std::int32_t>(ts_now(t) - ts->ecr) >= 0)) {
        fire(Rule::R166);
        fire(Rule::R154);
        if (!rst) emit_rst_for(seg);
        return;
      }
    }
  }
  // Second: the RST, acted on only with an acceptable ACK (R42; RFC 5961 §3).
  if (rst) {
    if (ack) {
      fire(Rule::R42);
      fire(Rule::R23);
      fire(Rule::R177);
      reset_connection(index, ECONNREFUSED);
    } else {
      fire(Rule::R42);
      fire(Rule::R143);
    }
    return;
  }
  // Fourth: the SYN (R43).
  if (!syn) {
    fire(Rule::R46);
    if (seg.flags.has(Flag::kFin)) fire(Rule::R85);
    return;
  }
  fire(Rule::R43);
  t.irs = seg.seq;
  t.rcv_nxt = seg.seq + SeqLen{1};
  t.rcv_up = t.rcv_nxt;
  t.copied_seq = t.rcv_nxt;
  const bool ts_offered = t.ts_ok;  // what our SYN offered (set at connect)
  const bool sack_offered = t.sack_ok;
  const bool ws_offered = t.wscale_ok;
  negotiate_options(t, seg);
  t.ts_ok = t.ts_ok && ts_offered;
  t.sack_ok = t.sack_ok && sack_offered;
  t.wscale_ok = t.wscale_ok && ws_offered;
  if (!t.wscale_ok) {
    t.snd_wscale = 0;
    t.rcv_wscale = 0;
  }
  t.snd_wnd = seg.window;  // SYN windows are never scaled
  t.max_snd_wnd = t.snd_wnd;
  t.snd_wl1 = seg.seq;
  t.snd_wl2 = seg.ack;
  if (ack) {
    // R44/R8: our SYN is acknowledged → ESTABLISHED, bare ACK.
    t.bytes_acked += (seg.ack - t.snd_una).value;
    t.snd_una = seg.ack;
    if (wire::lt(t.snd_rtx, t.snd_una)) t.snd_rtx = t.snd_una;
    if (t.retransmits == 0) rtt_sample(t, now_ - t.rtt_start);
    t.rtt_timing = false;
    t.retransmits = 0;
    t.rtx_deadline = kNever;
    fire(Rule::R44);
    fire(Rule::R8);
    set_state(index, State::kEstablished);
    const bool more =
        !seg.payload.empty() || seg.flags.has(Flag::kFin) || seg.flags.has(Flag::kUrg);
    if (more) fire(Rule::R47);
    const std::size_t before = out_->segments.size();
    if (more && !profile_.syn_data_discarded) {
      // Continue at step 6 with the SYN trimmed (R44).
      accept_data_and_fin(index, seg, seg.seq + SeqLen{1},
                          static_cast<std::uint32_t>(seg.payload.size()),
                          seg.flags.has(Flag::kFin));
      if (tcbs_[static_cast<std::size_t>(index)].state == State::kClosed) return;
    }
    Tcb& u = tcbs_[static_cast<std::size_t>(index)];
    if (out_->segments.size() == before) emit_ack(u);
    output(index);
    return;
  }
  // R45/R7: simultaneous open → SYN-RECEIVED, SYN,ACK at ISS.
  fire(Rule::R45);
  fire(Rule::R7);
  if (!seg.payload.empty()) fire(Rule::R47);
  set_state(index, State::kSynReceived);
  // Linux tcp_rcv_synsent_state_process clears rcv_wscale only on the SYN,ACK path: after
  // crossing SYNs our windows stay scaled by the shift our SYN offered even when the peer's SYN
  // had no window scale option (R7, R45; RFC 7323 §2.2 requires both to offer it).
  if (profile_.sim_open_keeps_rcv_wscale && ws_offered && choices_.window_scaling) {
    t.rcv_wscale = choices_.wscale;
  }
  t.rcv_wnd = t.rcv_wnd_init;
  t.retransmits = 0;
  t.rtx_deadline = kNever;
  emit_syn(t, true);
  arm_rtx(t);
}

}  // namespace tcpconform::model
