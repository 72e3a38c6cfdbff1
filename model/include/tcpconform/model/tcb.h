// The transmission control block of RFC 9293 §3.3.1, plus the bookkeeping a socket stack keeps.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "tcpconform/model/state.h"
#include "tcpconform/model/time.h"
#include "tcpconform/wire/address.h"
#include "tcpconform/wire/seqnum.h"

namespace tcpconform::model {

using wire::SeqLen;
using wire::SeqNum;

// A range [begin, end) of received out-of-order sequence space (R55); payloads are not stored.
struct SeqRange {
  SeqNum begin;
  SeqNum end;
  friend bool operator==(const SeqRange&, const SeqRange&) = default;
};

// One connection. Field names follow RFC 9293 (snd_una is SND.UNA). The model never stores
// payload bytes: queues are sequence ranges and byte counts, and emitted payloads are zeros.
struct Tcb {
  State state = State::kClosed;
  wire::FourTuple tuple;  // local, remote

  // Send sequence variables (RFC 9293 §3.3.1).
  SeqNum snd_una;
  SeqNum snd_nxt;
  std::uint32_t snd_wnd = 0;  // bytes (already scaled)
  SeqNum snd_up;
  SeqNum snd_wl1;
  SeqNum snd_wl2;
  SeqNum iss;
  std::uint32_t max_snd_wnd = 0;  // the largest window the peer ever offered (RFC 5961 §5.2)
  // Receive sequence variables.
  SeqNum rcv_nxt;
  std::uint32_t rcv_wnd = 0;       // bytes currently offered
  std::uint32_t rcv_wnd_init = 0;  // the window offered on our SYN (the model never grows it)
  SeqNum rcv_adv;                  // right edge of the window last advertised (R82)
  std::uint32_t rcv_seg_max = 0;   // largest payload received (Linux tcp_measure_rcv_mss)
  bool rcv_adv_valid = false;
  SeqNum rcv_up;
  SeqNum irs;
  // Linux urgent data (profile.urgent_out_of_band; tcp_check_urg, tcp_urg): an urgent pointer
  // is pending (tp->urg_data != 0) at urg_seq, the urgent byte, which reads skip.
  bool urg_pending = false;
  SeqNum urg_seq;

  // Queues, Linux-style: everything the application queued ends at write_seq (SYN and FIN
  // included), so Send-Q = write_seq - snd_una; the application has read up to copied_seq, so
  // Recv-Q = rcv_nxt - copied_seq (minus one for an unread FIN unless the profile counts it).
  SeqNum write_seq;
  SeqNum copied_seq;
  SeqNum snd_rtx;     // next sequence number to retransmit after a timeout (go-back-N), ≤ snd_nxt
  SeqNum snd_sml;     // end of the last small segment sent (Nagle, Minshall variant)
  SeqNum pushed_seq;  // end of the last segment sent with PSH (Linux tp->pushed_seq)
  std::uint64_t bytes_acked = 0;  // Linux tp->bytes_acked (R173 old-ACK bound)
  std::uint32_t cwnd = 0;         // congestion window, segments
  std::uint32_t rcv_buffer = 0;   // receive buffer size, bytes
  std::array<SeqRange, 4> ooo{};  // out-of-order ranges held (R55)
  std::uint8_t ooo_count = 0;
  SeqNum ooo_fin_seq;    // sequence number of a FIN held beyond a hole (R55, R86)
  bool ooo_fin = false;  // ... valid (Linux tcp_data_queue_ofo keeps FIN skbs too)

  // Control bits the application or the peer have set.
  bool fin_queued = false;    // the application closed its send side; FIN at write_seq - 1
  bool fin_sent = false;      // the FIN has been transmitted at least once
  bool fin_alone = false;     // ... in a segment of its own (its data had gone out before)
  bool fin_received = false;  // the peer's FIN has been accepted (rcv_nxt covers it)
  // R111: the FIN arrived while text was unread, so Linux keeps it on the skb holding the last
  // unread byte (tcp_queue_rcv → tcp_try_coalesce ORs the flags): a read ending exactly at the
  // end of the text reaches found_fin_ok in tcp_recvmsg and consumes the FIN too.
  bool fin_on_text = false;
  // R51 (Linux tcp_sequence): close() purged the receive queue (tcp_close frees
  // sk_receive_queue without moving copied_seq); it then holds only what arrived after
  // rcvq_start.
  bool rcvq_purged = false;
  SeqNum rcvq_start;
  // R10/R116 (Linux): shutdown(SHUT_WR) in SYN-RECEIVED; the FIN leaves once ESTABLISHED.
  bool fin_deferred = false;
  bool rd_shutdown = false;     // the application can no longer read (shutdown RD or close)
  bool orphan = false;          // closed by the application, still alive in the stack
  bool passive = false;         // opened by a listener (SYN-RECEIVED entered from LISTEN)
  bool request_socket = false;  // Linux: still a request mini-socket (R160)
  // TIME-WAIT entered while a descriptor held the connection: that socket's index until the
  // descriptor is closed (Linux: the timewait sock keeps the socket's cookie, so ss shows it
  // owned until close(); then it is an orphan).
  int tw_socket = -1;
  bool fw2_minisock = false;  // Linux: orphaned FIN-WAIT-2 held as a TIME-WAIT mini-socket (R169)

  // Options negotiated on the SYNs.
  bool ts_ok = false;
  bool sack_ok = false;
  bool wscale_ok = false;
  std::uint8_t snd_wscale = 0;  // the peer's shift: applied to windows we receive
  std::uint8_t rcv_wscale = 0;  // our shift: applied to windows we send
  std::uint16_t snd_mss = 536;  // largest payload we send
  std::uint32_t ts_offset = 0;  // our timestamp clock offset (Linux: per connection)
  std::uint32_t ts_recent = 0;  // TS.Recent (RFC 7323)
  bool ts_recent_valid = false;
  TimePoint ts_recent_stamp{0};
  SeqNum last_ack_sent;         // Last.ACK.sent (RFC 7323 §4.3)
  std::uint32_t syn_tsval = 0;  // TSval of our first SYN (R166)
  // TSvals of our first and latest SYN,ACK (R154: a request socket checks the TSecr echoes one).
  bool synack_tsval_sent = false;
  std::uint32_t synack_tsval_first = 0;
  std::uint32_t synack_tsval_last = 0;

  // Timers (virtual time; kNever when not armed).
  TimePoint rtx_deadline = kNever;       // retransmission (R136) or zero-window probe (R139b)
  TimePoint timewait_deadline = kNever;  // TIME-WAIT (R122/R175) or FIN-WAIT-2 orphan (R169)
  Duration rto{0};
  Duration srtt{0};
  Duration rttvar{0};
  bool rtt_valid = false;
  bool rtt_timing = false;  // one segment is being timed (Karn: cleared on retransmission)
  SeqNum rtt_seq;
  TimePoint rtt_start{0};
  int retransmits = 0;
  TimePoint first_retransmit{0};     // when the oldest unacknowledged segment was first resent
  TimePoint oldest_unacked_sent{0};  // for the user timeout (R139)
  bool probing = false;              // rtx_deadline is a zero-window probe timer
  bool loss_probe = false;           // rtx_deadline is a tail loss probe (RFC 8985)
  bool tlp_outstanding = false;      // a loss probe was sent and is not yet acknowledged
  SeqNum tlp_high_seq;
  TimePoint last_oow_ack{0};  // R133/R174 rate limit
  bool oow_ack_sent = false;

  // Socket options that outlive the descriptor (orphans still obey them).
  std::int64_t user_timeout_ms = 0;  // TCP_USER_TIMEOUT (R139, R170)
  int linger2 = 0;                   // TCP_LINGER2 seconds; -1 = reset at once (R169)
  bool nodelay = false;              // TCP_NODELAY
  std::uint16_t user_mss = 0;        // TCP_MAXSEG (0: none)

  // Ownership.
  int socket = -1;           // index of the owning socket object; -1 for request sockets
  int listener = -1;         // index of the listener that created it (passive open)
  std::uint64_t serial = 0;  // creation order

  // A one-line dump for invariant failures and debugging.
  [[nodiscard]] std::string to_string() const;
};

}  // namespace tcpconform::model
