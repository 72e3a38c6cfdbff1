// Encoding and decoding of TCP option lists (RFC 9293 §3.2, RFC 7323, RFC 2018).
//
// Canonical form and padding: the option area of a TCP header is a multiple of 4 bytes. encode
// writes the options in order and pads with zero bytes to the next multiple of 4. decode stops at
// the first EOL: the bytes after it are padding and are not kept (RFC 9293 §3.2: the receiver
// ignores them). An EOL is recorded as option::Eol only when it is not the start of that padding,
// i.e. when the bytes before it are a multiple of 4 long; an EOL at any other place decodes to
// nothing, because encode's padding would have written the same zero. So decode(encode(l)) == l
// for every canonical list l: option::Eol, if present, is last and starts at a multiple of 4;
// each option has its kind's fixed length (SACK: 1 to 4 blocks); Unknown kinds are not one of
// the kinds decoded into a typed option (0, 1, 2, 3, 4, 5, 8); the encoding fits in 40 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <tl/expected.hpp>
#include <vector>

#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::wire {

// Option kind numbers (IANA "TCP Option Kind Numbers").
namespace option_kind {
inline constexpr std::uint8_t kEol = 0;
inline constexpr std::uint8_t kNop = 1;
inline constexpr std::uint8_t kMss = 2;
inline constexpr std::uint8_t kWindowScale = 3;
inline constexpr std::uint8_t kSackPermitted = 4;
inline constexpr std::uint8_t kSack = 5;
inline constexpr std::uint8_t kTimestamp = 8;
}  // namespace option_kind

// The largest option area a TCP header can carry (data offset 15).
inline constexpr std::size_t kMaxOptionBytes = 40;

// The kind byte of an option as it goes on the wire.
[[nodiscard]] std::uint8_t option_kind_of(const Option& option);

// Encoded size of one option, and of a list before padding.
[[nodiscard]] std::size_t encoded_size(const Option& option);
[[nodiscard]] std::size_t encoded_size(std::span<const Option> options);
// Size of the option area: encoded_size rounded up to a multiple of 4 (may exceed 40).
[[nodiscard]] std::size_t padded_size(std::span<const Option> options);

// Appends the options and their zero padding to `out`. Sizes that do not fit a length byte are
// truncated (an Unknown with more than 253 data bytes, a Sack of more than 31 blocks): callers
// that want a parseable packet keep lists canonical.
void encode_options(std::span<const Option> options, std::vector<std::uint8_t>& out);

// True when decode(encode(options)) == options (see the canonical form above).
[[nodiscard]] bool is_canonical(std::span<const Option> options);

// Decodes an option area. `base_offset` is the area's byte offset in the packet, used for
// ParseError::offset; errors are kBadOptionLength naming the option's index, e.g.
// "tcp.option[2].length".
[[nodiscard]] tl::expected<std::vector<Option>, ParseError> decode_options(
    std::span<const std::uint8_t> area, std::size_t base_offset = 0);

}  // namespace tcpconform::wire
