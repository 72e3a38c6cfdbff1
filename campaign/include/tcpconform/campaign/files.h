// Writing a text file whole, with an error that names it: reproducers, summaries, reports.
#pragma once

#include <filesystem>
#include <string>
#include <tl/expected.hpp>

namespace tcpconform::campaign {

[[nodiscard]] tl::expected<void, std::string> write_text(const std::filesystem::path& path,
                                                         const std::string& text);

}  // namespace tcpconform::campaign
