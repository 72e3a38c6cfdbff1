// The socket system calls behind model::SocketCall, one per CallKind.
#include "sockets.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace tcpconform::harness::linux_sut {
namespace {

using model::CallKind;
using model::CallResult;
using model::SockOpt;

constexpr std::size_t kChunk = 65536;  // a multiple of 256, so the pattern repeats per chunk
constexpr std::size_t kMaxIov = 64;    // 4 MiB per call

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

// An endpoint as a sockaddr for a socket of `family`; IPv4 on an IPv6 socket is v4-mapped.
SockAddr to_sockaddr(const wire::Endpoint& e, wire::IpVersion family) {
  SockAddr s;
  if (family == wire::IpVersion::kV4) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(e.port);
    std::memcpy(&sin.sin_addr, e.address.bytes.data(), 4);
    std::memcpy(&s.storage, &sin, sizeof(sin));
    s.length = sizeof(sin);
  } else {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(e.port);
    if (e.address.version == wire::IpVersion::kV4) {
      sin6.sin6_addr.s6_addr[10] = 0xff;
      sin6.sin6_addr.s6_addr[11] = 0xff;
      std::memcpy(&sin6.sin6_addr.s6_addr[12], e.address.bytes.data(), 4);
    } else {
      std::memcpy(&sin6.sin6_addr, e.address.bytes.data(), 16);
    }
    std::memcpy(&s.storage, &sin6, sizeof(sin6));
    s.length = sizeof(sin6);
  }
  return s;
}

wire::Endpoint local_endpoint(int fd) {
  SockAddr s;
  s.length = sizeof(s.storage);
  wire::Endpoint e;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&s.storage), &s.length) != 0) return e;
  if (s.storage.ss_family == AF_INET) {
    sockaddr_in sin{};
    std::memcpy(&sin, &s.storage, sizeof(sin));
    e.address.version = wire::IpVersion::kV4;
    std::memcpy(e.address.bytes.data(), &sin.sin_addr, 4);
    e.port = ntohs(sin.sin_port);
  } else {
    sockaddr_in6 sin6{};
    std::memcpy(&sin6, &s.storage, sizeof(sin6));
    e.address.version = wire::IpVersion::kV6;
    std::memcpy(e.address.bytes.data(), &sin6.sin6_addr, 16);
    e.port = ntohs(sin6.sin6_port);
  }
  return e;
}

std::uint64_t cookie_of(int fd) {
  std::uint64_t cookie = 0;
  socklen_t len = sizeof(cookie);
  if (::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len) != 0) return 0;
  return cookie;
}

CallResult from_syscall(long rc) {
  return rc < 0 ? CallResult::fail(errno) : CallResult::ok(rc);
}

struct OptName {
  int level;
  int name;
};

OptName option_name(SockOpt o) {
  switch (o) {
    case SockOpt::kSoReuseAddr: return {SOL_SOCKET, SO_REUSEADDR};
    case SockOpt::kSoLinger: return {SOL_SOCKET, SO_LINGER};
    case SockOpt::kSoError: return {SOL_SOCKET, SO_ERROR};
    case SockOpt::kSoRcvBuf: return {SOL_SOCKET, SO_RCVBUF};
    case SockOpt::kSoSndBuf: return {SOL_SOCKET, SO_SNDBUF};
    case SockOpt::kTcpNodelay: return {IPPROTO_TCP, TCP_NODELAY};
    case SockOpt::kTcpUserTimeout: return {IPPROTO_TCP, TCP_USER_TIMEOUT};
    case SockOpt::kTcpLinger2: return {IPPROTO_TCP, TCP_LINGER2};
    case SockOpt::kTcpMaxSeg: return {IPPROTO_TCP, TCP_MAXSEG};
  }
  return {SOL_SOCKET, SO_REUSEADDR};
}

CallResult set_option(const model::SocketCall& c) {
  const OptName o = option_name(c.option);
  if (c.option == SockOpt::kSoLinger) {
    const linger l{c.linger_on ? 1 : 0, static_cast<int>(c.value)};
    return from_syscall(::setsockopt(c.fd, o.level, o.name, &l, sizeof(l)));
  }
  const int v = static_cast<int>(c.value);
  return from_syscall(::setsockopt(c.fd, o.level, o.name, &v, sizeof(v)));
}

CallResult get_option(const model::SocketCall& c) {
  const OptName o = option_name(c.option);
  if (c.option == SockOpt::kSoLinger) {
    linger l{};
    socklen_t len = sizeof(l);
    if (::getsockopt(c.fd, o.level, o.name, &l, &len) != 0) return CallResult::fail(errno);
    return CallResult{l.l_linger, 0, l.l_onoff != 0};
  }
  int v = 0;
  socklen_t len = sizeof(v);
  if (::getsockopt(c.fd, o.level, o.name, &v, &len) != 0) return CallResult::fail(errno);
  return CallResult::ok(v);
}

// A message of `length` bytes that points every iovec at the same `chunk` (at most kMaxIov of
// them), so one system call moves the whole length without a buffer of that size.
msghdr spread_over(std::array<std::uint8_t, kChunk>& chunk, std::uint32_t length,
                   std::array<iovec, kMaxIov>& iov) {
  std::size_t left = length;
  std::size_t count = 0;
  while (left > 0 && count < kMaxIov) {
    iov[count].iov_base = chunk.data();
    iov[count].iov_len = std::min(left, kChunk);
    left -= iov[count].iov_len;
    ++count;
  }
  msghdr msg{};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = count;
  return msg;
}

// send() of `length` pattern bytes as one system call.
CallResult send_pattern(int fd, std::uint32_t length, std::uint64_t offset) {
  std::array<std::uint8_t, kChunk> chunk;
  for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = stream_byte(offset + i);
  std::array<iovec, kMaxIov> iov{};
  const msghdr msg = spread_over(chunk, length, iov);
  return from_syscall(::sendmsg(fd, &msg, MSG_NOSIGNAL));
}

// recv() of up to `length` bytes as one system call; the bytes are discarded.
CallResult recv_discard(int fd, std::uint32_t length) {
  std::array<std::uint8_t, kChunk> chunk;
  std::array<iovec, kMaxIov> iov{};
  msghdr msg = spread_over(chunk, length, iov);
  return from_syscall(::recvmsg(fd, &msg, 0));
}

int how_of(model::ShutdownHow how) {
  switch (how) {
    case model::ShutdownHow::kRead: return SHUT_RD;
    case model::ShutdownHow::kWrite: return SHUT_WR;
    case model::ShutdownHow::kReadWrite: return SHUT_RDWR;
  }
  return SHUT_RDWR;
}

}  // namespace

CallReply execute(const CallRequest& request) {
  const model::SocketCall& c = request.call;
  CallReply reply;
  switch (c.kind) {
    case CallKind::kSocket: {
      const int domain = c.family == wire::IpVersion::kV4 ? AF_INET : AF_INET6;
      const int fd = ::socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
      reply.result = from_syscall(fd);
      if (fd >= 0) {
        reply.new_fd = fd;
        reply.cookie = cookie_of(fd);
      }
      return reply;
    }
    case CallKind::kBind: {
      const SockAddr s = to_sockaddr(c.address, c.family);
      reply.result =
          from_syscall(::bind(c.fd, reinterpret_cast<const sockaddr*>(&s.storage), s.length));
      reply.local = local_endpoint(c.fd);
      return reply;
    }
    case CallKind::kListen:
      reply.result = from_syscall(::listen(c.fd, c.backlog));
      reply.local = local_endpoint(c.fd);
      return reply;
    case CallKind::kConnect: {
      const SockAddr s = to_sockaddr(c.address, c.family);
      reply.result =
          from_syscall(::connect(c.fd, reinterpret_cast<const sockaddr*>(&s.storage), s.length));
      reply.local = local_endpoint(c.fd);
      return reply;
    }
    case CallKind::kAccept: {
      const int fd = ::accept4(c.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      reply.result = from_syscall(fd);
      if (fd >= 0) {
        reply.new_fd = fd;
        reply.cookie = cookie_of(fd);
        reply.local = local_endpoint(fd);
      }
      return reply;
    }
    case CallKind::kSend:
      reply.result = send_pattern(c.fd, c.length, request.stream_offset);
      return reply;
    case CallKind::kRecv: reply.result = recv_discard(c.fd, c.length); return reply;
    case CallKind::kShutdown:
      reply.result = from_syscall(::shutdown(c.fd, how_of(c.how)));
      return reply;
    case CallKind::kClose: reply.result = from_syscall(::close(c.fd)); return reply;
    case CallKind::kSetSockOpt: reply.result = set_option(c); return reply;
    case CallKind::kGetSockOpt: reply.result = get_option(c); return reply;
    case CallKind::kSetNonBlocking: {
      const int flags = ::fcntl(c.fd, F_GETFL);
      if (flags < 0) {
        reply.result = CallResult::fail(errno);
        return reply;
      }
      const int wanted = c.value != 0 ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
      reply.result = from_syscall(::fcntl(c.fd, F_SETFL, wanted));
      return reply;
    }
    case CallKind::kExitProcess:
      reply.result = CallResult::fail(EINVAL);  // handled by the owner of the processes
      return reply;
  }
  reply.result = CallResult::fail(EINVAL);
  return reply;
}

}  // namespace tcpconform::harness::linux_sut
