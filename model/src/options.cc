// Option negotiation on the SYNs (RFC 9293 §3.7.1, RFC 7323, RFC 2018) and the PAWS test.
#include <algorithm>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

namespace opt = wire::option;

// Called with the peer's SYN (passive) or SYN,ACK (active). Our own offer is `choices_` for an
// active open; a passive open offers whatever the peer offered.
void Endpoint::negotiate_options(Tcb& t, const wire::Segment& syn) {
  const bool v4 = t.tuple.local.address.version == wire::IpVersion::kV4;
  const std::uint16_t our_mss = v4 ? choices_.mss_v4 : choices_.mss_v6;
  const auto* mss = syn.find_option<opt::Mss>();
  // RFC 9293 §3.7.1: without the option the peer's MSS is 536 (IPv4) / 1220 (IPv6).
  const std::uint16_t peer_mss = mss != nullptr ? mss->value : (v4 ? 536 : 1220);
  const auto* ts = syn.find_option<opt::Timestamp>();
  const auto* ws = syn.find_option<opt::WindowScale>();
  const bool sack = syn.find_option<opt::SackPermitted>() != nullptr;
  t.ts_ok = choices_.timestamps && ts != nullptr;
  t.sack_ok = choices_.sack && sack;
  t.wscale_ok = choices_.window_scaling && ws != nullptr;
  t.snd_wscale = t.wscale_ok ? std::min<std::uint8_t>(ws->shift, 14) : 0;
  t.rcv_wscale = t.wscale_ok ? choices_.wscale : 0;
  if (t.ts_ok) {
    t.ts_recent = ts->val;
    t.ts_recent_valid = true;
    t.ts_recent_stamp = now_;
  }
  std::uint16_t m = std::min(peer_mss, our_mss);
  if (t.user_mss > 0) m = std::min(m, t.user_mss);
  if (t.ts_ok) m = static_cast<std::uint16_t>(m - 12);  // the timestamp option's room
  t.snd_mss = std::max<std::uint16_t>(m, 8);
}

// RFC 7323 §5.3 (R151): SEG.TSval older than TS.Recent on a non-RST segment is unacceptable.
// R153: TS.Recent older than 24 days is no longer valid.
bool Endpoint::paws_reject(const Tcb& t, const wire::Segment& seg) {
  if (!t.ts_ok || !t.ts_recent_valid) return false;
  const auto* ts = seg.find_option<opt::Timestamp>();
  if (ts == nullptr) return false;
  // R153: Linux request and TIME-WAIT sockets test PAWS with tcp_paws_reject: no tolerance,
  // and a RST is exempt only once TS.Recent is TCP_PAWS_MSL (60 s) old.
  const bool mini = t.request_socket || t.state == State::kTimeWait || t.fw2_minisock;
  const bool strict = profile_.paws_strict_in_minisocks && mini;
  if (seg.flags.has(wire::Flag::kRst) &&
      (!strict || now_ - t.ts_recent_stamp >= std::chrono::seconds{60})) {
    fire(Rule::R153);  // RSTs are accepted whatever their TSval
    return false;
  }
  if (now_ - t.ts_recent_stamp > std::chrono::hours{24 * 24}) {
    fire(Rule::R153);  // TS.Recent is invalid after 24 days idle
    return false;
  }
  const auto older = static_cast<std::int32_t>(t.ts_recent - ts->val);
  if (older <= (strict ? 0 : static_cast<std::int32_t>(profile_.paws_window))) return false;
  if (profile_.paws_disordered_ack_exempt && disordered_ack(t, seg, older)) {
    fire(Rule::R151);
    return false;
  }
  return true;
}

// R151 (Linux tcp_disordered_ack): a pure duplicate ACK at RCV.NXT that would not update the
// send window, older than TS.Recent by no more than the replay window (tcp_tsval_replay: RTO in
// ms × 1.2 ticks), is reordered, not replayed.
bool Endpoint::disordered_ack(const Tcb& t, const wire::Segment& seg, std::int32_t older) const {
  if (t.state == State::kTimeWait || t.request_socket) return false;
  if (!seg.flags.has(wire::Flag::kAck) || seg.flags.has(wire::Flag::kSyn) ||
      seg.flags.has(wire::Flag::kFin) || !seg.payload.empty())
    return false;
  if (seg.seq != t.rcv_nxt || seg.ack != t.snd_una) return false;
  // tcp_may_update_window(): after(ack, snd_una) || after(seq, snd_wl1) ||
  // (seq == snd_wl1 && (nwin > snd_wnd || nwin == 0)).
  const std::uint32_t nwin = static_cast<std::uint32_t>(seg.window) << t.snd_wscale;
  if (wire::gt(seg.seq, t.snd_wl1) || (seg.seq == t.snd_wl1 && (nwin > t.snd_wnd || nwin == 0)))
    return false;
  const auto rto_ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.rto).count();
  return older <= static_cast<std::int32_t>(rto_ms * 1200 / 1000);
}

}  // namespace tcpconform::model
