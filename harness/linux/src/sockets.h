// Socket calls executed on real descriptors, in this process or in a forked child.
#pragma once

#include <cstdint>

#include "tcpconform/model/call.h"
#include "tcpconform/wire/address.h"

namespace tcpconform::harness::linux_sut {

// One call as a process executes it. Trivially copyable: it crosses a socketpair to children.
struct CallRequest {
  model::SocketCall call;           // call.fd is the real descriptor; call.family the socket's
  std::uint64_t stream_offset = 0;  // kSend: bytes the socket sent before, for the byte pattern
};

struct CallReply {
  model::CallResult result;
  int new_fd = -1;           // kSocket, kAccept: the real descriptor created
  std::uint64_t cookie = 0;  // kSocket, kAccept: SO_COOKIE of the new socket
  wire::Endpoint local;      // kSocket, kAccept, kBind, kListen, kConnect: getsockname()
};

// Byte k of every socket's outgoing stream is the low 8 bits of k.
inline std::uint8_t stream_byte(std::uint64_t k) {
  return static_cast<std::uint8_t>(k & 0xffU);
}

// Executes the call (everything but kExitProcess) and reports the value or errno. kSocket creates
// the socket in the calling thread's network namespace, non-blocking; kAccept's descriptor is
// non-blocking too; kSend uses MSG_NOSIGNAL and the stream_byte() pattern; send and recv move at
// most 4 MiB per call. Allocates nothing, so a forked child of a threaded process may run it.
CallReply execute(const CallRequest& request);

}  // namespace tcpconform::harness::linux_sut
