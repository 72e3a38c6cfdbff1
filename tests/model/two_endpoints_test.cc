// Two model endpoints wired back to back: simultaneous open (R27) and close (R28), full exchanges.
#include <deque>

#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

struct Pair {
  explicit Pair(Profile p) : a(p, {kLocal}, with_iss(1000)), b(p, {kRemote}, with_iss(500000)) {}
  static Choices with_iss(std::uint32_t iss) {
    Choices c;
    c.iss = SeqNum{iss};
    return c;
  }
  CallResult call(Endpoint& e, SocketCall c) {
    e.on_call(c, out);
    queue(e);
    return *out.result;
  }
  void queue(const Endpoint& from) {
    for (const auto& s : out.segments) (&from == &a ? to_b : to_a).push_back(s);
  }
  // Delivers queued segments until both directions are quiet.
  void run() {
    while (!to_a.empty() || !to_b.empty()) {
      if (!to_a.empty()) {
        const wire::Segment s = to_a.front();
        to_a.pop_front();
        a.on_segment(s, out);
        queue(a);
      }
      if (!to_b.empty()) {
        const wire::Segment s = to_b.front();
        to_b.pop_front();
        b.on_segment(s, out);
        queue(b);
      }
    }
  }
  static State state(const Endpoint& e, wire::FourTuple t) {
    const Tcb* tcb = e.find(t);
    return tcb == nullptr ? State::kClosed : tcb->state;
  }
  wire::FourTuple ta{{kLocal, 40000}, {kRemote, 8080}};
  Endpoint a;
  Endpoint b;
  EventOutput out;
  std::deque<wire::Segment> to_a;
  std::deque<wire::Segment> to_b;
};

TEST(TwoEndpoints, R27_SimultaneousOpenEndToEnd) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Pair w{p};
    const int fa = static_cast<int>(w.call(w.a, {.kind = CallKind::kSocket}).value);
    const int fb = static_cast<int>(w.call(w.b, {.kind = CallKind::kSocket}).value);
    w.call(w.a, {.kind = CallKind::kBind, .fd = fa, .address = {kLocal, 40000}});
    w.call(w.b, {.kind = CallKind::kBind, .fd = fb, .address = {kRemote, 8080}});
    w.call(w.a, {.kind = CallKind::kConnect, .fd = fa, .address = {kRemote, 8080}});
    w.call(w.b, {.kind = CallKind::kConnect, .fd = fb, .address = {kLocal, 40000}});
    w.run();
    EXPECT_EQ(Pair::state(w.a, w.ta), State::kEstablished) << p.name;
    EXPECT_EQ(Pair::state(w.b, w.ta.reversed()), State::kEstablished) << p.name;
  }
}

TEST(TwoEndpoints, R28_SimultaneousCloseEndToEnd) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Pair w{p};
    const int lfd = static_cast<int>(w.call(w.b, {.kind = CallKind::kSocket}).value);
    w.call(w.b, {.kind = CallKind::kBind, .fd = lfd, .address = {kRemote, 8080}});
    w.call(w.b, {.kind = CallKind::kListen, .fd = lfd, .backlog = 5});
    const int fa = static_cast<int>(w.call(w.a, {.kind = CallKind::kSocket}).value);
    w.call(w.a, {.kind = CallKind::kBind, .fd = fa, .address = {kLocal, 40000}});
    w.call(w.a, {.kind = CallKind::kConnect, .fd = fa, .address = {kRemote, 8080}});
    w.run();
    const int fb = static_cast<int>(w.call(w.b, {.kind = CallKind::kAccept, .fd = lfd}).value);
    ASSERT_GE(fb, 3) << p.name;
    w.call(w.a, {.kind = CallKind::kShutdown, .fd = fa, .how = ShutdownHow::kWrite});
    w.call(w.b, {.kind = CallKind::kShutdown, .fd = fb, .how = ShutdownHow::kWrite});
    EXPECT_EQ(Pair::state(w.a, w.ta), State::kFinWait1);
    w.run();
    EXPECT_EQ(Pair::state(w.a, w.ta), State::kTimeWait) << p.name;
    EXPECT_EQ(Pair::state(w.b, w.ta.reversed()), State::kTimeWait) << p.name;
  }
}

TEST(TwoEndpoints, DataFlowsBothWaysAndCloses) {
  for (const Profile& p : {rfc9293_profile(), linux_profile()}) {
    Pair w{p};
    const int lfd = static_cast<int>(w.call(w.b, {.kind = CallKind::kSocket}).value);
    w.call(w.b, {.kind = CallKind::kBind, .fd = lfd, .address = {kRemote, 8080}});
    w.call(w.b, {.kind = CallKind::kListen, .fd = lfd, .backlog = 5});
    const int fa = static_cast<int>(w.call(w.a, {.kind = CallKind::kSocket}).value);
    w.call(w.a, {.kind = CallKind::kBind, .fd = fa, .address = {kLocal, 40000}});
    w.call(w.a, {.kind = CallKind::kConnect, .fd = fa, .address = {kRemote, 8080}});
    w.run();
    const int fb = static_cast<int>(w.call(w.b, {.kind = CallKind::kAccept, .fd = lfd}).value);
    EXPECT_EQ(w.call(w.a, {.kind = CallKind::kSend, .fd = fa, .length = 100000}).value, 100000);
    w.run();
    std::int64_t got = 0;
    for (int i = 0; i < 100; ++i) {
      const CallResult r = w.call(w.b, {.kind = CallKind::kRecv, .fd = fb, .length = 65536});
      w.run();
      if (r.value <= 0) break;
      got += r.value;
    }
    EXPECT_EQ(got, 100000) << p.name;
    w.call(w.b, {.kind = CallKind::kSend, .fd = fb, .length = 10});
    w.run();
    EXPECT_EQ(w.call(w.a, {.kind = CallKind::kRecv, .fd = fa, .length = 100}).value, 10);
    w.call(w.a, {.kind = CallKind::kClose, .fd = fa});
    w.run();
    EXPECT_EQ(w.call(w.b, {.kind = CallKind::kRecv, .fd = fb, .length = 100}).value, 0);
    w.call(w.b, {.kind = CallKind::kClose, .fd = fb});
    w.run();
    EXPECT_EQ(Pair::state(w.a, w.ta), State::kTimeWait) << p.name;
    EXPECT_EQ(Pair::state(w.b, w.ta.reversed()), State::kClosed) << p.name;
  }
}

}  // namespace
}  // namespace tcpconform::model::testing
