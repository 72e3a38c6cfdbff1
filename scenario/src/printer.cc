// Printing Programs back to packetdrill text (and `//@` lines for tcpconform's extensions).
#include <arpa/inet.h>
#include <fmt/format.h>

#include <cstring>
#include <string>

#include "parser.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::scenario {
namespace {

using engine::Expr;

std::string seconds(std::int64_t usecs) {
  const bool negative = usecs < 0;
  const auto u =
      negative ? 0 - static_cast<std::uint64_t>(usecs) : static_cast<std::uint64_t>(usecs);
  std::string out = fmt::format("{}{}", negative ? "-" : "", u / 1'000'000);
  const std::uint64_t frac = u % 1'000'000;
  if (frac != 0) {
    std::string digits = fmt::format("{:06}", frac);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::string duration(std::int64_t usecs) {
  if (usecs % 1'000'000 == 0) return fmt::format("{}s", usecs / 1'000'000);
  if (usecs % 1'000 == 0) return fmt::format("{}ms", usecs / 1'000);
  return fmt::format("{}us", usecs);
}

std::string address(const wire::IpAddress& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  const int af = a.version == wire::IpVersion::kV4 ? AF_INET : AF_INET6;
  if (inet_ntop(af, a.bytes.data(), buf, sizeof buf) == nullptr) return "?";
  return buf;
}

std::string endpoint(const wire::Endpoint& e) {
  if (e.address.version == wire::IpVersion::kV6) {
    return fmt::format("[{}]:{}", address(e.address), e.port);
  }
  return fmt::format("{}:{}", address(e.address), e.port);
}

std::string_view op_text(engine::CompareOp op) {
  switch (op) {
    case engine::CompareOp::kEq: return "==";
    case engine::CompareOp::kNe: return "!=";
    case engine::CompareOp::kLt: return "<";
    case engine::CompareOp::kLe: return "<=";
    case engine::CompareOp::kGt: return ">";
    case engine::CompareOp::kGe: return ">=";
  }
  return "==";
}

std::string print_syscall(const engine::SyscallSpec& spec) {
  const engine::SyscallSpec* s = &spec;
  engine::SyscallSpec synthesized;
  if (spec.name.empty() && spec.call) {
    synthesized = syscall_from_call(*spec.call, spec.expected);
    synthesized.expected_value = spec.expected_value;
    synthesized.errno_name = spec.errno_name;
    synthesized.note = spec.note;
    synthesized.any_result = spec.any_result;
    s = &synthesized;
  }
  std::string out = s->name + "(";
  for (std::size_t i = 0; i < s->args.size(); ++i) {
    if (i != 0) out += ", ";
    out += print_expr(s->args[i]);
  }
  out += ") = ";
  out += s->any_result ? std::string("...") : fmt::format("{}", s->expected.value);
  std::string name = s->errno_name;
  if (name.empty() && s->expected.error != 0)
    name = std::string(detail::errno_to_name(s->expected.error));
  if (!name.empty()) out += " " + name;
  if (!s->note.empty()) {
    out += " (" + s->note + ")";
  } else if (!name.empty()) {
    // packetdrill requires a note after an errno name.
    out += fmt::format(" ({})", detail::errno_description(s->expected.error));
  }
  return out;
}

std::string print_state(const engine::StateExpectation& s) {
  std::string out = "//@ state ";
  if (s.fd) {
    out += fmt::format("fd {}", *s.fd);
  } else if (s.tuple) {
    out += endpoint(s.tuple->local) + " > " + (s.listener ? "*" : endpoint(s.tuple->remote));
  } else {
    out += "fd -1";  // neither: not expressible; prints as an error to be seen
  }
  out += fmt::format(" {}", model::to_string(s.state));
  if (s.recv_q) out += fmt::format(" recvq {}", *s.recv_q);
  if (s.send_q) out += fmt::format(" sendq {}", *s.send_q);
  if (s.orphan) out += *s.orphan ? " orphan" : " owned";
  return out;
}

struct ActionPrinter {
  std::string operator()(const engine::PacketSpec& p) const {
    std::string out = p.direction == engine::Direction::kInbound ? "< " : "> ";
    out += print_flags(p.flags);
    out += fmt::format(" {}:{}({})", p.seq, static_cast<std::uint32_t>(p.seq + p.payload_len),
                       p.payload_len);
    if (p.ack) out += fmt::format(" ack {}", *p.ack);
    if (p.window) out += fmt::format(" win {}", *p.window);
    if (p.urgent) out += fmt::format(" urg {}", *p.urgent);
    const std::string opts = print_options(p);
    if (!opts.empty()) out += " " + opts;
    return out;
  }
  std::string operator()(const engine::SyscallSpec& s) const { return print_syscall(s); }
  std::string operator()(const engine::ShellCommand& c) const { return "`" + c.text + "`"; }
  std::string operator()(const engine::CodeBlock& c) const {
    if (!c.text.empty() || c.assertions.empty()) return "%{" + c.text + "}%";
    std::string out = "%{";
    for (const auto& a : c.assertions) {
      out +=
          fmt::format("\nassert {} {} {}", a.field, op_text(a.op),
                      a.state ? std::string(detail::linux_state_name(*a.state))
                              : (a.value_text.empty() ? fmt::format("{}", a.value) : a.value_text));
    }
    return out + "\n}%";
  }
  std::string operator()(const engine::StateExpectation& s) const { return print_state(s); }
  std::string operator()(const engine::QuietExpectation&) const { return "//@ quiet"; }
  std::string operator()(const engine::AdvanceTime& a) const {
    return "//@ advance " + duration(a.usecs);
  }
};

bool is_extension(const engine::Action& a) {
  return std::holds_alternative<engine::StateExpectation>(a) ||
         std::holds_alternative<engine::QuietExpectation>(a) ||
         std::holds_alternative<engine::AdvanceTime>(a);
}

}  // namespace

std::string print_time(const engine::TimeSpec& t) {
  std::string out;
  switch (t.kind) {
    case engine::TimeKind::kNone: return "";
    case engine::TimeKind::kAny: return "*";
    case engine::TimeKind::kAbsolute: out = seconds(t.usecs); break;
    case engine::TimeKind::kRelative: out = "+" + seconds(t.usecs); break;
    case engine::TimeKind::kAbsoluteRange: return seconds(t.usecs) + "~" + seconds(t.end_usecs);
    case engine::TimeKind::kRelativeRange:
      return "+" + seconds(t.usecs) + "~+" + seconds(t.end_usecs);
  }
  if (t.blocking_end_usecs) out += "..." + seconds(*t.blocking_end_usecs);
  return out;
}

std::string print_flags(wire::Flags flags) {
  std::string out;
  if (flags.has(wire::Flag::kSyn)) out += 'S';
  if (flags.has(wire::Flag::kFin)) out += 'F';
  if (flags.has(wire::Flag::kRst)) out += 'R';
  if (flags.has(wire::Flag::kPsh)) out += 'P';
  if (flags.has(wire::Flag::kUrg)) out += 'U';
  if (flags.has(wire::Flag::kEce)) out += 'E';
  if (flags.has(wire::Flag::kCwr)) out += 'W';
  if (flags.has(wire::Flag::kAck)) out += '.';
  return out.empty() ? "-" : out;
}

std::string print_options(const engine::PacketSpec& p) {
  if (p.any_options) return "<...>";
  std::string out;
  for (const wire::Option& o : p.options) {
    std::string one;
    if (std::holds_alternative<wire::option::Nop>(o)) {
      one = "nop";
    } else if (std::holds_alternative<wire::option::Eol>(o)) {
      one = "eol";
    } else if (std::holds_alternative<wire::option::SackPermitted>(o)) {
      one = "sackOK";
    } else if (const auto* mss = std::get_if<wire::option::Mss>(&o)) {
      one = fmt::format("mss {}", mss->value);
    } else if (const auto* ws = std::get_if<wire::option::WindowScale>(&o)) {
      one = fmt::format("wscale {}", ws->shift);
    } else if (const auto* ts = std::get_if<wire::option::Timestamp>(&o)) {
      one = fmt::format("TS val {} ecr {}", ts->val, ts->ecr);
    } else if (const auto* sack = std::get_if<wire::option::Sack>(&o)) {
      if (sack->blocks.empty()) continue;  // not expressible
      one = "sack";
      for (const auto& b : sack->blocks) one += fmt::format(" {}:{}", b.left.value, b.right.value);
    } else {
      continue;  // wire::option::Unknown has no packetdrill spelling
    }
    if (!out.empty()) out += ",";
    out += one;
  }
  return out.empty() ? out : "<" + out + ">";
}

std::string print_expr(const Expr& e) {
  auto join = [](const std::vector<Expr>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i != 0) out += ", ";
      out += print_expr(items[i]);
    }
    return out;
  };
  switch (e.kind) {
    case Expr::Kind::kEllipsis: return "...";
    case Expr::Kind::kInt:
      if (e.hex) {
        const auto magnitude = e.value < 0 ? 0 - static_cast<std::uint64_t>(e.value)
                                           : static_cast<std::uint64_t>(e.value);
        return fmt::format("{}0x{:x}", e.value < 0 ? "-" : "", magnitude);
      }
      return fmt::format("{}", e.value);
    case Expr::Kind::kWord: return e.text;
    case Expr::Kind::kString: return "\"" + e.text + "\"";
    case Expr::Kind::kList: return "[" + join(e.children) + "]";
    case Expr::Kind::kBraces: return "{" + join(e.children) + "}";
    case Expr::Kind::kCall: return e.text + "(" + join(e.children) + ")";
    case Expr::Kind::kAssign:
      if (e.children.size() == 2)
        return print_expr(e.children[0]) + "=" + print_expr(e.children[1]);
      return e.text + "=" + (e.children.empty() ? std::string("...") : print_expr(e.children[0]));
    case Expr::Kind::kOr: {
      std::string out;
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        if (i != 0) out += "|";
        out += print_expr(e.children[i]);
      }
      return out;
    }
  }
  return "...";
}

std::string print_step(const engine::Step& step) {
  if (const auto* call = std::get_if<engine::SyscallSpec>(&step.action);
      call != nullptr && call->name.empty() &&
      (!call->call || call->call->kind == model::CallKind::kExitProcess)) {
    return fmt::format("// (process {} exits: no packetdrill equivalent)",
                       call->call ? call->call->process : 0);
  }
  const std::string action = std::visit(ActionPrinter{}, step.action);
  if (is_extension(step.action)) return action;
  const std::string time = print_time(step.time);
  if (time.empty()) return action;
  return time + " " + action;
}

std::string print(const engine::Program& program) {
  std::string out;
  for (const auto& o : program.options) {
    out += "--" + o.name;
    if (o.value) out += "=" + *o.value;
    out += "\n";
  }
  if (!program.options.empty()) out += "\n";
  for (const auto& step : program.steps) {
    out += print_step(step);
    out += "\n";
  }
  return out;
}

}  // namespace tcpconform::scenario
