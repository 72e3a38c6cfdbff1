// Finding scenario files: paths and directories (recursively, *.pkt), filtered by a glob.
#pragma once

#include <filesystem>
#include <string>
#include <tl/expected.hpp>
#include <vector>

namespace tcpconform::cli {

// Expands `paths` into a sorted list of .pkt files; a path that does not exist is an error.
// `filter` (fnmatch glob, empty = all) is matched against the path relative to its root and
// against the file name.
[[nodiscard]] tl::expected<std::vector<std::filesystem::path>, std::string> find_scenarios(
    const std::vector<std::string>& paths, const std::string& filter);

// The corpus bundled with tcpconform (corpus/scenarios of the source tree, or the installed copy).
[[nodiscard]] std::filesystem::path bundled_corpus();

}  // namespace tcpconform::cli
