// Runs a check in a forked child so that an abort inside the model (its own invariant check,
// TCPCONFORM_MODEL_ASSERT) becomes a value a property can report and RapidCheck can shrink.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

namespace tcpconform::model::props {

struct Outcome {
  enum Kind { kPassed, kCheckFailed, kModelAborted } kind = kPassed;
  std::string text;  // the check's message, or what the model printed before aborting
};

// `check` returns an empty string when it holds, else a description. It runs in a child process
// whose stderr is captured; a child killed by a signal is reported as kModelAborted.
// MODEL_PROPS_NO_FORK=1 runs the check in-process instead (for a debugger; an abort then ends
// the test binary).
template <typename F>
Outcome isolated(F&& check) {
  static const bool in_process = std::getenv("MODEL_PROPS_NO_FORK") != nullptr;
  if (in_process) {
    std::string failure = check();
    return failure.empty() ? Outcome{} : Outcome{Outcome::kCheckFailed, std::move(failure)};
  }
  int fds[2];
  if (pipe(fds) != 0) return {Outcome::kCheckFailed, "pipe() failed"};
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return {Outcome::kCheckFailed, "fork() failed"};
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 2);
    std::signal(SIGABRT, SIG_DFL);
    const std::string failure = check();
    if (!failure.empty()) {
      std::fputs(failure.c_str(), stderr);
      std::fflush(stderr);
      _exit(3);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {Outcome::kPassed, {}};
  if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return {Outcome::kCheckFailed, text};
  if (WIFSIGNALED(status)) text += "(killed by signal " + std::to_string(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) text += "(exit status " + std::to_string(WEXITSTATUS(status)) + ")";
  return {Outcome::kModelAborted, text};
}

// Reports a model abort in the RapidCheck distribution; MODEL_PROPS_SHOW_ABORTS=1 also prints
// what the model printed (its invariant and TCB).
inline bool model_aborted(const Outcome& o) {
  if (o.kind != Outcome::kModelAborted) return false;
  static const bool show = std::getenv("MODEL_PROPS_SHOW_ABORTS") != nullptr;
  if (show) std::fprintf(stderr, "model aborted:\n%s\n", o.text.c_str());
  return true;
}

}  // namespace tcpconform::model::props
