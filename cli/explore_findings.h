// explore's findings: one distinct divergence (Finding), its reproducer's header, and its
// entries in DIR/summary.json (written, and read back by --resume).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tcpconform/engine/explore/signature.h"
#include "tcpconform/engine/program.h"
#include "tcpconform/model/deviations.h"

namespace tcpconform::cli {

// How many times a written reproducer is replayed to confirm it.
constexpr int kReplays = 3;

// One distinct divergence.
struct Finding {
  engine::explore::Signature signature;
  std::string file;
  std::uint64_t seed = 0;
  std::string target;
  std::size_t steps_before = 0;
  std::size_t steps_after = 0;
  std::size_t minimise_runs = 0;
  std::vector<std::string> rules;
  std::string model_side;
  std::string stack_side;
  bool replays = false;      // every replay of the written file diverged the same way
  int replayed = 0;          // how many of kReplays did
  std::string explained_by;  // --profile rfc9293: rules of the linux profile that explain it
  std::string profile;       // the profile spec it replays with (a hybrid when judged on)
  std::vector<std::string> linux_rules;  // judged on: what Linux applied there (catalog ids)
  bool previous = false;                 // read from an earlier summary (--resume)
};

// The reproducer: a comment header (signature, profile, sides, rules, explanation, the replay
// command) and the program.
[[nodiscard]] std::string reproducer_text(const Finding& f, const std::string& campaign_profile,
                                          const std::string& sut, const engine::Program& program);

// A finding's entry in summary.json, and the findings of an earlier summary (--resume).
[[nodiscard]] nlohmann::json finding_json(const Finding& f);
[[nodiscard]] std::vector<Finding> read_previous(const std::filesystem::path& path);

}  // namespace tcpconform::cli
