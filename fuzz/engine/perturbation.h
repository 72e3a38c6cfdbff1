// The exploration steps as symbols: what a perturbation means relative to the connection's
// windows ("the right edge of the receive window", "SND.UNA − 1"), resolved into concrete script
// steps against the nominal sequence space of the program so far. The rc::state property
// (properties/engine) and the libFuzzer targets (fuzz/engine) speak this one language, so a
// property counterexample and a fuzzer crash are the same kind of program.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/program.h"

namespace tcpconform::explore_steps {

// A sequence number relative to the stack's receive window [RCV.NXT, RCV.NXT + RCV.WND)
// (nominal values), or a fixed point across the 2^32 wrap of the wire value.
enum class SeqPoint : std::uint8_t {
  kLeft,         // RCV.NXT: in order
  kLeftMinus1,   // RCV.NXT − 1: an old byte
  kInside,       // the middle of the window
  kRightMinus1,  // the last byte inside
  kRight,        // the first byte outside
  kFarAhead,     // RCV.NXT + 2^30
  kFarBehind,    // RCV.NXT − 2^30
  kHalfSpace,    // RCV.NXT + 2^31: ambiguous in sequence arithmetic
  kWrapLast,     // the last wire number before 0 (the lane puts the peer's ISN at 0x60000000)
  kWrapFirst,    // wire number 0
  kWrapBefore,   // 256 before the wire wrap
  kIsn,          // relative 0: the peer's ISN (an old SYN's number)
};
inline constexpr int kSeqPointCount = 12;

// An acknowledgment number relative to [SND.UNA, SND.NXT] (nominal values).
enum class AckPoint : std::uint8_t {
  kNxt,             // SND.NXT: acknowledges everything
  kUnaMinus1,       // SND.UNA − 1
  kUna,             // SND.UNA: a duplicate ACK
  kInside,          // between SND.UNA and SND.NXT
  kNxtPlus1,        // above SND.NXT: unsent data
  kOldBound,        // SND.UNA − the peer's window: the RFC 5961 lower bound
  kOldBoundMinus1,  // just below it
  kFarAhead,        // SND.NXT + 2^30
  kHalfSpace,       // SND.UNA + 2^31
  kFarBehind,       // SND.UNA − 2^30
};
inline constexpr int kAckPointCount = 10;

// An inbound segment. `flags` is the TCP flags byte (FIN SYN RST PSH ACK URG ECE CWR): every
// combination is expressible. ACK numbers are written only when ACK is set.
struct Segment {
  std::uint8_t flags = 0x10;
  SeqPoint seq = SeqPoint::kLeft;
  AckPoint ack = AckPoint::kNxt;
  std::uint8_t payload = 0;  // index into kPayloads
  std::uint8_t window = 0;   // index into kWindows
  bool mss = false;          // an MSS option (what a SYN normally carries)

  friend bool operator==(const Segment&, const Segment&) = default;
};
inline constexpr std::uint32_t kPayloads[] = {0, 1, 10, 100, 1000};
inline constexpr std::uint16_t kWindows[] = {65535, 0, 1, 1000};

// Socket calls, made at any moment (`= ...`: any result; only the state comparison judges).
enum class CallOp : std::uint8_t {
  kSend1,
  kSend100,
  kSend3000,
  kRecv,
  kShutdownRead,
  kShutdownWrite,
  kShutdownBoth,
  kClose,
  kAbort,  // SO_LINGER {1, 0}, then close(): RFC 9293 ABORT
  kConnect,
  kAccept,
  kListen,
  kGetSoError,  // reading SO_ERROR clears it
};
inline constexpr int kCallOpCount = 13;

// Which descriptor a call is made on; when it is not open, the other one, and when neither is,
// a fresh socket() is made instead.
enum class FdRef : std::uint8_t { kConnection, kListener };

struct Call {
  CallOp op = CallOp::kRecv;
  FdRef fd = FdRef::kConnection;

  friend bool operator==(const Call&, const Call&) = default;
};

// Time passes (`//@ advance`): across retransmission, SYN-RECEIVED, FIN-WAIT-2 and TIME-WAIT
// timers. Skipped when the program's time budget (Limits) is spent.
struct Advance {
  std::uint8_t duration = 0;  // index into kAdvances

  friend bool operator==(const Advance&, const Advance&) = default;
};
inline constexpr std::int64_t kAdvances[] = {10'000,    100'000,   250'000,
                                             1'000'000, 3'000'000, 61'000'000};

// The latest inbound segment again, as the network may repeat it.
struct Duplicate {
  friend bool operator==(const Duplicate&, const Duplicate&) = default;
};

using Perturbation = std::variant<Segment, Call, Advance, Duplicate>;

// What a program may do, per instance: the kernel really waits out time advances.
struct Limits {
  std::int64_t max_advance_us = 130'000'000;  // total `//@ advance` time of one program
};

// Where the program's sequence space stands, nominally (script space, relative to each side's
// ISN), and which descriptors are open: what the symbols are resolved against. It follows the
// prefix exactly and the perturbations approximately (a segment the stack rejects does not move
// it), as the explore generator's own builder does.
struct Basis {
  std::uint32_t peer_nxt = 0;   // the next sequence number the peer sends (stack's RCV.NXT)
  std::uint32_t stack_una = 0;  // the oldest byte the peer has not acknowledged
  std::uint32_t stack_nxt = 0;  // the stack's SND.NXT
  bool peer_syn = false;        // the peer's SYN has been sent
  bool synchronized = false;    // both SYNs seen and ours acknowledged
  bool stack_fin = false;       // the stack has queued its FIN
  int conn_fd = -1;
  int listen_fd = -1;
  std::int64_t advanced_us = 0;  // `//@ advance` time so far

  friend bool operator==(const Basis&, const Basis&) = default;
};

// The basis after a prefix made by the explore generator (its inbound and outbound segments and
// its calls, all of which hold on the model and on Linux).
[[nodiscard]] Basis basis_after(const engine::Program& prefix);

// Appends the concrete step(s) of `p` to `program` (none for an advance past the budget, or a
// duplicate with nothing to repeat) and moves `basis` on.
void append(engine::Program& program, Basis& basis, const Perturbation& p, const Limits& limits);

// The prefix that drives one connection into `target` (the explore generator's prefixes;
// `variant` chooses among its routes: passive or active open, data exchanged or not).
[[nodiscard]] engine::Program prefix(engine::explore::Target target, std::uint32_t variant);

// "segment FA seq=right-edge ack=snd.nxt len=100 win=0 mss", "call close(conn)", … (for logs).
[[nodiscard]] std::string describe(const Perturbation& p);

}  // namespace tcpconform::explore_steps
