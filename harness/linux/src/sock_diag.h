// NETLINK_SOCK_DIAG (inet_diag): listing the namespace's TCP sockets and destroying them by cookie.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "tcpconform/harness/sut.h"
#include "tcpconform/wire/address.h"

struct mnl_socket;

namespace tcpconform::harness::linux_sut {

// One inet_diag_msg, as `ss` would print it.
struct DiagSocket {
  wire::FourTuple tuple;
  std::uint8_t state = 0;  // Linux TCP_* (request sockets report TCP_SYN_RECV)
  std::uint8_t timer = 0;  // idiag_timer: 0 none, 1 retransmit, 2 keepalive, 3 TIME-WAIT, 4 probe
  std::uint32_t rqueue = 0;
  std::uint32_t wqueue = 0;
  std::uint32_t inode = 0;
  std::uint64_t cookie = 0;
  // sk_shutdown of a full socket; absent for request and TIME-WAIT sockets (mini sockets).
  std::optional<std::uint8_t> shutdown;
};

// TCPF_* masks (include/net/tcp_states.h is not exported to user space).
inline constexpr std::uint32_t kTcpfAll = 0xfff | (1U << 12);  // every state + NEW_SYN_RECV
inline constexpr std::uint32_t kTcpfListen = 1U << 10;
inline constexpr std::uint8_t kTcpListen = 10;

class SockDiag {
 public:
  // A NETLINK_SOCK_DIAG socket bound to the calling thread's network namespace.
  [[nodiscard]] static Result<SockDiag> open();
  SockDiag(SockDiag&&) noexcept;
  SockDiag& operator=(SockDiag&&) noexcept;
  ~SockDiag();

  // Appends every TCP socket of `version` whose state is in `states` (a TCPF_* mask).
  [[nodiscard]] Result<void> dump(wire::IpVersion version, std::uint32_t states,
                                  std::vector<DiagSocket>& out);
  // The socket with this local endpoint (and remote, zero for a listener) and cookie, if it
  // still exists. The cookie is what makes this safe: a lookup by tuple alone can return the
  // listener when the connection is gone.
  [[nodiscard]] Result<std::optional<DiagSocket>> lookup(const wire::FourTuple& tuple,
                                                         std::uint64_t cookie);
  // SOCK_DESTROY of exactly this socket (tuple and cookie); a socket already gone is no error.
  [[nodiscard]] Result<void> destroy(const DiagSocket& socket);

 private:
  SockDiag() = default;
  struct Closer {
    void operator()(mnl_socket* s) const;
  };
  std::unique_ptr<mnl_socket, Closer> socket_;
  std::vector<char> buffer_;
  std::uint32_t seq_ = 1;
  std::uint32_t portid_ = 0;
};

}  // namespace tcpconform::harness::linux_sut
