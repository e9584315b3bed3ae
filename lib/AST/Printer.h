//===- Printer.h - Dumping the AST
//-----------------------------------------===//
//
// `relc check --emit=ast`: the tree, one node per line, indented by depth,
// each with its `line:col`. Tests read it with FileCheck; `--no-locations`
// drops the positions so two parses of differently laid out text compare
// equal (the formatter's round-trip test).
//
//===----------------------------------------------------------------------===//
#ifndef RELC_AST_PRINTER_H
#define RELC_AST_PRINTER_H

#include "AST/AST.h"

namespace llvm {
class SourceMgr;
class raw_ostream;
} // namespace llvm

namespace relc::ast {

void printAST(const File &file, const llvm::SourceMgr &sm,
              llvm::raw_ostream &os, bool withLocations = true);

} // namespace relc::ast

#endif // RELC_AST_PRINTER_H
