// Creating and entering private network (and, when not root, user) namespaces.
#include "netns.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace tcpconform::harness::linux_sut {
namespace {

Error privilege_error(std::string step, std::string message, int err) {
  Error e = os_error(std::move(step), std::move(message), err);
  e.missing_privilege = (err == EPERM || err == EACCES || err == EINVAL || err == ENOSPC);
  return e;
}

bool write_file(const char* path, const std::string& text) {
  const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const auto n = ::write(fd, text.data(), text.size());
  ::close(fd);
  return n == static_cast<ssize_t>(text.size());
}

int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return -1;
}

// Not root: the process becomes root of a new user namespace (uid and gid mapped to 0) and moves
// into a network namespace of its own, which every later namespace switch returns to.
Result<void> enter_user_namespace() {
  const uid_t uid = ::geteuid();
  const gid_t gid = ::getegid();
  if (thread_count() != 1) {
    return tl::unexpected(Error{
        .step = "unshare(CLONE_NEWUSER)",
        .message = "not root, and a user namespace needs a single-threaded process: create the "
                   "first LinuxSut before starting threads, or run as root",
        .missing_privilege = true});
  }
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
    return tl::unexpected(privilege_error("unshare(CLONE_NEWUSER)",
                                          "not root and user namespaces are not available", errno));
  }
  if (!write_file("/proc/self/setgroups", "deny") ||
      !write_file("/proc/self/uid_map", fmt::format("0 {} 1", uid)) ||
      !write_file("/proc/self/gid_map", fmt::format("0 {} 1", gid))) {
    return tl::unexpected(privilege_error("write uid_map", "cannot map the user to root", errno));
  }
  return {};
}

}  // namespace

Result<Namespace> create_namespace(unsigned ehash_entries) {
  if (::geteuid() != 0) {
    if (auto r = enter_user_namespace(); !r) return tl::unexpected(r.error());
  }
  Namespace ns;
  ns.origin.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!ns.origin.valid()) return tl::unexpected(os_error("open ns/net", "cannot open"));

  // From here on the thread is in a namespace of ours; return to the origin whatever happens.
  struct Return {
    int origin;
    ~Return() {
      if (::setns(origin, CLONE_NEWNET) != 0) {
        std::perror("tcpconform: cannot return to the original network namespace");
        std::abort();
      }
    }
  };
  if (::unshare(CLONE_NEWNET) != 0) {
    return tl::unexpected(
        privilege_error("unshare(CLONE_NEWNET)", "cannot create a network namespace", errno));
  }
  const Return back{ns.origin.get()};
  if (ehash_entries != 0) {
    // The parent only exists to size its child's hash table: Linux tcp_set_hashinfo() reads
    // tcp_child_ehash_entries of the namespace the creating task is in. Best effort.
    (void)write_file("/proc/sys/net/ipv4/tcp_child_ehash_entries",
                     fmt::format("{}", ehash_entries));
    if (::unshare(CLONE_NEWNET) != 0) {
      return tl::unexpected(privilege_error("unshare(CLONE_NEWNET)",
                                            "cannot create a nested network namespace", errno));
    }
  }
  ns.net.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!ns.net.valid()) return tl::unexpected(os_error("open ns/net", "cannot open"));
  return ns;
}

Result<NamespaceScope> NamespaceScope::enter(const Namespace& ns) {
  if (::setns(ns.net.get(), CLONE_NEWNET) != 0) {
    return tl::unexpected(os_error("setns", "cannot enter the SUT's network namespace"));
  }
  return NamespaceScope(ns.origin.get());
}

NamespaceScope::~NamespaceScope() {
  if (origin_ < 0) return;
  if (::setns(origin_, CLONE_NEWNET) != 0) {
    std::fprintf(stderr,
                 "tcpconform: cannot return to the original network namespace (fd %d): %s\n",
                 origin_, std::strerror(errno));
    std::abort();
  }
}

}  // namespace tcpconform::harness::linux_sut
