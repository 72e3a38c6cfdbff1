// `tcpconform matrix` and `--sut lwip` as a user runs them: the three output formats, and IPv6 on
// lwIP refused as a usage error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "../cli/command_outcome.h"

namespace {
namespace fs = std::filesystem;

using tcpconform::testing::Outcome;

Outcome run(const std::string& args) {
  return tcpconform::testing::run_command(std::string(TCPCONFORM_BINARY) + " " + args);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class MatrixCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(TCPCONFORM_LWIP_HOST).empty()) GTEST_SKIP() << "built without liblwip-dev";
    dir_ = fs::temp_directory_path() /
           ("tcpconform-matrix-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(MatrixCli, WritesTextJsonAndMarkdownSideBySide) {
  const fs::path json = dir_ / "matrix.json";
  const fs::path md = dir_ / "matrix.md";
  const Outcome o =
      run("matrix --sut model --sut lwip --programs 60 --time 60 -j 1 --seed 3 --out " +
          (dir_ / "repro").string() + " --json " + json.string() + " --markdown " + md.string());
  ASSERT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.output;
  EXPECT_NE(o.output.find("state x event conformance matrix"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("ESTABLISHED"), std::string::npos);
  EXPECT_NE(o.output.find("model | lwip"), std::string::npos);

  const auto j = nlohmann::json::parse(slurp(json), nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_EQ(j["stacks"].size(), 2U);
  EXPECT_EQ(j["stacks"][1]["sut"], "lwip");
  EXPECT_EQ(j["stacks"][1]["cells"].size(), j["states"].size() * j["events"].size());
  EXPECT_EQ(j["events"].size(), 15U);
  std::size_t reached = 0;
  for (const auto& cell : j["stacks"][1]["cells"]) {
    if (cell["verdict"] != "unreached") ++reached;
    for (const auto& d : cell["divergences"]) {
      EXPECT_TRUE(fs::exists(d["reproducer"].get<std::string>())) << d.dump();
    }
  }
  EXPECT_GT(reached, 10U);

  const std::string markdown = slurp(md);
  EXPECT_NE(markdown.find("| state | SYN | SYN-ACK |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| ESTABLISHED |"), std::string::npos);
  EXPECT_NE(markdown.find("✓"), std::string::npos);
  EXPECT_NE(markdown.find("## lwip (lwIP 2.1.3)"), std::string::npos);
}

TEST_F(MatrixCli, LwipRefusesIpv6AsAUsageError) {
  const Outcome o = run("run --sut lwip --ipv6 --out " + dir_.string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("IPv4 only"), std::string::npos) << o.output;
}

}  // namespace
