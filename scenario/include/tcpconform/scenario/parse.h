// Parsing packetdrill scripts (the connection-state subset, plus tcpconform's `//@` lines).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "tcpconform/engine/program.h"

namespace tcpconform::scenario {

// Where and why a script is malformed. `expected`/`found` are set for "expected X, found Y"
// errors (found is quoted text, "end of line" or "end of file"); `message` otherwise, or as
// extra detail.
struct ParseError {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string expected;
  std::string found;
  std::string message;

  friend bool operator==(const ParseError&, const ParseError&) = default;
  // "foo.pkt:12:7: expected packet flags, found 'Q'".
  [[nodiscard]] std::string to_string() const;
};

template <typename T>
using Result = tl::expected<T, ParseError>;

// Parses a whole script. `file` names it in errors and in step locations. Never throws and never
// crashes on any input; nesting is bounded.
[[nodiscard]] Result<engine::Program> parse(std::string_view text,
                                            std::string_view file = "<script>");

// Reads and parses a file; an unreadable file is a ParseError at line 0.
[[nodiscard]] Result<engine::Program> parse_file(const std::filesystem::path& path);

}  // namespace tcpconform::scenario
