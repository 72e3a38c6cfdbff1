// Runs generated programs on the model in a helper process, so that a broken model invariant
// (an abort) cannot end a campaign.
//
// The helper is forked before the campaign's kernel sockets exist. A process forked later holds
// a copy of every descriptor: while it lives, a close() in the campaign does not close the
// connection, and the kernel shows a state the model has left (seen as close()/abort "flakes"
// before this existed).
#pragma once

#include <sys/types.h>

#include <string>
#include <tl/expected.hpp>

#include "tcpconform/engine/program.h"
#include "tcpconform/harness/environment.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::campaign {

class ModelIsolation {
 public:
  // Forks the helper now: call it before making any socket the helper must not hold.
  // `may_respawn`: whether a helper that died may be forked again from the (by then
  // multi-threaded) campaign.
  [[nodiscard]] static tl::expected<ModelIsolation, std::string> start(
      const model::Profile& profile, const harness::Environment& environment, bool may_respawn);

  ModelIsolation(ModelIsolation&& other) noexcept;
  ModelIsolation& operator=(ModelIsolation&&) = delete;
  ModelIsolation(const ModelIsolation&) = delete;
  ModelIsolation& operator=(const ModelIsolation&) = delete;
  ~ModelIsolation();

  // "" when the model ran the program to its end; otherwise the first line the model printed
  // as it aborted (or "killed by signal N"). A helper that died is replaced, forked from here
  // (rare: only after an abort).
  [[nodiscard]] std::string run(const engine::Program& program);

 private:
  ModelIsolation(model::Profile profile, harness::Environment environment, bool may_respawn)
      : profile_(std::move(profile)),
        environment_(std::move(environment)),
        may_respawn_(may_respawn) {}
  [[nodiscard]] bool spawn();
  void stop();

  model::Profile profile_;
  harness::Environment environment_;
  bool may_respawn_ = true;
  pid_t pid_ = -1;
  int channel_ = -1;  // requests and answers (a stream socket: no SIGPIPE when it dies)
  int errors_ = -1;   // the helper's stderr
};

}  // namespace tcpconform::campaign
