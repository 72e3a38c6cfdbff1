// Tests of PcapWriter: files read back through libpcap with link type, bytes and timestamps.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "captures.h"
#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/pcap_writer.h"

namespace tcpconform::wire {
namespace {

using namespace std::chrono_literals;

std::string temp_path(std::string_view name) {
  return (std::filesystem::temp_directory_path() /
          (std::string(name) + "-" + std::to_string(::getpid()) + ".pcap"))
      .string();
}

struct Record {
  std::vector<std::uint8_t> bytes;
  long seconds;
  long nanos;
};

std::vector<Record> read_back(const std::string& path, int& linktype) {
  std::array<char, PCAP_ERRBUF_SIZE> err{};
  pcap_t* p =
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err.data());
  EXPECT_NE(p, nullptr) << err.data();
  if (p == nullptr) return {};
  linktype = pcap_datalink(p);
  std::vector<Record> records;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &header, &data) == 1) {
    records.push_back(Record{std::vector<std::uint8_t>(data, data + header->caplen),
                             header->ts.tv_sec, header->ts.tv_usec});
  }
  pcap_close(p);
  return records;
}

TEST(WirePcapWriter, WritesRawIpRecordsWithNanosecondTimestamps) {
  const std::string path = temp_path("tcpconform-pcap-test");
  {
    auto writer = PcapWriter::open(path);
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    ASSERT_TRUE(writer->write(testdata::kV4Syn, 1'700'000'000s + 123'456'789ns).has_value());
    ASSERT_TRUE(writer->write(*parse(testdata::kV6Synack), 1'700'000'001s).has_value());
    EXPECT_EQ(writer->packets_written(), 2U);
    ASSERT_TRUE(writer->close().has_value());
    EXPECT_FALSE(writer->write(testdata::kV4Syn, 0ns).has_value());
  }
  int linktype = -1;
  const auto records = read_back(path, linktype);
  std::filesystem::remove(path);
  EXPECT_EQ(linktype, DLT_RAW);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].bytes,
            std::vector<std::uint8_t>(testdata::kV4Syn.begin(), testdata::kV4Syn.end()));
  EXPECT_EQ(records[0].seconds, 1'700'000'000);
  EXPECT_EQ(records[0].nanos, 123'456'789);
  // The segment was re-emitted: same bytes except the IPv6 flow label.
  ASSERT_EQ(records[1].bytes.size(), testdata::kV6Synack.size());
  EXPECT_EQ(*parse(records[1].bytes), *parse(testdata::kV6Synack));
  EXPECT_EQ(records[1].seconds, 1'700'000'001);
}

TEST(WirePcapWriter, MovedFromWriterIsClosed) {
  const std::string path = temp_path("tcpconform-pcap-move");
  auto writer = PcapWriter::open(path);
  ASSERT_TRUE(writer.has_value());
  PcapWriter moved = std::move(*writer);
  EXPECT_TRUE(moved.write(testdata::kV4Rst, 5ns).has_value());
  EXPECT_TRUE(moved.flush().has_value());
  EXPECT_FALSE(writer->flush().has_value());  // NOLINT(bugprone-use-after-move): tested on purpose
  ASSERT_TRUE(moved.close().has_value());
  int linktype = -1;
  EXPECT_EQ(read_back(path, linktype).size(), 1U);
  std::filesystem::remove(path);
}

TEST(WirePcapWriter, OpenFailureIsAnError) {
  auto writer = PcapWriter::open("/nonexistent-dir/x.pcap");
  ASSERT_FALSE(writer.has_value());
  EXPECT_NE(writer.error().message.find("/nonexistent-dir/x.pcap"), std::string::npos);
}

TEST(WirePcapWriter, RefusesPacketsBeyondSnapLength) {
  const std::string path = temp_path("tcpconform-pcap-big");
  auto writer = PcapWriter::open(path);
  ASSERT_TRUE(writer.has_value());
  const std::vector<std::uint8_t> huge(262145, 0);
  auto result = writer->write(huge, 1ns);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("snap length"), std::string::npos);
  EXPECT_EQ(writer->packets_written(), 0U);
  std::filesystem::remove(path);
}

TEST(WirePcapWriter, RefusesNegativeTimestamp) {
  const std::string path = temp_path("tcpconform-pcap-neg");
  auto writer = PcapWriter::open(path);
  ASSERT_TRUE(writer.has_value());
  EXPECT_FALSE(writer->write(testdata::kV4Rst, -1ns).has_value());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tcpconform::wire
