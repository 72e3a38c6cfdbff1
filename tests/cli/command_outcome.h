// Running a shell command as a user would, for tests of the tcpconform binary: its exit code and
// its stdout and stderr together.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace tcpconform::testing {

struct Outcome {
  int exit_code = -1;  // -1: the command could not be started or did not exit normally
  std::string output;  // stdout and stderr together
};

inline Outcome run_command(const std::string& command) {
  Outcome o;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return o;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    o.output += buffer.data();
  }
  const int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

}  // namespace tcpconform::testing
