// The two built-in profiles: RFC 9293 (+5961, 1337, 6191) and Linux 6.x with default sysctls.
#include "tcpconform/model/profile.h"

namespace tcpconform::model {

Profile rfc9293_profile() {
  return Profile{};  // the defaults are the RFC's
}

Profile linux_profile() {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  Profile p;
  p.name = "linux";
  p.request_sockets = true;                          // R160
  p.listen_drops_syn_fin = true;                     // R167
  p.syn_data_discarded = true;                       // R47 (no TFO)
  p.abort_on_overflow = false;                       // R164a tcp_abort_on_overflow = 0
  p.somaxconn = 4096;                                // R164a net.core.somaxconn
  p.listen_can_connect = false;                      // R165
  p.listen_after_connect = false;                    // R100 inet_listen (6.18 measured)
  p.synsent_checks_tsecr = true;                     // R166
  p.drop_ackless_before_seq_check = true;            // R70 order
  p.linux_sequence_check = true;                     // tcp_sequence()
  p.drop_beyond_window_when_queue_busy = true;       // R51 tcp_sequence() (6.17+)
  p.linux_window_update = true;                      // R74 tcp_may_update_window()
  p.shutdown_defers_fin_in_syn_received = true;      // R10/R116 tcp_shutdown()
  p.sim_open_keeps_rcv_wscale = true;                // R7/R45 tcp_rcv_synsent_state_process
  p.drop_segments_without_ts = false;                // R178
  p.ts_recent_needs_valid_ack = true;                // R152 tcp_replace_ts_recent
  p.paws_window = 1;                                 // R151 TCP_PAWS_WINDOW
  p.paws_disordered_ack_exempt = true;               // R151 tcp_disordered_ack
  p.paws_strict_in_minisocks = true;                 // R151/R153 tcp_paws_reject
  p.request_checks_tsecr = true;                     // R154 tcp_check_req tsecr_reject
  p.rst_accepts_rcv_nxt_minus_one_after_fin = true;  // R173 tcp_reset_check
  p.sim_open_synack_exempt = true;                   // R27
  p.ack_crossing_synack = true;                      // R27/R53 tcp_data_queue
  p.syn_received_accepts_ack_of_iss = true;          // R72 tcp_ack (snd_una <= ack)
  p.syn_in_passive_syn_received_resets = false;      // R163 (request sockets answer instead)
  p.old_ack_bound_uses_bytes_acked = true;           // R173
  p.ack_above_snd_nxt_acks = true;                   // R172, measured on 6.18
  p.reset_on_data_after_rcv_shutdown = true;         // R168
  p.queue_out_of_order = true;                       // R55 (tcp_data_queue_ofo)
  p.linux_window_selection = true;                   // R82 __tcp_select_window
  p.urgent_out_of_band = true;                       // R80 tcp_check_urg, tcp_urg, tcp_recvmsg
  p.oow_ack_interval = milliseconds{500};            // R174 tcp_invalid_ratelimit
  p.half_duplex_close_rst = true;                    // R168 tcp_close data_was_unread
  p.listener_close_resets_children = true;           // R168 inet_csk_listen_stop
  p.fin_wait2_orphan_timeout = true;                 // R169
  p.fin_timeout = seconds{60};                       // R169 tcp_fin_timeout
  p.abort_rst_carries_ack = true;                    // R120d tcp_send_active_reset
  p.syn_received_reset_refused = false;              // R177 tcp_reset
  p.request_outlives_listener = true;                // R160 inet_csk_listen_stop
  p.close_wait_reset_epipe = true;                   // R177
  p.time_wait = seconds{60};                         // R175 TCP_TIMEWAIT_LEN
  p.rfc1337 = false;                                 // R171 tcp_rfc1337 = 0
  p.time_wait_reopen_by_seq_with_ts = true;          // R176 tcp_timewait_state_process
  p.time_wait_ack_restarts_timer = true;             // R175 inet_twsk_reschedule
  p.rto_initial = seconds{1};                        // R170 TCP_TIMEOUT_INIT
  p.rto_min = milliseconds{200};                     // R170 TCP_RTO_MIN
  p.rto_max = seconds{120};                          // R170 TCP_RTO_MAX
  p.rto_min_floors_variance = true;                  // tcp_rtt_estimator
  p.syn_retries = 6;                                 // R170 tcp_syn_retries
  p.syn_linear_timeouts = 4;                         // R170 tcp_syn_linear_timeouts (6.5+)
  p.syn_give_up_by_time = true;                      // R170 retransmits_timed_out
  p.synack_retries = 5;                              // R170 tcp_synack_retries
  p.orphan_give_up = milliseconds{102200};           // R170 tcp_orphan_retries = 0 → 8
  p.data_give_up = milliseconds{924600};             // R170 tcp_retries2 = 15
  p.zero_window_probe_old_seq = true;                // R179
  p.tail_loss_probe = true;                          // tcp_early_retrans = 3 (RACK-TLP)
  p.forced_push = true;                              // R106 forced_push()
  p.gso_chunk_push = true;                           // R106 __tcp_transmit_skb GSO PSH
  p.initial_cwnd = 10;                               // TCP_INIT_CWND
  p.recv_q_counts_fin = true;                        // rcv_nxt - copied_seq
  return p;
}

}  // namespace tcpconform::model
