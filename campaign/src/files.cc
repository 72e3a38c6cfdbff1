// Writing a text file whole (files.h).
#include "tcpconform/campaign/files.h"

#include <fmt/core.h>

#include <fstream>

namespace tcpconform::campaign {

tl::expected<void, std::string> write_text(const std::filesystem::path& path,
                                           const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return tl::make_unexpected(fmt::format("{}: cannot open for writing", path.string()));
  out << text;
  out.close();
  if (!out) return tl::make_unexpected(fmt::format("{}: cannot write", path.string()));
  return {};
}

}  // namespace tcpconform::campaign
