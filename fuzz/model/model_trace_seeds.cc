// Writes the model_trace seed corpus (one trace per opening and target state, with a short tail
// of timers, data, RST or TIME-WAIT expiry), or prints encoded traces: `seeds DIR` / `print FILE…`.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "../seed_files.h"
#include "trace_codec.h"
#include "trace_scenarios.h"

namespace {

using namespace tcpconform::model;
using namespace tcpconform::model::trace;

// What follows the prefix: the behaviour each seed exercises after reaching its state.
void add_tail(Target t, std::vector<Event>& ev) {
  constexpr std::uint16_t kA = 0x010;
  constexpr std::uint16_t kR = 0x004;
  constexpr std::uint16_t kS = 0x002;
  switch (t) {
    case Target::kSynSent:
    case Target::kSynReceived:  // SYN / SYN,ACK retransmissions
      ev.emplace_back(advance(AdvanceMode::kToDeadline));
      ev.emplace_back(advance(AdvanceMode::kPastDeadline, 1));
      break;
    case Target::kEstablished:  // RFC 5961: in-window RST and SYN draw challenge ACKs
      ev.emplace_back(peer(kR, SeqPoint::kInside, AckPoint::kZero));
      ev.emplace_back(peer(kS, SeqPoint::kLeft, AckPoint::kZero));
      break;
    case Target::kEstablishedData:  // data at the window edges, then the ACK of ours
      ev.emplace_back(peer(kA, SeqPoint::kRightMinus1, AckPoint::kSndUna, 1));
      ev.emplace_back(peer(kA, SeqPoint::kRight, AckPoint::kSndUna, 1));
      ev.emplace_back(peer(kA, SeqPoint::kLeft, AckPoint::kSndNxt));
      break;
    case Target::kFinWait1:  // FIN retransmission
      ev.emplace_back(advance(AdvanceMode::kToDeadline));
      break;
    case Target::kFinWait2:
    case Target::kFinWait2Orphan:  // R169 on Linux
      ev.emplace_back(advance(AdvanceMode::kFixed, 61000000));
      ev.emplace_back(peer(kA, SeqPoint::kLeft, AckPoint::kSndNxt, 10));
      break;
    case Target::kClosing:
    case Target::kLastAck:  // FIN retransmission, then the final ACK
      ev.emplace_back(advance(AdvanceMode::kToDeadline));
      ev.emplace_back(peer(kA, SeqPoint::kLeft, AckPoint::kSndNxt));
      break;
    case Target::kSimultaneousClose:
    case Target::kTimeWait:  // a reopening SYN, then TIME-WAIT expiry
      ev.emplace_back(peer(kS, SeqPoint::kFar, AckPoint::kZero));
      ev.emplace_back(advance(AdvanceMode::kToDeadline));
      ev.emplace_back(advance(AdvanceMode::kFixed, 240000000));
      break;
    case Target::kCloseWait:  // send after the peer's FIN, read end of file
      ev.emplace_back(call(CallKind::kSend, FdRef::kConn, 100));
      ev.emplace_back(call(CallKind::kRecv, FdRef::kConn, 100));
      break;
    case Target::kClosedByRst:  // the application learns of the reset
      ev.emplace_back(call(CallKind::kRecv, FdRef::kConn, 100));
      ev.emplace_back(peer(kA, SeqPoint::kLeft, AckPoint::kSndNxt));
      break;
  }
}

int write_seeds(const std::string& dir) {
  int n = 0;
  for (std::uint8_t o = 0; o < kOpeningCount; ++o) {
    for (std::uint8_t t = 0; t < kTargetCount; ++t) {
      const auto opening = static_cast<Opening>(o);
      const auto target = static_cast<Target>(t);
      if (opening == Opening::kPassive && target == Target::kSynSent) continue;
      Trace trace;
      const bool ts = (o + t) % 2 == 0;
      trace.header_options = ts ? kHdrAll : kHdrSack;
      trace.events = prefix(opening, target, ts);
      add_tail(target, trace.events);
      const auto bytes = encode(trace);
      const std::string path = dir + "/" + tcpconform::fuzz::slug(to_string(opening)) + "-" +
                               tcpconform::fuzz::slug(to_string(target)) + ".trace";
      if (!tcpconform::fuzz::write_seed(path, bytes)) return 1;
      ++n;
    }
  }
  std::printf("wrote %d seeds to %s\n", n, dir.c_str());
  return 0;
}

int print(const char* path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> raw{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::vector<std::uint8_t> bytes(raw.begin(), raw.end());
  const auto trace = decode(bytes);
  if (!trace) {
    std::printf("%s: not a trace\n", path);
    return 1;
  }
  std::printf("%s: %s", path, to_string(*trace).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "seeds") return write_seeds(std::string{args[1]});
  if (args.size() >= 2 && args[0] == "print") {
    int rc = 0;
    for (int i = 2; i < argc; ++i) rc |= print(argv[i]);
    return rc;
  }
  std::fprintf(stderr, "usage: %s seeds DIR | print FILE...\n", argv[0]);
  return 2;
}
