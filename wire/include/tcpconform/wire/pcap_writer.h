// Writing packets to a pcap file (LINKTYPE_RAW: each record is an IPv4 or IPv6 packet).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "tcpconform/wire/segment.h"

// libpcap's handle types, declared here so the header does not need <pcap.h>.
struct pcap;
struct pcap_dumper;

namespace tcpconform::wire {

struct PcapError {
  std::string message;
  friend bool operator==(const PcapError&, const PcapError&) = default;
};

// One open pcap file. Timestamps are nanoseconds since the Unix epoch (or since any origin the
// caller chooses, e.g. virtual time zero) and are stored with nanosecond precision. Move-only;
// the destructor flushes and closes.
class PcapWriter {
 public:
  // Creates or truncates `path` and writes the file header.
  [[nodiscard]] static tl::expected<PcapWriter, PcapError> open(const std::string& path);

  PcapWriter(PcapWriter&& other) noexcept;
  PcapWriter& operator=(PcapWriter&& other) noexcept;
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;
  ~PcapWriter();

  // Writes one raw IP packet. Packets longer than the snap length (262144) are refused.
  [[nodiscard]] tl::expected<void, PcapError> write(std::span<const std::uint8_t> packet,
                                                    std::chrono::nanoseconds timestamp);
  // Emits `segment` (correct checksums) and writes it.
  [[nodiscard]] tl::expected<void, PcapError> write(const Segment& segment,
                                                    std::chrono::nanoseconds timestamp);
  // Pushes buffered records to the file.
  [[nodiscard]] tl::expected<void, PcapError> flush();
  // Flushes and closes; further writes fail. Reports a failed final flush.
  [[nodiscard]] tl::expected<void, PcapError> close();

  [[nodiscard]] std::size_t packets_written() const { return packets_; }

 private:
  PcapWriter(::pcap* handle, ::pcap_dumper* dumper) : handle_(handle), dumper_(dumper) {}
  void release();

  ::pcap* handle_ = nullptr;
  ::pcap_dumper* dumper_ = nullptr;
  std::size_t packets_ = 0;
  std::vector<std::uint8_t> scratch_;  // reused by write(const Segment&)
};

}  // namespace tcpconform::wire
