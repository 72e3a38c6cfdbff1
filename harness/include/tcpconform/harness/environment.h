// The environment a program runs in, whatever the stack: the settings the test bench pins so
// that scenarios read the same on every stack and kernel (short timers, the options every SYN
// carries, fixed buffers). A value that travels in the engine's options; each stack applies
// what it understands (LinuxSut as namespaced sysctls, ModelSut onto its profile and choices,
// LwipSut onto its options) and says what it does not.
#pragma once

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness {

struct Environment {
  // Keys are sysctl paths below /proc/sys ("net/ipv4/tcp_fin_timeout"): the vocabulary every
  // TCP developer knows, also where the stack is not Linux.
  Settings settings;

  friend bool operator==(const Environment&, const Environment&) = default;
};

// The test bench's environment (harness/README.md, "The environment"): timers scenarios wait for
// made short (tcp_fin_timeout 2 s, 2 SYN and SYN,ACK retries), the Linux defaults for the options
// every SYN carries pinned, buffers pinned to the long-standing defaults, RFC 1337 off, nothing
// remembered from one program to the next (no metrics cache, no TFO), the ephemeral port range.
[[nodiscard]] Environment bench_environment();

}  // namespace tcpconform::harness
