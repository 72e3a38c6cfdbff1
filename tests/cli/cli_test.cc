// The tcpconform command as a user runs it: exit codes, error messages, output files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "command_outcome.h"

namespace {
namespace fs = std::filesystem;

using tcpconform::testing::Outcome;

Outcome run(const std::string& args) {
  return tcpconform::testing::run_command(std::string(TCPCONFORM_BINARY) + " " + args);
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tcpconform-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  fs::path dir_;
};

constexpr const char* kPassing = R"(// A passive open on the model.
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <...>
+0 < . 1:1(0) ack 1 win 257
+0 accept(3, ..., ...) = 4
//@ state fd 4 ESTABLISHED
)";

TEST_F(Cli, VersionPrintsTheVersion) {
  const Outcome o = run("--version");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.output.find("tcpconform "), std::string::npos) << o.output;
}

TEST_F(Cli, HelpDocumentsExitCodes) {
  const Outcome o = run("--help");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.output.find("77 missing privileges"), std::string::npos) << o.output;
}

TEST_F(Cli, UnknownOptionIsAUsageError) {
  EXPECT_EQ(run("run --no-such-option").exit_code, 2);
}

TEST_F(Cli, MissingPathIsBadInput) {
  const Outcome o = run("run --sut model " + (dir_ / "absent.pkt").string());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("no such file"), std::string::npos) << o.output;
}

TEST_F(Cli, TruncatedLineGivesFileLineColumnAndExit2) {
  const std::string f =
      write("trunc.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0) win\n");
  const Outcome o = run("run --sut model " + f);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("trunc.pkt:2:18: expected the window after 'win'"), std::string::npos)
      << o.output;
}

TEST_F(Cli, UnknownFlagGivesFileLineColumnAndExit2) {
  const std::string f =
      write("flag.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < Q 0:0(0) win 1\n");
  const Outcome o = run("run --sut model " + f);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("flag.pkt:2:6: expected packet flags, found 'Q'"), std::string::npos)
      << o.output;
}

TEST_F(Cli, BadOptionGivesFileLineColumnAndExit2) {
  const std::string f = write(
      "opt.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0) win 1 <mss,nop>\n");
  const Outcome o = run("run --sut model " + f);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("opt.pkt:2:"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("MSS"), std::string::npos) << o.output;
}

TEST_F(Cli, PassingScenarioExits0WithTheSummaryLine) {
  const std::string f = write("ok.pkt", kPassing);
  const Outcome o = run("run --sut model " + f);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("PASS  ipv4"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("\n1 passed, 0 failed"), std::string::npos) << o.output;
}

TEST_F(Cli, BothFamiliesRunEachScenarioTwice) {
  const std::string f = write("ok.pkt", kPassing);
  const Outcome o = run("run --sut model --both " + f);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("2 passed, 0 failed"), std::string::npos) << o.output;
}

TEST_F(Cli, FailingScenarioExits1AndWritesReproducerJsonJunitAndPcap) {
  const std::string f =
      write("bad.pkt", std::string(kPassing) + "+0 close(4) = 0\n+0 > R. 1:1(0) ack 1\n");
  const fs::path out = dir_ / "out";
  const Outcome o = run("run --sut model " + f + " --out " + out.string() + " --json " +
                        (dir_ / "r.json").string() + " --junit " + (dir_ / "r.xml").string() +
                        " --pcap " + (dir_ / "pcap").string());
  EXPECT_EQ(o.exit_code, 1) << o.output;
  EXPECT_NE(o.output.find("0 passed, 1 failed"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("tcp_flags"), std::string::npos) << o.output;
  EXPECT_TRUE(fs::exists(out / "repro" / "bad.ipv4.pkt")) << o.output;
  EXPECT_TRUE(fs::exists(dir_ / "r.json"));
  EXPECT_TRUE(fs::exists(dir_ / "r.xml"));
  EXPECT_TRUE(fs::exists(dir_ / "pcap" / "bad.ipv4.model-linux.pcap"));
  // The reproducer is itself a scenario that fails the same way.
  const Outcome again = run("run --sut model " + (out / "repro" / "bad.ipv4.pkt").string());
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_NE(again.output.find("tcp_flags"), std::string::npos) << again.output;
}

TEST_F(Cli, FilterSelectsScenarios) {
  write("a.pkt", kPassing);
  write("b.pkt", kPassing);
  const Outcome o = run("run --sut model --filter 'a*' " + dir_.string());
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("1 passed, 0 failed"), std::string::npos) << o.output;
}

TEST_F(Cli, SelfCheckRoundTripsASyn) {
  const Outcome o = run("self-check");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("IPv6 SYN"), std::string::npos) << o.output;
}

}  // namespace

namespace {

TEST_F(Cli, ProfilesListsEveryFieldWithBothValues) {
  const Outcome o = run("profiles rfc9293+rfc1337");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("request_sockets"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("R121 R171"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("spec"), std::string::npos) << o.output;  // the spec's own column
}

TEST_F(Cli, UnknownProfileFieldIsAUsageErrorNamingIt) {
  const std::string f = write("ok.pkt", kPassing);
  const Outcome o = run("run --sut model --profile rfc9293+no_such_field " + f);
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("'no_such_field'"), std::string::npos) << o.output;
}

TEST_F(Cli, HybridProfileRunsAScript) {
  const std::string f = write("ok.pkt", kPassing);
  const Outcome o = run("replay --sut model --profile rfc9293+request_sockets " + f);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("model (rfc9293+request_sockets)"), std::string::npos) << o.output;
}

// The self-check with the RFC profile judges on: divergences name the linux fields that explain
// them, later ones replay with a hybrid profile, and every reproducer replayed during the run.
TEST_F(Cli, RfcExploreJudgesOnPastExplainedDivergences) {
  const fs::path out = dir_ / "explore";
  const Outcome o = run("explore --sut model --profile rfc9293 -j1 --seed 1 --programs 300 --out " +
                        out.string());
  EXPECT_EQ(o.exit_code, 1) << o.output;  // divergences found
  EXPECT_NE(o.output.find("linux deviations that explain divergences"), std::string::npos)
      << o.output;
  std::ifstream in(out / "summary.json");
  const std::string summary((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(summary.find("\"profile\": \"rfc9293+"), std::string::npos) << summary.substr(0, 2000);
  EXPECT_NE(summary.find("\"deviations\": \"request_sockets"), std::string::npos);
  EXPECT_EQ(summary.find("\"replays\": false"), std::string::npos);
  EXPECT_NE(summary.find("\"linux_rules_surfaced\""), std::string::npos);
}

}  // namespace
