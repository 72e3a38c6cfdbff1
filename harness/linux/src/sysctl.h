// Per-namespace sysctls read and written through /proc/sys (never the `sysctl` program).
#pragma once

#include <string>
#include <string_view>

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness::linux_sut {

// Whether `key` (a path below /proc/sys, e.g. "net/ipv4/tcp_fin_timeout") is one the harness
// may write: only sysctls that are private to a network namespace are, so nothing can leak to
// the host even if a write went astray. Existence is checked by reading it.
[[nodiscard]] bool is_namespaced_sysctl(std::string_view key);

// The calling thread must be inside the SUT's namespace (NamespaceScope): /proc/sys/net shows
// the namespace of the thread that opens it.
[[nodiscard]] Result<std::string> read_sysctl(std::string_view key);
[[nodiscard]] Result<void> write_sysctl(std::string_view key, std::string_view value);

}  // namespace tcpconform::harness::linux_sut
