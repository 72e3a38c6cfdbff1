// Maps system calls as written onto model::SocketCall; what has no equivalent stays unmapped.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>

#include "parser.h"

namespace tcpconform::scenario::detail {
namespace {

using engine::Expr;
using Kind = engine::Expr::Kind;

// System calls packetdrill's grammar accepts (run_system_call.c); the others are errors.
constexpr std::array<std::string_view, 34> kKnownSyscalls{
    "socket", "bind",       "listen",     "accept",      "accept4",      "connect",   "read",
    "readv",  "recv",       "recvfrom",   "recvmsg",     "write",        "writev",    "send",
    "sendto", "sendmsg",    "sendfile",   "splice",      "close",        "shutdown",  "fcntl",
    "ioctl",  "setsockopt", "getsockopt", "poll",        "epoll_create", "epoll_ctl", "epoll_wait",
    "open",   "pipe",       "socketpair", "getsockname", "getpeername",  "signal"};

std::optional<std::int64_t> as_int(const Expr& e) {
  if (e.kind == Kind::kInt) return e.value;
  return std::nullopt;
}

std::optional<int> as_fd(const Expr& e) {
  const auto v = as_int(e);
  if (!v || *v < 0 || *v > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(*v);
}

bool is_word(const Expr& e, std::string_view w) {
  return e.kind == Kind::kWord && e.text == w;
}

// `[N]` or `N`.
std::optional<std::int64_t> boxed_int(const Expr& e) {
  if (e.kind == Kind::kList && e.children.size() == 1) return as_int(e.children[0]);
  return as_int(e);
}

// `{l_onoff=1, l_linger=0}`, optionally inside `[ ]`.
struct Linger {
  bool on = false;
  std::int64_t seconds = 0;
};
std::optional<Linger> as_linger(const Expr& e) {
  const Expr* s = &e;
  if (s->kind == Kind::kList && s->children.size() == 1) s = &s->children[0];
  if (s->kind != Kind::kBraces) return std::nullopt;
  std::optional<std::int64_t> on;
  std::optional<std::int64_t> seconds;
  for (const Expr& f : s->children) {
    if (f.kind != Kind::kAssign || f.children.size() != 1) return std::nullopt;
    if (f.text == "l_onoff") on = as_int(f.children[0]);
    if (f.text == "l_linger") seconds = as_int(f.children[0]);
  }
  if (!on || !seconds) return std::nullopt;
  return Linger{*on != 0, *seconds};
}

// `{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}` (and the sin6_
// spellings).
std::optional<wire::Endpoint> as_endpoint(const Expr& e) {
  if (e.kind != Kind::kBraces) return std::nullopt;
  std::optional<wire::IpVersion> family;
  std::optional<std::int64_t> port;
  const std::string* address = nullptr;
  for (const Expr& f : e.children) {
    if (f.kind != Kind::kAssign || f.children.size() != 1) return std::nullopt;
    const Expr& v = f.children[0];
    if (f.text == "sa_family" || f.text == "sin_family" || f.text == "sin6_family") {
      if (is_word(v, "AF_INET")) family = wire::IpVersion::kV4;
      if (is_word(v, "AF_INET6")) family = wire::IpVersion::kV6;
    } else if (f.text == "sin_port" || f.text == "sin6_port") {
      if (v.kind == Kind::kCall && v.text == "htons" && v.children.size() == 1) {
        port = as_int(v.children[0]);
      }
    } else if (f.text == "sin_addr" || f.text == "sin6_addr") {
      if (v.kind == Kind::kCall && (v.text == "inet_addr" || v.text == "inet6_addr") &&
          v.children.size() == 1 && v.children[0].kind == Kind::kString) {
        address = &v.children[0].text;
      }
    }
  }
  if (!family || !port || *port < 0 || *port > 0xffff || address == nullptr) return std::nullopt;
  wire::Endpoint ep;
  ep.port = static_cast<std::uint16_t>(*port);
  ep.address.version = *family;
  const int af = *family == wire::IpVersion::kV4 ? AF_INET : AF_INET6;
  if (address->find('\0') != std::string::npos) return std::nullopt;
  if (inet_pton(af, address->c_str(), ep.address.bytes.data()) != 1) return std::nullopt;
  return ep;
}

std::optional<model::SockOpt> sockopt_of(const Expr& e) {
  if (e.kind != Kind::kWord) return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, model::SockOpt>, 9> kOptions{{
      {"SO_REUSEADDR", model::SockOpt::kSoReuseAddr},
      {"SO_LINGER", model::SockOpt::kSoLinger},
      {"SO_ERROR", model::SockOpt::kSoError},
      {"SO_RCVBUF", model::SockOpt::kSoRcvBuf},
      {"SO_SNDBUF", model::SockOpt::kSoSndBuf},
      {"TCP_NODELAY", model::SockOpt::kTcpNodelay},
      {"TCP_USER_TIMEOUT", model::SockOpt::kTcpUserTimeout},
      {"TCP_LINGER2", model::SockOpt::kTcpLinger2},
      {"TCP_MAXSEG", model::SockOpt::kTcpMaxSeg},
  }};
  for (const auto& [name, opt] : kOptions) {
    if (e.text == name) return opt;
  }
  return std::nullopt;
}

bool mentions(const Expr& e, std::string_view word, int depth = 0) {
  if (depth > kMaxExprDepth + 2) return false;
  if (is_word(e, word)) return true;
  return std::any_of(e.children.begin(), e.children.end(),
                     [&](const Expr& c) { return mentions(c, word, depth + 1); });
}

}  // namespace

bool known_syscall(std::string_view name) {
  return std::find(kKnownSyscalls.begin(), kKnownSyscalls.end(), name) != kKnownSyscalls.end();
}

void map_syscall(engine::SyscallSpec& spec) {
  const std::string& n = spec.name;
  const std::vector<Expr>& a = spec.args;
  model::SocketCall call;
  std::optional<int> fd = a.empty() ? std::nullopt : as_fd(a[0]);

  if (n == "socket" && a.size() == 3) {
    call.kind = model::CallKind::kSocket;
    if (is_word(a[0], "AF_INET")) {
      call.family = wire::IpVersion::kV4;
      spec.address_given = true;
    } else if (is_word(a[0], "AF_INET6")) {
      call.family = wire::IpVersion::kV6;
      spec.address_given = true;
    } else if (a[0].kind != Kind::kEllipsis) {
      return;
    }
    if (!mentions(a[1], "SOCK_STREAM") && a[1].kind != Kind::kEllipsis) return;
    spec.call = call;
    return;
  }
  if (!fd) return;  // every other mapped call names a descriptor
  spec.fd = *fd;
  call.fd = *fd;

  if ((n == "bind" || n == "connect") && a.size() == 3) {
    call.kind = n == "bind" ? model::CallKind::kBind : model::CallKind::kConnect;
    if (a[1].kind != Kind::kEllipsis) {
      const auto ep = as_endpoint(a[1]);
      if (!ep) return;
      call.address = *ep;
      spec.address_given = true;
    }
    spec.call = call;
  } else if (n == "listen" && a.size() == 2) {
    const auto backlog = as_int(a[1]);
    if (!backlog || *backlog < std::numeric_limits<int>::min() ||
        *backlog > std::numeric_limits<int>::max()) {
      return;
    }
    call.kind = model::CallKind::kListen;
    call.backlog = static_cast<int>(*backlog);
    spec.call = call;
  } else if ((n == "accept" && a.size() == 3) || (n == "accept4" && a.size() == 4)) {
    call.kind = model::CallKind::kAccept;
    spec.call = call;
  } else if ((n == "read" && a.size() == 3) || (n == "recv" && a.size() == 4) ||
             (n == "recvfrom" && a.size() == 6) || (n == "write" && a.size() == 3) ||
             (n == "send" && a.size() == 4) || (n == "sendto" && a.size() == 6)) {
    const auto len = as_int(a[2]);
    if (!len || *len < 0 || *len > std::numeric_limits<std::uint32_t>::max()) return;
    const bool receive = n == "read" || n == "recv" || n == "recvfrom";
    call.kind = receive ? model::CallKind::kRecv : model::CallKind::kSend;
    call.length = static_cast<std::uint32_t>(*len);
    spec.call = call;
  } else if (n == "close" && a.size() == 1) {
    call.kind = model::CallKind::kClose;
    spec.call = call;
  } else if (n == "shutdown" && a.size() == 2) {
    call.kind = model::CallKind::kShutdown;
    if (is_word(a[1], "SHUT_RD")) {
      call.how = model::ShutdownHow::kRead;
    } else if (is_word(a[1], "SHUT_WR")) {
      call.how = model::ShutdownHow::kWrite;
    } else if (is_word(a[1], "SHUT_RDWR")) {
      call.how = model::ShutdownHow::kReadWrite;
    } else {
      return;
    }
    spec.call = call;
  } else if (n == "fcntl" && a.size() == 3 && is_word(a[1], "F_SETFL")) {
    call.kind = model::CallKind::kSetNonBlocking;
    call.value = mentions(a[2], "O_NONBLOCK") ? 1 : 0;
    spec.call = call;
  } else if ((n == "setsockopt" || n == "getsockopt") && a.size() == 5) {
    const auto opt = sockopt_of(a[2]);
    if (!opt) return;
    call.option = *opt;
    const bool set = n == "setsockopt";
    call.kind = set ? model::CallKind::kSetSockOpt : model::CallKind::kGetSockOpt;
    if (*opt == model::SockOpt::kSoLinger) {
      const auto linger = as_linger(a[3]);
      if (linger) {
        if (set) {
          call.linger_on = linger->on;
          call.value = linger->seconds;
        } else {
          spec.expected.linger_on = linger->on;
          spec.expected_value = linger->seconds;
        }
      } else if (set) {
        return;
      }
    } else {
      auto value = boxed_int(a[3]);
      // SO_ERROR's value is written as an errno name: [ECONNREFUSED].
      if (!value && *opt == model::SockOpt::kSoError && a[3].kind == Kind::kList &&
          a[3].children.size() == 1 && a[3].children[0].kind == Kind::kWord) {
        if (const auto e = errno_from_name(a[3].children[0].text)) value = *e;
      }
      if (value) {
        if (set) {
          call.value = *value;
        } else {
          spec.expected_value = *value;
        }
      } else if (set) {
        return;
      }
    }
    spec.call = call;
  } else if (n == "ioctl" && a.size() == 3) {
    if (is_word(a[1], "SIOCINQ") || is_word(a[1], "FIONREAD")) {
      spec.probe = engine::QueueProbe::kInq;
    } else if (is_word(a[1], "SIOCOUTQ") || is_word(a[1], "TIOCOUTQ")) {
      spec.probe = engine::QueueProbe::kOutq;
    } else {
      return;
    }
    spec.expected_value = boxed_int(a[2]);
  }
}

}  // namespace tcpconform::scenario::detail
