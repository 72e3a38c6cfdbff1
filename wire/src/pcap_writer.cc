// PcapWriter: raw IP packets to a nanosecond pcap file through libpcap (LINKTYPE_RAW).
#include "tcpconform/wire/pcap_writer.h"

#include <fmt/format.h>
#include <pcap/pcap.h>

#include <cstdio>
#include <utility>

#include "tcpconform/wire/codec.h"

namespace tcpconform::wire {
namespace {

constexpr int kSnapLength = 262144;

}  // namespace

tl::expected<PcapWriter, PcapError> PcapWriter::open(const std::string& path) {
  // DLT_RAW is written to the file as LINKTYPE_RAW (101): IPv4 or IPv6 told by the version nibble.
  pcap_t* handle =
      pcap_open_dead_with_tstamp_precision(DLT_RAW, kSnapLength, PCAP_TSTAMP_PRECISION_NANO);
  if (handle == nullptr) {
    return tl::make_unexpected(PcapError{"pcap_open_dead failed (out of memory?)"});
  }
  pcap_dumper_t* dumper = pcap_dump_open(handle, path.c_str());
  if (dumper == nullptr) {
    PcapError error{fmt::format("cannot open pcap file '{}': {}", path, pcap_geterr(handle))};
    pcap_close(handle);
    return tl::make_unexpected(std::move(error));
  }
  return PcapWriter(handle, dumper);
}

PcapWriter::PcapWriter(PcapWriter&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      dumper_(std::exchange(other.dumper_, nullptr)),
      packets_(other.packets_),
      scratch_(std::move(other.scratch_)) {}

PcapWriter& PcapWriter::operator=(PcapWriter&& other) noexcept {
  if (this != &other) {
    release();
    handle_ = std::exchange(other.handle_, nullptr);
    dumper_ = std::exchange(other.dumper_, nullptr);
    packets_ = other.packets_;
    scratch_ = std::move(other.scratch_);
  }
  return *this;
}

PcapWriter::~PcapWriter() {
  release();
}

void PcapWriter::release() {
  if (dumper_ != nullptr) pcap_dump_close(dumper_);
  if (handle_ != nullptr) pcap_close(handle_);
  dumper_ = nullptr;
  handle_ = nullptr;
}

tl::expected<void, PcapError> PcapWriter::write(std::span<const std::uint8_t> packet,
                                                std::chrono::nanoseconds timestamp) {
  if (dumper_ == nullptr) return tl::make_unexpected(PcapError{"pcap file is closed"});
  if (packet.size() > static_cast<std::size_t>(kSnapLength)) {
    return tl::make_unexpected(
        PcapError{fmt::format("packet of {} bytes exceeds the snap length", packet.size())});
  }
  if (timestamp.count() < 0) {
    return tl::make_unexpected(PcapError{"negative timestamp"});
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timestamp);
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(seconds.count());
  // With nanosecond precision, libpcap stores tv_usec as the nanosecond fraction.
  header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>((timestamp - seconds).count());
  header.caplen = static_cast<bpf_u_int32>(packet.size());
  header.len = header.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, packet.data());  // NOLINT: libpcap API
  if (std::ferror(pcap_dump_file(dumper_)) != 0) {
    return tl::make_unexpected(PcapError{"write error on pcap file"});
  }
  ++packets_;
  return {};
}

tl::expected<void, PcapError> PcapWriter::write(const Segment& segment,
                                                std::chrono::nanoseconds timestamp) {
  scratch_.clear();
  emit_into(segment, scratch_);
  return write(std::span<const std::uint8_t>(scratch_), timestamp);
}

tl::expected<void, PcapError> PcapWriter::flush() {
  if (dumper_ == nullptr) return tl::make_unexpected(PcapError{"pcap file is closed"});
  if (pcap_dump_flush(dumper_) != 0) {
    return tl::make_unexpected(PcapError{"cannot flush pcap file"});
  }
  return {};
}

tl::expected<void, PcapError> PcapWriter::close() {
  if (dumper_ == nullptr) return tl::make_unexpected(PcapError{"pcap file is closed"});
  const bool flushed = pcap_dump_flush(dumper_) == 0;
  release();
  if (!flushed) return tl::make_unexpected(PcapError{"cannot flush pcap file"});
  return {};
}

}  // namespace tcpconform::wire
