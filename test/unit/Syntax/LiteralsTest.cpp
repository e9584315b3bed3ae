//===- LiteralsTest.cpp - The values of literal tokens --------------------===//
//
// Both plan parsers take the values of strings from stringLiteral
// (Transformer.cpp), so PlanParserTest cannot see a change in it: the parts
// of strings (literal text and placeholders) and their ranges are pinned
// here, and the errors it reports.
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

/// The string token \p token (quotes included): its value, then each part
/// with its byte range in the token, then each error with its range.
std::string describe(llvm::StringRef token) {
  auto at = [&](llvm::SMRange r) {
    return "@" + std::to_string(r.Start.getPointer() - token.data()) + "-" +
           std::to_string(r.End.getPointer() - token.data());
  };
  std::string errors;
  auto error = [&](DiagKind, llvm::SMRange r, const llvm::Twine &message) {
    errors += " error " + at(r) + " " + message.str();
  };
  llvm::SMRange whole(llvm::SMLoc::getFromPointer(token.begin()),
                      llvm::SMLoc::getFromPointer(token.end()));
  std::unique_ptr<ast::StringExpr> s = syntax::stringLiteral(whole, error);
  if (!s)
    return "null" + errors;
  std::string out = "'" + s->value + "'";
  for (const ast::StringExpr::Part &p : s->parts)
    out += std::string(p.isPlaceholder ? " ph '" : " lit '") + p.text + "' " +
           at(p.range);
  return out + errors;
}

/// Each string token and what describe() gives for it.
const std::pair<const char *, const char *> strings[] = {
    {R"("")", "''"},
    {R"("plain text")", "'plain text' lit 'plain text' @1-11"},
    {R"("a{b}c")", "'a{b}c' lit 'a' @1-2 ph 'b' @2-5 lit 'c' @5-6"},
    {R"("x\ty{{z")", "'x\ty{{z' lit 'x\ty{z' @1-8"},
    {R"("}}{a}")", "'}}{a}' lit '}' @1-3 ph 'a' @3-6"},
    {R"("pre{a.b|f}post")",
     "'pre{a.b|f}post' lit 'pre' @1-4 ph 'a.b|f' @4-11 lit 'post' @11-15"},
    // Errors: reported, and the string goes on, but for an unterminated
    // placeholder.
    {R"("x}y")", "'xy' lit 'xy' @1-4 error @2-3 unmatched '}' in string; "
                 "write '}}' for a literal brace"},
    {R"("a\qb")", "'aqb' lit 'aqb' @1-5 error @2-4 unknown escape sequence "
                  R"('\q' in string; escapes are \" \\ \n \t)"},
    {R"("a{b")", "null error @2-3 unterminated placeholder in string; write "
                 "'{{' for a literal brace"},
};

TEST(LiteralsTest, StringPartsRangesAndErrors) {
  for (auto [token, expected] : strings)
    EXPECT_EQ(describe(token), expected) << token;
}

} // namespace
