// Renderings of the state × event conformance matrix of one or more stacks: text, JSON and
// Markdown (`tcpconform matrix`, see docs/testing-your-own-stack.md). The matrix itself is the
// campaign library's (tcpconform/campaign/matrix.h).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tcpconform/campaign/matrix.h"

namespace tcpconform::cli::matrix {

using campaign::matrix::Cell;
using campaign::matrix::CellDivergence;
using campaign::matrix::Column;
using campaign::matrix::kColumnCount;
using campaign::matrix::StackMatrix;
using campaign::matrix::Verdict;

// Plain text: one table per stack, side by side in each cell, then the divergences.
[[nodiscard]] std::string text(const std::vector<StackMatrix>& stacks);
[[nodiscard]] nlohmann::json json(const std::vector<StackMatrix>& stacks);
// Markdown: one table with every stack's verdict per cell, reproducers linked relative to the
// Markdown file's directory `base`.
[[nodiscard]] std::string markdown(const std::vector<StackMatrix>& stacks,
                                   const std::filesystem::path& base);

}  // namespace tcpconform::cli::matrix
