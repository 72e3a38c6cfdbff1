// What `ss` shows of the namespace, as the model's observations: every TCP socket but CLOSED ones
// (listeners, request sockets, connections, orphans, TIME-WAIT), with its script fd if it has one.
#pragma once

#include <vector>

#include "script_processes.h"
#include "sock_diag.h"
#include "tcpconform/model/observation.h"

namespace tcpconform::harness::linux_sut {

// TCPF_* of every socket the harness observes or destroys: all but listeners (looked up one by
// one: the listening hash is global and slow to walk) and CLOSE.
[[nodiscard]] std::uint32_t connection_states();

// Sorted by tuple, then state. `scratch` is reused storage.
[[nodiscard]] Result<std::vector<model::ConnectionObservation>> observe_namespace(
    SockDiag& diag, const ScriptProcesses& processes, std::vector<DiagSocket>& scratch);

}  // namespace tcpconform::harness::linux_sut
