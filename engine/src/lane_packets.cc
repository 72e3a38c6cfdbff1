// Lane: injecting the script's segments and matching the stack's against the script.
#include <fmt/core.h>

#include <algorithm>
#include <thread>

#include "tcpconform/engine/lane.h"
#include "tcpconform/wire/notation.h"

namespace tcpconform::engine {
namespace {

using Clock = std::chrono::steady_clock;

std::string describe_options(const std::vector<wire::Option>& options) {
  const std::string text = wire::options_to_notation(options);
  return text.empty() ? "<>" : text;
}

bool is_pure_data(const wire::Segment& s) {
  return !s.flags.has(wire::Flag::kSyn) && !s.flags.has(wire::Flag::kRst) &&
         !s.flags.has(wire::Flag::kFin);
}

}  // namespace

wire::Segment Lane::build_inbound(const PacketSpec& spec) const {
  wire::Segment s;
  s.src = addresses_.peer;
  s.dst = addresses_.local;
  s.sport = options_.peer_port;
  s.dport = stack_port_;
  s.seq = options_.peer_isn + wire::SeqLen{spec.seq};
  if (spec.ack) s.ack = stack_isn_.value_or(wire::SeqNum{0}) + wire::SeqLen{*spec.ack};
  s.flags = spec.flags;
  s.window = spec.window.value_or(65535);
  s.urgent = spec.urgent.value_or(0);
  s.options = spec.options;
  for (wire::Option& o : s.options) {
    if (auto* ts = std::get_if<wire::option::Timestamp>(&o); ts != nullptr && ts_offset_) {
      // Inbound TSecr is written relative to the stack's timestamp clock, as in packetdrill.
      ts->ecr = static_cast<std::uint32_t>(ts->ecr + static_cast<std::uint32_t>(*ts_offset_));
    } else if (auto* sack = std::get_if<wire::option::Sack>(&o)) {
      for (auto& b : sack->blocks) {
        b.left = stack_isn_.value_or(wire::SeqNum{0}) + wire::SeqLen{b.left.value};
        b.right = stack_isn_.value_or(wire::SeqNum{0}) + wire::SeqLen{b.right.value};
      }
    }
  }
  s.payload.assign(spec.payload_len, 0);
  return s;
}

std::string Lane::script_text(const wire::Segment& seg) const {
  wire::Segment s = seg;
  if (stack_isn_) s.seq = wire::SeqNum{(seg.seq - *stack_isn_).value};
  if (seg.flags.has(wire::Flag::kAck)) s.ack = wire::SeqNum{(seg.ack - options_.peer_isn).value};
  return wire::to_notation(s);
}

harness::Result<void> Lane::pull() {
  auto got = sut_.collect();
  if (!got) return tl::make_unexpected(got.error());
  for (wire::Segment& s : *got) {
    // Only this program's connection(s) count; anything else on the device is noise.
    if (s.dport != options_.peer_port && s.sport != stack_port_) continue;
    result_.packets.emplace_back(script_now_, s);
    queue_.push_back(std::move(s));
  }
  return {};
}

harness::Result<std::optional<wire::Segment>> Lane::next_segment(std::int64_t deadline) {
  bool waited = false;
  for (;;) {
    if (queue_.empty()) {
      auto pulled = pull();
      if (!pulled) return tl::make_unexpected(pulled.error());
    }
    if (!queue_.empty()) {
      wire::Segment s = std::move(queue_.front());
      queue_.pop_front();
      if (waited && !virtual_time_) {
        const auto now = Clock::now();
        script_now_ += std::chrono::duration_cast<std::chrono::microseconds>(now - anchor_).count();
        anchor_ = now;
      }
      return s;
    }
    if (virtual_time_) {
      const auto next = sut_.time_to_next_timer();
      if (!next || script_now_ + next->count() > deadline) return std::nullopt;
      auto advanced = sut_.advance(*next);
      if (!advanced) return tl::make_unexpected(advanced.error());
      script_now_ += next->count();
      continue;
    }
    const auto limit = anchor_ + std::chrono::microseconds{deadline - script_now_};
    const auto now = Clock::now();
    if (now >= limit) return std::nullopt;
    const auto nap = std::min<Clock::duration>(limit - now, std::chrono::microseconds{500});
    std::this_thread::sleep_for(nap);
    result_.waited_us += std::chrono::duration_cast<std::chrono::microseconds>(nap).count();
    waited = true;
  }
}

harness::Result<void> Lane::inbound(std::size_t i, const PacketSpec& spec) {
  // As in packetdrill, a segment the stack sent meanwhile is matched by the script's next
  // outbound line, not judged here (`//@ quiet` asserts that nothing was sent).
  auto pulled = pull();
  if (!pulled) return pulled;
  const wire::Segment s = build_inbound(spec);
  trace(TraceEntry::Kind::kInbound, i, wire::to_notation([&] {
          wire::Segment rel = s;
          rel.seq = wire::SeqNum{spec.seq};
          rel.ack = wire::SeqNum{spec.ack.value_or(0)};
          rel.options = spec.options;
          return rel;
        }()));
  result_.packets.emplace_back(script_now_, s);
  return sut_.inject(s);
}

harness::Result<void> Lane::outbound(std::size_t i, const PacketSpec& spec) {
  const TimeSpec& time = program_.steps[i].time;
  const std::int64_t start = step_start(time);
  const std::int64_t deadline = step_end(time) + options_.tolerance_us;
  auto got = next_segment(deadline);
  if (!got) return tl::make_unexpected(got.error());
  if (!*got) {
    fail(i, fmt::format("no segment sent by {:.3f} s", static_cast<double>(deadline) / 1e6),
         {{"segment", fmt::format("{}", flags_to_notation(spec.flags)), "(none)"}});
    return {};
  }
  wire::Segment seg = std::move(**got);
  // A stack may split what the script writes as one segment (no TSO on our device): join
  // contiguous data segments until the script's length is reached.
  while (is_pure_data(seg) && seg.payload.size() < spec.payload_len) {
    auto more = next_segment(script_now_);
    if (!more) return tl::make_unexpected(more.error());
    if (!*more) break;
    const wire::Segment& m = **more;
    if (m.seq != seg.seq + wire::SeqLen{static_cast<std::uint32_t>(seg.payload.size())} ||
        m.flags.has(wire::Flag::kSyn) || m.flags.has(wire::Flag::kRst)) {
      queue_.push_front(**more);
      break;
    }
    seg.payload.insert(seg.payload.end(), m.payload.begin(), m.payload.end());
    seg.flags = seg.flags | m.flags;
    seg.ack = m.ack;
    seg.window = m.window;
    if (m.flags.has(wire::Flag::kFin)) break;
  }
  if (script_now_ < start) {
    script_now_ = start;
    anchor_ = Clock::now();
  }
  if (spec.flags.has(wire::Flag::kSyn) && seg.flags.has(wire::Flag::kSyn)) {
    stack_isn_ = seg.seq - wire::SeqLen{spec.seq};
    if (seg.sport != stack_port_ && seg.dport == options_.peer_port) stack_port_ = seg.sport;
  }
  if (const auto* ts = seg.find_option<wire::option::Timestamp>(); ts != nullptr && !ts_offset_) {
    for (const wire::Option& o : spec.options) {
      if (const auto* want = std::get_if<wire::option::Timestamp>(&o)) {
        ts_offset_ = static_cast<std::int64_t>(ts->val) - static_cast<std::int64_t>(want->val);
      }
    }
  }
  trace(TraceEntry::Kind::kOutbound, i, script_text(seg));
  auto diffs = compare(spec, seg);
  if (!diffs.empty()) fail(i, "outbound segment differs from the script", std::move(diffs));
  return {};
}

std::vector<FieldDiff> Lane::compare(const PacketSpec& spec, const wire::Segment& s) {
  std::vector<FieldDiff> diffs;
  if (spec.flags != s.flags) {
    diffs.push_back(
        {"tcp_flags", wire::flags_to_notation(spec.flags), wire::flags_to_notation(s.flags)});
  }
  if (stack_isn_) {
    const std::uint32_t rel = (s.seq - *stack_isn_).value;
    // A reset answering a segment without ACK carries SEQ=0 on the wire (R32), unrelated to
    // any ISN: the script writes it as 0.
    const bool absolute_rst_zero =
        s.flags.has(wire::Flag::kRst) && s.seq.value == 0 && spec.seq == 0;
    if (rel != spec.seq && !absolute_rst_zero)
      diffs.push_back({"tcp_seq", fmt::format("{}", spec.seq), fmt::format("{}", rel)});
  }
  if (s.payload.size() != spec.payload_len) {
    diffs.push_back(
        {"tcp_data_len", fmt::format("{}", spec.payload_len), fmt::format("{}", s.payload.size())});
  }
  if (spec.ack) {
    const std::uint32_t rel = (s.ack - options_.peer_isn).value;
    if (!s.flags.has(wire::Flag::kAck)) {
      diffs.push_back({"tcp_ack", fmt::format("{}", *spec.ack), "(no ACK bit)"});
    } else if (rel != *spec.ack) {
      diffs.push_back({"tcp_ack", fmt::format("{}", *spec.ack), fmt::format("{}", rel)});
    }
  }
  if (spec.window && *spec.window != s.window) {
    diffs.push_back({"tcp_window", fmt::format("{}", *spec.window), fmt::format("{}", s.window)});
  }
  if (spec.urgent && *spec.urgent != s.urgent) {
    diffs.push_back({"tcp_urg", fmt::format("{}", *spec.urgent), fmt::format("{}", s.urgent)});
  }
  if (!spec.any_options) {
    // Normalise the expectation: TSval is not compared (the stack's clock), SACK blocks are
    // relative to the peer's ISN, and an IPv4 script's MSS is 20 bytes smaller in IPv6.
    std::vector<wire::Option> want = spec.options;
    std::vector<wire::Option> got = s.options;
    for (std::size_t k = 0; k < want.size(); ++k) {
      if (auto* mss = std::get_if<wire::option::Mss>(&want[k]);
          mss != nullptr && options_.version == wire::IpVersion::kV6 &&
          program_.ip_version == wire::IpVersion::kV4 && mss->value > 20) {
        mss->value = static_cast<std::uint16_t>(mss->value - 20);
      } else if (auto* ts = std::get_if<wire::option::Timestamp>(&want[k])) {
        if (k < got.size()) {
          if (auto* gts = std::get_if<wire::option::Timestamp>(&got[k])) gts->val = ts->val;
        }
      } else if (auto* sack = std::get_if<wire::option::Sack>(&want[k])) {
        for (auto& b : sack->blocks) {
          b.left = options_.peer_isn + wire::SeqLen{b.left.value};
          b.right = options_.peer_isn + wire::SeqLen{b.right.value};
        }
      }
    }
    if (want != got)
      diffs.push_back({"tcp_options", describe_options(want), describe_options(got)});
  }
  return diffs;
}

harness::Result<void> Lane::expect_quiet(std::size_t i) {
  auto pulled = pull();
  if (!pulled) return pulled;
  if (!queue_.empty()) {
    fail(i, "the stack sent a segment where the script expects none",
         {{"segment", "(none)", script_text(queue_.front())}});
  }
  return {};
}

}  // namespace tcpconform::engine
