// The hand-written lexer: comments, numbers, words, strings, backquotes, code blocks, options.
#include "lexer.h"

namespace tcpconform::scenario::detail {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident(char c) {
  return is_ident_start(c) || is_digit(c);
}

}  // namespace

void Lexer::advance(std::size_t n) {
  for (std::size_t i = 0; i < n && pos_ < text_.size(); ++i) {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
}

Token Lexer::make(Tok kind, std::uint32_t line, std::uint32_t column, std::size_t text_begin,
                  std::size_t text_end) {
  Token t;
  t.kind = kind;
  t.text = text_.substr(text_begin, text_end - text_begin);
  t.line = line;
  t.column = column;
  t.space_before = space_;
  space_ = false;
  return t;
}

Token Lexer::next() {
  // Skip blanks and comments (but not newlines).
  for (;;) {
    const char c = at(pos_);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      advance(1);
      space_ = true;
      continue;
    }
    if (c == '/' && at(pos_ + 1) == '/' && at(pos_ + 2) != '@') {
      while (pos_ < text_.size() && text_[pos_] != '\n') advance(1);
      space_ = true;
      continue;
    }
    if (c == '/' && at(pos_ + 1) == '*') {
      const std::uint32_t line = line_;
      const std::uint32_t column = column_;
      const std::size_t end = text_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        Token t = make(Tok::kError, line, column, pos_, pos_ + 2);
        t.message = "unterminated comment";
        advance(text_.size() - pos_);
        return t;
      }
      advance(end + 2 - pos_);
      space_ = true;
      continue;
    }
    break;
  }

  const std::size_t begin = pos_;
  const std::uint32_t line = line_;
  const std::uint32_t column = column_;
  const char c = at(pos_);

  if (pos_ >= text_.size()) return make(Tok::kEof, line, column, begin, begin);

  if (c == '\n') {
    advance(1);
    Token t = make(Tok::kNewline, line, column, begin, begin + 1);
    space_ = true;
    return t;
  }

  // `//@ directive` up to the end of the line.
  if (c == '/' && at(pos_ + 1) == '/' && at(pos_ + 2) == '@') {
    std::size_t end = pos_ + 3;
    while (end < text_.size() && text_[end] != '\n') ++end;
    Token t = make(Tok::kDirective, line, column, begin + 3, end);
    advance(end - pos_);
    return t;
  }

  // `--name=value` up to the end of the line (or a `//` comment).
  if (c == '-' && at(pos_ + 1) == '-' && is_ident_start(at(pos_ + 2))) {
    std::size_t end = pos_ + 2;
    while (end < text_.size() && text_[end] != '\n' &&
           !(text_[end] == '/' && end + 1 < text_.size() && text_[end + 1] == '/')) {
      ++end;
    }
    std::size_t trimmed = end;
    while (trimmed > pos_ + 2 && (text_[trimmed - 1] == ' ' || text_[trimmed - 1] == '\t' ||
                                  text_[trimmed - 1] == '\r')) {
      --trimmed;
    }
    Token t = make(Tok::kOption, line, column, begin + 2, trimmed);
    advance(end - pos_);
    return t;
  }

  if (c == '`') {
    const std::size_t end = text_.find('`', pos_ + 1);
    if (end == std::string_view::npos) {
      Token t = make(Tok::kError, line, column, begin, begin + 1);
      t.message = "unterminated shell command (missing closing '`')";
      advance(text_.size() - pos_);
      return t;
    }
    Token t = make(Tok::kBackquoted, line, column, begin + 1, end);
    advance(end + 1 - pos_);
    return t;
  }

  if (c == '%' && at(pos_ + 1) == '{') {
    const std::size_t end = text_.find("}%", pos_ + 2);
    if (end == std::string_view::npos) {
      Token t = make(Tok::kError, line, column, begin, begin + 2);
      t.message = "unterminated code block (missing '}%')";
      advance(text_.size() - pos_);
      return t;
    }
    Token t = make(Tok::kCode, line, column, begin + 2, end);
    advance(end + 2 - pos_);
    return t;
  }

  if (c == '"') {
    std::size_t end = pos_ + 1;
    while (end < text_.size() && text_[end] != '"' && text_[end] != '\n') {
      if (text_[end] == '\\' && end + 1 < text_.size() && text_[end + 1] != '\n') ++end;
      ++end;
    }
    if (end >= text_.size() || text_[end] != '"') {
      Token t = make(Tok::kError, line, column, begin, begin + 1);
      t.message = "unterminated string";
      advance(end - pos_);
      return t;
    }
    Token t = make(Tok::kString, line, column, begin + 1, end);
    advance(end + 1 - pos_);
    return t;
  }

  if (c == '.' && at(pos_ + 1) == '.' && at(pos_ + 2) == '.') {
    Token t = make(Tok::kEllipsis, line, column, begin, begin + 3);
    advance(3);
    return t;
  }

  // Numbers: 0x1f, 12, 12.5, .5 (a '.' not followed by a digit ends the number, so "0...1" is
  // 0, ..., 1).
  if (c == '0' && (at(pos_ + 1) == 'x' || at(pos_ + 1) == 'X') && is_hex(at(pos_ + 2))) {
    std::size_t end = pos_ + 2;
    while (is_hex(at(end))) ++end;
    Token t = make(Tok::kInt, line, column, begin, end);
    advance(end - pos_);
    return t;
  }
  if (is_digit(c) || (c == '.' && is_digit(at(pos_ + 1)))) {
    std::size_t end = pos_;
    while (is_digit(at(end))) ++end;
    Tok kind = Tok::kInt;
    if (at(end) == '.' && is_digit(at(end + 1))) {
      kind = Tok::kFloat;
      ++end;
      while (is_digit(at(end))) ++end;
    }
    Token t = make(kind, line, column, begin, end);
    advance(end - pos_);
    return t;
  }

  if (is_ident_start(c)) {
    std::size_t end = pos_;
    while (is_ident(at(end))) ++end;
    Token t = make(Tok::kIdent, line, column, begin, end);
    advance(end - pos_);
    return t;
  }

  switch (c) {
    case '<':
    case '>':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case ',':
    case ':':
    case '=':
    case '|':
    case '+':
    case '*':
    case '~':
    case '.':
    case '-':
    case ';':
    case '!': {
      Token t = make(Tok::kPunct, line, column, begin, begin + 1);
      advance(1);
      return t;
    }
    default: break;
  }
  // Any other byte (UTF-8 included) is an error token of one byte.
  Token t = make(Tok::kError, line, column, begin, begin + 1);
  t.message = "unexpected character";
  advance(1);
  return t;
}

}  // namespace tcpconform::scenario::detail
