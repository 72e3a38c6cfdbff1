// Lane: socket calls (blocking ones completed as later steps let them), assertions on state.
#include <fmt/core.h>

#include <algorithm>
#include <cerrno>

#include "tcpconform/engine/lane.h"

namespace tcpconform::engine {
namespace {

std::string call_text(const SyscallSpec& spec, const model::CallResult& got) {
  return fmt::format("{}({}) = {}", spec.name, spec.fd >= 0 ? fmt::format("{}", spec.fd) : "",
                     call_result_text(got));
}

// Whether a result means "a blocking call would still be waiting".
bool would_block(const model::SocketCall& call, const model::CallResult& got) {
  if (got.value != -1) return false;
  switch (call.kind) {
    case model::CallKind::kConnect: return got.error == EINPROGRESS || got.error == EALREADY;
    case model::CallKind::kAccept:
    case model::CallKind::kRecv:
    case model::CallKind::kSend: return got.error == EAGAIN;
    case model::CallKind::kSocket:
    case model::CallKind::kBind:
    case model::CallKind::kListen:
    case model::CallKind::kShutdown:
    case model::CallKind::kClose:
    case model::CallKind::kSetSockOpt:
    case model::CallKind::kGetSockOpt:
    case model::CallKind::kSetNonBlocking:
    case model::CallKind::kExitProcess: return false;
  }
  return false;
}

bool compare_op(CompareOp op, std::int64_t a, std::int64_t b) {
  switch (op) {
    case CompareOp::kEq: return a == b;
    case CompareOp::kNe: return a != b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLe: return a <= b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGe: return a >= b;
  }
  return false;
}

}  // namespace

model::SocketCall Lane::to_wire_call(const SyscallSpec& spec) const {
  model::SocketCall call = *spec.call;
  switch (call.kind) {
    case model::CallKind::kSocket:
      if (!spec.address_given) call.family = options_.version;
      break;
    case model::CallKind::kBind:
      if (spec.address_given) {
        call.address.address = script_address(call.address.address);
        if (call.address.port == kScriptStackPort) call.address.port = stack_port_;
      } else {
        call.address = wire::Endpoint{addresses_.local, stack_port_};
      }
      break;
    case model::CallKind::kConnect:
      if (spec.address_given) {
        call.address.address = script_address(call.address.address);
        if (call.address.port == kScriptPeerPort || call.address.port == kScriptStackPort) {
          call.address.port = options_.peer_port;
        }
      } else {
        call.address = wire::Endpoint{addresses_.peer, options_.peer_port};
      }
      break;
    case model::CallKind::kListen:
    case model::CallKind::kAccept:
    case model::CallKind::kSend:
    case model::CallKind::kRecv:
    case model::CallKind::kShutdown:
    case model::CallKind::kClose:
    case model::CallKind::kSetSockOpt:
    case model::CallKind::kGetSockOpt:
    case model::CallKind::kSetNonBlocking:
    case model::CallKind::kExitProcess: break;
  }
  return call;
}

std::string call_result_text(const model::CallResult& r) {
  if (r.value == -1 && r.error != 0) return fmt::format("-1 {}", model::errno_name(r.error));
  return fmt::format("{}", r.value);
}

harness::Result<void> Lane::syscall(std::size_t i, const SyscallSpec& spec) {
  // As in packetdrill, a segment the stack sent meanwhile is matched by the script's next
  // outbound line, not judged here (`//@ quiet` asserts that nothing was sent).
  auto pulled = pull();
  if (!pulled) return pulled;
  if (spec.probe != QueueProbe::kNone) {
    auto seen = sut_.observe();
    if (!seen) return tl::make_unexpected(seen.error());
    const auto it =
        std::find_if(seen->begin(), seen->end(), [&](const auto& o) { return o.fd == spec.fd; });
    const std::int64_t got =
        it == seen->end() ? 0 : (spec.probe == QueueProbe::kInq ? it->recv_q : it->send_q);
    trace(TraceEntry::Kind::kCall, i, fmt::format("{}({}) -> {}", spec.name, spec.fd, got));
    if (spec.expected_value && *spec.expected_value != got) {
      fail(i, "queue length differs",
           {{spec.probe == QueueProbe::kInq ? "SIOCINQ" : "SIOCOUTQ",
             fmt::format("{}", *spec.expected_value), fmt::format("{}", got)}});
    }
    return {};
  }
  if (!spec.call) {
    result_.notes.push_back(fmt::format("{}:{}: call not supported, skipped: {}",
                                        spec.name.empty() ? "?" : spec.name,
                                        program_.steps[i].where.line, spec.name));
    trace(TraceEntry::Kind::kNote, i, fmt::format("skipped {}(...)", spec.name));
    return {};
  }
  const model::SocketCall call = to_wire_call(spec);
  // Blocking is the engine's to emulate (calls that would block wait for later steps): the
  // stack's descriptors stay non-blocking, or a blocking call would stall the whole run.
  model::SocketCall sent = call;
  if (sent.kind == model::CallKind::kSetNonBlocking) sent.value = 1;
  auto got = sut_.call(sent);
  if (!got) return tl::make_unexpected(got.error());
  if (call.kind == model::CallKind::kSetNonBlocking && got->error == 0) {
    if (call.value != 0) {
      nonblocking_fds_.push_back(call.fd);
    } else {
      std::erase(nonblocking_fds_, call.fd);
    }
  }
  const bool blocking = std::find(nonblocking_fds_.begin(), nonblocking_fds_.end(), call.fd) ==
                        nonblocking_fds_.end();
  // A blocking call that would block waits for later steps, unless the script expects exactly
  // that would-block result.
  const bool expects_this = spec.expected.value == -1 && spec.expected.error == got->error;
  if (blocking && !spec.any_result && !expects_this && would_block(call, *got)) {
    trace(TraceEntry::Kind::kCall, i, fmt::format("{}({}) blocks", spec.name, call.fd));
    pending_.push_back(PendingCall{i, call});
    return {};
  }
  check_call(i, spec, call, *got);
  return {};
}

void Lane::check_call(std::size_t i, const SyscallSpec& spec, const model::SocketCall& call,
                      const model::CallResult& got) {
  trace(TraceEntry::Kind::kCall, i, call_text(spec, got));
  if (call.kind == model::CallKind::kSocket || call.kind == model::CallKind::kAccept) {
    if (got.value >= 0) last_fd_ = static_cast<int>(got.value);
  } else if (call.fd >= 0) {
    last_fd_ = call.fd;
  }
  if (spec.any_result) {
    open_results_[i] = got;
    return;
  }
  std::vector<FieldDiff> diffs;
  if (call.kind == model::CallKind::kGetSockOpt) {
    // The call returns 0; CallResult::value carries the option's value.
    if (spec.expected.value == -1 || got.value == -1) {
      if (spec.expected.value != got.value || spec.expected.error != got.error) {
        diffs.push_back({"return", call_result_text(spec.expected), call_result_text(got)});
      }
    } else if (spec.expected_value && *spec.expected_value != got.value) {
      diffs.push_back(
          {"optval", fmt::format("{}", *spec.expected_value), fmt::format("{}", got.value)});
    }
  } else if (spec.expected.value != got.value ||
             (spec.expected.value == -1 && spec.expected.error != got.error)) {
    diffs.push_back({"return", call_result_text(spec.expected), call_result_text(got)});
  }
  if (!diffs.empty())
    fail(i, fmt::format("{}() returned differently", spec.name), std::move(diffs));
}

harness::Result<void> Lane::retry_pending() {
  for (std::size_t k = 0; k < pending_.size() && !failed();) {
    const PendingCall p = pending_[k];
    auto got = sut_.call(p.call);
    if (!got) return tl::make_unexpected(got.error());
    if (would_block(p.call, *got)) {
      ++k;
      continue;
    }
    model::CallResult final_result = *got;
    // A completed blocking connect(): the retry reports EISCONN (or 0) once connected.
    if (p.call.kind == model::CallKind::kConnect && got->value == -1 && got->error == EISCONN) {
      final_result = model::CallResult::ok(0);
    }
    const auto& spec = std::get<SyscallSpec>(program_.steps[p.step].action);
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(k));
    check_call(p.step, spec, p.call, final_result);
  }
  return {};
}

harness::Result<void> Lane::code_block(std::size_t i, const CodeBlock& block) {
  if (block.assertions.empty()) return {};
  auto seen = sut_.observe();
  if (!seen) return tl::make_unexpected(seen.error());
  const auto it =
      std::find_if(seen->begin(), seen->end(), [&](const auto& o) { return o.fd == last_fd_; });
  const model::State state = it == seen->end() ? model::State::kClosed : it->state;
  for (const TcpInfoAssertion& a : block.assertions) {
    if (a.field != "tcpi_state" || !a.state) {
      result_.notes.push_back(fmt::format("line {}: assertion on {} not checked",
                                          program_.steps[i].where.line, a.field));
      continue;
    }
    trace(TraceEntry::Kind::kState, i,
          fmt::format("fd {} is {}", last_fd_, model::to_string(state)));
    const bool holds = compare_op(a.op, static_cast<int>(state), static_cast<int>(*a.state));
    if (!holds) {
      fail(i, "tcpi_state assertion failed",
           {{"tcpi_state", std::string(model::to_string(*a.state)),
             std::string(model::to_string(state))}});
      return {};
    }
  }
  return {};
}

harness::Result<void> Lane::state_expectation(std::size_t i, const StateExpectation& expect) {
  auto seen = observe_script_space();
  if (!seen) return tl::make_unexpected(seen.error());
  const model::ConnectionObservation* found = nullptr;
  std::string who;
  if (expect.fd) {
    who = fmt::format("fd {}", *expect.fd);
    for (const auto& o : *seen) {
      if (o.fd == expect.fd) found = &o;
    }
  } else if (expect.tuple) {
    wire::FourTuple t = *expect.tuple;
    t.local.address = script_address(t.local.address);
    t.remote.address = expect.listener ? wire::IpAddress{} : script_address(t.remote.address);
    if (expect.listener) t.remote.port = 0;
    who = fmt::format("{} > {}", expect.tuple->local.to_string(),
                      expect.listener ? "*" : expect.tuple->remote.to_string());
    for (const auto& o : *seen) {
      const bool same_remote =
          expect.listener ? o.state == model::State::kListen : o.tuple.remote == t.remote;
      if (o.tuple.local.port == t.local.port && same_remote &&
          (expect.listener || o.tuple.local.address == t.local.address)) {
        found = &o;
      }
    }
  }
  const model::State state = found == nullptr ? model::State::kClosed : found->state;
  trace(TraceEntry::Kind::kState, i,
        found == nullptr
            ? fmt::format("{}: no such connection", who)
            : fmt::format("{}: {} recvq {} sendq {}{}", who, model::to_string(state), found->recv_q,
                          found->send_q, found->orphan ? " orphan" : ""));
  std::vector<FieldDiff> diffs;
  if (state != expect.state) {
    diffs.push_back({"state", std::string(model::to_string(expect.state)),
                     std::string(model::to_string(state))});
  }
  if (found != nullptr) {
    if (expect.recv_q && *expect.recv_q != found->recv_q) {
      diffs.push_back(
          {"recv_q", fmt::format("{}", *expect.recv_q), fmt::format("{}", found->recv_q)});
    }
    if (expect.send_q && *expect.send_q != found->send_q) {
      diffs.push_back(
          {"send_q", fmt::format("{}", *expect.send_q), fmt::format("{}", found->send_q)});
    }
    if (expect.orphan && *expect.orphan != found->orphan) {
      diffs.push_back({"orphan", *expect.orphan ? "yes" : "no", found->orphan ? "yes" : "no"});
    }
  }
  if (!diffs.empty())
    fail(i, fmt::format("{} is not as the script expects", who), std::move(diffs));
  return {};
}

}  // namespace tcpconform::engine
