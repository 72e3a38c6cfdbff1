// Tests of shell commands: init helpers become settings, anything else is listed, never run.
#include <gtest/gtest.h>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

using engine::ShellCommand;
using testing::only;
using testing::parse_ok;

TEST(Shell, DefaultsShBecomesSettings) {
  const auto prog = parse_ok("`../common/defaults.sh`\n");
  ASSERT_EQ(prog.steps.size(), 1U);
  EXPECT_EQ(prog.steps[0].time.kind, engine::TimeKind::kNone);
  const auto& cmd = std::get<ShellCommand>(prog.steps[0].action);
  EXPECT_TRUE(cmd.unsupported.empty());
  ASSERT_EQ(cmd.recognised.size(), 1U);
  EXPECT_EQ(cmd.settings.at("net/ipv4/tcp_timestamps"), "1");
  EXPECT_EQ(cmd.settings.at("net/ipv4/tcp_rmem"), "4096 540000 15728640");
  EXPECT_EQ(prog.settings, cmd.settings);
}

TEST(Shell, DefaultsShAtAnyDepthAndWithTrailingNewline) {
  EXPECT_TRUE(only<ShellCommand>("`../../common/defaults.sh`").unsupported.empty());
  EXPECT_TRUE(only<ShellCommand>("`../common/defaults.sh\n`").unsupported.empty());
}

TEST(Shell, SysctlAssignments) {
  const auto cmd = only<ShellCommand>(
      "`sysctl -q net.ipv4.tcp_fin_timeout=5 net.ipv4.tcp_rmem=\"4096 87380 6291456\"`");
  EXPECT_TRUE(cmd.unsupported.empty());
  EXPECT_EQ(cmd.settings.at("net/ipv4/tcp_fin_timeout"), "5");
  EXPECT_EQ(cmd.settings.at("net/ipv4/tcp_rmem"), "4096 87380 6291456");
}

TEST(Shell, SetSysctlsPy) {
  const auto cmd = only<ShellCommand>(
      "`../common/set_sysctls.py /proc/sys/net/ipv4/tcp_syn_retries=2 "
      "/proc/sys/net/ipv4/tcp_fin_timeout=3`");
  EXPECT_TRUE(cmd.unsupported.empty());
  EXPECT_EQ(cmd.settings.at("net/ipv4/tcp_syn_retries"), "2");
  EXPECT_EQ(cmd.settings.at("net/ipv4/tcp_fin_timeout"), "3");
}

TEST(Shell, SeveralCommandsLaterOverrides) {
  const auto prog = parse_ok(
      "`../common/defaults.sh; sysctl -q net.ipv4.tcp_timestamps=0`\n"
      "+0 `sysctl -q net.ipv4.tcp_sack=0 && echo hi`\n");
  ASSERT_EQ(prog.steps.size(), 2U);
  EXPECT_EQ(prog.settings.at("net/ipv4/tcp_timestamps"), "0");
  EXPECT_EQ(prog.settings.at("net/ipv4/tcp_sack"), "0");
  const auto& second = std::get<ShellCommand>(prog.steps[1].action);
  EXPECT_EQ(prog.steps[1].time.kind, engine::TimeKind::kRelative);
  ASSERT_EQ(second.unsupported.size(), 1U);
  EXPECT_EQ(second.unsupported[0], "echo hi");
}

TEST(Shell, AnythingElseIsUnsupportedAndSetsNothing) {
  const auto cmd = only<ShellCommand>("`tc qdisc add dev tun0 root pfifo`");
  EXPECT_TRUE(cmd.settings.empty());
  ASSERT_EQ(cmd.unsupported.size(), 1U);
  EXPECT_EQ(cmd.unsupported[0], "tc qdisc add dev tun0 root pfifo");
}

TEST(Shell, SysctlNeedingAShellIsUnsupported) {
  const auto cmd = only<ShellCommand>("`sysctl -q net.ipv4.tcp_wmem=\"4096 $((256*1024)) 1\"`");
  EXPECT_TRUE(cmd.settings.empty());
  EXPECT_EQ(cmd.unsupported.size(), 1U);
  const auto evil = only<ShellCommand>("`sysctl -q ../../etc/passwd=1`");
  EXPECT_TRUE(evil.settings.empty());
}

}  // namespace
}  // namespace tcpconform::scenario
