// Properties of the codec: parse(emit(s)) == s, option round trips, parse never fails unsafely.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tcpconform/wire/checksum.h"
#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/options.h"
#include "wire/segment_gen.h"

namespace tcpconform::wire {
namespace {

RC_GTEST_PROP(Wire, ParseOfEmitIsIdentity, ()) {
  const Segment s = *gen::segment();
  RC_ASSERT(is_well_formed(s));
  auto parsed = parse(emit(s));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == s);
}

RC_GTEST_PROP(Wire, ParseOfEmitIsIdentityV6, ()) {
  const Segment s = *gen::segment(IpVersion::kV6);
  auto parsed = parse(emit(s));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == s);
}

RC_GTEST_PROP(Wire, EmitIsParseOfEmitEmitted, ()) {
  // emit(parse(emit(s))) == emit(s): the emitted form is a fixed point.
  const Segment s = *gen::segment();
  const auto bytes = emit(s);
  RC_ASSERT(emit(*parse(bytes)) == bytes);
}

RC_GTEST_PROP(Wire, EmitIntoAppendsExactlyEmit, ()) {
  const Segment s = *gen::segment();
  auto out = *rc::gen::container<std::vector<std::uint8_t>>(rc::gen::arbitrary<std::uint8_t>());
  const auto before = out;
  emit_into(s, out);
  RC_ASSERT(std::vector<std::uint8_t>(
                out.begin(), out.begin() + static_cast<std::ptrdiff_t>(before.size())) == before);
  RC_ASSERT(std::vector<std::uint8_t>(out.begin() + static_cast<std::ptrdiff_t>(before.size()),
                                      out.end()) == emit(s));
}

RC_GTEST_PROP(Wire, EmittedLengthIsHeadersOptionsAndPayload, ()) {
  const Segment s = *gen::segment();
  const std::size_t ip = s.src.version == IpVersion::kV4 ? 20 : 40;
  RC_ASSERT(emit(s).size() == ip + 20 + padded_size(s.options) + s.payload.size());
}

RC_GTEST_PROP(Wire, CorruptedChecksumsAreDetected, (bool tcp)) {
  const Segment s =
      *gen::segment(tcp ? *rc::gen::element(IpVersion::kV4, IpVersion::kV6) : IpVersion::kV4);
  const auto bytes = emit(s, EmitOptions{.corrupt_tcp_checksum = tcp, .corrupt_ip_checksum = !tcp});
  auto parsed = parse(bytes);
  RC_ASSERT(!parsed.has_value());
  RC_ASSERT(parsed.error().kind ==
            (tcp ? ParseErrorKind::kBadTcpChecksum : ParseErrorKind::kBadIpChecksum));
}

RC_GTEST_PROP(Wire, AnyFlippedBitIsDetectedOrHarmless, ()) {
  // Flipping one bit either breaks the packet (an error) or changes a field the Segment does not
  // keep (IPv4 TOS/ID/flags, IPv6 traffic class/flow label, TCP reserved bits), or the IPv6 hop
  // limit, which no checksum covers. A single-bit change never gets past the checksums into a
  // different TCP segment.
  const Segment s = *gen::segment();
  auto bytes = emit(s);
  const auto bit = *rc::gen::inRange<std::size_t>(0, bytes.size() * 8);
  bytes[bit / 8] = static_cast<std::uint8_t>(bytes[bit / 8] ^ (1U << (bit % 8)));
  auto parsed = parse(bytes);
  if (!parsed) return;
  Segment expected = s;
  if (s.src.version == IpVersion::kV6) expected.ttl = parsed->ttl;
  RC_ASSERT(*parsed == expected);
}

RC_GTEST_PROP(Wire, OptionsDecodeOfEncodeIsIdentity, ()) {
  const auto options = *gen::canonical_options();
  RC_ASSERT(is_canonical(options));
  std::vector<std::uint8_t> area;
  encode_options(options, area);
  RC_ASSERT(area.size() % 4 == 0);
  RC_ASSERT(area.size() == padded_size(options));
  auto decoded = decode_options(area);
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(*decoded == options);
}

RC_GTEST_PROP(Wire, DecodedOptionsAreCanonical, (std::vector<std::uint8_t> area)) {
  if (area.size() > kMaxOptionBytes) area.resize(kMaxOptionBytes);
  auto decoded = decode_options(area);
  if (!decoded) {
    RC_ASSERT(decoded.error().kind == ParseErrorKind::kBadOptionLength);
    RC_ASSERT(decoded.error().offset < area.size() + 1);
    return;
  }
  RC_ASSERT(is_canonical(*decoded));
}

RC_GTEST_PROP(Wire, ParseOfArbitraryBytesFailsWithAFieldOrSucceeds,
              (std::vector<std::uint8_t> bytes)) {
  auto parsed = parse(bytes, ParseOptions{.verify_checksums = false});
  if (!parsed) {
    RC_ASSERT(!parsed.error().field.empty());
    RC_ASSERT(parsed.error().offset <= bytes.size());
  }
}

RC_GTEST_PROP(Wire, ChecksumOfBufferWithItsChecksumIsZero, (std::vector<std::uint8_t> data)) {
  if (data.size() % 2 != 0) data.push_back(0);
  data.push_back(0);
  data.push_back(0);
  const std::uint16_t sum = internet_checksum(data);
  data[data.size() - 2] = static_cast<std::uint8_t>(sum >> 8U);
  data[data.size() - 1] = static_cast<std::uint8_t>(sum);
  RC_ASSERT(internet_checksum(data) == 0);
}

// The RFC 1071 definition, 16 bits at a time: the reference the word-at-a-time sum must match.
std::uint16_t reference_checksum(const std::vector<std::uint8_t>& data) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < data.size(); i += 2) {
    const std::uint32_t low = i + 1 < data.size() ? data[i + 1] : 0U;
    sum += static_cast<std::uint32_t>(data[i]) << 8U | low;
    sum = (sum & 0xffffU) + (sum >> 16U);  // end-around carry after every word
  }
  sum = (sum & 0xffffU) + (sum >> 16U);
  return static_cast<std::uint16_t>(~sum);
}

RC_GTEST_PROP(Wire, ChecksumMatchesSixteenBitReference, (const std::vector<std::uint8_t>& data)) {
  RC_ASSERT(internet_checksum(data) == reference_checksum(data));
}

RC_GTEST_PROP(Wire, ChecksumOfConcatenationAtEvenSplitChains,
              (const std::vector<std::uint8_t>& data)) {
  const std::size_t split = *rc::gen::inRange<std::size_t>(0, data.size() / 2 + 1) * 2;
  const auto all = std::span<const std::uint8_t>(data);
  const std::uint32_t chained = checksum_add(checksum_add(0, all.first(split)), all.subspan(split));
  RC_ASSERT(checksum_fold(chained) == checksum_fold(checksum_add(0, all)));
}

}  // namespace
}  // namespace tcpconform::wire
