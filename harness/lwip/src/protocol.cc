// Encoding of the LwipSut ↔ host protocol (see protocol.h).
#include "protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tcpconform::harness::lwip {
namespace {

// Frames larger than this are refused: a 4 MiB send() is the largest thing a program moves.
constexpr std::uint32_t kMaxFrame = 64U << 20;

void put_endpoint(Writer& w, const wire::Endpoint& e) {
  w.u8(static_cast<std::uint8_t>(e.address.version));
  w.bytes(e.address.bytes.data(), e.address.bytes.size());
  w.u16(e.port);
}

std::optional<wire::Endpoint> get_endpoint(Reader& r) {
  const auto version = r.u8();
  auto raw = r.bytes(16);
  const auto port = r.u16();
  if (!version || !raw || !port) return std::nullopt;
  if (*version != 4 && *version != 6) return std::nullopt;
  wire::Endpoint e;
  e.address.version = static_cast<wire::IpVersion>(*version);
  std::memcpy(e.address.bytes.data(), raw->data(), 16);
  e.port = *port;
  return e;
}

bool io_all(int fd, std::uint8_t* data, std::size_t n, bool reading) {
  while (n > 0) {
    const ssize_t k = reading ? ::read(fd, data, n) : ::send(fd, data, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    data += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

}  // namespace

void Writer::u16(std::uint16_t v) {
  u8(static_cast<std::uint8_t>(v));
  u8(static_cast<std::uint8_t>(v >> 8));
}

void Writer::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v));
  u16(static_cast<std::uint16_t>(v >> 16));
}

void Writer::i64(std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  u32(static_cast<std::uint32_t>(u));
  u32(static_cast<std::uint32_t>(u >> 32));
}

void Writer::bytes(const void* data, std::size_t n) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  bytes_.insert(bytes_.end(), p, p + n);
}

void Writer::string(std::string_view s) {
  u32(static_cast<std::uint32_t>(s.size()));
  bytes(s.data(), s.size());
}

void Writer::call(const model::SocketCall& c) {
  u8(static_cast<std::uint8_t>(c.kind));
  i32(c.fd);
  i32(c.process);
  u8(static_cast<std::uint8_t>(c.family));
  put_endpoint(*this, c.address);
  i32(c.backlog);
  u32(c.length);
  u8(static_cast<std::uint8_t>(c.how));
  u8(static_cast<std::uint8_t>(c.option));
  i64(c.value);
  u8(c.linger_on ? 1 : 0);
}

void Writer::result(const model::CallResult& r) {
  i64(r.value);
  i32(r.error);
  u8(r.linger_on ? 1 : 0);
}

void Writer::observation(const model::ConnectionObservation& o) {
  put_endpoint(*this, o.tuple.local);
  put_endpoint(*this, o.tuple.remote);
  u8(static_cast<std::uint8_t>(o.state));
  u32(o.recv_q);
  u32(o.send_q);
  u8(o.orphan ? 1 : 0);
  u8(o.fd ? 1 : 0);
  i32(o.fd.value_or(-1));
  u8(static_cast<std::uint8_t>(o.timer));
}

std::optional<std::uint8_t> Reader::u8() {
  if (pos_ >= size_) return std::nullopt;
  return data_[pos_++];
}

std::optional<std::uint16_t> Reader::u16() {
  const auto lo = u8();
  const auto hi = u8();
  if (!lo || !hi) return std::nullopt;
  return static_cast<std::uint16_t>(*lo | (*hi << 8));
}

std::optional<std::uint32_t> Reader::u32() {
  const auto lo = u16();
  const auto hi = u16();
  if (!lo || !hi) return std::nullopt;
  return static_cast<std::uint32_t>(*lo) | (static_cast<std::uint32_t>(*hi) << 16);
}

std::optional<std::int32_t> Reader::i32() {
  const auto v = u32();
  if (!v) return std::nullopt;
  return static_cast<std::int32_t>(*v);
}

std::optional<std::int64_t> Reader::i64() {
  const auto lo = u32();
  const auto hi = u32();
  if (!lo || !hi) return std::nullopt;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(*lo) |
                                   (static_cast<std::uint64_t>(*hi) << 32));
}

std::optional<std::vector<std::uint8_t>> Reader::bytes(std::size_t n) {
  if (size_ - pos_ < n) return std::nullopt;
  std::vector<std::uint8_t> out(data_ + pos_, data_ + pos_ + n);
  pos_ += n;
  return out;
}

std::optional<std::string> Reader::string() {
  const auto n = u32();
  if (!n || size_ - pos_ < *n) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(data_ + pos_), *n);
  pos_ += *n;
  return out;
}

std::optional<model::SocketCall> Reader::call() {
  model::SocketCall c;
  const auto kind = u8();
  const auto fd = i32();
  const auto process = i32();
  const auto family = u8();
  const auto address = get_endpoint(*this);
  const auto backlog = i32();
  const auto length = u32();
  const auto how = u8();
  const auto option = u8();
  const auto value = i64();
  const auto linger = u8();
  if (!kind || !fd || !process || !family || !address || !backlog || !length || !how || !option ||
      !value || !linger) {
    return std::nullopt;
  }
  if (*kind > static_cast<std::uint8_t>(model::CallKind::kExitProcess) ||
      *how > static_cast<std::uint8_t>(model::ShutdownHow::kReadWrite) ||
      *option > static_cast<std::uint8_t>(model::SockOpt::kTcpMaxSeg) ||
      (*family != 4 && *family != 6)) {
    return std::nullopt;
  }
  c.kind = static_cast<model::CallKind>(*kind);
  c.fd = *fd;
  c.process = *process;
  c.family = static_cast<wire::IpVersion>(*family);
  c.address = *address;
  c.backlog = *backlog;
  c.length = *length;
  c.how = static_cast<model::ShutdownHow>(*how);
  c.option = static_cast<model::SockOpt>(*option);
  c.value = *value;
  c.linger_on = *linger != 0;
  return c;
}

std::optional<model::CallResult> Reader::result() {
  const auto value = i64();
  const auto error = i32();
  const auto linger = u8();
  if (!value || !error || !linger) return std::nullopt;
  return model::CallResult{*value, *error, *linger != 0};
}

std::optional<model::ConnectionObservation> Reader::observation() {
  model::ConnectionObservation o;
  const auto local = get_endpoint(*this);
  const auto remote = get_endpoint(*this);
  const auto state = u8();
  const auto recv_q = u32();
  const auto send_q = u32();
  const auto orphan = u8();
  const auto has_fd = u8();
  const auto fd = i32();
  const auto timer = u8();
  if (!local || !remote || !state || !recv_q || !send_q || !orphan || !has_fd || !fd || !timer) {
    return std::nullopt;
  }
  if (*state >= model::kStateCount ||
      *timer > static_cast<std::uint8_t>(model::TimerKind::kZeroWindowProbe)) {
    return std::nullopt;
  }
  o.tuple = wire::FourTuple{*local, *remote};
  o.state = static_cast<model::State>(*state);
  o.recv_q = *recv_q;
  o.send_q = *send_q;
  o.orphan = *orphan != 0;
  if (*has_fd != 0) o.fd = *fd;
  o.timer = static_cast<model::TimerKind>(*timer);
  return o;
}

bool write_frame(int fd, const std::vector<std::uint8_t>& body) {
  std::uint8_t header[4];
  const auto n = static_cast<std::uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) header[i] = static_cast<std::uint8_t>(n >> (8 * i));
  std::vector<std::uint8_t> frame(header, header + 4);
  frame.insert(frame.end(), body.begin(), body.end());
  return io_all(fd, frame.data(), frame.size(), false);
}

bool read_frame(int fd, std::vector<std::uint8_t>& body) {
  std::uint8_t header[4];
  if (!io_all(fd, header, 4, true)) return false;
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(header[i]) << (8 * i);
  if (n > kMaxFrame) {
    errno = EMSGSIZE;
    return false;
  }
  body.resize(n);
  return io_all(fd, body.data(), n, true);
}

}  // namespace tcpconform::harness::lwip
