// Building a system call's packetdrill text from a model::SocketCall (for generated programs).
#include <arpa/inet.h>
#include <fmt/format.h>

#include "parser.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::scenario {
namespace {

using engine::Expr;
using Kind = engine::Expr::Kind;

Expr ellipsis() {
  return Expr{};
}
Expr integer(std::int64_t v) {
  Expr e;
  e.kind = Kind::kInt;
  e.value = v;
  return e;
}
Expr word(std::string_view w) {
  Expr e;
  e.kind = Kind::kWord;
  e.text = std::string(w);
  return e;
}
Expr assign(std::string_view name, Expr value) {
  Expr e;
  e.kind = Kind::kAssign;
  e.text = std::string(name);
  e.children.push_back(std::move(value));
  return e;
}
Expr call(std::string_view name, Expr arg) {
  Expr e;
  e.kind = Kind::kCall;
  e.text = std::string(name);
  e.children.push_back(std::move(arg));
  return e;
}
Expr list(Expr item) {
  Expr e;
  e.kind = Kind::kList;
  e.children.push_back(std::move(item));
  return e;
}
Expr braces(std::vector<Expr> items) {
  Expr e;
  e.kind = Kind::kBraces;
  e.children = std::move(items);
  return e;
}

Expr sockaddr(const wire::Endpoint& ep) {
  if (ep == wire::Endpoint{}) return ellipsis();
  char buf[INET6_ADDRSTRLEN] = {};
  const bool v4 = ep.address.version == wire::IpVersion::kV4;
  if (inet_ntop(v4 ? AF_INET : AF_INET6, ep.address.bytes.data(), buf, sizeof buf) == nullptr) {
    return ellipsis();
  }
  Expr addr;
  addr.kind = Kind::kString;
  addr.text = buf;
  return braces({assign("sa_family", word(v4 ? "AF_INET" : "AF_INET6")),
                 assign("sin_port", call("htons", integer(ep.port))),
                 assign("sin_addr", call(v4 ? "inet_addr" : "inet6_addr", std::move(addr)))});
}

struct OptName {
  model::SockOpt opt;
  std::string_view level;
  std::string_view name;
};
constexpr OptName kOptNames[] = {
    {model::SockOpt::kSoReuseAddr, "SOL_SOCKET", "SO_REUSEADDR"},
    {model::SockOpt::kSoLinger, "SOL_SOCKET", "SO_LINGER"},
    {model::SockOpt::kSoError, "SOL_SOCKET", "SO_ERROR"},
    {model::SockOpt::kSoRcvBuf, "SOL_SOCKET", "SO_RCVBUF"},
    {model::SockOpt::kSoSndBuf, "SOL_SOCKET", "SO_SNDBUF"},
    {model::SockOpt::kTcpNodelay, "SOL_TCP", "TCP_NODELAY"},
    {model::SockOpt::kTcpUserTimeout, "SOL_TCP", "TCP_USER_TIMEOUT"},
    {model::SockOpt::kTcpLinger2, "SOL_TCP", "TCP_LINGER2"},
    {model::SockOpt::kTcpMaxSeg, "SOL_TCP", "TCP_MAXSEG"},
};

}  // namespace

engine::SyscallSpec syscall_from_call(const model::SocketCall& c, const model::CallResult& expected,
                                      std::optional<std::int64_t> expected_value) {
  engine::SyscallSpec s;
  std::vector<Expr>& a = s.args;
  const Expr fd = integer(c.fd);
  switch (c.kind) {
    case model::CallKind::kSocket:
      s.name = "socket";
      a = {c.family == wire::IpVersion::kV6 ? word("AF_INET6") : ellipsis(), word("SOCK_STREAM"),
           word("IPPROTO_TCP")};
      break;
    case model::CallKind::kBind:
    case model::CallKind::kConnect:
      s.name = c.kind == model::CallKind::kBind ? "bind" : "connect";
      a = {fd, sockaddr(c.address), ellipsis()};
      break;
    case model::CallKind::kListen:
      s.name = "listen";
      a = {fd, integer(c.backlog)};
      break;
    case model::CallKind::kAccept:
      s.name = "accept";
      a = {fd, ellipsis(), ellipsis()};
      break;
    case model::CallKind::kSend:
      s.name = "write";
      a = {fd, ellipsis(), integer(c.length)};
      break;
    case model::CallKind::kRecv:
      s.name = "read";
      a = {fd, ellipsis(), integer(c.length)};
      break;
    case model::CallKind::kShutdown:
      s.name = "shutdown";
      a = {fd, word(c.how == model::ShutdownHow::kRead    ? "SHUT_RD"
                    : c.how == model::ShutdownHow::kWrite ? "SHUT_WR"
                                                          : "SHUT_RDWR")};
      break;
    case model::CallKind::kClose:
      s.name = "close";
      a = {fd};
      break;
    case model::CallKind::kSetNonBlocking: {
      s.name = "fcntl";
      Expr flags = word("O_RDWR");
      if (c.value != 0) {
        Expr both;
        both.kind = Kind::kOr;
        both.children = {word("O_RDWR"), word("O_NONBLOCK")};
        flags = std::move(both);
      }
      a = {fd, word("F_SETFL"), std::move(flags)};
      break;
    }
    case model::CallKind::kSetSockOpt:
    case model::CallKind::kGetSockOpt: {
      const bool set = c.kind == model::CallKind::kSetSockOpt;
      s.name = set ? "setsockopt" : "getsockopt";
      const OptName* name = &kOptNames[0];
      for (const OptName& n : kOptNames) {
        if (n.opt == c.option) name = &n;
      }
      Expr value;
      if (c.option == model::SockOpt::kSoLinger) {
        const bool on = set ? c.linger_on : expected.linger_on;
        const std::optional<std::int64_t> secs = set ? std::optional(c.value) : expected_value;
        value = secs ? braces({assign("l_onoff", integer(on ? 1 : 0)),
                               assign("l_linger", integer(*secs))})
                     : list(ellipsis());
      } else {
        const std::optional<std::int64_t> v = set ? std::optional(c.value) : expected_value;
        value = v ? list(integer(*v)) : list(ellipsis());
      }
      const bool linger = c.option == model::SockOpt::kSoLinger;
      a = {fd, word(name->level), word(name->name), std::move(value),
           set ? integer(linger ? 8 : 4) : list(integer(linger ? 8 : 4))};
      break;
    }
    case model::CallKind::kExitProcess: break;
  }
  s.expected = expected;
  if (expected.error != 0) {
    s.errno_name = std::string(detail::errno_to_name(expected.error));
    if (!s.errno_name.empty()) s.note = detail::errno_description(expected.error);
  }
  if (!s.name.empty()) {
    detail::map_syscall(s);
  } else {
    s.call = c;
  }
  return s;
}

}  // namespace tcpconform::scenario
