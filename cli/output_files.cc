// Writing run results as JSON, JUnit XML, pcap captures and reproducer scripts.
#include "output_files.h"

#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tcpconform/campaign/files.h"
#include "tcpconform/scenario/print.h"
#include "tcpconform/wire/pcap_writer.h"

namespace tcpconform::cli {
namespace fs = std::filesystem;

namespace {

const char* family(wire::IpVersion v) {
  return v == wire::IpVersion::kV4 ? "ipv4" : "ipv6";
}

std::string lane_tag(const std::string& sut) {
  std::string tag;
  for (char c : sut) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      tag += c;
    } else if (!tag.empty() && tag.back() != '-') {
      tag += '-';
    }
  }
  while (!tag.empty() && tag.back() == '-') tag.pop_back();
  return tag;
}

nlohmann::json diffs_json(const std::vector<engine::FieldDiff>& diffs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : diffs) {
    out.push_back({{"field", d.field}, {"expected", d.expected}, {"actual", d.actual}});
  }
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string result_stem(const engine::ScenarioResult& result) {
  return fmt::format("{}.{}", fs::path(result.file).stem().string(), family(result.version));
}

tl::expected<void, std::string> write_json(const fs::path& path, const RunSummary& summary) {
  nlohmann::json scenarios = nlohmann::json::array();
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t known = 0;
  for (const auto& r : summary.results) {
    passed += r.verdict == engine::Verdict::kPass ? 1 : 0;
    known += r.verdict == engine::Verdict::kKnownDeviation ? 1 : 0;
    failed += (r.verdict == engine::Verdict::kFail || r.verdict == engine::Verdict::kError) ? 1 : 0;
    nlohmann::json lanes = nlohmann::json::array();
    for (const auto& lane : r.lanes) {
      nlohmann::json l = {
          {"sut", lane.sut}, {"passed", lane.passed}, {"waited_us", lane.waited_us}};
      if (lane.mismatch) {
        l["mismatch"] = {{"line", lane.mismatch->where.line},
                         {"column", lane.mismatch->where.column},
                         {"what", lane.mismatch->what},
                         {"diffs", diffs_json(lane.mismatch->diffs)}};
      }
      l["notes"] = lane.notes;
      lanes.push_back(std::move(l));
    }
    nlohmann::json rules = nlohmann::json::array();
    r.rules.for_each(
        [&](model::Rule rule) { rules.push_back(std::string(model::to_string(rule))); });
    nlohmann::json edges = nlohmann::json::array();
    for (const auto& [from, to] : r.edges) {
      edges.push_back({std::string(model::to_string(from)), std::string(model::to_string(to))});
    }
    nlohmann::json s = {{"file", r.file},
                        {"family", family(r.version)},
                        {"verdict", std::string(engine::to_string(r.verdict))},
                        {"summary", r.summary},
                        {"wall_us", r.wall_us},
                        {"waited_us", r.waited_us},
                        {"lanes", std::move(lanes)},
                        {"rules", std::move(rules)},
                        {"edges", std::move(edges)}};
    if (r.divergence) {
      s["divergence"] = {{"line", r.divergence->where.line},
                         {"what", r.divergence->what},
                         {"diffs", diffs_json(r.divergence->diffs)}};
    }
    scenarios.push_back(std::move(s));
  }
  const nlohmann::json doc = {{"tool", "tcpconform"},
                              {"passed", passed},
                              {"failed", failed},
                              {"known_deviations", known},
                              {"wall_seconds", summary.wall_seconds},
                              {"scenarios", std::move(scenarios)}};
  return campaign::write_text(path, doc.dump(2) + "\n");
}

tl::expected<void, std::string> write_junit(const fs::path& path, const RunSummary& summary) {
  std::size_t failures = 0;
  std::size_t errors = 0;
  std::string cases;
  for (const auto& r : summary.results) {
    cases +=
        fmt::format("    <testcase classname=\"tcpconform.{}\" name=\"{}\" time=\"{:.6f}\">\n",
                    family(r.version), xml_escape(r.file), static_cast<double>(r.wall_us) / 1e6);
    switch (r.verdict) {
      case engine::Verdict::kPass: break;
      case engine::Verdict::kKnownDeviation:
        cases += fmt::format("      <skipped message=\"known deviation: {}\"/>\n",
                             xml_escape(r.summary));
        break;
      case engine::Verdict::kFail:
        ++failures;
        cases += fmt::format("      <failure message=\"{}\"/>\n", xml_escape(r.summary));
        break;
      case engine::Verdict::kError:
        ++errors;
        cases += fmt::format("      <error message=\"{}\"/>\n", xml_escape(r.summary));
        break;
    }
    cases += "    </testcase>\n";
  }
  const std::string doc = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"tcpconform\" "
      "tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.6f}\">\n{}  </testsuite>\n"
      "</testsuites>\n",
      summary.results.size(), failures, errors, summary.wall_seconds, cases);
  return campaign::write_text(path, doc);
}

tl::expected<void, std::string> write_pcaps(const fs::path& dir,
                                            const engine::ScenarioResult& result) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return tl::make_unexpected(fmt::format("{}: {}", dir.string(), ec.message()));
  for (const auto& lane : result.lanes) {
    const fs::path path = dir / fmt::format("{}.{}.pcap", result_stem(result), lane_tag(lane.sut));
    auto writer = wire::PcapWriter::open(path.string());
    if (!writer) return tl::make_unexpected(writer.error().message);
    for (const auto& [time_us, segment] : lane.packets) {
      auto w = writer->write(segment, std::chrono::microseconds{time_us});
      if (!w) return tl::make_unexpected(w.error().message);
    }
    if (auto c = writer->close(); !c) return tl::make_unexpected(c.error().message);
  }
  return {};
}

tl::expected<fs::path, std::string> write_reproducer(const fs::path& dir,
                                                     const engine::Program& program,
                                                     const engine::ScenarioResult& result) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return tl::make_unexpected(fmt::format("{}: {}", dir.string(), ec.message()));
  std::size_t stop = program.steps.size();
  if (result.divergence) stop = result.divergence->step + 1;
  for (const auto& lane : result.lanes) {
    if (lane.mismatch) stop = std::min(stop, lane.mismatch->step + 1);
  }
  engine::Program cut = program;
  cut.steps.resize(std::min(stop, program.steps.size()));
  std::string text = fmt::format("// tcpconform reproducer of {} ({})\n// {}\n", program.file,
                                 family(result.version), result.summary);
  text += scenario::print(cut);
  const fs::path path = dir / (result_stem(result) + ".pkt");
  if (auto w = campaign::write_text(path, text); !w) return tl::make_unexpected(w.error());
  return path;
}

}  // namespace tcpconform::cli
