// The socket side of the lwIP host: script descriptors mapped onto lwIP's raw TCP API with the
// semantics (and errnos) of a non-blocking POSIX socket, as model::SocketCall defines them.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "tcpconform/model/call.h"
#include "tcpconform/model/observation.h"

struct tcp_pcb;

namespace tcpconform::harness::lwip {

class Shim;

// One socket. Sockets live in a deque (stable addresses) until reset(): lwIP's callback_arg of a
// PCB points at its socket, and a SYN-RECEIVED child inherits its listener's, so a pointer lwIP
// holds stays valid even after close().
struct Socket {
  Shim* shim = nullptr;
  int process = 0;
  int fd = -1;  // -1: none (waiting in an accept queue, or closed)
  bool live = true;
  wire::IpVersion family = wire::IpVersion::kV4;
  tcp_pcb* pcb = nullptr;  // a tcp_pcb_listen when listening
  bool listed = false;     // the PCB is in one of lwIP's lists (bound, connecting, listening…)
  bool listening = false;
  int backlog = 0;
  std::deque<Socket*> accept_queue;
  bool bound = false;
  std::optional<wire::Endpoint> bound_to;  // an explicit bind(), redone on a renewed PCB
  bool connect_called = false;
  bool connect_reported = false;
  bool connected = false;  // reached ESTABLISHED at some point
  bool accepted = false;   // from accept(): connected for good, as Linux's SS_CONNECTED
  int so_error = 0;
  bool rd_shutdown = false;
  bool wr_shutdown = false;
  std::uint64_t unread = 0;  // bytes received and not yet read (not yet tcp_recved)
  bool fin_received = false;
  std::uint64_t sent = 0;  // bytes queued so far: byte k of the stream is k mod 256
  // Options: only TCP_NODELAY and SO_REUSEADDR reach lwIP; SO_LINGER {1,0} makes close() abort.
  bool reuseaddr = false;
  bool nodelay = false;
  bool linger_on = false;
  int linger_seconds = 0;
  std::int64_t rcvbuf = 0;
  std::int64_t sndbuf = 0;
  std::int64_t user_timeout_ms = 0;
  std::int64_t linger2 = 0;
  std::int64_t maxseg = 0;
};

class Shim {
 public:
  [[nodiscard]] model::CallResult call(const model::SocketCall& c);
  [[nodiscard]] std::vector<model::ConnectionObservation> observe();
  // Forget every socket (the stack's PCBs are dropped by stack_reset()).
  void reset();

  // For lwIP's callbacks.
  Socket& new_socket(int process, wire::IpVersion family);

 private:
  Socket* by_fd(int process, int fd);
  int lowest_free_fd(int process) const;
  tcp_pcb* pcb_of(Socket& s);
  tcp_pcb* renew_pcb(Socket& s);
  void close_socket(Socket& s);
  void close_connection(Socket& s, bool abort);

  model::CallResult do_socket(const model::SocketCall& c);
  model::CallResult do_bind(Socket& s, const model::SocketCall& c);
  model::CallResult do_listen(Socket& s, const model::SocketCall& c);
  model::CallResult do_connect(Socket& s, const model::SocketCall& c);
  model::CallResult do_accept(Socket& s, const model::SocketCall& c);
  model::CallResult do_send(Socket& s, const model::SocketCall& c);
  model::CallResult do_recv(Socket& s, const model::SocketCall& c);
  model::CallResult do_shutdown(Socket& s, const model::SocketCall& c);
  model::CallResult do_setsockopt(Socket& s, const model::SocketCall& c);
  model::CallResult do_getsockopt(Socket& s, const model::SocketCall& c);

  std::deque<Socket> sockets_;
};

}  // namespace tcpconform::harness::lwip
