// The exploration state machine against the Linux kernel (label kernel): the model with the linux
// profile and the kernel must agree on every generated program. Skipped, with the reason, when
// the kernel cannot be driven (no network namespace or /dev/net/tun). Bounded for CI: few, short
// command sequences and at most 0.5 s of time advances per program (the kernel waits them).
#include <gtest/gtest.h>

#include <chrono>

#include "explore_state_check.h"
#include "gtest_report.h"
#include "tcpconform/harness/linux_sut.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::explore_props {
namespace {

TEST(ExploreStateKernel, LinuxProfileModelAgreesWithTheKernel) {
  auto kernel = harness::LinuxSut::create();
  if (!kernel) GTEST_SKIP() << "cannot drive the kernel: " << kernel.error().to_string();
  harness::ModelSut model(model::linux_profile());
  ExploreSut sut{{&model, kernel->get()}, "linux", "linux"};
  const Budget budget{60, 15};
  const auto started = std::chrono::steady_clock::now();
  const auto result = check_exploration(sut, explore_steps::Limits{500'000}, budget,
                                        "ExploreStateKernel/LinuxProfileModelAgreesWithTheKernel");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  RecordProperty("programs", static_cast<int>(sut.runs));
  RecordProperty("milliseconds", static_cast<int>(ms));
  std::cout << sut.runs << " programs played on the kernel in " << ms << " ms" << std::endl;
  report(result, budget);
}

}  // namespace
}  // namespace tcpconform::explore_props
