// RapidCheck generators for wire types (sequence numbers, options, well-formed Segments); reusable.
//
// Every Segment these generators yield is well-formed for the codec: src and dst of one IP
// version (IPv4 addresses with zero tail bytes), a canonical option list (options.h) and a
// payload that fits the IP length, so parse(emit(s)) == s. Sequence numbers cluster around the
// 2^32 and 2^31 boundaries as often as they fall anywhere else.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <ostream>
#include <utility>
#include <vector>

#include "tcpconform/wire/notation.h"
#include "tcpconform/wire/options.h"
#include "tcpconform/wire/segment.h"
#include "tcpconform/wire/seqnum.h"

namespace tcpconform::wire {

// How RapidCheck prints counterexamples (found by ADL); Segments print through notation.h's
// operator<<, as the notation with addresses and payload bytes.
inline void showValue(SeqNum s, std::ostream& os) {
  os << "SeqNum{" << s.value << "}";
}
inline void showValue(SeqLen s, std::ostream& os) {
  os << "SeqLen{" << s.value << "}";
}

}  // namespace tcpconform::wire

namespace tcpconform::wire::gen {

// A 32-bit value, half the time within 64 of 0, 2^31 or 2^32.
inline rc::Gen<std::uint32_t> edgy_u32() {
  return rc::gen::oneOf(
      rc::gen::arbitrary<std::uint32_t>(),
      rc::gen::map(rc::gen::pair(rc::gen::element<std::uint32_t>(0U, 0x8000'0000U),
                                 rc::gen::inRange<std::uint32_t>(0, 128)),
                   [](const std::pair<std::uint32_t, std::uint32_t>& p) {
                     return p.first + p.second - 64U;  // wraps modulo 2^32 on purpose
                   }));
}

inline rc::Gen<SeqNum> seq_num() {
  return rc::gen::map(edgy_u32(), [](std::uint32_t v) { return SeqNum{v}; });
}

inline rc::Gen<SeqLen> seq_len() {
  return rc::gen::map(edgy_u32(), [](std::uint32_t v) { return SeqLen{v}; });
}

inline rc::Gen<Flags> flags() {
  return rc::gen::map(rc::gen::inRange<std::uint16_t>(0, 0x200),
                      [](std::uint16_t b) { return Flags{b}; });
}

inline rc::Gen<IpAddress> ip_address(IpVersion version) {
  return rc::gen::map(rc::gen::arbitrary<std::array<std::uint8_t, 16>>(),
                      [version](std::array<std::uint8_t, 16> bytes) {
                        IpAddress a;
                        a.version = version;
                        a.bytes = bytes;
                        if (version == IpVersion::kV4) {
                          std::fill(a.bytes.begin() + 4, a.bytes.end(), std::uint8_t{0});
                        }
                        return a;
                      });
}

// One option of any kind except EOL (whose place is constrained; see canonical_options).
inline rc::Gen<Option> option_except_eol() {
  // Kinds that decode to typed options never appear as Unknown in a canonical list.
  auto unknown_kind = rc::gen::suchThat(rc::gen::arbitrary<std::uint8_t>(), [](std::uint8_t k) {
    return k != 0 && k != 1 && k != 2 && k != 3 && k != 4 && k != 5 && k != 8;
  });
  auto sack_block =
      rc::gen::map(rc::gen::pair(seq_num(), seq_num()), [](const std::pair<SeqNum, SeqNum>& p) {
        return option::SackBlock{p.first, p.second};
      });
  return rc::gen::oneOf(
      rc::gen::just(Option{option::Nop{}}),
      rc::gen::map(rc::gen::arbitrary<std::uint16_t>(),
                   [](std::uint16_t v) { return Option{option::Mss{v}}; }),
      rc::gen::map(rc::gen::arbitrary<std::uint8_t>(),
                   [](std::uint8_t v) { return Option{option::WindowScale{v}}; }),
      rc::gen::just(Option{option::SackPermitted{}}),
      rc::gen::map(rc::gen::pair(edgy_u32(), edgy_u32()),
                   [](const std::pair<std::uint32_t, std::uint32_t>& p) {
                     return Option{option::Timestamp{p.first, p.second}};
                   }),
      rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 5),
                                   [sack_block](std::size_t n) {
                                     return rc::gen::container<std::vector<option::SackBlock>>(
                                         n, sack_block);
                                   }),
                   [](std::vector<option::SackBlock> blocks) {
                     return Option{option::Sack{std::move(blocks)}};
                   }),
      rc::gen::map(
          rc::gen::pair(unknown_kind,
                        rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 39),
                                        [](std::size_t n) {
                                          return rc::gen::container<std::vector<std::uint8_t>>(
                                              n, rc::gen::arbitrary<std::uint8_t>());
                                        })),
          [](std::pair<std::uint8_t, std::vector<std::uint8_t>> p) {
            return Option{option::Unknown{p.first, std::move(p.second)}};
          }));
}

// A canonical option list (options.h): at most 40 bytes, EOL only last and 4-byte aligned.
inline rc::Gen<std::vector<Option>> canonical_options() {
  return rc::gen::map(rc::gen::pair(rc::gen::container<std::vector<Option>>(option_except_eol()),
                                    rc::gen::arbitrary<bool>()),
                      [](std::pair<std::vector<Option>, bool> p) {
                        std::vector<Option> out;
                        std::size_t size = 0;
                        for (auto& o : p.first) {
                          const std::size_t n = encoded_size(o);
                          if (size + n > kMaxOptionBytes)
                            continue;  // skip what does not fit, keep trying
                          size += n;
                          out.push_back(std::move(o));
                        }
                        if (p.second && size % 4 == 0 && size < kMaxOptionBytes)
                          out.emplace_back(option::Eol{});
                        return out;
                      });
}

inline rc::Gen<std::vector<std::uint8_t>> payload() {
  return rc::gen::oneOf(
      rc::gen::container<std::vector<std::uint8_t>>(rc::gen::arbitrary<std::uint8_t>()),
      rc::gen::just(std::vector<std::uint8_t>{}),
      rc::gen::map(rc::gen::inRange<std::size_t>(0, 1461),
                   [](std::size_t n) { return std::vector<std::uint8_t>(n, 0x5a); }));
}

// A well-formed segment of the given IP version.
inline rc::Gen<Segment> segment(IpVersion version) {
  return rc::gen::build<Segment>(
      rc::gen::set(&Segment::src, ip_address(version)),
      rc::gen::set(&Segment::dst, ip_address(version)), rc::gen::set(&Segment::sport),
      rc::gen::set(&Segment::dport), rc::gen::set(&Segment::seq, seq_num()),
      rc::gen::set(&Segment::ack, seq_num()), rc::gen::set(&Segment::flags, flags()),
      rc::gen::set(&Segment::window), rc::gen::set(&Segment::urgent),
      rc::gen::set(&Segment::options, canonical_options()),
      rc::gen::set(&Segment::payload, payload()), rc::gen::set(&Segment::ttl));
}

// A well-formed segment, IPv4 or IPv6.
inline rc::Gen<Segment> segment() {
  return rc::gen::mapcat(rc::gen::element(IpVersion::kV4, IpVersion::kV6),
                         [](IpVersion v) { return segment(v); });
}

}  // namespace tcpconform::wire::gen

namespace rc {

template <>
struct Arbitrary<tcpconform::wire::SeqNum> {
  static Gen<tcpconform::wire::SeqNum> arbitrary() { return tcpconform::wire::gen::seq_num(); }
};
template <>
struct Arbitrary<tcpconform::wire::SeqLen> {
  static Gen<tcpconform::wire::SeqLen> arbitrary() { return tcpconform::wire::gen::seq_len(); }
};
template <>
struct Arbitrary<tcpconform::wire::Flags> {
  static Gen<tcpconform::wire::Flags> arbitrary() { return tcpconform::wire::gen::flags(); }
};
template <>
struct Arbitrary<tcpconform::wire::Segment> {
  static Gen<tcpconform::wire::Segment> arbitrary() { return tcpconform::wire::gen::segment(); }
};

}  // namespace rc
