// Turning a device's offloads off (SIOCETHTOOL), so that what the kernel sends through it is
// what a wire would carry: final checksums, and no segment larger than the MTU.
#pragma once

#include <string>

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness::linux_sut {

// Turns off TX and RX checksum offload, scatter-gather, TSO, GSO and GRO on `ifname`.
// `socket_fd` is any socket of the device's namespace (the ioctl finds the device there).
[[nodiscard]] Result<void> disable_offloads(int socket_fd, const std::string& ifname);

}  // namespace tcpconform::harness::linux_sut
