// Socket calls on lwIP's raw TCP API (see shim.h). Where the socket layer, not TCP, decides an
// outcome (descriptor numbers, EAGAIN, EINPROGRESS, EALREADY, EISCONN, the order errors are
// reported in), the shim follows the POSIX/Linux semantics model::SocketCall is written in, so that
// a divergence points at lwIP's TCP and not at the shim. See ../README.md for the details.
#include "shim.h"

#include <algorithm>
#include <array>
#include <cerrno>

#include "callbacks.h"

namespace tcpconform::harness::lwip {
namespace {

using model::CallKind;
using model::CallResult;

// Bytes k mod 256, long enough to take any chunk at any offset: stream byte k is k mod 256.
const std::array<std::uint8_t, 0x10000 + 256>& pattern() {
  static const auto bytes = [] {
    std::array<std::uint8_t, 0x10000 + 256> b{};
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i);
    return b;
  }();
  return bytes;
}

bool is_wildcard(const wire::IpAddress& a) {
  return std::all_of(a.bytes.begin(), a.bytes.end(), [](std::uint8_t b) { return b == 0; });
}

ip_addr_t to_lwip(const wire::IpAddress& a) {
  ip_addr_t ip;
  IP_ADDR4(&ip, a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]);
  return ip;
}

bool pcb_listed(const struct tcp_pcb* pcb) {
  for (const struct tcp_pcb* list :
       {tcp_active_pcbs, tcp_tw_pcbs, tcp_bound_pcbs, tcp_listen_pcbs.pcbs}) {
    for (const struct tcp_pcb* p = list; p != nullptr; p = p->next) {
      if (p == pcb) return true;
    }
  }
  return false;
}

int take_error(Socket& s) {
  return std::exchange(s.so_error, 0);
}

}  // namespace

Socket& Shim::new_socket(int process, wire::IpVersion family) {
  Socket& s = sockets_.emplace_back();
  s.shim = this;
  s.process = process;
  s.family = family;
  return s;
}

Socket* Shim::by_fd(int process, int fd) {
  for (Socket& s : sockets_) {
    if (s.live && s.fd == fd && s.process == process && fd >= 0) return &s;
  }
  return nullptr;
}

int Shim::lowest_free_fd(int process) const {
  int fd = 3;
  for (bool taken = true; taken; ++fd) {
    taken = std::any_of(sockets_.begin(), sockets_.end(), [&](const Socket& s) {
      return s.live && s.process == process && s.fd == fd;
    });
    if (!taken) return fd;
  }
  return fd;
}

// The socket's PCB if lwIP still has it for this socket (lwIP frees TIME-WAIT and closed PCBs on
// its own, without a callback when the application has shut the receive side).
struct tcp_pcb* Shim::pcb_of(Socket& s) {
  if (s.pcb == nullptr) return nullptr;
  if (!s.listed) return s.pcb;  // fresh from tcp_new(): in no list yet
  if (pcb_listed(s.pcb) && s.pcb->callback_arg == &s) return s.pcb;
  s.pcb = nullptr;
  s.listed = false;
  return nullptr;
}

void Shim::reset() {
  // Fresh PCBs are in no list, so stack_reset() cannot find them.
  for (Socket& s : sockets_) {
    if (s.pcb != nullptr && !s.listed) tcp_close(s.pcb);
  }
  sockets_.clear();
}

CallResult Shim::call(const model::SocketCall& c) {
  if (c.kind == CallKind::kSocket) return do_socket(c);
  if (c.kind == CallKind::kExitProcess) {
    // Every descriptor of the process closes, in ascending order.
    std::vector<Socket*> owned;
    for (Socket& s : sockets_) {
      if (s.live && s.process == c.process && s.fd >= 0) owned.push_back(&s);
    }
    std::sort(owned.begin(), owned.end(),
              [](const Socket* a, const Socket* b) { return a->fd < b->fd; });
    for (Socket* s : owned) close_socket(*s);
    return CallResult::ok();
  }
  Socket* s = by_fd(c.process, c.fd);
  if (s == nullptr) return CallResult::fail(EBADF);
  switch (c.kind) {
    case CallKind::kBind: return do_bind(*s, c);
    case CallKind::kListen: return do_listen(*s, c);
    case CallKind::kConnect: return do_connect(*s, c);
    case CallKind::kAccept: return do_accept(*s, c);
    case CallKind::kSend: return do_send(*s, c);
    case CallKind::kRecv: return do_recv(*s, c);
    case CallKind::kShutdown: return do_shutdown(*s, c);
    case CallKind::kClose: close_socket(*s); return CallResult::ok();
    case CallKind::kSetSockOpt: return do_setsockopt(*s, c);
    case CallKind::kGetSockOpt: return do_getsockopt(*s, c);
    case CallKind::kSetNonBlocking: return CallResult::ok();  // the engine emulates blocking
    case CallKind::kSocket:
    case CallKind::kExitProcess: break;
  }
  return CallResult::fail(EINVAL);
}

// A socket whose connection lwIP has freed (reset, refused, disconnected) gets a new PCB for its
// next connect() or listen(), as a Linux socket returns to CLOSED; an explicit bind() is redone.
struct tcp_pcb* Shim::renew_pcb(Socket& s) {
  struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (pcb == nullptr) return nullptr;
  s.pcb = pcb;
  s.listed = false;
  s.bound = false;
  attach(pcb, s);
  if (s.nodelay) tcp_nagle_disable(pcb);
  if (s.reuseaddr) ip_set_option(pcb, SOF_REUSEADDR);
  if (s.bound_to) {
    const ip_addr_t ip = to_lwip(s.bound_to->address);
    if (tcp_bind(pcb, &ip, s.bound_to->port) == ERR_OK) {
      s.bound = true;
      s.listed = true;
    }
  }
  return pcb;
}

CallResult Shim::do_socket(const model::SocketCall& c) {
  if (c.family != wire::IpVersion::kV4) return CallResult::fail(EAFNOSUPPORT);  // IPv4 only
  struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (pcb == nullptr) return CallResult::fail(ENOBUFS);
  Socket& s = new_socket(c.process, c.family);
  s.fd = lowest_free_fd(c.process);
  s.pcb = pcb;
  attach(pcb, s);
  return CallResult::ok(s.fd);
}

CallResult Shim::do_bind(Socket& s, const model::SocketCall& c) {
  struct tcp_pcb* pcb = pcb_of(s);
  if (s.bound || pcb == nullptr || s.listening || pcb->state != CLOSED)
    return CallResult::fail(EINVAL);
  if (c.address.address.version != wire::IpVersion::kV4) return CallResult::fail(EAFNOSUPPORT);
  const wire::IpAddress local = wire::IpAddress::v4(192, 0, 2, 1);
  if (!is_wildcard(c.address.address) && c.address.address != local) {
    return CallResult::fail(EADDRNOTAVAIL);
  }
  if (s.reuseaddr) ip_set_option(pcb, SOF_REUSEADDR);
  const ip_addr_t ip = to_lwip(c.address.address);
  const err_t err = tcp_bind(pcb, &ip, c.address.port);
  if (err == ERR_USE) return CallResult::fail(EADDRINUSE);
  if (err != ERR_OK) return CallResult::fail(EINVAL);
  s.bound = true;
  s.listed = true;
  s.bound_to = c.address;
  return CallResult::ok();
}

CallResult Shim::do_listen(Socket& s, const model::SocketCall& c) {
  // Linux net/socket.c caps the backlog at somaxconn (4096); lwIP has no backlog here
  // (TCP_LISTEN_BACKLOG is off in the Debian build), so it only shows as Send-Q.
  const int backlog = c.backlog < 0 || c.backlog > 4096 ? 4096 : c.backlog;
  if (s.listening) {
    s.backlog = backlog;
    return CallResult::ok();
  }
  struct tcp_pcb* pcb = pcb_of(s);
  if (pcb == nullptr && !s.connect_called) pcb = renew_pcb(s);
  if (pcb == nullptr || s.connect_called || pcb->state != CLOSED) return CallResult::fail(EINVAL);
  if (!s.bound) {
    if (tcp_bind(pcb, IP4_ADDR_ANY, 0) != ERR_OK) return CallResult::fail(EADDRINUSE);
    s.bound = true;
    s.listed = true;
  }
  err_t err = ERR_OK;
  struct tcp_pcb* listener =
      tcp_listen_with_backlog_and_err(pcb, static_cast<u8_t>(std::min(backlog, 255)), &err);
  if (listener == nullptr) return CallResult::fail(err == ERR_USE ? EADDRINUSE : ENOBUFS);
  // tcp_listen() freed the original PCB and copied its callback_arg to the listener.
  s.pcb = listener;
  s.listed = true;
  s.listening = true;
  s.backlog = backlog;
  tcp_accept(listener, on_accept);
  return CallResult::ok();
}

CallResult Shim::do_connect(Socket& s, const model::SocketCall& c) {
  if (c.address.address.version != wire::IpVersion::kV4) return CallResult::fail(EAFNOSUPPORT);
  if (s.listening) return CallResult::fail(EISCONN);  // Linux: sk_state != TCP_CLOSE
  struct tcp_pcb* pcb = pcb_of(s);
  if (s.connect_called) {
    if (pcb != nullptr) {
      if (pcb->state == SYN_SENT || pcb->state == SYN_RCVD) return CallResult::fail(EALREADY);
      if (!s.connect_reported) {
        s.connect_reported = true;
        return CallResult::ok();
      }
      return CallResult::fail(EISCONN);
    }
    if (s.connect_reported) return CallResult::fail(EISCONN);
    // The attempt failed (RST, timeout): reported once, then the socket is unconnected again.
    const int err = s.so_error != 0 ? take_error(s) : ECONNABORTED;
    s.connect_called = false;
    return CallResult::fail(err);
  }
  if (s.accepted || (pcb != nullptr && pcb->state != CLOSED)) return CallResult::fail(EISCONN);
  if (pcb == nullptr) pcb = renew_pcb(s);
  if (pcb == nullptr) return CallResult::fail(ENOBUFS);
  if (s.reuseaddr) ip_set_option(pcb, SOF_REUSEADDR);
  const ip_addr_t ip = to_lwip(c.address.address);
  const err_t err = connect_pcb(pcb, &ip, c.address.port);
  if (err == ERR_USE) return CallResult::fail(EADDRNOTAVAIL);
  if (err == ERR_RTE) return CallResult::fail(ENETUNREACH);
  if (err == ERR_ISCONN) return CallResult::fail(EISCONN);
  if (err != ERR_OK) return CallResult::fail(ENOBUFS);
  s.connect_called = true;
  s.connect_reported = false;
  s.bound = true;
  s.listed = true;
  return CallResult::fail(EINPROGRESS);
}

CallResult Shim::do_accept(Socket& s, const model::SocketCall& c) {
  if (!s.listening) return CallResult::fail(EINVAL);
  if (s.accept_queue.empty()) return CallResult::fail(EAGAIN);
  Socket* child = s.accept_queue.front();
  s.accept_queue.pop_front();
  child->fd = lowest_free_fd(c.process);
  child->process = c.process;
  return CallResult::ok(child->fd);
}

CallResult Shim::do_send(Socket& s, const model::SocketCall& c) {
  if (s.listening) return CallResult::fail(EPIPE);
  struct tcp_pcb* pcb = pcb_of(s);
  if (pcb == nullptr || pcb->state == CLOSED) {
    return CallResult::fail(s.so_error != 0 ? take_error(s) : EPIPE);
  }
  if (pcb->state == SYN_SENT || pcb->state == SYN_RCVD) return CallResult::fail(EAGAIN);
  if ((pcb->state != ESTABLISHED && pcb->state != CLOSE_WAIT) || s.wr_shutdown) {
    return CallResult::fail(EPIPE);
  }
  std::uint32_t done = 0;
  while (done < c.length) {
    std::uint32_t chunk = std::min<std::uint32_t>(c.length - done, tcp_sndbuf(pcb));
    chunk = std::min<std::uint32_t>(chunk, 0xFFFF);
    if (chunk == 0 || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN) break;
    const std::uint8_t* from = pattern().data() + (s.sent % 256);
    err_t err = tcp_write(pcb, from, static_cast<u16_t>(chunk), TCP_WRITE_FLAG_COPY);
    // Out of queue entries for this much: try less, as lwIP's own socket layer does.
    while (err == ERR_MEM && chunk > 1) {
      chunk /= 2;
      err = tcp_write(pcb, from, static_cast<u16_t>(chunk), TCP_WRITE_FLAG_COPY);
    }
    if (err != ERR_OK) break;
    done += chunk;
    s.sent += chunk;
  }
  if (done == 0 && c.length > 0) return CallResult::fail(EAGAIN);
  tcp_output(pcb);
  return CallResult::ok(done);
}

CallResult Shim::do_recv(Socket& s, const model::SocketCall& c) {
  if (s.listening) return CallResult::fail(ENOTCONN);
  struct tcp_pcb* pcb = pcb_of(s);
  if (s.unread > 0) {
    const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(s.unread, c.length));
    s.unread -= n;
    if (pcb != nullptr && pcb->state != LISTEN) {
      // The window opens as the application reads (lwIP's socket layer does the same).
      for (std::uint32_t left = n; left > 0;) {
        const auto k = static_cast<u16_t>(std::min<std::uint32_t>(left, 0xFFFF));
        tcp_recved(pcb, k);
        left -= k;
      }
    }
    return CallResult::ok(n);
  }
  if (s.so_error != 0) return CallResult::fail(take_error(s));
  if (s.fin_received || s.rd_shutdown) return CallResult::ok(0);
  if (pcb == nullptr) {
    return s.connect_called || s.connected ? CallResult::ok(0) : CallResult::fail(ENOTCONN);
  }
  if (pcb->state == CLOSED) return CallResult::fail(ENOTCONN);
  return CallResult::fail(EAGAIN);
}

CallResult Shim::do_shutdown(Socket& s, const model::SocketCall& c) {
  const bool rd = c.how != model::ShutdownHow::kWrite;
  const bool wr = c.how != model::ShutdownHow::kRead;
  if (s.listening) {
    // Linux inet_shutdown: SHUT_RD on a listener stops it listening.
    if (rd) close_connection(s, false);
    return CallResult::ok();
  }
  struct tcp_pcb* pcb = pcb_of(s);
  if (pcb == nullptr || pcb->state == CLOSED) {
    s.rd_shutdown = s.rd_shutdown || rd;
    s.wr_shutdown = s.wr_shutdown || wr;
    return CallResult::fail(ENOTCONN);
  }
  if (pcb->state == SYN_SENT) {
    // Linux tcp_disconnect: back to CLOSED, nothing sent; lwIP's tcp_close() in SYN-SENT frees
    // the PCB without a segment too.
    detach(pcb);
    tcp_close(pcb);
    s.pcb = nullptr;
    s.listed = false;
    s.so_error = ECONNRESET;
    s.connect_called = false;
    return CallResult::ok();
  }
  s.rd_shutdown = s.rd_shutdown || rd;
  s.wr_shutdown = s.wr_shutdown || wr;
  // Both directions is tcp_close() for lwIP: the PCB may be gone when this returns (pcb_of()
  // notices); the callbacks stay, so the descriptor keeps its connection as on Linux.
  tcp_shutdown(pcb, rd ? 1 : 0, wr ? 1 : 0);
  if (pcb_of(s) != nullptr) tcp_output(pcb);
  return CallResult::ok();
}

void Shim::close_connection(Socket& s, bool abort) {
  struct tcp_pcb* pcb = pcb_of(s);
  if (s.listening) {
    // lwIP's netconn_drain(): connections waiting to be accepted are aborted (RST).
    for (Socket* child : s.accept_queue) close_connection(*child, true);
    s.accept_queue.clear();
    if (pcb != nullptr) {
      // SYN-RECEIVED children keep this socket as their argument; they are reset when they
      // complete (tcp_listen_closed() cleared their listener).
      tcp_accept(pcb, nullptr);
      tcp_close(pcb);
    }
    s.listening = false;
    s.pcb = nullptr;
    s.listed = false;
    return;
  }
  if (pcb == nullptr) return;
  detach(pcb);
  s.pcb = nullptr;
  s.listed = false;
  if (abort) {
    tcp_abort(pcb);
  } else if (tcp_close(pcb) != ERR_OK) {
    tcp_abort(pcb);  // no memory for the FIN: lwIP's socket layer would retry; we cannot
  }
}

void Shim::close_socket(Socket& s) {
  close_connection(s, s.linger_on && s.linger_seconds == 0);
  s.live = false;
  s.fd = -1;
}

CallResult Shim::do_setsockopt(Socket& s, const model::SocketCall& c) {
  struct tcp_pcb* pcb = pcb_of(s);
  switch (c.option) {
    case model::SockOpt::kSoReuseAddr:
      s.reuseaddr = c.value != 0;
      if (pcb != nullptr && !s.listening) {
        if (s.reuseaddr) {
          ip_set_option(pcb, SOF_REUSEADDR);
        } else {
          ip_reset_option(pcb, SOF_REUSEADDR);
        }
      }
      break;
    case model::SockOpt::kSoLinger:
      s.linger_on = c.linger_on;
      s.linger_seconds = static_cast<int>(std::clamp<std::int64_t>(c.value, 0, 0x7fffffff));
      break;
    case model::SockOpt::kSoError: return CallResult::fail(ENOPROTOOPT);
    case model::SockOpt::kSoRcvBuf: s.rcvbuf = c.value; break;
    case model::SockOpt::kSoSndBuf: s.sndbuf = c.value; break;
    case model::SockOpt::kTcpNodelay:
      s.nodelay = c.value != 0;
      if (pcb != nullptr && !s.listening) {
        if (s.nodelay) {
          tcp_nagle_disable(pcb);
          tcp_output(pcb);
        } else {
          tcp_nagle_enable(pcb);
        }
      }
      break;
    case model::SockOpt::kTcpUserTimeout:
      if (c.value < 0 || c.value > 0x7fffffff) return CallResult::fail(EINVAL);
      s.user_timeout_ms = c.value;
      break;
    case model::SockOpt::kTcpLinger2: s.linger2 = c.value; break;
    case model::SockOpt::kTcpMaxSeg:
      if (c.value < 0 || c.value > 65535) return CallResult::fail(EINVAL);
      s.maxseg = c.value;
      break;
  }
  return CallResult::ok();
}

CallResult Shim::do_getsockopt(Socket& s, const model::SocketCall& c) {
  switch (c.option) {
    case model::SockOpt::kSoReuseAddr: return CallResult::ok(s.reuseaddr ? 1 : 0);
    case model::SockOpt::kSoLinger: {
      CallResult r = CallResult::ok(s.linger_seconds);
      r.linger_on = s.linger_on;
      return r;
    }
    case model::SockOpt::kSoError: return CallResult::ok(take_error(s));
    case model::SockOpt::kSoRcvBuf: return CallResult::ok(s.rcvbuf > 0 ? s.rcvbuf : TCP_WND);
    case model::SockOpt::kSoSndBuf: return CallResult::ok(s.sndbuf > 0 ? s.sndbuf : TCP_SND_BUF);
    case model::SockOpt::kTcpNodelay: return CallResult::ok(s.nodelay ? 1 : 0);
    case model::SockOpt::kTcpUserTimeout: return CallResult::ok(s.user_timeout_ms);
    case model::SockOpt::kTcpLinger2: return CallResult::ok(s.linger2);
    case model::SockOpt::kTcpMaxSeg: {
      struct tcp_pcb* pcb = pcb_of(s);
      return CallResult::ok(pcb != nullptr && !s.listening ? tcp_mss(pcb) : TCP_MSS);
    }
  }
  return CallResult::fail(ENOPROTOOPT);
}

}  // namespace tcpconform::harness::lwip
