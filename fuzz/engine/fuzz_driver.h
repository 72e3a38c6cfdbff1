// The body of the explore fuzz targets: an input decodes to a case (case_codec.h), its program
// runs differentially on the bench (differential.h), the model's transitions become libFuzzer
// extra counters, and a failure prints the reason and a reproducer script, then aborts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "perturbation.h"
#include "tcpconform/engine/explore/trial.h"

namespace tcpconform::explore_steps {

struct Driver {
  engine::explore::Bench bench;  // the model (the profile under test) and the stack beside it
  Limits limits;
  std::string profile = "linux";  // for the reproducer's replay line
  std::string sut = "model";
};

// Runs one input. `counters` (the target's extra counters, kTransitionCount of them or fewer)
// are cleared, then each transition reached is counted, saturating at 255. Aborts on a failure.
// Environment: EXPLORE_FUZZ_VERBOSE=1 prints every program before it runs;
// EXPLORE_FUZZ_STATS=1 prints, at exit, how many distinct transitions the inputs reached;
// EXPLORE_FUZZ_KNOWN="slug,slug" lists divergence signatures (Signature::slug(), e.g.
// "syn-received-rst-state") already reported, which then do not stop the campaign, as explore
// reports each signature once; EXPLORE_FUZZ_NO_TRANSITIONS=1 leaves the counters at zero (code
// coverage alone guides the search: for comparing the two).
void run_input(Driver& driver, std::span<const std::uint8_t> input,
               std::span<std::uint8_t> counters);

}  // namespace tcpconform::explore_steps
