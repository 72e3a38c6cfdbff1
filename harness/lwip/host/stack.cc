// The lwIP stack of the host process: netif, injection, virtual time, ISS (see stack.h).
#include "stack.h"

#include <cstdio>
#include <cstdlib>

#include "lwip_headers.h"

namespace tcpconform::harness::lwip {
namespace {

// lwIP is one global stack per process; this is its environment. Nothing else in the host is
// global except the socket table that lwIP's callbacks reach (shim.cc).
struct Globals {
  struct netif netif {};
  std::vector<std::vector<std::uint8_t>> outbox;
  std::int64_t now_us = 0;
  std::int64_t next_tick_us = TCP_TMR_INTERVAL * 1000;
  bool in_timer = false;
  bool quickack = true;
  std::uint32_t next_iss = 0;
};

Globals& g() {
  static Globals globals;
  return globals;
}

// The first ISS after a reset, and the distance between consecutive ones (Linux-like spacing,
// so that two connections of one program never share sequence space).
constexpr std::uint32_t kIssBase = 0x0A000000;
constexpr std::uint32_t kIssStride = 0x01000000;

err_t netif_output(struct netif* /*netif*/, struct pbuf* p, const ip4_addr_t* /*dest*/) {
  std::vector<std::uint8_t> packet(p->tot_len);
  pbuf_copy_partial(p, packet.data(), p->tot_len, 0);
  g().outbox.push_back(std::move(packet));
  return ERR_OK;
}

err_t netif_setup(struct netif* n) {
  n->name[0] = 't';
  n->name[1] = 'c';
  n->output = netif_output;
  n->mtu = 1500;
  return ERR_OK;
}

}  // namespace

void stack_init() {
  lwip_init();
  ip4_addr_t addr;
  ip4_addr_t mask;
  ip4_addr_t gw;
  IP4_ADDR(&addr, 192, 0, 2, 1);
  IP4_ADDR(&mask, 255, 255, 255, 0);
  IP4_ADDR(&gw, 192, 0, 2, 254);
  netif_add(&g().netif, &addr, &mask, &gw, nullptr, netif_setup, ip_input);
  netif_set_default(&g().netif);
  netif_set_link_up(&g().netif);
  netif_set_up(&g().netif);
  g().next_iss = kIssBase;
}

void stack_inject(const std::uint8_t* data, std::size_t size) {
  struct pbuf* p = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(size), PBUF_RAM);
  if (p == nullptr) return;
  pbuf_take(p, data, static_cast<u16_t>(size));
  // ip_input takes the pbuf in every case.
  g().netif.input(p, &g().netif);
}

std::vector<std::vector<std::uint8_t>> stack_collect() {
  std::vector<std::vector<std::uint8_t>> out;
  out.swap(g().outbox);
  return out;
}

void stack_advance(std::int64_t us) {
  if (us <= 0) return;
  const std::int64_t target = g().now_us + us;
  while (g().next_tick_us <= target) {
    g().now_us = g().next_tick_us;
    g().in_timer = true;
    tcp_tmr();
    g().in_timer = false;
    g().next_tick_us += TCP_TMR_INTERVAL * 1000;
  }
  g().now_us = target;
}

bool stack_in_timer() {
  return g().in_timer;
}

void stack_set_quickack(bool enabled) {
  g().quickack = enabled;
}

void stack_flush_delayed_acks() {
  if (!g().quickack) return;
  for (struct tcp_pcb* pcb = tcp_active_pcbs; pcb != nullptr; pcb = pcb->next) {
    if ((pcb->flags & TF_ACK_DELAY) != 0) {
      tcp_ack_now(pcb);
      tcp_output(pcb);
      tcp_clear_flags(pcb, TF_ACK_DELAY | TF_ACK_NOW);
    }
  }
}

void stack_reset() {
  // Listeners first (their SYN-RECEIVED children forget them), then every connection.
  while (tcp_listen_pcbs.pcbs != nullptr) {
    struct tcp_pcb* pcb = tcp_listen_pcbs.pcbs;
    tcp_arg(pcb, nullptr);
    tcp_close(pcb);
  }
  for (struct tcp_pcb** list : {&tcp_active_pcbs, &tcp_tw_pcbs, &tcp_bound_pcbs}) {
    while (*list != nullptr) {
      struct tcp_pcb* pcb = *list;
      tcp_arg(pcb, nullptr);
      tcp_err(pcb, nullptr);
      tcp_recv(pcb, nullptr);
      tcp_sent(pcb, nullptr);
      if (pcb->state == CLOSED) {
        tcp_close(pcb);  // a bound PCB: unlisted and freed
      } else {
        tcp_abandon(pcb, 0);  // no RST
      }
    }
  }
  g().outbox.clear();
  g().next_iss = kIssBase;
  // The timer phase restarts with the program: its first tick comes one interval from now.
  g().next_tick_us = g().now_us + TCP_TMR_INTERVAL * 1000;
}

void stack_trip_assert() {
  struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  tcp_bind(pcb, IP4_ADDR_ANY, 1);
  struct tcp_pcb* listener = tcp_listen(pcb);
  // LWIP_ASSERT("don't call tcp_recved for listen-pcbs", pcb->state != LISTEN) → abort().
  tcp_recved(listener, 1);
  std::abort();  // only if the library was built with LWIP_NOASSERT
}

}  // namespace tcpconform::harness::lwip

// --- What the library calls through its PLT and this program provides ------------------------

extern "C" {

// Virtual time: milliseconds since the host started, moved only by stack_advance().
u32_t sys_now(void) {
  return static_cast<u32_t>(tcpconform::harness::lwip::g().now_us / 1000);
}

// Reproducible initial sequence numbers (lwIP's own adds tcp_ticks to a static counter).
u32_t tcp_next_iss(struct tcp_pcb* /*pcb*/) {
  auto& globals = tcpconform::harness::lwip::g();
  const u32_t iss = globals.next_iss;
  globals.next_iss += tcpconform::harness::lwip::kIssStride;
  return iss;
}

// Debian builds lwIP with NO_SYS=0 and core locking: every API call checks that the tcpip thread
// holds the core lock. This process has one thread and no tcpip thread, so the check passes.
void sys_check_core_locking(void) {}

}  // extern "C"
