// Parsing state names: the RFC's and Linux's.
#include "tcpconform/model/state.h"

#include <array>
#include <utility>

namespace tcpconform::model {

std::optional<State> state_from_string(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, State>, 35> kNames = {{
      {"CLOSED", State::kClosed},
      {"LISTEN", State::kListen},
      {"SYN-SENT", State::kSynSent},
      {"SYN-RECEIVED", State::kSynReceived},
      {"ESTABLISHED", State::kEstablished},
      {"FIN-WAIT-1", State::kFinWait1},
      {"FIN-WAIT-2", State::kFinWait2},
      {"CLOSE-WAIT", State::kCloseWait},
      {"CLOSING", State::kClosing},
      {"LAST-ACK", State::kLastAck},
      {"TIME-WAIT", State::kTimeWait},
      // Linux tcpi_state / ss names.
      {"TCP_CLOSE", State::kClosed},
      {"TCP_LISTEN", State::kListen},
      {"TCP_SYN_SENT", State::kSynSent},
      {"TCP_SYN_RECV", State::kSynReceived},
      {"TCP_NEW_SYN_RECV", State::kSynReceived},
      {"TCP_ESTABLISHED", State::kEstablished},
      {"TCP_FIN_WAIT1", State::kFinWait1},
      {"TCP_FIN_WAIT2", State::kFinWait2},
      {"TCP_CLOSE_WAIT", State::kCloseWait},
      {"TCP_CLOSING", State::kClosing},
      {"TCP_LAST_ACK", State::kLastAck},
      {"TCP_TIME_WAIT", State::kTimeWait},
      {"CLOSE", State::kClosed},
      {"SYN_SENT", State::kSynSent},
      {"SYN_RECV", State::kSynReceived},
      {"SYN-RECV", State::kSynReceived},
      {"ESTAB", State::kEstablished},
      {"FIN_WAIT1", State::kFinWait1},
      {"FIN_WAIT2", State::kFinWait2},
      {"CLOSE_WAIT", State::kCloseWait},
      {"LAST_ACK", State::kLastAck},
      {"TIME_WAIT", State::kTimeWait},
      {"UNCONN", State::kClosed},
      {"LISTENING", State::kListen},
  }};
  for (const auto& [name, state] : kNames) {
    if (name == text) return state;
  }
  return std::nullopt;
}

}  // namespace tcpconform::model
