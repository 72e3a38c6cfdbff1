// Private network namespaces: creating one that dies with its descriptors, and entering it.
#pragma once

#include "tcpconform/harness/sut.h"
#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

struct Namespace {
  UniqueFd origin;  // the namespace of the creating thread, to return to
  UniqueFd net;     // the private namespace; it lives as long as something refers to it
};

// Creates a private network namespace. When not root, first moves the whole process into a new
// user namespace (possible only while it is single-threaded) and a network namespace of its own,
// so nothing can reach the host's. When `ehash_entries` != 0 the namespace is created from a
// throw-away parent namespace whose net.ipv4.tcp_child_ehash_entries is set to it. The calling
// thread is back in its own namespace on return. Error::missing_privilege when not allowed.
[[nodiscard]] Result<Namespace> create_namespace(unsigned ehash_entries);

// While alive, the calling thread is in `ns.net`; the destructor switches it back to
// `ns.origin` (and aborts if the kernel refuses, since the thread would be lost). `ns` must
// outlive the scope: the scope keeps the origin descriptor's number, not a copy.
class NamespaceScope {
 public:
  [[nodiscard]] static Result<NamespaceScope> enter(const Namespace& ns);
  NamespaceScope(const NamespaceScope&) = delete;
  NamespaceScope& operator=(const NamespaceScope&) = delete;
  NamespaceScope(NamespaceScope&& other) noexcept : origin_(other.origin_) { other.origin_ = -1; }
  NamespaceScope& operator=(NamespaceScope&&) = delete;
  ~NamespaceScope();

 private:
  explicit NamespaceScope(int origin) : origin_(origin) {}
  int origin_ = -1;
};

}  // namespace tcpconform::harness::linux_sut
