// Tests of system call lines and their mapping onto model::SocketCall.
#include <gtest/gtest.h>

#include <cerrno>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

using engine::SyscallSpec;
using model::CallKind;
using testing::only;
using testing::parse_ok;

TEST(Syscall, SocketWithEllipsisFamily) {
  const auto s = only<SyscallSpec>("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->kind, CallKind::kSocket);
  EXPECT_FALSE(s.address_given);
  EXPECT_EQ(s.expected.value, 3);
  EXPECT_EQ(s.fd, -1);
}

TEST(Syscall, SocketInet6) {
  const auto s = only<SyscallSpec>("0 socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 3");
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->family, wire::IpVersion::kV6);
  EXPECT_TRUE(s.address_given);
}

TEST(Syscall, BindWithSockaddr) {
  const auto s = only<SyscallSpec>(
      "+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
      "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0");
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->kind, CallKind::kBind);
  EXPECT_EQ(s.call->fd, 3);
  EXPECT_TRUE(s.address_given);
  EXPECT_EQ(s.call->address.port, 8080);
  EXPECT_EQ(s.call->address.address, wire::IpAddress::v4(192, 0, 2, 1));
}

TEST(Syscall, ConnectBlockingWithEndTime) {
  const auto prog = parse_ok("+.1...0.200 connect(3, ..., ...) = 0\n");
  ASSERT_EQ(prog.steps.size(), 1U);
  const auto& t = prog.steps[0].time;
  EXPECT_EQ(t.kind, engine::TimeKind::kRelative);
  EXPECT_EQ(t.usecs, 100000);
  EXPECT_EQ(t.blocking_end_usecs, 200000);
  const auto& s = std::get<SyscallSpec>(prog.steps[0].action);
  EXPECT_EQ(s.call->kind, CallKind::kConnect);
  EXPECT_FALSE(s.address_given);
}

TEST(Syscall, ErrnoAndNote) {
  const auto s =
      only<SyscallSpec>("+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
  EXPECT_EQ(s.expected.value, -1);
  EXPECT_EQ(s.expected.error, EINPROGRESS);
  EXPECT_EQ(s.errno_name, "EINPROGRESS");
  EXPECT_EQ(s.note, "Operation now in progress");
}

TEST(Syscall, ListenAcceptReadWriteClose) {
  EXPECT_EQ(only<SyscallSpec>("+0 listen(3, 1) = 0").call->backlog, 1);
  const auto acc = only<SyscallSpec>("+0...0.200 accept(3, ..., ...) = 4");
  EXPECT_EQ(acc.call->kind, CallKind::kAccept);
  EXPECT_EQ(acc.expected.value, 4);
  const auto rd = only<SyscallSpec>("+0 read(4, ..., 1000) = 0");
  EXPECT_EQ(rd.call->kind, CallKind::kRecv);
  EXPECT_EQ(rd.call->length, 1000U);
  const auto wr = only<SyscallSpec>("+0 write(4, ..., 1000) = -1 EPIPE (Broken pipe)");
  EXPECT_EQ(wr.call->kind, CallKind::kSend);
  EXPECT_EQ(wr.expected.error, EPIPE);
  EXPECT_EQ(only<SyscallSpec>("+0 send(4, ..., 10, 0) = 10").call->length, 10U);
  EXPECT_EQ(only<SyscallSpec>("+0 recv(4, ..., 10, 0) = 10").call->kind, CallKind::kRecv);
  EXPECT_EQ(only<SyscallSpec>("+0 close(4) = 0").call->kind, CallKind::kClose);
}

TEST(Syscall, Shutdown) {
  EXPECT_EQ(only<SyscallSpec>("+0 shutdown(4, SHUT_RD) = 0").call->how, model::ShutdownHow::kRead);
  EXPECT_EQ(only<SyscallSpec>("+0 shutdown(4, SHUT_WR) = 0").call->how, model::ShutdownHow::kWrite);
  EXPECT_EQ(only<SyscallSpec>("+0 shutdown(4, SHUT_RDWR) = 0").call->how,
            model::ShutdownHow::kReadWrite);
}

TEST(Syscall, FcntlNonBlocking) {
  const auto s = only<SyscallSpec>("+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->kind, CallKind::kSetNonBlocking);
  EXPECT_EQ(s.call->value, 1);
  ASSERT_EQ(s.args[2].kind, engine::Expr::Kind::kOr);
  EXPECT_EQ(only<SyscallSpec>("+0 fcntl(3, F_SETFL, O_RDWR) = 0").call->value, 0);
  EXPECT_FALSE(only<SyscallSpec>("+0 fcntl(3, F_GETFL) = 2").call.has_value());
}

TEST(Syscall, SetsockoptOptions) {
  const auto reuse = only<SyscallSpec>("+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
  EXPECT_EQ(reuse.call->kind, CallKind::kSetSockOpt);
  EXPECT_EQ(reuse.call->option, model::SockOpt::kSoReuseAddr);
  EXPECT_EQ(reuse.call->value, 1);
  const auto ut = only<SyscallSpec>("+2 setsockopt(4, SOL_TCP, TCP_USER_TIMEOUT, [3000], 4) = 0");
  EXPECT_EQ(ut.call->option, model::SockOpt::kTcpUserTimeout);
  EXPECT_EQ(ut.call->value, 3000);
  EXPECT_EQ(only<SyscallSpec>("+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0").call->option,
            model::SockOpt::kTcpNodelay);
  EXPECT_EQ(only<SyscallSpec>("+0 setsockopt(4, SOL_TCP, TCP_LINGER2, [5], 4) = 0").call->option,
            model::SockOpt::kTcpLinger2);
}

TEST(Syscall, SetsockoptLinger) {
  const auto s = only<SyscallSpec>(
      "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, [{l_onoff=1, l_linger=0}], 8) = 0");
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->option, model::SockOpt::kSoLinger);
  EXPECT_TRUE(s.call->linger_on);
  EXPECT_EQ(s.call->value, 0);
  const auto bare =
      only<SyscallSpec>("+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=0, l_linger=5}, 8) = 0");
  EXPECT_FALSE(bare.call->linger_on);
  EXPECT_EQ(bare.call->value, 5);
}

TEST(Syscall, GetsockoptExpectedValue) {
  const auto s =
      only<SyscallSpec>("+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0");
  EXPECT_EQ(s.call->kind, CallKind::kGetSockOpt);
  EXPECT_EQ(s.expected_value, ECONNREFUSED);
  const auto n = only<SyscallSpec>("+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0");
  EXPECT_EQ(n.expected_value, 0);
  EXPECT_EQ(n.expected.value, 0);
}

TEST(Syscall, UnknownSockoptIsKeptButUnmapped) {
  const auto s = only<SyscallSpec>("+0 setsockopt(3, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0");
  EXPECT_FALSE(s.call.has_value());
  EXPECT_EQ(s.name, "setsockopt");
  EXPECT_EQ(s.args.size(), 5U);
}

TEST(Syscall, IoctlQueueProbe) {
  const auto s = only<SyscallSpec>("+0 ioctl(4, SIOCINQ, [1000]) = 0");
  EXPECT_FALSE(s.call.has_value());
  EXPECT_EQ(s.probe, engine::QueueProbe::kInq);
  EXPECT_EQ(s.fd, 4);
  EXPECT_EQ(s.expected_value, 1000);
  EXPECT_EQ(only<SyscallSpec>("+0 ioctl(4, SIOCOUTQ, [0]) = 0").probe, engine::QueueProbe::kOutq);
}

TEST(Syscall, HexArgumentsAndAnyResult) {
  const auto s = only<SyscallSpec>("+0 setsockopt(3, SOL_TCP, TCP_LINGER2, [0x10], 4) = ...");
  EXPECT_TRUE(s.any_result);
  EXPECT_EQ(s.call->value, 16);
  EXPECT_TRUE(s.args[3].children[0].hex);
}

TEST(Syscall, ArgumentsMaySpanLines) {
  const auto s = only<SyscallSpec>("+0 setsockopt(3, SOL_SOCKET,\n   SO_REUSEADDR, [1], 4) = 0\n");
  EXPECT_EQ(s.call->option, model::SockOpt::kSoReuseAddr);
}

TEST(Syscall, PacketdrillStructuresParseAndStayUnmapped) {
  const auto msg = only<SyscallSpec>(
      "+0 recvmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 1000}], msg_flags=0}, 0) = 1000");
  EXPECT_FALSE(msg.call.has_value());
  EXPECT_EQ(print_expr(msg.args[1]), "{msg_name(...)=..., msg_iov(1)=[{..., 1000}], msg_flags=0}");
  const auto poll =
      only<SyscallSpec>("+0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1");
  EXPECT_EQ(print_expr(poll.args[0]), "[{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}]");
}

TEST(Syscall, EmptyArgumentList) {
  const auto s = only<SyscallSpec>("+0 pipe() = 0");
  EXPECT_TRUE(s.args.empty());
  EXPECT_FALSE(s.call.has_value());
}

}  // namespace
}  // namespace tcpconform::scenario
