// Shared helpers for the scenario tests: parse-or-fail and error capture.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>

#include "tcpconform/scenario/parse.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::scenario::testing {

// Parses `text` (as "t.pkt"); a failure is reported through GoogleTest and yields an empty
// Program.
inline engine::Program parse_ok(std::string_view text) {
  auto p = parse(text, "t.pkt");
  EXPECT_TRUE(p.has_value()) << (p ? std::string() : p.error().to_string()) << "\n" << text;
  return p ? *p : engine::Program{};
}

// Parses `text`, which must fail; returns the error.
inline ParseError parse_err(std::string_view text) {
  auto p = parse(text, "t.pkt");
  EXPECT_FALSE(p.has_value()) << "parsed unexpectedly:\n" << text;
  return p ? ParseError{} : p.error();
}

// The single step of a one-line script, as T.
template <typename T>
T only(std::string_view text) {
  const engine::Program p = parse_ok(text);
  EXPECT_EQ(p.steps.size(), 1U) << text;
  if (p.steps.size() != 1) return T{};
  const T* v = std::get_if<T>(&p.steps[0].action);
  EXPECT_NE(v, nullptr) << text;
  return v != nullptr ? *v : T{};
}

// Printing then parsing gives the same program.
inline void expect_round_trip(const engine::Program& p) {
  const std::string text = print(p);
  auto q = parse(text, "printed.pkt");
  ASSERT_TRUE(q.has_value()) << q.error().to_string() << "\n" << text;
  EXPECT_TRUE(engine::same_meaning(p, *q)) << text;
}

}  // namespace tcpconform::scenario::testing
