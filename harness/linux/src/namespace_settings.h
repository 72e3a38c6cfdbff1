// The kernel namespace's settings: namespaced sysctls and the route pseudo-keys, applied when the
// namespace is made, overridden per program by configure() and restored by reset().
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "netns.h"
#include "rtnetlink.h"
#include "tcpconform/harness/sut.h"

namespace tcpconform::harness::linux_sut {

// Route metrics as setting keys (rtnetlink RTAX_*, not sysctls): "1"/"0", and milliseconds
// (empty: the kernel's TCP_RTO_MIN).
inline constexpr std::string_view kRouteQuickack = "route/quickack";
inline constexpr std::string_view kRouteRtoMin = "route/rto_min_ms";

// What the harness itself needs of the namespace, beside the environment it is given: every
// step synchronous (quickack routes, no autocorking), room for every TIME-WAIT socket, and IPv6
// addresses usable at once without router solicitations or DAD probes as noise.
[[nodiscard]] Settings plumbing_settings();

// A key the namespace can take: a route key, or a sysctl private to a network namespace.
[[nodiscard]] bool is_known_setting(std::string_view key);

class NamespaceSettings {
 public:
  // `ns` and `rtnl` must outlive this object.
  NamespaceSettings(const Namespace& ns, Rtnl& rtnl) : ns_(ns), rtnl_(rtnl) {}

  // Writes the sysctls of `settings` (route keys are skipped); the calling thread must be in
  // the namespace. Done before the transport's device exists, which inherits
  // net/ipv6/conf/default.
  [[nodiscard]] static Result<void> write_sysctls(const Settings& settings);
  // Once the device `ifindex` exists: its routes, with the route keys of `settings`.
  [[nodiscard]] Result<void> start_routes(const Settings& settings, int ifindex);
  // Per-program overrides: everything is validated first, so a bad key changes nothing.
  [[nodiscard]] Result<void> configure(const Settings& settings);
  // Undoes every configure() since the last restore().
  [[nodiscard]] Result<void> restore();
  // The current value of a key.
  [[nodiscard]] Result<std::string> read(const std::string& key) const;

 private:
  [[nodiscard]] Result<void> apply_routes();

  const Namespace& ns_;
  Rtnl& rtnl_;
  int ifindex_ = 0;
  RouteMetrics base_metrics_;
  RouteMetrics metrics_;
  std::map<std::string, std::string> overridden_;  // key -> value before configure()
};

}  // namespace tcpconform::harness::linux_sut
