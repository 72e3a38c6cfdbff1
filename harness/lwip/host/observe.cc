// Shim::observe(): every PCB in lwIP's lists as the `ss` view model::ConnectionObservation
// describes. Recv-Q and Send-Q are the shim's own bookkeeping and lwIP's segment queues; see
// ../README.md for what is approximated.
#include <algorithm>

#include "callbacks.h"
#include "shim.h"

namespace tcpconform::harness::lwip {
namespace {

wire::Endpoint endpoint(const ip_addr_t& ip, u16_t port) {
  const u32_t a = ip4_addr_get_u32(ip_2_ip4(&ip));  // network order in memory
  const auto* b = reinterpret_cast<const std::uint8_t*>(&a);
  return wire::Endpoint{wire::IpAddress::v4(b[0], b[1], b[2], b[3]), port};
}

std::uint32_t segment_length(const struct tcp_seg* seg) {
  return static_cast<std::uint32_t>(TCP_TCPLEN(seg));
}

// Bytes (a SYN or FIN counting one) queued and not acknowledged: the unsent and unacked queues,
// less what a partial acknowledgment already covered of the oldest segment.
std::uint32_t send_queue(const struct tcp_pcb* pcb) {
  std::uint32_t total = 0;
  for (const struct tcp_seg* seg : {pcb->unacked, pcb->unsent}) {
    for (; seg != nullptr; seg = seg->next) total += segment_length(seg);
  }
  const struct tcp_seg* oldest = pcb->unacked != nullptr ? pcb->unacked : pcb->unsent;
  if (oldest != nullptr) {
    const auto covered =
        static_cast<std::int32_t>(pcb->lastack - lwip_ntohl(oldest->tcphdr->seqno));
    if (covered > 0) total -= std::min(total, static_cast<std::uint32_t>(covered));
  }
  return total;
}

model::TimerKind timer_of(const struct tcp_pcb* pcb) {
  if (pcb->state == TIME_WAIT) return model::TimerKind::kTimeWait;
  if (pcb->persist_backoff > 0) return model::TimerKind::kZeroWindowProbe;
  if (pcb->rtime >= 0 && (pcb->unacked != nullptr || pcb->unsent != nullptr)) {
    return model::TimerKind::kRetransmit;
  }
  return model::TimerKind::kNone;
}

}  // namespace

std::vector<model::ConnectionObservation> Shim::observe() {
  std::vector<model::ConnectionObservation> out;
  for (const struct tcp_pcb* pcb = tcp_listen_pcbs.pcbs; pcb != nullptr; pcb = pcb->next) {
    model::ConnectionObservation o;
    o.tuple.local = endpoint(pcb->local_ip, pcb->local_port);
    o.state = model::State::kListen;
    if (const auto* s = static_cast<const Socket*>(pcb->callback_arg); s != nullptr && s->live) {
      o.recv_q = static_cast<std::uint32_t>(s->accept_queue.size());
      o.send_q = static_cast<std::uint32_t>(s->backlog);
      if (s->fd >= 0) o.fd = s->fd;
    }
    out.push_back(o);
  }
  for (const struct tcp_pcb* list : {tcp_active_pcbs, tcp_tw_pcbs}) {
    for (const struct tcp_pcb* pcb = list; pcb != nullptr; pcb = pcb->next) {
      if (pcb->state == CLOSED || pcb->state == LISTEN) continue;
      model::ConnectionObservation o;
      o.tuple = wire::FourTuple{endpoint(pcb->local_ip, pcb->local_port),
                                endpoint(pcb->remote_ip, pcb->remote_port)};
      o.state = static_cast<model::State>(pcb->state);  // lwIP's enum tcp_state has RFC order
      o.timer = timer_of(pcb);
      const auto* s = static_cast<const Socket*>(pcb->callback_arg);
      if (s == nullptr) {
        o.orphan = true;  // closed by the application, still alive in lwIP
      } else if (s->listening || !s->live || s->pcb != pcb) {
        // A SYN-RECEIVED child (its argument is the listener's): it belongs to the listener.
      } else {
        if (s->fd >= 0) o.fd = s->fd;
      }
      if (pcb->state != TIME_WAIT) {
        if (s != nullptr && !s->listening && s->pcb == pcb) {
          o.recv_q = static_cast<std::uint32_t>(s->unread);
        }
        o.send_q = send_queue(pcb);
      }
      out.push_back(o);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.tuple.local.port != b.tuple.local.port) return a.tuple.local.port < b.tuple.local.port;
    if (a.tuple.remote.port != b.tuple.remote.port)
      return a.tuple.remote.port < b.tuple.remote.port;
    return a.state < b.state;
  });
  return out;
}

}  // namespace tcpconform::harness::lwip
