//===- LspFeatures.h - Completion and hover of relc lsp --------*- C++ -*-===//
//
// What the language server offers at a position: completion items and
// hover text. Both work from the text (LspContext.h) and from what the last
// check of the document found (PlanFacts): its model and the names it
// defines, kept from the last time they were known, so a plan that stops
// parsing while it is typed still completes against its model.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_LSPFEATURES_H
#define RELC_DRIVER_LSPFEATURES_H

#include "Compat/Model.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <string>
#include <vector>

namespace relc {
namespace ast {
struct File;
} // namespace ast
namespace sema {
struct Plan;
} // namespace sema

namespace lsp {

/// What a document's last check knew: its model, and the names its file
/// and its project define.
struct PlanFacts {
  std::shared_ptr<const compat::Model> model;
  bool haveNames = false;
  std::vector<std::string> checks, stages, matrices, channels, milestones, repo,
      fields;

  /// Takes the names \p file defines (call for the file and its project).
  void addNames(const ast::File &file);
};

/// UTF-16 code units in a UTF-8 string.
unsigned utf16Length(llvm::StringRef s);
/// The LSP position (0-based line, UTF-16 code units) of byte \p offset.
llvm::json::Object positionAt(llvm::StringRef text, size_t offset);
/// The byte offset of an LSP position, clamped to the text.
size_t offsetAt(llvm::StringRef text, int64_t line, int64_t character);

/// `textDocument/completion`: the items for \p offset in \p text.
llvm::json::Array complete(llvm::StringRef text, size_t offset,
                           const PlanFacts &facts);

/// `textDocument/hover`: what the word at \p offset is, as Markdown, with
/// its range; null if it is nothing relc knows. \p plan is the document's
/// checked plan if it checks (for the legs of a matrix line).
llvm::json::Value hover(llvm::StringRef text, size_t offset,
                        const PlanFacts &facts, const sema::Plan *plan);

} // namespace lsp
} // namespace relc

#endif // RELC_DRIVER_LSPFEATURES_H
