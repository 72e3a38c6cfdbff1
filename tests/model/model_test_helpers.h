// Test helpers for the model, in the spirit of smoltcp's send!/recv!/recv_nothing!/sanity!.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tcpconform/model/endpoint.h"

namespace tcpconform::model::testing {

using wire::Flag;
using wire::Flags;
using wire::SeqLen;
using wire::SeqNum;
using namespace std::chrono_literals;

inline wire::IpAddress ip4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  wire::IpAddress ip;
  ip.version = wire::IpVersion::kV4;
  ip.bytes[0] = a;
  ip.bytes[1] = b;
  ip.bytes[2] = c;
  ip.bytes[3] = d;
  return ip;
}

inline const wire::IpAddress kLocal = ip4(192, 0, 2, 1);
inline const wire::IpAddress kRemote = ip4(192, 0, 2, 2);
inline constexpr std::uint16_t kLocalPort = 8080;
inline constexpr std::uint16_t kRemotePort = 40000;
// Both initial sequence numbers sit just below 2^32, so every exchange straddles the wrap.
inline constexpr std::uint32_t kOurIss = 0xfffffff0U;
inline constexpr std::uint32_t kPeerIss = 0xffffff00U;

inline constexpr Flags S = wire::kSyn;
inline constexpr Flags A = wire::kAck;
inline constexpr Flags SA = wire::kSynAck;
inline constexpr Flags F = wire::kFin;
inline constexpr Flags FA = wire::kFinAck;
inline constexpr Flags R = wire::kRst;
inline constexpr Flags RA = wire::kRstAck;
inline constexpr Flags P = wire::kPsh;
inline constexpr Flags PA = wire::kPsh | wire::kAck;

// One expected segment: flags, absolute seq and ack, payload length. `ack` is compared only when
// the ACK flag is expected.
struct Expect {
  Flags flags;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t len = 0;
};

inline std::string flags_text(Flags f) {
  std::string s;
  if (f.has(Flag::kSyn)) s += 'S';
  if (f.has(Flag::kFin)) s += 'F';
  if (f.has(Flag::kRst)) s += 'R';
  if (f.has(Flag::kPsh)) s += 'P';
  if (f.has(Flag::kAck)) s += '.';
  return s.empty() ? "none" : s;
}

inline std::string describe(const wire::Segment& s) {
  std::ostringstream o;
  o << flags_text(s.flags) << " seq=" << s.seq.value << " ack=" << s.ack.value
    << " len=" << s.payload.size() << " win=" << s.window;
  return o.str();
}

// A TCP peer talking to one model endpoint, plus the calls of the endpoint's application.
class Harness {
 public:
  explicit Harness(Profile profile = rfc9293_profile(), Choices choices = default_choices())
      : ep(profile, {kLocal}, choices) {}

  static Choices default_choices() {
    Choices c;
    c.iss = SeqNum{kOurIss};
    return c;
  }

  // --- the peer ---
  wire::Segment make(Flags flags, std::uint32_t seq, std::uint32_t ack = 0, std::uint32_t len = 0,
                     std::uint16_t window = 65535) const {
    wire::Segment s;
    s.src = kRemote;
    s.dst = kLocal;
    s.sport = kRemotePort;
    s.dport = kLocalPort;
    s.seq = SeqNum{seq};
    s.ack = SeqNum{ack};
    s.flags = flags;
    s.window = window;
    s.payload.assign(len, 0);
    return s;
  }
  const EventOutput& inject(const wire::Segment& s) {
    ep.on_segment(s, out);
    record();
    return out;
  }
  // send!: the peer sends flags seq ack len.
  const EventOutput& seg(Flags flags, std::uint32_t seq, std::uint32_t ack = 0,
                         std::uint32_t len = 0, std::uint16_t window = 65535) {
    return inject(make(flags, seq, ack, len, window));
  }
  // The peer's SYN with MSS 1460 and no other option.
  const EventOutput& syn(std::uint32_t seq = kPeerIss) {
    wire::Segment s = make(S, seq);
    s.options.emplace_back(wire::option::Mss{1460});
    return inject(s);
  }
  const EventOutput& synack(std::uint32_t seq = kPeerIss, std::uint32_t ack = kOurIss + 1) {
    wire::Segment s = make(SA, seq, ack);
    s.options.emplace_back(wire::option::Mss{1460});
    return inject(s);
  }
  // Relative sequence numbers: ours(1) is ISS+1, theirs(1) is the peer's ISS+1.
  static std::uint32_t ours(std::uint32_t n) { return kOurIss + n; }
  static std::uint32_t theirs(std::uint32_t n) { return kPeerIss + n; }

  // --- the application ---
  CallResult call(SocketCall c) {
    ep.on_call(c, out);
    record();
    return *out.result;
  }
  int socket() { return static_cast<int>(call({.kind = CallKind::kSocket}).value); }
  CallResult bind(int fd, std::uint16_t port = kLocalPort) {
    return call({.kind = CallKind::kBind, .fd = fd, .address = {kLocal, port}});
  }
  CallResult listen(int fd, int backlog = 16) {
    return call({.kind = CallKind::kListen, .fd = fd, .backlog = backlog});
  }
  CallResult connect(int fd) {
    return call({.kind = CallKind::kConnect, .fd = fd, .address = {kRemote, kRemotePort}});
  }
  CallResult accept(int fd) { return call({.kind = CallKind::kAccept, .fd = fd}); }
  CallResult send(int fd, std::uint32_t n) {
    return call({.kind = CallKind::kSend, .fd = fd, .length = n});
  }
  CallResult recv(int fd, std::uint32_t n = 65536) {
    return call({.kind = CallKind::kRecv, .fd = fd, .length = n});
  }
  CallResult shutdown(int fd, ShutdownHow how) {
    return call({.kind = CallKind::kShutdown, .fd = fd, .how = how});
  }
  CallResult close(int fd) { return call({.kind = CallKind::kClose, .fd = fd}); }
  CallResult setsockopt(int fd, SockOpt o, std::int64_t v, bool linger_on = false) {
    return call(
        {.kind = CallKind::kSetSockOpt, .fd = fd, .option = o, .value = v, .linger_on = linger_on});
  }
  CallResult getsockopt(int fd, SockOpt o) {
    return call({.kind = CallKind::kGetSockOpt, .fd = fd, .option = o});
  }
  const EventOutput& advance(Duration d) {
    ep.advance(d, out);
    record();
    return out;
  }

  // --- reaching states through events ---
  // A listener on kLocal:kLocalPort; returns its fd.
  int listening(int backlog = 16) {
    const int fd = socket();
    EXPECT_EQ(bind(fd).value, 0);
    EXPECT_EQ(listen(fd, backlog).value, 0);
    return fd;
  }
  // Passive open to ESTABLISHED and accept(); returns the accepted fd.
  int passive_established() {
    listener_fd = listening();
    syn();
    seg(A, theirs(1), ours(1));
    const CallResult r = accept(listener_fd);
    EXPECT_GE(r.value, 3);
    return static_cast<int>(r.value);
  }
  // Active open to ESTABLISHED from kLocal:kLocalPort; returns the fd.
  int active_established() {
    const int fd = socket();
    EXPECT_EQ(bind(fd).value, 0);
    EXPECT_EQ(connect(fd).error, EINPROGRESS);
    synack();
    return fd;
  }
  // ESTABLISHED, then the peer's FIN: CLOSE-WAIT.
  int close_wait() {
    const int fd = active_established();
    seg(FA, theirs(1), ours(1));
    return fd;
  }
  // ESTABLISHED, then our close(): FIN-WAIT-1 (FIN unacknowledged).
  int fin_wait_1(bool close_fd = false) {
    const int fd = active_established();
    if (close_fd) {
      close(fd);
    } else {
      shutdown(fd, ShutdownHow::kWrite);
    }
    return fd;
  }
  int fin_wait_2(bool close_fd = false) {
    const int fd = fin_wait_1(close_fd);
    seg(A, theirs(1), ours(2));
    return fd;
  }
  void time_wait() {
    fin_wait_2(true);
    seg(FA, theirs(1), ours(2));
  }
  int closing() {
    const int fd = fin_wait_1();
    seg(FA, theirs(1), ours(1));
    return fd;
  }
  int last_ack() {
    const int fd = close_wait();
    close(fd);
    return fd;
  }

  // --- looking ---
  static wire::FourTuple tuple() { return {{kLocal, kLocalPort}, {kRemote, kRemotePort}}; }
  const Tcb* tcb() const { return ep.find(tuple()); }
  State state() const {
    const Tcb* t = tcb();
    return t == nullptr ? State::kClosed : t->state;
  }
  bool fired(Rule r) const { return out.rules.contains(r); }
  bool ever_fired(Rule r) const { return all_rules.contains(r); }
  std::optional<ConnectionObservation> observed(State s) const {
    for (const auto& o : ep.observe()) {
      if (o.state == s) return o;
    }
    return std::nullopt;
  }

  // recv!: exactly these segments were emitted by the last event.
  ::testing::AssertionResult sent(std::initializer_list<Expect> expected) const {
    return sent(std::vector<Expect>(expected));
  }
  ::testing::AssertionResult sent(const std::vector<Expect>& expected) const {
    std::ostringstream why;
    bool ok = expected.size() == out.segments.size();
    std::size_t i = 0;
    for (const Expect& e : expected) {
      if (i >= out.segments.size()) break;
      const wire::Segment& s = out.segments[i++];
      if (s.flags != e.flags || s.seq.value != e.seq || s.payload.size() != e.len ||
          (e.flags.has(Flag::kAck) && s.ack.value != e.ack)) {
        ok = false;
      }
    }
    if (ok) return ::testing::AssertionSuccess();
    why << "expected:";
    for (const Expect& e : expected) {
      why << "\n  " << flags_text(e.flags) << " seq=" << e.seq << " ack=" << e.ack
          << " len=" << e.len;
    }
    why << "\nactual:";
    for (const auto& s : out.segments) why << "\n  " << describe(s);
    return ::testing::AssertionFailure() << why.str();
  }
  // recv_nothing!
  ::testing::AssertionResult sent_nothing() const { return sent({}); }

  Endpoint ep;
  EventOutput out;
  RuleSet all_rules;
  int listener_fd = -1;

 private:
  void record() { all_rules |= out.rules; }
};

// sanity!: two TCBs agree on every RFC variable.
inline void expect_same_tcb(const Tcb& a, const Tcb& b) {
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.snd_una, b.snd_una);
  EXPECT_EQ(a.snd_nxt, b.snd_nxt);
  EXPECT_EQ(a.snd_wnd, b.snd_wnd);
  EXPECT_EQ(a.snd_wl1, b.snd_wl1);
  EXPECT_EQ(a.snd_wl2, b.snd_wl2);
  EXPECT_EQ(a.iss, b.iss);
  EXPECT_EQ(a.rcv_nxt, b.rcv_nxt);
  EXPECT_EQ(a.rcv_wnd, b.rcv_wnd);
  EXPECT_EQ(a.irs, b.irs);
  EXPECT_EQ(a.write_seq, b.write_seq);
  EXPECT_EQ(a.copied_seq, b.copied_seq);
}

}  // namespace tcpconform::model::testing
