// Emptying the namespace between programs: every connection, orphan, TIME-WAIT and request
// socket destroyed by cookie (SOCK_DESTROY), and a check that none survived.
#pragma once

#include <vector>

#include "sock_diag.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/wire/address.h"

namespace tcpconform::harness::linux_sut {

// SOCK_DESTROY of every socket of `families` but listeners and CLOSED ones. Always by cookie: a
// lookup by tuple alone may name the listener (DESIGN.md, "Danger").
[[nodiscard]] Result<void> destroy_connections(SockDiag& diag,
                                               const std::vector<wire::IpVersion>& families,
                                               std::vector<DiagSocket>& scratch);
// An error naming a socket that is still there (closing a listener or a destroyed socket must
// leave nothing behind).
[[nodiscard]] Result<void> expect_no_connections(SockDiag& diag,
                                                 const std::vector<wire::IpVersion>& families,
                                                 std::vector<DiagSocket>& scratch);

}  // namespace tcpconform::harness::linux_sut
