// Tests of `%{ }%` code blocks: tcpi_* assertions understood, other lines kept as unsupported.
#include <gtest/gtest.h>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

using engine::CodeBlock;
using testing::only;
using testing::parse_err;

TEST(Assert, TcpiStateUnderstood) {
  const auto b = only<CodeBlock>("+0 %{ assert tcpi_state == TCP_CLOSE_WAIT }%");
  ASSERT_EQ(b.assertions.size(), 1U);
  EXPECT_EQ(b.assertions[0].field, "tcpi_state");
  EXPECT_EQ(b.assertions[0].op, engine::CompareOp::kEq);
  EXPECT_EQ(b.assertions[0].state, model::State::kCloseWait);
  EXPECT_TRUE(b.unsupported.empty());
}

TEST(Assert, NumericFieldsAndMessages) {
  const auto b = only<CodeBlock>(
      "+0 %{\nassert tcpi_unacked == 2, tcpi_unacked\nassert tcpi_retransmits >= 1\n}%");
  ASSERT_EQ(b.assertions.size(), 2U);
  EXPECT_EQ(b.assertions[0].field, "tcpi_unacked");
  EXPECT_EQ(b.assertions[0].value, 2);
  EXPECT_EQ(b.assertions[1].op, engine::CompareOp::kGe);
  EXPECT_EQ(b.assertions[1].value, 1);
}

TEST(Assert, OtherPythonIsKeptAsUnsupported) {
  const auto b = only<CodeBlock>("+0 %{ print(tcpi_rtt) }%");
  EXPECT_TRUE(b.assertions.empty());
  ASSERT_EQ(b.unsupported.size(), 1U);
  EXPECT_EQ(b.unsupported[0], "print(tcpi_rtt)");
}

TEST(Assert, UnknownStateNameIsAnErrorAtItsColumn) {
  const auto e = parse_err("+0 %{ assert tcpi_state == TCP_NOPE }%");
  EXPECT_EQ(e.line, 1U);
  EXPECT_EQ(e.column, 28U);
}

}  // namespace
}  // namespace tcpconform::scenario
