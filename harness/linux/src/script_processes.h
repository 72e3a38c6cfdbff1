// The script's processes and descriptors on the kernel: script fd numbers (lowest free >= 3 per
// process, as Linux gives them in a fresh process) mapped to real descriptors, in this process
// (process 0) or in forked children that own their sockets.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "child_process.h"
#include "netns.h"
#include "sockets.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/model/call.h"
#include "tcpconform/wire/address.h"

namespace tcpconform::harness::linux_sut {

// One script descriptor: the real descriptor in its process, and what observation needs of it.
struct ScriptFd {
  int real_fd = -1;
  std::uint64_t cookie = 0;  // SO_COOKIE: how sock_diag entries are matched to descriptors
  wire::IpVersion family = wire::IpVersion::kV4;
  bool listening = false;
  wire::Endpoint local;
  std::uint64_t sent = 0;  // bytes sent so far (the stream_byte() pattern continues from here)
};

class ScriptProcesses {
 public:
  // `ns` must outlive this object: socket() and children are made in it.
  explicit ScriptProcesses(const Namespace& ns) : ns_(ns) {}
  ScriptProcesses(const ScriptProcesses&) = delete;
  ScriptProcesses& operator=(const ScriptProcesses&) = delete;
  ~ScriptProcesses() { close_all(); }

  // One call of the script: an unknown script fd fails EBADF without touching any descriptor;
  // kExitProcess ends the process (a child is killed with SIGINT and reaped, so its sockets
  // close as when a real program dies; process 0 closes its descriptors in ascending order).
  [[nodiscard]] Result<model::CallResult> call(const model::SocketCall& c);

  // The script fd holding the socket with this cookie, if any.
  [[nodiscard]] std::optional<int> script_fd_of(std::uint64_t cookie) const;
  // Calls f(process, entry) for every listening descriptor.
  template <typename F>
  void for_each_listener(F&& f) const {
    for (const auto& [process, table] : fds_) {
      for (const auto& [script_fd, entry] : table) {
        if (entry.listening) f(process, entry);
      }
    }
  }
  // The families a socket can exist in since the last forget(): a request socket or a child
  // belongs to a listener, an orphan or TIME-WAIT socket to a socket created since.
  [[nodiscard]] std::vector<wire::IpVersion> used_families() const;

  // Kills the children (SIGKILL and reap: their descriptors are closed when this returns).
  void kill_children() { children_.clear(); }
  // Closes every descriptor of process 0 and forgets every table (children killed first).
  void close_all();
  // Forgets which families were used (after reset()).
  void forget_families() {
    used_v4_ = false;
    used_v6_ = false;
  }

 private:
  [[nodiscard]] int lowest_free_fd(int process) const;
  [[nodiscard]] Result<CallReply> run(int process, const CallRequest& request);
  [[nodiscard]] Result<model::CallResult> exit_process(int process);

  const Namespace& ns_;
  std::map<int, std::map<int, ScriptFd>> fds_;  // process -> script fd -> entry
  std::map<int, ChildProcess> children_;
  bool used_v4_ = false;
  bool used_v6_ = false;
};

}  // namespace tcpconform::harness::linux_sut
