// Offloads off through the legacy per-feature ethtool commands: they need no feature-name table
// (ETHTOOL_SFEATURES does) and every kernel still maps them onto the feature bits.
#include "ethtool.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <array>
#include <cstring>
#include <utility>

#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

Result<void> disable_offloads(int socket_fd, const std::string& ifname) {
  if (ifname.size() >= IFNAMSIZ) return tl::unexpected(Error{"ethtool", "name too long"});
  // Checksums first: the kernel drops SG and TSO by itself once TX checksumming is off, but
  // asking for each keeps the intent explicit. Switching a feature off never needs support.
  constexpr std::array<std::pair<std::uint32_t, const char*>, 6> kOff = {{
      {ETHTOOL_STXCSUM, "tx-checksumming"},
      {ETHTOOL_SRXCSUM, "rx-checksumming"},
      {ETHTOOL_SSG, "scatter-gather"},
      {ETHTOOL_STSO, "tcp-segmentation-offload"},
      {ETHTOOL_SGSO, "generic-segmentation-offload"},
      {ETHTOOL_SGRO, "generic-receive-offload"},
  }};
  for (const auto& [cmd, name] : kOff) {
    ethtool_value value{.cmd = cmd, .data = 0};
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, ifname.data(), ifname.size());
    ifr.ifr_data = reinterpret_cast<char*>(&value);
    if (::ioctl(socket_fd, SIOCETHTOOL, &ifr) != 0) {
      return tl::unexpected(os_error("ethtool", ifname + ": cannot turn " + name + " off"));
    }
  }
  return {};
}

}  // namespace tcpconform::harness::linux_sut
