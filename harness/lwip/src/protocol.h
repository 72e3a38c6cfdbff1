// The request/response protocol between LwipSut (the client) and tcpconform-lwip-host (the
// process that hosts lwIP). Frames on a stream socket: u32 length of what follows, then the body.
// A request body is an op byte, the virtual time that passed since the previous request, and the
// op's payload; a response body is a status byte and the payload (the message on error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpconform/model/call.h"
#include "tcpconform/model/observation.h"

namespace tcpconform::harness::lwip {

enum class Op : std::uint8_t {
  kHello,       // → version text
  kInject,      // IPv4 packet bytes
  kCollect,     // → u32 count, then (u32 length, bytes) per packet
  kCall,        // SocketCall → CallResult
  kAdvance,     // i64 microseconds of virtual time
  kObserve,     // → u32 count, then observations
  kConfigure,   // u32 count, then (key, value) strings → ok or error
  kReset,       // forget every socket and connection
  kTripAssert,  // tests only: call lwIP so that one of its own LWIP_ASSERTs fails (abort)
};

enum class Status : std::uint8_t { kOk, kError };

// Appends little-endian fields to a byte buffer.
class Writer {
 public:
  void u8(std::uint8_t v) { bytes_.push_back(v); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v);
  void bytes(const void* data, std::size_t n);
  void string(std::string_view s);
  void call(const model::SocketCall& c);
  void result(const model::CallResult& r);
  void observation(const model::ConnectionObservation& o);
  [[nodiscard]] std::vector<std::uint8_t>& data() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// Reads what Writer wrote; every getter fails (nullopt) past the end, and ok() stays false then.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::optional<std::uint8_t> u8();
  std::optional<std::uint16_t> u16();
  std::optional<std::uint32_t> u32();
  std::optional<std::int32_t> i32();
  std::optional<std::int64_t> i64();
  std::optional<std::vector<std::uint8_t>> bytes(std::size_t n);
  std::optional<std::string> string();
  std::optional<model::SocketCall> call();
  std::optional<model::CallResult> result();
  std::optional<model::ConnectionObservation> observation();
  [[nodiscard]] std::size_t remaining() const { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// Blocking frame I/O on a stream descriptor; false on EOF or error (errno tells which).
bool write_frame(int fd, const std::vector<std::uint8_t>& body);
bool read_frame(int fd, std::vector<std::uint8_t>& body);

}  // namespace tcpconform::harness::lwip
