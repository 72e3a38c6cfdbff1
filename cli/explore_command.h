// `tcpconform explore`: generated programs against the model and the kernel, divergences
// de-duplicated by signature, minimised and written as reproducers.
#pragma once

#include <CLI/CLI.hpp>

namespace tcpconform::cli {

void add_explore_command(CLI::App& app, int& exit_code);

}  // namespace tcpconform::cli
