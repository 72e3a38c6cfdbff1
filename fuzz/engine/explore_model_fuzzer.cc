// libFuzzer target `explore_model`: the model's self-check. Each input is a program (a prefix
// into one of the twelve target states, then step-level perturbations) played by the engine on
// the model with the linux profile and on a second linux-profile model beside it
// (harness::model_stand_in()), as `tcpconform explore --sut model` does. Any divergence, prefix
// failure or lane disagreement is a crash whose report is a replayable script; the model's
// transitions guide the search.
#include "libfuzzer_hooks.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::explore_steps {

Driver& target_driver() {
  static harness::ModelSut model(model::linux_profile());
  static const auto stack = harness::model_stand_in(model::linux_profile());
  static Driver driver{engine::explore::Bench{&model, stack.get()}, Limits{}, "linux", "model"};
  return driver;
}

}  // namespace tcpconform::explore_steps
