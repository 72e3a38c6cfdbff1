// A ModelSut to stand in for the stack in a model self-check. run_scenario() configures the
// model lane with the kernel harness's namespace settings (harness::default_linux_settings():
// short FIN-WAIT-2 timeout, few SYN retries, …) but only resets the stack, and
// ModelSut::reset() returns to the profile it was built with; a plain ModelSut as the stack
// would therefore run with other timers than the model and diverge at the first timer (LISTEN +
// SYN + 61 s: the model has given up the request, the stack still retransmits). This one is
// built with those settings already applied, so every reset keeps them.
#pragma once

#include <memory>

#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::explore_steps {

[[nodiscard]] std::unique_ptr<harness::ModelSut> configured_model(const model::Profile& profile);

}  // namespace tcpconform::explore_steps
