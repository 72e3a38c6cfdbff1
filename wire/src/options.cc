// TCP option lists: encoding with zero padding, decoding with typed errors (see options.h).
#include "tcpconform/wire/options.h"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

namespace tcpconform::wire {
namespace {

// Largest body a length byte can describe, and the most SACK blocks that fit one.
constexpr std::size_t kMaxUnknownData = 255 - 2;
constexpr std::size_t kMaxSackBlocks = (255 - 2) / 8;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8U));
  out.push_back(static_cast<std::uint8_t>(v));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24U));
  out.push_back(static_cast<std::uint8_t>(v >> 16U));
  out.push_back(static_cast<std::uint8_t>(v >> 8U));
  out.push_back(static_cast<std::uint8_t>(v));
}
std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8U | b[at + 1]);
}
std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) << 24U | static_cast<std::uint32_t>(b[at + 1]) << 16U |
         static_cast<std::uint32_t>(b[at + 2]) << 8U | static_cast<std::uint32_t>(b[at + 3]);
}

ParseError length_error(std::size_t index, std::size_t offset, std::string message) {
  return ParseError{.kind = ParseErrorKind::kBadOptionLength,
                    .offset = offset,
                    .field = fmt::format("tcp.option[{}].length", index),
                    .message = std::move(message)};
}

// The fixed length of a typed kind, or 0 for kinds without one (SACK, unknown kinds).
std::size_t fixed_length(std::uint8_t kind) {
  switch (kind) {
    case option_kind::kMss: return 4;
    case option_kind::kWindowScale: return 3;
    case option_kind::kSackPermitted: return 2;
    case option_kind::kTimestamp: return 10;
    default: return 0;
  }
}

bool is_typed_kind(std::uint8_t kind) {
  return kind == option_kind::kEol || kind == option_kind::kNop || kind == option_kind::kMss ||
         kind == option_kind::kWindowScale || kind == option_kind::kSackPermitted ||
         kind == option_kind::kSack || kind == option_kind::kTimestamp;
}

}  // namespace

std::uint8_t option_kind_of(const Option& option) {
  return std::visit(Overloaded{
                        [](const option::Eol&) { return option_kind::kEol; },
                        [](const option::Nop&) { return option_kind::kNop; },
                        [](const option::Mss&) { return option_kind::kMss; },
                        [](const option::WindowScale&) { return option_kind::kWindowScale; },
                        [](const option::SackPermitted&) { return option_kind::kSackPermitted; },
                        [](const option::Sack&) { return option_kind::kSack; },
                        [](const option::Timestamp&) { return option_kind::kTimestamp; },
                        [](const option::Unknown& u) { return u.kind; },
                    },
                    option);
}

std::size_t encoded_size(const Option& option) {
  return std::visit(Overloaded{
                        [](const option::Eol&) -> std::size_t { return 1; },
                        [](const option::Nop&) -> std::size_t { return 1; },
                        [](const option::Mss&) -> std::size_t { return 4; },
                        [](const option::WindowScale&) -> std::size_t { return 3; },
                        [](const option::SackPermitted&) -> std::size_t { return 2; },
                        [](const option::Sack& s) -> std::size_t {
                          return 2 + 8 * std::min(s.blocks.size(), kMaxSackBlocks);
                        },
                        [](const option::Timestamp&) -> std::size_t { return 10; },
                        [](const option::Unknown& u) -> std::size_t {
                          return 2 + std::min(u.data.size(), kMaxUnknownData);
                        },
                    },
                    option);
}

std::size_t encoded_size(std::span<const Option> options) {
  std::size_t total = 0;
  for (const auto& o : options) total += encoded_size(o);
  return total;
}

std::size_t padded_size(std::span<const Option> options) {
  return (encoded_size(options) + 3) & ~std::size_t{3};
}

void encode_options(std::span<const Option> options, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  for (const auto& o : options) {
    const auto len = static_cast<std::uint8_t>(encoded_size(o));
    const std::uint8_t kind = option_kind_of(o);
    out.push_back(kind);
    std::visit(Overloaded{
                   [](const option::Eol&) {},
                   [](const option::Nop&) {},
                   [&](const option::Mss& m) {
                     out.push_back(len);
                     put16(out, m.value);
                   },
                   [&](const option::WindowScale& w) {
                     out.push_back(len);
                     out.push_back(w.shift);
                   },
                   [&](const option::SackPermitted&) { out.push_back(len); },
                   [&](const option::Sack& s) {
                     out.push_back(len);
                     const std::size_t n = std::min(s.blocks.size(), kMaxSackBlocks);
                     for (std::size_t i = 0; i < n; ++i) {
                       put32(out, s.blocks[i].left.value);
                       put32(out, s.blocks[i].right.value);
                     }
                   },
                   [&](const option::Timestamp& t) {
                     out.push_back(len);
                     put32(out, t.val);
                     put32(out, t.ecr);
                   },
                   [&](const option::Unknown& u) {
                     out.push_back(len);
                     const std::size_t n = std::min(u.data.size(), kMaxUnknownData);
                     out.insert(out.end(), u.data.begin(),
                                u.data.begin() + static_cast<std::ptrdiff_t>(n));
                   },
               },
               o);
  }
  while ((out.size() - start) % 4 != 0) out.push_back(option_kind::kEol);
}

bool is_canonical(std::span<const Option> options) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const Option& o = options[i];
    if (std::holds_alternative<option::Eol>(o) && (i + 1 != options.size() || at % 4 != 0)) {
      return false;
    }
    if (const auto* s = std::get_if<option::Sack>(&o)) {
      if (s->blocks.empty() || s->blocks.size() > 4) return false;
    }
    if (const auto* u = std::get_if<option::Unknown>(&o)) {
      if (is_typed_kind(u->kind) || u->data.size() > kMaxUnknownData) return false;
    }
    at += encoded_size(o);
  }
  return at <= kMaxOptionBytes;
}

tl::expected<std::vector<Option>, ParseError> decode_options(std::span<const std::uint8_t> area,
                                                             std::size_t base_offset) {
  std::vector<Option> options;
  std::size_t at = 0;
  for (std::size_t index = 0; at < area.size(); ++index) {
    const std::uint8_t kind = area[at];
    if (kind == option_kind::kEol) {
      // An EOL where encode's padding would start is padding; elsewhere it is an option.
      if (at % 4 == 0) options.emplace_back(option::Eol{});
      break;
    }
    if (kind == option_kind::kNop) {
      options.emplace_back(option::Nop{});
      ++at;
      continue;
    }
    const std::size_t len_at = base_offset + at + 1;
    if (at + 1 >= area.size()) {
      return tl::make_unexpected(
          length_error(index, len_at, fmt::format("option kind {} has no length byte", kind)));
    }
    const std::size_t len = area[at + 1];
    if (len < 2) {
      return tl::make_unexpected(
          length_error(index, len_at, fmt::format("option kind {} has length {} < 2", kind, len)));
    }
    if (len > area.size() - at) {
      return tl::make_unexpected(length_error(
          index, len_at,
          fmt::format("option kind {} length {} overruns the option area ({} bytes left)", kind,
                      len, area.size() - at)));
    }
    const std::size_t fixed = fixed_length(kind);
    if (fixed != 0 && len != fixed) {
      return tl::make_unexpected(
          length_error(index, len_at,
                       fmt::format("option kind {} has length {}, expected {}", kind, len, fixed)));
    }
    const auto body = area.subspan(at + 2, len - 2);
    switch (kind) {
      case option_kind::kMss: options.emplace_back(option::Mss{get16(body, 0)}); break;
      case option_kind::kWindowScale: options.emplace_back(option::WindowScale{body[0]}); break;
      case option_kind::kSackPermitted: options.emplace_back(option::SackPermitted{}); break;
      case option_kind::kTimestamp:
        options.emplace_back(option::Timestamp{get32(body, 0), get32(body, 4)});
        break;
      case option_kind::kSack: {
        // RFC 2018 §3: length 2 + 8n with n >= 1.
        if (len < 10 || (len - 2) % 8 != 0) {
          return tl::make_unexpected(length_error(
              index, len_at, fmt::format("SACK option length {} is not 2 + 8n, n >= 1", len)));
        }
        option::Sack sack;
        for (std::size_t b = 0; b + 8 <= body.size(); b += 8) {
          sack.blocks.push_back(
              option::SackBlock{SeqNum{get32(body, b)}, SeqNum{get32(body, b + 4)}});
        }
        options.emplace_back(std::move(sack));
        break;
      }
      default:
        options.emplace_back(
            option::Unknown{kind, std::vector<std::uint8_t>(body.begin(), body.end())});
        break;
    }
    at += len;
  }
  return options;
}

}  // namespace tcpconform::wire
