// Creating, writing and reading the TUN device.
#include "tun.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cstring>

#include "wait_readable.h"

namespace tcpconform::harness::linux_sut {
namespace {

constexpr std::size_t kMaxPacket = 65536;

}  // namespace

Result<std::unique_ptr<Tun>> Tun::open(const std::string& name) {
  std::unique_ptr<Tun> tun(new Tun);
  tun->fd_.reset(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!tun->fd_.valid()) {
    Error e = os_error("open /dev/net/tun", "cannot open the TUN clone device");
    e.missing_privilege = (errno == EACCES || errno == EPERM || errno == ENOENT || errno == ENODEV);
    return tl::unexpected(e);
  }
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  if (name.size() >= IFNAMSIZ) return tl::unexpected(Error{"TUNSETIFF", "name too long: " + name});
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  if (::ioctl(tun->fd_.get(), TUNSETIFF, &ifr) != 0) {
    Error e = os_error("TUNSETIFF", "cannot create TUN device " + name);
    e.missing_privilege = (errno == EPERM || errno == EACCES);
    return tl::unexpected(e);
  }
  tun->ifindex_ = static_cast<int>(::if_nametoindex(ifr.ifr_name));
  if (tun->ifindex_ == 0) return tl::unexpected(os_error("if_nametoindex", "TUN device vanished"));
  tun->rx_.resize(kMaxPacket);
  return tun;
}

Tun::~Tun() {
  close_in_background(std::move(fd_));
}

Result<void> Tun::send(std::span<const std::uint8_t> ip_packet) {
  const auto n = ::write(fd_.get(), ip_packet.data(), ip_packet.size());
  if (n < 0) return tl::unexpected(os_error("inject", "write to the TUN device failed"));
  if (static_cast<std::size_t>(n) != ip_packet.size()) {
    return tl::unexpected(Error{"inject", "short write to the TUN device"});
  }
  return {};
}

Result<std::span<const std::uint8_t>> Tun::receive() {
  const auto n = ::read(fd_.get(), rx_.data(), rx_.size());
  if (n < 0) {
    if (errno == EAGAIN) return std::span<const std::uint8_t>{};
    return tl::unexpected(os_error("collect", "read from the TUN device failed"));
  }
  return std::span<const std::uint8_t>(rx_.data(), static_cast<std::size_t>(n));
}

Result<bool> Tun::wait(Duration limit) {
  return wait_readable(fd_.get(), limit);
}

}  // namespace tcpconform::harness::linux_sut
