// Printing a Program as a packetdrill script that parses back to the same Program.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tcpconform/engine/program.h"

namespace tcpconform::scenario {

// The whole script: options, then steps one a line, extensions as `//@` lines.
[[nodiscard]] std::string print(const engine::Program& program);

// One step's line(s) without a trailing newline, e.g. "+0 > S. 0:0(0) ack 1 <...>".
[[nodiscard]] std::string print_step(const engine::Step& step);

// Pieces, for reports: "+0.1", "S.", "<mss 1460,nop>", "setsockopt(3, …) = 0".
[[nodiscard]] std::string print_time(const engine::TimeSpec& time);
[[nodiscard]] std::string print_flags(wire::Flags flags);
[[nodiscard]] std::string print_options(const engine::PacketSpec& packet);
[[nodiscard]] std::string print_expr(const engine::Expr& expr);

// A system call step as packetdrill would write `call` (name and arguments filled in, then mapped
// back, so the result equals what parsing its printed form gives). For getsockopt,
// `expected_value` is the value written in optval (`[N]`, or `[...]` when absent). A kExitProcess
// call has no packetdrill spelling: the result has an empty name and prints as a comment.
[[nodiscard]] engine::SyscallSpec syscall_from_call(
    const model::SocketCall& call, const model::CallResult& expected,
    std::optional<std::int64_t> expected_value = std::nullopt);

}  // namespace tcpconform::scenario
