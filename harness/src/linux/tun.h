// The TUN device that carries the injected peer's packets (IFF_TUN | IFF_NO_PI: bare IP packets).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "tcpconform/harness/sut.h"
#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

class Tun {
 public:
  // Creates the device in the calling thread's network namespace; non-blocking descriptor.
  [[nodiscard]] static Result<Tun> open(const std::string& name);

  [[nodiscard]] int ifindex() const { return ifindex_; }
  [[nodiscard]] int fd() const { return fd_.get(); }
  // Hands one IP packet to the kernel, which processes it before write() returns.
  [[nodiscard]] Result<void> write(std::span<const std::uint8_t> packet) const;
  // One packet the kernel sent into `buffer`; 0 when none is pending.
  [[nodiscard]] Result<std::size_t> read(std::span<std::uint8_t> buffer) const;
  // Closing a TUN descriptor waits for an RCU grace period (~30 ms); this hands the descriptor
  // to a detached thread that closes it, off the caller's path.
  static void close_in_background(UniqueFd fd);
  UniqueFd release() { return std::move(fd_); }

 private:
  UniqueFd fd_;
  int ifindex_ = 0;
};

}  // namespace tcpconform::harness::linux_sut
