// Segment text notation (packetdrill/tcpdump style): printer and parser, see notation.h.
#include "tcpconform/wire/notation.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <ostream>
#include <utility>
#include <variant>

namespace tcpconform::wire {
namespace {

struct FlagLetter {
  Flag flag;
  char letter;
};
constexpr std::array<FlagLetter, 9> kFlagLetters{{{Flag::kFin, 'F'},
                                                  {Flag::kSyn, 'S'},
                                                  {Flag::kRst, 'R'},
                                                  {Flag::kPsh, 'P'},
                                                  {Flag::kAck, '.'},
                                                  {Flag::kUrg, 'U'},
                                                  {Flag::kEce, 'E'},
                                                  {Flag::kCwr, 'W'},
                                                  {Flag::kAe, 'A'}}};

constexpr std::string_view kHexDigits = "0123456789abcdef";

void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
  for (const std::uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4U]);
    out.push_back(kHexDigits[b & 0xfU]);
  }
}

void append_option(std::string& out, const Option& option) {
  if (std::holds_alternative<option::Eol>(option)) {
    out += "eol";
  } else if (std::holds_alternative<option::Nop>(option)) {
    out += "nop";
  } else if (const auto* mss = std::get_if<option::Mss>(&option)) {
    out += fmt::format("mss {}", mss->value);
  } else if (const auto* ws = std::get_if<option::WindowScale>(&option)) {
    out += fmt::format("wscale {}", ws->shift);
  } else if (std::holds_alternative<option::SackPermitted>(option)) {
    out += "sackOK";
  } else if (const auto* sack = std::get_if<option::Sack>(&option)) {
    out += "sack";
    for (const auto& block : sack->blocks) {
      out += fmt::format(" {}:{}", block.left.value, block.right.value);
    }
  } else if (const auto* ts = std::get_if<option::Timestamp>(&option)) {
    out += fmt::format("TS val {} ecr {}", ts->val, ts->ecr);
  } else if (const auto* unknown = std::get_if<option::Unknown>(&option)) {
    out += fmt::format("unknown-kind {} [", unknown->kind);
    append_hex(out, unknown->data);
    out += ']';
  }
}

// A cursor over the text being parsed; columns are 1-based positions in the original text.
class Cursor {
 public:
  Cursor(std::string_view text, std::size_t base) : text_(text), base_(base) {}

  [[nodiscard]] std::size_t column() const { return base_ + pos_ + 1; }
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void advance(std::size_t n = 1) { pos_ += n; }
  void skip_spaces() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  [[nodiscard]] bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Consumes `word` when it is next and followed by a non-identifier character.
  [[nodiscard]] bool consume_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    const std::size_t after = pos_ + word.size();
    if (after < text_.size()) {
      const char c = text_[after];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_') return false;
    }
    pos_ = after;
    return true;
  }
  [[nodiscard]] std::string_view word() const {
    std::size_t end = pos_;
    while (end < text_.size() && text_[end] != ' ' && text_[end] != ',' && text_[end] != '>') {
      ++end;
    }
    return text_.substr(pos_, end - pos_);
  }
  [[nodiscard]] std::string_view rest() const { return text_.substr(pos_); }

  [[nodiscard]] NotationError error(std::string message) const {
    return NotationError{column(), std::move(message)};
  }

  // A decimal number no larger than `max`.
  [[nodiscard]] tl::expected<std::uint64_t, NotationError> number(std::string_view what,
                                                                  std::uint64_t max) {
    const std::size_t start = pos_;
    std::uint64_t value = 0;
    const char* first = text_.data() + pos_;
    const char* last = text_.data() + text_.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::invalid_argument || ptr == first) {
      return tl::make_unexpected(error(fmt::format("expected a number for {}", what)));
    }
    if (ec == std::errc::result_out_of_range || value > max) {
      return tl::make_unexpected(error(fmt::format("{} is out of range (max {})", what, max)));
    }
    pos_ = start + static_cast<std::size_t>(ptr - first);
    return value;
  }

  // Lower- or upper-case hex digit pairs, stopping at the first non-hex character.
  [[nodiscard]] tl::expected<std::vector<std::uint8_t>, NotationError> hex(std::string_view what) {
    std::vector<std::uint8_t> bytes;
    const auto digit = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    while (!at_end() && digit(peek()) >= 0) {
      const std::size_t high_column = column();
      const int high = digit(peek());
      advance();
      const int low = digit(peek());
      if (low < 0) {
        return tl::make_unexpected(
            NotationError{high_column, fmt::format("odd number of hex digits in {}", what)});
      }
      advance();
      bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
    }
    return bytes;
  }

 private:
  std::string_view text_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

template <typename T>
using Result = tl::expected<T, NotationError>;

Result<Flags> parse_flags(Cursor& c) {
  if (c.consume('-')) return Flags{};
  Flags flags;
  const std::size_t start = c.column();
  while (!c.at_end() && c.peek() != ' ') {
    const char letter = c.peek();
    bool known = false;
    for (const auto& fl : kFlagLetters) {
      if (fl.letter == letter) {
        if (flags.has(fl.flag)) {
          return tl::make_unexpected(c.error(fmt::format("flag '{}' given twice", letter)));
        }
        flags = flags.with(fl.flag);
        known = true;
      }
    }
    if (!known) {
      return tl::make_unexpected(c.error(
          fmt::format("unknown flag '{}' (flags are F S R P . U E W A, or - for none)", letter)));
    }
    c.advance();
  }
  if (c.column() == start) return tl::make_unexpected(c.error("expected flags"));
  return flags;
}

Result<Option> parse_option(Cursor& c) {
  constexpr std::uint64_t k16 = std::numeric_limits<std::uint16_t>::max();
  constexpr std::uint64_t k32 = std::numeric_limits<std::uint32_t>::max();
  constexpr std::uint64_t k8 = std::numeric_limits<std::uint8_t>::max();
  if (c.consume_word("nop")) return option::Nop{};
  if (c.consume_word("eol")) return option::Eol{};
  if (c.consume_word("sackOK")) return option::SackPermitted{};
  if (c.consume_word("mss")) {
    c.skip_spaces();
    auto v = c.number("mss", k16);
    if (!v) return tl::make_unexpected(v.error());
    return option::Mss{static_cast<std::uint16_t>(*v)};
  }
  if (c.consume_word("wscale")) {
    c.skip_spaces();
    auto v = c.number("wscale", k8);
    if (!v) return tl::make_unexpected(v.error());
    return option::WindowScale{static_cast<std::uint8_t>(*v)};
  }
  if (c.consume_word("TS")) {
    c.skip_spaces();
    if (!c.consume_word("val")) return tl::make_unexpected(c.error("expected 'val' after 'TS'"));
    c.skip_spaces();
    auto val = c.number("TS val", k32);
    if (!val) return tl::make_unexpected(val.error());
    c.skip_spaces();
    if (!c.consume_word("ecr")) return tl::make_unexpected(c.error("expected 'ecr'"));
    c.skip_spaces();
    auto ecr = c.number("TS ecr", k32);
    if (!ecr) return tl::make_unexpected(ecr.error());
    return option::Timestamp{static_cast<std::uint32_t>(*val), static_cast<std::uint32_t>(*ecr)};
  }
  if (c.consume_word("sack")) {
    option::Sack sack;
    c.skip_spaces();
    while (c.peek() >= '0' && c.peek() <= '9') {
      auto left = c.number("sack left edge", k32);
      if (!left) return tl::make_unexpected(left.error());
      if (!c.consume(':')) return tl::make_unexpected(c.error("expected ':' in sack block"));
      auto right = c.number("sack right edge", k32);
      if (!right) return tl::make_unexpected(right.error());
      sack.blocks.push_back(option::SackBlock{SeqNum{static_cast<std::uint32_t>(*left)},
                                              SeqNum{static_cast<std::uint32_t>(*right)}});
      c.skip_spaces();
    }
    if (sack.blocks.empty()) {
      return tl::make_unexpected(c.error("expected at least one sack block L:R"));
    }
    return sack;
  }
  if (c.consume_word("unknown-kind")) {
    c.skip_spaces();
    auto kind = c.number("option kind", k8);
    if (!kind) return tl::make_unexpected(kind.error());
    c.skip_spaces();
    if (!c.consume('[')) return tl::make_unexpected(c.error("expected '[' before option bytes"));
    auto data = c.hex("option bytes");
    if (!data) return tl::make_unexpected(data.error());
    if (!c.consume(']')) return tl::make_unexpected(c.error("expected ']' after option bytes"));
    return option::Unknown{static_cast<std::uint8_t>(*kind), std::move(*data)};
  }
  return tl::make_unexpected(c.error(fmt::format("unknown option '{}'", c.word())));
}

Result<std::vector<Option>> parse_options(Cursor& c) {
  std::vector<Option> options;
  c.skip_spaces();
  if (c.consume('>')) return options;
  while (true) {
    c.skip_spaces();
    auto option = parse_option(c);
    if (!option) return tl::make_unexpected(option.error());
    options.push_back(std::move(*option));
    c.skip_spaces();
    if (c.consume('>')) return options;
    if (!c.consume(',')) return tl::make_unexpected(c.error("expected ',' or '>' in option list"));
  }
}

Result<Segment> parse_tcp_part(Cursor& c, Segment seg) {
  constexpr std::uint64_t k16 = std::numeric_limits<std::uint16_t>::max();
  constexpr std::uint64_t k32 = std::numeric_limits<std::uint32_t>::max();
  c.skip_spaces();
  auto flags = parse_flags(c);
  if (!flags) return tl::make_unexpected(flags.error());
  seg.flags = *flags;
  c.skip_spaces();
  auto seq = c.number("seq", k32);
  if (!seq) return tl::make_unexpected(seq.error());
  if (!c.consume(':')) return tl::make_unexpected(c.error("expected ':' after seq"));
  const std::size_t end_column = c.column();
  auto end = c.number("end", k32);
  if (!end) return tl::make_unexpected(end.error());
  if (!c.consume('(')) return tl::make_unexpected(c.error("expected '(' after end"));
  // No IP packet carries more than 65535 bytes of TCP payload; the bound also keeps a typo from
  // allocating gigabytes of zeros.
  auto len = c.number("len", k16);
  if (!len) return tl::make_unexpected(len.error());
  if (!c.consume(')')) return tl::make_unexpected(c.error("expected ')' after len"));
  seg.seq = SeqNum{static_cast<std::uint32_t>(*seq)};
  const SeqLen length{static_cast<std::uint32_t>(*len)};
  if (seg.seq + length != SeqNum{static_cast<std::uint32_t>(*end)}) {
    return tl::make_unexpected(
        NotationError{end_column, fmt::format("end {} is not seq {} + len {}", *end, *seq, *len)});
  }
  bool have_ack = false;
  bool have_win = false;
  bool have_urg = false;
  bool have_options = false;
  std::optional<std::vector<std::uint8_t>> payload;
  const auto once = [](bool& seen, std::string_view what,
                       std::size_t column) -> std::optional<NotationError> {
    if (seen) return NotationError{column, fmt::format("'{}' given twice", what)};
    seen = true;
    return std::nullopt;
  };
  while (true) {
    c.skip_spaces();
    if (c.at_end()) break;
    const std::size_t column = c.column();
    if (c.consume_word("ack")) {
      if (auto e = once(have_ack, "ack", column)) return tl::make_unexpected(*e);
      c.skip_spaces();
      auto v = c.number("ack", k32);
      if (!v) return tl::make_unexpected(v.error());
      seg.ack = SeqNum{static_cast<std::uint32_t>(*v)};
    } else if (c.consume_word("win")) {
      if (auto e = once(have_win, "win", column)) return tl::make_unexpected(*e);
      c.skip_spaces();
      auto v = c.number("win", k16);
      if (!v) return tl::make_unexpected(v.error());
      seg.window = static_cast<std::uint16_t>(*v);
    } else if (c.consume_word("urg")) {
      if (auto e = once(have_urg, "urg", column)) return tl::make_unexpected(*e);
      c.skip_spaces();
      auto v = c.number("urg", k16);
      if (!v) return tl::make_unexpected(v.error());
      seg.urgent = static_cast<std::uint16_t>(*v);
    } else if (c.consume('<')) {
      if (auto e = once(have_options, "<options>", column)) return tl::make_unexpected(*e);
      auto options = parse_options(c);
      if (!options) return tl::make_unexpected(options.error());
      seg.options = std::move(*options);
    } else if (c.consume_word("payload")) {
      if (payload) return tl::make_unexpected(NotationError{column, "'payload' given twice"});
      c.skip_spaces();
      auto bytes = c.hex("payload");
      if (!bytes) return tl::make_unexpected(bytes.error());
      if (bytes->size() != length.value) {
        return tl::make_unexpected(NotationError{
            column, fmt::format("payload has {} bytes but len is {}", bytes->size(), *len)});
      }
      payload = std::move(*bytes);
    } else {
      return tl::make_unexpected(c.error(fmt::format("unexpected '{}'", c.word())));
    }
    if (!c.at_end() && c.peek() != ' ' && c.peek() != '\t') {
      return tl::make_unexpected(c.error(fmt::format("unexpected '{}'", c.word())));
    }
  }
  if (payload) {
    seg.payload = std::move(*payload);
  } else {
    seg.payload.assign(length.value, 0);
  }
  return seg;
}

// "192.0.2.1:80" or "[2001:db8::1]:80".
Result<Endpoint> parse_endpoint(std::string_view text, std::size_t column) {
  std::string_view address;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find("]:");
    if (close == std::string_view::npos) {
      return tl::make_unexpected(NotationError{column, "expected '[address]:port'"});
    }
    address = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return tl::make_unexpected(NotationError{column, "expected 'address:port'"});
    }
    address = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  auto ip = IpAddress::parse(address);
  if (!ip) return tl::make_unexpected(NotationError{column, ip.error()});
  Cursor c(port, column - 1 + static_cast<std::size_t>(port.data() - text.data()));
  auto number = c.number("port", std::numeric_limits<std::uint16_t>::max());
  if (!number) return tl::make_unexpected(number.error());
  if (!c.at_end()) return tl::make_unexpected(c.error("unexpected text after port"));
  return Endpoint{*ip, static_cast<std::uint16_t>(*number)};
}

}  // namespace

std::string NotationError::to_string() const {
  return fmt::format("column {}: {}", column, message);
}

std::string flags_to_notation(Flags flags) {
  if (flags.bits == 0) return "-";
  std::string out;
  for (const auto& fl : kFlagLetters) {
    if (flags.has(fl.flag)) out.push_back(fl.letter);
  }
  return out;
}

std::string options_to_notation(std::span<const Option> options) {
  if (options.empty()) return "";
  std::string out = "<";
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (i != 0) out.push_back(',');
    append_option(out, options[i]);
  }
  out.push_back('>');
  return out;
}

std::string to_notation(const Segment& segment, NotationOptions options) {
  const auto len = static_cast<std::uint32_t>(segment.payload.size());
  std::string out = fmt::format("{} {}:{}({})", flags_to_notation(segment.flags), segment.seq.value,
                                (segment.seq + SeqLen{len}).value, len);
  if (segment.flags.has(Flag::kAck) || segment.ack.value != 0) {
    out += fmt::format(" ack {}", segment.ack.value);
  }
  out += fmt::format(" win {}", segment.window);
  if (segment.flags.has(Flag::kUrg) || segment.urgent != 0) {
    out += fmt::format(" urg {}", segment.urgent);
  }
  if (!segment.options.empty()) {
    out.push_back(' ');
    out += options_to_notation(segment.options);
  }
  if (options.payload_bytes && !segment.payload.empty()) {
    out += " payload ";
    append_hex(out, segment.payload);
  }
  return out;
}

std::string to_notation_with_addresses(const Segment& segment, NotationOptions options) {
  return fmt::format("{} > {}: {}", Endpoint{segment.src, segment.sport}.to_string(),
                     Endpoint{segment.dst, segment.dport}.to_string(),
                     to_notation(segment, options));
}

tl::expected<Segment, NotationError> parse_notation(std::string_view text) {
  Cursor c(text, 0);
  return parse_tcp_part(c, Segment{});
}

tl::expected<Segment, NotationError> parse_notation_with_addresses(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  const std::size_t arrow = text.find(" > ", pos);
  if (arrow == std::string_view::npos) {
    return tl::make_unexpected(NotationError{pos + 1, "expected 'source > destination: '"});
  }
  const std::size_t dst_at = arrow + 3;
  const std::size_t colon = text.find(": ", dst_at);
  if (colon == std::string_view::npos) {
    return tl::make_unexpected(NotationError{dst_at + 1, "expected ': ' after the destination"});
  }
  auto src = parse_endpoint(text.substr(pos, arrow - pos), pos + 1);
  if (!src) return tl::make_unexpected(src.error());
  auto dst = parse_endpoint(text.substr(dst_at, colon - dst_at), dst_at + 1);
  if (!dst) return tl::make_unexpected(dst.error());
  if (src->address.version != dst->address.version) {
    return tl::make_unexpected(
        NotationError{dst_at + 1, "source and destination are of different IP versions"});
  }
  Segment seg;
  seg.src = src->address;
  seg.sport = src->port;
  seg.dst = dst->address;
  seg.dport = dst->port;
  Cursor c(text.substr(colon + 2), colon + 2);
  return parse_tcp_part(c, std::move(seg));
}

std::ostream& operator<<(std::ostream& os, const Segment& segment) {
  return os << to_notation_with_addresses(segment, {.payload_bytes = true}) << " ttl "
            << static_cast<unsigned>(segment.ttl);
}

}  // namespace tcpconform::wire
