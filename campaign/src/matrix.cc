// The conformance matrix and its observer (matrix.h).
#include "tcpconform/campaign/matrix.h"

#include <fmt/core.h>

#include <algorithm>

namespace tcpconform::campaign::matrix {
namespace ex = engine::explore;

namespace {

constexpr std::array<std::string_view, kColumnCount> kNames = {
    "SYN",       "SYN-ACK",        "ACK",         "data",     "FIN",
    "RST exact", "RST in-window",  "RST outside", "no flags", "send",
    "recv",      "close/shutdown", "abort",       "calls",    "timer"};

// The column of the divergent step of `trial`.
std::optional<Column> divergent_column(const ex::Trial& trial) {
  if (!trial.signature || !trial.result.divergence) return std::nullopt;
  const std::size_t step = trial.result.divergence->step;
  return column_of(trial.signature->event,
                   step < trial.rst.size() ? trial.rst[step] : std::nullopt);
}

}  // namespace

std::string_view to_string(Column c) {
  return kNames[static_cast<std::size_t>(c)];
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kUnreached: return "unreached";
    case Verdict::kConform: return "conform";
    case Verdict::kKnown: return "known-deviation";
    case Verdict::kDiverges: return "diverges";
  }
  return "?";
}

Column column_of(ex::EventClass event, std::optional<ex::RstPosition> rst) {
  switch (event) {
    case ex::EventClass::kSyn: return Column::kSyn;
    case ex::EventClass::kSynAck: return Column::kSynAck;
    case ex::EventClass::kAck: return Column::kAck;
    case ex::EventClass::kData: return Column::kData;
    case ex::EventClass::kFin: return Column::kFin;
    case ex::EventClass::kRst:
      switch (rst.value_or(ex::RstPosition::kOutside)) {
        case ex::RstPosition::kExact: return Column::kRstExact;
        case ex::RstPosition::kInWindow: return Column::kRstInWindow;
        case ex::RstPosition::kOutside: return Column::kRstOutside;
      }
      return Column::kRstOutside;
    case ex::EventClass::kNoFlags: return Column::kNoFlags;
    case ex::EventClass::kSend: return Column::kSend;
    case ex::EventClass::kRecv: return Column::kRecv;
    case ex::EventClass::kShutdown:
    case ex::EventClass::kClose: return Column::kClose;
    case ex::EventClass::kAbort: return Column::kAbort;
    case ex::EventClass::kConnect:
    case ex::EventClass::kAccept:
    case ex::EventClass::kListen:
    case ex::EventClass::kOtherCall: return Column::kCalls;
    case ex::EventClass::kTimer: return Column::kTimer;
  }
  return Column::kCalls;
}

Verdict Cell::verdict() const {
  if (reached == 0 && divergences.empty()) return Verdict::kUnreached;
  if (divergences.empty()) return Verdict::kConform;
  for (const auto& d : divergences) {
    if (!d.explained) return Verdict::kDiverges;
  }
  return Verdict::kKnown;
}

bool StackMatrix::diverges() const {
  if (!crashes.empty()) return true;
  for (const auto& row : cells) {
    for (const auto& cell : row) {
      if (cell.verdict() == Verdict::kDiverges) return true;
    }
  }
  return false;
}

void MatrixObserver::program(const WorkerView& view, const ex::Generated& g,
                             const ex::Trial& trial) {
  // Steps after the divergent one are not judged: the stack's state is not the model's there —
  // unless the linux profile explains the divergence: then the program is judged on against
  // that profile.
  std::size_t last = g.program.steps.size();
  if (trial.result.divergence) {
    last = std::min(last, trial.result.divergence->step + 1);
    if (view.explainer != nullptr) {
      const ex::Trial lin = ex::run_trial(*view.explainer, g.program);
      if (!lin.lane_failed && !lin.harness_error) {
        last = std::max(
            last, lin.result.divergence ? lin.result.divergence->step + 1 : g.program.steps.size());
      }
    }
  }
  const std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < last && i < trial.states.size(); ++i) {
    const auto event = ex::event_class(g.program, i);
    if (!event) continue;
    const auto column = column_of(*event, i < trial.rst.size() ? trial.rst[i] : std::nullopt);
    ++cells_[static_cast<std::size_t>(trial.states[i])][static_cast<std::size_t>(column)].reached;
  }
  const auto column = divergent_column(trial);
  if (!column) return;
  const ex::Signature& sig = *trial.signature;
  const std::string k = fmt::format("{}-{}", sig.slug(), ex::slugify(to_string(*column)));
  if (!divergent_.insert(k).second) return;
  CellDivergence d;
  d.key = k;
  d.signature = sig.text();
  d.field = sig.field;
  if (!trial.result.divergence->diffs.empty()) {
    const auto& diff = trial.result.divergence->diffs.front();
    d.model_side = fmt::format("{} {}", diff.field, diff.expected);
    d.stack_side = diff.actual;
  }
  cells_[static_cast<std::size_t>(sig.state)][static_cast<std::size_t>(*column)]
      .divergences.push_back(std::move(d));
}

std::string MatrixObserver::key(const ex::Generated& /*g*/, const ex::Trial& trial,
                                const ex::Signature& signature) {
  const auto column = divergent_column(trial);
  if (!column) return signature.slug();
  return fmt::format("{}-{}", signature.slug(), ex::slugify(to_string(*column)));
}

void MatrixObserver::recorded(const Finding& finding) {
  const std::lock_guard lock(mu_);
  for (auto& row : cells_) {
    for (auto& cell : row) {
      for (CellDivergence& d : cell.divergences) {
        if (d.key != finding.key) continue;
        d.file = finding.file;
        d.explained = !finding.explained_by.empty();
        if (!finding.model_side.empty()) d.model_side = finding.model_side;
        if (!finding.stack_side.empty()) d.stack_side = finding.stack_side;
      }
    }
  }
}

StackMatrix MatrixObserver::matrix(const CampaignOptions& options,
                                   const CampaignResult& result) const {
  StackMatrix m;
  m.sut = options.sut;
  m.stack = result.stack_name;
  m.profile = options.profile;
  m.seconds = result.seconds;
  m.programs = result.programs;
  m.lane_failures = result.lane_failures;
  m.harness_errors = result.harness_errors;
  {
    const std::lock_guard lock(mu_);
    m.cells = cells_;
  }
  for (const StackCrash& c : result.stack_crashes) m.crashes.push_back({c.message, c.file});
  return m;
}

}  // namespace tcpconform::campaign::matrix
