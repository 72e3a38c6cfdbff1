// Symbolic event traces for the model (shared by the model_trace fuzzer and properties/model):
// the event vocabulary, a compact binary encoding (encode/decode) and a one-line printer.
//
// A trace drives one model endpoint (192.0.2.1, port 8080) against a scripted peer (192.0.2.2,
// port 40000). Sequence and acknowledgment numbers are symbolic: a point relative to the
// connection's current RCV.NXT / right window edge / SND.UNA / SND.NXT plus a small delta, resolved
// when the event is applied (trace_runner.h), so a trace stays meaningful whatever ISNs it uses.
//
// Encoding (all integers little-endian):
//   header : u32 our_iss, u32 peer_iss, u8 option bits (kHdr*)                        9 bytes
//   event  : u8 tag, then by tag
//     kTagSegment 0 : u8 tuple, u16 flags, u8 seq_point, i8 seq_delta, u8 ack_point,
//                     i8 ack_delta, u16 payload_len, u16 window, u8 options, u8 ts    15 bytes
//     kTagCall    1 : u8 kind, u8 fd, u32 arg, u8 misc                                8 bytes
//     kTagAdvance 2 : u8 mode, u32 micros                                            6 bytes
// decode() is strict: unknown tags, out-of-range enumerators, a truncated event or more than
// kMaxEvents events are errors, so encode(decode(b)) == b for every decodable b.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "tcpconform/model/call.h"

namespace tcpconform::model::trace {

inline constexpr std::size_t kMaxEvents = 256;
inline constexpr std::uint16_t kMaxPayload = 4000;

// Which connection a peer segment belongs to.
enum class Tuple : std::uint8_t {
  kMain,        // 192.0.2.2:40000 → 192.0.2.1:8080
  kOtherPeer,   // 192.0.2.2:40001 → 192.0.2.1:8080 (a second connection to the same port)
  kClosedPort,  // 192.0.2.2:40000 → 192.0.2.1:8081 (nothing listens there)
};
inline constexpr std::uint8_t kTupleCount = 3;

// Where a peer segment's SEG.SEQ points, in our receive space (deltas are added afterwards).
enum class SeqPoint : std::uint8_t {
  kLeft,         // RCV.NXT
  kLeftMinus1,   // RCV.NXT - 1
  kInside,       // RCV.NXT + RCV.WND/2 (inside the window, or RCV.NXT when it is tiny)
  kRightMinus1,  // RCV.NXT + RCV.WND - 1
  kRight,        // RCV.NXT + RCV.WND
  kFar,          // RCV.NXT + 2^30: far outside the window
  kOpposite,     // RCV.NXT + 2^31: the point modular comparison cannot order
  kIrs,          // IRS (the peer's SYN)
  kPeerIss,      // the header's peer ISS (before a connection exists: the SYN's seq)
};
inline constexpr std::uint8_t kSeqPointCount = 9;

// Where a peer segment's SEG.ACK points, in our send space.
enum class AckPoint : std::uint8_t {
  kSndNxt,          // SND.NXT (acks everything)
  kSndUna,          // SND.UNA (duplicate)
  kSndUnaMinus1,    // SND.UNA - 1 (old)
  kMid,             // SND.UNA + (SND.NXT - SND.UNA)/2
  kSndNxtPlus1,     // SND.NXT + 1 (acks something never sent)
  kBelowMaxWindow,  // SND.UNA - MAX.SND.WND - 1 (RFC 5961 §5.2 lower bound, just outside)
  kAtMaxWindow,     // SND.UNA - MAX.SND.WND (just inside)
  kFar,             // SND.UNA + 2^30
  kIss,             // ISS
  kZero,            // 0 (the field of a segment without ACK)
};
inline constexpr std::uint8_t kAckPointCount = 10;

// Option bits of a peer segment.
inline constexpr std::uint8_t kOptMss = 0x01;
inline constexpr std::uint8_t kOptWscale = 0x02;
inline constexpr std::uint8_t kOptSackPerm = 0x04;
inline constexpr std::uint8_t kOptTimestamp = 0x08;
inline constexpr std::uint8_t kOptAll = 0x0f;

// The TSval a peer segment carries when it has a timestamp option.
enum class TsVal : std::uint8_t {
  kNext,      // the peer clock, advanced by one (normal traffic)
  kSame,      // the peer clock unchanged (equal to TS.Recent)
  kOld,       // 1000 ticks behind the clock (PAWS reject)
  kOpposite,  // 2^31 away from the clock
};
inline constexpr std::uint8_t kTsValCount = 4;

struct PeerSegment {
  Tuple tuple = Tuple::kMain;
  std::uint16_t flags = 0;  // wire::Flags bits (9 used)
  SeqPoint seq = SeqPoint::kLeft;
  std::int8_t seq_delta = 0;
  AckPoint ack = AckPoint::kSndNxt;
  std::int8_t ack_delta = 0;
  std::uint16_t payload = 0;  // bytes, ≤ kMaxPayload
  std::uint16_t window = 65535;
  std::uint8_t options = 0;  // kOpt* bits
  TsVal ts = TsVal::kNext;
  friend bool operator==(const PeerSegment&, const PeerSegment&) = default;
};

// Which descriptor a call uses.
enum class FdRef : std::uint8_t {
  kConn,      // the connection: the last connect()ed or accept()ed descriptor
  kListener,  // the last listen()ing descriptor
  kLast,      // the last descriptor socket() returned
  kBogus,     // 99 (never allocated)
};
inline constexpr std::uint8_t kFdRefCount = 4;

// A socket call of our endpoint's application. `arg` is the length (send, recv), the backlog
// (listen), the option value (setsockopt, fcntl) or the process (exit). `misc` is the shutdown
// mode (0–2), the option (SockOpt) or, for bind/connect, an address variant (0 main, 1 other
// port); bit 7 of misc is linger_on for SO_LINGER.
struct Call {
  CallKind kind = CallKind::kSocket;
  FdRef fd = FdRef::kConn;
  std::uint32_t arg = 0;
  std::uint8_t misc = 0;
  friend bool operator==(const Call&, const Call&) = default;
};
inline constexpr std::uint8_t kCallKindCount = 13;
inline constexpr std::uint8_t kSockOptCount = 9;

enum class AdvanceMode : std::uint8_t {
  kFixed,           // exactly `micros`
  kToDeadline,      // to the earliest armed timer (fires it); `micros` if none is armed
  kBeforeDeadline,  // to 1 µs before the earliest timer (fires nothing)
  kPastDeadline,    // to the earliest timer + `micros` (fires it and maybe more)
};
inline constexpr std::uint8_t kAdvanceModeCount = 4;

struct Advance {
  AdvanceMode mode = AdvanceMode::kFixed;
  std::uint32_t micros = 0;
  friend bool operator==(const Advance&, const Advance&) = default;
};

using Event = std::variant<PeerSegment, Call, Advance>;

// Header option bits: the options our endpoint puts on its SYNs (Choices).
inline constexpr std::uint8_t kHdrTimestamps = 0x01;
inline constexpr std::uint8_t kHdrSack = 0x02;
inline constexpr std::uint8_t kHdrWscale = 0x04;
inline constexpr std::uint8_t kHdrAll = 0x07;

struct Trace {
  std::uint32_t our_iss = 0xfffffff0U;
  std::uint32_t peer_iss = 0xffffff00U;
  std::uint8_t header_options = kHdrAll;
  std::vector<Event> events;
  friend bool operator==(const Trace&, const Trace&) = default;
};

[[nodiscard]] std::vector<std::uint8_t> encode(const Trace& trace);
void encode_into(const Trace& trace, std::vector<std::uint8_t>& out);
// nullopt when `bytes` is not exactly one well-formed encoding.
[[nodiscard]] std::optional<Trace> decode(std::span<const std::uint8_t> bytes);

// One line per event, e.g. "seg main S. seq=left+0 ack=snd_nxt+0 len=0 win=65535 opt=MS-T".
[[nodiscard]] std::string to_string(const Event& event);
[[nodiscard]] std::string to_string(const Trace& trace);

}  // namespace tcpconform::model::trace
