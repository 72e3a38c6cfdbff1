// The script's processes and descriptors on the kernel (script_processes.h).
#include "script_processes.h"

#include <signal.h>
#include <unistd.h>

namespace tcpconform::harness::linux_sut {

int ScriptProcesses::lowest_free_fd(int process) const {
  int fd = 3;
  const auto it = fds_.find(process);
  if (it == fds_.end()) return fd;
  for (const auto& [script_fd, entry] : it->second) {
    if (script_fd != fd) break;
    ++fd;
  }
  return fd;
}

Result<CallReply> ScriptProcesses::run(int process, const CallRequest& request) {
  if (process == 0) {
    if (request.call.kind == model::CallKind::kSocket) {
      auto scope = NamespaceScope::enter(ns_);
      if (!scope) return tl::unexpected(scope.error());
      return execute(request);
    }
    return execute(request);
  }
  auto it = children_.find(process);
  if (it == children_.end()) {
    auto child = ChildProcess::spawn(ns_.net.get());
    if (!child) return tl::unexpected(child.error());
    it = children_.emplace(process, std::move(*child)).first;
  }
  return it->second.run(request);
}

Result<model::CallResult> ScriptProcesses::exit_process(int process) {
  if (process == 0) {
    // This process cannot exit: close its descriptors in order, as exit would.
    auto it = fds_.find(0);
    if (it != fds_.end()) {
      for (auto& [script_fd, entry] : it->second) ::close(entry.real_fd);
      fds_.erase(it);
    }
    return model::CallResult::ok();
  }
  auto it = children_.find(process);
  if (it != children_.end()) {
    auto r = it->second.terminate(SIGINT);
    children_.erase(it);
    if (!r) return tl::unexpected(r.error());
  }
  fds_.erase(process);
  return model::CallResult::ok();
}

Result<model::CallResult> ScriptProcesses::call(const model::SocketCall& c) {
  if (c.kind == model::CallKind::kExitProcess) return exit_process(c.process);
  CallRequest request{.call = c};
  auto& table = fds_[c.process];
  ScriptFd* entry = nullptr;
  if (c.kind != model::CallKind::kSocket) {
    const auto it = table.find(c.fd);
    if (it == table.end()) return model::CallResult::fail(EBADF);
    entry = &it->second;
    request.call.fd = entry->real_fd;
    request.call.family = entry->family;
    request.stream_offset = entry->sent;
  }
  auto reply = run(c.process, request);
  if (!reply) return tl::unexpected(reply.error());
  model::CallResult result = reply->result;
  switch (c.kind) {
    case model::CallKind::kSocket:
      if (reply->new_fd >= 0) {
        const int script_fd = lowest_free_fd(c.process);
        table[script_fd] =
            ScriptFd{.real_fd = reply->new_fd, .cookie = reply->cookie, .family = c.family};
        (c.family == wire::IpVersion::kV4 ? used_v4_ : used_v6_) = true;
        result.value = script_fd;
      }
      break;
    case model::CallKind::kAccept:
      if (reply->new_fd >= 0) {
        const int script_fd = lowest_free_fd(c.process);
        table[script_fd] = ScriptFd{.real_fd = reply->new_fd,
                                    .cookie = reply->cookie,
                                    .family = entry->family,
                                    .local = reply->local};
        result.value = script_fd;
      }
      break;
    case model::CallKind::kListen:
      if (result.error == 0) {
        entry->listening = true;
        entry->local = reply->local;
      }
      break;
    case model::CallKind::kSend:
      if (result.value > 0) entry->sent += static_cast<std::uint64_t>(result.value);
      break;
    case model::CallKind::kClose:
      table.erase(c.fd);  // Linux releases the descriptor even when close() reports an error
      break;
    case model::CallKind::kBind:
    case model::CallKind::kConnect:
      if (entry != nullptr) entry->local = reply->local;
      break;
    case model::CallKind::kRecv:
    case model::CallKind::kShutdown:
    case model::CallKind::kSetSockOpt:
    case model::CallKind::kGetSockOpt:
    case model::CallKind::kSetNonBlocking:
    case model::CallKind::kExitProcess: break;
  }
  return result;
}

std::optional<int> ScriptProcesses::script_fd_of(std::uint64_t cookie) const {
  std::optional<int> found;
  for (const auto& [process, table] : fds_) {
    for (const auto& [script_fd, entry] : table) {
      if (entry.cookie == cookie) found = script_fd;
    }
  }
  return found;
}

std::vector<wire::IpVersion> ScriptProcesses::used_families() const {
  std::vector<wire::IpVersion> out;
  if (used_v4_) out.push_back(wire::IpVersion::kV4);
  if (used_v6_) out.push_back(wire::IpVersion::kV6);
  return out;
}

void ScriptProcesses::close_all() {
  children_.clear();
  for (auto& [process, table] : fds_) {
    for (auto& [script_fd, entry] : table) {
      if (process == 0) ::close(entry.real_fd);
    }
  }
  fds_.clear();
}

}  // namespace tcpconform::harness::linux_sut
