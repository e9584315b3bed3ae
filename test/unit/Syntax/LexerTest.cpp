//===- LexerTest.cpp - relc's lexer gives ANTLR's tokens ------------------===//
//
// lib/Syntax/Lexer.cpp replaces the lexer ANTLR generates from
// grammar/RelPlan.g4, which stays the reference: on every plan of the
// repository (the plan fuzz target's seeds), on texts made to hit the
// corners of the lexer rules, and on random texts made of the grammar's
// pieces, both must give the same tokens: type, text, line, column,
// channel and code-point span.
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

#include "SourceInputs.h"

#include "RelPlanLexer.h"

#include "llvm/Support/ConvertUTF.h"

#include "gtest/gtest.h"

#include <random>

using namespace relc;
using namespace relc::syntax;

namespace {

std::string describe(antlr4::TokenSource &source) {
  std::string out;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = source.nextToken();
    out += std::to_string(static_cast<long>(t->getType())) + " " +
           std::to_string(t->getLine()) + ":" +
           std::to_string(t->getCharPositionInLine()) + " ch" +
           std::to_string(t->getChannel()) + " [" +
           std::to_string(t->getStartIndex()) + "," +
           std::to_string(static_cast<long>(t->getStopIndex())) + "] '" +
           t->getText() + "'\n";
    if (t->getType() == antlr4::Token::EOF)
      return out;
  }
}

/// Tokens as lex() gives them, in bytes: type, channel, span and text.
std::string describeBytes(llvm::StringRef text, llvm::ArrayRef<Lexeme> tokens) {
  std::string out;
  for (const Lexeme &t : tokens)
    out += std::to_string(static_cast<long>(t.type)) + " ch" +
           std::to_string(t.hidden() ? antlr4::Token::HIDDEN_CHANNEL
                                     : antlr4::Token::DEFAULT_CHANNEL) +
           " [" + std::to_string(t.start) + "," + std::to_string(t.end) +
           ") '" + text.slice(t.start, t.end).str() + "'\n";
  return out;
}

/// The same of an ANTLR token source, its code points taken to bytes.
std::string describeBytes(llvm::StringRef text, antlr4::TokenSource &source) {
  TextMap map(text);
  std::vector<Lexeme> tokens;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = source.nextToken();
    llvm::SMRange r = map.range(t.get());
    tokens.push_back({t->getType(), size_t(r.Start.getPointer() - text.data()),
                      size_t(r.End.getPointer() - text.data())});
    // Lexeme::hidden() says the channel; hold it to ANTLR's.
    EXPECT_EQ(tokens.back().hidden(),
              t->getChannel() == antlr4::Token::HIDDEN_CHANNEL);
    if (t->getType() == antlr4::Token::EOF)
      return describeBytes(text, tokens);
  }
}

/// The tokens of \p text from ANTLR's lexer and from relc's; lex(), which
/// counts bytes, must give ANTLR's tokens too.
std::pair<std::string, std::string> bothLexers(llvm::StringRef text) {
  CodePointStream antlrInput(text), relcInput(text), bytesInput(text);
  RelPlanLexer antlrLexer(&antlrInput), bytesLexer(&bytesInput);
  antlrLexer.removeErrorListeners();
  bytesLexer.removeErrorListeners();
  PlanLexer relcLexer(relcInput);
  EXPECT_EQ(describeBytes(text, bytesLexer), describeBytes(text, lex(text)))
      << text.str();
  return {describe(antlrLexer), describe(relcLexer)};
}

TEST(LexerTest, SameTokensOnEveryPlan) {
  std::vector<test::Input> inputs;
  for (llvm::StringRef dir : {"plans", "test"})
    for (test::Input &in : test::sourceInputs(dir, {".relplan"}))
      inputs.push_back(std::move(in));
  ASSERT_GE(inputs.size(), 200u);
  for (const test::Input &in : inputs) {
    auto [antlr, relc] = bothLexers(in.text);
    EXPECT_EQ(antlr, relc) << in.name;
  }
}

TEST(LexerTest, SameTokensOnCorners) {
  const char *texts[] = {
      "",
      " ",
      "\n\n",
      "release releases release-2 git.branch git.branchx",
      "git.tag git.tagx git.commit git. git",
      "2024-06-10 2024-6-10 2024-06-1",
      "1 GiB 1GiB 1.5 MiB 1.5B 2 \t KB 3 K 4B 5 b 6.x 7. 8..9 1.2.3",
      "3d 2w 12h 30m 45s 3dev 3.dev1 1.0a 1.0alpha 1.0alphax 1.0-rc.1",
      "1.0preview 1.0pre2 1.0c 1.0b1.post2.dev3+abc.d-e_f 3.13t 1!2.0 1!",
      "1.0+ 1.0+a. 1.0+a.t 1.0.post 1.0-post-1 1.0_dev_ 2.4.0rc1t",
      "\"a\" \"a\\\"b\" \"unterminated\n\"x\\\n\"y\\",
      "\"\\\"",
      "// c\n/* b */ /* b ** */ /**/ /*/ x */ /* ** / */ /* open ** ",
      "/* a *",
      "/*",
      "/",
      "a/b",
      "= == += + .. . ... != ! <= >= < > - -- --x",
      "a-b a--b a- -a _x x_ x-1 x-_",
      // A keyword against the identifier it begins or spells.
      "in include includes in-x is_ on_ or-and not- pin_ once.x projects",
      "recipe recipes record records with within after-x until_ git-x",
      // A version against each character that can or cannot go on from it.
      "3.10, 3.10] 3.10; 3.10) 3.10\n12.4rc1 12.4t 1.2.3.4.5x 1.2Q 1.2e",
      "1.2d 1.2p 1.2r 1.2c 1.2a 1.2b 1.2_ 1.2- 1.2! 1.2+ 1.2.x 1.2.t 1.2T",
      "1 KiB, 1 X 1\tB 1.5Q 1.5 TiBx 2 M",
      "{}()[],:;",
      "caf\xc3\xa9 \xe2\x8a\x86 @ # $",
      "\r\n\f\t x\r\ny",
      "\xef\xbb\xbf x",
      "0000-00-00x 12345-01-01",
      // Not UTF-8 (a model's condition is not checked first).
      "a\xff b",
      "\"x\xc3\" \xe2\x8a y",
      "// \xff\n\xc0\xaf",
  };
  for (const char *t : texts) {
    auto [antlr, relc] = bothLexers(t);
    EXPECT_EQ(antlr, relc) << t;
  }
}

TEST(LexerTest, SameTokensOnRandomTexts) {
  const char *pieces[] = {
      "release", "git", ".", "branch", "-",  "_",     "1",   "0",
      "2024",    "06",  "a", "b",      "rc", "alpha", "pre", "view",
      "post",    "dev", "t", "+",      "!",  "=",     "/",   "*",
      "\"",      "\\",  " ", "\n",     "\t", "GiB",   "B",   "K",
      "d",       "w",   "x", "9",      "{",  ";",     "<",   "\xc3\xa9"};
  std::mt19937 rng(20240610);
  for (int i = 0; i < 3000; ++i) {
    std::string text = test::randomText(rng, pieces, 12);
    auto [antlr, relc] = bothLexers(text);
    ASSERT_EQ(antlr, relc) << text;
  }
}

/// The code points of \p text as ANTLR's input stream held them before
/// CodePointStream copied ASCII runs: one conversion of the whole text.
std::u32string wholeConversion(llvm::StringRef text) {
  std::u32string out(text.size(), 0);
  const auto *src = text.bytes_begin();
  auto *begin = reinterpret_cast<llvm::UTF32 *>(&out[0]), *dst = begin;
  llvm::ConvertUTF8toUTF32(&src, text.bytes_end(), &dst, begin + out.size(),
                           llvm::lenientConversion);
  out.resize(dst - begin);
  return out;
}

TEST(LexerTest, CodePointsAsOneConversion) {
  std::vector<std::string> texts = {
      "", "abc", "caf\xc3\xa9", "\xe2\x8a\x86 x \xf0\x9f\x98\x80y",
      // Not UTF-8 (source files are checked first, conditions of models are
      // not): the same replacement characters either way.
      "a\xff", "\xc3", "\xc3(", "x\xe2\x8a", "\xe2\x8a\xe2\x8a\x86",
      "\x80\x80\x61", "\xed\xa0\x80", "\xf4\x90\x80\x80z", "\xc0\xaf"};
  for (test::Input &in : test::sourceInputs("plans", {".relplan", ".yaml"}))
    texts.push_back(std::move(in.text));
  std::mt19937 rng(20240909);
  const char *pieces[] = {"a",    " ",    "\xc3", "\xa9", "\xe2", "\x8a",
                          "\x86", "\xf0", "\x9f", "\xff", "\n"};
  for (int i = 0; i < 2000; ++i)
    texts.push_back(test::randomText(rng, pieces, 8));
  for (const std::string &t : texts)
    ASSERT_EQ(CodePointStream(t).codePoints(), wholeConversion(t)) << t;
}

} // namespace
