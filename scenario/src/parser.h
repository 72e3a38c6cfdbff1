// The recursive-descent parser's shared state; one file per area implements its parts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "lexer.h"
#include "tcpconform/engine/program.h"
#include "tcpconform/scenario/parse.h"

namespace tcpconform::scenario::detail {

// Deepest nesting of brackets in a system call argument; deeper input is an error, so the
// recursion is bounded whatever the input.
inline constexpr int kMaxExprDepth = 32;

template <typename T>
using PResult = tl::expected<T, ParseError>;
using Status = tl::expected<void, ParseError>;

class Parser {
 public:
  Parser(std::string_view text, std::string_view file) : lexer_(text), file_(file) {}

  PResult<engine::Program> run();

  // Token access. peek() skips newlines while inside brackets (nesting_ > 0).
  const Token& peek();
  Token take();
  [[nodiscard]] bool at_statement_end();

  [[nodiscard]] ParseError expected(const Token& at, std::string_view what,
                                    std::string_view message = {}) const;
  [[nodiscard]] ParseError error_at(std::uint32_t line, std::uint32_t column,
                                    std::string message) const;
  [[nodiscard]] ParseError error_at(const Token& at, std::string message) const {
    return error_at(at.line, at.column, std::move(message));
  }
  Status expect_punct(char c, std::string_view what);
  Status expect_statement_end(std::string_view what);

  // Areas (parse_*.cc).
  PResult<engine::TimeSpec> parse_time();
  PResult<engine::PacketSpec> parse_packet();
  PResult<wire::Flags> parse_flags();
  Status parse_tcp_options(engine::PacketSpec& packet);
  PResult<engine::SyscallSpec> parse_syscall();
  PResult<engine::Expr> parse_expr(int depth);
  PResult<engine::Expr> parse_primary(int depth);
  PResult<std::int64_t> parse_signed_int(std::string_view what);
  PResult<std::uint64_t> parse_unsigned(std::string_view what, std::uint64_t max);
  PResult<engine::Action> parse_directive(const Token& directive);
  PResult<engine::CodeBlock> parse_code(const Token& code);

  // Nesting of brackets, for peek()'s newline skipping.
  int nesting_ = 0;

 private:
  Lexer lexer_;
  std::string file_;
  std::optional<Token> lookahead_;
};

// Describes a token for "found …" ("'Q'", "end of line", "end of file").
std::string describe(const Token& t);

// Numbers as written. Integers: decimal or 0x hex; nullopt on overflow past `max`.
std::optional<std::uint64_t> to_unsigned(std::string_view text, std::uint64_t max);
// Seconds ("0.2", ".1", "3") to microseconds, truncating past six decimals; nullopt on overflow.
std::optional<std::int64_t> seconds_to_usecs(std::string_view text);

// Linux errno names (EAGAIN, ECONNRESET, …) and numbers; a table local to scenario.
std::optional<int> errno_from_name(std::string_view name);
std::string_view errno_to_name(int error);
// "Connection refused" for ECONNREFUSED; the name when the C library has no description.
std::string errno_description(int error);

// Connection states in RFC ("FIN-WAIT-2") and Linux ("TCP_FIN_WAIT2", "FIN_WAIT2") spelling.
std::optional<model::State> state_from_name(std::string_view name);
std::string_view linux_state_name(model::State state);  // "TCP_FIN_WAIT2"

// Maps a parsed system call onto a model::SocketCall (and probe/expected value) when it can.
// Returns false with `why` set when the name is not a system call packetdrill knows.
bool known_syscall(std::string_view name);
void map_syscall(engine::SyscallSpec& spec);

// Recognises init helpers in a shell command (defaults.sh, set_sysctls.py, sysctl).
engine::ShellCommand interpret_shell(std::string_view text);

}  // namespace tcpconform::scenario::detail
