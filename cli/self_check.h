// `tcpconform self-check`: proves the build works end to end without privileges.
#pragma once

#include <CLI/CLI.hpp>

namespace tcpconform::cli {

// Registers the subcommand; its callback stores the exit code in `exit_code`.
void add_self_check_command(CLI::App& app, int& exit_code);

}  // namespace tcpconform::cli
