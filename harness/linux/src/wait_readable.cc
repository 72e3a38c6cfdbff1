// poll() with a deadline.
#include "wait_readable.h"

#include <poll.h>

#include <chrono>

#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

Result<bool> wait_readable(int fd, Duration limit) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now() + std::chrono::microseconds(999));
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return tl::unexpected(os_error("wait", "poll failed"));
    if (Clock::now() >= deadline) return false;
  }
}

}  // namespace tcpconform::harness::linux_sut
