// `tcpconform run` and `tcpconform replay`: scenarios against the model and the kernel.
#pragma once

#include <CLI/CLI.hpp>

namespace tcpconform::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);

}  // namespace tcpconform::cli
