// The shim's lwIP callbacks (callbacks.cc).
#pragma once

#include "lwip_headers.h"
#include "shim.h"

namespace tcpconform::harness::lwip {

// Attaches the shim's callbacks (recv, err) to a PCB owned by `s`, with `s` as its argument.
void attach(struct tcp_pcb* pcb, Socket& s);
// Detaches them: lwIP then treats the PCB as closed by its application.
void detach(struct tcp_pcb* pcb);
// tcp_connect() with the shim's connected callback.
err_t connect_pcb(struct tcp_pcb* pcb, const ip_addr_t* ip, u16_t port);
// The accept callback of every listener.
err_t on_accept(void* arg, struct tcp_pcb* pcb, err_t err);

}  // namespace tcpconform::harness::lwip
