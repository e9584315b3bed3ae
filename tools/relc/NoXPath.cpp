//===- NoXPath.cpp - ANTLR's runtime without its XPath lexer --------------===//
//
// ANTLR's parser (Parser.o of the static runtime) pulls in its tree pattern
// matcher, the matcher XPath, and XPath its own generated lexer, whose
// static initialiser deserialises an ATN: 0.2 M instructions, a quarter of
// `relc --version`, at every start of every command. relc never evaluates
// an XPath or a tree pattern. Defining here the two XPathLexer symbols that
// XPath.o needs, the linker has no reason to take XPathLexer.o from the
// archive, and its initialiser is gone. Should anything ever construct an
// XPath lexer, it stops here.
//
//===----------------------------------------------------------------------===//
#include <cstdio>
#include <cstdlib>

extern "C" {
// XPathLexer::XPathLexer(antlr4::CharStream *), XPathLexer::~XPathLexer().
[[noreturn]] void
relcNoXPathLexer(void *,
                 void *) __asm__("_ZN10XPathLexerC1EPN6antlr410CharStreamE");
[[noreturn]] void
relcNoXPathLexerDestructor(void *) __asm__("_ZN10XPathLexerD1Ev");
}

[[noreturn]] static void noXPath() {
  std::fputs("relc: internal error: ANTLR's XPath is not part of relc\n",
             stderr);
  std::abort();
}

void relcNoXPathLexer(void *, void *) { noXPath(); }
void relcNoXPathLexerDestructor(void *) { noXPath(); }
