// Waiting, with a bound, for a descriptor to become readable (what a transport's wait() does).
#pragma once

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness::linux_sut {

// True when `fd` is readable within `limit` (restarted after signals until the limit passes).
[[nodiscard]] Result<bool> wait_readable(int fd, Duration limit);

}  // namespace tcpconform::harness::linux_sut
