// LwipSut: the client side of the lwIP host process (see lwip_sut.h and protocol.h).
#include "tcpconform/harness/lwip_sut.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "protocol.h"
#include "tcpconform/wire/codec.h"

#ifndef TCPCONFORM_LWIP_HOST_PATH
#define TCPCONFORM_LWIP_HOST_PATH ""
#endif

namespace tcpconform::harness {
namespace {

namespace fs = std::filesystem;
using lwip::Op;

constexpr const char* kHostName = "tcpconform-lwip-host";

Error error(std::string step, std::string message, int os_error = 0) {
  return Error{.step = std::move(step),
               .message = std::move(message),
               .os_error = os_error,
               .missing_privilege = false,
               .stack_crashed = false};
}

bool executable(const std::string& path) {
  return !path.empty() && ::access(path.c_str(), X_OK) == 0;
}

// $TCPCONFORM_LWIP_HOST, the directory of the running program, the build tree.
std::string find_host(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("TCPCONFORM_LWIP_HOST"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::string beside = (self.parent_path() / kHostName).string();
    if (executable(beside)) return beside;
  }
  return TCPCONFORM_LWIP_HOST_PATH;
}

// Everything the host wrote to its stdout/stderr so far (non-blocking).
std::string drain(int fd) {
  std::string text;
  std::array<char, 4096> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n <= 0) break;
    if (text.size() < 16384) text.append(buf.data(), static_cast<std::size_t>(n));
  }
  return text;
}

// lwIP's "Assertion "…" failed at line N in FILE" line, else the last non-empty line.
std::string crash_line(const std::string& output) {
  std::string last;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    if (line.find("Assertion") != std::string::npos) return line;
    if (!line.empty()) last = line;
    start = end + 1;
  }
  return last;
}

}  // namespace

Result<std::unique_ptr<LwipSut>> LwipSut::create(LwipSutOptions options) {
  std::unique_ptr<LwipSut> sut(new LwipSut(std::move(options)));
  sut->host_path_ = find_host(sut->options_.host_path);
  if (!executable(sut->host_path_)) {
    return tl::make_unexpected(
        error("start the lwIP host",
              fmt::format("{} not found{} (tcpconform was built without liblwip-dev, or set "
                          "TCPCONFORM_LWIP_HOST)",
                          kHostName, sut->host_path_.empty() ? "" : " at " + sut->host_path_)));
  }
  if (auto r = sut->spawn(); !r) return tl::make_unexpected(r.error());
  return sut;
}

LwipSut::~LwipSut() {
  stop();
}

Result<void> LwipSut::spawn() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return tl::make_unexpected(error("start the lwIP host", "socketpair", errno));
  }
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    return tl::make_unexpected(error("start the lwIP host", "pipe", e));
  }
  // Everything the child needs is prepared before fork(): between fork() and exec() a
  // multi-threaded parent's child may only make async-signal-safe calls.
  constexpr int kChildFd = 3;
  const std::string fd_text = std::to_string(kChildFd);
  const std::string path = host_path_;
  char* const argv[] = {const_cast<char*>(kHostName), const_cast<char*>(fd_text.c_str()), nullptr};
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    for (int fd : {sv[0], sv[1], out[0], out[1]}) ::close(fd);
    return tl::make_unexpected(error("start the lwIP host", "fork", e));
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(out[1], STDERR_FILENO);
    if (sv[1] == kChildFd) {
      ::fcntl(kChildFd, F_SETFD, 0);
    } else {
      ::dup2(sv[1], kChildFd);
    }
    ::execv(path.c_str(), argv);
    ::_exit(127);
  }
  ::close(sv[1]);
  ::close(out[1]);
  ::fcntl(out[0], F_SETFL, O_NONBLOCK);
  pid_ = pid;
  sock_ = sv[0];
  output_ = out[0];
  crash_.reset();
  last_request_ = std::chrono::steady_clock::now();
  auto hello = request(static_cast<std::uint8_t>(Op::kHello), {}, "start the lwIP host");
  if (!hello) return tl::make_unexpected(hello.error());
  lwip::Reader r(hello->data(), hello->size());
  version_ = r.string().value_or("?");
  return {};
}

void LwipSut::stop() {
  if (sock_ >= 0) ::close(sock_);
  if (output_ >= 0) ::close(output_);
  sock_ = -1;
  output_ = -1;
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
}

// The host is gone (or hung): reap it and say why, with lwIP's assertion when it printed one.
Error LwipSut::crashed(const std::string& step) {
  int status = 0;
  bool reaped = false;
  for (int i = 0; i < 200 && !reaped; ++i) {  // it has closed its end: it is exiting
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped = true;
    } else {
      ::usleep(5000);
    }
  }
  if (!reaped) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  const std::string output = output_ >= 0 ? drain(output_) : std::string();
  std::string how;
  if (!reaped) {
    how = "did not answer and was killed";
  } else if (WIFSIGNALED(status)) {
    how =
        fmt::format("was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  } else {
    how = fmt::format("exited with status {}", WEXITSTATUS(status));
  }
  const std::string line = crash_line(output);
  Error e = error(step, fmt::format("lwIP {}{}", how, line.empty() ? "" : ": " + line));
  e.stack_crashed = true;
  pid_ = -1;
  stop();
  crash_ = e;
  return e;
}

Result<std::vector<std::uint8_t>> LwipSut::request(std::uint8_t op,
                                                   const std::vector<std::uint8_t>& payload,
                                                   const std::string& step) {
  if (crash_) return tl::make_unexpected(*crash_);
  if (sock_ < 0) return tl::make_unexpected(error(step, "the lwIP host is not running"));
  const auto now = std::chrono::steady_clock::now();
  std::int64_t elapsed = 0;
  if (options_.clock == LwipSutOptions::Clock::kReal) {
    elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - last_request_).count();
  }
  last_request_ = now;
  lwip::Writer w;
  w.u8(op);
  w.i64(elapsed);
  w.bytes(payload.data(), payload.size());
  if (!lwip::write_frame(sock_, w.data())) return tl::make_unexpected(crashed(step));
  pollfd p{.fd = sock_, .events = POLLIN, .revents = 0};
  const int ready = ::poll(&p, 1, static_cast<int>(options_.answer_timeout.count()));
  std::vector<std::uint8_t> body;
  if (ready <= 0 || !lwip::read_frame(sock_, body) || body.empty()) {
    return tl::make_unexpected(crashed(step));
  }
  lwip::Reader r(body.data(), body.size());
  const auto status = r.u8();
  if (status != static_cast<std::uint8_t>(lwip::Status::kOk)) {
    return tl::make_unexpected(error(step, "lwIP host: " + r.string().value_or("?")));
  }
  body.erase(body.begin());
  return body;
}

std::string LwipSut::name() const {
  return fmt::format("lwIP {}", version_);
}

Addresses LwipSut::addresses(wire::IpVersion version) const {
  if (version == wire::IpVersion::kV4) {
    return {wire::IpAddress::v4(192, 0, 2, 1), wire::IpAddress::v4(192, 0, 2, 2)};
  }
  return {*wire::IpAddress::parse("2001:db8::1"), *wire::IpAddress::parse("2001:db8::2")};
}

Result<void> LwipSut::inject(const wire::Segment& segment) {
  if (segment.src.version != wire::IpVersion::kV4) {
    return tl::make_unexpected(error("inject", "the lwIP adapter drives IPv4 only"));
  }
  auto r = request(static_cast<std::uint8_t>(Op::kInject), wire::emit(segment), "inject");
  if (!r) return tl::make_unexpected(r.error());
  return {};
}

Result<std::vector<wire::Segment>> LwipSut::collect() {
  auto body = request(static_cast<std::uint8_t>(Op::kCollect), {}, "collect");
  if (!body) return tl::make_unexpected(body.error());
  lwip::Reader r(body->data(), body->size());
  const auto n = r.u32();
  if (!n) return tl::make_unexpected(error("collect", "truncated answer"));
  std::vector<wire::Segment> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    const auto len = r.u32();
    if (!len) return tl::make_unexpected(error("collect", "truncated answer"));
    auto packet = r.bytes(*len);
    if (!packet) return tl::make_unexpected(error("collect", "truncated answer"));
    auto seg = wire::parse(*packet);
    if (seg) out.push_back(std::move(*seg));  // not TCP (lwIP sends nothing else here): skipped
  }
  return out;
}

Result<model::CallResult> LwipSut::call(const model::SocketCall& c) {
  lwip::Writer w;
  w.call(c);
  auto body = request(static_cast<std::uint8_t>(Op::kCall), w.data(), "call");
  if (!body) return tl::make_unexpected(body.error());
  lwip::Reader r(body->data(), body->size());
  auto result = r.result();
  if (!result) return tl::make_unexpected(error("call", "truncated answer"));
  return *result;
}

std::optional<Duration> LwipSut::time_to_next_timer() const {
  if (!virtual_time()) return std::nullopt;
  return std::chrono::milliseconds{250};
}

Result<void> LwipSut::advance(Duration d) {
  lwip::Writer w;
  w.i64(d.count());
  auto r = request(static_cast<std::uint8_t>(Op::kAdvance), w.data(), "advance");
  if (!r) return tl::make_unexpected(r.error());
  return {};
}

Result<std::vector<model::ConnectionObservation>> LwipSut::observe() {
  auto body = request(static_cast<std::uint8_t>(Op::kObserve), {}, "observe");
  if (!body) return tl::make_unexpected(body.error());
  lwip::Reader r(body->data(), body->size());
  const auto n = r.u32();
  if (!n) return tl::make_unexpected(error("observe", "truncated answer"));
  std::vector<model::ConnectionObservation> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    auto o = r.observation();
    if (!o) return tl::make_unexpected(error("observe", "truncated answer"));
    out.push_back(*o);
  }
  return out;
}

Result<void> LwipSut::configure(const Settings& settings) {
  ignored_.clear();
  lwip::Writer w;
  w.u32(static_cast<std::uint32_t>(settings.size()));
  for (const auto& [key, value] : settings) {
    if (key == "lwip/quickack" && value != "0" && value != "1") {
      return tl::make_unexpected(
          error("configure", fmt::format("{}: '{}' is not 0 or 1", key, value)));
    }
    if (key != "lwip/quickack") ignored_.push_back(key);
    w.string(key);
    w.string(value);
  }
  auto r = request(static_cast<std::uint8_t>(Op::kConfigure), w.data(), "configure");
  if (!r) return tl::make_unexpected(r.error());
  return {};
}

Result<void> LwipSut::reset() {
  ignored_.clear();
  if (crash_ || sock_ < 0) {
    stop();
    if (auto r = spawn(); !r) return r;
  }
  auto r = request(static_cast<std::uint8_t>(Op::kReset), {}, "reset");
  if (!r) return tl::make_unexpected(r.error());
  return {};
}

Result<void> LwipSut::trip_assert() {
  auto r = request(static_cast<std::uint8_t>(Op::kTripAssert), {}, "trip an lwIP assertion");
  if (!r) return tl::make_unexpected(r.error());
  return {};
}

}  // namespace tcpconform::harness
