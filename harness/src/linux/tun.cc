// Creating, writing and reading the TUN device.
#include "tun.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cstring>
#include <thread>

namespace tcpconform::harness::linux_sut {

Result<Tun> Tun::open(const std::string& name) {
  Tun tun;
  tun.fd_.reset(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!tun.fd_.valid()) {
    Error e = os_error("open /dev/net/tun", "cannot open the TUN clone device");
    e.missing_privilege = (errno == EACCES || errno == EPERM || errno == ENOENT || errno == ENODEV);
    return tl::unexpected(e);
  }
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  if (name.size() >= IFNAMSIZ) return tl::unexpected(Error{"TUNSETIFF", "name too long: " + name});
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  if (::ioctl(tun.fd_.get(), TUNSETIFF, &ifr) != 0) {
    Error e = os_error("TUNSETIFF", "cannot create TUN device " + name);
    e.missing_privilege = (errno == EPERM || errno == EACCES);
    return tl::unexpected(e);
  }
  tun.ifindex_ = static_cast<int>(::if_nametoindex(ifr.ifr_name));
  if (tun.ifindex_ == 0) return tl::unexpected(os_error("if_nametoindex", "TUN device vanished"));
  return tun;
}

Result<void> Tun::write(std::span<const std::uint8_t> packet) const {
  const auto n = ::write(fd_.get(), packet.data(), packet.size());
  if (n < 0) return tl::unexpected(os_error("inject", "write to the TUN device failed"));
  if (static_cast<std::size_t>(n) != packet.size()) {
    return tl::unexpected(Error{"inject", "short write to the TUN device"});
  }
  return {};
}

Result<std::size_t> Tun::read(std::span<std::uint8_t> buffer) const {
  const auto n = ::read(fd_.get(), buffer.data(), buffer.size());
  if (n < 0) {
    if (errno == EAGAIN) return std::size_t{0};
    return tl::unexpected(os_error("collect", "read from the TUN device failed"));
  }
  return static_cast<std::size_t>(n);
}

void Tun::close_in_background(UniqueFd fd) {
  if (!fd.valid()) return;
  std::thread([raw = fd.release()] { ::close(raw); }).detach();
}

}  // namespace tcpconform::harness::linux_sut
