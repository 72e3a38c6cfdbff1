// A TCP segment with its IP addressing, as a value: what parse() yields and emit() consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "tcpconform/wire/address.h"
#include "tcpconform/wire/seqnum.h"

namespace tcpconform::wire {

// TCP control bits, in header bit order (RFC 9293 §3.1; AE is RFC 9768's accurate-ECN bit,
// the former NS bit, carried in the low bit of the data-offset byte).
enum class Flag : std::uint16_t {
  kFin = 0x001,
  kSyn = 0x002,
  kRst = 0x004,
  kPsh = 0x008,
  kAck = 0x010,
  kUrg = 0x020,
  kEce = 0x040,
  kCwr = 0x080,
  kAe = 0x100,
};

struct Flags {
  std::uint16_t bits = 0;

  constexpr Flags() = default;
  constexpr Flags(Flag f)
      : bits(static_cast<std::uint16_t>(f)) {}  // NOLINT(google-explicit-constructor)
  constexpr explicit Flags(std::uint16_t b) : bits(static_cast<std::uint16_t>(b & 0x1ffU)) {}

  friend constexpr bool operator==(Flags, Flags) = default;
  friend constexpr Flags operator|(Flags a, Flags b) {
    return Flags{static_cast<std::uint16_t>(a.bits | b.bits)};
  }
  friend constexpr Flags operator&(Flags a, Flags b) {
    return Flags{static_cast<std::uint16_t>(a.bits & b.bits)};
  }
  [[nodiscard]] constexpr bool has(Flag f) const {
    return (bits & static_cast<std::uint16_t>(f)) != 0;
  }
  [[nodiscard]] constexpr Flags with(Flag f) const { return *this | Flags{f}; }
  [[nodiscard]] constexpr Flags without(Flag f) const {
    return Flags{static_cast<std::uint16_t>(bits & ~static_cast<std::uint16_t>(f))};
  }
};
constexpr Flags operator|(Flag a, Flag b) {
  return Flags{a} | Flags{b};
}

inline constexpr Flags kSyn{Flag::kSyn};
inline constexpr Flags kAck{Flag::kAck};
inline constexpr Flags kFin{Flag::kFin};
inline constexpr Flags kRst{Flag::kRst};
inline constexpr Flags kPsh{Flag::kPsh};
inline constexpr Flags kUrg{Flag::kUrg};
inline constexpr Flags kSynAck = kSyn | kAck;
inline constexpr Flags kFinAck = kFin | kAck;
inline constexpr Flags kRstAck = kRst | kAck;

// TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018). Unknown kinds keep their raw bytes.
namespace option {
struct Eol {
  friend bool operator==(const Eol&, const Eol&) = default;
};
struct Nop {
  friend bool operator==(const Nop&, const Nop&) = default;
};
struct Mss {
  std::uint16_t value = 0;
  friend bool operator==(const Mss&, const Mss&) = default;
};
struct WindowScale {
  std::uint8_t shift = 0;
  friend bool operator==(const WindowScale&, const WindowScale&) = default;
};
struct SackPermitted {
  friend bool operator==(const SackPermitted&, const SackPermitted&) = default;
};
struct SackBlock {
  SeqNum left;
  SeqNum right;
  friend bool operator==(const SackBlock&, const SackBlock&) = default;
};
struct Sack {
  std::vector<SackBlock> blocks;  // 1 to 4 blocks on the wire
  friend bool operator==(const Sack&, const Sack&) = default;
};
struct Timestamp {
  std::uint32_t val = 0;
  std::uint32_t ecr = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};
// Any other kind: `data` is the option's body after kind and length.
struct Unknown {
  std::uint8_t kind = 0;
  std::vector<std::uint8_t> data;
  friend bool operator==(const Unknown&, const Unknown&) = default;
};
}  // namespace option

using Option =
    std::variant<option::Eol, option::Nop, option::Mss, option::WindowScale, option::SackPermitted,
                 option::Sack, option::Timestamp, option::Unknown>;

struct Segment {
  IpAddress src;
  IpAddress dst;
  std::uint16_t sport = 0;
  std::uint16_t dport = 0;
  SeqNum seq;
  SeqNum ack;
  Flags flags;
  std::uint16_t window = 0;
  std::uint16_t urgent = 0;
  std::vector<Option> options;
  std::vector<std::uint8_t> payload;
  std::uint8_t ttl = 64;  // IPv4 TTL or IPv6 hop limit

  friend bool operator==(const Segment&, const Segment&) = default;

  // SEG.LEN: payload bytes plus one for SYN and one for FIN (RFC 9293 §3.4).
  [[nodiscard]] SeqLen seg_len() const {
    return SeqLen{static_cast<std::uint32_t>(payload.size()) + (flags.has(Flag::kSyn) ? 1U : 0U) +
                  (flags.has(Flag::kFin) ? 1U : 0U)};
  }
  [[nodiscard]] FourTuple tuple_at_receiver() const {
    return FourTuple{Endpoint{dst, dport}, Endpoint{src, sport}};
  }
  [[nodiscard]] FourTuple tuple_at_sender() const {
    return FourTuple{Endpoint{src, sport}, Endpoint{dst, dport}};
  }
  // The first option of type T, if present.
  template <typename T>
  [[nodiscard]] const T* find_option() const {
    for (const auto& o : options) {
      if (const auto* p = std::get_if<T>(&o)) return p;
    }
    return nullptr;
  }
};

}  // namespace tcpconform::wire
