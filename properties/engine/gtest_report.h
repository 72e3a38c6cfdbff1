// Reports a RapidCheck result to GoogleTest: a failure prints the shrunk counterexample (the
// script lines of every command), the reason with its reproducer, and how to re-run it.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <iostream>
#include <sstream>
#include <string>

#include "explore_state_check.h"

namespace tcpconform::explore_props {

inline void report(const rc::detail::TestResult& result, const Budget& budget) {
  std::ostringstream text;
  rc::detail::printResultMessage(result, text);
  if (result.is<rc::detail::SuccessResult>()) {
    std::cout << text.str() << std::endl;
    return;
  }
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  ADD_FAILURE() << text.str() << "\n(reproduce: RC_PARAMS=\"seed=" << params(budget).seed
                << "\" --gtest_filter=" << info->test_suite_name() << "." << info->name() << ")";
}

}  // namespace tcpconform::explore_props
