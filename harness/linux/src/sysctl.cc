// Reading and writing the namespace's sysctls through procfs, restricted to per-netns keys.
#include "sysctl.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <string>

#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {
namespace {

constexpr std::array<std::string_view, 3> kPrefixes = {"net/ipv4/tcp_", "net/ipv6/conf/",
                                                       "net/ipv4/conf/"};
constexpr std::array<std::string_view, 9> kExact = {
    "net/ipv4/ip_local_port_range", "net/ipv4/ip_local_reserved_ports",
    "net/ipv4/ip_default_ttl",      "net/ipv4/ip_no_pmtu_disc",
    "net/ipv4/icmp_ratelimit",      "net/ipv4/icmp_msgs_per_sec",
    "net/ipv4/icmp_msgs_burst",     "net/core/somaxconn",
    "net/ipv6/icmp/ratelimit"};
// Visible in every namespace but global (or meaningless to write).
constexpr std::array<std::string_view, 4> kDenied = {
    "net/ipv4/tcp_allowed_congestion_control", "net/ipv4/tcp_available_congestion_control",
    "net/ipv4/tcp_ehash_entries", "net/ipv4/tcp_child_ehash_entries"};

std::string path_of(std::string_view key) {
  std::string path = "/proc/sys/";
  path += key;
  return path;
}

}  // namespace

bool is_namespaced_sysctl(std::string_view key) {
  if (key.find("..") != std::string_view::npos || key.find("//") != std::string_view::npos) {
    return false;
  }
  for (auto d : kDenied) {
    if (key == d) return false;
  }
  for (auto e : kExact) {
    if (key == e) return true;
  }
  for (auto p : kPrefixes) {
    if (key.size() > p.size() && key.substr(0, p.size()) == p) return true;
  }
  return false;
}

Result<std::string> read_sysctl(std::string_view key) {
  const std::string path = path_of(key);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return tl::unexpected(os_error("read sysctl", "cannot open " + path));
  std::array<char, 4096> buffer{};
  const auto n = ::read(fd.get(), buffer.data(), buffer.size());
  if (n < 0) return tl::unexpected(os_error("read sysctl", "cannot read " + path));
  std::string value(buffer.data(), static_cast<std::size_t>(n));
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return value;
}

Result<void> write_sysctl(std::string_view key, std::string_view value) {
  if (!is_namespaced_sysctl(key)) {
    return tl::unexpected(Error{"write sysctl", std::string(key) + " is not a per-namespace key"});
  }
  const std::string path = path_of(key);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return tl::unexpected(os_error("write sysctl", "cannot open " + path));
  const auto n = ::write(fd.get(), value.data(), value.size());
  if (n < 0 || static_cast<std::size_t>(n) != value.size()) {
    return tl::unexpected(
        os_error("write sysctl", "cannot write '" + std::string(value) + "' to " + path));
  }
  return {};
}

}  // namespace tcpconform::harness::linux_sut
