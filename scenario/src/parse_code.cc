// `%{ … }%` blocks: `assert tcpi_<field> <op> <value>` lines are understood, the rest kept.
#include <fmt/format.h>

#include <limits>

#include "parser.h"

namespace tcpconform::scenario::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

struct Op {
  std::string_view text;
  engine::CompareOp op;
};
constexpr Op kOps[] = {{"==", engine::CompareOp::kEq}, {"!=", engine::CompareOp::kNe},
                       {"<=", engine::CompareOp::kLe}, {">=", engine::CompareOp::kGe},
                       {"<", engine::CompareOp::kLt},  {">", engine::CompareOp::kGt}};

}  // namespace

PResult<engine::CodeBlock> Parser::parse_code(const Token& code) {
  engine::CodeBlock block;
  block.text = std::string(code.text);
  std::uint32_t line = code.line;
  std::uint32_t column = code.column + 2;
  std::size_t start = 0;
  std::string_view text = code.text;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(start, end - start);
    const std::string_view stmt = trim(raw);
    const auto stmt_column =
        column + static_cast<std::uint32_t>(stmt.empty() ? 0 : stmt.data() - raw.data());
    if (!stmt.empty()) {
      bool understood = false;
      if (stmt.substr(0, 7) == "assert " && stmt.find(" tcpi_") != std::string_view::npos) {
        std::string_view rest = trim(stmt.substr(7));
        std::size_t n = 0;
        while (n < rest.size() && is_ident(rest[n])) ++n;
        const std::string_view field = rest.substr(0, n);
        rest = trim(rest.substr(n));
        const Op* op = nullptr;
        for (const Op& o : kOps) {
          if (rest.substr(0, o.text.size()) == o.text) {
            op = &o;
            break;
          }
        }
        if (field.substr(0, 5) == "tcpi_" && op != nullptr) {
          rest = trim(rest.substr(op->text.size()));
          // A trailing message (`, "why"`) is allowed and ignored.
          std::size_t m = 0;
          while (m < rest.size() && (is_ident(rest[m]))) ++m;
          const std::string_view value = rest.substr(0, m);
          const std::string_view tail = trim(rest.substr(m));
          engine::TcpInfoAssertion a;
          a.field = std::string(field);
          a.op = op->op;
          a.value_text = std::string(value);
          if (!value.empty() && (tail.empty() || tail.front() == ',' || tail.front() == '#')) {
            if (field == "tcpi_state") {
              a.state = state_from_name(value);
              if (!a.state) {
                return tl::unexpected(error_at(
                    line, stmt_column + static_cast<std::uint32_t>(value.data() - stmt.data()),
                    fmt::format("expected a TCP_<STATE> name, found '{}'", value)));
              }
              understood = true;
            } else if (const auto v = to_unsigned(
                           value,
                           static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
              a.value = static_cast<std::int64_t>(*v);
              understood = true;
            }
          }
          if (understood) block.assertions.push_back(std::move(a));
        }
      }
      if (!understood) block.unsupported.emplace_back(stmt);
    }
    if (end == text.size()) break;
    start = end + 1;
    ++line;
    column = 1;
  }
  return block;
}

}  // namespace tcpconform::scenario::detail
