// The kernel namespace's settings (namespace_settings.h).
#include "namespace_settings.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "bench_addresses.h"
#include "sysctl.h"

namespace tcpconform::harness::linux_sut {
namespace {

Result<std::optional<std::uint32_t>> parse_rto_min(const std::string& text) {
  if (text.empty()) return std::optional<std::uint32_t>{};
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return tl::unexpected(Error{"configure", "route/rto_min_ms must be milliseconds, not " + text});
  }
  return std::optional<std::uint32_t>{v};
}

Result<bool> parse_bool(const std::string& key, const std::string& text) {
  if (text == "0") return false;
  if (text == "1") return true;
  return tl::unexpected(Error{"configure", key + " must be 0 or 1, not " + text});
}

bool is_route_key(std::string_view key) {
  return key == kRouteQuickack || key == kRouteRtoMin;
}

Result<void> apply_route_key(const std::string& key, const std::string& value, RouteMetrics& m) {
  if (key == kRouteQuickack) {
    auto b = parse_bool(key, value);
    if (!b) return tl::unexpected(b.error());
    m.quickack = *b;
  } else {
    auto v = parse_rto_min(value);
    if (!v) return tl::unexpected(v.error());
    m.rto_min_ms = *v;
  }
  return {};
}

}  // namespace

Settings plumbing_settings() {
  return Settings{
      // Autocorking holds back a small send while an earlier segment sits unread in the TUN
      // queue; off, every send leaves inside the send() call.
      {"net/ipv4/tcp_autocorking", "0"},
      // A namespace with a private 1024-bucket hash table would allow only 512 TIME-WAIT
      // sockets (Linux tcp_sk_init()); beyond that Linux skips TIME-WAIT altogether.
      {"net/ipv4/tcp_max_tw_buckets", "262144"},
      // IPv6 addresses usable at once, and no router solicitations or DAD probes as noise.
      {"net/ipv6/conf/all/accept_dad", "0"},
      {"net/ipv6/conf/default/accept_dad", "0"},
      {"net/ipv6/conf/default/dad_transmits", "0"},
      {"net/ipv6/conf/default/router_solicitations", "0"},
      {"net/ipv6/conf/default/accept_ra", "0"},
      {"net/ipv6/conf/default/addr_gen_mode", "1"},
      // Route metrics (rtnetlink), not sysctls: no delayed ACKs (the model ACKs at once), and
      // the kernel's own minimum RTO.
      {std::string(kRouteQuickack), "1"},
      {std::string(kRouteRtoMin), ""},
  };
}

bool is_known_setting(std::string_view key) {
  return is_route_key(key) || is_namespaced_sysctl(key);
}

Result<void> NamespaceSettings::write_sysctls(const Settings& settings) {
  for (const auto& [key, value] : settings) {
    if (is_route_key(key)) continue;
    if (auto r = write_sysctl(key, value); !r) return r;
  }
  return {};
}

Result<void> NamespaceSettings::start_routes(const Settings& settings, int ifindex) {
  ifindex_ = ifindex;
  RouteMetrics m;
  for (const auto& [key, value] : settings) {
    if (!is_route_key(key)) continue;
    if (auto r = apply_route_key(key, value, m); !r) return r;
  }
  base_metrics_ = m;
  metrics_ = m;
  return apply_routes();
}

Result<void> NamespaceSettings::apply_routes() {
  if (auto r =
          rtnl_.replace_subnet_route(ifindex_, wire::IpAddress::v4(192, 0, 2, 0), 24, metrics_);
      !r) {
    return r;
  }
  if (auto r = rtnl_.replace_subnet_route(ifindex_, test_net_v6(0), 64, metrics_); !r) return r;
  if (auto r = rtnl_.replace_local_route(ifindex_, kKernelV4, metrics_); !r) return r;
  return rtnl_.replace_local_route(ifindex_, kKernelV6, metrics_);
}

Result<void> NamespaceSettings::configure(const Settings& settings) {
  auto scope = NamespaceScope::enter(ns_);
  if (!scope) return tl::unexpected(scope.error());
  RouteMetrics m = metrics_;
  std::map<std::string, std::string> previous;
  for (const auto& [key, value] : settings) {
    if (is_route_key(key)) {
      if (auto r = apply_route_key(key, value, m); !r) return r;
      continue;
    }
    if (!is_namespaced_sysctl(key)) {
      return tl::unexpected(Error{"configure", "unknown setting " + key});
    }
    auto current = read_sysctl(key);
    if (!current) return tl::unexpected(Error{"configure", "unknown setting " + key});
    previous.emplace(key, *current);
  }
  for (const auto& [key, value] : settings) {
    if (is_route_key(key)) continue;
    overridden_.try_emplace(key, previous[key]);
    if (auto r = write_sysctl(key, value); !r) return r;
  }
  if (m.quickack != metrics_.quickack || m.rto_min_ms != metrics_.rto_min_ms) {
    metrics_ = m;
    if (auto r = apply_routes(); !r) return r;
  }
  return {};
}

Result<void> NamespaceSettings::restore() {
  if (!overridden_.empty()) {
    auto scope = NamespaceScope::enter(ns_);
    if (!scope) return tl::unexpected(scope.error());
    for (const auto& [key, value] : overridden_) {
      if (auto r = write_sysctl(key, value); !r) return r;
    }
    overridden_.clear();
  }
  if (metrics_.quickack != base_metrics_.quickack ||
      metrics_.rto_min_ms != base_metrics_.rto_min_ms) {
    metrics_ = base_metrics_;
    if (auto r = apply_routes(); !r) return r;
  }
  return {};
}

Result<std::string> NamespaceSettings::read(const std::string& key) const {
  if (key == kRouteQuickack) return std::string(metrics_.quickack ? "1" : "0");
  if (key == kRouteRtoMin)
    return metrics_.rto_min_ms ? fmt::format("{}", *metrics_.rto_min_ms) : "";
  if (!is_namespaced_sysctl(key)) {
    return tl::unexpected(Error{"read setting", "unknown setting " + key});
  }
  auto scope = NamespaceScope::enter(ns_);
  if (!scope) return tl::unexpected(scope.error());
  return read_sysctl(key);
}

}  // namespace tcpconform::harness::linux_sut
