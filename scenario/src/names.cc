// Name tables local to the scenario language: Linux errno names and TCP state names.
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "parser.h"

namespace tcpconform::scenario::detail {
namespace {

// Linux (asm-generic/errno-base.h, errno.h) numbers; first spelling of a number is canonical.
constexpr std::array<std::pair<std::string_view, int>, 76> kErrnos{{
    {"EPERM", 1},
    {"ENOENT", 2},
    {"ESRCH", 3},
    {"EINTR", 4},
    {"EIO", 5},
    {"ENXIO", 6},
    {"E2BIG", 7},
    {"ENOEXEC", 8},
    {"EBADF", 9},
    {"ECHILD", 10},
    {"EAGAIN", 11},
    {"EWOULDBLOCK", 11},
    {"ENOMEM", 12},
    {"EACCES", 13},
    {"EFAULT", 14},
    {"EBUSY", 16},
    {"EEXIST", 17},
    {"EXDEV", 18},
    {"ENODEV", 19},
    {"ENOTDIR", 20},
    {"EISDIR", 21},
    {"EINVAL", 22},
    {"ENFILE", 23},
    {"EMFILE", 24},
    {"ENOTTY", 25},
    {"EFBIG", 27},
    {"ENOSPC", 28},
    {"ESPIPE", 29},
    {"EROFS", 30},
    {"EMLINK", 31},
    {"EPIPE", 32},
    {"EDOM", 33},
    {"ERANGE", 34},
    {"EDEADLK", 35},
    {"ENAMETOOLONG", 36},
    {"ENOLCK", 37},
    {"ENOSYS", 38},
    {"ENOTEMPTY", 39},
    {"ELOOP", 40},
    {"ENOMSG", 42},
    {"ENODATA", 61},
    {"ETIME", 62},
    {"EPROTO", 71},
    {"EBADMSG", 74},
    {"EOVERFLOW", 75},
    {"EILSEQ", 84},
    {"EUSERS", 87},
    {"ENOTSOCK", 88},
    {"EDESTADDRREQ", 89},
    {"EMSGSIZE", 90},
    {"EPROTOTYPE", 91},
    {"ENOPROTOOPT", 92},
    {"EPROTONOSUPPORT", 93},
    {"ESOCKTNOSUPPORT", 94},
    {"EOPNOTSUPP", 95},
    {"ENOTSUP", 95},
    {"EPFNOSUPPORT", 96},
    {"EAFNOSUPPORT", 97},
    {"EADDRINUSE", 98},
    {"EADDRNOTAVAIL", 99},
    {"ENETDOWN", 100},
    {"ENETUNREACH", 101},
    {"ENETRESET", 102},
    {"ECONNABORTED", 103},
    {"ECONNRESET", 104},
    {"ENOBUFS", 105},
    {"EISCONN", 106},
    {"ENOTCONN", 107},
    {"ESHUTDOWN", 108},
    {"ETOOMANYREFS", 109},
    {"ETIMEDOUT", 110},
    {"ECONNREFUSED", 111},
    {"EHOSTDOWN", 112},
    {"EHOSTUNREACH", 113},
    {"EALREADY", 114},
    {"EINPROGRESS", 115},
}};

struct StateName {
  std::string_view name;
  model::State state;
};

constexpr std::array<StateName, 33> kStates{{
    {"CLOSED", model::State::kClosed},
    {"LISTEN", model::State::kListen},
    {"SYN-SENT", model::State::kSynSent},
    {"SYN-RECEIVED", model::State::kSynReceived},
    {"ESTABLISHED", model::State::kEstablished},
    {"FIN-WAIT-1", model::State::kFinWait1},
    {"FIN-WAIT-2", model::State::kFinWait2},
    {"CLOSE-WAIT", model::State::kCloseWait},
    {"CLOSING", model::State::kClosing},
    {"LAST-ACK", model::State::kLastAck},
    {"TIME-WAIT", model::State::kTimeWait},
    // Linux's tcpi_state names (include/net/tcp_states.h), which packetdrill's asserts use.
    {"TCP_CLOSE", model::State::kClosed},
    {"TCP_LISTEN", model::State::kListen},
    {"TCP_SYN_SENT", model::State::kSynSent},
    {"TCP_SYN_RECV", model::State::kSynReceived},
    {"TCP_ESTABLISHED", model::State::kEstablished},
    {"TCP_FIN_WAIT1", model::State::kFinWait1},
    {"TCP_FIN_WAIT2", model::State::kFinWait2},
    {"TCP_CLOSE_WAIT", model::State::kCloseWait},
    {"TCP_CLOSING", model::State::kClosing},
    {"TCP_LAST_ACK", model::State::kLastAck},
    {"TCP_TIME_WAIT", model::State::kTimeWait},
    // ss's names.
    {"UNCONN", model::State::kClosed},
    {"SYN-RECV", model::State::kSynReceived},
    {"ESTAB", model::State::kEstablished},
    {"CLOSE", model::State::kClosed},
    {"SYN_SENT", model::State::kSynSent},
    {"SYN_RECV", model::State::kSynReceived},
    {"FIN_WAIT1", model::State::kFinWait1},
    {"FIN_WAIT2", model::State::kFinWait2},
    {"CLOSE_WAIT", model::State::kCloseWait},
    {"LAST_ACK", model::State::kLastAck},
    {"TIME_WAIT", model::State::kTimeWait},
}};

}  // namespace

std::optional<int> errno_from_name(std::string_view name) {
  for (const auto& [n, v] : kErrnos) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string_view errno_to_name(int error) {
  for (const auto& [n, v] : kErrnos) {
    if (v == error) return n;
  }
  return {};
}

std::string errno_description(int error) {
  // strerrordesc_np (glibc ≥ 2.32) is thread-safe and locale-independent, unlike strerror.
  const char* text = strerrordesc_np(error);
  if (text != nullptr) return text;
  return std::string(errno_to_name(error));
}

std::optional<model::State> state_from_name(std::string_view name) {
  for (const auto& s : kStates) {
    if (s.name == name) return s.state;
  }
  return std::nullopt;
}

std::string_view linux_state_name(model::State state) {
  for (std::size_t i = 11; i < 22; ++i) {
    if (kStates[i].state == state) return kStates[i].name;
  }
  return "TCP_CLOSE";
}

}  // namespace tcpconform::scenario::detail
