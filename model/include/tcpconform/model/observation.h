// What can be seen of a connection from outside, the way `ss` shows it.
#pragma once

#include <cstdint>
#include <optional>

#include "tcpconform/model/state.h"
#include "tcpconform/wire/address.h"

namespace tcpconform::model {

// The timer `ss -o` would show for a socket.
enum class TimerKind : std::uint8_t { kNone, kRetransmit, kKeepalive, kTimeWait, kZeroWindowProbe };

struct ConnectionObservation {
  wire::FourTuple tuple;  // for a listener the remote endpoint is all zeros
  State state = State::kClosed;
  // ss semantics: for LISTEN, Recv-Q is the accept queue length and Send-Q the backlog;
  // otherwise unread bytes (a received FIN counts one on Linux) and unacknowledged bytes.
  std::uint32_t recv_q = 0;
  std::uint32_t send_q = 0;
  bool orphan = false;    // no descriptor owns it any more
  std::optional<int> fd;  // the script descriptor that owns it, when known
  TimerKind timer = TimerKind::kNone;

  friend bool operator==(const ConnectionObservation&, const ConnectionObservation&) = default;
};

}  // namespace tcpconform::model
