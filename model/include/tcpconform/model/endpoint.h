// One host's TCP as a pure function of its events: listeners, connections, descriptors, timers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "tcpconform/model/call.h"
#include "tcpconform/model/observation.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/model/rules.h"
#include "tcpconform/model/state.h"
#include "tcpconform/model/tcb.h"
#include "tcpconform/model/time.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::model {

// What a real stack picks and the model cannot know. The caller may change any field between
// events (Endpoint::choices()), e.g. to mirror the ISN a kernel just used. Defaults match a Linux
// 6.x host on a 1500-byte MTU.
struct Choices {
  // ISS of the next connection this endpoint creates (active open, passive open). After each
  // use the endpoint adds iss_stride, so successive connections differ (R140).
  SeqNum iss{0x10000000};
  std::uint32_t iss_stride = 0x01000000;
  // Timestamp clock: TSval = ts_offset + (now in ticks of ts_hz). Linux: 1000 Hz, and a
  // per-connection random offset (bind it from the stack's first TSval).
  std::uint32_t ts_offset = 0;
  std::uint32_t ts_hz = 1000;
  // MSS we announce: 1460 for IPv4 and 1440 for IPv6 on a 1500 MTU.
  std::uint16_t mss_v4 = 1460;
  std::uint16_t mss_v6 = 1440;
  // Initial receive window space; the SYN's window is this rounded down to a multiple of the
  // MSS (Linux tcp_select_initial_window: 65535 → 64240 = 44 × 1460; a SYN,ACK with timestamps
  // uses MSS - 12, giving 65160).
  std::uint32_t rcv_space = 65535;
  bool round_window_to_mss = true;
  std::uint32_t rcv_buffer = 131072;    // receive buffer (Linux tcp_rmem[1])
  std::uint32_t snd_buffer = 1U << 22;  // send buffer (writes beyond it are partial)
  std::uint8_t wscale = 7;              // our window scale shift
  // Options our SYNs carry (Linux: all three on by default, sysctls tcp_timestamps, tcp_sack,
  // tcp_window_scaling).
  bool timestamps = true;
  bool sack = true;
  bool window_scaling = true;
  // Ephemeral ports for connect()/listen() without bind(): next one handed out, then +1, wrapping
  // in [32768, 60999] (Linux ip_local_port_range).
  std::uint16_t next_ephemeral_port = 40000;
};

// A state change of one connection (a listener or a TCB).
struct StateChange {
  wire::FourTuple tuple;
  State from = State::kClosed;
  State to = State::kClosed;
  friend bool operator==(const StateChange&, const StateChange&) = default;
};

// The segments an event emits. clear() keeps the Segment objects and their buffers alive, so a
// reused SegmentList allocates nothing in steady state.
class SegmentList {
 public:
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  const wire::Segment& operator[](std::size_t i) const { return slots_[i]; }
  // The model marks an already emitted segment (PSH on the last of a GSO chunk).
  wire::Segment& operator[](std::size_t i) { return slots_[i]; }
  [[nodiscard]] const wire::Segment* begin() const { return slots_.data(); }
  [[nodiscard]] const wire::Segment* end() const { return slots_.data() + size_; }
  [[nodiscard]] const wire::Segment& back() const { return slots_[size_ - 1]; }
  void clear() { size_ = 0; }
  // A fresh slot at the end, with its options and payload emptied (capacity kept).
  wire::Segment& push();
  // A copy as a plain vector (tests, reports).
  [[nodiscard]] std::vector<wire::Segment> to_vector() const { return {begin(), end()}; }

 private:
  std::vector<wire::Segment> slots_;
  std::size_t size_ = 0;
};

// Everything one event produced.
struct EventOutput {
  SegmentList segments;                    // in emission order, addresses and ports filled
  std::optional<CallResult> result;        // set by on_call only
  std::vector<StateChange> state_changes;  // in order
  RuleSet rules;                           // catalog rules whose branch ran

  void clear() {
    segments.clear();
    result.reset();
    state_changes.clear();
    rules.clear();
  }
};

// One host. Not thread-safe; copyable (a copy is an independent snapshot, useful for
// property tests). Every event is deterministic given the profile, the choices and the events.
class Endpoint {
 public:
  // `addresses`: the host's local addresses (segments to other addresses are ignored).
  Endpoint(Profile profile, std::vector<wire::IpAddress> addresses, Choices choices = {});

  // Events. The overloads taking `out` clear it first and reuse its buffers (the hot path).
  EventOutput on_segment(const wire::Segment& segment);
  void on_segment(const wire::Segment& segment, EventOutput& out);
  EventOutput on_call(const SocketCall& call);
  void on_call(const SocketCall& call, EventOutput& out);
  // Moves virtual time forward by `d`, firing expired timers in deadline order.
  EventOutput advance(Duration d);
  void advance(Duration d, EventOutput& out);

  // What `ss -tanoi` would show: listeners and every connection that still exists, sorted by
  // 4-tuple (listeners have a zero remote endpoint).
  [[nodiscard]] std::vector<ConnectionObservation> observe() const;
  void observe(std::vector<ConnectionObservation>& out) const;

  // Read-only access for tests and properties. Pointers stay valid until the next event.
  [[nodiscard]] const Tcb* find(const wire::FourTuple& tuple) const;
  // The connection owned by a script descriptor of `process`, if any.
  [[nodiscard]] const Tcb* find_fd(int fd, int process = 0) const;
  // Calls f(const Tcb&) for each live connection.
  template <typename F>
  void for_each_tcb(F&& f) const {
    for (const Tcb& t : tcbs_) {
      if (t.state != State::kClosed) f(t);
    }
  }
  [[nodiscard]] std::size_t connection_count() const;
  [[nodiscard]] TimePoint now() const { return now_; }
  [[nodiscard]] const Profile& profile() const { return profile_; }
  [[nodiscard]] Choices& choices() { return choices_; }
  [[nodiscard]] const Choices& choices() const { return choices_; }
  // The earliest armed timer, or kNever.
  [[nodiscard]] TimePoint next_deadline() const;
  // Aborts (printing the TCB) if a structural invariant is broken; the model calls it itself
  // after every event, properties and fuzzers may call it too.
  void check_invariants() const;

 private:
  // A descriptor-level socket (fd table entry or an accepted-but-not-yet-accept()ed child).
  struct Socket {
    bool live = false;
    int fd = -1;  // -1: no descriptor (child in an accept queue)
    int process = 0;
    wire::IpVersion family = wire::IpVersion::kV4;
    bool bound = false;
    // The port was picked by connect() or listen(), not by bind(): Linux releases it when the
    // connection closes (tcp_set_state(TCP_CLOSE) → inet_put_port without SOCK_BINDPORT_LOCK).
    bool port_auto = false;
    bool listening = false;
    bool connect_called = false;    // sock->state SS_CONNECTING (Linux __inet_stream_connect)
    bool connect_reported = false;  // SS_CONNECTED
    // The socket's role, once taken, for the Linux profile: a connect() sent a SYN from it
    // (listen_after_connect), or it listened (listen_can_connect).
    bool made_active_open = false;
    bool has_listened = false;
    wire::Endpoint local;
    int backlog = 0;
    std::vector<int> accept_queue;  // socket indices of established children
    int tcb = -1;                   // the connection, while it exists
    int so_error = 0;
    bool rd_shutdown = false;
    bool wr_shutdown = false;
    // R110: text still unread when the connection left the socket for TIME-WAIT; it stays
    // readable (Linux tcp_time_wait → tcp_done does not purge sk_receive_queue).
    std::uint32_t unread_after_detach = 0;
    // ... and where the urgent byte is among it (an offset), when one is pending there.
    std::optional<std::uint32_t> urgent_after_detach;
    // Linux SOCK_DONE: the connection received a FIN (tcp_fin). Once the connection is gone, a
    // read with nothing left to copy returns 0 before any pending error (tcp_recvmsg).
    bool fin_seen = false;
    // sock->state SS_DISCONNECTING: shutdown() while a connect() was unconfirmed and the
    // connection was CLOSED or SYN-RECEIVED (inet_shutdown); connect() then fails EINVAL.
    bool disconnecting = false;
    bool nonblocking = true;
    bool reuseaddr = false;
    bool nodelay = false;
    bool linger_on = false;
    int linger_seconds = 0;
    std::int64_t user_timeout_ms = 0;
    int linger2 = 0;  // TCP_LINGER2 seconds; -1 = reset at once; 0 = the sysctl
    int rcvbuf = 0;
    int sndbuf = 0;
    int maxseg = 0;
  };

  // endpoint.cc: plumbing.
  void begin_event(EventOutput& out);
  void end_event();
  int find_tcb_index(const wire::FourTuple& tuple) const;
  int find_listener(const wire::Endpoint& local) const;
  bool is_local(const wire::IpAddress& a) const;
  int new_tcb();
  void delete_tcb(int index);
  void set_state(int index, State to);
  int new_socket(int process, wire::IpVersion family, bool with_fd);
  void free_socket(int index);
  int socket_of_fd(int process, int fd) const;
  SeqNum take_iss();
  std::uint32_t ts_now(const Tcb& t) const;
  void fire(Rule r) { out_->rules.insert(r); }

  // output.cc: building and sending segments.
  wire::Segment& emit(Tcb& t, wire::Flags flags, SeqNum seq, std::uint32_t payload);
  void emit_ack(Tcb& t);
  void emit_syn(Tcb& t, bool with_ack);
  void emit_rst_for(const wire::Segment& seg);  // reset generation (§3.5.2), no TCB
  void emit_rst_from(Tcb& t);                   // <SEQ=SND.NXT><CTL=RST,ACK> (abort)
  bool oow_rate_limited(Tcb& t, const wire::Segment& seg);
  bool oow_interval_limited(Tcb& t);
  void send_challenge_ack(Tcb& t, const wire::Segment& seg);
  // Sends queued data and FIN as window, cwnd and Nagle allow. `loss_probe`: at most one new
  // segment, cwnd ignored, no new probe scheduled (Linux tcp_write_xmit with push_one = 2).
  void output(int index, bool loss_probe = false);
  // New data segments emitted as one Linux GSO/TSO chunk (output.cc).
  struct GsoChunk {
    std::uint32_t quota = 0;     // segments the chunk may take; 0: not started
    std::uint32_t segments = 0;  // segments emitted in it so far
    std::size_t last = 0;        // index in out_->segments of its last segment
    void add(std::size_t index) {
      ++segments;
      last = index;
    }
  };
  std::uint32_t chunk_quota(const Tcb& t) const;
  void close_chunk(GsoChunk& chunk);
  bool schedule_loss_probe(Tcb& t, bool advancing_rto);
  void send_loss_probe(int index);
  std::uint16_t window_field(const Tcb& t) const;
  void update_rcv_wnd(Tcb& t);
  std::uint32_t rcv_mss_estimate(const Tcb& t) const;
  std::uint32_t linux_window(const Tcb& t) const;
  void arm_rtx(Tcb& t);

  // closed.cc, listen.cc, syn_sent.cc, synchronized.cc, time_wait.cc: segment arrival.
  void closed_segment(const wire::Segment& seg);
  void listen_segment(int listener, const wire::Segment& seg, std::optional<SeqNum> iss);
  void request_segment(int index, const wire::Segment& seg);
  void syn_sent_segment(int index, const wire::Segment& seg);
  void synchronized_segment(int index, const wire::Segment& seg);
  void time_wait_segment(int index, const wire::Segment& seg);
  void fw2_minisock_segment(int index, const wire::Segment& seg);
  void negotiate_options(Tcb& t, const wire::Segment& syn);
  bool paws_reject(const Tcb& t, const wire::Segment& seg);
  bool disordered_ack(const Tcb& t, const wire::Segment& seg, std::int32_t older) const;
  bool rst_after_fin_exception(const Tcb& t, const wire::Segment& seg) const;
  bool abort_on_data(const Tcb& t, const wire::Segment& seg) const;
  bool request_orphaned(const Tcb& t) const;
  void establish_passive(int index);
  void accept_data_and_fin(int index, const wire::Segment& seg, SeqNum seq, std::uint32_t len,
                           bool fin);
  void process_ack(int index, const wire::Segment& seg, bool& stop);
  void reset_connection(int index, int error);          // an accepted RST / fatal error: CLOSED
  void detach_unread(const Tcb& t, Socket& s);          // keeps the unread text readable (R110)
  void linux_urgent(Tcb& t, const wire::Segment& seg);  // tcp_check_urg + tcp_urg
  void enter_time_wait(int index);
  void rtt_sample(Tcb& t, Duration m);

  // calls.cc: socket calls.
  CallResult call_socket(const SocketCall& c);
  CallResult call_bind(const SocketCall& c);
  CallResult call_listen(const SocketCall& c);
  CallResult call_connect(const SocketCall& c);
  CallResult call_accept(const SocketCall& c);
  CallResult call_send(const SocketCall& c);
  CallResult call_recv(const SocketCall& c);
  CallResult call_shutdown(const SocketCall& c);
  CallResult call_close(const SocketCall& c);
  CallResult call_setsockopt(const SocketCall& c);
  CallResult call_getsockopt(const SocketCall& c);
  CallResult call_exit(const SocketCall& c);
  void close_socket(int sock);
  void close_listener(int sock);
  bool send_fin(int index);  // shutdown(WR) / close(): queue the FIN, R10 R13 R20; false if none
  bool port_in_use(const wire::Endpoint& local, int except, bool reuse) const;
  std::uint16_t ephemeral_port();
  int start_connect(int sock, const wire::Endpoint& remote);

  // timers.cc
  void fire_timers(int index);
  void retransmit_timeout(int index);
  void give_up(int index, int error);

  Profile profile_;
  Choices choices_;
  std::vector<wire::IpAddress> addresses_;
  std::vector<Tcb> tcbs_;  // slots; state kClosed marks a free slot
  std::vector<int> free_tcbs_;
  std::vector<Socket> sockets_;
  std::vector<int> free_sockets_;
  TimePoint now_{0};
  std::uint64_t next_serial_ = 1;
  EventOutput* out_ = nullptr;  // the output of the event being processed
};

}  // namespace tcpconform::model
