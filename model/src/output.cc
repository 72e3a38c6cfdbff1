// Building and sending segments: SYNs, ACKs, RSTs, data and FIN under window, cwnd and Nagle.
#include <algorithm>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

using wire::Flag;
using wire::Flags;
namespace opt = wire::option;

std::uint16_t Endpoint::window_field(const Tcb& t) const {
  std::uint32_t w = t.rcv_wnd;
  if (t.rcv_wscale > 0) {
    // Linux __tcp_select_window rounds the scaled window up to the scale's granularity.
    const std::uint32_t unit = 1U << t.rcv_wscale;
    w = (w + unit - 1) / unit;
  }
  return static_cast<std::uint16_t>(std::min<std::uint32_t>(w, 65535U));
}

// Linux tcp_initialize_rcv_mss() and tcp_measure_rcv_mss(): the receive MSS estimate starts at
// min(advertised MSS, send MSS, window/2, 536) and rises to the largest segment received.
std::uint32_t Endpoint::rcv_mss_estimate(const Tcb& t) const {
  std::uint32_t adv =
      t.tuple.local.address.version == wire::IpVersion::kV4 ? choices_.mss_v4 : choices_.mss_v6;
  if (t.user_mss > 0) adv = std::min<std::uint32_t>(adv, t.user_mss);
  std::uint32_t hint = std::min({adv, std::uint32_t{t.snd_mss}, t.rcv_wnd_init / 2, 536U});
  hint = std::max(hint, 88U);  // TCP_MIN_MSS
  if (t.rcv_seg_max >= hint) hint = std::min(t.rcv_seg_max, adv);
  return std::max(hint, 1U);
}

// R82, Linux __tcp_select_window() for an unscaled window: keep the last window unless the free
// space (received text and FIN count against it) is at least one receive MSS larger, or smaller.
std::uint32_t Endpoint::linux_window(const Tcb& t) const {
  const std::uint32_t unread = (t.rcv_nxt - t.copied_seq).value;
  const std::uint32_t space = std::min(t.rcv_buffer, t.rcv_wnd_init);
  const std::uint32_t free_space = space > unread ? space - unread : 0;
  const std::uint32_t mss = rcv_mss_estimate(t);
  std::uint32_t window = t.rcv_wnd;
  if (window + mss <= free_space || window > free_space) window = free_space - free_space % mss;
  return window;
}

// R82: the window is the free receive buffer, but its right edge never moves left.
void Endpoint::update_rcv_wnd(Tcb& t) {
  const std::uint32_t unread = (t.rcv_nxt - t.copied_seq).value;
  const std::uint32_t free_space = t.rcv_buffer > unread ? t.rcv_buffer - unread : 0;
  // The window never grows beyond the one first offered (no autotuning in the model).
  std::uint32_t wanted = std::min(free_space, t.rcv_wnd_init);
  SeqNum edge = t.rcv_adv;
  bool edge_valid = t.rcv_adv_valid;
  if (profile_.linux_window_selection && t.rcv_wscale == 0) {
    wanted = linux_window(t);
    // Our SYN or SYN,ACK offered the first edge (Linux rcv_wup = IRS+1, rcv_wnd).
    if (!edge_valid) {
      edge = t.irs + SeqLen{1 + t.rcv_wnd_init};
      edge_valid = true;
    }
  }
  if (edge_valid && wire::lt(t.rcv_nxt + SeqLen{wanted}, edge) && wire::le(t.rcv_nxt, edge)) {
    wanted = (edge - t.rcv_nxt).value;
  }
  t.rcv_wnd = wanted;
}

// Every segment advertises the current window; its right edge is remembered (R82).
wire::Segment& Endpoint::emit(Tcb& t, Flags flags, SeqNum seq, std::uint32_t payload) {
  update_rcv_wnd(t);
  // R82: the right edge is what the window field announces; a scaled field rounds the window up
  // to the scale's unit and Linux takes that as rcv_wnd (tcp_select_window).
  const std::uint32_t announced =
      t.rcv_wscale > 0 ? static_cast<std::uint32_t>(window_field(t)) << t.rcv_wscale : t.rcv_wnd;
  t.rcv_adv = t.rcv_nxt + SeqLen{std::max(announced, t.rcv_wnd)};
  t.rcv_adv_valid = true;
  wire::Segment& s = out_->segments.push();
  s.src = t.tuple.local.address;
  s.dst = t.tuple.remote.address;
  s.sport = t.tuple.local.port;
  s.dport = t.tuple.remote.port;
  s.seq = seq;
  s.ack = flags.has(Flag::kAck) ? t.rcv_nxt : SeqNum{0};
  s.flags = flags;
  s.window = window_field(t);
  if (payload > 0) s.payload.resize(payload, 0);
  if (t.ts_ok && !flags.has(Flag::kSyn)) {
    fire(Rule::R154);  // TSecr echoes TS.Recent
    s.options.emplace_back(opt::Nop{});
    s.options.emplace_back(opt::Nop{});
    s.options.emplace_back(opt::Timestamp{ts_now(t), t.ts_recent_valid ? t.ts_recent : 0U});
  }
  return s;
}

void Endpoint::emit_ack(Tcb& t) {
  emit(t, wire::kAck, t.snd_nxt, 0);
  t.last_ack_sent = t.rcv_nxt;
}

// The SYN (active) or SYN,ACK (passive, simultaneous open) at ISS, with options in Linux's order
// (tcp_options_write): MSS, SACK-permitted + TS, NOP + window scale.
void Endpoint::emit_syn(Tcb& t, bool with_ack) {
  const Flags flags = with_ack ? wire::kSynAck : wire::kSyn;
  wire::Segment& s = out_->segments.push();
  s.src = t.tuple.local.address;
  s.dst = t.tuple.remote.address;
  s.sport = t.tuple.local.port;
  s.dport = t.tuple.remote.port;
  s.seq = t.iss;
  s.ack = with_ack ? t.rcv_nxt : SeqNum{0};
  s.flags = flags;
  s.window = static_cast<std::uint16_t>(std::min<std::uint32_t>(t.rcv_wnd, 65535U));
  std::uint16_t mss =
      t.tuple.local.address.version == wire::IpVersion::kV4 ? choices_.mss_v4 : choices_.mss_v6;
  if (t.user_mss > 0) mss = std::min(mss, t.user_mss);  // TCP_MAXSEG clamps what we announce
  s.options.emplace_back(opt::Mss{mss});
  const bool ts = with_ack ? t.ts_ok : choices_.timestamps;
  const bool sack = with_ack ? t.sack_ok : choices_.sack;
  const bool ws = with_ack ? t.wscale_ok : choices_.window_scaling;
  if (ts) {
    if (sack) {
      s.options.emplace_back(opt::SackPermitted{});
    } else {
      s.options.emplace_back(opt::Nop{});
      s.options.emplace_back(opt::Nop{});
    }
    const std::uint32_t tsval = ts_now(t);
    s.options.emplace_back(opt::Timestamp{tsval, with_ack ? t.ts_recent : 0U});
    if (with_ack) {
      // The TSvals our SYN,ACKs carried (Linux snt_tsval_first/last, R154).
      if (!t.synack_tsval_sent) t.synack_tsval_first = tsval;
      t.synack_tsval_sent = true;
      t.synack_tsval_last = tsval;
    }
  } else if (sack) {
    s.options.emplace_back(opt::Nop{});
    s.options.emplace_back(opt::Nop{});
    s.options.emplace_back(opt::SackPermitted{});
  }
  if (ws) {
    s.options.emplace_back(opt::Nop{});
    s.options.emplace_back(opt::WindowScale{choices_.wscale});
  }
  t.last_ack_sent = t.rcv_nxt;
}

// Reset generation for a segment that reached no TCB (RFC 9293 §3.5.2 group 1, R32, R33).
void Endpoint::emit_rst_for(const wire::Segment& seg) {
  wire::Segment& s = out_->segments.push();
  s.src = seg.dst;
  s.dst = seg.src;
  s.sport = seg.dport;
  s.dport = seg.sport;
  s.window = 0;
  if (seg.flags.has(Flag::kAck)) {
    s.seq = seg.ack;  // <SEQ=SEG.ACK><CTL=RST>
    s.ack = SeqNum{0};
    s.flags = wire::kRst;
  } else {
    s.seq = SeqNum{0};  // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    s.ack = seg.seq + seg.seg_len();
    s.flags = wire::kRstAck;
  }
}

// An abort's RST: <SEQ=SND.NXT><CTL=RST> (R24, R120d); RST,ACK in the Linux profile.
void Endpoint::emit_rst_from(Tcb& t) {
  const Flags flags = profile_.abort_rst_carries_ack ? wire::kRstAck : wire::kRst;
  wire::Segment& s = emit(t, flags, t.snd_nxt, 0);
  if (!profile_.abort_rst_carries_ack) s.options.clear();
}

// R133/R174: one ACK per interval for segments that carry no data (Linux tcp_oow_rate_limited).
bool Endpoint::oow_rate_limited(Tcb& t, const wire::Segment& seg) {
  if (profile_.oow_ack_interval.count() == 0) return false;
  if (!seg.payload.empty() && !seg.flags.has(Flag::kSyn)) return false;
  if (seg.flags.has(Flag::kFin) && !seg.flags.has(Flag::kSyn)) return false;
  return oow_interval_limited(t);
}

// The per-connection interval alone (Linux __tcp_oow_rate_limited): challenge ACKs are limited
// whatever the segment carries (tcp_send_challenge_ack), unlike duplicate ACKs above.
bool Endpoint::oow_interval_limited(Tcb& t) {
  if (profile_.oow_ack_interval.count() == 0) return false;
  if (t.oow_ack_sent && now_ - t.last_oow_ack < profile_.oow_ack_interval) {
    fire(Rule::R174);
    return true;
  }
  t.oow_ack_sent = true;
  t.last_oow_ack = now_;
  return false;
}

// A challenge ACK is a plain bare ACK that changes no variable (R133, R135).
void Endpoint::send_challenge_ack(Tcb& t, const wire::Segment& seg) {
  fire(Rule::R135);
  (void)seg;
  if (oow_interval_limited(t)) return;
  fire(Rule::R133);
  emit(t, wire::kAck, t.snd_nxt, 0);
}

// Linux tcp_schedule_loss_probe(): a probe timeout of 2·SRTT, plus TCP_RTO_MIN with a single
// segment in flight (delayed ACK allowance) or 2 ms otherwise, never later than the RTO.
bool Endpoint::schedule_loss_probe(Tcb& t, bool advancing_rto) {
  if (!profile_.tail_loss_probe || !t.sack_ok || t.retransmits > 0 || t.snd_una == t.snd_nxt ||
      t.probing) {
    return false;
  }
  Duration pto = profile_.rto_initial;
  if (t.rtt_valid) {
    const std::uint32_t in_flight = (t.snd_nxt - t.snd_una).value;
    const bool one_segment = in_flight <= std::max<std::uint32_t>(t.snd_mss, 1) + 1;
    pto = t.srtt * 2 + (one_segment ? profile_.rto_min : Duration{2000});
  }
  const Duration rto_delta = advancing_rto ? t.rto : t.oldest_unacked_sent + t.rto - now_;
  if (rto_delta.count() > 0) pto = std::min(pto, rto_delta);
  t.rtx_deadline = now_ + pto;
  t.loss_probe = true;
  return true;
}

// Linux tcp_send_loss_probe(): one new segment if the window allows, else the last segment
// again; then the ordinary RTO, without back-off.
void Endpoint::send_loss_probe(int index) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  t.loss_probe = false;
  if (!t.tlp_outstanding) {
    fire(Rule::R136);
    const std::size_t before = out_->segments.size();
    output(index, true);
    Tcb& u = tcbs_[static_cast<std::size_t>(index)];
    if (out_->segments.size() == before && wire::lt(u.snd_una, u.snd_nxt)) {
      const SeqNum data_end = u.fin_sent ? u.write_seq - SeqLen{1} : u.write_seq;
      const SeqNum data_stop = wire::lt(data_end, u.snd_nxt) ? data_end : u.snd_nxt;
      const std::uint32_t data = wire::lt(u.snd_una, data_stop) ? (data_stop - u.snd_una).value : 0;
      const bool fin = u.fin_sent && u.snd_nxt == u.write_seq;
      const std::uint32_t len = fin && u.fin_alone ? 0U : std::min<std::uint32_t>(data, u.snd_mss);
      wire::Flags flags = wire::kAck;
      if (fin) flags = flags | wire::kFin;
      if (len > 0) flags = flags | wire::kPsh;
      emit(u, flags, data_stop - SeqLen{len}, len);
      fire(Rule::R137);
    }
    u.tlp_outstanding = true;
    u.tlp_high_seq = u.snd_nxt;
    u.rtt_timing = false;
  }
  Tcb& u = tcbs_[static_cast<std::size_t>(index)];
  u.rtx_deadline = now_ + u.rto;
}

// Linux tcp_cwnd_test(): one GSO chunk takes at most half the congestion window ("ensure we
// have at least 2 GSO packets in flight") and no more than the window has room for.
std::uint32_t Endpoint::chunk_quota(const Tcb& t) const {
  const std::uint32_t mss = std::max<std::uint32_t>(t.snd_mss, 1);
  const std::uint32_t in_flight = ((t.snd_nxt - t.snd_una).value + mss - 1) / mss;
  const std::uint32_t half = std::max<std::uint32_t>(t.cwnd / 2, 1);
  const std::uint32_t room = t.cwnd > in_flight ? t.cwnd - in_flight : 1U;
  return std::min(half, room);
}

// R106: a chunk of two or more segments leaves with PSH on its last segment (Linux
// __tcp_transmit_skb forces PSH on GSO packets; tcp_gso_segment keeps it on the last one).
void Endpoint::close_chunk(GsoChunk& chunk) {
  if (profile_.gso_chunk_push && chunk.segments >= 2) {
    wire::Segment& last = out_->segments[chunk.last];
    last.flags = last.flags | wire::kPsh;
  }
  chunk = GsoChunk{};
}

void Endpoint::arm_rtx(Tcb& t) {
  if (t.rtx_deadline == kNever || t.probing) {
    t.probing = false;
    t.loss_probe = false;
    t.rtx_deadline = now_ + t.rto;
  }
}

// Sends what the window, the congestion window and Nagle allow: first segments to retransmit
// after a timeout (snd_rtx < snd_nxt), then new data, then the FIN (R13, R20, R117, R119).
void Endpoint::output(int index, bool loss_probe) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  switch (t.state) {
    case State::kEstablished:
    case State::kCloseWait:
    case State::kFinWait1:
    case State::kClosing:
    case State::kLastAck: break;
    case State::kClosed:
    case State::kListen:
    case State::kSynSent:
    case State::kSynReceived:
    case State::kFinWait2:
    case State::kTimeWait: return;
  }
  const bool nodelay = t.nodelay;
  const std::uint32_t mss = t.snd_mss;
  const SeqNum data_end = t.fin_queued ? t.write_seq - SeqLen{1} : t.write_seq;
  const SeqNum wnd_end = t.snd_una + SeqLen{t.snd_wnd};
  const auto cwnd_bytes = loss_probe ? ~std::uint64_t{0} : static_cast<std::uint64_t>(t.cwnd) * mss;
  bool sent = false;
  bool sent_new = false;
  GsoChunk chunk;
  // Go-back-N retransmission of what a timeout marked lost.
  while (wire::lt(t.snd_rtx, t.snd_nxt)) {
    if ((t.snd_rtx - t.snd_una).value >= cwnd_bytes) break;
    // Only what was sent before is retransmitted: [snd_rtx, min(data_end, snd_nxt)).
    const SeqNum sent_end = wire::lt(data_end, t.snd_nxt) ? data_end : t.snd_nxt;
    const std::uint32_t left = wire::lt(t.snd_rtx, sent_end) ? (sent_end - t.snd_rtx).value : 0U;
    const std::uint32_t len = std::min(left, mss);
    // A FIN sent on its own is retransmitted on its own (Linux keeps it in a separate skb).
    const bool fin =
        t.fin_sent && t.snd_rtx + SeqLen{len} == data_end && (len == 0 || !t.fin_alone);
    Flags flags = wire::kAck;
    if (fin) flags = flags | wire::kFin;
    if (len > 0 && t.snd_rtx + SeqLen{len} == data_end) flags = flags | wire::kPsh;
    emit(t, flags, t.snd_rtx, len);
    t.last_ack_sent = t.rcv_nxt;
    t.snd_rtx = t.snd_rtx + SeqLen{len + (fin ? 1U : 0U)};
    sent = true;
    fire(Rule::R136);
  }
  for (;;) {
    if (wire::lt(t.snd_nxt, data_end)) {
      const std::uint32_t remaining = (data_end - t.snd_nxt).value;
      const std::uint32_t usable = wire::lt(t.snd_nxt, wnd_end) ? (wnd_end - t.snd_nxt).value : 0U;
      const std::uint32_t len = std::min({mss, remaining, usable});
      if (len == 0) break;
      if ((t.snd_nxt - t.snd_una).value >= cwnd_bytes) break;
      // Nagle, Minshall's variant (Linux tcp_nagle_check): hold a small segment while an
      // earlier small segment is unacknowledged — unless it carries the FIN (tcp_nagle_test:
      // a skb with FIN always passes; tcp_send_fin puts the FIN on the unsent tail).
      const bool carries_fin = t.snd_nxt + SeqLen{len} == data_end && t.fin_queued && !t.fin_sent;
      if (len < mss && !nodelay && !carries_fin && wire::lt(t.snd_una, t.snd_sml) &&
          wire::le(t.snd_sml, t.snd_nxt)) {
        break;
      }
      const bool last = t.snd_nxt + SeqLen{len} == data_end;
      const bool fin = last && t.fin_queued && !t.fin_sent;
      const SeqNum end = t.snd_nxt + SeqLen{len};
      const bool forced =
          profile_.forced_push && wire::gt(end, t.pushed_seq + SeqLen{t.max_snd_wnd / 2});
      Flags flags = wire::kAck;
      if (last || forced) {
        flags = flags | wire::kPsh;
        t.pushed_seq = end;
      }
      if (fin) flags = flags | wire::kFin;
      if (chunk.quota == 0) chunk.quota = loss_probe ? 1U : chunk_quota(t);
      emit(t, flags, t.snd_nxt, len);
      chunk.add(out_->segments.size() - 1);
      // A sub-MSS segment ends its chunk (Linux splits TSO skbs at MSS multiples).
      if (chunk.segments == chunk.quota || len < mss) close_chunk(chunk);
      t.last_ack_sent = t.rcv_nxt;
      if (!t.rtt_timing) {
        t.rtt_timing = true;
        t.rtt_seq = t.snd_nxt + SeqLen{len};
        t.rtt_start = now_;
      }
      if (t.snd_nxt == t.snd_una) t.oldest_unacked_sent = now_;
      t.snd_nxt = t.snd_nxt + SeqLen{len + (fin ? 1U : 0U)};
      t.snd_rtx = t.snd_nxt;
      if (fin) t.fin_sent = true;
      if (len < mss) t.snd_sml = t.snd_nxt;
      fire(Rule::R106);
      sent = true;
      sent_new = true;
      if (loss_probe) break;
      continue;
    }
    close_chunk(chunk);
    // The FIN must fit the peer's window too (Linux tcp_snd_wnd_test).
    if (t.fin_queued && !t.fin_sent && t.snd_nxt == data_end &&
        !wire::gt(t.snd_nxt + SeqLen{1}, wnd_end)) {
      emit(t, wire::kFinAck, t.snd_nxt, 0);
      t.last_ack_sent = t.rcv_nxt;
      if (t.snd_nxt == t.snd_una) t.oldest_unacked_sent = now_;
      t.snd_nxt = t.snd_nxt + SeqLen{1};
      t.snd_rtx = t.snd_nxt;
      t.fin_sent = true;
      t.fin_alone = true;
      sent = true;
      sent_new = true;
    }
    break;
  }
  close_chunk(chunk);
  if (loss_probe) return;
  if (sent_new && schedule_loss_probe(t, false)) return;
  if (sent || (t.snd_una != t.snd_nxt && t.rtx_deadline == kNever)) {
    arm_rtx(t);  // anything in flight has a retransmission timer
  } else if (t.snd_una == t.snd_nxt && t.snd_wnd == 0 && t.rtx_deadline == kNever &&
             (wire::lt(t.snd_nxt, data_end) || (t.fin_queued && !t.fin_sent))) {
    // R139b: zero window with data queued and nothing in flight → persist timer.
    t.probing = true;
    t.oldest_unacked_sent = now_;  // the user timeout counts unanswered probes from here
    t.rtx_deadline = now_ + t.rto;
  }
}

}  // namespace tcpconform::model
