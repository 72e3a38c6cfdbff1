// inet_diag dumps, exact lookups and SOCK_DESTROY over NETLINK_SOCK_DIAG (libmnl).
#include "sock_diag.h"

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {
namespace {

constexpr std::size_t kBufferSize = 32768;  // MNL_SOCKET_DUMP_SIZE

std::uint8_t family_of(wire::IpVersion v) {
  return v == wire::IpVersion::kV4 ? AF_INET : AF_INET6;
}

void put_address(__be32 (&out)[4], const wire::IpAddress& a) {
  std::memcpy(out, a.bytes.data(), a.version == wire::IpVersion::kV4 ? 4 : 16);
}

wire::IpAddress address_from(std::uint8_t family, const __be32 (&in)[4]) {
  wire::IpAddress a;
  a.version = family == AF_INET ? wire::IpVersion::kV4 : wire::IpVersion::kV6;
  std::memcpy(a.bytes.data(), in, family == AF_INET ? 4 : 16);
  return a;
}

inet_diag_req_v2 request_for(const wire::FourTuple& tuple, std::uint64_t cookie) {
  inet_diag_req_v2 req{};
  req.sdiag_family = family_of(tuple.local.address.version);
  req.sdiag_protocol = IPPROTO_TCP;
  req.idiag_states = kTcpfAll;
  req.id.idiag_sport = htons(tuple.local.port);
  req.id.idiag_dport = htons(tuple.remote.port);
  put_address(req.id.idiag_src, tuple.local.address);
  put_address(req.id.idiag_dst, tuple.remote.address);
  req.id.idiag_cookie[0] = static_cast<std::uint32_t>(cookie);
  req.id.idiag_cookie[1] = static_cast<std::uint32_t>(cookie >> 32);
  return req;
}

// A SOCK_DIAG_BY_FAMILY or SOCK_DESTROY request: the header and one inet_diag_req_v2.
struct DiagRequest {
  nlmsghdr nlh;
  inet_diag_req_v2 req;
};

DiagRequest diag_request(std::uint16_t type, std::uint16_t flags, std::uint32_t seq,
                         const inet_diag_req_v2& req) {
  DiagRequest message{};
  message.nlh.nlmsg_len = sizeof(message);
  message.nlh.nlmsg_type = type;
  message.nlh.nlmsg_flags = flags;
  message.nlh.nlmsg_seq = seq;
  message.req = req;
  return message;
}

struct ParseContext {
  std::vector<DiagSocket>* out;
};

int attribute_cb(const nlattr* attr, void* data) {
  auto* socket = static_cast<DiagSocket*>(data);
  if (mnl_attr_get_type(attr) == INET_DIAG_SHUTDOWN && mnl_attr_validate(attr, MNL_TYPE_U8) >= 0) {
    socket->shutdown = mnl_attr_get_u8(attr);
  }
  return MNL_CB_OK;
}

int message_cb(const nlmsghdr* nlh, void* data) {
  auto* ctx = static_cast<ParseContext*>(data);
  if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
      nlh->nlmsg_len < mnl_nlmsg_size(sizeof(inet_diag_msg))) {
    return MNL_CB_OK;
  }
  const auto* msg = static_cast<const inet_diag_msg*>(mnl_nlmsg_get_payload(nlh));
  DiagSocket s;
  s.tuple.local = {address_from(msg->idiag_family, msg->id.idiag_src), ntohs(msg->id.idiag_sport)};
  s.tuple.remote = {address_from(msg->idiag_family, msg->id.idiag_dst), ntohs(msg->id.idiag_dport)};
  s.state = msg->idiag_state;
  s.timer = msg->idiag_timer;
  s.rqueue = msg->idiag_rqueue;
  s.wqueue = msg->idiag_wqueue;
  s.inode = msg->idiag_inode;
  s.cookie = static_cast<std::uint64_t>(msg->id.idiag_cookie[0]) |
             (static_cast<std::uint64_t>(msg->id.idiag_cookie[1]) << 32);
  mnl_attr_parse(nlh, sizeof(inet_diag_msg), attribute_cb, &s);
  ctx->out->push_back(s);
  return MNL_CB_OK;
}

}  // namespace

void SockDiag::Closer::operator()(mnl_socket* s) const {
  mnl_socket_close(s);
}

SockDiag::SockDiag(SockDiag&&) noexcept = default;
SockDiag& SockDiag::operator=(SockDiag&&) noexcept = default;
SockDiag::~SockDiag() = default;

Result<SockDiag> SockDiag::open() {
  SockDiag d;
  d.socket_.reset(mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC));
  if (!d.socket_) return tl::unexpected(os_error("sock_diag", "cannot open NETLINK_SOCK_DIAG"));
  if (mnl_socket_bind(d.socket_.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
    return tl::unexpected(os_error("sock_diag", "cannot bind NETLINK_SOCK_DIAG"));
  }
  d.portid_ = mnl_socket_get_portid(d.socket_.get());
  d.buffer_.resize(kBufferSize);
  return d;
}

Result<void> SockDiag::dump(wire::IpVersion version, std::uint32_t states,
                            std::vector<DiagSocket>& out) {
  inet_diag_req_v2 req{};
  req.sdiag_family = family_of(version);
  req.sdiag_protocol = IPPROTO_TCP;
  req.idiag_states = states;
  const DiagRequest message =
      diag_request(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq_++, req);
  if (mnl_socket_sendto(socket_.get(), &message, sizeof(message)) < 0) {
    return tl::unexpected(os_error("observe", "sock_diag dump request failed"));
  }
  ParseContext ctx{&out};
  for (;;) {
    const auto n = mnl_socket_recvfrom(socket_.get(), buffer_.data(), buffer_.size());
    if (n < 0) return tl::unexpected(os_error("observe", "sock_diag dump receive failed"));
    const int rc = mnl_cb_run(buffer_.data(), static_cast<std::size_t>(n), message.nlh.nlmsg_seq,
                              portid_, message_cb, &ctx);
    if (rc == MNL_CB_ERROR) return tl::unexpected(os_error("observe", "sock_diag dump failed"));
    if (rc == MNL_CB_STOP) return {};
  }
}

Result<std::optional<DiagSocket>> SockDiag::lookup(const wire::FourTuple& tuple,
                                                   std::uint64_t cookie) {
  const DiagRequest message =
      diag_request(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, seq_++, request_for(tuple, cookie));
  if (mnl_socket_sendto(socket_.get(), &message, sizeof(message)) < 0) {
    return tl::unexpected(os_error("observe", "sock_diag lookup request failed"));
  }
  std::vector<DiagSocket> found;
  ParseContext ctx{&found};
  const auto n = mnl_socket_recvfrom(socket_.get(), buffer_.data(), buffer_.size());
  if (n < 0) return tl::unexpected(os_error("observe", "sock_diag lookup receive failed"));
  const int rc = mnl_cb_run(buffer_.data(), static_cast<std::size_t>(n), message.nlh.nlmsg_seq,
                            portid_, message_cb, &ctx);
  if (rc == MNL_CB_ERROR) {
    if (errno == ENOENT || errno == ESTALE) return std::optional<DiagSocket>{};
    return tl::unexpected(os_error("observe", "sock_diag lookup failed"));
  }
  if (found.empty()) return std::optional<DiagSocket>{};
  return std::optional<DiagSocket>{found.front()};
}

Result<void> SockDiag::destroy(const DiagSocket& socket) {
  const DiagRequest message = diag_request(SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, seq_++,
                                           request_for(socket.tuple, socket.cookie));
  if (mnl_socket_sendto(socket_.get(), &message, sizeof(message)) < 0) {
    return tl::unexpected(os_error("reset", "SOCK_DESTROY request failed"));
  }
  const auto n = mnl_socket_recvfrom(socket_.get(), buffer_.data(), buffer_.size());
  if (n < 0) return tl::unexpected(os_error("reset", "SOCK_DESTROY receive failed"));
  const int rc = mnl_cb_run(buffer_.data(), static_cast<std::size_t>(n), message.nlh.nlmsg_seq,
                            portid_, nullptr, nullptr);
  if (rc == MNL_CB_ERROR && errno != ENOENT && errno != ESTALE) {
    return tl::unexpected(os_error("reset", "SOCK_DESTROY " + socket.tuple.local.to_string() +
                                                " -> " + socket.tuple.remote.to_string()));
  }
  return {};
}

}  // namespace tcpconform::harness::linux_sut
