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

#include <vector>

namespace relc::syntax {

/// ANTLR counts code points; relc reports bytes. For ASCII text (the common
/// case) the map is the identity and holds no table.
class TextMap {
public:
  explicit TextMap(llvm::StringRef text);
  const char *at(size_t codePointIndex) const {
    if (offsets.empty())
      return text.data() + std::min(codePointIndex, text.size());
    return text.data() + offsets[std::min(codePointIndex, offsets.size() - 1)];
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
  std::vector<uint32_t> offsets; ///< Empty when the text is ASCII.
};

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
