//===- DiagnosticDocs.h - docs/diagnostics.md inside relc -------*- C++ -*-===//
//
// docs/diagnostics.md is the one text that explains each diagnostic kind: a
// table row per kind with its meaning, an example and the fix. The build
// embeds the file in relc, so `relc explain` and the rule descriptions of
// SARIF output print what the docs say, and nothing else has to be kept in
// step with them. The text is parsed on first use, never at start-up.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_DIAGNOSTICDOCS_H
#define RELC_BASIC_DIAGNOSTICDOCS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace relc {

/// One row of a `| kind | meaning | example | fix |` table.
struct DiagDoc {
  std::string id;    ///< The kind, as printed in `[brackets]`.
  std::string marks; ///< What the kind cell adds in parentheses: `exit 2`.
  std::string meaning, example, fix; ///< Markdown, `\|` unescaped.
  llvm::StringRef section;           ///< The `## ` heading above the table.
  llvm::StringRef row;               ///< The row as written.
  unsigned line = 0;                 ///< Its line in the file.
  unsigned cells = 0;                ///< How many cells the row has.
};

/// The rows of every kinds table in \p markdown; the result points into it.
std::vector<DiagDoc> parseDiagDocs(llvm::StringRef markdown);

/// docs/diagnostics.md as relc was built with it.
llvm::StringRef diagnosticsReference();
/// Its rows, parsed on first use.
llvm::ArrayRef<DiagDoc> diagDocs();
/// The row of kind \p id, or null.
const DiagDoc *findDiagDoc(llvm::StringRef id);

/// Where \p docs and the registry (Diagnostics.def) disagree: a kind with no
/// row or with two, a row of no kind, an empty cell, a mark that does not
/// match the kind's severity. Each as `docs/diagnostics.md:LINE: problem`;
/// empty when they agree.
std::vector<std::string> checkDiagDocs(llvm::ArrayRef<DiagDoc> docs);

} // namespace relc

#endif // RELC_BASIC_DIAGNOSTICDOCS_H
