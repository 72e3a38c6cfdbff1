// Tests of tcpconform's `//@` extension lines: state, quiet, advance.
#include <gtest/gtest.h>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

using engine::StateExpectation;
using testing::only;
using testing::parse_err;
using testing::parse_ok;

TEST(Extension, StateOfATupleWithQueuesAndOrphan) {
  const auto s = only<StateExpectation>(
      "//@ state 192.0.2.1:8080 > 192.0.2.2:4000 FIN-WAIT-2 recvq 0 sendq 0 orphan");
  ASSERT_TRUE(s.tuple.has_value());
  EXPECT_EQ(s.tuple->local.address, wire::IpAddress::v4(192, 0, 2, 1));
  EXPECT_EQ(s.tuple->local.port, 8080);
  EXPECT_EQ(s.tuple->remote.address, wire::IpAddress::v4(192, 0, 2, 2));
  EXPECT_EQ(s.tuple->remote.port, 4000);
  EXPECT_EQ(s.state, model::State::kFinWait2);
  EXPECT_EQ(s.recv_q, 0U);
  EXPECT_EQ(s.send_q, 0U);
  EXPECT_EQ(s.orphan, true);
  EXPECT_FALSE(s.fd.has_value());
}

TEST(Extension, StateOfADescriptor) {
  const auto s = only<StateExpectation>("//@ state fd 4 CLOSE-WAIT recvq 1 owned");
  EXPECT_EQ(s.fd, 4);
  EXPECT_EQ(s.state, model::State::kCloseWait);
  EXPECT_EQ(s.recv_q, 1U);
  EXPECT_EQ(s.orphan, false);
  EXPECT_FALSE(s.send_q.has_value());
}

TEST(Extension, StateOfAListenerAndIpv6) {
  const auto l = only<StateExpectation>("//@ state [2001:db8::1]:8080 > * LISTEN recvq 1");
  EXPECT_TRUE(l.listener);
  EXPECT_EQ(l.tuple->local.address.version, wire::IpVersion::kV6);
  EXPECT_EQ(l.tuple->local.address.bytes[0], 0x20);
  EXPECT_EQ(l.state, model::State::kListen);
}

TEST(Extension, StateNamesInEverySpelling) {
  EXPECT_EQ(only<StateExpectation>("//@ state fd 3 TCP_TIME_WAIT").state, model::State::kTimeWait);
  EXPECT_EQ(only<StateExpectation>("//@ state fd 3 ESTAB").state, model::State::kEstablished);
  EXPECT_EQ(only<StateExpectation>("//@ state fd 3 CLOSED").state, model::State::kClosed);
}

TEST(Extension, QuietAndAdvance) {
  const auto prog = parse_ok(
      "//@ quiet\n//@ advance 60s\n//@ advance 200ms\n//@ advance 150us\n"
      "//@ advance 0.5\n");
  ASSERT_EQ(prog.steps.size(), 5U);
  EXPECT_TRUE(std::holds_alternative<engine::QuietExpectation>(prog.steps[0].action));
  EXPECT_EQ(std::get<engine::AdvanceTime>(prog.steps[1].action).usecs, 60'000'000);
  EXPECT_EQ(std::get<engine::AdvanceTime>(prog.steps[2].action).usecs, 200'000);
  EXPECT_EQ(std::get<engine::AdvanceTime>(prog.steps[3].action).usecs, 150);
  EXPECT_EQ(std::get<engine::AdvanceTime>(prog.steps[4].action).usecs, 500'000);
  EXPECT_EQ(prog.steps[0].time.kind, engine::TimeKind::kNone);
}

TEST(Extension, AdvanceKeepsMicrosecondsAndLargeValuesRoundTrip) {
  const auto prog = parse_ok("//@ advance 60888.8888888888\n//@ advance .25ms\n");
  ASSERT_EQ(prog.steps.size(), 2U);
  EXPECT_EQ(std::get<engine::AdvanceTime>(prog.steps[0].action).usecs, 60'888'888'888);
  EXPECT_EQ(std::get<engine::AdvanceTime>(prog.steps[1].action).usecs, 250);
  testing::expect_round_trip(prog);
  EXPECT_FALSE(parse("//@ advance 99999999999999999s", "t.pkt").has_value());
}

TEST(Extension, OrdinaryCommentsAreNotExtensions) {
  const auto prog = parse_ok("// @ state fd 3 nonsense\n//state\n/*@ x */\n");
  EXPECT_TRUE(prog.steps.empty());
}

TEST(Extension, MistakesAreErrorsWithColumns) {
  const auto unknown = parse_err("//@ frobnicate");
  EXPECT_EQ(unknown.column, 5U);
  EXPECT_EQ(unknown.found, "'frobnicate'");
  const auto state = parse_err("//@ state fd 4 HALF-OPEN");
  EXPECT_EQ(state.column, 16U);
  const auto tuple = parse_err("//@ state 192.0.2.1:8080 192.0.2.2:4000 ESTABLISHED");
  EXPECT_EQ(tuple.column, 26U);
  EXPECT_EQ(tuple.expected, "'>' between the two endpoints");
  const auto missing = parse_err("//@ state fd 4 ESTABLISHED recvq");
  EXPECT_EQ(missing.found, "end of line");
  EXPECT_EQ(missing.column, 33U);
  const auto advance = parse_err("//@ advance soon");
  EXPECT_EQ(advance.column, 13U);
  const auto bad_addr = parse_err("//@ state 192.0.2.300:80 > 192.0.2.2:1 ESTABLISHED");
  EXPECT_EQ(bad_addr.column, 11U);
}

}  // namespace
}  // namespace tcpconform::scenario
