// The explorer against the kernel: a planted bug (one rule changed in a copy of the linux
// profile) is found by a short campaign, minimised, and explained by that rule alone.
#include <gtest/gtest.h>

#include <chrono>

#include "tcpconform/engine/explore/generator.h"
#include "tcpconform/engine/explore/minimise.h"
#include "tcpconform/engine/explore/trial.h"
#include "tcpconform/harness/linux_sut.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/parse.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::engine::explore {
namespace {

// The planted bug: the model closes a socket with unread data gracefully (FIN), as RFC 9293
// allows, while Linux resets it (R130/R168, tcp_close: data_was_unread → RST, CLOSED). The
// switch is half_duplex_close_rst; it is not one that the harness's sysctls set on the model
// (tcp_rfc1337, for instance, would be overridden by the namespace's setting).
model::Profile planted() {
  model::Profile p = model::linux_profile();
  p.half_duplex_close_rst = false;
  return p;
}

TEST(ExploreKernel, CampaignFindsAPlantedRuleChange) {
  auto kernel = harness::LinuxSut::create();
  if (!kernel) GTEST_SKIP() << "cannot drive the kernel: " << kernel.error().to_string();
  harness::ModelSut model(planted());
  Bench bench{&model, kernel->get()};

  // A bounded campaign: at most 20 s or 4000 programs, random targets.
  Generator generator(2026);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::optional<Generated> found;
  Signature wanted;
  std::size_t programs = 0;
  while (!found && programs < 4000 && std::chrono::steady_clock::now() < deadline) {
    Generated g = generator.next();
    ++programs;
    const Trial t = run_trial(bench, g.program);
    ASSERT_FALSE(t.harness_error) << t.result.summary;
    // close() in any state with unread data: the model keeps a connection, Linux has none.
    if (t.signature && t.signature->event == EventClass::kClose && t.signature->field == "state") {
      wanted = *t.signature;
      found = std::move(g);
    }
  }
  ASSERT_TRUE(found.has_value()) << "not found in " << programs << " programs";
  RecordProperty("signature", wanted.text());
  RecordProperty("programs", static_cast<int>(programs));

  const Minimised m = minimise(found->program, found->prefix_steps, wanted, oracle_for(bench));
  ASSERT_TRUE(m.reproduced);
  EXPECT_LE(m.program.steps.size(), found->program.steps.size());
  // The reproducer as a file would hold it: printed, parsed, replayed.
  auto parsed = scenario::parse(scenario::print(m.program), "planted.pkt");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
  const Trial again = run_trial(bench, *parsed);
  EXPECT_EQ(again.signature, wanted) << scenario::print(m.program);

  // Without the planted change the same program does not diverge that way: the rule is the cause.
  harness::ModelSut honest(model::linux_profile());
  Bench control{&honest, kernel->get()};
  const Trial clean = run_trial(control, *parsed);
  EXPECT_NE(clean.signature, wanted) << scenario::print(m.program);
}

}  // namespace
}  // namespace tcpconform::engine::explore
