// The stacks a command can drive, and the options that choose them.
#include "stacks.h"

#include "tcpconform/harness/linux_sut.h"

namespace tcpconform::cli {

void add_stack_options(CLI::App* cmd, StackChoice& choice, const std::string& purpose) {
  cmd->add_option("--sut", choice.sut, "System under test beside the model: linux or " + purpose)
      ->check(CLI::IsMember({"linux", "model"}))
      ->capture_default_str();
}

bool drives_real_stack(const StackChoice& choice) {
  return choice.sut != "model";
}

harness::Result<std::unique_ptr<harness::SystemUnderTest>> make_stack(const StackChoice& choice) {
  if (choice.sut == "linux") {
    auto kernel = harness::LinuxSut::create();
    if (!kernel) return tl::make_unexpected(kernel.error());
    return std::unique_ptr<harness::SystemUnderTest>(std::move(*kernel));
  }
  return tl::make_unexpected(
      harness::Error{"choose a stack", "no stack named '" + choice.sut + "'", 0, false});
}

}  // namespace tcpconform::cli
