// Forking the socket-owning child processes and talking to them over a socketpair.
#include "child_process.h"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

namespace tcpconform::harness::linux_sut {
namespace {

[[noreturn]] void child_main(int channel, pid_t parent) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(1);
  // Default dispositions and an empty mask, so SIGINT ends the process like any program's.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s : {SIGINT, SIGTERM, SIGPIPE}) ::sigaction(s, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Close every inherited descriptor: a copy of one of the parent's sockets would keep that
  // socket open after the parent closes it. The channel moves to fd 3 first.
  if (channel != 3) {
    if (::dup2(channel, 3) < 0) ::_exit(3);
  }
  ::close_range(4, ~0U, 0);
  for (;;) {
    CallRequest request;
    const auto n = ::recv(3, &request, sizeof(request), 0);
    if (n != static_cast<ssize_t>(sizeof(request))) ::_exit(0);  // parent gone or closed
    const CallReply reply = execute(request);
    if (::send(3, &reply, sizeof(reply), MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof(reply))) {
      ::_exit(0);
    }
  }
}

}  // namespace

Result<ChildProcess> ChildProcess::spawn(int netns_fd) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return tl::unexpected(os_error("fork", "socketpair failed"));
  }
  UniqueFd mine(pair[0]);
  UniqueFd theirs(pair[1]);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return tl::unexpected(os_error("fork", "fork failed"));
  if (pid == 0) {
    ::close(pair[0]);
    if (::setns(netns_fd, CLONE_NEWNET) != 0) ::_exit(2);
    child_main(pair[1], parent);
  }
  ChildProcess child;
  child.pid_ = pid;
  child.channel_ = std::move(mine);
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), channel_(std::move(other.channel_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) (void)terminate(SIGKILL);
    pid_ = std::exchange(other.pid_, -1);
    channel_ = std::move(other.channel_);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) (void)terminate(SIGKILL);
}

Result<CallReply> ChildProcess::run(const CallRequest& request) {
  if (::send(channel_.get(), &request, sizeof(request), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(sizeof(request))) {
    return tl::unexpected(os_error("call", "cannot reach the child process"));
  }
  CallReply reply;
  ssize_t n;
  do {
    n = ::recv(channel_.get(), &reply, sizeof(reply), 0);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof(reply))) {
    return tl::unexpected(os_error("call", "the child process did not answer"));
  }
  return reply;
}

Result<void> ChildProcess::terminate(int signal) {
  if (pid_ <= 0) return {};
  const pid_t pid = std::exchange(pid_, -1);
  if (::kill(pid, signal) != 0 && errno != ESRCH) {
    return tl::unexpected(os_error("exit process", "kill failed"));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return tl::unexpected(os_error("exit process", "waitpid failed"));
  }
  channel_.reset();
  return {};
}

}  // namespace tcpconform::harness::linux_sut
