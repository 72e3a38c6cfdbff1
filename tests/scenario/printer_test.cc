// Tests of the printer: exact text for each kind of line, and print→parse giving the same Program.
#include <gtest/gtest.h>

#include <cerrno>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

using testing::expect_round_trip;
using testing::parse_ok;

std::string reprint(std::string_view line) {
  const auto p = parse_ok(line);
  return p.steps.size() == 1 ? print_step(p.steps[0]) : std::string("<not one step>");
}

TEST(Printer, PacketLines) {
  EXPECT_EQ(reprint("+.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>"),
            "+0.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>");
  EXPECT_EQ(reprint("   +0 >  P. 1:1001(1000) ack 1"), "+0 > P. 1:1001(1000) ack 1");
  EXPECT_EQ(reprint("* > F. 1:1(0) ack 1 <...>"), "* > F. 1:1(0) ack 1 <...>");
  EXPECT_EQ(reprint("+0 < - 1:1001(1000) win 20000"), "+0 < - 1:1001(1000) win 20000");
  EXPECT_EQ(reprint("+0 < .SF 1:1(0) urg 3 <sack 1:2 3:4,TS val 1 ecr 2,eol,sackOK>"),
            "+0 < SF. 1:1(0) urg 3 <sack 1:2 3:4,TS val 1 ecr 2,eol,sackOK>");
}

TEST(Printer, Times) {
  EXPECT_EQ(reprint("0 close(3) = 0"), "0 close(3) = 0");
  EXPECT_EQ(reprint("1.000250 close(3) = 0"), "1.00025 close(3) = 0");
  EXPECT_EQ(reprint("+.01...0.011 connect(3, ..., ...) = 0"),
            "+0.01...0.011 connect(3, ..., ...) = 0");
  EXPECT_EQ(reprint("+.3~+.400 > F. 1:1(0) ack 1"), "+0.3~+0.4 > F. 1:1(0) ack 1");
  EXPECT_EQ(reprint("2~3 > F. 1:1(0) ack 1"), "2~3 > F. 1:1(0) ack 1");
}

TEST(Printer, SyscallLines) {
  EXPECT_EQ(reprint("+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0"),
            "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
  EXPECT_EQ(reprint("+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)"),
            "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
  EXPECT_EQ(reprint("+0 setsockopt(4, SOL_SOCKET, SO_LINGER, [{l_onoff=1, l_linger=0}], 8) = 0"),
            "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, [{l_onoff=1, l_linger=0}], 8) = 0");
  EXPECT_EQ(reprint("+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
                    "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0"),
            "+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
            "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0");
  EXPECT_EQ(reprint("+0 setsockopt(3, SOL_TCP, TCP_LINGER2, [0x10], 4) = ..."),
            "+0 setsockopt(3, SOL_TCP, TCP_LINGER2, [0x10], 4) = ...");
}

TEST(Printer, ShellCodeAndExtensions) {
  EXPECT_EQ(reprint("`../common/defaults.sh`"), "`../common/defaults.sh`");
  EXPECT_EQ(reprint("+0 %{ assert tcpi_state == TCP_CLOSE }%"),
            "+0 %{ assert tcpi_state == TCP_CLOSE }%");
  EXPECT_EQ(reprint("//@   state   fd 4   CLOSE-WAIT recvq 1"),
            "//@ state fd 4 CLOSE-WAIT recvq 1");
  EXPECT_EQ(reprint("//@ state [2001:db8::1]:80 > * TCP_LISTEN"),
            "//@ state [2001:db8::1]:80 > * LISTEN");
  EXPECT_EQ(reprint("//@ state 192.0.2.1:80 > 192.0.2.2:9 TIME-WAIT orphan"),
            "//@ state 192.0.2.1:80 > 192.0.2.2:9 TIME-WAIT orphan");
  EXPECT_EQ(reprint("//@ quiet"), "//@ quiet");
  EXPECT_EQ(reprint("//@ advance 0.5"), "//@ advance 500ms");
  EXPECT_EQ(reprint("//@ advance 61000000us"), "//@ advance 61s");
}

TEST(Printer, OptionsComeFirst) {
  const auto p = parse_ok("--ip_version=ipv4\n--tolerance_usecs=4000\n0 close(3) = 0\n");
  EXPECT_EQ(print(p), "--ip_version=ipv4\n--tolerance_usecs=4000\n\n0 close(3) = 0\n");
}

TEST(Printer, RoundTripOfAMixedScript) {
  expect_round_trip(
      parse_ok("--ip_version=ipv6\n"
               "`../common/defaults.sh`\n"
               "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
               "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
               "+0 bind(3, ..., ...) = 0\n"
               "+0 listen(3, 1) = 0\n"
               "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
               "+0 > S. 0:0(0) ack 1 <...>\n"
               "//@ state [2001:db8::1]:8080 > [2001:db8::2]:4000 SYN-RECEIVED\n"
               "+.1 < . 1:1(0) ack 1 win 257\n"
               "+0...0.2 accept(3, ..., ...) = 4\n"
               "+0 %{ assert tcpi_state == TCP_ESTABLISHED }%\n"
               "+0 close(4) = 0\n"
               "//@ state fd 3 LISTEN\n"
               "//@ quiet\n"
               "//@ advance 60s\n"
               "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
               "+0 write(3, ..., 10) = -1 ENOTCONN (Transport endpoint is not connected)\n"));
}

TEST(Printer, SyscallFromCallPrintsAndParsesBack) {
  model::SocketCall c;
  c.kind = model::CallKind::kSetSockOpt;
  c.fd = 4;
  c.option = model::SockOpt::kSoLinger;
  c.linger_on = true;
  c.value = 0;
  const auto spec = syscall_from_call(c, model::CallResult::ok());
  EXPECT_EQ(spec.call, c);
  engine::Step step{{}, engine::TimeSpec{}, spec};
  EXPECT_EQ(print_step(step),
            "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0");

  model::SocketCall conn;
  conn.kind = model::CallKind::kConnect;
  conn.fd = 3;
  conn.address = wire::Endpoint{wire::IpAddress::v4(192, 0, 2, 1), 8080};
  const auto failed = syscall_from_call(conn, model::CallResult::fail(ECONNREFUSED));
  EXPECT_EQ(failed.call, conn);
  engine::Step s2{{}, engine::TimeSpec{}, failed};
  EXPECT_EQ(print_step(s2),
            "+0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), "
            "sin_addr=inet_addr(\"192.0.2.1\")}, ...) = -1 ECONNREFUSED (Connection refused)");
  const auto back = parse_ok(print_step(s2));
  EXPECT_EQ(std::get<engine::SyscallSpec>(back.steps[0].action).call, conn);
}

TEST(Printer, EverySyscallKindRoundTrips) {
  for (const auto kind :
       {model::CallKind::kSocket, model::CallKind::kBind, model::CallKind::kListen,
        model::CallKind::kConnect, model::CallKind::kAccept, model::CallKind::kSend,
        model::CallKind::kRecv, model::CallKind::kShutdown, model::CallKind::kClose,
        model::CallKind::kSetSockOpt, model::CallKind::kGetSockOpt,
        model::CallKind::kSetNonBlocking}) {
    model::SocketCall c;
    c.kind = kind;
    c.fd = kind == model::CallKind::kSocket ? -1 : 3;
    c.length = kind == model::CallKind::kSend || kind == model::CallKind::kRecv ? 100 : 0;
    c.backlog = kind == model::CallKind::kListen ? 5 : 0;
    c.value =
        kind == model::CallKind::kSetNonBlocking || kind == model::CallKind::kSetSockOpt ? 1 : 0;
    if (kind == model::CallKind::kSetSockOpt || kind == model::CallKind::kGetSockOpt) {
      c.option = model::SockOpt::kTcpUserTimeout;
    }
    const auto spec = syscall_from_call(c, model::CallResult::ok(), 0);
    ASSERT_TRUE(spec.call.has_value()) << static_cast<int>(kind);
    EXPECT_EQ(*spec.call, c) << print_step(engine::Step{{}, {}, spec});
    const auto back = parse_ok(print_step(engine::Step{{}, {}, spec}));
    ASSERT_EQ(back.steps.size(), 1U);
    EXPECT_EQ(std::get<engine::SyscallSpec>(back.steps[0].action), spec);
  }
}

}  // namespace
}  // namespace tcpconform::scenario
