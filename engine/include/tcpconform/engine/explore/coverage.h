// Coverage of the (state × event class) cells by generated programs, and the model's state
// before each step of a program.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/engine/program.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/harness/sut.h"

namespace tcpconform::engine::explore {

inline constexpr std::size_t kCellCount =
    static_cast<std::size_t>(model::kStateCount) * static_cast<std::size_t>(kEventClassCount);

class CellSet {
 public:
  void insert(model::State s, EventClass c) { bits_.set(index(s, c)); }
  [[nodiscard]] bool contains(model::State s, EventClass c) const {
    return bits_.test(index(s, c));
  }
  [[nodiscard]] std::size_t size() const { return bits_.count(); }
  // How many distinct states appear in some cell.
  [[nodiscard]] std::size_t states() const;
  CellSet& operator|=(const CellSet& other) {
    bits_ |= other.bits_;
    return *this;
  }

 private:
  static std::size_t index(model::State s, EventClass c) {
    return static_cast<std::size_t>(s) * static_cast<std::size_t>(kEventClassCount) +
           static_cast<std::size_t>(c);
  }
  std::bitset<kCellCount> bits_;
};

// Where an inbound RST falls relative to the model's receive window just before it (RFC 5961
// §3.2): exactly RCV.NXT, inside the window but not exact (a challenge ACK), or outside (dropped).
// In SYN-SENT the ACK decides instead (exact: it acknowledges our SYN); with no connection to the
// peer (CLOSED, LISTEN) every RST counts as outside.
enum class RstPosition : std::uint8_t { kExact, kInWindow, kOutside };
inline constexpr int kRstPositionCount = 3;
std::string_view to_string(RstPosition p);  // "exact", "in-window", "outside"

// The model's view of a program step by step: its state before each step (plus one after the
// last, as model_states()) and, for each inbound RST step, where the RST falls.
// The program's connection among observed ones: to the peer when there is one, else LISTEN when
// a listener exists, else CLOSED.
[[nodiscard]] model::State main_state(const std::vector<model::ConnectionObservation>& seen);

struct ModelTrace {
  std::vector<model::State> states;
  std::vector<std::optional<RstPosition>> rst;  // one per step; nullopt unless an inbound RST
  std::vector<model::RuleSet> rules;  // one per step: the rules its last model event applied
  std::size_t executed = 0;           // steps the model lane ran before it departed from the script
};
[[nodiscard]] harness::Result<ModelTrace> model_trace(
    const Program& program, harness::ModelSut& model,
    const harness::Environment& environment = harness::bench_environment());

// Runs `program` on `model` alone (reset and configured as run_scenario() does) and returns the
// state of the program's connection before each step, plus one entry after the last step: the
// connection to the peer when there is one, else LISTEN when a listener exists, else CLOSED.
// After a step the model lane fails, the entries repeat the last state seen.
[[nodiscard]] harness::Result<std::vector<model::State>> model_states(
    const Program& program, harness::ModelSut& model,
    const harness::Environment& environment = harness::bench_environment());

// The cells the program's events reach, given model_states().
[[nodiscard]] CellSet cells_of(const Program& program, const std::vector<model::State>& states);

}  // namespace tcpconform::engine::explore
