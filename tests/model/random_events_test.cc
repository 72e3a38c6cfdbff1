// Random event storms: the model must never break an invariant (it aborts if it does) nor hang.
#include <cstdio>
#include <cstdlib>
#include <random>

#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

// TCPCONFORM_STORM_SEEDS=n runs n seeds per profile instead of 20 (for long local soaks).
std::uint32_t storm_seeds() {
  const char* env = std::getenv("TCPCONFORM_STORM_SEEDS");
  return env != nullptr ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10)) : 20U;
}

class Storm {
 public:
  Storm(Profile p, std::uint32_t seed) : h_(p), rng_(seed) {}

  // Returns how many distinct catalog rules the storm reached.
  std::size_t run(int events) {
    for (int i = 0; i < events; ++i) step();
    return h_.all_rules.size();
  }

 private:
  std::uint32_t pick(std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng_);
  }

  // A sequence number near what the model expects, or anywhere.
  std::uint32_t near(SeqNum base) {
    switch (pick(4)) {
      case 0: return base.value;
      case 1: return base.value + pick(3000);
      case 2: return base.value - pick(3000);
      default: return static_cast<std::uint32_t>(rng_());
    }
  }

  void step() {
    const int fd = static_cast<int>(3 + pick(4));
    switch (pick(16)) {
      case 0: h_.socket(); break;
      case 1:
        h_.bind(fd, pick(2) == 0 ? kLocalPort : static_cast<std::uint16_t>(pick(65536)));
        break;
      case 2: h_.listen(fd, static_cast<int>(pick(4))); break;
      case 3: h_.connect(fd); break;
      case 4: h_.accept(fd); break;
      case 5: h_.send(fd, pick(5000)); break;
      case 6: h_.recv(fd, pick(5000)); break;
      case 7: h_.shutdown(fd, static_cast<ShutdownHow>(pick(3))); break;
      case 8: h_.close(fd); break;
      case 9:
        h_.setsockopt(fd, static_cast<SockOpt>(pick(9)), static_cast<std::int64_t>(pick(5)) - 1,
                      pick(2) == 0);
        break;
      case 10:
        h_.advance(Duration{static_cast<std::int64_t>(pick(3)) * std::int64_t{pick(2000000)}});
        break;
      case 11:
        if (pick(8) == 0) h_.call({.kind = CallKind::kExitProcess});
        break;
      default: segment(); break;
    }
  }

  void segment() {
    const Tcb* t = h_.tcb();
    const SeqNum rcv = t != nullptr ? t->rcv_nxt : SeqNum{kPeerIss};
    const SeqNum snd = t != nullptr ? t->snd_nxt : SeqNum{kOurIss};
    static constexpr Flags kChoices[] = {S, SA, A, PA, FA, R, RA, F, P, S | F, wire::kUrg | A};
    const Flags f = kChoices[pick(sizeof(kChoices) / sizeof(kChoices[0]))];
    const std::uint32_t len = pick(3) == 0 ? pick(3000) : 0;
    wire::Segment s = h_.make(f, near(rcv), near(snd), len,
                              static_cast<std::uint16_t>(pick(3) == 0 ? 0 : pick(65536)));
    if (pick(4) == 0) s.sport = static_cast<std::uint16_t>(kRemotePort + pick(3));
    if (pick(3) == 0) {
      s.options.emplace_back(wire::option::Timestamp{static_cast<std::uint32_t>(pick(5000)),
                                                     static_cast<std::uint32_t>(pick(5000))});
    }
    if (f.has(Flag::kSyn) && pick(2) == 0) s.options.emplace_back(wire::option::WindowScale{14});
    h_.inject(s);
  }

  Harness h_;
  std::mt19937 rng_;
};

TEST(RandomEvents, RfcProfileKeepsItsInvariants) {
  std::size_t best = 0;
  for (std::uint32_t seed = 1; seed <= storm_seeds(); ++seed) {
    best = std::max(best, Storm(rfc9293_profile(), seed).run(5000));
  }
  EXPECT_GE(best, 60U);  // the storms reach deep into the state machine
}

TEST(RandomEvents, LinuxProfileKeepsItsInvariants) {
  std::size_t best = 0;
  for (std::uint32_t seed = 1; seed <= storm_seeds(); ++seed) {
    best = std::max(best, Storm(linux_profile(), seed).run(5000));
  }
  EXPECT_GE(best, 60U);
}

// Two endpoints over a network that drops, duplicates and reorders, with random calls on both
// sides; byte counts must stay consistent: nobody reads more than the other side wrote.
class NetworkStorm {
 public:
  NetworkStorm(Profile p, std::uint32_t seed)
      : a_(p, {kLocal}, Harness::default_choices()), b_(p, {kRemote}), rng_(seed) {}

  void run(int events) {
    for (int i = 0; i < events; ++i) step();
    EXPECT_LE(read_b_, written_a_);
    EXPECT_LE(read_a_, written_b_);
    if (std::getenv("TCPCONFORM_STORM_VERBOSE") != nullptr) {
      std::fprintf(stderr, "wrote %lld/%lld read %lld/%lld connections %zu/%zu\n",
                   static_cast<long long>(written_a_), static_cast<long long>(written_b_),
                   static_cast<long long>(read_a_), static_cast<long long>(read_b_),
                   a_.connection_count(), b_.connection_count());
    }
  }

 private:
  std::uint32_t pick(std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng_);
  }
  void deliver_later(const Endpoint& from) {
    for (const auto& s : out_.segments) {
      if (pick(10) == 0) continue;  // lost
      auto& q = &from == &a_ ? to_b_ : to_a_;
      q.push_back(s);
      if (pick(20) == 0) q.push_back(s);  // duplicated
    }
  }
  CallResult call(Endpoint& e, SocketCall c) {
    e.on_call(c, out_);
    deliver_later(e);
    return *out_.result;
  }
  void step() {
    Endpoint& e = pick(2) == 0 ? a_ : b_;
    const bool is_a = &e == &a_;
    const int fd = static_cast<int>(3 + pick(3));
    switch (pick(14)) {
      case 0: call(e, {.kind = CallKind::kSocket}); break;
      case 1:
        call(e, {.kind = CallKind::kBind,
                 .fd = fd,
                 .address = {is_a ? kLocal : kRemote, is_a ? kRemotePort : kLocalPort}});
        break;
      case 2: call(e, {.kind = CallKind::kListen, .fd = fd, .backlog = 2}); break;
      case 3:
        call(e, {.kind = CallKind::kConnect,
                 .fd = fd,
                 .address = {is_a ? kRemote : kLocal, is_a ? kLocalPort : kRemotePort}});
        break;
      case 4: call(e, {.kind = CallKind::kAccept, .fd = fd}); break;
      case 5: {
        const CallResult r = call(e, {.kind = CallKind::kSend, .fd = fd, .length = pick(4000)});
        if (r.value > 0) (is_a ? written_a_ : written_b_) += r.value;
        break;
      }
      case 6: {
        const CallResult r = call(e, {.kind = CallKind::kRecv, .fd = fd, .length = pick(4000)});
        if (r.value > 0) (is_a ? read_a_ : read_b_) += r.value;
        break;
      }
      case 7:
        if (pick(4) == 0) call(e, {.kind = CallKind::kClose, .fd = fd});
        break;
      case 8:
        if (pick(4) == 0) {
          call(e,
               {.kind = CallKind::kShutdown, .fd = fd, .how = static_cast<ShutdownHow>(pick(3))});
        }
        break;
      case 9:
        e.advance(Duration{static_cast<std::int64_t>(pick(500000))}, out_);
        deliver_later(e);
        break;
      default: {
        auto& q = is_a ? to_a_ : to_b_;
        if (q.empty()) break;
        const std::size_t i = pick(4) == 0 ? pick(static_cast<std::uint32_t>(q.size())) : 0;
        const wire::Segment s = q[i];
        q.erase(q.begin() + static_cast<std::ptrdiff_t>(i));
        e.on_segment(s, out_);
        deliver_later(e);
        break;
      }
    }
  }

  Endpoint a_;
  Endpoint b_;
  EventOutput out_;
  std::vector<wire::Segment> to_a_;
  std::vector<wire::Segment> to_b_;
  std::mt19937 rng_;
  std::int64_t written_a_ = 0;
  std::int64_t written_b_ = 0;
  std::int64_t read_a_ = 0;
  std::int64_t read_b_ = 0;
};

TEST(RandomEvents, LossyNetworkBetweenTwoEndpointsKeepsInvariants) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    for (std::uint32_t seed = 1; seed <= storm_seeds(); ++seed) NetworkStorm(p, seed).run(4000);
  }
}
}  // namespace
}  // namespace tcpconform::model::testing
