// Socket calls per state (RFC 9293 §3.10.1–§3.10.6) with the errnos Linux returns.
#include <algorithm>
#include <cerrno>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

namespace {

bool is_wildcard(const wire::IpAddress& a) {
  return std::all_of(a.bytes.begin(), a.bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool overlaps(const wire::IpAddress& a, const wire::IpAddress& b) {
  return a.version == b.version && (a == b || is_wildcard(a) || is_wildcard(b));
}

}  // namespace

CallResult Endpoint::call_socket(const SocketCall& c) {
  const int s = new_socket(c.process, c.family, true);
  return CallResult::ok(sockets_[static_cast<std::size_t>(s)].fd);
}

bool Endpoint::port_in_use(const wire::Endpoint& local, int except, bool reuse) const {
  for (std::size_t i = 0; i < sockets_.size(); ++i) {
    const Socket& o = sockets_[i];
    if (!o.live || !o.bound || static_cast<int>(i) == except || o.local.port != local.port ||
        !overlaps(o.local.address, local.address)) {
      continue;
    }
    // Linux inet_csk_bind_conflict: both SO_REUSEADDR and the other not listening → no conflict.
    if (reuse && o.reuseaddr && !o.listening) continue;
    return true;
  }
  if (!reuse) {
    // Connections without a descriptor (orphans, TIME-WAIT) still hold their port.
    for (const Tcb& t : tcbs_) {
      if (t.state == State::kClosed || t.socket >= 0 || t.listener >= 0 || t.request_socket)
        continue;
      if (t.tuple.local.port == local.port && overlaps(t.tuple.local.address, local.address)) {
        return true;
      }
    }
  }
  return false;
}

std::uint16_t Endpoint::ephemeral_port() {
  for (int tries = 0; tries < 28232; ++tries) {
    const std::uint16_t p = choices_.next_ephemeral_port;
    choices_.next_ephemeral_port =
        p >= 60999 ? static_cast<std::uint16_t>(32768) : static_cast<std::uint16_t>(p + 1);
    bool used = false;
    for (const Socket& s : sockets_) {
      if (s.live && s.bound && s.local.port == p) used = true;
    }
    for (const Tcb& t : tcbs_) {
      if (t.state != State::kClosed && t.tuple.local.port == p) used = true;
    }
    if (!used) return p;
  }
  return 0;
}

CallResult Endpoint::call_bind(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  if (s.bound || s.tcb >= 0) return CallResult::fail(EINVAL);
  if (c.address.address.version != s.family) return CallResult::fail(EAFNOSUPPORT);
  if (!is_wildcard(c.address.address) && !is_local(c.address.address)) {
    return CallResult::fail(EADDRNOTAVAIL);
  }
  wire::Endpoint local = c.address;
  if (local.port == 0) {
    local.port = ephemeral_port();
  } else if (port_in_use(local, si, s.reuseaddr)) {
    fire(Rule::R129);
    return CallResult::fail(EADDRINUSE);
  }
  s.bound = true;
  s.port_auto = false;
  s.local = local;
  return CallResult::ok();
}

CallResult Endpoint::call_listen(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  if (s.tcb >= 0 || s.connect_called) return CallResult::fail(EINVAL);
  if (s.made_active_open && !profile_.listen_after_connect) {
    fire(Rule::R100);  // Linux inet_listen → __inet_listen_sk: never listens once it connected
    return CallResult::fail(EINVAL);
  }
  // R1: an unbound socket, or one whose connection released its automatic port (R6/R115),
  // listens on a new ephemeral port (Linux inet_csk_listen_start → get_port(sk, 0)).
  if (!s.bound || (s.port_auto && !s.listening)) {
    s.local.address = wire::IpAddress{s.family, {}};
    s.local.port = ephemeral_port();
    s.bound = true;
    s.port_auto = true;
  }
  // Linux net/socket.c: a backlog above somaxconn (or negative) is capped (R164a).
  int backlog = c.backlog;
  if (backlog < 0 || backlog > profile_.somaxconn) backlog = profile_.somaxconn;
  if (!s.listening) {
    for (std::size_t i = 0; i < sockets_.size(); ++i) {
      const Socket& o = sockets_[i];
      if (static_cast<int>(i) != si && o.live && o.listening && o.local.port == s.local.port &&
          overlaps(o.local.address, s.local.address)) {
        return CallResult::fail(EADDRINUSE);
      }
    }
    fire(Rule::R1);
    fire(Rule::R100);
    wire::FourTuple tuple{s.local, wire::Endpoint{wire::IpAddress{s.family, {}}, 0}};
    out_->state_changes.push_back(StateChange{tuple, State::kClosed, State::kListen});
  }
  s.listening = true;
  s.has_listened = true;
  s.backlog = backlog;
  return CallResult::ok();
}

int Endpoint::start_connect(int si, const wire::Endpoint& remote) {
  {
    Socket& s = sockets_[static_cast<std::size_t>(si)];
    if (!s.bound || is_wildcard(s.local.address)) {
      for (const auto& a : addresses_) {
        if (a.version == s.family) {
          s.local.address = a;
          break;
        }
      }
    }
    // R2: a port picked automatically was released when the previous connection closed
    // (Linux tcp_set_state(TCP_CLOSE) → inet_put_port), so a new connect() picks a new one.
    if (!s.bound || s.port_auto) {
      s.local.port = ephemeral_port();
      s.bound = true;
      s.port_auto = true;
    }
  }
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  if (!is_local(s.local.address)) return -ENETUNREACH;  // no address of this family
  const wire::FourTuple tuple{s.local, remote};
  if (find_tcb_index(tuple) >= 0) {
    fire(Rule::R129);  // the 4-tuple is taken (TIME-WAIT included; no tcp_tw_reuse for it)
    return -EADDRNOTAVAIL;
  }
  const int index = new_tcb();
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  t.tuple = tuple;
  t.iss = take_iss();
  t.ts_offset = choices_.ts_offset;
  t.ts_ok = choices_.timestamps;  // what our SYN offers; settled by the SYN,ACK
  t.sack_ok = choices_.sack;
  t.wscale_ok = choices_.window_scaling;
  const std::uint16_t mss = s.family == wire::IpVersion::kV4 ? choices_.mss_v4 : choices_.mss_v6;
  t.rcv_wnd_init = choices_.rcv_space;
  if (choices_.round_window_to_mss && t.rcv_wnd_init > mss) t.rcv_wnd_init -= t.rcv_wnd_init % mss;
  t.rcv_wnd_init = std::min(t.rcv_wnd_init, choices_.rcv_buffer);
  t.rcv_wnd = t.rcv_wnd_init;
  t.snd_una = t.iss;
  t.snd_up = t.iss;
  t.snd_sml = t.iss;
  t.snd_nxt = t.iss + SeqLen{1};
  t.write_seq = t.snd_nxt;
  t.pushed_seq = t.snd_nxt;
  t.snd_rtx = t.snd_nxt;
  t.socket = si;
  t.nodelay = s.nodelay;
  t.user_timeout_ms = s.user_timeout_ms;
  t.linger2 = s.linger2;
  t.user_mss = static_cast<std::uint16_t>(s.maxseg);
  t.syn_tsval = ts_now(t);
  t.oldest_unacked_sent = now_;
  t.rtt_timing = true;
  t.rtt_seq = t.snd_nxt;
  t.rtt_start = now_;
  s.tcb = index;
  s.made_active_open = true;
  s.connect_called = true;
  s.connect_reported = false;
  // Linux tcp_connect_init clears sk_err and SOCK_DONE: an error left by an earlier attempt
  // (a shutdown() in SYN-SENT reports ECONNRESET) is gone once a new attempt starts.
  s.so_error = 0;
  s.fin_seen = false;
  fire(Rule::R2);
  fire(Rule::R100);
  fire(Rule::R140);
  set_state(index, State::kSynSent);
  emit_syn(t, false);
  arm_rtx(t);
  return index;
}

CallResult Endpoint::call_connect(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  if (c.address.address.version != s.family) return CallResult::fail(EAFNOSUPPORT);
  if (s.disconnecting) {
    fire(Rule::R102);
    return CallResult::fail(EINVAL);  // __inet_stream_connect: SS_DISCONNECTING
  }
  if (s.listening) {
    if (!profile_.listen_can_connect) {
      fire(Rule::R165);
      fire(Rule::R101);
      return CallResult::fail(EISCONN);
    }
    // R101/R5: LISTEN + active OPEN with a foreign socket → SYN-SENT.
    fire(Rule::R101);
    fire(Rule::R5);
    s.listening = false;
    wire::FourTuple tuple{s.local, wire::Endpoint{wire::IpAddress{s.family, {}}, 0}};
    out_->state_changes.push_back(StateChange{tuple, State::kListen, State::kClosed});
    const int r = start_connect(si, c.address);
    if (r < 0) return CallResult::fail(-r);
    return CallResult::fail(EINPROGRESS);
  }
  if (s.has_listened && !profile_.listen_can_connect) {
    // R165: a socket that listened stays passive after shutdown(SHUT_RD) closed its listener
    // (Linux __inet_stream_connect → tcp_v4_connect/tcp_v6_connect: EINVAL, measured on 6.18).
    fire(Rule::R165);
    return CallResult::fail(EINVAL);
  }
  if (s.connect_called) {
    if (s.tcb >= 0) {
      const State st = tcbs_[static_cast<std::size_t>(s.tcb)].state;
      if (st == State::kSynSent || st == State::kSynReceived) {
        fire(Rule::R102);
        return CallResult::fail(EALREADY);
      }
      if (!s.connect_reported) {
        s.connect_reported = true;  // __inet_stream_connect: SS_CONNECTING → SS_CONNECTED
        return CallResult::ok();
      }
      fire(Rule::R102);
      return CallResult::fail(EISCONN);
    }
    if (s.connect_reported) {
      fire(Rule::R102);
      return CallResult::fail(EISCONN);
    }
    // The attempt failed (RST, timeout): report it once, then the socket is unconnected again.
    // Linux __inet_stream_connect (sock_error) calls tcp_disconnect, which clears sk_shutdown
    // and SOCK_DONE and purges the receive queue: a read then fails ENOTCONN.
    const int err = s.so_error != 0 ? s.so_error : ECONNABORTED;
    s.so_error = 0;
    s.connect_called = false;
    s.rd_shutdown = false;
    s.wr_shutdown = false;
    s.fin_seen = false;
    s.unread_after_detach = 0;
    s.urgent_after_detach.reset();
    return CallResult::fail(err);
  }
  if (s.tcb >= 0) {
    fire(Rule::R102);
    return CallResult::fail(EISCONN);
  }
  const int r = start_connect(si, c.address);
  if (r < 0) return CallResult::fail(-r);
  return CallResult::fail(EINPROGRESS);
}

CallResult Endpoint::call_accept(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  if (!s.listening) return CallResult::fail(EINVAL);
  if (s.accept_queue.empty()) return CallResult::fail(EAGAIN);
  const int child = s.accept_queue.front();
  s.accept_queue.erase(s.accept_queue.begin());
  int fd = 3;
  while (socket_of_fd(c.process, fd) >= 0) ++fd;
  Socket& ch = sockets_[static_cast<std::size_t>(child)];
  ch.fd = fd;
  ch.process = c.process;
  return CallResult::ok(fd);
}

CallResult Endpoint::call_send(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  if (s.listening) {
    fire(Rule::R104);
    fire(Rule::R165);
    return CallResult::fail(EPIPE);
  }
  if (s.tcb < 0) {
    fire(Rule::R103);
    if (s.so_error != 0) {
      const int err = s.so_error;
      s.so_error = 0;
      return CallResult::fail(err);
    }
    return CallResult::fail(EPIPE);
  }
  const int index = s.tcb;
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  switch (t.state) {
    case State::kSynSent:
    case State::kSynReceived:
      fire(Rule::R105);  // queued until ESTABLISHED: a non-blocking send would block
      return CallResult::fail(EAGAIN);
    case State::kEstablished:
    case State::kCloseWait: {
      if (s.wr_shutdown || t.fin_queued) {
        fire(Rule::R107);
        return CallResult::fail(EPIPE);
      }
      const std::uint32_t queued = (t.write_seq - t.snd_una).value;
      const std::uint32_t room = choices_.snd_buffer > queued ? choices_.snd_buffer - queued : 0;
      const std::uint32_t n = std::min(c.length, room);
      if (n == 0 && c.length > 0) return CallResult::fail(EAGAIN);
      fire(Rule::R106);
      t.write_seq = t.write_seq + SeqLen{n};
      output(index);
      return CallResult::ok(n);
    }
    case State::kFinWait1:
    case State::kFinWait2:
    case State::kClosing:
    case State::kLastAck:
    case State::kTimeWait: fire(Rule::R107); return CallResult::fail(EPIPE);
    case State::kClosed:
    case State::kListen: break;
  }
  return CallResult::fail(EPIPE);
}

CallResult Endpoint::call_recv(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  if (s.listening) {
    fire(Rule::R108);
    return CallResult::fail(ENOTCONN);
  }
  if (s.tcb < 0) {
    // Linux tcp_recvmsg with the connection gone: text left in the receive queue, then end of
    // file once a FIN came (SOCK_DONE), then the pending error, then end of file after a
    // shutdown (sk_shutdown).
    if (s.urgent_after_detach && *s.urgent_after_detach == 0) {
      fire(Rule::R80);  // the urgent byte is skipped (urgent_out_of_band)
      s.urgent_after_detach.reset();
      --s.unread_after_detach;
    }
    if (s.unread_after_detach > 0) {
      // R110: text received before the connection went to TIME-WAIT or was reset is still
      // delivered, up to an urgent byte.
      fire(Rule::R110);
      std::uint32_t n = std::min(s.unread_after_detach, c.length);
      if (s.urgent_after_detach) {
        n = std::min(n, *s.urgent_after_detach);
        *s.urgent_after_detach -= n;
      }
      s.unread_after_detach -= n;
      return CallResult::ok(n);
    }
    if (s.fin_seen) {
      fire(Rule::R111);  // a FIN came: end of file, not the connection's error
      return CallResult::ok(0);
    }
    if (s.so_error != 0) {
      const int err = s.so_error;
      s.so_error = 0;
      return CallResult::fail(err);
    }
    if (s.connect_called || s.rd_shutdown) return CallResult::ok(0);  // end of file
    fire(Rule::R108);
    return CallResult::fail(ENOTCONN);
  }
  const int index = s.tcb;
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  if (t.state == State::kSynSent || t.state == State::kSynReceived) {
    fire(Rule::R109);
    // After shutdown(SHUT_RD) Linux tcp_recvmsg reports end of file (RCV_SHUTDOWN).
    return s.rd_shutdown ? CallResult::ok(0) : CallResult::fail(EAGAIN);
  }
  std::uint32_t avail = (t.rcv_nxt - t.copied_seq).value;
  if (t.fin_received && avail > 0) --avail;
  // Linux tcp_recvmsg without SO_OOBINLINE: the urgent byte is skipped when the read reaches it,
  // and a read stops before it.
  bool stops_at_urgent = false;
  if (t.urg_pending && (t.urg_seq - t.copied_seq).value < avail) {
    if (t.urg_seq == t.copied_seq) {
      fire(Rule::R80);
      t.copied_seq = t.copied_seq + SeqLen{1};
      --avail;
      t.urg_pending = false;
    } else {
      avail = (t.urg_seq - t.copied_seq).value;
      stops_at_urgent = true;
    }
  }
  if (avail > 0) {
    fire(t.state == State::kCloseWait ? Rule::R111 : Rule::R110);
    const std::uint32_t n = std::min(avail, c.length);
    const std::uint32_t before = t.rcv_wnd;
    t.copied_seq = t.copied_seq + SeqLen{n};
    // R111: the read that drains the text and has room left also consumes the FIN behind it
    // (Linux tcp_recvmsg reaches found_fin_ok in the same call): Recv-Q drops to 0 at once.
    // When the FIN came while text was unread it shares that text's skb (fin_on_text), and a
    // read ending exactly at the end of the text consumes it as well.
    if (t.fin_received && n == avail && !stops_at_urgent && (c.length > n || t.fin_on_text)) {
      t.copied_seq = t.rcv_nxt;
    }
    // Linux tcp_cleanup_rbuf: announce a window that at least doubled.
    if (n > 0 && !t.fin_received && 2 * before <= t.rcv_wnd_init) {
      update_rcv_wnd(t);
      if (t.rcv_wnd >= 2 * before && t.rcv_wnd > 0) {
        fire(Rule::R110);
        emit_ack(t);
      }
    }
    return CallResult::ok(n);
  }
  if (t.fin_received) {
    fire(t.state == State::kCloseWait ? Rule::R111 : Rule::R112);
    t.copied_seq = t.rcv_nxt;  // the end of file is consumed
    return CallResult::ok(0);
  }
  if (s.rd_shutdown) return CallResult::ok(0);
  fire(Rule::R110);
  return CallResult::fail(EAGAIN);
}

// Queues the FIN after the data (R10, R13, R20, R116, R117, R119); false when the state sends none.
bool Endpoint::send_fin(int index) {
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  State to;
  switch (t.state) {
    case State::kSynReceived:
      fire(Rule::R10);
      fire(Rule::R116);
      to = State::kFinWait1;
      break;
    case State::kEstablished:
      fire(Rule::R13);
      fire(Rule::R117);
      to = State::kFinWait1;
      break;
    case State::kCloseWait:
      fire(Rule::R20);
      fire(Rule::R119);
      to = State::kLastAck;
      break;
    case State::kFinWait1:
    case State::kFinWait2:
      fire(Rule::R118);  // never a second FIN
      return false;
    case State::kClosing:
    case State::kLastAck:
    case State::kTimeWait: fire(Rule::R120); return false;
    case State::kClosed:
    case State::kListen:
    case State::kSynSent: return false;
  }
  t.fin_queued = true;
  t.fin_deferred = false;
  t.write_seq = t.write_seq + SeqLen{1};
  set_state(index, to);
  output(index);
  return true;
}

CallResult Endpoint::call_shutdown(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  const bool rd = c.how == ShutdownHow::kRead || c.how == ShutdownHow::kReadWrite;
  const bool wr = c.how == ShutdownHow::kWrite || c.how == ShutdownHow::kReadWrite;
  if (s.listening) {
    // Linux inet_shutdown: SHUT_RD on a listener disconnects it (it stops listening).
    if (rd) close_listener(si);
    return CallResult::ok();
  }
  if (s.tcb < 0) {
    fire(Rule::R113);                                                     // no connection
    if (s.connect_called && !s.connect_reported) s.disconnecting = true;  // R102
    if (rd) s.rd_shutdown = true;
    if (wr) s.wr_shutdown = true;
    return CallResult::fail(ENOTCONN);
  }
  const int index = s.tcb;
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  if (t.state == State::kSynSent) {
    // Linux tcp_disconnect: back to CLOSED, nothing sent, sk_err = ECONNRESET.
    fire(Rule::R6);
    fire(Rule::R115);
    s.so_error = ECONNRESET;
    s.connect_called = false;
    delete_tcb(index);
    return CallResult::ok();
  }
  // R102: Linux inet_shutdown() turns a socket still SS_CONNECTING (a non-blocking connect()
  // never called again) SS_CONNECTED once the connection is synchronized: a later connect()
  // fails with EISCONN even after the connection has gone (TIME-WAIT).
  if (s.connect_called && t.state != State::kSynReceived) s.connect_reported = true;
  if (s.connect_called && !s.connect_reported && t.state == State::kSynReceived) {
    s.disconnecting = true;
  }
  if (rd) {
    s.rd_shutdown = true;
    t.rd_shutdown = true;
  }
  if (wr) {
    s.wr_shutdown = true;
    if (t.state == State::kSynReceived && profile_.shutdown_defers_fin_in_syn_received) {
      // R10/R116: Linux tcp_shutdown() acts only in ESTABLISHED, SYN-SENT and CLOSE-WAIT; the
      // FIN leaves when the handshake completes (tcp_rcv_state_process, case TCP_SYN_RECV).
      fire(Rule::R116);
      t.fin_deferred = true;
    } else {
      send_fin(index);
    }
  }
  return CallResult::ok();
}

void Endpoint::close_listener(int si) {
  Socket& l = sockets_[static_cast<std::size_t>(si)];
  fire(Rule::R3);
  fire(Rule::R114);
  wire::FourTuple tuple{l.local, wire::Endpoint{wire::IpAddress{l.family, {}}, 0}};
  out_->state_changes.push_back(StateChange{tuple, State::kListen, State::kClosed});
  l.listening = false;
  // Request sockets and unaccepted SYN-RECEIVED connections vanish silently.
  for (std::size_t i = 0; i < tcbs_.size(); ++i) {
    Tcb& t = tcbs_[i];
    if (t.state == State::kSynReceived && t.listener == si && t.socket < 0) {
      // R160: a request is dropped lazily (request_segment, fire_timers: request_orphaned)
      // unless its socket listens again first: after shutdown(SHUT_RD) the socket survives and
      // listen() makes it LISTEN again; its requests still point at it (req->rsk_listener) and
      // carry on (explore syn-received-fin-state, syn-received-rst-state).
      if (!(t.request_socket && profile_.request_outlives_listener)) {
        delete_tcb(static_cast<int>(i));
      }
    }
  }
  // Established children still in the accept queue are reset (R168, Linux inet_csk_listen_stop).
  std::vector<int> queue = std::move(sockets_[static_cast<std::size_t>(si)].accept_queue);
  for (const int child : queue) {
    const int index = sockets_[static_cast<std::size_t>(child)].tcb;
    if (index >= 0) {
      Tcb& t = tcbs_[static_cast<std::size_t>(index)];
      if (profile_.listener_close_resets_children) {
        fire(Rule::R168);
        switch (t.state) {
          case State::kSynReceived:
          case State::kEstablished:
          case State::kFinWait1:
          case State::kFinWait2:
          case State::kCloseWait: emit_rst_from(t); break;
          case State::kClosed:
          case State::kListen:
          case State::kSynSent:
          case State::kClosing:
          case State::kLastAck:
          case State::kTimeWait: break;
        }
      }
      t.socket = -1;
      delete_tcb(index);
    }
    free_socket(child);
  }
  queue.clear();
  sockets_[static_cast<std::size_t>(si)].accept_queue = std::move(queue);
}

void Endpoint::close_socket(int si) {
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  const bool linger0 = s.linger_on && s.linger_seconds == 0;
  if (s.listening) {
    if (linger0) fire(Rule::R120b);  // ABORT in LISTEN: nothing is sent
    close_listener(si);
    free_socket(si);
    return;
  }
  const int index = s.tcb;
  if (index < 0) {
    fire(linger0 ? Rule::R120a : Rule::R113);  // no connection: nothing to close or abort
    free_socket(si);
    return;
  }
  Tcb& t = tcbs_[static_cast<std::size_t>(index)];
  t.rd_shutdown = true;
  // Linux tcp_close() frees sk_receive_queue; copied_seq (and so Recv-Q) stays (R51 end check).
  t.rcvq_purged = true;
  t.rcvq_start = t.rcv_nxt;
  std::uint32_t unread = (t.rcv_nxt - t.copied_seq).value;
  if (t.fin_received && unread > 0) --unread;
  const auto abort_with_rst = [&] {
    emit_rst_from(t);
    delete_tcb(index);
  };
  if (t.state == State::kSynSent) {
    fire(Rule::R6);
    fire(linger0 ? Rule::R120c : Rule::R115);
    delete_tcb(index);
  } else if (unread > 0 && profile_.half_duplex_close_rst) {
    // R130/R168: unread data → RST instead of FIN (Linux tcp_close, data_was_unread).
    fire(Rule::R130);
    fire(Rule::R168);
    switch (t.state) {
      case State::kClosing:
      case State::kLastAck:
      case State::kTimeWait:
      case State::kClosed:
      case State::kListen:
      case State::kSynSent: delete_tcb(index); break;
      case State::kSynReceived:
      case State::kEstablished:
      case State::kFinWait1:
      case State::kFinWait2:
      case State::kCloseWait: abort_with_rst(); break;
    }
  } else if (linger0) {
    // ABORT (R24, R120a–e): SO_LINGER {1, 0}.
    switch (t.state) {
      case State::kSynReceived:
      case State::kEstablished:
      case State::kFinWait1:
      case State::kFinWait2:
      case State::kCloseWait:
        fire(Rule::R24);
        fire(Rule::R120d);
        abort_with_rst();
        break;
      case State::kClosing:
      case State::kLastAck:
        fire(Rule::R120e);
        if (t.snd_nxt != t.write_seq) {
          abort_with_rst();  // Linux tcp_disconnect: unsent data in CLOSING/LAST-ACK
        } else {
          delete_tcb(index);
        }
        break;
      case State::kTimeWait:
      case State::kClosed:
      case State::kListen:
      case State::kSynSent:
        fire(Rule::R120e);
        delete_tcb(index);
        break;
    }
  } else {
    send_fin(index);
    Tcb& u = tcbs_[static_cast<std::size_t>(index)];
    if (u.state == State::kFinWait2 && profile_.fin_wait2_orphan_timeout) {
      // R169: close() in FIN-WAIT-2 (after shutdown(SHUT_WR)) starts the orphan timeout.
      fire(Rule::R169);
      if (u.linger2 < 0) {
        emit_rst_from(u);
        delete_tcb(index);
      } else {
        Duration tmo =
            u.linger2 > 0 ? Duration{std::chrono::seconds{u.linger2}} : profile_.fin_timeout;
        tmo = std::max(tmo, u.rto * 4 - u.rto / 2);
        u.timewait_deadline = now_ + tmo;
        u.fw2_minisock = tmo <= profile_.time_wait;
      }
    }
  }
  Socket& s2 = sockets_[static_cast<std::size_t>(si)];
  if (s2.tcb >= 0) {
    Tcb& u = tcbs_[static_cast<std::size_t>(s2.tcb)];
    u.orphan = true;
    u.socket = -1;
  }
  free_socket(si);
}

CallResult Endpoint::call_close(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  close_socket(si);
  return CallResult::ok();
}

CallResult Endpoint::call_setsockopt(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  Tcb* t = s.tcb >= 0 ? &tcbs_[static_cast<std::size_t>(s.tcb)] : nullptr;
  switch (c.option) {
    case SockOpt::kSoReuseAddr: s.reuseaddr = c.value != 0; break;
    case SockOpt::kSoLinger:
      s.linger_on = c.linger_on;
      s.linger_seconds = static_cast<int>(std::clamp<std::int64_t>(c.value, 0, 0x7fffffff));
      break;
    case SockOpt::kSoError: return CallResult::fail(ENOPROTOOPT);
    case SockOpt::kSoRcvBuf: s.rcvbuf = static_cast<int>(c.value); break;
    case SockOpt::kSoSndBuf: s.sndbuf = static_cast<int>(c.value); break;
    case SockOpt::kTcpNodelay:
      s.nodelay = c.value != 0;
      if (t != nullptr) {
        t->nodelay = s.nodelay;
        if (s.nodelay) output(s.tcb);
      }
      break;
    case SockOpt::kTcpUserTimeout:
      if (c.value < 0 || c.value > 0x7fffffff) return CallResult::fail(EINVAL);
      s.user_timeout_ms = c.value;
      if (t != nullptr) t->user_timeout_ms = c.value;
      break;
    case SockOpt::kTcpLinger2: {
      // Linux do_tcp_setsockopt: negative → -1 (reset at once); capped at TCP_FIN_TIMEOUT_MAX.
      int v = c.value < 0 ? -1 : static_cast<int>(std::min<std::int64_t>(c.value, 120));
      s.linger2 = v;
      if (t != nullptr) t->linger2 = v;
      break;
    }
    case SockOpt::kTcpMaxSeg:
      if (c.value < 0 || c.value > 65535) return CallResult::fail(EINVAL);
      s.maxseg = static_cast<int>(c.value);
      break;
  }
  return CallResult::ok();
}

CallResult Endpoint::call_getsockopt(const SocketCall& c) {
  const int si = socket_of_fd(c.process, c.fd);
  if (si < 0) return CallResult::fail(EBADF);
  Socket& s = sockets_[static_cast<std::size_t>(si)];
  const Tcb* t = s.tcb >= 0 ? &tcbs_[static_cast<std::size_t>(s.tcb)] : nullptr;
  switch (c.option) {
    case SockOpt::kSoReuseAddr: return CallResult::ok(s.reuseaddr ? 1 : 0);
    case SockOpt::kSoLinger: {
      CallResult r = CallResult::ok(s.linger_seconds);
      r.linger_on = s.linger_on;
      return r;
    }
    case SockOpt::kSoError: {
      const int err = s.so_error;
      s.so_error = 0;
      return CallResult::ok(err);
    }
    case SockOpt::kSoRcvBuf: return CallResult::ok(s.rcvbuf > 0 ? s.rcvbuf : choices_.rcv_buffer);
    case SockOpt::kSoSndBuf: return CallResult::ok(s.sndbuf > 0 ? s.sndbuf : choices_.snd_buffer);
    case SockOpt::kTcpNodelay: return CallResult::ok(s.nodelay ? 1 : 0);
    case SockOpt::kTcpUserTimeout: return CallResult::ok(s.user_timeout_ms);
    case SockOpt::kTcpLinger2: {
      // Linux: 0 reads back as the sysctl tcp_fin_timeout.
      if (s.linger2 < 0) return CallResult::ok(-1);
      if (s.linger2 > 0) return CallResult::ok(s.linger2);
      return CallResult::ok(
          std::chrono::duration_cast<std::chrono::seconds>(profile_.fin_timeout).count());
    }
    case SockOpt::kTcpMaxSeg:
      if (t != nullptr && t->state != State::kSynSent) return CallResult::ok(t->snd_mss);
      return CallResult::ok(s.maxseg > 0 ? s.maxseg : 536);
  }
  return CallResult::fail(ENOPROTOOPT);
}

CallResult Endpoint::call_exit(const SocketCall& c) {
  // Every descriptor of the process closes, lowest first (do_exit → close_files).
  for (;;) {
    int best = -1;
    for (std::size_t i = 0; i < sockets_.size(); ++i) {
      const Socket& s = sockets_[i];
      if (s.live && s.fd >= 0 && s.process == c.process &&
          (best < 0 || s.fd < sockets_[static_cast<std::size_t>(best)].fd)) {
        best = static_cast<int>(i);
      }
    }
    if (best < 0) break;
    close_socket(best);
  }
  return CallResult::ok();
}

}  // namespace tcpconform::model
