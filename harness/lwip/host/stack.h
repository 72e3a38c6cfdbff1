// The one lwIP stack of this process: a netif whose output is kept for collect(), injection into
// ip_input, virtual time (sys_now and tcp_tmr), and a deterministic ISS. lwIP keeps its state in
// globals, which is why it lives in a process of its own (see ../README.md).
#pragma once

#include <cstdint>
#include <vector>

namespace tcpconform::harness::lwip {

// Brings lwIP up with the stack's address 192.0.2.1/24 on one netif. Call once.
void stack_init();

// Hands one IPv4 packet to lwIP (ip_input); it is processed before this returns.
void stack_inject(const std::uint8_t* data, std::size_t size);

// Every packet lwIP sent since the last call, oldest first.
std::vector<std::vector<std::uint8_t>> stack_collect();

// Lets `us` microseconds of virtual time pass, running tcp_tmr() every TCP_TMR_INTERVAL.
void stack_advance(std::int64_t us);

// True while tcp_tmr() runs: an abort reported now is a timeout (ETIMEDOUT), not a reset.
bool stack_in_timer();

// Sends at once every ACK lwIP is delaying (what tcp_fasttmr would send at the next tick), the
// counterpart of the kernel harness's `quickack` route: every step is synchronous. Off when
// `enabled` is false (configure key lwip/quickack = 0).
void stack_flush_delayed_acks();
void stack_set_quickack(bool enabled);

// Drops every PCB without sending anything and forgets the output; the ISS sequence and the
// timer phase restart, so that a program does not depend on the ones before it.
void stack_reset();

// Calls tcp_recved() on a listening PCB, which lwIP forbids with an LWIP_ASSERT: the process
// aborts. Used by the tests of crash handling.
[[noreturn]] void stack_trip_assert();

}  // namespace tcpconform::harness::lwip
