// Which stack a command drives beside the model, chosen on the command line the same way by
// every command (`--sut`, and the options of each stack), and made the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "tcpconform/harness/environment.h"
#include "tcpconform/harness/sut.h"

namespace tcpconform::cli {

struct StackChoice {
  // "linux" (the local kernel in a namespace of ours), "lwip" (lwIP 2.1.3 in a host process of
  // its own, IPv4 only) or "model" (no second stack for run and replay; a linux-profile model as
  // the stack for explore's self-check).
  std::string sut = "linux";
  // The kernel's packet path (`--transport`): "tun" (a TUN device, the default and fastest) or
  // "packet" (a veth pair driven through an AF_PACKET socket: a real network device's path).
  std::string transport = "tun";
};

// Adds `--sut` (and the options of the stacks: `--transport`) to `cmd`; `purpose` ends the --sut
// help text.
void add_stack_options(CLI::App* cmd, StackChoice& choice, const std::string& purpose);

// True when the choice drives a real stack (not the model alone).
[[nodiscard]] bool drives_real_stack(const StackChoice& choice);

// Makes one real stack in `environment` (the same one the engine's options carry for the model).
// Each call gives a stack of its own (its own namespace for the kernel). Without root, the first
// call must happen before the process starts threads (user namespaces need a single-threaded
// process).
[[nodiscard]] harness::Result<std::unique_ptr<harness::SystemUnderTest>> make_stack(
    const StackChoice& choice, const harness::Environment& environment);

}  // namespace tcpconform::cli
