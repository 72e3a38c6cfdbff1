// The byte encoding of fuzz cases.
//
//   byte 0        target (mod 12)
//   byte 1        prefix variant
//   then steps    tag byte: bits 0-1 kind (segment, call, advance, duplicate), bit 2 a flag
//                 (segment: MSS option; call: on the listener)
//                 segment: flags, seq point, ack point, payload | window << 4
//                 call: operation        advance: duration        duplicate: nothing
#include "case_codec.h"

namespace tcpconform::explore_steps {
namespace {

enum Kind : std::uint8_t { kSegment = 0, kCall = 1, kAdvance = 2, kDuplicate = 3 };

}  // namespace

Case decode(std::span<const std::uint8_t> bytes) {
  Case c;
  std::size_t at = 0;
  auto next = [&](std::uint8_t& out) {
    if (at >= bytes.size()) return false;
    out = bytes[at++];
    return true;
  };
  std::uint8_t target = 0;
  if (next(target)) {
    c.target = static_cast<engine::explore::Target>(target % engine::explore::kTargetCount);
  }
  (void)next(c.variant);
  std::uint8_t tag = 0;
  while (c.steps.size() < kMaxSteps && next(tag)) {
    const bool bit = (tag & 4U) != 0;
    switch (tag & 3U) {
      case kSegment: {
        std::uint8_t f = 0, s = 0, a = 0, pw = 0;
        if (!next(f) || !next(s) || !next(a) || !next(pw)) return c;
        Segment seg;
        seg.flags = f;
        seg.seq = static_cast<SeqPoint>(s % kSeqPointCount);
        seg.ack = static_cast<AckPoint>(a % kAckPointCount);
        seg.payload = static_cast<std::uint8_t>((pw & 0x0fU) % std::size(kPayloads));
        seg.window = static_cast<std::uint8_t>((pw >> 4U) % std::size(kWindows));
        seg.mss = bit;
        c.steps.emplace_back(seg);
        break;
      }
      case kCall: {
        std::uint8_t op = 0;
        if (!next(op)) return c;
        c.steps.emplace_back(Call{static_cast<CallOp>(op % kCallOpCount),
                                  bit ? FdRef::kListener : FdRef::kConnection});
        break;
      }
      case kAdvance: {
        std::uint8_t d = 0;
        if (!next(d)) return c;
        c.steps.emplace_back(Advance{static_cast<std::uint8_t>(d % std::size(kAdvances))});
        break;
      }
      default: c.steps.emplace_back(Duplicate{}); break;
    }
  }
  return c;
}

std::vector<std::uint8_t> encode(const Case& c) {
  std::vector<std::uint8_t> out;
  out.push_back(static_cast<std::uint8_t>(c.target));
  out.push_back(c.variant);
  for (const Perturbation& p : c.steps) {
    if (const auto* s = std::get_if<Segment>(&p)) {
      out.push_back(static_cast<std::uint8_t>(kSegment | (s->mss ? 4U : 0U)));
      out.push_back(s->flags);
      out.push_back(static_cast<std::uint8_t>(s->seq));
      out.push_back(static_cast<std::uint8_t>(s->ack));
      out.push_back(static_cast<std::uint8_t>(s->payload | (s->window << 4U)));
    } else if (const auto* k = std::get_if<Call>(&p)) {
      out.push_back(static_cast<std::uint8_t>(kCall | (k->fd == FdRef::kListener ? 4U : 0U)));
      out.push_back(static_cast<std::uint8_t>(k->op));
    } else if (const auto* a = std::get_if<Advance>(&p)) {
      out.push_back(kAdvance);
      out.push_back(a->duration);
    } else {
      out.push_back(kDuplicate);
    }
  }
  return out;
}

Built build(const Case& c, const Limits& limits) {
  Built b;
  b.program = prefix(c.target, c.variant);
  b.prefix_steps = b.program.steps.size();
  Basis basis = basis_after(b.program);
  for (const Perturbation& p : c.steps) append(b.program, basis, p, limits);
  return b;
}

}  // namespace tcpconform::explore_steps
