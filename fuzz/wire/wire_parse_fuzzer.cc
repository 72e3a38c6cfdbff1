// libFuzzer target: any bytes through parse; what parses must survive emit, parse and notation.
//
// Invariants checked (abort on violation):
//  - parse without checksum checks fails iff parse with them fails or a checksum is the reason;
//    when both succeed they agree;
//  - a parsed segment is canonical: emit(s) parses back (checksums verified) to exactly s;
//  - the text notation with addresses and payload bytes parses back to s (ttl aside).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/notation.h"
#include "tcpconform/wire/options.h"

namespace {

using tcpconform::wire::ParseErrorKind;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "wire_parse invariant violated: %s\n", what);
  std::abort();
}

bool is_checksum_error(ParseErrorKind kind) {
  return kind == ParseErrorKind::kBadIpChecksum || kind == ParseErrorKind::kBadTcpChecksum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = tcpconform::wire;
  const std::span<const std::uint8_t> bytes(data, size);
  auto loose = wire::parse(bytes, wire::ParseOptions{.verify_checksums = false});
  auto strict = wire::parse(bytes);
  if (!loose) {
    if (strict) fail("strict parse accepted what loose parse rejected");
    if (!is_checksum_error(strict.error().kind) && !(strict.error() == loose.error())) {
      fail("strict and loose parse disagree on a non-checksum error");
    }
    if (loose.error().offset > size) fail("error offset beyond the packet");
    return 0;
  }
  if (strict && !(*strict == *loose)) fail("strict and loose parse disagree");
  if (!strict && !is_checksum_error(strict.error().kind)) {
    fail("strict parse failed for a reason other than a checksum");
  }
  const wire::Segment& s = *loose;
  if (!wire::is_canonical(s.options)) fail("parse produced a non-canonical option list");
  if (!wire::is_well_formed(s)) fail("parse produced a segment that is not well-formed");

  const auto emitted = wire::emit(s);
  auto again = wire::parse(emitted);
  if (!again) fail("emit of a parsed segment does not parse");
  if (!(*again == s)) fail("parse(emit(parse(bytes))) != parse(bytes)");

  wire::Segment expected = s;
  expected.ttl = wire::Segment{}.ttl;
  auto text = wire::parse_notation_with_addresses(
      wire::to_notation_with_addresses(s, {.payload_bytes = true}));
  if (!text) fail("notation of a parsed segment does not parse");
  if (!(*text == expected)) fail("notation round trip changed the segment");
  return 0;
}
