// Canned trace prefixes that drive the model's connection into a chosen state through events
// (passive, active or simultaneous open, then data, close, RST): used by the RapidCheck event
// generator, the fuzzer's seed corpus and its dummy input.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tcpconform/model/state.h"
#include "trace_codec.h"

namespace tcpconform::model::trace {

enum class Opening : std::uint8_t {
  kPassive,       // listen(); the peer's SYN; its ACK; accept()
  kActive,        // connect(); the peer's SYN,ACK
  kSimultaneous,  // connect(); the peer's SYN (R7); then its SYN,ACK (R27)
};
inline constexpr std::uint8_t kOpeningCount = 3;

enum class Target : std::uint8_t {
  kSynSent,            // active/simultaneous only; passive openings stop in SYN-RECEIVED
  kSynReceived,        // passive: after the SYN; otherwise after the crossing SYN
  kEstablished,        //
  kEstablishedData,    // ESTABLISHED after data both ways (1000 bytes out, 500 in, read)
  kFinWait1,           // shutdown(WR)
  kFinWait2,           // shutdown(WR), the peer acks our FIN
  kFinWait2Orphan,     // close(), the peer acks our FIN (R169 applies on Linux)
  kClosing,            // shutdown(WR), the peer's FIN not acking ours (simultaneous close, R16)
  kSimultaneousClose,  // both FINs crossed and acked: TIME-WAIT by R19 (R28)
  kTimeWait,           // close(), ack of our FIN, the peer's FIN (R18)
  kCloseWait,          // the peer's FIN (R14)
  kLastAck,            // the peer's FIN, then close() (R20)
  kClosedByRst,        // an exact RST (R61)
};
inline constexpr std::uint8_t kTargetCount = 13;

std::string_view to_string(Opening o);
std::string_view to_string(Target t);

// The state the main connection is in after opening(o) + drive(t) (CLOSED for kClosedByRst).
State expected_state(Opening o, Target t);

// The events of `o` followed by those reaching `t`. `timestamps`: peer segments carry TSopt
// (the peer's SYN offers it; with the header's kHdrTimestamps both sides then use it).
std::vector<Event> prefix(Opening o, Target t, bool timestamps);

// A small complete trace: a passive open to ESTABLISHED with data (the fuzzer's dummy input).
Trace handshake_trace();

// Event constructors with the usual defaults (window 65535, no options).
PeerSegment peer(std::uint16_t flags, SeqPoint seq, AckPoint ack, std::uint16_t len = 0,
                 std::uint8_t options = 0);
Call call(CallKind kind, FdRef fd = FdRef::kConn, std::uint32_t arg = 0, std::uint8_t misc = 0);
Advance advance(AdvanceMode mode, std::uint32_t micros = 0);

}  // namespace tcpconform::model::trace
