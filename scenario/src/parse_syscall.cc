// System call lines: name(args) = result [ERRNO (note)], with packetdrill's argument expressions.
#include <fmt/format.h>

#include <limits>

#include "parser.h"

namespace tcpconform::scenario::detail {

PResult<std::int64_t> Parser::parse_signed_int(std::string_view what) {
  bool negative = false;
  if (peek().is('-')) {
    take();
    negative = true;
  }
  const Token& t = peek();
  if (t.kind != Tok::kInt) return tl::unexpected(expected(t, what));
  const auto v =
      to_unsigned(t.text, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!v) return tl::unexpected(expected(t, what, "out of range"));
  take();
  const auto value = static_cast<std::int64_t>(*v);
  return negative ? -value : value;
}

PResult<engine::Expr> Parser::parse_expr(int depth) {
  if (depth > kMaxExprDepth) {
    return tl::unexpected(
        error_at(peek(), fmt::format("arguments nested deeper than {} levels", kMaxExprDepth)));
  }
  auto first = parse_primary(depth);
  if (!first) return first;
  if (!peek().is('|')) return first;
  engine::Expr any_of;
  any_of.kind = engine::Expr::Kind::kOr;
  any_of.children.push_back(std::move(*first));
  while (peek().is('|')) {
    take();
    auto next = parse_primary(depth);
    if (!next) return next;
    any_of.children.push_back(std::move(*next));
  }
  return any_of;
}

PResult<engine::Expr> Parser::parse_primary(int depth) {
  using Kind = engine::Expr::Kind;
  engine::Expr e;
  const Token& t = peek();
  auto list = [&](char close, std::string_view what) -> Status {
    ++nesting_;
    if (peek().is(close)) {
      --nesting_;
      take();
      return {};
    }
    for (;;) {
      auto item = parse_expr(depth + 1);
      if (!item) return tl::unexpected(item.error());
      e.children.push_back(std::move(*item));
      if (peek().is(',')) {
        take();
        continue;
      }
      if (peek().is(close)) {
        --nesting_;
        take();
        return {};
      }
      return tl::unexpected(expected(peek(), what));
    }
  };
  if (t.kind == Tok::kEllipsis) {
    take();
    e.kind = Kind::kEllipsis;
    return e;
  }
  if (t.kind == Tok::kInt || t.is('-')) {
    const bool hex =
        t.kind == Tok::kInt && t.text.size() > 1 && (t.text[1] == 'x' || t.text[1] == 'X');
    auto v = parse_signed_int("a number");
    if (!v) return tl::unexpected(v.error());
    e.kind = Kind::kInt;
    e.value = *v;
    e.hex = hex;
    return e;
  }
  if (t.kind == Tok::kString) {
    e.kind = Kind::kString;
    e.text = std::string(t.text);
    take();
    return e;
  }
  if (t.kind == Tok::kIdent) {
    e.text = std::string(t.text);
    take();
    if (peek().is('(')) {
      take();
      e.kind = Kind::kCall;
      if (auto s = list(')', "',' or ')' in the arguments"); !s) return tl::unexpected(s.error());
      if (peek().is('=')) {  // msghdr fields: msg_iov(1)=[…]
        take();
        auto value = parse_expr(depth + 1);
        if (!value) return value;
        engine::Expr field;
        field.kind = Kind::kAssign;
        field.children.push_back(std::move(e));
        field.children.push_back(std::move(*value));
        return field;
      }
      return e;
    }
    if (peek().is('=')) {
      take();
      e.kind = Kind::kAssign;
      auto value = parse_expr(depth + 1);
      if (!value) return value;
      e.children.push_back(std::move(*value));
      return e;
    }
    e.kind = Kind::kWord;
    return e;
  }
  if (t.is('[')) {
    take();
    e.kind = Kind::kList;
    if (auto s = list(']', "',' or ']' in the list"); !s) return tl::unexpected(s.error());
    return e;
  }
  if (t.is('{')) {
    take();
    e.kind = Kind::kBraces;
    if (auto s = list('}', "',' or '}' in the structure"); !s) return tl::unexpected(s.error());
    return e;
  }
  return tl::unexpected(expected(t, "a system call argument"));
}

PResult<engine::SyscallSpec> Parser::parse_syscall() {
  engine::SyscallSpec spec;
  const Token name = take();
  if (!known_syscall(name.text)) {
    return tl::unexpected(expected(name, "a system call", "unknown system call"));
  }
  spec.name = std::string(name.text);
  if (!peek().is('(')) return tl::unexpected(expected(peek(), "'(' after the system call name"));
  take();
  ++nesting_;
  if (peek().is(')')) {
    take();
  } else {
    for (;;) {
      auto arg = parse_expr(1);
      if (!arg) return tl::unexpected(arg.error());
      spec.args.push_back(std::move(*arg));
      if (peek().is(',')) {
        take();
        continue;
      }
      if (peek().is(')')) {
        --nesting_;
        take();
        break;
      }
      return tl::unexpected(expected(peek(), "',' or ')' in the system call's arguments"));
    }
  }
  nesting_ = 0;
  if (!peek().is('=')) return tl::unexpected(expected(peek(), "'=' and the expected result"));
  take();
  if (peek().kind == Tok::kEllipsis) {
    take();
    spec.any_result = true;
  } else {
    auto result = parse_signed_int("the expected return value");
    if (!result) return tl::unexpected(result.error());
    spec.expected.value = *result;
  }
  if (peek().kind == Tok::kIdent) {
    const Token err = take();
    const auto number = errno_from_name(err.text);
    if (!number) return tl::unexpected(expected(err, "an errno name", "unknown errno name"));
    spec.errno_name = std::string(err.text);
    spec.expected.error = *number;
  }
  if (peek().is('(')) {
    const Token open = take();
    for (;;) {
      const Token& t = peek();
      if (t.kind == Tok::kNewline || t.kind == Tok::kEof || t.kind == Tok::kBackquoted ||
          t.kind == Tok::kCode || t.kind == Tok::kDirective || t.kind == Tok::kOption ||
          t.kind == Tok::kString || t.is('(')) {
        return tl::unexpected(expected(t, "')' closing the note"));
      }
      if (t.is(')')) {
        const char* begin = open.text.data() + 1;
        spec.note = std::string(begin, static_cast<std::size_t>(t.text.data() - begin));
        take();
        break;
      }
      take();
    }
  }
  // packetdrill requires a note after an errno name; when none was written, the description
  // stands in, so that printing (which must write one) and parsing again agree.
  if (spec.expected.error != 0 && spec.note.empty())
    spec.note = errno_description(spec.expected.error);
  if (spec.expected.error != 0 && spec.expected.value != -1) {
    return tl::unexpected(error_at(name, "an errno name needs the return value -1"));
  }
  map_syscall(spec);
  return spec;
}

}  // namespace tcpconform::scenario::detail
