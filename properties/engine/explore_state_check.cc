// The exploration property: rc::state::check over the exploration commands.
#include "explore_state_check.h"

#include <cstdlib>
#include <string_view>

namespace tcpconform::explore_props {

rc::detail::TestParams params(const Budget& budget) {
  rc::detail::TestParams p = rc::detail::configuration().testParams;
  const char* env = std::getenv("RC_PARAMS");
  const std::string_view text = env == nullptr ? std::string_view{} : std::string_view{env};
  if (text.find("seed") == std::string_view::npos) p.seed = kDefaultSeed;
  if (text.find("max_success") == std::string_view::npos) p.maxSuccess = budget.max_success;
  if (text.find("max_size") == std::string_view::npos) p.maxSize = budget.max_size;
  return p;
}

namespace {

class SilentListener final : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription& /*description*/) override {}
  void onShrinkTried(const rc::detail::CaseDescription& /*shrink*/, bool /*accepted*/) override {}
  void onTestFinished(const rc::detail::TestMetadata& /*metadata*/,
                      const rc::detail::TestResult& /*result*/) override {}
};

}  // namespace

rc::detail::TestResult check_exploration(ExploreSut& sut, const explore_steps::Limits& limits,
                                         const Budget& budget, const std::string& id, bool quiet) {
  rc::detail::TestMetadata metadata;
  metadata.id = id;
  metadata.description = id;
  ExploreModel initial;
  initial.limits = limits;
  const auto property = rc::detail::toProperty([&] { rc::state::check(initial, sut, commands()); });
  if (quiet) {
    SilentListener silent;
    return rc::detail::checkProperty(property, metadata, params(budget), silent,
                                     rc::detail::configuration().reproduce);
  }
  return rc::detail::checkProperty(property, metadata, params(budget));
}

std::string counterexample_script(const rc::detail::TestResult& result) {
  rc::detail::FailureResult failure;
  if (!result.match(failure)) return {};
  std::string script;
  // The one value drawn by the property is the command sequence; its text is each command's
  // show(), one after the other.
  for (const auto& [type, value] : failure.counterExample) script += value;
  return script;
}

}  // namespace tcpconform::explore_props
