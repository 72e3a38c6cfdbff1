// Observing the namespace through sock_diag and TCP_INFO (observation.h).
#include "observation.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <optional>
#include <tuple>

#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {
namespace {

// Linux TCP_* states (include/net/tcp_states.h).
enum LinuxTcpState : std::uint8_t {
  kEstablished = 1,
  kSynSent,
  kSynRecv,
  kFinWait1,
  kFinWait2,
  kTimeWait,
  kClose,
  kCloseWait,
  kLastAck,
  kListen,
  kClosing,
  kNewSynRecv,
};
constexpr std::uint32_t kTcpfClose = 1U << kClose;
constexpr std::uint8_t kSendShutdown = 2;

std::optional<model::State> state_of(std::uint8_t linux_state) {
  switch (linux_state) {
    case kEstablished: return model::State::kEstablished;
    case kSynSent: return model::State::kSynSent;
    case kSynRecv:
    case kNewSynRecv: return model::State::kSynReceived;
    case kFinWait1: return model::State::kFinWait1;
    case kFinWait2: return model::State::kFinWait2;
    case kTimeWait: return model::State::kTimeWait;
    case kCloseWait: return model::State::kCloseWait;
    case kLastAck: return model::State::kLastAck;
    case kListen: return model::State::kListen;
    case kClosing: return model::State::kClosing;
    default: return std::nullopt;  // CLOSE: not a connection any more
  }
}

model::TimerKind timer_of(std::uint8_t idiag_timer) {
  switch (idiag_timer) {
    case 1: return model::TimerKind::kRetransmit;
    case 2: return model::TimerKind::kKeepalive;
    case 3: return model::TimerKind::kTimeWait;
    case 4: return model::TimerKind::kZeroWindowProbe;
    default: return model::TimerKind::kNone;
  }
}

wire::IpAddress zero_of(wire::IpVersion v) {
  wire::IpAddress a;
  a.version = v;
  return a;
}

model::ConnectionObservation to_observation(const DiagSocket& s, model::State state,
                                            const ScriptProcesses& processes) {
  model::ConnectionObservation o;
  o.tuple = s.tuple;
  o.state = state;
  o.recv_q = s.rqueue;
  o.send_q = s.wqueue;
  o.timer = timer_of(s.timer);
  if (const auto fd = processes.script_fd_of(s.cookie)) {
    o.fd = *fd;
  } else if (!s.shutdown) {
    // Mini sockets: TIME-WAIT (and FIN-WAIT-2 after close, Linux tcp_time_wait()) belong to
    // no descriptor; a request socket belongs to its listener.
    o.orphan = state != model::State::kSynReceived;
  } else {
    // A full socket nobody holds: closed by its owner (tcp_close() sets both shutdown
    // bits), or a child still waiting in its listener's accept queue.
    o.orphan = (*s.shutdown & kSendShutdown) != 0;
  }
  return o;
}

}  // namespace

std::uint32_t connection_states() {
  return kTcpfAll & ~kTcpfListen & ~kTcpfClose;
}

Result<std::vector<model::ConnectionObservation>> observe_namespace(
    SockDiag& diag, const ScriptProcesses& processes, std::vector<DiagSocket>& scratch) {
  scratch.clear();
  for (const auto v : processes.used_families()) {
    if (auto r = diag.dump(v, connection_states(), scratch); !r) return tl::unexpected(r.error());
  }
  // Listeners sit in the global listening hash, slow to walk: look ours up one by one.
  Result<void> looked_up;
  processes.for_each_listener([&](int process, const ScriptFd& entry) {
    if (!looked_up) return;
    const wire::FourTuple key{entry.local, wire::Endpoint{zero_of(entry.local.address.version), 0}};
    if (process == 0) {
      // Our own descriptor: TCP_INFO says the same as inet_diag for a listener, faster.
      tcp_info info{};
      socklen_t length = sizeof(info);
      if (::getsockopt(entry.real_fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) {
        looked_up = tl::unexpected(os_error("observe", "TCP_INFO of a listener"));
        return;
      }
      if (info.tcpi_state == kTcpListen) {
        // Linux tcp_get_info(): for LISTEN, unacked is the accept queue and sacked the
        // backlog, as inet_diag's rqueue and wqueue.
        scratch.push_back(DiagSocket{.tuple = key,
                                     .state = info.tcpi_state,
                                     .rqueue = info.tcpi_unacked,
                                     .wqueue = info.tcpi_sacked,
                                     .cookie = entry.cookie,
                                     .shutdown = std::uint8_t{0}});
      }
      return;
    }
    auto found = diag.lookup(key, entry.cookie);
    if (!found) {
      looked_up = tl::unexpected(found.error());
      return;
    }
    if (*found && (*found)->state == kTcpListen) scratch.push_back(**found);
  });
  if (!looked_up) return tl::unexpected(looked_up.error());
  std::vector<model::ConnectionObservation> out;
  out.reserve(scratch.size());
  for (const DiagSocket& s : scratch) {
    if (auto state = state_of(s.state)) out.push_back(to_observation(s, *state, processes));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.tuple, a.state) < std::tie(b.tuple, b.state);
  });
  return out;
}

}  // namespace tcpconform::harness::linux_sut
