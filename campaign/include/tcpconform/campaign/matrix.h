// The state × event conformance matrix of one stack (`tcpconform matrix`): which cells a
// campaign's steps reached and where the stack diverged from the model, and the observer that
// fills it in from a campaign. Renderings live with the command (cli/matrix_report.h).
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tcpconform/campaign/campaign.h"
#include "tcpconform/engine/explore/coverage.h"
#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/model/state.h"

namespace tcpconform::campaign::matrix {

// The matrix's columns: the explorer's event classes, with RST split by where it falls in the
// receive window (RFC 5961) and the less telling socket calls folded into "calls".
enum class Column : std::uint8_t {
  kSyn,
  kSynAck,
  kAck,
  kData,
  kFin,
  kRstExact,
  kRstInWindow,
  kRstOutside,
  kNoFlags,
  kSend,
  kRecv,
  kClose,  // close() and shutdown()
  kAbort,  // close() after SO_LINGER {1, 0}
  kCalls,  // connect, accept, listen, socket, bind, options
  kTimer,
};
inline constexpr int kColumnCount = 15;

[[nodiscard]] std::string_view to_string(Column c);
[[nodiscard]] Column column_of(engine::explore::EventClass event,
                               std::optional<engine::explore::RstPosition> rst);

// One distinct divergence in a cell (signature and, for RST, the position).
struct CellDivergence {
  std::string key;        // the campaign's finding key: signature slug and column
  std::string signature;  // "ESTABLISHED / RST / state"
  std::string field;
  std::string model_side;
  std::string stack_side;
  std::string file;        // the minimised reproducer; empty if it did not reproduce
  bool explained = false;  // the linux profile explains it: a known deviation
};

enum class Verdict : std::uint8_t { kUnreached, kConform, kKnown, kDiverges };
[[nodiscard]] std::string_view to_string(Verdict v);

struct Cell {
  std::uint64_t reached = 0;  // steps of this class played in this state
  std::vector<CellDivergence> divergences;
  [[nodiscard]] Verdict verdict() const;
};

// A crash of the stack (its program is the reproducer; the cell is not known).
struct Crash {
  std::string message;
  std::string file;
};

struct StackMatrix {
  std::string sut;    // "linux", "lwip", "model"
  std::string stack;  // the stack's own name ("lwIP 2.1.3")
  std::string profile;
  double seconds = 0;
  std::uint64_t programs = 0;
  std::uint64_t lane_failures = 0;   // prefixes that did not hold on the stack (not counted)
  std::uint64_t harness_errors = 0;  // other than crashes
  std::array<std::array<Cell, kColumnCount>, model::kStateCount> cells{};
  std::vector<Crash> crashes;

  [[nodiscard]] Cell& at(model::State s, Column c) {
    return cells[static_cast<std::size_t>(s)][static_cast<std::size_t>(c)];
  }
  [[nodiscard]] const Cell& at(model::State s, Column c) const {
    return cells[static_cast<std::size_t>(s)][static_cast<std::size_t>(c)];
  }
  // Divergent cells or crashes: the command's exit code is 1.
  [[nodiscard]] bool diverges() const;
};

// Fills the cells in as a campaign runs: every step a program played counts in the cell of the
// model's state before it, up to the program's divergence (judged on against the linux profile
// when that explains it, so one documented difference does not hide every state behind it);
// a divergence is filed per signature and RST column.
class MatrixObserver final : public Observer {
 public:
  void program(const WorkerView& view, const engine::explore::Generated& g,
               const engine::explore::Trial& trial) override;
  [[nodiscard]] std::string key(const engine::explore::Generated& g,
                                const engine::explore::Trial& trial,
                                const engine::explore::Signature& signature) override;
  void recorded(const Finding& finding) override;

  // The matrix of a finished campaign (which adds the counts and crashes).
  [[nodiscard]] StackMatrix matrix(const CampaignOptions& options,
                                   const CampaignResult& result) const;

 private:
  mutable std::mutex mu_;
  std::array<std::array<Cell, kColumnCount>, model::kStateCount> cells_{};
  std::set<std::string> divergent_;  // keys already in a cell
};

}  // namespace tcpconform::campaign::matrix
