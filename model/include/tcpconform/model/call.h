// Socket calls and their results: the vocabulary shared by the model, every system under test
// and the scenario language.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tcpconform/wire/address.h"

namespace tcpconform::model {

enum class CallKind : std::uint8_t {
  kSocket,          // socket(family, SOCK_STREAM, IPPROTO_TCP) → fd
  kBind,            // bind(fd, addr)
  kListen,          // listen(fd, backlog)
  kConnect,         // connect(fd, addr); non-blocking: EINPROGRESS
  kAccept,          // accept(fd) → new fd, or EAGAIN
  kSend,            // send(fd, length bytes) → bytes queued
  kRecv,            // recv(fd, up to length bytes) → bytes read, 0 at end of file
  kShutdown,        // shutdown(fd, how)
  kClose,           // close(fd)
  kSetSockOpt,      // setsockopt(fd, option, value)
  kGetSockOpt,      // getsockopt(fd, option) → value
  kSetNonBlocking,  // fcntl(fd, F_SETFL, O_NONBLOCK or 0)
  kExitProcess,     // the process `process` ends: every descriptor it owns is closed
};

enum class ShutdownHow : std::uint8_t { kRead, kWrite, kReadWrite };

enum class SockOpt : std::uint8_t {
  kSoReuseAddr,
  kSoLinger,  // value: linger seconds; linger_on says whether SO_LINGER is enabled
  kSoError,   // getsockopt only: pending errno, cleared by reading
  kSoRcvBuf,
  kSoSndBuf,
  kTcpNodelay,
  kTcpUserTimeout,  // milliseconds
  kTcpLinger2,      // seconds (FIN-WAIT-2 orphan timeout; R169)
  kTcpMaxSeg,
};

struct SocketCall {
  CallKind kind = CallKind::kSocket;
  int fd = -1;  // the script's descriptor number (the model allocates like Linux: lowest free ≥ 3)
  int process = 0;  // which process owns the call (kExitProcess ends it)
  wire::IpVersion family = wire::IpVersion::kV4;  // kSocket
  wire::Endpoint address;                         // kBind, kConnect
  int backlog = 0;                                // kListen
  std::uint32_t length = 0;                       // kSend, kRecv
  ShutdownHow how = ShutdownHow::kReadWrite;      // kShutdown
  SockOpt option = SockOpt::kSoReuseAddr;         // kSetSockOpt, kGetSockOpt
  std::int64_t value = 0;                         // kSetSockOpt; kSetNonBlocking (1 = O_NONBLOCK)
  bool linger_on = false;                         // kSetSockOpt SO_LINGER

  friend bool operator==(const SocketCall&, const SocketCall&) = default;
};

// A call's outcome as Linux reports it: value ≥ 0 on success, or value -1 with errno set.
struct CallResult {
  std::int64_t value = 0;
  int error = 0;           // errno (EAGAIN, ECONNRESET, …); 0 on success
  bool linger_on = false;  // getsockopt SO_LINGER

  friend bool operator==(const CallResult&, const CallResult&) = default;
  static CallResult ok(std::int64_t v = 0) { return CallResult{v, 0, false}; }
  static CallResult fail(int err) { return CallResult{-1, err, false}; }
};

// "ECONNRESET", "EAGAIN", …; the number for unknown values.
std::string errno_name(int error);
std::optional<int> errno_from_name(std::string_view name);

}  // namespace tcpconform::model
