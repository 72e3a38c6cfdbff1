// libFuzzer target `explore_linux`: the model (linux profile) against the Linux kernel. One
// LinuxSut (a private network namespace with a TUN device) is created in LLVMFuzzerInitialize
// and every input's program runs on fresh ports (SystemUnderTest::program_port()). A divergence
// the linux profile does not explain is a crash whose report is a replayable script.
// Without the privileges to drive the kernel it says why and exits 77 (ctest: skipped).
// Time advances are capped at 0.5 s per program: the kernel really waits them.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "libfuzzer_hooks.h"
#include "tcpconform/harness/linux_sut.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::explore_steps {
namespace {

std::unique_ptr<harness::LinuxSut>& kernel() {
  static std::unique_ptr<harness::LinuxSut> k;
  return k;
}

}  // namespace

Driver& target_driver() {
  static harness::ModelSut model(model::linux_profile());
  static Driver driver{engine::explore::Bench{&model, kernel().get()}, Limits{500'000}, "linux",
                       "linux"};
  return driver;
}

}  // namespace tcpconform::explore_steps

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  auto created = tcpconform::harness::LinuxSut::create();
  if (!created) {
    std::fprintf(stderr, "explore_linux: cannot drive the kernel, skipping: %s\n",
                 created.error().to_string().c_str());
    std::exit(77);
  }
  tcpconform::explore_steps::kernel() = std::move(*created);
  return 0;
}
