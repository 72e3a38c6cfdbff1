// A ModelSut whose base profile already carries the harness's namespace settings.
#include "configured_model.h"

#include "tcpconform/harness/linux_sut.h"

namespace tcpconform::explore_steps {

std::unique_ptr<harness::ModelSut> configured_model(const model::Profile& profile) {
  harness::ModelSut probe(profile);
  if (!probe.configure(harness::default_linux_settings())) {
    return std::make_unique<harness::ModelSut>(profile);
  }
  return std::make_unique<harness::ModelSut>(probe.endpoint().profile(),
                                             probe.endpoint().choices());
}

}  // namespace tcpconform::explore_steps
