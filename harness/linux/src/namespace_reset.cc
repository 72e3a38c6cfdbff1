// Emptying the namespace between programs (namespace_reset.h).
#include "namespace_reset.h"

#include <fmt/format.h>

#include "observation.h"

namespace tcpconform::harness::linux_sut {

Result<void> destroy_connections(SockDiag& diag, const std::vector<wire::IpVersion>& families,
                                 std::vector<DiagSocket>& scratch) {
  for (const auto v : families) {
    scratch.clear();
    if (auto r = diag.dump(v, connection_states(), scratch); !r) return r;
    for (const DiagSocket& s : scratch) {
      if (auto r = diag.destroy(s); !r) return r;
    }
  }
  return {};
}

Result<void> expect_no_connections(SockDiag& diag, const std::vector<wire::IpVersion>& families,
                                   std::vector<DiagSocket>& scratch) {
  for (const auto v : families) {
    scratch.clear();
    if (auto r = diag.dump(v, connection_states(), scratch); !r) return r;
    if (!scratch.empty()) {
      return tl::unexpected(
          Error{"reset", fmt::format("{} socket(s) survived SOCK_DESTROY, e.g. {}", scratch.size(),
                                     scratch.front().tuple.local.to_string())});
    }
  }
  return {};
}

}  // namespace tcpconform::harness::linux_sut
