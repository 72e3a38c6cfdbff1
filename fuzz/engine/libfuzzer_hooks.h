// What each explore fuzz target provides to the shared libFuzzer entry points
// (libfuzzer_hooks.cc): its driver, created on first use or in LLVMFuzzerInitialize.
#pragma once

#include "fuzz_driver.h"

namespace tcpconform::explore_steps {

[[nodiscard]] Driver& target_driver();

}  // namespace tcpconform::explore_steps
