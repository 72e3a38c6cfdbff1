// Running the exploration state machine as a RapidCheck property with a fixed seed and bounded
// budgets (RC_PARAMS overrides them), returning RapidCheck's result so that a test can look at
// the counterexample itself.
#pragma once

#include <rapidcheck.h>

#include <string>

#include "explore_state.h"

namespace tcpconform::explore_props {

// The seed CI runs with unless RC_PARAMS names one.
inline constexpr std::uint64_t kDefaultSeed = 1;

struct Budget {
  int max_success = 100;  // test cases (RC_PARAMS max_success overrides)
  int max_size = 30;      // the largest size: up to size + 1 commands per case (max_size)
};

// RapidCheck's configured parameters, with the seed, max_success and max_size from `budget`
// unless RC_PARAMS sets them.
[[nodiscard]] rc::detail::TestParams params(const Budget& budget);

// Checks the state machine on `sut`: every generated command sequence plays without a failure.
// `id` names the property for RC_PARAMS="reproduce=…". A property expected to fail (a test of
// the property itself) runs `quiet`: RapidCheck's listener neither prints its progress nor lists
// it among the failures to reproduce at exit.
[[nodiscard]] rc::detail::TestResult check_exploration(ExploreSut& sut,
                                                       const explore_steps::Limits& limits,
                                                       const Budget& budget, const std::string& id,
                                                       bool quiet = false);

// The script lines of a failure's counterexample: every command's show(), in order.
[[nodiscard]] std::string counterexample_script(const rc::detail::TestResult& result);

}  // namespace tcpconform::explore_props
