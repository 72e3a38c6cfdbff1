// End to end, in both profiles: two model endpoints (192.0.2.1 and 192.0.2.2) wired back to back
// through a seeded network that loses, duplicates and reorders segments deliver each byte stream
// exactly once and in order, and after both close reach CLOSED or TIME-WAIT.
//
// The model carries no payload bytes (its segments hold zeros), so order is checked through
// sequence space: stream byte k travels at ISS+1+k, the network records which stream offsets it
// has delivered to the receiver, RCV.NXT may never pass an offset that was not delivered, the FIN
// may only follow the last byte, and recv() must return exactly the bytes between the
// application's read point and RCV.NXT, adding up to what the other side sent.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "isolate.h"
#include "rc_check.h"
#include "tcpconform/model/endpoint.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::model {
namespace {

using wire::SeqLen;
using wire::SeqNum;
using namespace std::chrono_literals;

// How the network misbehaves and what the applications do (all drawn by RapidCheck).
struct Plan {
  std::uint64_t seed = 0;
  int loss_percent = 0;                      // 0–25
  int dup_percent = 0;                       // 0–10
  int faults = 0;                            // 0–3: losses plus reorderings allowed per direction
  int reorder_percent = 0;                   // 0–30: such segments take up to 150 ms longer
  std::array<std::uint32_t, 2> bytes{0, 0};  // bytes the application on side i sends
  std::uint32_t chunk = 1000;                // send() and recv() sizes
  bool simultaneous_open = false;            // both connect() instead of listen + connect
  int first_closer = 0;                      // 0: A, 1: B, 2: both at once
  // Close only once this side's data is acknowledged and the peer's fully read (no data in
  // flight while closing); otherwise shutdown(SHUT_WR) follows the last send() at once.
  bool close_after_delivery = false;
};

void showValue(const Plan& p, std::ostream& os) {
  os << "seed=" << p.seed << " loss=" << p.loss_percent << "% dup=" << p.dup_percent
     << "% reorder=" << p.reorder_percent << "% faults<=" << p.faults
     << " bytes A->B=" << p.bytes[0] << " B->A=" << p.bytes[1] << " chunk=" << p.chunk
     << (p.simultaneous_open ? " simultaneous-open" : " listen+connect")
     << " first_closer=" << p.first_closer
     << (p.close_after_delivery ? " close-after-delivery" : "");
}

rc::Gen<Plan> plan() {
  return rc::gen::build<Plan>(
      rc::gen::set(&Plan::seed, rc::gen::arbitrary<std::uint64_t>()),
      rc::gen::set(&Plan::loss_percent, rc::gen::inRange(0, 26)),
      rc::gen::set(&Plan::dup_percent, rc::gen::inRange(0, 11)),
      rc::gen::set(&Plan::faults, rc::gen::inRange(0, 4)),
      rc::gen::set(&Plan::reorder_percent, rc::gen::inRange(0, 31)),
      rc::gen::set(&Plan::bytes,
                   rc::gen::map(rc::gen::pair(rc::gen::inRange<std::uint32_t>(0, 20001),
                                              rc::gen::inRange<std::uint32_t>(0, 20001)),
                                [](std::pair<std::uint32_t, std::uint32_t> b) {
                                  return std::array<std::uint32_t, 2>{b.first, b.second};
                                })),
      rc::gen::set(&Plan::chunk, rc::gen::element<std::uint32_t>(1, 536, 1000, 1460, 8192, 65536)),
      rc::gen::set(
          &Plan::simultaneous_open,
          rc::gen::weightedOneOf<bool>({{4, rc::gen::just(false)}, {1, rc::gen::just(true)}})),
      rc::gen::set(&Plan::first_closer, rc::gen::inRange(0, 3)));
}

// splitmix64: the network's only source of randomness, seeded by the plan.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
  }
  bool percent(int p) { return static_cast<int>(next() % 100U) < p; }
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }

 private:
  std::uint64_t state_;
};

constexpr Duration kDelay = 10ms;
constexpr std::uint16_t kPortA = 40000;
constexpr std::uint16_t kPortB = 8080;
constexpr TimePoint kTimeLimit = std::chrono::minutes{30};
constexpr int kStepLimit = 200000;

wire::IpAddress v4(std::uint8_t d) {
  wire::IpAddress ip;
  ip.bytes = {192, 0, 2, d};
  return ip;
}

struct Packet {
  TimePoint at;
  std::uint64_t order;
  int to;
  wire::Segment segment;
};

// One side: its endpoint, its application's progress, and what the network delivered to it.
struct Side {
  explicit Side(Endpoint e) : ep(std::move(e)) {}
  Endpoint ep;
  wire::FourTuple tuple;
  int fd = -1;
  int listen_fd = -1;
  std::uint32_t sent = 0;      // bytes send() accepted
  std::uint32_t received = 0;  // bytes recv() returned
  bool eof = false;
  bool shut = false;
  bool closed = false;
  std::optional<SeqNum> peer_iss;  // the SYN's sequence number as it left the peer
  std::vector<bool> delivered;     // stream offsets the network handed to this side
  std::uint32_t prefix = 0;        // delivered[0, prefix) are all true
};

class World {
 public:
  World(const Profile& profile, const Plan& plan)
      : plan_(plan),
        rng_(plan.seed),
        sides_{Side{Endpoint(profile, {v4(1)}, with_iss(0xfffff000U))},
               Side{Endpoint(profile, {v4(2)}, with_iss(0x7ffff000U))}} {
    sides_[0].tuple = {{v4(1), kPortA}, {v4(2), kPortB}};
    sides_[1].tuple = sides_[0].tuple.reversed();
    sides_[0].delivered.assign(plan.bytes[1], false);
    sides_[1].delivered.assign(plan.bytes[0], false);
  }

  static Choices with_iss(std::uint32_t iss) {
    Choices c;
    c.iss = SeqNum{iss};
    return c;
  }

  // Runs the connection to its end; RC_FAIL on any violation.
  void run() {
    open();
    int steps = 0;
    while (!finished()) {
      RC_ASSERT(++steps < kStepLimit);
      const TimePoint next = next_time();
      if (next == kNever || next > kTimeLimit) {
        RC_FAIL("stuck: nothing more happens before the time limit; " + status());
      }
      now_ = next;
      for (int i = 0; i < 2; ++i) {
        Side& s = sides_[static_cast<std::size_t>(i)];
        s.ep.advance(next - s.ep.now(), out_);
        if (verbose_ && !out_.rules.empty()) {
          std::string rules;
          out_.rules.for_each([&](Rule r) { rules += " " + std::string{to_string(r)}; });
          const Tcb* t = s.ep.find(s.tuple);
          std::fprintf(stderr, "%s\n",
                       fmt::format("t={}us timers {}:{} -> {}", next.count(), i == 0 ? 'A' : 'B',
                                   rules, t == nullptr ? std::string{"(no TCB)"} : t->to_string())
                           .c_str());
        }
        forward(i);
      }
      deliver_due();
      for (int i = 0; i < 2; ++i) pump(i);
    }
    for (int i = 0; i < 2; ++i) {
      const Side& s = sides_[static_cast<std::size_t>(i)];
      RC_ASSERT(s.received == to_receive(i));
      const Tcb* t = s.ep.find(s.tuple);
      // (RC_ASSERT decomposes its expression and would lose ||'s short circuit.)
      const bool closed_or_time_wait = t == nullptr || t->state == State::kTimeWait;
      if (!closed_or_time_wait) RC_FAIL("did not end CLOSED or TIME-WAIT: " + status());
    }
  }

 private:
  std::uint32_t to_send(int i) const { return plan_.bytes[static_cast<std::size_t>(i)]; }
  std::uint32_t to_receive(int i) const { return plan_.bytes[static_cast<std::size_t>(1 - i)]; }

  CallResult call(int i, SocketCall c) {
    Side& s = sides_[static_cast<std::size_t>(i)];
    s.ep.on_call(c, out_);
    if (verbose_ && c.kind != CallKind::kAccept) {
      std::fprintf(stderr, "t=%lldus %c call %d len=%u -> %lld errno %d\n",
                   static_cast<long long>(now_.count()), i == 0 ? 'A' : 'B',
                   static_cast<int>(c.kind), c.length, static_cast<long long>(out_.result->value),
                   out_.result->error);
    }
    forward(i);
    return *out_.result;
  }

  void open() {
    for (int i = 0; i < 2; ++i) {
      Side& s = sides_[static_cast<std::size_t>(i)];
      s.fd = static_cast<int>(call(i, {.kind = CallKind::kSocket}).value);
      RC_ASSERT(call(i, {.kind = CallKind::kBind, .fd = s.fd, .address = s.tuple.local}).value ==
                0);
    }
    if (plan_.simultaneous_open) {
      for (int i = 0; i < 2; ++i) {
        Side& s = sides_[static_cast<std::size_t>(i)];
        RC_ASSERT(
            call(i, {.kind = CallKind::kConnect, .fd = s.fd, .address = s.tuple.remote}).error ==
            EINPROGRESS);
      }
    } else {
      Side& b = sides_[1];
      b.listen_fd = b.fd;
      b.fd = -1;
      RC_ASSERT(call(1, {.kind = CallKind::kListen, .fd = b.listen_fd, .backlog = 4}).value == 0);
      RC_ASSERT(
          call(0,
               {.kind = CallKind::kConnect, .fd = sides_[0].fd, .address = sides_[0].tuple.remote})
              .error == EINPROGRESS);
    }
  }

  // Hands side i's emitted segments to the network: lost, duplicated or delayed.
  void forward(int from) {
    for (const wire::Segment& seg : out_.segments) {
      const int to = 1 - from;
      if (seg.flags.has(wire::Flag::kSyn)) {
        sides_[static_cast<std::size_t>(to)].peer_iss = seg.seq;
      }
      // Each direction suffers at most plan_.faults losses and reorderings: enough to exercise
      // retransmission, few enough that the backed-off RTO never reaches the give-up time (R138).
      int& faults = faults_[static_cast<std::size_t>(from)];
      if (faults < plan_.faults && rng_.percent(plan_.loss_percent)) {
        ++faults;
        trace_segment("lose", to, seg);
        continue;
      }
      const int copies = rng_.percent(plan_.dup_percent) ? 2 : 1;
      for (int c = 0; c < copies; ++c) {
        // The link is FIFO with a fixed delay; a reordered segment takes up to 150 ms more.
        Duration delay = kDelay;
        if (faults < plan_.faults && rng_.percent(plan_.reorder_percent)) {
          ++faults;
          delay += Duration{rng_.below(150000)};
        }
        in_flight_.push_back(Packet{now_ + delay, order_++, to, seg});
      }
    }
  }

  TimePoint next_time() const {
    TimePoint t = std::min(sides_[0].ep.next_deadline(), sides_[1].ep.next_deadline());
    for (const Packet& p : in_flight_) t = std::min(t, p.at);
    return std::max(t, now_);
  }

  void deliver_due() {
    for (;;) {
      auto due = in_flight_.end();
      for (auto it = in_flight_.begin(); it != in_flight_.end(); ++it) {
        if (it->at <= now_ && (due == in_flight_.end() || it->order < due->order)) due = it;
      }
      if (due == in_flight_.end()) return;
      const Packet p = std::move(*due);
      in_flight_.erase(due);
      deliver(p);
    }
  }

  // MODEL_E2E_VERBOSE=1 prints every segment the network carries (for counterexamples).
  void trace_segment(const char* what, int to, const wire::Segment& seg) const {
    if (!verbose_) return;
    std::string flags;
    for (const auto& [f, c] : {std::pair{wire::Flag::kSyn, 'S'}, std::pair{wire::Flag::kFin, 'F'},
                               std::pair{wire::Flag::kRst, 'R'}, std::pair{wire::Flag::kPsh, 'P'},
                               std::pair{wire::Flag::kAck, '.'}}) {
      if (seg.flags.has(f)) flags += c;
    }
    std::fprintf(stderr, "%s\n",
                 fmt::format("t={}us {} {}->{} {} seq={} ack={} len={} win={}", now_.count(), what,
                             to == 0 ? 'B' : 'A', to == 0 ? 'A' : 'B', flags, seg.seq.value,
                             seg.ack.value, seg.payload.size(), seg.window)
                     .c_str());
  }

  void deliver(const Packet& p) {
    trace_segment("deliver", p.to, p.segment);
    Side& r = sides_[static_cast<std::size_t>(p.to)];
    // Record the stream offsets this segment carries (its data follows the SYN, if any).
    if (!p.segment.payload.empty() && r.peer_iss) {
      SeqNum first = p.segment.seq;
      if (p.segment.flags.has(wire::Flag::kSyn)) first = first + SeqLen{1};
      const std::uint32_t start = (first - (*r.peer_iss + SeqLen{1})).value;
      for (std::uint32_t k = 0; k < p.segment.payload.size(); ++k) {
        const std::uint64_t off = std::uint64_t{start} + k;
        if (off < r.delivered.size()) r.delivered[static_cast<std::size_t>(off)] = true;
      }
    }
    r.ep.on_segment(p.segment, out_);
    forward(p.to);
    check_receive_order(p.to);
  }

  // The number of stream bytes the network delivered to side s without a gap from the start.
  static std::uint32_t delivered_prefix(Side& s) {
    while (s.prefix < s.delivered.size() && s.delivered[s.prefix]) ++s.prefix;
    return s.prefix;
  }

  // RCV.NXT never passes a stream offset the network did not deliver; the FIN follows the data.
  void check_receive_order(int i) {
    Side& s = sides_[static_cast<std::size_t>(i)];
    const Tcb* t = s.ep.find(s.tuple);
    if (t == nullptr || t->state == State::kSynSent || !s.peer_iss) return;
    RC_ASSERT(t->irs == *s.peer_iss);
    const std::uint32_t total = to_receive(i);
    const std::uint32_t offset = (t->rcv_nxt - (t->irs + SeqLen{1})).value;
    const std::uint32_t prefix = delivered_prefix(s);
    if (t->fin_received) {
      RC_ASSERT(prefix == total);
      RC_ASSERT(offset == total + 1);
    } else {
      RC_ASSERT(offset <= prefix);
    }
  }

  // The application of side i: send what remains, read, shut down, close.
  void pump(int i) {
    Side& s = sides_[static_cast<std::size_t>(i)];
    if (s.fd < 0 && s.listen_fd >= 0) {
      const CallResult r = call(i, {.kind = CallKind::kAccept, .fd = s.listen_fd});
      if (r.value < 0) return;
      s.fd = static_cast<int>(r.value);
    }
    if (s.closed) return;
    const Tcb* t = s.ep.find_fd(s.fd);
    if (t != nullptr && (t->state == State::kSynSent || t->state == State::kSynReceived)) return;
    const std::uint32_t total = to_send(i);
    while (s.sent < total && !s.shut) {
      const std::uint32_t n = std::min(plan_.chunk, total - s.sent);
      const CallResult r = call(i, {.kind = CallKind::kSend, .fd = s.fd, .length = n});
      if (r.value <= 0) {
        RC_ASSERT(r.error == EAGAIN);
        break;
      }
      s.sent += static_cast<std::uint32_t>(r.value);
    }
    while (!s.eof) {
      const Tcb* before = s.ep.find_fd(s.fd);
      const std::optional<SeqNum> read_point =
          before == nullptr ? std::nullopt : std::optional<SeqNum>{before->copied_seq};
      const CallResult r = call(i, {.kind = CallKind::kRecv, .fd = s.fd, .length = plan_.chunk});
      if (r.value == 0) {
        s.eof = true;
      } else if (r.value > 0) {
        const auto n = static_cast<std::uint32_t>(r.value);
        // recv() returns only bytes the network delivered, contiguously from the stream start.
        RC_ASSERT(std::uint64_t{s.received} + n <= delivered_prefix(s));
        // While the socket still owns its TCB, they are exactly the bytes after the read point.
        const Tcb* after = s.ep.find_fd(s.fd);
        if (read_point.has_value() && after != nullptr) {
          // The read may also consume a FIN right behind the data (Linux tcp_recvmsg found_fin_ok).
          const std::uint32_t consumed = (after->copied_seq - *read_point).value;
          const bool fin_too = after->fin_received && after->copied_seq == after->rcv_nxt;
          const bool exact = consumed == n || (fin_too && consumed == n + 1);
          if (!exact) {
            RC_FAIL(fmt::format("recv returned {} bytes but moved the read point by {}; {}", n,
                                consumed, status()));
          }
          RC_ASSERT((*read_point - (after->irs + SeqLen{1})).value == s.received);
        }
        s.received += n;
        RC_ASSERT(s.received <= to_receive(i));
      } else {
        if (r.error != EAGAIN)
          RC_FAIL("recv failed: errno " + errno_name(r.error) + "; " + status());
        break;
      }
    }
    const Tcb* mine = s.ep.find_fd(s.fd);
    const bool delivered =
        s.received == to_receive(i) && (mine == nullptr || mine->snd_una == mine->write_seq);
    const bool my_turn = (!plan_.close_after_delivery || delivered) &&
                         (plan_.first_closer == 2 || plan_.first_closer == i ||
                          sides_[static_cast<std::size_t>(1 - i)].shut);
    if (!s.shut && s.sent == total && my_turn) {
      RC_ASSERT(
          call(i, {.kind = CallKind::kShutdown, .fd = s.fd, .how = ShutdownHow::kWrite}).value ==
          0);
      s.shut = true;
    }
    if (s.shut && s.eof && !s.closed) {
      RC_ASSERT(call(i, {.kind = CallKind::kClose, .fd = s.fd}).value == 0);
      s.closed = true;
    }
  }

  bool finished() const {
    if (!in_flight_.empty()) return false;
    for (const Side& s : sides_) {
      if (!s.closed) return false;
      const Tcb* t = s.ep.find(s.tuple);
      if (t != nullptr && t->state != State::kTimeWait) return false;
    }
    return true;
  }

  std::string status() const {
    std::string text = "t=" + std::to_string(now_.count()) + "us";
    for (const Side& s : sides_) {
      const Tcb* t = s.ep.find(s.tuple);
      text += "\n  " + (t == nullptr ? std::string{"(no TCB)"} : t->to_string()) +
              " sent=" + std::to_string(s.sent) + " received=" + std::to_string(s.received) +
              " eof=" + std::to_string(s.eof) + " closed=" + std::to_string(s.closed);
    }
    return text;
  }

  Plan plan_;
  Rng rng_;
  std::array<Side, 2> sides_;
  EventOutput out_;
  std::vector<Packet> in_flight_;
  std::array<int, 2> faults_{0, 0};
  std::uint64_t order_ = 0;
  TimePoint now_{0};
  bool verbose_ = std::getenv("MODEL_E2E_VERBOSE") != nullptr;
};

// Runs in a child (isolate.h); a model abort counts as "model aborted", see FINDINGS.md.
void streams_arrive_once_in_order(const Profile& profile, bool close_after_delivery) {
  Plan p = *plan();
  p.close_after_delivery = close_after_delivery;
  const props::Outcome o = props::isolated([&] {
    try {
      World w(profile, p);
      w.run();
    } catch (const rc::detail::CaseResult& r) {
      return r.description;
    }
    return std::string{};
  });
  if (o.kind == props::Outcome::kCheckFailed) RC_FAIL(o.text);
  RC_CLASSIFY(props::model_aborted(o), "model aborted (FINDINGS.md)");
}

// Data still in flight while the connections close: each side shuts down right after its last
// send().
TCPCONFORM_RC_PROP(ModelRfc9293, LossyNetworkDeliversEachStreamOnceInOrderAndCloses, 100, ()) {
  streams_arrive_once_in_order(rfc9293_profile(), false);
}
TCPCONFORM_RC_PROP(ModelLinux, LossyNetworkDeliversEachStreamOnceInOrderAndCloses, 100, ()) {
  streams_arrive_once_in_order(linux_profile(), false);
}

// The same with each side closing only once its data is acknowledged and the peer's read.
TCPCONFORM_RC_PROP(ModelRfc9293, LossyNetworkDeliversEachStreamOnceInOrderThenBothClose, 100, ()) {
  streams_arrive_once_in_order(rfc9293_profile(), true);
}
TCPCONFORM_RC_PROP(ModelLinux, LossyNetworkDeliversEachStreamOnceInOrderThenBothClose, 100, ()) {
  streams_arrive_once_in_order(linux_profile(), true);
}

}  // namespace
}  // namespace tcpconform::model
