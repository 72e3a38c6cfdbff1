// lwIP's raw-API callbacks: they only record what happened on the socket (bytes and FIN
// received, connection established, connection gone and why); calls read it back later.
#include "callbacks.h"

#include <cerrno>

#include "stack.h"

namespace tcpconform::harness::lwip {
namespace {

err_t on_recv(void* arg, struct tcp_pcb* /*pcb*/, struct pbuf* p, err_t /*err*/) {
  auto* s = static_cast<Socket*>(arg);
  if (p == nullptr) {
    if (s != nullptr) s->fin_received = true;
    return ERR_OK;
  }
  // The bytes are counted, not kept: tcp_recved() is called when the application reads them, so
  // lwIP's receive window shrinks while they wait, as with its own socket layer.
  if (s != nullptr) s->unread += p->tot_len;
  pbuf_free(p);
  return ERR_OK;
}

void on_err(void* arg, err_t err) {
  auto* s = static_cast<Socket*>(arg);
  if (s == nullptr || s->listening) return;  // a SYN-RECEIVED child inherits its listener's arg
  s->pcb = nullptr;                          // lwIP has freed it
  s->listed = false;
  switch (err) {
    case ERR_RST:
      s->so_error = s->connect_called && !s->connected ? ECONNREFUSED : ECONNRESET;
      break;
    case ERR_CLSD: s->so_error = 0; break;
    case ERR_ABRT:
    default: s->so_error = stack_in_timer() ? ETIMEDOUT : ECONNABORTED; break;
  }
  if (err != ERR_CLSD) s->unread = 0;
}

err_t on_connected(void* arg, struct tcp_pcb* /*pcb*/, err_t /*err*/) {
  auto* s = static_cast<Socket*>(arg);
  if (s != nullptr) s->connected = true;
  return ERR_OK;
}

}  // namespace

void attach(struct tcp_pcb* pcb, Socket& s) {
  tcp_arg(pcb, &s);
  tcp_recv(pcb, on_recv);
  tcp_err(pcb, on_err);
}

void detach(struct tcp_pcb* pcb) {
  tcp_arg(pcb, nullptr);
  tcp_recv(pcb, nullptr);
  tcp_sent(pcb, nullptr);
  tcp_err(pcb, nullptr);
}

err_t connect_pcb(struct tcp_pcb* pcb, const ip_addr_t* ip, u16_t port) {
  return tcp_connect(pcb, ip, port, on_connected);
}

// A connection completed the handshake on a listener: it waits in the accept queue.
err_t on_accept(void* arg, struct tcp_pcb* pcb, err_t err) {
  auto* l = static_cast<Socket*>(arg);
  if (l == nullptr || !l->live || !l->listening || err != ERR_OK || pcb == nullptr) {
    return ERR_VAL;  // lwIP aborts the connection (RST)
  }
  Socket& c = l->shim->new_socket(l->process, l->family);
  c.pcb = pcb;
  c.listed = true;
  c.bound = true;
  c.connected = true;
  c.accepted = true;
  c.nodelay = l->nodelay;
  attach(pcb, c);
  if (c.nodelay) tcp_nagle_disable(pcb);
  l->accept_queue.push_back(&c);
  return ERR_OK;
}

}  // namespace tcpconform::harness::lwip
