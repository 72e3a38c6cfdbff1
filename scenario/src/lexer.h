// Tokens of the packetdrill script language, produced on demand with line and column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tcpconform::scenario::detail {

enum class Tok : std::uint8_t {
  kEof,
  kNewline,
  kInt,         // 42, 0x1f
  kFloat,       // 0.1, .1
  kIdent,       // letters, digits and '_' (not starting with a digit)
  kString,      // "…" (text excludes the quotes)
  kBackquoted,  // `…` (text excludes the backquotes; may span lines)
  kCode,        // %{ … }% (text excludes the delimiters; may span lines)
  kOption,      // --name[=value] (text excludes the dashes; up to end of line)
  kDirective,   // //@ … (text is the rest of the line after "//@")
  kEllipsis,    // ...
  kPunct,       // one character: < > ( ) [ ] { } , : = | + * ~ . - ; !
  kError,       // a lexical error: text is the message
};

struct Token {
  Tok kind = Tok::kEof;
  std::string_view text;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  bool space_before = false;  // whitespace (or a comment) separates it from the previous token
  std::string message;        // kError only

  [[nodiscard]] bool is(char c) const {
    return kind == Tok::kPunct && text.size() == 1 && text[0] == c;
  }
  [[nodiscard]] bool is_word(std::string_view w) const { return kind == Tok::kIdent && text == w; }
};

// Splits a script into tokens. `//` and `/* */` comments are skipped (a `//@` comment is a
// kDirective); newlines are tokens, because a statement ends at the end of its line.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Token next();

 private:
  [[nodiscard]] char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
  void advance(std::size_t n);
  Token make(Tok kind, std::uint32_t line, std::uint32_t column, std::size_t text_begin,
             std::size_t text_end);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
  bool space_ = true;
};

}  // namespace tcpconform::scenario::detail
