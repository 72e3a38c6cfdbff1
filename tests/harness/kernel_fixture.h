// Shared helpers of the kernel tests: a LinuxSut per test (skipped without privileges) and a
// scripted peer that injects segments through the TUN device.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tcpconform/harness/linux_sut.h"
#include "tcpconform/model/call.h"
#include "tcpconform/model/observation.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::harness::testing {

using model::CallKind;
using model::CallResult;
using model::ConnectionObservation;
using model::SocketCall;
using model::State;
using wire::Endpoint;
using wire::IpVersion;
using wire::SeqLen;
using wire::SeqNum;

inline std::string version_name(const ::testing::TestParamInfo<IpVersion>& info) {
  return info.param == IpVersion::kV4 ? "IPv4" : "IPv6";
}

// Creates the SUT or skips the test with the reason privileges are missing.
#define TCPCONFORM_MAKE_SUT(var, ...)                                    \
  auto var##_made = LinuxSut::create(__VA_ARGS__);                       \
  if (!var##_made && var##_made.error().missing_privilege) {             \
    GTEST_SKIP() << var##_made.error().to_string();                      \
  }                                                                      \
  ASSERT_TRUE(var##_made.has_value()) << var##_made.error().to_string(); \
  LinuxSut& var = **var##_made

// Socket calls with designated initialisers, process 0 unless given.
struct Calls {
  LinuxSut& sut;
  int process = 0;

  CallResult run(SocketCall c) {
    c.process = process;
    auto r = sut.call(c);
    EXPECT_TRUE(r.has_value()) << r.error().to_string();
    return r.value_or(CallResult::fail(-1));
  }
  int socket(IpVersion v) {
    return static_cast<int>(run({.kind = CallKind::kSocket, .family = v}).value);
  }
  CallResult bind(int fd, Endpoint e) {
    return run({.kind = CallKind::kBind, .fd = fd, .address = e});
  }
  CallResult listen(int fd, int backlog = 8) {
    return run({.kind = CallKind::kListen, .fd = fd, .backlog = backlog});
  }
  CallResult connect(int fd, Endpoint e) {
    return run({.kind = CallKind::kConnect, .fd = fd, .address = e});
  }
  CallResult accept(int fd) { return run({.kind = CallKind::kAccept, .fd = fd}); }
  CallResult send(int fd, std::uint32_t n) {
    return run({.kind = CallKind::kSend, .fd = fd, .length = n});
  }
  CallResult recv(int fd, std::uint32_t n) {
    return run({.kind = CallKind::kRecv, .fd = fd, .length = n});
  }
  CallResult shutdown(int fd, model::ShutdownHow how) {
    return run({.kind = CallKind::kShutdown, .fd = fd, .how = how});
  }
  CallResult close(int fd) { return run({.kind = CallKind::kClose, .fd = fd}); }
  CallResult exit() { return run({.kind = CallKind::kExitProcess}); }
};

// The connection with this kernel-side local port (and, when given, remote port).
inline std::optional<ConnectionObservation> find(const std::vector<ConnectionObservation>& all,
                                                 std::uint16_t local_port,
                                                 std::optional<std::uint16_t> remote_port = {}) {
  for (const auto& o : all) {
    if (o.tuple.local.port == local_port && (!remote_port || o.tuple.remote.port == *remote_port)) {
      return o;
    }
  }
  return std::nullopt;
}

inline std::vector<ConnectionObservation> observe(LinuxSut& sut) {
  auto r = sut.observe();
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r.value_or(std::vector<ConnectionObservation>{});
}

inline std::vector<wire::Segment> collect(LinuxSut& sut) {
  auto r = sut.collect();
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r.value_or(std::vector<wire::Segment>{});
}

// The injected side of a connection: keeps SND.NXT and RCV.NXT and builds segments.
struct Peer {
  LinuxSut& sut;
  Endpoint self;
  Endpoint kernel;
  SeqNum snd_nxt{0xfffffc00U};  // straddles the 2^32 wrap after a kilobyte
  SeqNum rcv_nxt{};

  static Peer make(LinuxSut& sut, IpVersion v, std::uint16_t self_port, std::uint16_t kernel_port) {
    const Addresses a = sut.addresses(v);
    return Peer{sut, Endpoint{a.peer, self_port}, Endpoint{a.local, kernel_port}};
  }

  [[nodiscard]] wire::Segment segment(wire::Flags flags, std::uint32_t payload = 0) const {
    wire::Segment s;
    s.src = self.address;
    s.dst = kernel.address;
    s.sport = self.port;
    s.dport = kernel.port;
    s.seq = snd_nxt;
    s.ack = flags.has(wire::Flag::kAck) ? rcv_nxt : SeqNum{};
    s.flags = flags;
    s.window = 65535;
    s.payload.assign(payload, 0x5a);
    if (flags.has(wire::Flag::kSyn)) s.options.push_back(wire::option::Mss{1460});
    return s;
  }
  // Injects a segment and advances SND.NXT by its length.
  void send(wire::Flags flags, std::uint32_t payload = 0) {
    const wire::Segment s = segment(flags, payload);
    auto r = sut.inject(s);
    EXPECT_TRUE(r.has_value()) << r.error().to_string();
    snd_nxt += s.seg_len();
  }
  // Collects what the kernel sent, checks it is exactly one segment with `flags`, and advances
  // RCV.NXT past it.
  wire::Segment expect(wire::Flags flags) {
    auto got = collect(sut);
    EXPECT_EQ(got.size(), 1U) << "expected one segment with flags " << flags.bits;
    if (got.empty()) return {};
    const wire::Segment s = got.front();
    EXPECT_EQ(s.flags.bits, flags.bits);
    if (s.flags.has(wire::Flag::kSyn)) kernel.port = s.sport;
    if (s.flags.has(wire::Flag::kSyn)) rcv_nxt = s.seq;
    rcv_nxt = wire::seq_max(rcv_nxt, s.seq + s.seg_len());
    return s;
  }
  void expect_nothing() {
    auto got = collect(sut);
    EXPECT_TRUE(got.empty()) << got.size() << " unexpected segment(s), first flags "
                             << (got.empty() ? 0 : got.front().flags.bits);
  }
};

}  // namespace tcpconform::harness::testing
