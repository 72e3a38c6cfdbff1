// A capture taken through the packet transport shows the same TCP segments as one taken through
// the TUN device: `tcpconform run --pcap` on a few scenarios, both families, both transports,
// compared segment by segment with sequence numbers relative to each side's ISN and timestamp
// values left out (both are the kernel's random choices).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tcpconform/wire/codec.h"

namespace tcpconform::testing {
namespace {
namespace fs = std::filesystem;

constexpr int kSkip = 77;

int run(const std::string& args, std::string& output) {
  const std::string command = std::string(TCPCONFORM_BINARY) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    output += buffer.data();
  }
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The raw IP packets of a pcap file written on this machine (native byte order).
std::vector<std::vector<std::uint8_t>> read_pcap(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::vector<std::uint8_t>> packets;
  std::size_t at = 24;  // global header
  while (at + 16 <= bytes.size()) {
    std::uint32_t captured = 0;
    std::memcpy(&captured, bytes.data() + at + 8, 4);
    at += 16;
    if (at + captured > bytes.size()) break;
    packets.emplace_back(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                         bytes.begin() + static_cast<std::ptrdiff_t>(at + captured));
    at += captured;
  }
  return packets;
}

// One line per segment: direction, flags, seq and ack relative to the sender's and the
// receiver's first sequence number, length, window, and the option kinds in order.
std::vector<std::string> normalised(const std::vector<std::vector<std::uint8_t>>& packets) {
  std::map<std::string, std::uint32_t> isn;  // sender endpoint -> first seq
  std::vector<std::string> out;
  for (const auto& p : packets) {
    auto s = wire::parse(p);
    if (!s) {
      out.push_back("unparsable: " + s.error().to_string());
      continue;
    }
    const std::string from = wire::Endpoint{s->src, s->sport}.to_string();
    const std::string to = wire::Endpoint{s->dst, s->dport}.to_string();
    if (s->flags.has(wire::Flag::kSyn) || isn.count(from) == 0) isn[from] = s->seq.value;
    const bool from_stack = s->src.bytes[s->src.version == wire::IpVersion::kV4 ? 3 : 15] == 1;
    std::string line = from_stack ? "stack>peer" : "peer>stack";
    line += " flags=" + std::to_string(s->flags.bits);
    line += " seq=" + std::to_string(s->seq.value - isn[from]);
    if (s->flags.has(wire::Flag::kAck)) {
      line += " ack=" + (isn.count(to) != 0 ? std::to_string(s->ack.value - isn[to]) : "?");
    }
    line += " len=" + std::to_string(s->payload.size());
    line += " win=" + std::to_string(s->window);
    line += " opts=";
    for (const auto& o : s->options) line += std::to_string(o.index()) + ",";
    out.push_back(line);
  }
  return out;
}

// Kernel lanes' captures by scenario stem ("<stem>.<lane>.pcap", the lane named after the SUT).
std::map<std::string, fs::path> kernel_captures(const fs::path& dir) {
  std::map<std::string, fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const auto lane = name.find(".linux-");
    if (lane != std::string::npos) out[name.substr(0, lane)] = entry.path();
  }
  return out;
}

TEST(Capture, PacketTransportShowsTheSameSegmentsAsTun) {
  const fs::path dir =
      fs::temp_directory_path() / ("tcpconform-capture-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string corpus = TCPCONFORM_CORPUS;
  const std::string scenarios =
      corpus + "/handshake/handshake-passive-open-data-on-final-ack.pkt " + corpus +
      "/data/data-send-piggybacks-ack.pkt " + corpus + "/close/close-established-sends-fin.pkt " +
      corpus + "/handshake/handshake-active-open-timestamps.pkt";
  std::map<std::string, std::map<std::string, fs::path>> captures;
  for (const std::string transport : {"tun", "packet"}) {
    std::string output;
    const fs::path pcaps = dir / transport;
    const int code = run("run --both -j1 --transport " + transport + " --pcap " + pcaps.string() +
                             " --out " + (dir / "repro").string() + " " + scenarios,
                         output);
    if (code == kSkip) GTEST_SKIP() << output;
    ASSERT_EQ(code, 0) << output;
    captures[transport] = kernel_captures(pcaps);
  }
  ASSERT_EQ(captures["tun"].size(), 8U);  // four scenarios, two families
  ASSERT_EQ(captures["packet"].size(), captures["tun"].size());
  for (const auto& [stem, tun] : captures["tun"]) {
    ASSERT_EQ(captures["packet"].count(stem), 1U) << stem;
    const auto expected = normalised(read_pcap(tun));
    EXPECT_FALSE(expected.empty()) << stem;
    EXPECT_EQ(normalised(read_pcap(captures["packet"][stem])), expected) << stem;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tcpconform::testing
