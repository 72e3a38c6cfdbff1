// UniqueFd (an owned descriptor) and the helper that turns errno into a harness Error.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness::linux_sut {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~UniqueFd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// An Error for `step` carrying the current errno (or `err`).
inline Error os_error(std::string step, std::string message, int err = errno) {
  return Error{.step = std::move(step), .message = std::move(message), .os_error = err};
}

}  // namespace tcpconform::harness::linux_sut
