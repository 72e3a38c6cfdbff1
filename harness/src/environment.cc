// The test bench's environment (environment.h).
#include "tcpconform/harness/environment.h"

namespace tcpconform::harness {

Environment bench_environment() {
  return Environment{Settings{
      // Timers scenarios wait for, short (Linux defaults: 60, 6, 5).
      {"net/ipv4/tcp_fin_timeout", "2"},
      {"net/ipv4/tcp_syn_retries", "2"},
      {"net/ipv4/tcp_synack_retries", "2"},
      // Options every SYN carries: the Linux defaults, pinned.
      {"net/ipv4/tcp_timestamps", "1"},
      {"net/ipv4/tcp_sack", "1"},
      {"net/ipv4/tcp_window_scaling", "1"},
      // Buffers pinned to the long-standing defaults (Linux 6.18 raised tcp_rmem[2] to 32 MB,
      // which changes the window scale a SYN offers): scenarios then read the same on every
      // kernel, and the model's window scale 7 and SYN window 64240 match.
      {"net/ipv4/tcp_rmem", "4096\t131072\t6291456"},
      {"net/ipv4/tcp_wmem", "4096\t16384\t4194304"},
      {"net/ipv4/tcp_ecn", "2"},
      {"net/ipv4/tcp_rfc1337", "0"},
      // Nothing learned by one program may change the next: no metrics cache, no TFO cookies.
      {"net/ipv4/tcp_no_metrics_save", "1"},
      {"net/ipv4/tcp_fastopen", "0"},
      {"net/ipv4/ip_local_port_range", "32768\t60999"},
  }};
}

}  // namespace tcpconform::harness
