// Scenario discovery for `tcpconform run`.
#include "scenario_files.h"

#include <fmt/core.h>
#include <fnmatch.h>

#include <algorithm>

namespace tcpconform::cli {
namespace fs = std::filesystem;

namespace {

bool matches(const std::string& filter, const fs::path& relative) {
  if (filter.empty()) return true;
  return fnmatch(filter.c_str(), relative.c_str(), 0) == 0 ||
         fnmatch(filter.c_str(), relative.filename().c_str(), 0) == 0;
}

}  // namespace

fs::path bundled_corpus() {
  if (const char* env = std::getenv("TCPCONFORM_CORPUS"); env != nullptr && *env != '\0') {
    return env;
  }
  return TCPCONFORM_CORPUS_DIR;
}

tl::expected<std::vector<fs::path>, std::string> find_scenarios(
    const std::vector<std::string>& paths, const std::string& filter) {
  std::vector<fs::path> found;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::path root = p;
    if (fs::is_directory(root, ec)) {
      std::vector<fs::path> here;
      for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".pkt" &&
            matches(filter, fs::relative(it->path(), root))) {
          here.push_back(it->path());
        }
      }
      if (ec) return tl::make_unexpected(fmt::format("{}: {}", p, ec.message()));
      std::sort(here.begin(), here.end());
      found.insert(found.end(), here.begin(), here.end());
    } else if (fs::is_regular_file(root, ec)) {
      if (matches(filter, root)) found.push_back(root);
    } else {
      return tl::make_unexpected(fmt::format("{}: no such file or directory", p));
    }
  }
  return found;
}

}  // namespace tcpconform::cli
