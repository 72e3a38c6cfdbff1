// Lane: the clock, step dispatch and bookkeeping of one system under test playing a Program.
#include "tcpconform/engine/lane.h"

#include <fmt/core.h>

#include <algorithm>
#include <thread>
#include <type_traits>
#include <utility>

namespace tcpconform::engine {

Lane::Lane(harness::ModelSut& model, const Program& program, LaneOptions options)
    : Lane(static_cast<harness::SystemUnderTest&>(model), program, options) {
  model_ = &model;
}

Lane::Lane(harness::SystemUnderTest& sut, const Program& program, LaneOptions options)
    : sut_(sut),
      program_(program),
      options_(options),
      addresses_(sut.addresses(options.version)),
      anchor_(std::chrono::steady_clock::now()),
      stack_port_(options.stack_port),
      open_results_(program.steps.size()) {
  result_.sut = sut.name();
  virtual_time_ = sut.virtual_time();
  if (program.tolerance_usecs && *program.tolerance_usecs > options_.tolerance_us) {
    options_.tolerance_us = *program.tolerance_usecs;
  }
}

harness::Result<void> Lane::start() {
  anchor_ = std::chrono::steady_clock::now();
  if (!program_.settings.empty()) {
    harness::Settings settings;
    for (const auto& [key, value] : program_.settings) {
      if (key == "net/ipv4/tcp_congestion_control") {
        // A namespace may only pick an allowed algorithm, and congestion control does not
        // change connection state: the namespace's own (cubic by default) is kept.
        result_.notes.push_back(fmt::format("setting kept at the namespace's default: {}", key));
        continue;
      }
      settings.emplace(key, value);
    }
    auto configured = sut_.configure(settings);
    if (!configured) return configured;
  }
  for (const Step& step : program_.steps) {
    if (const auto* shell = std::get_if<ShellCommand>(&step.action)) {
      for (const std::string& part : shell->unsupported) {
        result_.notes.push_back(fmt::format("{}:{}: shell command not run: {}", step.where.file,
                                            step.where.line, part));
      }
    } else if (const auto* block = std::get_if<CodeBlock>(&step.action)) {
      for (const std::string& line : block->unsupported) {
        result_.notes.push_back(
            fmt::format("{}:{}: code not run: {}", step.where.file, step.where.line, line));
      }
    }
  }
  if (model_ != nullptr && !program_.settings.empty()) {
    for (const std::string& key : model_->ignored_settings()) {
      result_.notes.push_back(fmt::format("setting not modelled: {}", key));
    }
  }
  return {};
}

std::int64_t Lane::step_start(const TimeSpec& t) const {
  switch (t.kind) {
    case TimeKind::kAbsolute:
    case TimeKind::kAbsoluteRange: return t.usecs;
    case TimeKind::kRelative:
    case TimeKind::kRelativeRange: return script_now_ + t.usecs;
    case TimeKind::kAny:
    case TimeKind::kNone: return script_now_;
  }
  return script_now_;
}

std::int64_t Lane::step_end(const TimeSpec& t) const {
  switch (t.kind) {
    case TimeKind::kAbsoluteRange: return t.end_usecs;
    case TimeKind::kRelativeRange: return script_now_ + t.end_usecs;
    case TimeKind::kAny: return std::numeric_limits<std::int64_t>::max() / 4;
    case TimeKind::kAbsolute:
    case TimeKind::kRelative:
    case TimeKind::kNone: return step_start(t);
  }
  return step_start(t);
}

harness::Result<bool> Lane::reach(std::size_t i, bool wait) {
  const Step& step = program_.steps[i];
  // An outbound expectation waits for its segment itself (see outbound()).
  if (const auto* p = std::get_if<PacketSpec>(&step.action);
      p != nullptr && p->direction == Direction::kOutbound) {
    return false;
  }
  const std::int64_t target = step_start(step.time);
  if (target <= script_now_) return false;
  const std::int64_t gap = target - script_now_;
  bool happened = false;
  if (virtual_time_) {
    const std::size_t before = model_ != nullptr ? model_->state_changes().size() : 0;
    auto advanced = sut_.advance(harness::Duration{gap});
    if (!advanced) return tl::make_unexpected(advanced.error());
    auto pulled = pull();
    if (!pulled) return tl::make_unexpected(pulled.error());
    happened = !queue_.empty() || (model_ != nullptr && model_->state_changes().size() != before);
  } else if (wait) {
    const auto until = anchor_ + std::chrono::microseconds{gap};
    const auto now = std::chrono::steady_clock::now();
    if (until > now) {
      std::this_thread::sleep_until(until);
      result_.waited_us +=
          std::chrono::duration_cast<std::chrono::microseconds>(until - now).count();
    }
  }
  script_now_ = target;
  anchor_ = std::chrono::steady_clock::now();
  return happened;
}

harness::Result<void> Lane::execute(std::size_t i) {
  if (failed()) return {};
  const Step& step = program_.steps[i];
  harness::Result<void> done = std::visit(
      [&](const auto& action) -> harness::Result<void> {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, PacketSpec>) {
          return action.direction == Direction::kInbound ? inbound(i, action) : outbound(i, action);
        } else if constexpr (std::is_same_v<T, SyscallSpec>) {
          return syscall(i, action);
        } else if constexpr (std::is_same_v<T, ShellCommand>) {
          return {};  // settings were applied by start(); nothing is ever run
        } else if constexpr (std::is_same_v<T, CodeBlock>) {
          return code_block(i, action);
        } else if constexpr (std::is_same_v<T, StateExpectation>) {
          return state_expectation(i, action);
        } else if constexpr (std::is_same_v<T, QuietExpectation>) {
          return expect_quiet(i);
        } else {
          static_assert(std::is_same_v<T, AdvanceTime>);
          return advance_time(i, action);
        }
      },
      step.action);
  if (!done) return done;
  if (failed()) return {};
  return retry_pending();
}

harness::Result<void> Lane::finish() {
  if (failed()) return {};
  auto pulled = pull();
  if (!pulled) return pulled;
  if (!pending_.empty()) {
    const PendingCall& p = pending_.front();
    fail(p.step, "blocking call never returned");
    return {};
  }
  result_.passed = true;
  return {};
}

void Lane::fail(std::size_t i, std::string what, std::vector<FieldDiff> diffs) {
  if (failed()) return;
  Mismatch m;
  m.step = i;
  if (i < program_.steps.size()) m.where = program_.steps[i].where;
  m.what = std::move(what);
  m.diffs = std::move(diffs);
  result_.mismatch = std::move(m);
  result_.passed = false;
}

void Lane::trace(TraceEntry::Kind kind, std::size_t i, std::string text) {
  result_.trace.push_back(TraceEntry{kind, i, script_now_, std::move(text)});
}

harness::Result<void> Lane::advance_time(std::size_t i, const AdvanceTime& a) {
  if (virtual_time_) {
    auto advanced = sut_.advance(harness::Duration{a.usecs});
    if (!advanced) return advanced;
  } else {
    const auto until = anchor_ + std::chrono::microseconds{a.usecs};
    std::this_thread::sleep_until(until);
    result_.waited_us += a.usecs;
  }
  script_now_ += a.usecs;
  anchor_ = std::chrono::steady_clock::now();
  trace(TraceEntry::Kind::kNote, i,
        fmt::format("time advances {:.3f} s", static_cast<double>(a.usecs) / 1e6));
  return {};
}

harness::Result<std::vector<model::ConnectionObservation>> Lane::observe_script_space() {
  auto seen = sut_.observe();
  if (!seen) return tl::make_unexpected(seen.error());
  std::vector<model::ConnectionObservation> mine;
  for (model::ConnectionObservation o : *seen) {
    const bool to_peer = o.tuple.remote.port == options_.peer_port;
    if (o.tuple.local.port != stack_port_ && !to_peer) continue;
    // The stack's side of an active open has an ephemeral port of the stack's choosing.
    o.tuple.local.port = kScriptStackPort;
    if (to_peer) o.tuple.remote.port = kScriptPeerPort;
    mine.push_back(o);
  }
  std::sort(mine.begin(), mine.end(),
            [](const auto& a, const auto& b) { return a.tuple < b.tuple; });
  return mine;
}

wire::IpAddress Lane::script_address(const wire::IpAddress& a) const {
  // Scripts name the stack 192.0.2.1 and the peer 192.0.2.2; an IPv6 lane maps them.
  if (a == wire::IpAddress::v4(192, 0, 2, 1)) return addresses_.local;
  if (a == wire::IpAddress::v4(192, 0, 2, 2)) return addresses_.peer;
  return a;
}

}  // namespace tcpconform::engine
