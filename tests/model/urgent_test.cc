// Urgent data (R80): Linux takes the urgent byte out of the stream (profile urgent_out_of_band:
// tcp_check_urg, tcp_urg, tcp_recvmsg without SO_OOBINLINE); RFC 9293 keeps it in the stream.
#include "model_test_helpers.h"

namespace tcpconform::model::testing {
namespace {

constexpr Flags UA = wire::kUrg | wire::kAck;

// The peer's text of `len` bytes at theirs(seq) with URG set and urgent pointer `up`.
const EventOutput& urgent(Harness& h, std::uint32_t seq, std::uint32_t len, std::uint16_t up) {
  wire::Segment s = h.make(UA, Harness::theirs(seq), Harness::ours(1), len);
  s.urgent = up;
  return h.inject(s);
}

std::uint32_t recv_q(const Harness& h) {
  return h.observed(State::kEstablished)->recv_q;
}

TEST(Urgent, R80_LinuxReadSkipsTheUrgentByte) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  urgent(h, 1, 1, 0);  // SEG.UP 0: the urgent byte is the segment's first
  EXPECT_EQ(recv_q(h), 1U);
  EXPECT_EQ(h.recv(fd).error, EAGAIN);
  EXPECT_EQ(recv_q(h), 0U);
}

TEST(Urgent, R80_LinuxReadStopsBeforeTheUrgentByteThenSkipsIt) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  urgent(h, 1, 10, 5);  // SEG.UP 5 names the fifth byte (tcp_stdurg = 0)
  EXPECT_EQ(h.recv(fd).value, 4);
  EXPECT_EQ(h.recv(fd).value, 5);
  EXPECT_EQ(recv_q(h), 0U);
}

TEST(Urgent, R80_LinuxNewerPointerSkipsTheUnreadUrgentByte) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  urgent(h, 1, 1, 0);
  urgent(h, 2, 1, 0);
  EXPECT_EQ(recv_q(h), 1U);  // the first urgent byte was skipped by the second pointer
  EXPECT_EQ(h.recv(fd).error, EAGAIN);
}

TEST(Urgent, R80_LinuxUrgentByteUnreadAtResetIsSkipped) {
  Harness h{linux_profile()};
  const int fd = h.passive_established();
  urgent(h, 1, 3, 2);  // bytes 1 and 3 are text, byte 2 urgent
  h.seg(R, Harness::theirs(4));
  EXPECT_EQ(h.recv(fd).value, 1);
  EXPECT_EQ(h.recv(fd).value, 1);
  EXPECT_EQ(h.recv(fd).error, ECONNRESET);
}

TEST(Urgent, R80_RfcKeepsUrgentDataInTheStream) {
  Harness h;
  const int fd = h.passive_established();
  urgent(h, 1, 1, 0);
  EXPECT_EQ(h.recv(fd).value, 1);
}

}  // namespace
}  // namespace tcpconform::model::testing
