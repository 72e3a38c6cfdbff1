// A forked child process that owns some of a program's sockets and runs calls on request.
#pragma once

#include <sys/types.h>

#include "sockets.h"
#include "tcpconform/harness/sut.h"
#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

// The child enters the network namespace `netns_fd`, closes every inherited descriptor but its
// command channel (a SOCK_SEQPACKET socketpair), and then executes CallRequests one at a time.
// It dies with its parent (PR_SET_PDEATHSIG) and when its channel closes.
class ChildProcess {
 public:
  [[nodiscard]] static Result<ChildProcess> spawn(int netns_fd);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // SIGKILL and reap, if still running.
  ~ChildProcess();

  [[nodiscard]] Result<CallReply> run(const CallRequest& request);
  // Sends `signal` and waits until the process is gone, so that the kernel has closed all of
  // its descriptors (and sent what closing them sends) when this returns.
  [[nodiscard]] Result<void> terminate(int signal);

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  UniqueFd channel_;
};

}  // namespace tcpconform::harness::linux_sut
