// Printing a TCB, and the invariant failure handler that prints it.
#include "tcpconform/model/tcb.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "invariant.h"

namespace tcpconform::model {
namespace {

// Local formatting, so the dump does not depend on the wire library's printers.
std::string endpoint_text(const wire::Endpoint& e) {
  const auto& b = e.address.bytes;
  if (e.address.version == wire::IpVersion::kV4) {
    return fmt::format("{}.{}.{}.{}:{}", b[0], b[1], b[2], b[3], e.port);
  }
  std::string s = "[";
  for (std::size_t i = 0; i < 16; i += 2) {
    s += fmt::format("{}{:x}", i == 0 ? "" : ":", (b[i] << 8) | b[i + 1]);
  }
  return s + fmt::format("]:{}", e.port);
}

}  // namespace

std::string Tcb::to_string() const {
  return fmt::format(
      "{} {}->{} snd.una={} snd.nxt={} snd.wnd={} iss={} write_seq={} rcv.nxt={} rcv.wnd={} "
      "irs={} copied_seq={} fin_queued={} fin_sent={} fin_received={} orphan={} passive={} "
      "request={} ts_ok={} rto={}us retransmits={} rtx_deadline={} tw_deadline={}",
      model::to_string(state), endpoint_text(tuple.local), endpoint_text(tuple.remote),
      snd_una.value, snd_nxt.value, snd_wnd, iss.value, write_seq.value, rcv_nxt.value, rcv_wnd,
      irs.value, copied_seq.value, fin_queued, fin_sent, fin_received, orphan, passive,
      request_socket, ts_ok, rto.count(), retransmits,
      rtx_deadline == kNever ? -1 : rtx_deadline.count(),
      timewait_deadline == kNever ? -1 : timewait_deadline.count());
}

namespace detail {

void invariant_failed(const char* condition, const char* file, int line, const Tcb* tcb) {
  std::fprintf(stderr, "tcpconform model invariant failed: %s at %s:%d\n", condition, file, line);
  if (tcb != nullptr) std::fprintf(stderr, "  TCB: %s\n", tcb->to_string().c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace detail
}  // namespace tcpconform::model
