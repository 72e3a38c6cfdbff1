// The matrix observer on a model-only campaign: cells reached, divergences filed per signature
// and RST column with their reproducers, verdicts.
#include "tcpconform/campaign/matrix.h"

#include <gtest/gtest.h>

#include <set>

#include "stand_in_stacks.h"

namespace tcpconform::campaign::matrix {
namespace {

using testing::linux_model_stack;
using testing::rfc_campaign;
using testing::TempDir;

TEST(Matrix, ColumnsSplitRstByItsPlaceInTheWindow) {
  using engine::explore::EventClass;
  using engine::explore::RstPosition;
  EXPECT_EQ(column_of(EventClass::kRst, RstPosition::kExact), Column::kRstExact);
  EXPECT_EQ(column_of(EventClass::kRst, RstPosition::kInWindow), Column::kRstInWindow);
  EXPECT_EQ(column_of(EventClass::kRst, std::nullopt), Column::kRstOutside);
  EXPECT_EQ(column_of(EventClass::kShutdown, std::nullopt), Column::kClose);
  EXPECT_EQ(column_of(EventClass::kListen, std::nullopt), Column::kCalls);
}

TEST(Matrix, CellVerdicts) {
  Cell cell;
  EXPECT_EQ(cell.verdict(), Verdict::kUnreached);
  cell.reached = 3;
  EXPECT_EQ(cell.verdict(), Verdict::kConform);
  cell.divergences.push_back(CellDivergence{.explained = true});
  EXPECT_EQ(cell.verdict(), Verdict::kKnown);
  cell.divergences.push_back(CellDivergence{.explained = false});
  EXPECT_EQ(cell.verdict(), Verdict::kDiverges);
}

TEST(Matrix, ObserverFillsCellsAndFilesDivergencesWithReproducers) {
  const TempDir dir("tcpconform-matrix-observer");
  CampaignOptions options = rfc_campaign(dir.path(), 150);
  options.command = "matrix";
  options.isolate = false;
  options.judge_on = false;
  MatrixObserver observer;
  options.observer = &observer;
  const auto r = run_campaign(options, linux_model_stack());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const StackMatrix m = observer.matrix(options, *r);
  EXPECT_EQ(m.programs, 150U);
  std::uint64_t reached = 0;
  std::size_t divergent = 0;
  std::set<std::string> keys;
  for (const auto& row : m.cells) {
    for (const Cell& cell : row) {
      reached += cell.reached;
      for (const CellDivergence& d : cell.divergences) {
        ++divergent;
        EXPECT_TRUE(keys.insert(d.key).second) << d.key << " filed twice";
        EXPECT_FALSE(d.file.empty()) << d.key << " has no reproducer";
        // Against a linux-profile model every divergence of the RFC profile is explained.
        EXPECT_TRUE(d.explained) << d.key;
      }
    }
  }
  EXPECT_GT(reached, 150U);
  EXPECT_GT(divergent, 0U);
  EXPECT_EQ(divergent, r->findings.size());
  // Known deviations only: nothing diverges.
  EXPECT_FALSE(m.diverges());
}

}  // namespace
}  // namespace tcpconform::campaign::matrix
