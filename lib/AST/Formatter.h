//===- Formatter.h - The canonical layout of a plan
//------------------------===//
//
// `relc fmt` prints the AST back as text in one canonical layout: two-space
// indent, one statement per line, one space around binary operators, at most
// one blank line kept between statements, block items always set apart, and
// every comment kept next to the statement it was written beside. The
// canonical spelling of each construct is also what diagnostics and the AST
// dump show, so it lives here once.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_AST_FORMATTER_H
#define RELC_AST_FORMATTER_H

#include "AST/AST.h"

#include <string>

namespace relc::ast {

/// The whole file in canonical layout.
std::string formatFile(const File &file);

/// Canonical source spelling of one construct.
std::string toSource(const Expr &expr);
std::string toSource(const Value &value);
std::string toSource(const Condition &cond);
std::string toSource(const AxisValue &value);
std::string toSource(const Binding &binding);
std::string quote(llvm::StringRef text);

} // namespace relc::ast

#endif // RELC_AST_FORMATTER_H
