// Segments that reach no connection and no listener: RFC 9293 §3.10.7.1 (reset generation group 1).
#include "tcpconform/model/endpoint.h"

namespace tcpconform::model {

void Endpoint::closed_segment(const wire::Segment& seg) {
  fire(Rule::R30);  // data is dropped
  fire(Rule::R34);  // no TCB is created
  if (seg.flags.has(wire::Flag::kRst)) {
    fire(Rule::R31);  // never answer a RST
    fire(Rule::R143);
    return;
  }
  fire(Rule::R144);  // half-open detection: the stale peer learns it with this RST
  fire(seg.flags.has(wire::Flag::kAck) ? Rule::R33 : Rule::R32);
  emit_rst_for(seg);
}

}  // namespace tcpconform::model
