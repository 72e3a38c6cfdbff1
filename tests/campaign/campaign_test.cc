// The campaign engine on the model alone: findings recorded once per key, minimised and
// replaying; judging on; determinism; --resume; stack crashes and harness errors as typed
// results; the summary; a stack that cannot be made.
#include "tcpconform/campaign/campaign.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "stand_in_stacks.h"
#include "tcpconform/campaign/files.h"
#include "tcpconform/campaign/summary.h"
#include "tcpconform/scenario/parse.h"

namespace tcpconform::campaign::testing {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Campaign, RecordsEachKeyOnceMinimisedAndReplaying) {
  const TempDir dir("tcpconform-campaign-findings");
  CampaignOptions options = rfc_campaign(dir.path(), 150);
  options.isolate = false;
  const auto r = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->programs, 150U);
  ASSERT_FALSE(r->findings.empty());
  EXPECT_EQ(r->new_findings, r->findings.size());
  EXPECT_TRUE(r->found_something());
  std::set<std::string> keys;
  for (const Finding& f : r->findings) {
    EXPECT_TRUE(keys.insert(f.key).second) << f.key << " recorded twice";
    EXPECT_EQ(f.key, f.signature.slug());
    EXPECT_EQ(fs::path(f.file), dir.path() / (f.key + ".pkt"));
    EXPECT_TRUE(f.replays) << f.key << " replayed " << f.replayed;
    EXPECT_LE(f.steps_after, f.steps_before);
    // The reproducer is a script that parses back.
    EXPECT_TRUE(scenario::parse(read(f.file), f.file).has_value()) << f.file;
    // Against a linux-profile model, every RFC-profile divergence is a Linux departure.
    EXPECT_FALSE(f.explained_by.empty()) << f.key;
  }
  // The workers' in-flight files are gone.
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().string().find("inflight-"), std::string::npos) << entry.path();
  }
}

TEST(Campaign, JudgesOnPastExplainedDivergences) {
  const TempDir dir("tcpconform-campaign-judge-on");
  CampaignOptions options = rfc_campaign(dir.path(), 150);
  options.isolate = false;
  const auto r = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_GT(r->judged_programs, 0U);
  const bool hybrid = std::any_of(r->findings.begin(), r->findings.end(),
                                  [](const Finding& f) { return f.profile != "rfc9293"; });
  EXPECT_TRUE(hybrid) << "no finding replays with a hybrid profile";

  const TempDir plain_dir("tcpconform-campaign-no-judge-on");
  options.out = plain_dir.path();
  options.judge_on = false;
  const auto plain = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->judged_programs, 0U);
  for (const Finding& f : plain->findings) EXPECT_EQ(f.profile, "rfc9293") << f.key;
}

TEST(Campaign, OneWorkerAndOneSeedGiveTheSameFindings) {
  const TempDir a_dir("tcpconform-campaign-same-a");
  const TempDir b_dir("tcpconform-campaign-same-b");
  CampaignOptions options = rfc_campaign(a_dir.path(), 80);
  options.isolate = false;
  const auto a = run_campaign(options, linux_model_stack());
  options.out = b_dir.path();
  const auto b = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_EQ(a->findings.size(), b->findings.size());
  for (std::size_t i = 0; i < a->findings.size(); ++i) {
    EXPECT_EQ(a->findings[i].key, b->findings[i].key);
    EXPECT_EQ(a->findings[i].steps_after, b->findings[i].steps_after);
  }
}

TEST(Campaign, ResumeReportsOnlyNewKeys) {
  const TempDir dir("tcpconform-campaign-resume");
  CampaignOptions options = rfc_campaign(dir.path(), 80);
  options.isolate = false;
  const auto first = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(write_text(dir.path() / "summary.json", summary_json(options, *first).dump(2)));
  options.previous = read_previous(dir.path() / "summary.json");
  ASSERT_EQ(options.previous.size(), first->findings.size());
  const auto again = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->new_findings, 0U);
  EXPECT_EQ(again->findings.size(), first->findings.size());
  for (const Finding& f : again->findings) EXPECT_TRUE(f.previous) << f.key;
}

TEST(Campaign, StackCrashIsAFindingOncePerSiteWithAMinimisedProgram) {
  const TempDir dir("tcpconform-campaign-crash");
  harness::Error crash{.step = "inject",
                       .message =
                           "lwIP was killed by signal 6 (Aborted): Assertion \"x\" failed "
                           "at line 1430 in src/core/tcp_in.c"};
  crash.stack_crashed = true;
  CampaignOptions options = rfc_campaign(dir.path(), 200);
  options.isolate = false;
  const auto r = run_campaign(options, failing_stack(crash));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->stack_crashes.size(), 1U);
  const StackCrash& c = r->stack_crashes.front();
  EXPECT_EQ(c.slug, "stack-crash-tcp-in-c-1430");
  EXPECT_LE(c.steps_after, c.steps_before);
  EXPECT_TRUE(fs::exists(c.file)) << c.file;
  EXPECT_TRUE(scenario::parse(read(c.file), c.file).has_value());
  EXPECT_TRUE(r->found_something());
  EXPECT_EQ(r->harness_errors, 0U);  // a crash is not a harness failure
}

TEST(Campaign, HarnessErrorIsCountedNotFound) {
  const TempDir dir("tcpconform-campaign-error");
  CampaignOptions options = rfc_campaign(dir.path(), 200);
  options.isolate = false;
  const auto r =
      run_campaign(options, failing_stack(harness::Error{.step = "inject", .message = "gone"}));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_GT(r->harness_errors, 0U);
  EXPECT_TRUE(r->stack_crashes.empty());
}

TEST(Campaign, ModelHelperRunsProgramsWithoutChangingFindings) {
  const TempDir a_dir("tcpconform-campaign-isolated");
  const TempDir b_dir("tcpconform-campaign-not-isolated");
  CampaignOptions options = rfc_campaign(a_dir.path(), 60);
  const auto isolated = run_campaign(options, linux_model_stack());
  options.isolate = false;
  options.out = b_dir.path();
  const auto plain = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(isolated.has_value() && plain.has_value());
  EXPECT_TRUE(isolated->model_aborts.empty());
  ASSERT_EQ(isolated->findings.size(), plain->findings.size());
  for (std::size_t i = 0; i < plain->findings.size(); ++i) {
    EXPECT_EQ(isolated->findings[i].key, plain->findings[i].key);
  }
}

TEST(Campaign, SummaryCountsWhatTheCampaignDid) {
  const TempDir dir("tcpconform-campaign-summary");
  CampaignOptions options = rfc_campaign(dir.path(), 60);
  options.isolate = false;
  const auto r = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(r.has_value());
  const nlohmann::json s = summary_json(options, *r);
  EXPECT_EQ(s["programs"].get<std::uint64_t>(), 60U);
  EXPECT_EQ(s["profile"].get<std::string>(), "rfc9293");
  EXPECT_EQ(s["divergences"].size(), r->findings.size());
  EXPECT_EQ(s["coverage"]["cells_reached"].get<std::size_t>(), r->cells.size());
  EXPECT_FALSE(s["linux_deviations"].empty());
}

TEST(Campaign, AStackThatCannotBeMadeIsAnErrorThatSaysWhy) {
  const TempDir dir("tcpconform-campaign-no-stack");
  CampaignOptions options = rfc_campaign(dir.path(), 10);
  options.isolate = false;
  const StackFactory refuse = [] {
    return harness::Result<std::unique_ptr<harness::SystemUnderTest>>(tl::make_unexpected(
        harness::Error{.step = "unshare", .message = "no namespaces", .missing_privilege = true}));
  };
  const auto r = run_campaign(options, refuse);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().missing_privilege);
  EXPECT_NE(r.error().message.find("no namespaces"), std::string::npos) << r.error().message;
}

TEST(Campaign, AnUnknownProfileIsAnError) {
  const TempDir dir("tcpconform-campaign-bad-profile");
  CampaignOptions options = rfc_campaign(dir.path(), 10);
  options.profile = "bsd";
  const auto r = run_campaign(options, linux_model_stack());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("bsd"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace tcpconform::campaign::testing
