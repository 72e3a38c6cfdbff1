// Endpoint plumbing: event entry points, lookup, TCB and socket slots, state changes, observation.
#include "tcpconform/model/endpoint.h"

#include <algorithm>
#include <cerrno>

#include "invariant.h"

namespace tcpconform::model {

wire::Segment& SegmentList::push() {
  if (size_ == slots_.size()) slots_.emplace_back();
  wire::Segment& s = slots_[size_++];
  s.options.clear();
  s.payload.clear();
  s.urgent = 0;
  s.ttl = 64;
  return s;
}

Endpoint::Endpoint(Profile profile, std::vector<wire::IpAddress> addresses, Choices choices)
    : profile_(profile), choices_(choices), addresses_(std::move(addresses)) {
  tcbs_.reserve(16);
  sockets_.reserve(16);
}

// --- Events
// ---------------------------------------------------------------------------------------

EventOutput Endpoint::on_segment(const wire::Segment& segment) {
  EventOutput out;
  on_segment(segment, out);
  return out;
}

void Endpoint::on_segment(const wire::Segment& seg, EventOutput& out) {
  begin_event(out);
  if (!is_local(seg.dst)) {
    end_event();
    return;  // not addressed to this host
  }
  const wire::FourTuple tuple = seg.tuple_at_receiver();
  const int index = find_tcb_index(tuple);
  if (index >= 0) {
    Tcb& t = tcbs_[static_cast<std::size_t>(index)];
    switch (t.state) {
      case State::kClosed:
      case State::kListen: break;  // never stored as a TCB
      case State::kSynSent: syn_sent_segment(index, seg); break;
      case State::kSynReceived:
        if (t.request_socket) {
          request_segment(index, seg);
        } else {
          synchronized_segment(index, seg);
        }
        break;
      case State::kEstablished:
      case State::kFinWait1:
      case State::kCloseWait:
      case State::kClosing:
      case State::kLastAck: synchronized_segment(index, seg); break;
      case State::kFinWait2:
        if (t.fw2_minisock) {
          fw2_minisock_segment(index, seg);
        } else {
          synchronized_segment(index, seg);
        }
        break;
      case State::kTimeWait: time_wait_segment(index, seg); break;
    }
  } else {
    const int listener = find_listener(tuple.local);
    if (listener >= 0) {
      listen_segment(listener, seg, std::nullopt);
    } else {
      closed_segment(seg);
    }
  }
  end_event();
}

EventOutput Endpoint::on_call(const SocketCall& call) {
  EventOutput out;
  on_call(call, out);
  return out;
}

void Endpoint::on_call(const SocketCall& c, EventOutput& out) {
  begin_event(out);
  CallResult r;
  switch (c.kind) {
    case CallKind::kSocket: r = call_socket(c); break;
    case CallKind::kBind: r = call_bind(c); break;
    case CallKind::kListen: r = call_listen(c); break;
    case CallKind::kConnect: r = call_connect(c); break;
    case CallKind::kAccept: r = call_accept(c); break;
    case CallKind::kSend: r = call_send(c); break;
    case CallKind::kRecv: r = call_recv(c); break;
    case CallKind::kShutdown: r = call_shutdown(c); break;
    case CallKind::kClose: r = call_close(c); break;
    case CallKind::kSetSockOpt: r = call_setsockopt(c); break;
    case CallKind::kGetSockOpt: r = call_getsockopt(c); break;
    case CallKind::kSetNonBlocking: {
      const int s = socket_of_fd(c.process, c.fd);
      if (s < 0) {
        r = CallResult::fail(EBADF);
      } else {
        sockets_[static_cast<std::size_t>(s)].nonblocking = c.value != 0;
        r = CallResult::ok();
      }
      break;
    }
    case CallKind::kExitProcess: r = call_exit(c); break;
  }
  out.result = r;
  end_event();
}

EventOutput Endpoint::advance(Duration d) {
  EventOutput out;
  advance(d, out);
  return out;
}

void Endpoint::advance(Duration d, EventOutput& out) {
  begin_event(out);
  // Time never runs backwards and saturates at 2^60 µs (36,000 years), far from overflow.
  constexpr TimePoint kTimeLimit{std::int64_t{1} << 60};
  if (d.count() < 0) d = Duration{0};
  if (d > kTimeLimit - now_) d = kTimeLimit - now_;
  const TimePoint target = now_ + d;
  // Fire every expired timer in deadline order (ties: creation order of the connection).
  for (;;) {
    TimePoint best = kNever;
    int best_index = -1;
    for (std::size_t i = 0; i < tcbs_.size(); ++i) {
      const Tcb& t = tcbs_[i];
      if (t.state == State::kClosed) continue;
      const TimePoint dl = std::min(t.rtx_deadline, t.timewait_deadline);
      if (dl < best) {
        best = dl;
        best_index = static_cast<int>(i);
      }
    }
    if (best_index < 0 || best > target) break;
    now_ = std::max(now_, best);
    fire_timers(best_index);
  }
  now_ = target;
  end_event();
}

TimePoint Endpoint::next_deadline() const {
  TimePoint best = kNever;
  for (const Tcb& t : tcbs_) {
    if (t.state == State::kClosed) continue;
    best = std::min({best, t.rtx_deadline, t.timewait_deadline});
  }
  return best;
}

void Endpoint::begin_event(EventOutput& out) {
  out.clear();
  out_ = &out;
}

void Endpoint::end_event() {
  check_invariants();
  out_ = nullptr;
}

// --- Lookup
// ---------------------------------------------------------------------------------------

bool Endpoint::is_local(const wire::IpAddress& a) const {
  return std::find(addresses_.begin(), addresses_.end(), a) != addresses_.end();
}

// Linear scan: the model holds few connections, and a scan over a flat vector beats hashing there.
int Endpoint::find_tcb_index(const wire::FourTuple& tuple) const {
  for (std::size_t i = 0; i < tcbs_.size(); ++i) {
    const Tcb& t = tcbs_[i];
    if (t.state != State::kClosed && t.tuple.remote.port == tuple.remote.port &&
        t.tuple.local.port == tuple.local.port && t.tuple == tuple) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// An exact-address listener wins over a wildcard one (Linux compute_score).
int Endpoint::find_listener(const wire::Endpoint& local) const {
  int wildcard = -1;
  for (std::size_t i = 0; i < sockets_.size(); ++i) {
    const Socket& s = sockets_[i];
    if (!s.live || !s.listening || s.local.port != local.port ||
        s.local.address.version != local.address.version) {
      continue;
    }
    if (s.local.address == local.address) return static_cast<int>(i);
    if (s.local.address == wire::IpAddress{s.local.address.version, {}}) {
      wildcard = static_cast<int>(i);
    }
  }
  return wildcard;
}

const Tcb* Endpoint::find(const wire::FourTuple& tuple) const {
  const int i = find_tcb_index(tuple);
  return i < 0 ? nullptr : &tcbs_[static_cast<std::size_t>(i)];
}

const Tcb* Endpoint::find_fd(int fd, int process) const {
  const int s = socket_of_fd(process, fd);
  if (s < 0) return nullptr;
  const int t = sockets_[static_cast<std::size_t>(s)].tcb;
  return t < 0 ? nullptr : &tcbs_[static_cast<std::size_t>(t)];
}

std::size_t Endpoint::connection_count() const {
  return static_cast<std::size_t>(std::count_if(
      tcbs_.begin(), tcbs_.end(), [](const Tcb& t) { return t.state != State::kClosed; }));
}

int Endpoint::socket_of_fd(int process, int fd) const {
  if (fd < 0) return -1;
  for (std::size_t i = 0; i < sockets_.size(); ++i) {
    const Socket& s = sockets_[i];
    if (s.live && s.fd == fd && s.process == process) return static_cast<int>(i);
  }
  return -1;
}

// --- Slots
// ----------------------------------------------------------------------------------------

int Endpoint::new_tcb() {
  int index;
  if (!free_tcbs_.empty()) {
    index = free_tcbs_.back();
    free_tcbs_.pop_back();
    tcbs_[static_cast<std::size_t>(index)] = Tcb{};
  } else {
    index = static_cast<int>(tcbs_.size());
    tcbs_.emplace_back();
  }
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  t.serial = next_serial_++;
  t.rto = std::max(profile_.rto_initial, Duration{1000});  // a zero RTO would never let time pass
  t.cwnd = profile_.initial_cwnd;
  t.rcv_buffer = choices_.rcv_buffer;
  return index;
}

// Deletes the TCB (→ CLOSED) and detaches it from its socket; the socket keeps its error.
void Endpoint::delete_tcb(int index) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  // A TCB that went back to LISTEN (R11, R66) simply disappears behind its listener.
  if (t.state != State::kClosed && t.state != State::kListen) set_state(index, State::kClosed);
  if (t.socket >= 0) {
    Socket& s = sockets_[static_cast<std::size_t>(t.socket)];
    if (s.tcb == index) s.tcb = -1;
  }
  t = Tcb{};
  free_tcbs_.push_back(index);
}

void Endpoint::set_state(int index, State to) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  if (t.state == to) return;
  out_->state_changes.push_back(StateChange{t.tuple, t.state, to});
  t.state = to;
}

int Endpoint::new_socket(int process, wire::IpVersion family, bool with_fd) {
  int index;
  if (!free_sockets_.empty()) {
    index = free_sockets_.back();
    free_sockets_.pop_back();
    std::vector<int> keep = std::move(sockets_[static_cast<std::size_t>(index)].accept_queue);
    sockets_[static_cast<std::size_t>(index)] = Socket{};
    keep.clear();
    sockets_[static_cast<std::size_t>(index)].accept_queue = std::move(keep);
  } else {
    index = static_cast<int>(sockets_.size());
    sockets_.emplace_back();
  }
  Socket& s = sockets_[static_cast<std::size_t>(index)];
  s.live = true;
  s.process = process;
  s.family = family;
  if (with_fd) {
    // Lowest free descriptor ≥ 3 in this process (0–2 are stdio), like Linux.
    int fd = 3;
    while (socket_of_fd(process, fd) >= 0) ++fd;
    s.fd = fd;
  }
  return index;
}

void Endpoint::free_socket(int index) {
  Socket& s = sockets_[static_cast<std::size_t>(index)];
  s.live = false;
  s.fd = -1;
  s.tcb = -1;
  s.listening = false;
  s.accept_queue.clear();
  s.unread_after_detach = 0;
  // R128: a TIME-WAIT connection whose descriptor is now closed belongs to no one.
  for (Tcb& t : tcbs_) {
    if (t.request_socket && t.listener == index) t.listener = -1;  // R160: listener gone for good
    if (t.tw_socket == index) {
      t.tw_socket = -1;
      t.orphan = true;
    }
  }
  free_sockets_.push_back(index);
}

SeqNum Endpoint::take_iss() {
  const SeqNum iss = choices_.iss;
  choices_.iss = choices_.iss + SeqLen{choices_.iss_stride};
  return iss;
}

std::uint32_t Endpoint::ts_now(const Tcb& t) const {
  const auto ticks = static_cast<std::uint64_t>(now_.count()) * choices_.ts_hz / 1000000U;
  return t.ts_offset + static_cast<std::uint32_t>(ticks);
}

// --- Observation
// ----------------------------------------------------------------------------------

std::vector<ConnectionObservation> Endpoint::observe() const {
  std::vector<ConnectionObservation> v;
  observe(v);
  return v;
}

void Endpoint::observe(std::vector<ConnectionObservation>& v) const {
  v.clear();
  for (const Socket& s : sockets_) {
    if (!s.live || !s.listening) continue;
    ConnectionObservation o;
    o.tuple.local = s.local;
    o.tuple.remote.address.version = s.local.address.version;
    o.state = State::kListen;
    o.recv_q = static_cast<std::uint32_t>(s.accept_queue.size());
    o.send_q = static_cast<std::uint32_t>(s.backlog);
    if (s.fd >= 0) o.fd = s.fd;
    v.push_back(o);
  }
  for (const Tcb& t : tcbs_) {
    if (t.state == State::kClosed) continue;
    ConnectionObservation o;
    o.tuple = t.tuple;
    o.state = t.state;
    const bool mini = t.request_socket || t.state == State::kTimeWait || t.fw2_minisock;
    if (!mini) {
      std::uint32_t rq = (t.rcv_nxt - t.copied_seq).value;
      if (t.fin_received && !profile_.recv_q_counts_fin && rq > 0) --rq;
      o.recv_q = rq;
      o.send_q = (t.write_seq - t.snd_una).value;
    }
    o.orphan = t.orphan;
    if (t.socket >= 0) {
      const Socket& s = sockets_[static_cast<std::size_t>(t.socket)];
      if (s.live && s.fd >= 0 && s.tcb >= 0) o.fd = s.fd;
    } else if (t.tw_socket >= 0) {
      const Socket& s = sockets_[static_cast<std::size_t>(t.tw_socket)];
      if (s.live && s.fd >= 0) o.fd = s.fd;
    }
    if (t.state == State::kTimeWait || t.fw2_minisock) {
      o.timer = TimerKind::kTimeWait;
    } else if (t.timewait_deadline != kNever) {
      o.timer = TimerKind::kKeepalive;  // Linux runs the FIN-WAIT-2 timeout on the keepalive timer
    } else if (t.rtx_deadline != kNever) {
      o.timer = t.probing ? TimerKind::kZeroWindowProbe : TimerKind::kRetransmit;
    }
    v.push_back(o);
  }
  std::sort(v.begin(), v.end(), [](const ConnectionObservation& a, const ConnectionObservation& b) {
    return a.tuple < b.tuple;
  });
}

// --- Invariants
// -----------------------------------------------------------------------------------

void Endpoint::check_invariants() const {
  for (const Tcb& t : tcbs_) {
    if (t.state == State::kClosed) continue;
    TCPCONFORM_MODEL_ASSERT(t.state != State::kListen, &t);
    TCPCONFORM_MODEL_ASSERT(wire::le(t.snd_una, t.snd_nxt), &t);
    TCPCONFORM_MODEL_ASSERT(wire::le(t.snd_nxt, t.write_seq), &t);
    TCPCONFORM_MODEL_ASSERT(wire::le(t.snd_una, t.snd_rtx) && wire::le(t.snd_rtx, t.snd_nxt), &t);
    TCPCONFORM_MODEL_ASSERT(wire::le(t.copied_seq, t.rcv_nxt) || t.state == State::kSynSent, &t);
    TCPCONFORM_MODEL_ASSERT(t.state != State::kTimeWait || t.timewait_deadline != kNever, &t);
    TCPCONFORM_MODEL_ASSERT(
        t.timewait_deadline == kNever || t.state == State::kTimeWait || t.state == State::kFinWait2,
        &t);
    TCPCONFORM_MODEL_ASSERT(!t.fin_sent || t.fin_queued, &t);
    TCPCONFORM_MODEL_ASSERT(!t.fin_sent || t.snd_nxt == t.write_seq, &t);  // FIN is last
    TCPCONFORM_MODEL_ASSERT(!t.fw2_minisock || t.state == State::kFinWait2, &t);
    TCPCONFORM_MODEL_ASSERT(!(t.loss_probe && t.probing), &t);
    TCPCONFORM_MODEL_ASSERT(t.state != State::kTimeWait || t.socket < 0, &t);
    TCPCONFORM_MODEL_ASSERT(t.state != State::kSynSent || t.socket >= 0, &t);
    if (t.socket >= 0) {
      TCPCONFORM_MODEL_ASSERT(static_cast<std::size_t>(t.socket) < sockets_.size(), &t);
      const Socket& s = sockets_[static_cast<std::size_t>(t.socket)];
      TCPCONFORM_MODEL_ASSERT(s.live && s.tcb >= 0 && &tcbs_[static_cast<std::size_t>(s.tcb)] == &t,
                              &t);
    }
  }
  for (std::size_t i = 0; i < sockets_.size(); ++i) {
    const Socket& s = sockets_[i];
    if (!s.live || s.tcb < 0) continue;
    const Tcb& t = tcbs_[static_cast<std::size_t>(s.tcb)];
    TCPCONFORM_MODEL_ASSERT(t.state != State::kClosed && t.socket == static_cast<int>(i), &t);
  }
}

}  // namespace tcpconform::model
