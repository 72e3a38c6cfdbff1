// RC_GTEST_PROP with a per-property test budget and a fixed default seed, so the suite is
// reproducible and bounded in CI; RC_PARAMS="seed=… max_success=…" overrides either.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace tcpconform::model::props {

// The seed used when RC_PARAMS names none (CI runs with it).
inline constexpr std::uint64_t kDefaultSeed = 1;

// The configured parameters, with the seed fixed and max_success capped at `max_success` unless
// RC_PARAMS sets them explicitly.
inline rc::detail::TestParams params(int max_success) {
  rc::detail::TestParams p = rc::detail::configuration().testParams;
  const char* env = std::getenv("RC_PARAMS");
  const std::string_view text = env == nullptr ? std::string_view{} : std::string_view{env};
  if (text.find("seed") == std::string_view::npos) p.seed = kDefaultSeed;
  if (text.find("max_success") == std::string_view::npos) p.maxSuccess = max_success;
  return p;
}

template <typename Testable>
void check(Testable&& testable, int max_success) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
  metadata.description = info->name();
  const auto result = rc::detail::checkProperty(
      rc::detail::toProperty(std::forward<Testable>(testable)), metadata, params(max_success));
  if (result.template is<rc::detail::SuccessResult>()) {
    if (!result.template get<rc::detail::SuccessResult>().distribution.empty()) {
      rc::detail::printResultMessage(result, std::cout);  // e.g. the share of "model aborted"
      std::cout << std::endl;
    }
  } else {
    std::ostringstream ss;
    rc::detail::printResultMessage(result, ss);
    FAIL() << ss.str() << "\n(reproduce: RC_PARAMS=\"seed=" << params(max_success).seed
           << "\" --gtest_filter=" << metadata.id << ")";
  }
}

}  // namespace tcpconform::model::props

// Like RC_GTEST_PROP, with at most MaxSuccess cases unless RC_PARAMS says otherwise.
#define TCPCONFORM_RC_PROP(Suite, Name, MaxSuccess, ArgList)                           \
  void tcpconformProp_##Suite##_##Name ArgList;                                        \
  TEST(Suite, Name) {                                                                  \
    ::tcpconform::model::props::check(&tcpconformProp_##Suite##_##Name, (MaxSuccess)); \
  }                                                                                    \
  void tcpconformProp_##Suite##_##Name ArgList
