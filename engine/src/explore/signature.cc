// Event classes of steps and divergence signatures.
#include "tcpconform/engine/explore/signature.h"

#include <fmt/core.h>

#include <array>
#include <cctype>
#include <functional>
#include <sstream>

namespace tcpconform::engine::explore {
namespace {

constexpr std::array<std::string_view, kEventClassCount> kNames = {
    "SYN",      "SYN-ACK", "RST",   "FIN",     "data",   "ACK",    "no-flags", "send", "recv",
    "shutdown", "close",   "abort", "connect", "accept", "listen", "call",     "timer"};

EventClass segment_class(const PacketSpec& p) {
  if (p.flags.has(wire::Flag::kRst)) return EventClass::kRst;
  if (p.flags.has(wire::Flag::kSyn)) {
    return p.flags.has(wire::Flag::kAck) ? EventClass::kSynAck : EventClass::kSyn;
  }
  if (p.flags.has(wire::Flag::kFin)) return EventClass::kFin;
  if (p.payload_len > 0) return EventClass::kData;
  if (p.flags.has(wire::Flag::kAck)) return EventClass::kAck;
  return EventClass::kNoFlags;
}

// Whether an earlier step set SO_LINGER {1, 0} on `fd` (a close() then aborts).
bool lingers_zero(const Program& program, std::size_t i, int fd) {
  for (std::size_t k = i; k-- > 0;) {
    const auto* s = std::get_if<SyscallSpec>(&program.steps[k].action);
    if (s == nullptr || !s->call || s->call->fd != fd) continue;
    if (s->call->kind == model::CallKind::kClose) return false;
    if (s->call->kind == model::CallKind::kSetSockOpt &&
        s->call->option == model::SockOpt::kSoLinger) {
      return s->call->linger_on && s->call->value == 0;
    }
  }
  return false;
}

EventClass call_class(const Program& program, std::size_t i, const model::SocketCall& c) {
  switch (c.kind) {
    case model::CallKind::kSend: return EventClass::kSend;
    case model::CallKind::kRecv: return EventClass::kRecv;
    case model::CallKind::kShutdown: return EventClass::kShutdown;
    case model::CallKind::kClose:
      return lingers_zero(program, i, c.fd) ? EventClass::kAbort : EventClass::kClose;
    case model::CallKind::kConnect: return EventClass::kConnect;
    case model::CallKind::kAccept: return EventClass::kAccept;
    case model::CallKind::kListen: return EventClass::kListen;
    case model::CallKind::kExitProcess: return EventClass::kClose;
    case model::CallKind::kSocket:
    case model::CallKind::kBind:
    case model::CallKind::kSetSockOpt:
    case model::CallKind::kGetSockOpt:
    case model::CallKind::kSetNonBlocking: return EventClass::kOtherCall;
  }
  return EventClass::kOtherCall;
}

// The words of one side of a state difference: "(none)" or "STATE recvq N sendq M [orphan]"
// (the runner's description, runner.cc compare_observations()).
struct Described {
  bool present = false;
  std::string state;
  std::string recv_q;
  std::string send_q;
  bool orphan = false;
};

Described describe(const std::string& text) {
  Described d;
  if (text == "(none)") return d;
  d.present = true;
  std::istringstream in(text);
  std::string word;
  in >> d.state;
  while (in >> word) {
    if (word == "recvq") in >> d.recv_q;
    if (word == "sendq") in >> d.send_q;
    if (word == "orphan") d.orphan = true;
  }
  return d;
}

}  // namespace

std::string_view to_string(EventClass c) {
  return kNames[static_cast<std::size_t>(c)];
}

std::optional<EventClass> event_class_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == text) return static_cast<EventClass>(i);
  }
  return std::nullopt;
}

std::optional<EventClass> event_class(const Program& program, std::size_t i) {
  const Action& a = program.steps[i].action;
  if (const auto* p = std::get_if<PacketSpec>(&a)) {
    if (p->direction != Direction::kInbound) return std::nullopt;
    return segment_class(*p);
  }
  if (const auto* s = std::get_if<SyscallSpec>(&a)) {
    if (!s->call) return EventClass::kOtherCall;
    return call_class(program, i, *s->call);
  }
  if (std::holds_alternative<AdvanceTime>(a)) return EventClass::kTimer;
  return std::nullopt;
}

std::string Signature::text() const {
  std::string out = fmt::format("{} / {} / {}", model::to_string(state), to_string(event), field);
  if (!deviations.empty()) out += fmt::format(" / linux: {}", deviations);
  return out;
}

std::string slugify(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) != 0 ? static_cast<char>(std::tolower(u)) : '-';
  }
  return out;
}

std::string Signature::slug() const {
  std::string text = fmt::format("{}-{}-{}", model::to_string(state), to_string(event), field);
  if (!deviations.empty()) text += "--" + deviations;
  std::string out = slugify(text);
  // A long list of deviations must still make a file name.
  if (out.size() > 160)
    out = fmt::format("{}-{:016x}", out.substr(0, 140), std::hash<std::string>{}(out));
  return out;
}

Signature Signature::bare() const {
  Signature s = *this;
  s.deviations.clear();
  return s;
}

std::string first_field(const std::vector<FieldDiff>& diffs) {
  if (diffs.empty()) return "none";
  const FieldDiff& d = diffs.front();
  if (d.field.starts_with("call ")) {
    return d.expected.starts_with("-1 ") && d.actual.starts_with("-1 ") ? "call.errno"
                                                                        : "call.return";
  }
  const std::string prefix = d.field.ends_with("> *") ? "listener." : "";
  const Described model = describe(d.expected);
  const Described stack = describe(d.actual);
  if (!model.present || !stack.present || model.state != stack.state) return prefix + "state";
  if (model.recv_q != stack.recv_q) return prefix + "recv_q";
  if (model.send_q != stack.send_q) return prefix + "send_q";
  if (model.orphan != stack.orphan) return prefix + "orphan";
  return prefix + "other";
}

std::optional<Signature> signature_of(const Program& program, const ScenarioResult& result,
                                      const std::vector<model::State>& states) {
  if (!result.divergence) return std::nullopt;
  const std::size_t step = result.divergence->step;
  Signature sig;
  sig.state = step < states.size() ? states[step] : model::State::kClosed;
  sig.event = event_class(program, step).value_or(EventClass::kOtherCall);
  sig.field = first_field(result.divergence->diffs);
  return sig;
}

}  // namespace tcpconform::engine::explore
