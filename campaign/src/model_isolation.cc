// The model helper process (see model_isolation.h). Protocol on the channel: the parent sends a
// 4-byte length and a program as script text; the helper answers one byte once the model has
// run it. A helper that aborts closes the channel, and its stderr says why.
#include "tcpconform/campaign/model_isolation.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "tcpconform/engine/explore/coverage.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/scenario/parse.h"
#include "tcpconform/scenario/print.h"

namespace tcpconform::campaign {
namespace {

bool write_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t size) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// The helper's life: run each program it is sent on a model of its own.
[[noreturn]] void serve(int channel, const model::Profile& profile,
                        const harness::Environment& environment) {
  harness::ModelSut model(profile);
  for (;;) {
    std::uint32_t length = 0;
    if (!read_all(channel, &length, sizeof length)) ::_exit(0);
    std::string text(length, '\0');
    if (!read_all(channel, text.data(), length)) ::_exit(0);
    if (auto program = scenario::parse(text, "isolated.pkt")) {
      (void)engine::explore::model_states(*program, model, environment);
    }
    const char done = 'k';
    if (!write_all(channel, &done, 1)) ::_exit(0);
  }
}

}  // namespace

tl::expected<ModelIsolation, std::string> ModelIsolation::start(
    const model::Profile& profile, const harness::Environment& environment, bool may_respawn) {
  ModelIsolation isolation(profile, environment, may_respawn);
  if (!isolation.spawn()) {
    return tl::make_unexpected(
        fmt::format("cannot start the model helper: {}", std::strerror(errno)));
  }
  return isolation;
}

ModelIsolation::ModelIsolation(ModelIsolation&& other) noexcept
    : profile_(std::move(other.profile_)),
      environment_(std::move(other.environment_)),
      may_respawn_(other.may_respawn_),
      pid_(other.pid_),
      channel_(other.channel_),
      errors_(other.errors_) {
  other.pid_ = -1;
  other.channel_ = -1;
  other.errors_ = -1;
}

ModelIsolation::~ModelIsolation() {
  stop();
}

bool ModelIsolation::spawn() {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return false;
  int err[2];
  if (::pipe2(err, O_CLOEXEC) != 0) {
    const int saved = errno;
    ::close(pair[0]);
    ::close(pair[1]);
    errno = saved;
    return false;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int saved = errno;  // for start()'s message; close() may change errno
    for (const int fd : {pair[0], pair[1], err[0], err[1]}) ::close(fd);
    errno = saved;
    return false;
  }
  if (pid == 0) {
    ::dup2(err[1], STDERR_FILENO);
    const int channel = ::dup(pair[1]);
    // Nothing else the parent had open stays here (see model_isolation.h).
    ::close_range(3, static_cast<unsigned>(channel) - 1, 0);
    ::close_range(static_cast<unsigned>(channel) + 1, ~0U, 0);
    serve(channel, profile_, environment_);
  }
  ::close(pair[1]);
  ::close(err[1]);
  pid_ = pid;
  channel_ = pair[0];
  errors_ = err[0];
  return true;
}

void ModelIsolation::stop() {
  if (channel_ >= 0) ::close(channel_);
  if (errors_ >= 0) ::close(errors_);
  if (pid_ > 0) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  channel_ = -1;
  errors_ = -1;
}

std::string ModelIsolation::run(const engine::Program& program) {
  // No helper (none may be forked again, or the fork failed): the campaign goes on unprotected.
  if (pid_ <= 0 && (!may_respawn_ || !spawn())) return {};
  const std::string text = scenario::print(program);
  const auto length = static_cast<std::uint32_t>(text.size());
  char done = 0;
  if (write_all(channel_, &length, sizeof length) && write_all(channel_, text.data(), length) &&
      read_all(channel_, &done, 1)) {
    return {};
  }
  // The helper died: its stderr holds the model's last words.
  ::close(channel_);
  channel_ = -1;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  std::string message;
  std::array<char, 512> buf{};
  for (ssize_t n; (n = ::read(errors_, buf.data(), buf.size())) > 0;) {
    if (message.size() < 4096) message.append(buf.data(), static_cast<std::size_t>(n));
  }
  ::close(errors_);
  errors_ = -1;
  message = message.substr(0, message.find('\n'));
  if (message.empty()) {
    message = WIFSIGNALED(status) ? fmt::format("killed by signal {}", WTERMSIG(status))
                                  : fmt::format("exited with status {}", WEXITSTATUS(status));
  }
  return message;
}

}  // namespace tcpconform::campaign
