//===- SyntaxImpl.h - Shared internals of lib/Syntax
//-----------------------===//
//
// Private to lib/Syntax: the map from ANTLR's code-point positions to bytes of
// the SourceMgr buffer, and the transformer from parse tree to AST. Nothing
// outside lib/Syntax includes this header, so ANTLR types stay here.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_SYNTAX_SYNTAXIMPL_H
#define RELC_SYNTAX_SYNTAXIMPL_H

#include "AST/AST.h"
#include "Basic/Diagnostics.h"

#include "RelPlanParser.h"
#include "antlr4-runtime.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>
#include <vector>

namespace relc::syntax {

/// ANTLR counts code points; relc reports bytes. For ASCII text (the common
/// case) the map is the identity and holds no table; otherwise it holds one
/// entry per character that is not ASCII, not one per character of the text.
class TextMap {
public:
  explicit TextMap(llvm::StringRef text);
  const char *at(size_t codePointIndex) const {
    size_t byte = codePointIndex;
    auto after = std::upper_bound(
        shifts.begin(), shifts.end(), codePointIndex,
        [](size_t i, const Shift &s) { return i < s.codePoint; });
    if (after != shifts.begin())
      byte += std::prev(after)->bytes;
    return text.data() + std::min(byte, text.size());
  }
  llvm::SMLoc loc(size_t codePointIndex) const {
    return llvm::SMLoc::getFromPointer(at(codePointIndex));
  }
  /// The bytes a token spans, end exclusive.
  llvm::SMRange range(const antlr4::Token *token) const;
  /// From the first token of \p ctx to the end of its last.
  llvm::SMRange range(antlr4::ParserRuleContext *ctx) const;
  /// Just past the end of \p token: where a missing token belongs.
  llvm::SMLoc after(const antlr4::Token *token) const;

private:
  llvm::StringRef text;
  /// From code point \p codePoint on, a character's byte offset is its index
  /// plus \p bytes: the continuation bytes (10xxxxxx) before it.
  struct Shift {
    size_t codePoint, bytes;
  };
  std::vector<Shift> shifts; ///< By code point; empty when the text is ASCII.
};

/// The text as the lexer reads it, a UTF-32 code unit per character.
/// ANTLRInputStream copies the text into a std::string and widens it
/// through std::codecvt, which took longer than lexing a large plan.
// Filling _data directly also keeps a U+FEFF that is text: ANTLR's own
// loading drops a leading one, which would shift every later location
// (relc drops only the byte order mark a file starts with, in sourceText).
class CodePointStream : public antlr4::ANTLRInputStream {
public:
  explicit CodePointStream(llvm::StringRef text);
  const std::u32string &codePoints() const { return _data; }
};

/// A token of grammar/RelPlan.g4's lexer rules as relc's lexer gives it:
/// its type and where it is, without ANTLR's token object. The written-out
/// parsers need no more, and making ANTLR's tokens was a fifth of checking
/// PyTorch's plan.
struct Lexeme {
  size_t type;
  /// [start, end) in the scanner's code units: bytes of the text from
  /// lex(). EOF is empty, at the end.
  size_t start, end;
  /// On ANTLR's hidden channel: comments. Whitespace is skipped, and
  /// everything else, lexical errors too, is on the default channel.
  bool hidden() const {
    return type == RelPlanParser::LINE_COMMENT ||
           type == RelPlanParser::BLOCK_COMMENT;
  }
  /// The token's bytes, for a Lexeme of lex(text).
  llvm::SMRange range(llvm::StringRef text) const {
    return {llvm::SMLoc::getFromPointer(text.data() + start),
            llvm::SMLoc::getFromPointer(text.data() + end)};
  }
};

/// The tokens of grammar/RelPlan.g4's lexer rules, without ANTLR's lexer
/// (Lexer.cpp says why), over code units of \p Char: the bytes of UTF-8
/// text, or the code points ANTLR counts.
template <typename Char> class PlanScanner {
public:
  PlanScanner(const Char *begin, const Char *end) : begin(begin), end(end) {}
  /// The next token that is not whitespace; at the end, EOF each time.
  Lexeme next();
  /// Where the token next() gave starts, as ANTLR counts: lines from 1,
  /// columns in code units from 0.
  size_t tokenLine() const { return startLine; }
  size_t tokenColumn() const { return startColumn; }
  /// Where the scan is.
  size_t getLine() const { return line; }
  size_t getColumn() const { return column; }

private:
  /// Past one code unit, keeping count of lines and columns.
  void step();

  const Char *begin, *end;
  size_t pos = 0, line = 1, column = 0;
  size_t startLine = 1, startColumn = 0;
};

/// The tokens of \p text, EOF last: what RelPlanLexer would give, token for
/// token, with byte offsets where ANTLR counts code points.
std::vector<Lexeme> lex(llvm::StringRef text);

/// The same tokens as ANTLR's, for ANTLR's parser.
class PlanLexer : public antlr4::TokenSource {
public:
  explicit PlanLexer(CodePointStream &input);
  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return scanner.getLine(); }
  size_t getCharPositionInLine() override { return scanner.getColumn(); }
  antlr4::CharStream *getInputStream() override { return input; }
  std::string getSourceName() override { return input->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

private:
  CodePointStream *input;
  PlanScanner<char32_t> scanner;
};

/// The value of a VERSION or INT token spelled \p spelled (`3.13t` is 3.13,
/// free-threaded). If it is not PEP 440, \p err says why and the value is
/// Version().
std::unique_ptr<ast::VersionExpr>
versionExpr(llvm::StringRef spelled, llvm::SMRange range, std::string &err);

/// The text of \p r, a range within one buffer.
inline llvm::StringRef spelling(llvm::SMRange r) {
  return {r.Start.getPointer(),
          size_t(r.End.getPointer() - r.Start.getPointer())};
}

/// Where the conversion of a literal reports what is wrong with it: the
/// Transformer reports to the engine, the written-out plan parser declines
/// the file (PlanParser.cpp).
using LiteralError =
    llvm::function_ref<void(DiagKind, llvm::SMRange, const llvm::Twine &)>;

// The values of the literal tokens, each from the token's range. Each gives
// a node even after an error, except a string with an unterminated
// placeholder (nullptr).
std::unique_ptr<ast::StringExpr> stringLiteral(llvm::SMRange token,
                                               LiteralError error);
std::unique_ptr<ast::VersionExpr> versionLiteral(llvm::SMRange token,
                                                 LiteralError error);
ast::ExprPtr dateLiteral(llvm::SMRange token, LiteralError error);
ast::ExprPtr durationLiteral(llvm::SMRange token, LiteralError error);
ast::ExprPtr sizeLiteral(llvm::SMRange token, LiteralError error);

/// The comparison a comparator's first token of type \p type makes
/// (`is`: Is, which a `not` after it makes IsNot), if it starts one.
std::optional<ast::CompareCondition::Op> comparatorOp(size_t type);

/// Whether a token of type \p type is one the grammar's `name` rule takes.
bool isNameToken(size_t type);

/// Parses a condition, as Parser.cpp's parseCondition does, if it is
/// well-formed ASCII text whose values are names and versions: the AST that
/// ANTLR's parser and the Transformer give, range for range. Returns nullptr,
/// reporting nothing, for any other text; that text is left to ANTLR's
/// parser, which words every error (ConditionParser.cpp says why).
ast::ConditionPtr parseSimpleCondition(llvm::StringRef text);

/// Parses the tokens of a plan file (\p tokens, every channel, ending in
/// EOF; lexically clean) as grammar/RelPlan.g4's `planFile` rule with the
/// Transformer would, node for node and range for range, without ANTLR's
/// parser. Returns nullptr, reporting nothing, for any text it does not
/// take: every syntax error, a literal the Transformer would report, nesting
/// past its own bound, a construct it leaves to ANTLR (PlanParser.cpp says
/// which). The file's path, buffer and comments are left for the caller.
std::unique_ptr<ast::File> parseWrittenOutPlan(llvm::ArrayRef<Lexeme> tokens,
                                               llvm::StringRef text);

/// parseCondition's reference: ANTLR's parser, the Transformer, and relc's
/// wording of every error.
ast::ConditionPtr parseConditionWithANTLR(DiagnosticEngine &diags,
                                          llvm::StringRef text);

/// Builds the AST from a parse tree that parsed without errors. Literal
/// values that the grammar accepts but that are still wrong (2024-02-30,
/// a bad placeholder) are reported; the result is then nullptr.
std::unique_ptr<ast::File> transform(RelPlanParser::PlanFileContext *tree,
                                     const TextMap &map,
                                     DiagnosticEngine &diags);

/// Builds a condition from a parse tree that parsed without errors.
ast::ConditionPtr transform(RelPlanParser::ConditionTextContext *tree,
                            const TextMap &map, DiagnosticEngine &diags);

} // namespace relc::syntax

#endif // RELC_SYNTAX_SYNTAXIMPL_H
