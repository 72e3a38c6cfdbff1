// The tcpconform command's exit codes, documented in --help and the README.
#pragma once

namespace tcpconform::cli {

inline constexpr int kExitOk = 0;        // everything passed (or is a known deviation)
inline constexpr int kExitFailures = 1;  // at least one failure or divergence was found
inline constexpr int kExitBadInput = 2;  // bad input or usage: a malformed scenario, a bad flag
inline constexpr int kExitNoPrivileges = 77;  // no namespaces or TUN: the kernel cannot be driven

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok; 1 failures found; 2 bad input or usage; 77 missing privileges "
    "(no network namespace or /dev/net/tun).";

}  // namespace tcpconform::cli
