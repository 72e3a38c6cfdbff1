// Tests of the scenario lexer: numbers around '...', flags, comments, backquotes, locations.
#include "lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tcpconform::scenario::detail {
namespace {

std::vector<Token> lex(std::string_view text) {
  Lexer lexer(text);
  std::vector<Token> out;
  for (int i = 0; i < 1000; ++i) {
    Token t = lexer.next();
    const bool end = t.kind == Tok::kEof;
    out.push_back(std::move(t));
    if (end) break;
  }
  return out;
}

std::vector<std::string> texts(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : lex(text)) {
    if (t.kind != Tok::kEof) out.emplace_back(t.text);
  }
  return out;
}

TEST(Lexer, BlockingTimeSplitsAroundEllipsis) {
  EXPECT_EQ(texts("+0...0.200"), (std::vector<std::string>{"+", "0", "...", "0.200"}));
  EXPECT_EQ(texts("+.1...0.2"), (std::vector<std::string>{"+", ".1", "...", "0.2"}));
  const auto tokens = lex("+.1...0.2");
  EXPECT_EQ(tokens[1].kind, Tok::kFloat);
  EXPECT_EQ(tokens[2].kind, Tok::kEllipsis);
  EXPECT_EQ(tokens[3].kind, Tok::kFloat);
}

TEST(Lexer, FlagsAreWordsAndDotsWithoutSpace) {
  const auto tokens = lex("> FP. 1:2(1)");
  ASSERT_GE(tokens.size(), 4U);
  EXPECT_EQ(tokens[1].text, "FP");
  EXPECT_TRUE(tokens[2].is('.'));
  EXPECT_FALSE(tokens[2].space_before);
  EXPECT_TRUE(tokens[3].space_before);
}

TEST(Lexer, HexNumbers) {
  const auto tokens = lex("0x70403 0XfF");
  EXPECT_EQ(tokens[0].kind, Tok::kInt);
  EXPECT_EQ(tokens[0].text, "0x70403");
  EXPECT_EQ(tokens[1].text, "0XfF");
}

TEST(Lexer, CommentsAreSkippedButNewlinesKept) {
  const auto tokens = lex("a // c\n/* x\ny */ b");
  ASSERT_EQ(tokens.size(), 4U);
  EXPECT_EQ(tokens[0].text, "a");
  EXPECT_EQ(tokens[1].kind, Tok::kNewline);
  EXPECT_EQ(tokens[2].text, "b");
  EXPECT_EQ(tokens[2].line, 3U);
  EXPECT_EQ(tokens[2].column, 6U);
}

TEST(Lexer, DirectiveIsTheRestOfTheLine) {
  const auto tokens = lex("//@ state fd 4 ESTABLISHED\nx");
  EXPECT_EQ(tokens[0].kind, Tok::kDirective);
  EXPECT_EQ(tokens[0].text, " state fd 4 ESTABLISHED");
  EXPECT_EQ(tokens[1].kind, Tok::kNewline);
}

TEST(Lexer, BackquotedMaySpanLines) {
  const auto tokens = lex("`../common/defaults.sh\n`\nx");
  EXPECT_EQ(tokens[0].kind, Tok::kBackquoted);
  EXPECT_EQ(tokens[0].text, "../common/defaults.sh\n");
  EXPECT_EQ(tokens[2].line, 3U);
}

TEST(Lexer, CodeBlock) {
  const auto tokens = lex("%{ assert tcpi_state == TCP_CLOSE }%");
  EXPECT_EQ(tokens[0].kind, Tok::kCode);
  EXPECT_EQ(tokens[0].text, " assert tcpi_state == TCP_CLOSE ");
}

TEST(Lexer, OptionLine) {
  const auto tokens = lex("--tolerance_usecs=10000  \n");
  EXPECT_EQ(tokens[0].kind, Tok::kOption);
  EXPECT_EQ(tokens[0].text, "tolerance_usecs=10000");
}

TEST(Lexer, UnterminatedCommentIsAnErrorToken) {
  const auto tokens = lex("a /* never");
  EXPECT_EQ(tokens[1].kind, Tok::kError);
  EXPECT_EQ(tokens[1].message, "unterminated comment");
  EXPECT_EQ(tokens[1].column, 3U);
}

TEST(Lexer, StringsKeepEscapes) {
  const auto tokens = lex(R"("a\"b")");
  EXPECT_EQ(tokens[0].kind, Tok::kString);
  EXPECT_EQ(tokens[0].text, R"(a\"b)");
}

TEST(Lexer, NonAsciiByteIsAnErrorTokenAndLexingContinues) {
  const auto tokens = lex("a \xff b");
  EXPECT_EQ(tokens[1].kind, Tok::kError);
  EXPECT_EQ(tokens[2].text, "b");
}

}  // namespace
}  // namespace tcpconform::scenario::detail
