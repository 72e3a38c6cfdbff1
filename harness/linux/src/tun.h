// The TUN transport: a TUN device in the kernel's namespace (IFF_TUN | IFF_NO_PI: bare IP
// packets). The kernel handles a written packet inside write(), and what it sends waits in the
// device's queue until read.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tcpconform/harness/sut.h"
#include "transport.h"
#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

class Tun final : public Transport {
 public:
  // Creates the device in the calling thread's network namespace; non-blocking descriptor.
  [[nodiscard]] static Result<std::unique_ptr<Tun>> open(const std::string& name);
  ~Tun() override;

  [[nodiscard]] int ifindex() const override { return ifindex_; }
  [[nodiscard]] Result<void> send(std::span<const std::uint8_t> ip_packet) override;
  [[nodiscard]] Result<std::span<const std::uint8_t>> receive() override;
  [[nodiscard]] Result<bool> wait(Duration limit) override;

 private:
  Tun() = default;
  UniqueFd fd_;
  int ifindex_ = 0;
  std::vector<std::uint8_t> rx_;
};

}  // namespace tcpconform::harness::linux_sut
