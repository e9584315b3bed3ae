//===- Parser.h - From plan text to AST
//------------------------------------===//
//
// The entry point of lib/Syntax, the only code in relc that sees ANTLR. A
// plan file is parsed first by a written-out parser (PlanParser.cpp), which
// takes well-formed files only and reports nothing; any other file goes to
// ANTLR's parser, which runs in two stages: SLL prediction with a bail-out
// error strategy (fast, and exact for a grammar without predicates), and only
// if that fails, full LL with relc's own error reporting, which words each
// error in terms of the plan ("expected ';' after the branch cut date") and
// recovers to report later independent errors too.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_SYNTAX_PARSER_H
#define RELC_SYNTAX_PARSER_H

#include "AST/AST.h"
#include "Basic/Diagnostics.h"

#include <memory>

namespace relc {

struct ParseOptions {
  /// Deepest bracket nesting accepted; deeper input is refused before the
  /// (recursive) parser sees it.
  unsigned maxNesting = 256;
  /// Parse a well-formed text once more, with full LL and ANTLR's profiler,
  /// to fill ParseStats::llFallbacks. For tests of the grammar; slow.
  bool profile = false;
  /// Parse with ANTLR's parser even a file the written-out parser
  /// (PlanParser.cpp) would take: for tests that hold one to the other, or
  /// the grammar to its own standards.
  bool antlrOnly = false;
};

/// What the parse cost, for tests and benchmarks of parser health.
struct ParseStats {
  /// The written-out parser gave the file; ANTLR's parser did not run.
  bool writtenOut = false;
  bool usedFullLL = false; ///< SLL failed and the file was parsed again.
  size_t tokens = 0;
  /// With ParseOptions::profile: how many predictions met an SLL conflict
  /// that only full-context (LL) prediction could settle. SLL alone picks
  /// the lowest alternative there, which may not be LL's; for the SLL stage
  /// to be exact on a text, this must be 0.
  size_t llFallbacks = 0;
  /// The grammar rule of each decision that fell back, for messages.
  std::vector<std::string> llFallbackRules;
};

/// Parses the buffer \p bufferId of the engine's SourceMgr. Returns nullptr
/// after reporting at least one error.
std::unique_ptr<ast::File> parseBuffer(DiagnosticEngine &diags,
                                       unsigned bufferId,
                                       const ParseOptions &options = {},
                                       ParseStats *stats = nullptr);

/// Parses \p text, a condition held inside a buffer of the engine's
/// SourceMgr (a rule of a compatibility model written in YAML), so that
/// diagnostics point into that buffer. Returns nullptr after reporting.
ast::ConditionPtr parseCondition(DiagnosticEngine &diags, llvm::StringRef text);

} // namespace relc

#endif // RELC_SYNTAX_PARSER_H
