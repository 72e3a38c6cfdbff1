// Properties of the text notation: print then parse is the identity.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tcpconform/wire/notation.h"
#include "wire/segment_gen.h"

namespace tcpconform::wire {
namespace {

// The fields the TCP-only notation carries; everything else back to Segment's defaults.
Segment tcp_fields(Segment s) {
  const Segment defaults;
  s.src = defaults.src;
  s.dst = defaults.dst;
  s.sport = 0;
  s.dport = 0;
  s.ttl = defaults.ttl;
  return s;
}

RC_GTEST_PROP(WireNotation, PrintThenParseIsIdentityOnTcpFields, ()) {
  const Segment s = *gen::segment();
  const std::string text = to_notation(s, {.payload_bytes = true});
  auto parsed = parse_notation(text);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == tcp_fields(s));
}

RC_GTEST_PROP(WireNotation, PrintWithoutBytesKeepsPayloadLength, ()) {
  const Segment s = *gen::segment();
  auto parsed = parse_notation(to_notation(s));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->payload.size() == s.payload.size());
  Segment expected = tcp_fields(s);
  expected.payload.assign(s.payload.size(), 0);
  RC_ASSERT(*parsed == expected);
}

RC_GTEST_PROP(WireNotation, PrintThenParseWithAddressesIsIdentityButTtl, ()) {
  Segment s = *gen::segment();
  s.ttl = Segment{}.ttl;
  auto parsed =
      parse_notation_with_addresses(to_notation_with_addresses(s, {.payload_bytes = true}));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == s);
}

RC_GTEST_PROP(WireNotation, ParseOfArbitraryTextNeverCrashesAndPointsInside,
              (const std::string& text)) {
  auto parsed = parse_notation(text);
  if (!parsed) {
    RC_ASSERT(parsed.error().column >= 1);
    RC_ASSERT(parsed.error().column <= text.size() + 1);
  }
}

}  // namespace
}  // namespace tcpconform::wire
