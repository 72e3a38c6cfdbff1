// What a campaign finds: distinct divergences (Finding), model invariant aborts and crashes of
// the stack, their reproducers' headers, and their entries in summary.json (written, and read
// back by --resume).
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

namespace tcpconform::campaign {

// How many times a written reproducer is replayed to confirm it.
constexpr int kReplays = 3;

// One distinct divergence.
struct Finding {
  engine::explore::Signature signature;
  // What the campaign files it under (two candidates with one key are one finding): the
  // signature's slug unless an observer says otherwise (the matrix adds the RST's position).
  // The reproducer is <out>/<key>.pkt.
  std::string key;
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

// The model aborted on a broken invariant while running a program (in its helper process).
struct ModelAbort {
  std::string slug;     // "model-abort-endpoint-cc-123": the source location it names
  std::string message;  // the model's last words
  std::string file;     // the program that did it
};

// The stack under test died under a program (harness::Error::stack_crashed), once per site.
struct StackCrash {
  std::string slug;     // "stack-crash-tcp-in-c-1430": where (lwIP's assertion), else the signal
  std::string message;  // the harness error
  std::string file;     // the program, minimised while the stack crashes the same way
  std::size_t steps_before = 0;
  std::size_t steps_after = 0;
};

// "model-abort-" and the source location an abort message names.
[[nodiscard]] std::string abort_slug(const std::string& message);
// "stack-crash-tcp-in-c-1430" from lwIP's "Assertion … failed at line 1430 in …/tcp_in.c", else
// "stack-crash-signal-N", else "stack-crash".
[[nodiscard]] std::string crash_slug(const std::string& message);

// The reproducer: a comment header (`command` names the campaign: "explore", "matrix";
// signature, profile, sides, rules, explanation, the replay command) and the program.
[[nodiscard]] std::string reproducer_text(const Finding& f, const std::string& command,
                                          const std::string& campaign_profile,
                                          const std::string& sut, const engine::Program& program);

// A finding's entry in summary.json, and the findings of an earlier summary (--resume).
[[nodiscard]] nlohmann::json finding_json(const Finding& f);
[[nodiscard]] std::vector<Finding> read_previous(const std::filesystem::path& path);

}  // namespace tcpconform::campaign
