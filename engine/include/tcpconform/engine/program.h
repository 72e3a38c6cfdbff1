// What a scenario means, independent of its text: script options, settings and a list of steps.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tcpconform/model/call.h"
#include "tcpconform/model/state.h"
#include "tcpconform/wire/address.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::engine {

// Where a step was written. Not part of a step's meaning: see same_meaning() below.
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in bytes

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// packetdrill's event times, in microseconds as written (never converted to absolute here).
enum class TimeKind : std::uint8_t {
  kNone,           // no time written: an init/cleanup shell command, or an extension line
  kAbsolute,       // `0.1`: seconds since the script started
  kRelative,       // `+0.1`: seconds after the previous step's time
  kAny,            // `*`: any time (outbound packets only, in packetdrill)
  kAbsoluteRange,  // `0.1~0.2`
  kRelativeRange,  // `+0.1~+0.2`: both ends after the previous step's time
};

struct TimeSpec {
  TimeKind kind = TimeKind::kRelative;
  std::int64_t usecs = 0;      // the start (or the only) time
  std::int64_t end_usecs = 0;  // ranges only: the upper bound, on the same base as `usecs`
  // Blocking system calls (`+0...0.2 accept(...)`): when the call is expected to return, on the
  // same base as the start, as packetdrill does: absolute for kAbsolute, and for kRelative an
  // offset from the previous step's time (so `+.1...0.2` starts at prev+0.1 and returns at
  // prev+0.2).
  std::optional<std::int64_t> blocking_end_usecs;

  friend bool operator==(const TimeSpec&, const TimeSpec&) = default;
};

// ---------------------------------------------------------------------------------------------
// Packets.

enum class Direction : std::uint8_t {
  kInbound,   // `<`: the script injects this segment (part of the program)
  kOutbound,  // `>`: the stack must send a segment matching this (an expectation)
};

// A TCP segment as a script writes it. Sequence numbers are RELATIVE to the sender's ISN and
// acknowledgment numbers relative to the receiver's ISN, as in packetdrill: inbound `seq` is
// relative to the script's (peer's) ISN, inbound `ack` to the stack's ISN, and the reverse for
// outbound. SACK blocks are kept as written (relative, like ack). Timestamps are kept as
// written: inbound TS val is absolute and inbound ecr is relative to the stack's TS val
// (packetdrill maps it); outbound TS val is relative to the stack's first TS val and ecr is the
// script's own value. The engine does every mapping.
struct PacketSpec {
  Direction direction = Direction::kInbound;
  wire::Flags flags;                    // `-` is no flags; `.` is ACK; `E` ECE, `W` CWR
  std::uint32_t seq = 0;                // `seq:end(len)`: start
  std::uint32_t payload_len = 0;        // len (end = seq + len, checked by the parser)
  std::optional<std::uint32_t> ack;     // `ack N`; absent: zero on the wire (inbound) / unchecked
  std::optional<std::uint16_t> window;  // `win N`; absent outbound: any window; inbound: default
  std::optional<std::uint16_t> urgent;  // `urg N`
  // `<...>` (outbound only): any options at all. Otherwise `options` is the exact list; an
  // empty list means the segment has no options.
  bool any_options = false;
  std::vector<wire::Option> options;

  friend bool operator==(const PacketSpec&, const PacketSpec&) = default;
};

// ---------------------------------------------------------------------------------------------
// System calls.

// A system call argument as written, kept so that the printer reproduces it exactly.
struct Expr {
  enum class Kind : std::uint8_t {
    kEllipsis,  // ...
    kInt,       // 42, -1, 0x70403 (hex remembers its spelling)
    kWord,      // SOCK_STREAM, O_NONBLOCK
    kString,    // "192.0.2.1"
    kList,      // [a, b]      (children)
    kBraces,    // {a, b}      (children)
    kCall,      // htons(8080), inet_addr("…"): text is the function, children the arguments
    kAssign,    // l_onoff=1: text is the name, children[0] the value; msg_iov(1)=[…]: text
                // empty, children[0] the kCall on the left, children[1] the value
    kOr,        // O_RDWR|O_NONBLOCK: children are the operands
  };
  Kind kind = Kind::kEllipsis;
  std::int64_t value = 0;  // kInt
  bool hex = false;        // kInt written as 0x…
  std::string text;        // kWord, kString (unquoted, unescaped), kCall, kAssign
  std::vector<Expr> children;

  friend bool operator==(const Expr&, const Expr&) = default;
};

// An ioctl that reads a queue length, compared with ss's Recv-Q / Send-Q of the descriptor.
enum class QueueProbe : std::uint8_t {
  kNone,
  kInq,   // ioctl(fd, SIOCINQ or FIONREAD, [N]): unread bytes
  kOutq,  // ioctl(fd, SIOCOUTQ or TIOCOUTQ, [N]): unacknowledged bytes
};

struct SyscallSpec {
  std::string name;        // as written: "socket", "setsockopt", "read", …
  std::vector<Expr> args;  // as written
  // The call this maps to; nullopt when the call (or this use of it: an unknown socket option,
  // a descriptor written as `...`) has no model equivalent: reported and skipped.
  std::optional<model::SocketCall> call;
  // True when the script gave the family (socket) or the address (bind, connect) explicitly;
  // otherwise the engine substitutes the program's family and its addresses.
  bool address_given = false;
  // The descriptor argument (the first), when it is a number; -1 otherwise (socket(), `...`).
  int fd = -1;
  // ioctl queue probes (call is nullopt for them; the descriptor is `fd`).
  QueueProbe probe = QueueProbe::kNone;
  // The expected outcome: value, and errno when value is -1 (`= -1 EAGAIN (…)`).
  model::CallResult expected;
  bool any_result = false;  // `= ...`: any return value
  std::string errno_name;   // as written, "" when none
  std::string note;         // the parenthesised text after errno, without parentheses
  // getsockopt and probes: the value written in optval (`[0]`), when one was written; for
  // SO_LINGER the l_linger, with expected.linger_on from l_onoff.
  std::optional<std::int64_t> expected_value;

  friend bool operator==(const SyscallSpec&, const SyscallSpec&) = default;
};

// ---------------------------------------------------------------------------------------------
// Shell commands and code blocks.

// Keys are sysctl paths below /proc/sys ("net/ipv4/tcp_fin_timeout"), as harness::Settings.
using Settings = std::map<std::string, std::string>;

// A backquoted command. It is never run: recognised init helpers become settings, anything else
// is listed in `unsupported` and reported.
struct ShellCommand {
  std::string text;                      // between the backquotes, verbatim
  Settings settings;                     // what the recognised parts set, in order of writing
  std::vector<std::string> recognised;   // the parts understood ("../common/defaults.sh", …)
  std::vector<std::string> unsupported;  // the parts not understood: reported and skipped

  friend bool operator==(const ShellCommand&, const ShellCommand&) = default;
};

enum class CompareOp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

// `assert tcpi_<field> <op> <value>` inside a `%{ }%` block.
struct TcpInfoAssertion {
  std::string field;  // "tcpi_state", "tcpi_unacked", …
  CompareOp op = CompareOp::kEq;
  std::optional<model::State> state;  // tcpi_state compared with TCP_<STATE>
  std::int64_t value = 0;             // other fields: a number
  std::string value_text;             // the right-hand side as written ("TCP_CLOSE_WAIT", "3")

  friend bool operator==(const TcpInfoAssertion&, const TcpInfoAssertion&) = default;
};

// A `%{ … }%` block. Assertions on tcpi_* fields are understood; every other line is kept in
// `unsupported` (reported and skipped: Python is never run).
struct CodeBlock {
  std::string text;  // between %{ and }%, verbatim
  std::vector<TcpInfoAssertion> assertions;
  std::vector<std::string> unsupported;

  friend bool operator==(const CodeBlock&, const CodeBlock&) = default;
};

// ---------------------------------------------------------------------------------------------
// tcpconform extensions (lines starting `//@`, a comment to packetdrill; scenario/README.md).

// `//@ state <tuple|fd N> <STATE> [recvq N] [sendq N] [orphan|owned]`: the connection's state
// now. A tuple is seen from the stack: local > remote; a listener's remote is `*`. CLOSED means
// the stack holds no such connection.
struct StateExpectation {
  std::optional<wire::FourTuple> tuple;  // exactly one of tuple and fd is set
  std::optional<int> fd;
  bool listener = false;  // the tuple's remote was `*`
  model::State state = model::State::kClosed;
  std::optional<std::uint32_t> recv_q;
  std::optional<std::uint32_t> send_q;
  std::optional<bool> orphan;

  friend bool operator==(const StateExpectation&, const StateExpectation&) = default;
};

// `//@ quiet`: the stack has sent nothing beyond the segments the script already expected.
struct QuietExpectation {
  friend bool operator==(const QuietExpectation&, const QuietExpectation&) = default;
};

// `//@ advance 60s`: virtual time moves on by `usecs`; later relative times count from the
// advanced clock. (For the kernel, a real wait.)
struct AdvanceTime {
  std::int64_t usecs = 0;

  friend bool operator==(const AdvanceTime&, const AdvanceTime&) = default;
};

// ---------------------------------------------------------------------------------------------

using Action = std::variant<PacketSpec, SyscallSpec, ShellCommand, CodeBlock, StateExpectation,
                            QuietExpectation, AdvanceTime>;

struct Step {
  SourceLocation where;
  TimeSpec time;  // kNone for extension lines and untimed shell commands
  Action action;

  friend bool operator==(const Step&, const Step&) = default;
};

// A script-level option line `--name=value` (or `--name`), kept as written and in order.
struct ScriptOption {
  std::string name;  // without the leading dashes
  std::optional<std::string> value;

  friend bool operator==(const ScriptOption&, const ScriptOption&) = default;
};

struct Program {
  std::string file;  // the name used in messages
  std::vector<ScriptOption> options;
  // Interpreted from `options` by the parser (the printer prints `options` only):
  wire::IpVersion ip_version = wire::IpVersion::kV4;  // --ip_version=ipv4|ipv6
  bool ipv4_mapped_ipv6 = false;                      // --ip_version=ipv4-mapped-ipv6
  std::optional<std::int64_t> tolerance_usecs;        // --tolerance_usecs=N
  std::optional<std::string> local_ip;                // --local_ip=…
  std::optional<std::string> remote_ip;               // --remote_ip=…
  // Settings from every recognised shell command, later ones overriding earlier ones.
  Settings settings;
  std::vector<Step> steps;

  friend bool operator==(const Program&, const Program&) = default;
};

// Equality ignoring source locations and the file name: what "prints and parses back to the same
// program" means.
inline bool same_meaning(const Program& a, const Program& b) {
  if (a.options != b.options || a.ip_version != b.ip_version ||
      a.ipv4_mapped_ipv6 != b.ipv4_mapped_ipv6 || a.tolerance_usecs != b.tolerance_usecs ||
      a.local_ip != b.local_ip || a.remote_ip != b.remote_ip || a.settings != b.settings ||
      a.steps.size() != b.steps.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    if (a.steps[i].time != b.steps[i].time || a.steps[i].action != b.steps[i].action) return false;
  }
  return true;
}

}  // namespace tcpconform::engine
