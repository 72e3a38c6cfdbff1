// Text reports: ladder diagrams and failure explanations.
#include "tcpconform/engine/report.h"

#include <fmt/core.h>

#include <algorithm>

namespace tcpconform::engine {
namespace {

void table(std::string& out, const std::vector<FieldDiff>& diffs) {
  std::size_t w0 = 5;
  std::size_t w1 = 8;
  for (const auto& d : diffs) {
    w0 = std::max(w0, d.field.size());
    w1 = std::max(w1, d.expected.size());
  }
  out += fmt::format("      {:<{}}  {:<{}}  {}\n", "field", w0, "expected", w1, "actual");
  for (const auto& d : diffs) {
    out += fmt::format("      {:<{}}  {:<{}}  {}\n", d.field, w0, d.expected, w1, d.actual);
  }
}

}  // namespace

std::string ladder(const LaneResult& lane) {
  std::string out;
  for (const TraceEntry& e : lane.trace) {
    const double t = static_cast<double>(e.time_us) / 1e6;
    switch (e.kind) {
      case TraceEntry::Kind::kInbound:
        out += fmt::format("  {:8.3f}  stack <-- peer   {}\n", t, e.text);
        break;
      case TraceEntry::Kind::kOutbound:
        out += fmt::format("  {:8.3f}  stack --> peer   {}\n", t, e.text);
        break;
      case TraceEntry::Kind::kCall: out += fmt::format("  {:8.3f}  {}\n", t, e.text); break;
      case TraceEntry::Kind::kState: out += fmt::format("  {:8.3f}  [{}]\n", t, e.text); break;
      case TraceEntry::Kind::kNote: out += fmt::format("  {:8.3f}  ({})\n", t, e.text); break;
    }
  }
  return out;
}

std::string explain(const ScenarioResult& result) {
  std::string out;
  if (result.verdict == Verdict::kError) {
    out += fmt::format("    harness error: {}\n", result.summary);
    return out;
  }
  for (const LaneResult& lane : result.lanes) {
    if (!lane.mismatch) continue;
    const Mismatch& m = *lane.mismatch;
    out += fmt::format("    {}:{}:{}: {}: {}\n", m.where.file, m.where.line, m.where.column,
                       lane.sut, m.what);
    if (!m.diffs.empty()) table(out, m.diffs);
  }
  if (result.divergence) {
    const Divergence& d = *result.divergence;
    out += fmt::format("    {}:{}:{}: {}\n", d.where.file, d.where.line, d.where.column, d.what);
    if (result.lanes.size() >= 2) {
      std::vector<FieldDiff> named = d.diffs;
      out += fmt::format("      (expected = {}, actual = {})\n", result.lanes[0].sut,
                         result.lanes[1].sut);
      table(out, named);
    }
  }
  std::vector<model::Rule> rules;
  if (result.divergence) rules = result.divergence->rules;
  if (!rules.empty()) {
    out += "    rules the model applied at that step:";
    for (model::Rule r : rules) out += fmt::format(" {}", model::to_string(r));
    out += "\n";
  }
  for (const model::Rule r : result.explained_by) {
    out += fmt::format("    known deviation: {}\n", model::to_string(r));
  }
  for (const LaneResult& lane : result.lanes) {
    out += fmt::format("    exchange on {}:\n", lane.sut);
    out += ladder(lane);
  }
  return out;
}

}  // namespace tcpconform::engine
