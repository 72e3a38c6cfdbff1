// Helpers for engine tests: parse a script from text and run it on the model alone or on two
// models with different profiles standing in for a model and a stack.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tcpconform/engine/runner.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/parse.h"

namespace tcpconform::engine::testing {

inline Program parse_or_die(std::string_view text) {
  auto program = scenario::parse(text, "test.pkt");
  EXPECT_TRUE(program.has_value()) << (program ? "" : program.error().to_string());
  return program ? *program : Program{};
}

inline ScenarioResult run_on_model(std::string_view text,
                                   model::Profile profile = model::linux_profile(),
                                   wire::IpVersion version = wire::IpVersion::kV4) {
  harness::ModelSut model(profile);
  RunOptions options;
  options.version = version;
  return run_scenario(parse_or_die(text), model, nullptr, options);
}

// The model with `expected` plays the oracle; a second model with `actual` plays the stack.
inline ScenarioResult run_differential(std::string_view text, model::Profile expected,
                                       model::Profile actual) {
  harness::ModelSut oracle(expected);
  harness::ModelSut stack(actual);
  return run_scenario(parse_or_die(text), oracle, &stack, RunOptions{});
}

inline const Mismatch& first_mismatch(const ScenarioResult& r) {
  for (const auto& lane : r.lanes) {
    if (lane.mismatch) return *lane.mismatch;
  }
  static const Mismatch none;
  ADD_FAILURE() << "no lane has a mismatch";
  return none;
}

// A passive open up to ESTABLISHED with fd 4 accepted (steps 0–6).
inline constexpr std::string_view kPassiveOpen = R"(
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>
+0 < . 1:1(0) ack 1 win 257
+0 accept(3, ..., ...) = 4
)";

}  // namespace tcpconform::engine::testing
