// `tcpconform matrix`: a bounded exploration campaign per stack, folded into the state × event
// conformance matrix (text, JSON, Markdown), stacks side by side.
#pragma once

#include <CLI/CLI.hpp>

namespace tcpconform::cli {

void add_matrix_command(CLI::App& app, int& exit_code);

}  // namespace tcpconform::cli
