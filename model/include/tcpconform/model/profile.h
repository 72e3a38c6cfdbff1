// Stack behaviour profiles as data: every place where RFC 9293 and Linux differ is a named field.
#pragma once

#include <cstdint>
#include <string>

#include "tcpconform/model/time.h"

namespace tcpconform::model {

// Each field names the catalog rule it implements; Linux values name the kernel function or sysctl
// they follow. The model's code tests these fields and never forks on the profile's name.
struct Profile {
  // "rfc9293", "linux", or a spec naming adopted fields (deviations.h profile_from_spec()).
  std::string name = "rfc9293";

  // --- Passive open -----------------------------------------------------------------------------
  // R160: a SYN to a listener creates a request socket (Linux tcp_conn_request / tcp_check_req);
  // SYN-RECEIVED segments follow tcp_check_req (R161, R162, R163) instead of §3.10.7.4.
  bool request_sockets = false;
  // R167: LISTEN + SYN with FIN is dropped (Linux tcp_rcv_state_process, case TCP_LISTEN).
  bool listen_drops_syn_fin = false;
  // R47: data on a SYN or SYN,ACK is discarded rather than buffered (Linux without TCP Fast Open:
  // tcp_conn_request keeps no payload; tcp_rcv_synsent_state_process acks only the SYN).
  bool syn_data_discarded = false;
  // R164a: the final ACK is answered with RST, not dropped, when the accept queue is full
  // (sysctl tcp_abort_on_overflow, default 0).
  bool abort_on_overflow = false;
  // R164a: cap on listen() backlogs (sysctl net.core.somaxconn, default 4096).
  int somaxconn = 4096;
  // R101/R104 vs R165: connect() on a listener turns it active (RFC) or fails EISCONN (Linux
  // __inet_stream_connect: sk_state != TCP_CLOSE). Linux never makes a socket that has listened
  // active: once it stopped listening (shutdown(SHUT_RD)), connect() fails EINVAL where the RFC
  // opens a new connection from CLOSED (R2). Measured on 6.18, both families; __inet_stream_connect
  // reaches tcp_v4_connect/tcp_v6_connect, which refuse it.
  bool listen_can_connect = true;
  // R1/R100: listen() on a socket whose connect() once started a connection (a SYN left), after
  // that attempt is gone (shutdown() in SYN-SENT, connect(AF_UNSPEC), a refused or reset attempt
  // reported), makes it LISTEN (RFC: CLOSED + passive OPEN). Linux 6.18 fails it with EINVAL
  // (inet_listen → __inet_listen_sk; measured, both families), though connect() works again.
  bool listen_after_connect = true;

  // --- SYN-SENT
  // ----------------------------------------------------------------------------------- R166: a
  // SYN,ACK whose TSecr is not within [first SYN's TSval, now] is answered with RST (Linux
  // tcp_rcv_synsent_state_process, LINUX_MIB_PAWSACTIVEREJECTED).
  bool synsent_checks_tsecr = false;

  // --- Synchronized states ----------------------------------------------------------------------
  // R70 (order): a segment with none of ACK/RST/SYN is dropped before the sequence check, so an
  // out-of-window ACK-less segment draws nothing (Linux tcp_rcv_established/tcp_rcv_state_process).
  bool drop_ackless_before_seq_check = false;
  // R51 variant: Linux tcp_sequence() accepts SEG.SEQ up to and including RCV.NXT+RCV.WND and
  // any segment whose end reaches RCV.NXT (data already received then draws an ACK in step 7).
  bool linux_sequence_check = false;
  // R51 (Linux ≥ 6.17 tcp_sequence, SKB_DROP_REASON_TCP_INVALID_END_SEQUENCE): a segment whose
  // end passes the right edge of the window is unacceptable (dropped, duplicate ACK) unless
  // the receive queue is empty — unread text or an unread FIN make it non-empty; close()
  // empties it (tcp_close). With the queue empty it is accepted as before.
  bool drop_beyond_window_when_queue_busy = false;
  // R151: PAWS tolerance in TS ticks: a TSval up to this much older than TS.Recent passes
  // (RFC 7323: 0; Linux tcp_paws_check with TCP_PAWS_WINDOW = 1).
  std::uint32_t paws_window = 0;
  // R151: a pure duplicate ACK at RCV.NXT that updates no window and whose TSval is older than
  // TS.Recent by at most 1.2 ticks per ms of RTO is exempt from PAWS (Linux tcp_disordered_ack,
  // tcp_tsval_replay). RFC 7323 has no such exemption.
  bool paws_disordered_ack_exempt = false;
  // R154/R160: a request socket drops a segment whose TSecr (when not 0) echoes none of its
  // SYN,ACKs, answering with an ACK unless it is a RST (Linux tcp_check_req: tsecr_reject,
  // LINUX_MIB_TSECRREJECTED). RFC 7323 leaves a bad TSecr to the implementation.
  bool request_checks_tsecr = false;
  // R151/R153: request sockets and TIME-WAIT (and FIN-WAIT-2) mini-sockets test PAWS without
  // the tolerance, and a RST there passes only once TS.Recent is 60 s old (Linux tcp_check_req
  // and tcp_timewait_state_process call tcp_paws_reject, TCP_PAWS_MSL). RFC 7323 §5.3 accepts
  // RSTs whatever their TSval.
  bool paws_strict_in_minisocks = false;
  // R152: TS.Recent is updated only by a segment whose ACK is acceptable (SND.UNA ≤ SEG.ACK ≤
  // SND.NXT; Linux tcp_ack → tcp_replace_ts_recent after the old/unsent ACK checks). RFC 7323
  // §4.3 updates it before the ACK is looked at.
  bool ts_recent_needs_valid_ack = false;
  // R150 vs R178: drop non-RST segments without TSopt on a timestamp connection (RFC 7323 §3.2).
  bool drop_segments_without_ts = true;
  // R173: also accept a RST at RCV.NXT-1 after a FIN was received (Linux tcp_reset_check).
  bool rst_accepts_rcv_nxt_minus_one_after_fin = false;
  // R27: SYN-RECEIVED (active side) accepts the crossing SYN,ACK (seq+1 == RCV.NXT, ack ==
  // SND.NXT) without a challenge ACK (Linux tcp_validate_incoming). The RFC profile reaches the
  // same result by trimming the old SYN (§3.10.7.4 intro).
  bool sim_open_synack_exempt = true;
  // R27/R53: that crossing SYN,ACK is answered with an ACK, its SYN octet being an old duplicate
  // (Linux tcp_data_queue: end_seq not after RCV.NXT → immediate ACK, D-SACK with SACK). The
  // RFC trims the old SYN and, with no text, sends nothing.
  bool ack_crossing_synack = false;
  // R72: in a full SYN-RECEIVED socket (simultaneous open) an ACK equal to SND.UNA (our ISS,
  // acknowledging nothing) is acceptable and establishes the connection, the SYN staying
  // unacknowledged (Linux tcp_ack rejects only before(ack, snd_una) or after(ack, snd_nxt);
  // tcp_rcv_state_process case TCP_SYN_RECV). RFC 9293 requires SND.UNA < SEG.ACK.
  bool syn_received_accepts_ack_of_iss = false;
  // R66: an in-window SYN in passive SYN-RECEIVED returns the connection to LISTEN (RFC 9293).
  // When false the SYN gets a challenge ACK like any synchronized state (R67).
  bool syn_in_passive_syn_received_resets = true;
  // R71/R134 vs R173: the lower bound of acceptable ACKs is SND.UNA - min(MAX.SND.WND,
  // bytes_acked) (Linux tcp_ack, "RFC 5961 5.2") instead of SND.UNA - MAX.SND.WND.
  bool old_ack_bound_uses_bytes_acked = false;
  // R73/R172: an ACK above SND.NXT draws a bare ACK (RFC 9293; Linux 6.18 measured). When false
  // the segment is dropped silently (older Linux, SKB_DROP_REASON_TCP_ACK_UNSENT_DATA).
  bool ack_above_snd_nxt_acks = true;
  // R168/R130 (and R84 in Linux): Linux tcp_rcv_state_process step 7 (LINUX_MIB_TCPABORTONDATA,
  // SKB_DROP_REASON_TCP_ABORT_ON_DATA): once the receive side is shut down (RCV_SHUTDOWN: by
  // close()/shutdown(SHUT_RD), or by the peer's FIN in tcp_fin), a segment whose end, less its
  // FIN, passes RCV.NXT — tested on the segment as received, out of order or past the window
  // edge included, a bare FIN beyond RCV.NXT too — is answered with RST and the connection dies
  // (tcp_reset: EPIPE in CLOSE-WAIT). FIN-WAIT-1/2 test every segment; CLOSE-WAIT, CLOSING and
  // LAST-ACK only one starting before RCV.NXT (covering the FIN; later ones are ignored, R84).
  // A segment there that ends with a FIN right after RCV.NXT goes on to tcp_data_queue, which
  // queues it and moves RCV.NXT past its end (the peer's FIN moved one octet on).
  // The orphaned FIN-WAIT-1 whose FIN this segment acknowledges makes the same test in step 5
  // (case TCP_FIN_WAIT1: "Receive out of order FIN after close()", tcp_done).
  bool reset_on_data_after_rcv_shutdown = false;
  // R74: Linux tcp_may_update_window(): the window is taken when SEG.ACK > SND.UNA, or SEG.SEQ >
  // SND.WL1, or SEG.SEQ = SND.WL1 and the window grows or is zero; a duplicate segment cannot
  // shrink it. RFC 9293: SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK).
  bool linux_window_update = false;
  // R10/R116: shutdown(SHUT_WR) in SYN-RECEIVED (simultaneous open) queues nothing; the FIN
  // leaves once the connection is ESTABLISHED (Linux tcp_shutdown acts only in ESTABLISHED,
  // SYN-SENT, CLOSE-WAIT; tcp_rcv_state_process case TCP_SYN_RECV calls it on SEND_SHUTDOWN).
  // RFC 9293 §3.10.4 sends the FIN at once when nothing is queued.
  bool shutdown_defers_fin_in_syn_received = false;
  // R7/R45: after crossing SYNs the windows we announce stay scaled by the shift our SYN offered,
  // even when the peer's SYN had no window scale option (Linux tcp_rcv_synsent_state_process
  // resets rcv_wscale only when a SYN,ACK lacks it; RFC 7323 §2.2 enables scaling only when both
  // SYNs carry the option).
  bool sim_open_keeps_rcv_wscale = false;
  // R55: out-of-order segments inside the window are kept and delivered when the gap fills.
  bool queue_out_of_order = false;
  // R82 (window management, unscaled windows): the window offered is the last one offered
  // unless the free space differs from it by at least the receive MSS estimate, then the free
  // space rounded down to that MSS; and it never shrinks. Received text and a FIN, even unread,
  // take free space (Linux __tcp_select_window with icsk_ack.rcv_mss, tcp_select_window; the
  // queued skbs are charged to the receive buffer). So the right edge stays put while anything
  // is unread: after a FIN at RCV.NXT the window is one smaller. The RFC profile offers the
  // free buffer at once (§3.8.6.2.2 leaves the receiver's policy open).
  bool linux_window_selection = false;

  // R80 (urgent data): the byte the urgent pointer marks is taken out of the stream: reads
  // skip it and stop before it, and a newer urgent pointer skips an unread previous one (Linux
  // tcp_check_urg, tcp_urg and tcp_recvmsg without SO_OOBINLINE; the pointer names the byte
  // before SEG.UP, tcp_stdurg = 0). RFC 9293 §3.8.5 and RFC 6093 keep urgent data in the stream.
  bool urgent_out_of_band = false;

  // --- Rate limits
  // -------------------------------------------------------------------------------- R133/R174:
  // minimum interval between challenge ACKs and out-of-window duplicate ACKs for segments without
  // data, per connection (Linux tcp_oow_rate_limited, sysctl tcp_invalid_ratelimit = 500 ms). Zero:
  // no limit.
  Duration oow_ack_interval = Duration{0};

  // --- Close
  // ----------------------------------------------------------------------------------------
  // R130/R168: close() with unread received data sends RST and goes to CLOSED (Linux tcp_close,
  // data_was_unread; RFC 2525 §2.17). The RFC profile treats this switch as [OPT] and keeps it off.
  bool half_duplex_close_rst = false;
  // R168: closing a listener resets its established, not yet accepted children (Linux
  // inet_csk_listen_stop → tcp_disconnect).
  bool listener_close_resets_children = false;
  // R169: an orphaned FIN-WAIT-2 connection dies after fin_timeout (Linux tcp_fin_timeout,
  // per-socket TCP_LINGER2; the connection then lives as a TIME-WAIT mini-socket of substate
  // FIN_WAIT2, tcp_time_wait()). The RFC has no such timeout.
  bool fin_wait2_orphan_timeout = false;
  Duration fin_timeout = std::chrono::seconds{60};  // R169: sysctl net.ipv4.tcp_fin_timeout
  // R24/R120d: an abort's RST also carries ACK = RCV.NXT (Linux tcp_send_active_reset sends
  // RST,ACK); the RFC sends <SEQ=SND.NXT><CTL=RST>.
  bool abort_rst_carries_ack = false;
  // R12 vs R177: an acceptable RST in active SYN-RECEIVED (simultaneous open) reports
  // ECONNREFUSED (RFC 9293 "connection refused"); Linux tcp_reset() gives ECONNREFUSED only in
  // SYN-SENT, ECONNRESET otherwise.
  bool syn_received_reset_refused = true;
  // R160/R114: a request socket outlives its listener's close() until a segment or its timer
  // reaches it, then it is dropped silently and the segment is looked up again (Linux
  // inet_csk_listen_stop leaves TCP_NEW_SYN_RECV requests; tcp_v4_rcv/reqsk_timer_handler drop
  // them lazily with inet_csk_reqsk_queue_drop_and_put).
  bool request_outlives_listener = false;
  // R177: CLOSE-WAIT + RST reports EPIPE instead of ECONNRESET (Linux tcp_reset errno switch).
  bool close_wait_reset_epipe = false;

  // --- TIME-WAIT
  // ------------------------------------------------------------------------------------- R122 vs
  // R175: TIME-WAIT length; 2×MSL (MSL 2 min → 4 min) or Linux's fixed TCP_TIMEWAIT_LEN.
  Duration time_wait = std::chrono::minutes{4};
  // R121 vs R171: an acceptable RST in TIME-WAIT is ignored (RFC 1337) or kills it (Linux
  // tcp_timewait_state_process with sysctl tcp_rfc1337 = 0).
  bool rfc1337 = true;
  // R175: an acceptable bare ACK in TIME-WAIT re-arms the timer (Linux inet_twsk_reschedule);
  // the RFC re-arms only on a FIN retransmission (R79a, R123).
  bool time_wait_ack_restarts_timer = false;
  // R124/R176: a reopening SYN in TIME-WAIT gets ISS = old SND.NXT + this offset (Linux
  // tcp_timewait_state_process: tw_snd_nxt + 65535 + 2); satisfies R124(a) in both profiles.
  std::uint32_t time_wait_reopen_isn_offset = 65537;
  // R126 vs R176: with timestamps, a SYN in TIME-WAIT reopens only when its TSval is newer
  // (RFC 6191); Linux also accepts it when SEG.SEQ is above RCV.NXT.
  bool time_wait_reopen_by_seq_with_ts = false;

  // --- Timers
  // ---------------------------------------------------------------------------------------
  // R136/R170: initial, minimum and maximum retransmission timeouts (RFC 6298: 1 s, 1 s, ≥ 60 s;
  // Linux TCP_TIMEOUT_INIT 1 s, TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s).
  Duration rto_initial = std::chrono::seconds{1};
  Duration rto_min = std::chrono::seconds{1};
  Duration rto_max = std::chrono::seconds{60};
  // R136: Linux tcp_rtt_estimator floors RTTVAR at rto_min, so RTO = SRTT + max(rto_min, 4·RTTVAR);
  // RFC 6298 computes SRTT + max(G, 4·RTTVAR) and then applies the minimum.
  bool rto_min_floors_variance = false;
  // R138/R170: SYN retransmissions before giving up (Linux tcp_syn_retries = 6 → ~127 s).
  // RFC 1122: R2 for a SYN ≥ 3 min, i.e. 7 retransmissions with a 1 s initial RTO (255 s).
  int syn_retries = 7;
  // R170: the first this-many SYN retransmissions keep the initial RTO (no back-off), and they
  // come on top of syn_retries (Linux ≥ 6.5 sysctl tcp_syn_linear_timeouts = 4,
  // tcp_retransmit_timer/tcp_write_timeout): SYNs at 0,1,2,3,4,5,7,11,19,35,67 s, give-up 131 s.
  int syn_linear_timeouts = 0;
  // R170: SYN-SENT also gives up once the time since the first SYN reaches the exponential
  // model of syn_retries, (2^(syn_retries+1) - 1) × rto_initial, even when linear timeouts left
  // retransmissions unspent (Linux tcp_write_timeout → retransmits_timed_out/tcp_model_timeout).
  bool syn_give_up_by_time = false;
  // R138/R170: SYN,ACK retransmissions of a passive open (Linux tcp_synack_retries = 5).
  int synack_retries = 7;
  // R138/R170: give up on data after this long since the first unacknowledged retransmission
  // (RFC 1122 R2 ≥ 100 s; Linux tcp_retries2 = 15 → 924.6 s with TCP_RTO_MIN 200 ms).
  Duration data_give_up = std::chrono::seconds{100};
  // R138/R170: the same for an orphan (closed by the application): Linux tcp_orphan_retries with
  // sysctl tcp_orphan_retries = 0 → 8 retries → 102.2 s with TCP_RTO_MIN 200 ms.
  Duration orphan_give_up = std::chrono::seconds{100};
  // R179 vs R139b: zero-window probes carry SEQ=SND.UNA-1 and no data (Linux tcp_xmit_probe_skb)
  // rather than one byte of new data.
  bool zero_window_probe_old_seq = false;
  // Tail loss probe (RFC 8985; Linux tcp_schedule_loss_probe with sysctl tcp_early_retrans = 3):
  // on SACK connections the first timeout is a probe after 2·SRTT (+ TCP_RTO_MIN with one
  // segment in flight, else + 2 ms), capped by the RTO; it resends the last segment (or one new
  // segment) without back-off, then the RTO runs as usual (R136).
  bool tail_loss_probe = false;
  // R106 (PSH): besides the last segment of a write, a segment ending more than half the
  // largest window the peer offered beyond the last PSH carries PSH (Linux forced_push /
  // tcp_mark_push in tcp_sendmsg_locked). RFC 9293 leaves PSH to the sender.
  bool forced_push = false;
  // R106 (PSH): new data leaves in GSO chunks of at most min(max(cwnd/2, 1), cwnd - in flight)
  // segments (Linux tcp_write_xmit → tcp_cwnd_test, tcp_mss_split_point), and a chunk of two
  // or more segments carries PSH on its last segment (__tcp_transmit_skb: "Force a PSH flag on
  // all (GSO) packets to expedite GRO flush at receiver"; tcp_gso_segment keeps PSH on the last
  // wire segment only). RFC 9293 §3.9.1 leaves PSH to the sender beyond the end of a SEND.
  bool gso_chunk_push = false;
  // Initial congestion window in segments (RFC 5681 IW ≈ 3; Linux TCP_INIT_CWND = 10).
  std::uint32_t initial_cwnd = 3;

  // --- Observation
  // ---------------------------------------------------------------------------------- Recv-Q
  // counts a received, not yet read FIN as one byte (Linux: rcv_nxt - copied_seq).
  bool recv_q_counts_fin = false;

  // Field by field (deviations.h must list every field but `name`; its test relies on this).
  friend bool operator==(const Profile&, const Profile&) = default;
};

// RFC 9293 with RFC 5961, RFC 1337 and RFC 6191: the catalog's [MODEL] rules.
Profile rfc9293_profile();
// Documented Linux behaviour (the catalog's [LINUX] rules, default sysctls of Linux 6.x).
Profile linux_profile();

}  // namespace tcpconform::model
