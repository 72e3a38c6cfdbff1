// Step-level mutations and crossover of fuzz cases.
#include "case_mutator.h"

#include <algorithm>

#include "tcpconform/engine/explore/rng.h"

namespace tcpconform::explore_steps {
namespace {

using engine::explore::Rng;

std::uint8_t below(Rng& rng, std::size_t n) {
  return static_cast<std::uint8_t>(rng.below(n));
}

Segment random_segment(Rng& rng) {
  // Half the time a common combination, otherwise any of the 256.
  static constexpr std::uint8_t kCommon[] = {0x02, 0x12, 0x10, 0x18, 0x11,
                                             0x19, 0x04, 0x14, 0x01, 0x03};
  Segment s;
  s.flags = rng.chance(50) ? rng.pick(kCommon) : below(rng, 256);
  s.seq = rng.chance(40) ? SeqPoint::kLeft : static_cast<SeqPoint>(below(rng, kSeqPointCount));
  s.ack = rng.chance(40) ? AckPoint::kNxt : static_cast<AckPoint>(below(rng, kAckPointCount));
  s.payload = rng.chance(50) ? 0 : below(rng, std::size(kPayloads));
  s.window = rng.chance(70) ? 0 : below(rng, std::size(kWindows));
  s.mss = (s.flags & 0x02U) != 0 && rng.chance(70);
  return s;
}

Perturbation random_step(Rng& rng) {
  switch (rng.below(10)) {
    case 0:
    case 1:
    case 2:
      return Call{static_cast<CallOp>(below(rng, kCallOpCount)),
                  rng.chance(25) ? FdRef::kListener : FdRef::kConnection};
    case 3: return Advance{below(rng, std::size(kAdvances))};
    case 4: return Duplicate{};
    default: return random_segment(rng);
  }
}

// Changes one field of step `p`.
void tweak(Perturbation& p, Rng& rng) {
  if (auto* s = std::get_if<Segment>(&p)) {
    switch (rng.below(6)) {
      case 0: s->flags = static_cast<std::uint8_t>(s->flags ^ (1U << rng.below(8))); return;
      case 1: s->seq = static_cast<SeqPoint>(below(rng, kSeqPointCount)); return;
      case 2: s->ack = static_cast<AckPoint>(below(rng, kAckPointCount)); return;
      case 3: s->payload = below(rng, std::size(kPayloads)); return;
      case 4: s->window = below(rng, std::size(kWindows)); return;
      default: s->mss = !s->mss; return;
    }
  }
  if (auto* c = std::get_if<Call>(&p)) {
    if (rng.chance(70)) {
      c->op = static_cast<CallOp>(below(rng, kCallOpCount));
    } else {
      c->fd = c->fd == FdRef::kConnection ? FdRef::kListener : FdRef::kConnection;
    }
    return;
  }
  if (auto* a = std::get_if<Advance>(&p)) {
    a->duration = below(rng, std::size(kAdvances));
    return;
  }
  p = random_step(rng);
}

bool mutate_once(Case& c, Rng& rng) {
  auto& steps = c.steps;
  const auto at = [&](std::size_t extra = 0) {
    return static_cast<std::ptrdiff_t>(rng.below(steps.size() + extra));
  };
  switch (rng.below(9)) {
    case 0:
    case 1:  // insert a step
      if (steps.size() >= kMaxSteps) return false;
      steps.insert(steps.begin() + at(1), random_step(rng));
      return true;
    case 2:  // delete a step
      if (steps.empty()) return false;
      steps.erase(steps.begin() + at());
      return true;
    case 3:  // replace a step
      if (steps.empty()) return false;
      steps[static_cast<std::size_t>(at())] = random_step(rng);
      return true;
    case 4:
    case 5:  // mutate one field of one step
      if (steps.empty()) return false;
      tweak(steps[static_cast<std::size_t>(at())], rng);
      return true;
    case 6:  // duplicate a step in place
      if (steps.empty() || steps.size() >= kMaxSteps) return false;
      {
        const auto i = at();
        const Perturbation copy = steps[static_cast<std::size_t>(i)];
        steps.insert(steps.begin() + i, copy);
      }
      return true;
    case 7:  // swap two neighbours (reordering)
      if (steps.size() < 2) return false;
      {
        const auto i = static_cast<std::size_t>(rng.below(steps.size() - 1));
        std::swap(steps[i], steps[i + 1]);
      }
      return true;
    default:  // another state, or another route to it
      if (rng.chance(50)) {
        c.target = static_cast<engine::explore::Target>(rng.below(engine::explore::kTargetCount));
      } else {
        c.variant = below(rng, 256);
      }
      return true;
  }
}

}  // namespace

Case mutate(Case c, std::uint64_t seed, unsigned rounds) {
  Rng rng(seed);
  for (unsigned i = 0; i < rounds; ++i) {
    for (int tries = 0; tries < 8 && !mutate_once(c, rng); ++tries) {
    }
  }
  return c;
}

Case crossover(const Case& a, const Case& b, std::uint64_t seed) {
  Rng rng(seed);
  Case out = rng.chance(50) ? a : b;
  out.steps.clear();
  const std::size_t a_end = a.steps.empty() ? 0 : rng.below(a.steps.size() + 1);
  const std::size_t b_begin = b.steps.empty() ? 0 : rng.below(b.steps.size() + 1);
  out.steps.insert(out.steps.end(), a.steps.begin(),
                   a.steps.begin() + static_cast<std::ptrdiff_t>(a_end));
  out.steps.insert(out.steps.end(), b.steps.begin() + static_cast<std::ptrdiff_t>(b_begin),
                   b.steps.end());
  if (out.steps.size() > kMaxSteps) out.steps.resize(kMaxSteps);
  return out;
}

}  // namespace tcpconform::explore_steps
