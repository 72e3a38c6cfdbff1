// The binary encoding and the printer of symbolic model traces (format in trace_codec.h).
#include "trace_codec.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace tcpconform::model::trace {

namespace {

constexpr std::uint8_t kTagSegment = 0;
constexpr std::uint8_t kTagCall = 1;
constexpr std::uint8_t kTagAdvance = 2;
constexpr std::size_t kHeaderSize = 9;

void put8(std::vector<std::uint8_t>& out, std::uint8_t v) {
  out.push_back(v);
}
void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xffU));
  out.push_back(static_cast<std::uint8_t>(v >> 8U));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xffU));
}

// A bounds-checked reader: every get fails (and stays failed) past the end.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> b) : bytes_(b) {}
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool at_end() const { return pos_ == bytes_.size(); }
  std::uint8_t u8() {
    if (!ok_ || pos_ >= bytes_.size()) {
      ok_ = false;
      return 0;
    }
    return bytes_[pos_++];
  }
  std::uint16_t u16() {
    const std::uint8_t lo = u8();
    const std::uint8_t hi = u8();
    return static_cast<std::uint16_t>(lo | (hi << 8U));
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(u8()) << (8 * i);
    return v;
  }
  void fail() { ok_ = false; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

std::optional<PeerSegment> decode_segment(Reader& r) {
  PeerSegment s;
  const std::uint8_t tuple = r.u8();
  s.flags = r.u16();
  const std::uint8_t seq = r.u8();
  s.seq_delta = static_cast<std::int8_t>(r.u8());
  const std::uint8_t ack = r.u8();
  s.ack_delta = static_cast<std::int8_t>(r.u8());
  s.payload = r.u16();
  s.window = r.u16();
  s.options = r.u8();
  const std::uint8_t ts = r.u8();
  if (!r.ok() || tuple >= kTupleCount || s.flags > 0x1ffU || seq >= kSeqPointCount ||
      ack >= kAckPointCount || s.payload > kMaxPayload || s.options > kOptAll ||
      ts >= kTsValCount) {
    return std::nullopt;
  }
  s.tuple = static_cast<Tuple>(tuple);
  s.seq = static_cast<SeqPoint>(seq);
  s.ack = static_cast<AckPoint>(ack);
  s.ts = static_cast<TsVal>(ts);
  return s;
}

std::optional<Call> decode_call(Reader& r) {
  Call c;
  const std::uint8_t kind = r.u8();
  const std::uint8_t fd = r.u8();
  c.arg = r.u32();
  c.misc = r.u8();
  if (!r.ok() || kind >= kCallKindCount || fd >= kFdRefCount) return std::nullopt;
  c.kind = static_cast<CallKind>(kind);
  c.fd = static_cast<FdRef>(fd);
  return c;
}

std::optional<Advance> decode_advance(Reader& r) {
  Advance a;
  const std::uint8_t mode = r.u8();
  a.micros = r.u32();
  if (!r.ok() || mode >= kAdvanceModeCount) return std::nullopt;
  a.mode = static_cast<AdvanceMode>(mode);
  return a;
}

std::string_view name(SeqPoint p) {
  switch (p) {
    case SeqPoint::kLeft: return "left";
    case SeqPoint::kLeftMinus1: return "left-1";
    case SeqPoint::kInside: return "inside";
    case SeqPoint::kRightMinus1: return "right-1";
    case SeqPoint::kRight: return "right";
    case SeqPoint::kFar: return "far";
    case SeqPoint::kOpposite: return "opposite";
    case SeqPoint::kIrs: return "irs";
    case SeqPoint::kPeerIss: return "peer_iss";
  }
  return "?";
}

std::string_view name(AckPoint p) {
  switch (p) {
    case AckPoint::kSndNxt: return "snd_nxt";
    case AckPoint::kSndUna: return "snd_una";
    case AckPoint::kSndUnaMinus1: return "snd_una-1";
    case AckPoint::kMid: return "mid";
    case AckPoint::kSndNxtPlus1: return "snd_nxt+1";
    case AckPoint::kBelowMaxWindow: return "una-maxwnd-1";
    case AckPoint::kAtMaxWindow: return "una-maxwnd";
    case AckPoint::kFar: return "far";
    case AckPoint::kIss: return "iss";
    case AckPoint::kZero: return "zero";
  }
  return "?";
}

std::string_view name(Tuple t) {
  switch (t) {
    case Tuple::kMain: return "main";
    case Tuple::kOtherPeer: return "other_peer";
    case Tuple::kClosedPort: return "closed_port";
  }
  return "?";
}

std::string_view name(TsVal t) {
  switch (t) {
    case TsVal::kNext: return "next";
    case TsVal::kSame: return "same";
    case TsVal::kOld: return "old";
    case TsVal::kOpposite: return "opposite";
  }
  return "?";
}

std::string_view name(CallKind k) {
  switch (k) {
    case CallKind::kSocket: return "socket";
    case CallKind::kBind: return "bind";
    case CallKind::kListen: return "listen";
    case CallKind::kConnect: return "connect";
    case CallKind::kAccept: return "accept";
    case CallKind::kSend: return "send";
    case CallKind::kRecv: return "recv";
    case CallKind::kShutdown: return "shutdown";
    case CallKind::kClose: return "close";
    case CallKind::kSetSockOpt: return "setsockopt";
    case CallKind::kGetSockOpt: return "getsockopt";
    case CallKind::kSetNonBlocking: return "fcntl_nonblock";
    case CallKind::kExitProcess: return "exit";
  }
  return "?";
}

std::string_view name(FdRef f) {
  switch (f) {
    case FdRef::kConn: return "conn";
    case FdRef::kListener: return "listener";
    case FdRef::kLast: return "last";
    case FdRef::kBogus: return "bogus";
  }
  return "?";
}

std::string_view name(AdvanceMode m) {
  switch (m) {
    case AdvanceMode::kFixed: return "fixed";
    case AdvanceMode::kToDeadline: return "to_deadline";
    case AdvanceMode::kBeforeDeadline: return "before_deadline";
    case AdvanceMode::kPastDeadline: return "past_deadline";
  }
  return "?";
}

std::string flag_text(std::uint16_t bits) {
  static constexpr std::array<std::pair<std::uint16_t, char>, 9> kNames{{{0x002, 'S'},
                                                                         {0x001, 'F'},
                                                                         {0x004, 'R'},
                                                                         {0x008, 'P'},
                                                                         {0x010, '.'},
                                                                         {0x020, 'U'},
                                                                         {0x040, 'E'},
                                                                         {0x080, 'W'},
                                                                         {0x100, 'A'}}};
  std::string s;
  for (const auto& [bit, c] : kNames) {
    if ((bits & bit) != 0) s += c;
  }
  return s.empty() ? "none" : s;
}

}  // namespace

void encode_into(const Trace& trace, std::vector<std::uint8_t>& out) {
  out.clear();
  put32(out, trace.our_iss);
  put32(out, trace.peer_iss);
  put8(out, trace.header_options);
  for (const Event& e : trace.events) {
    if (const auto* s = std::get_if<PeerSegment>(&e)) {
      put8(out, kTagSegment);
      put8(out, static_cast<std::uint8_t>(s->tuple));
      put16(out, s->flags);
      put8(out, static_cast<std::uint8_t>(s->seq));
      put8(out, static_cast<std::uint8_t>(s->seq_delta));
      put8(out, static_cast<std::uint8_t>(s->ack));
      put8(out, static_cast<std::uint8_t>(s->ack_delta));
      put16(out, s->payload);
      put16(out, s->window);
      put8(out, s->options);
      put8(out, static_cast<std::uint8_t>(s->ts));
    } else if (const auto* c = std::get_if<Call>(&e)) {
      put8(out, kTagCall);
      put8(out, static_cast<std::uint8_t>(c->kind));
      put8(out, static_cast<std::uint8_t>(c->fd));
      put32(out, c->arg);
      put8(out, c->misc);
    } else if (const auto* a = std::get_if<Advance>(&e)) {
      put8(out, kTagAdvance);
      put8(out, static_cast<std::uint8_t>(a->mode));
      put32(out, a->micros);
    }
  }
}

std::vector<std::uint8_t> encode(const Trace& trace) {
  std::vector<std::uint8_t> out;
  encode_into(trace, out);
  return out;
}

std::optional<Trace> decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) return std::nullopt;
  Reader r(bytes);
  Trace t;
  t.our_iss = r.u32();
  t.peer_iss = r.u32();
  t.header_options = r.u8();
  if (t.header_options > kHdrAll) return std::nullopt;
  while (!r.at_end()) {
    if (t.events.size() >= kMaxEvents) return std::nullopt;
    const std::uint8_t tag = r.u8();
    switch (tag) {
      case kTagSegment: {
        auto s = decode_segment(r);
        if (!s) return std::nullopt;
        t.events.emplace_back(*s);
        break;
      }
      case kTagCall: {
        auto c = decode_call(r);
        if (!c) return std::nullopt;
        t.events.emplace_back(*c);
        break;
      }
      case kTagAdvance: {
        auto a = decode_advance(r);
        if (!a) return std::nullopt;
        t.events.emplace_back(*a);
        break;
      }
      default: return std::nullopt;
    }
  }
  if (!r.ok()) return std::nullopt;
  return t;
}

std::string to_string(const Event& event) {
  if (const auto* s = std::get_if<PeerSegment>(&event)) {
    std::string opt;
    if ((s->options & kOptMss) != 0) opt += 'M';
    if ((s->options & kOptWscale) != 0) opt += 'W';
    if ((s->options & kOptSackPerm) != 0) opt += 'S';
    if ((s->options & kOptTimestamp) != 0) opt += fmt::format("T({})", name(s->ts));
    return fmt::format("seg {} {} seq={}{:+d} ack={}{:+d} len={} win={} opt={}", name(s->tuple),
                       flag_text(s->flags), name(s->seq), s->seq_delta, name(s->ack), s->ack_delta,
                       s->payload, s->window, opt.empty() ? "-" : opt);
  }
  if (const auto* c = std::get_if<Call>(&event)) {
    return fmt::format("call {}({}, arg={}, misc={})", name(c->kind), name(c->fd), c->arg,
                       int{c->misc});
  }
  const auto& a = std::get<Advance>(event);
  return fmt::format("advance {} {}us", name(a.mode), a.micros);
}

std::string to_string(const Trace& trace) {
  std::string s = fmt::format("trace our_iss={:#010x} peer_iss={:#010x} options={:#x}\n",
                              trace.our_iss, trace.peer_iss, int{trace.header_options});
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    s += fmt::format("  [{}] {}\n", i, to_string(trace.events[i]));
  }
  return s;
}

}  // namespace tcpconform::model::trace
