// The connection states of RFC 9293 §3.3.2, printed with the RFC's names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpconform::model {

enum class State : std::uint8_t {
  kClosed,
  kListen,
  kSynSent,
  kSynReceived,
  kEstablished,
  kFinWait1,
  kFinWait2,
  kCloseWait,
  kClosing,
  kLastAck,
  kTimeWait,
};

inline constexpr int kStateCount = 11;

// "SYN-SENT", "TIME-WAIT", … as RFC 9293 writes them.
constexpr std::string_view to_string(State s) {
  switch (s) {
    case State::kClosed: return "CLOSED";
    case State::kListen: return "LISTEN";
    case State::kSynSent: return "SYN-SENT";
    case State::kSynReceived: return "SYN-RECEIVED";
    case State::kEstablished: return "ESTABLISHED";
    case State::kFinWait1: return "FIN-WAIT-1";
    case State::kFinWait2: return "FIN-WAIT-2";
    case State::kCloseWait: return "CLOSE-WAIT";
    case State::kClosing: return "CLOSING";
    case State::kLastAck: return "LAST-ACK";
    case State::kTimeWait: return "TIME-WAIT";
  }
  return "?";
}

// Accepts the RFC names ("FIN-WAIT-1") and Linux's tcpi_state names ("TCP_FIN_WAIT1", "SYN_RECV").
std::optional<State> state_from_string(std::string_view text);

}  // namespace tcpconform::model
