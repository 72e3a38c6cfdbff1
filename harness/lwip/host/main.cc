// tcpconform-lwip-host: one lwIP stack in a process of its own, driven by LwipSut over the
// descriptor given as argv[1] (see ../src/protocol.h). It exits when that descriptor closes. lwIP
// reports a failed LWIP_ASSERT on stdout and aborts: LwipSut reads the message from the pipe it
// connected to our stdout and stderr.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "../src/protocol.h"
#include "lwip_headers.h"
#include "shim.h"
#include "stack.h"

namespace tcpconform::harness::lwip {
namespace {

void fail(Writer& w, std::string_view message) {
  w.data().clear();
  w.u8(static_cast<std::uint8_t>(Status::kError));
  w.string(message);
}

// Handles one request body; the response body goes to `w`.
void handle(Shim& shim, const std::vector<std::uint8_t>& body, Writer& w) {
  Reader r(body.data(), body.size());
  const auto op = r.u8();
  const auto elapsed = r.i64();
  if (!op || !elapsed) return fail(w, "truncated request");
  stack_advance(*elapsed);
  w.u8(static_cast<std::uint8_t>(Status::kOk));
  switch (static_cast<Op>(*op)) {
    case Op::kHello: w.string(LWIP_VERSION_STRING); return;
    case Op::kInject: {
      auto packet = r.bytes(r.remaining());
      if (!packet || packet->empty() || packet->size() > 0xFFFF) return fail(w, "bad packet");
      stack_inject(packet->data(), packet->size());
      stack_flush_delayed_acks();
      return;
    }
    case Op::kCollect: {
      const auto packets = stack_collect();
      w.u32(static_cast<std::uint32_t>(packets.size()));
      for (const auto& p : packets) {
        w.u32(static_cast<std::uint32_t>(p.size()));
        w.bytes(p.data(), p.size());
      }
      return;
    }
    case Op::kCall: {
      const auto call = r.call();
      if (!call) return fail(w, "bad call");
      const model::CallResult result = shim.call(*call);
      stack_flush_delayed_acks();
      w.result(result);
      return;
    }
    case Op::kAdvance: {
      const auto us = r.i64();
      if (!us || *us < 0) return fail(w, "bad duration");
      stack_advance(*us);
      return;
    }
    case Op::kObserve: {
      const auto seen = shim.observe();
      w.u32(static_cast<std::uint32_t>(seen.size()));
      for (const auto& o : seen) w.observation(o);
      return;
    }
    case Op::kConfigure: {
      const auto n = r.u32();
      if (!n) return fail(w, "bad settings");
      for (std::uint32_t i = 0; i < *n; ++i) {
        const auto key = r.string();
        const auto value = r.string();
        if (!key || !value) return fail(w, "bad settings");
        if (*key == "lwip/quickack") stack_set_quickack(*value != "0");
      }
      return;
    }
    case Op::kReset:
      shim.reset();
      stack_reset();
      stack_set_quickack(true);
      return;
    case Op::kTripAssert: stack_trip_assert();
  }
  fail(w, "unknown op");
}

}  // namespace
}  // namespace tcpconform::harness::lwip

int main(int argc, char** argv) {
  using namespace tcpconform::harness::lwip;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FD (started by tcpconform's LwipSut)\n", argv[0]);
    return 2;
  }
  const int fd = std::atoi(argv[1]);
  stack_init();
  Shim shim;
  std::vector<std::uint8_t> body;
  while (read_frame(fd, body)) {
    Writer w;
    handle(shim, body, w);
    if (!write_frame(fd, w.data())) break;
  }
  // The client went away: nothing to flush, and lwIP's heap need not be freed one by one.
  std::fflush(stdout);
  _exit(0);
}
