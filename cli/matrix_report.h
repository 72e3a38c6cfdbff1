// The state × event conformance matrix of one or more stacks, and its text, JSON and Markdown
// renderings (`tcpconform matrix`, see docs/testing-your-own-stack.md).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpconform/engine/explore/coverage.h"
#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/model/state.h"

namespace tcpconform::cli::matrix {

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

std::string_view to_string(Column c);
[[nodiscard]] Column column_of(engine::explore::EventClass event,
                               std::optional<engine::explore::RstPosition> rst);

// One distinct divergence in a cell (signature and, for RST, the position).
struct CellDivergence {
  std::string signature;  // "ESTABLISHED / RST / state"
  std::string field;
  std::string model_side;
  std::string stack_side;
  std::string file;        // the reproducer (minimised), empty if it could not be written
  bool explained = false;  // the linux profile explains it: a known deviation
};

enum class Verdict : std::uint8_t { kUnreached, kConform, kKnown, kDiverges };
std::string_view to_string(Verdict v);

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
};

// Plain text: one table per stack, side by side in each cell, then the divergences.
[[nodiscard]] std::string text(const std::vector<StackMatrix>& stacks);
[[nodiscard]] nlohmann::json json(const std::vector<StackMatrix>& stacks);
// Markdown: one table with every stack's verdict per cell, reproducers linked relative to the
// Markdown file's directory `base`.
[[nodiscard]] std::string markdown(const std::vector<StackMatrix>& stacks,
                                   const std::filesystem::path& base);

}  // namespace tcpconform::cli::matrix
