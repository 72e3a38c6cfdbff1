// The fifteen packetdrill scripts in ../shared/packetdrill-compat parse unchanged and round-trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "helpers.h"

namespace tcpconform::scenario {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> compat_scripts() {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(TCPCONFORM_PACKETDRILL_COMPAT_DIR) / "tcp";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".pkt") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PacketdrillCompat, AllScriptsParseAndRoundTrip) {
  const auto scripts = compat_scripts();
  if (scripts.empty()) {
    GTEST_SKIP() << "no packetdrill scripts at " << TCPCONFORM_PACKETDRILL_COMPAT_DIR
                 << "/tcp (the shared folder beside the project is absent)";
  }
  EXPECT_EQ(scripts.size(), 15U);
  for (const auto& path : scripts) {
    SCOPED_TRACE(path.string());
    const auto p = parse_file(path);
    ASSERT_TRUE(p.has_value()) << p.error().to_string();
    EXPECT_FALSE(p->steps.empty());
    EXPECT_FALSE(p->settings.empty()) << "defaults.sh not recognised";
    // Every system call in these scripts maps onto the model, except ioctl probes.
    for (const auto& step : p->steps) {
      if (const auto* s = std::get_if<engine::SyscallSpec>(&step.action)) {
        EXPECT_TRUE(s->call.has_value() || s->probe != engine::QueueProbe::kNone)
            << "line " << step.where.line << ": " << s->name;
      }
      if (const auto* c = std::get_if<engine::ShellCommand>(&step.action)) {
        EXPECT_TRUE(c->unsupported.empty()) << "line " << step.where.line;
      }
    }
    testing::expect_round_trip(*p);
  }
}

TEST(PacketdrillCompat, BlockingConnectDetails) {
  const fs::path path =
      fs::path(TCPCONFORM_PACKETDRILL_COMPAT_DIR) / "tcp/blocking/blocking-connect.pkt";
  std::error_code ec;
  if (!fs::exists(path, ec)) GTEST_SKIP() << path << " is absent";
  const auto p = parse_file(path);
  ASSERT_TRUE(p.has_value()) << p.error().to_string();
  ASSERT_EQ(p->steps.size(), 6U);
  EXPECT_EQ(p->steps[2].time.blocking_end_usecs, 200000);
  const auto& syn = std::get<engine::PacketSpec>(p->steps[3].action);
  EXPECT_EQ(syn.direction, engine::Direction::kOutbound);
  EXPECT_EQ(syn.options.size(), 5U);
  EXPECT_EQ(p->steps[3].where.line, 10U);
}

}  // namespace
}  // namespace tcpconform::scenario
