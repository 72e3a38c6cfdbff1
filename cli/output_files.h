// Files `tcpconform run` writes: JSON and JUnit summaries, pcap captures, reproducer scripts.
#pragma once

#include <filesystem>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "tcpconform/engine/program.h"
#include "tcpconform/engine/result.h"

namespace tcpconform::cli {

struct RunSummary {
  std::vector<engine::ScenarioResult> results;
  double wall_seconds = 0;
};

[[nodiscard]] tl::expected<void, std::string> write_json(const std::filesystem::path& path,
                                                         const RunSummary& summary);
[[nodiscard]] tl::expected<void, std::string> write_junit(const std::filesystem::path& path,
                                                          const RunSummary& summary);
// One capture per scenario and lane: DIR/<scenario>.<ipv4|ipv6>.<lane>.pcap.
[[nodiscard]] tl::expected<void, std::string> write_pcaps(const std::filesystem::path& dir,
                                                          const engine::ScenarioResult& result);
// The scenario cut after its failing step, with a header saying what failed; returns its path.
[[nodiscard]] tl::expected<std::filesystem::path, std::string> write_reproducer(
    const std::filesystem::path& dir, const engine::Program& program,
    const engine::ScenarioResult& result);

// "close-local-close-then-remote-fin.ipv4": the file's stem and the address family.
[[nodiscard]] std::string result_stem(const engine::ScenarioResult& result);

}  // namespace tcpconform::cli
