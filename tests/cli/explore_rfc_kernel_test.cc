// `tcpconform explore --profile rfc9293` against the kernel, as issue #6 asks: a bounded campaign
// surfaces the catalog's [LINUX] deviations as divergences of their own (judging on past the
// ones that come first), each explained by the linux profile and replaying.
//
// This test depends on the kernel under test: with one worker and a fixed seed the programs are
// the same every time, but which of them diverge is the kernel's behaviour (measured on Linux
// 6.18.44). It asserts what it is about — each [LINUX] rule listed below surfaces in at least one
// divergence that the linux profile explains and that replays — and reports everything else the
// campaign found (divergences the linux profile does not explain, flakes that do not replay) as a
// note in the test's output and its XML properties, so a new finding on another kernel is
// visible without making this test fail for a reason it is not about.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "command_outcome.h"

namespace {
namespace fs = std::filesystem;

// [LINUX] rules this campaign surfaces on Linux 6.18.44 (measured with seed 1: R160 R165 R167
// R168 R169 R171 R173 R177 R178; seed 2 the same; seed 3 all but R178, plus R176).
constexpr const char* kExpectedRules[] = {"R160", "R165", "R168", "R169", "R171", "R177", "R178"};
// R171 (a RST kills TIME-WAIT) surfaces only by judging on: every program that reaches TIME-WAIT
// passes R160 or another Linux departure first.
constexpr const char* kOnlyByJudgingOn = "R171";

bool names_rule(const nlohmann::json& divergence, const std::string& rule) {
  for (const auto& r : divergence["linux_rules"]) {
    if (r.get<std::string>() == rule) return true;
  }
  return false;
}

TEST(ExploreRfcKernel, SurfacesLinuxDeviationsAsDistinctDivergences) {
  const fs::path out =
      fs::temp_directory_path() / ("tcpconform-explore-rfc-" + std::to_string(::getpid()));
  fs::remove_all(out);
  // One worker and a fixed seed: the same programs in the same order every time.
  const auto o = tcpconform::testing::run_command(
      std::string(TCPCONFORM_BINARY) +
      " explore --sut linux --profile rfc9293 -j1 --seed 1 --programs 1500 --time 300 --out " +
      out.string());
  if (o.exit_code == 77) GTEST_SKIP() << "no network namespace or TUN device: " << o.output;
  ASSERT_EQ(o.exit_code, 1) << o.output;  // divergences found
  std::ifstream in(out / "summary.json");
  const nlohmann::json summary = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(summary.is_discarded());
  ASSERT_TRUE(summary["divergences"].is_array());

  std::string notes;
  for (const auto& d : summary["divergences"]) {
    const std::string slug = d["slug"].get<std::string>();
    if (d["explained_by_linux_profile"].get<std::string>().empty()) {
      notes += "  not explained by the linux profile: " + slug + " (" +
               d["replayed"].get<std::string>() + ")\n";
    } else if (!d["replays"].get<bool>()) {
      notes += "  explained but did not replay: " + slug + " (" + d["replayed"].get<std::string>() +
               ")\n";
    }
  }
  if (!notes.empty()) {
    // Not a failure of this test (see the header comment): a finding to triage.
    std::cout << "note: findings beyond this test's subject (" << out << "):\n" << notes;
    ::testing::Test::RecordProperty("other_findings", notes);
  }

  for (const std::string rule : kExpectedRules) {
    bool surfaced = false;
    bool by_judging_on = false;
    for (const auto& d : summary["divergences"]) {
      if (!names_rule(d, rule) || !d["replays"].get<bool>() ||
          d["explained_by_linux_profile"].get<std::string>().empty()) {
        continue;
      }
      surfaced = true;
      by_judging_on = by_judging_on || d["profile"].get<std::string>() != "rfc9293";
    }
    EXPECT_TRUE(surfaced) << rule
                          << " is not named by any explained divergence that replays; output:\n"
                          << o.output;
    if (rule == kOnlyByJudgingOn) {
      EXPECT_TRUE(by_judging_on) << rule << " surfaced without judging on";
    }
  }
  // The summary's list agrees with the divergences' own.
  std::set<std::string> listed;
  for (const auto& r : summary["linux_rules_surfaced"]) listed.insert(r.get<std::string>());
  for (const std::string rule : kExpectedRules) EXPECT_TRUE(listed.contains(rule)) << rule;
  if (notes.empty()) fs::remove_all(out);
}

}  // namespace
