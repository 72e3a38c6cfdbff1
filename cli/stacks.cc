// The stacks a command can drive, and the options that choose them.
#include "stacks.h"

#include "tcpconform/harness/linux_sut.h"
#include "tcpconform/harness/lwip_sut.h"

namespace tcpconform::cli {

void add_stack_options(CLI::App* cmd, StackChoice& choice, const std::string& purpose) {
  cmd->add_option(
         "--sut", choice.sut,
         "System under test beside the model: linux, lwip (lwIP 2.1.3, IPv4) or " + purpose)
      ->check(CLI::IsMember({"linux", "lwip", "model"}))
      ->capture_default_str();
  // lwIP is driven in IPv4 only: asking for IPv6 is a usage error (exit 2), not a silent skip.
  cmd->parse_complete_callback([cmd, &choice] {
    if (choice.sut != "lwip") return;
    for (const char* name : {"--ipv6", "--both"}) {
      const CLI::Option* opt = cmd->get_option_no_throw(name);
      if (opt != nullptr && opt->count() > 0) {
        throw CLI::ValidationError(
            name, "the lwip stack runs IPv4 only (use --ipv4 or no family option)");
      }
    }
  });
  cmd->add_option("--transport", choice.transport,
                  "How segments reach the kernel: tun (a TUN device, fastest) or packet (a veth "
                  "pair through an AF_PACKET socket)")
      ->check(CLI::IsMember({"tun", "packet"}))
      ->capture_default_str();
}

bool drives_real_stack(const StackChoice& choice) {
  return choice.sut != "model";
}

harness::Result<std::unique_ptr<harness::SystemUnderTest>> make_stack(
    const StackChoice& choice, const harness::Environment& environment) {
  if (choice.sut == "linux") {
    harness::LinuxSutOptions options;
    options.environment = environment;
    options.transport = harness::parse_transport(choice.transport).value_or(options.transport);
    auto kernel = harness::LinuxSut::create(options);
    if (!kernel) return tl::make_unexpected(kernel.error());
    return std::unique_ptr<harness::SystemUnderTest>(std::move(*kernel));
  }
  if (choice.sut == "lwip") {
    // lwIP in a host process of its own, on virtual time: the engine advances its clock through
    // every gap of a script, so timers cost no real waiting. The environment's sysctls are not
    // lwIP's: its timers and options are its own (lwipopts of Debian's build), and only a
    // program's own settings reach it (LwipSut::configure).
    harness::LwipSutOptions options;
    options.clock = harness::LwipSutOptions::Clock::kVirtual;
    auto lwip = harness::LwipSut::create(options);
    if (!lwip) return tl::make_unexpected(lwip.error());
    return std::unique_ptr<harness::SystemUnderTest>(std::move(*lwip));
  }
  return tl::make_unexpected(
      harness::Error{"choose a stack", "no stack named '" + choice.sut + "'", 0, false, false});
}

}  // namespace tcpconform::cli
