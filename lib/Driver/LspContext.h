//===- LspContext.h - What surrounds a position in a plan's text -*- C++
//-*-===//
//
// The language server completes and explains text that is being typed, so
// it is usually a plan that does not parse. What the cursor is in (a stage,
// a matrix, a string, a placeholder) and the words of the statement before
// it are found here from the text alone, by a scan that knows only
// comments, strings and brackets: any text and any offset give an answer.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_LSPCONTEXT_H
#define RELC_DRIVER_LSPCONTEXT_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace relc::lsp {

/// The surroundings of one offset.
struct CursorContext {
  /// The blocks the offset is in, outermost first, each as the words of
  /// its header: `{"stage", "rc", "(", "n", ")", "after", "cut"}`.
  std::vector<std::vector<std::string>> blocks;
  /// The words and punctuation of the statement before the word at the
  /// offset; a string is the token `"`.
  std::vector<std::string> tokens;
  /// The part of the word before the offset, and where it starts.
  std::string prefix;
  size_t prefixStart = 0;
  bool inComment = false;
  bool inString = false;
  /// In a string, inside `{`: \c prefix is the placeholder typed so far.
  bool inPlaceholder = false;

  /// The keyword of the innermost block (`stage`, `matrix`, `repo`, ...),
  /// or "" at the top level.
  llvm::StringRef block() const;
  /// The statement's token \p fromEnd places before the word being typed
  /// (0: the last), or "".
  llvm::StringRef back(size_t fromEnd = 0) const;
};

CursorContext contextAt(llvm::StringRef text, size_t offset);

/// A word of a plan (a name, a version, `linux-x86_64`, `git.tag`) and its
/// byte range.
struct Word {
  size_t begin = 0, end = 0;
  llvm::StringRef text;
};
/// The word at or just before \p offset; empty text if none.
Word wordAt(llvm::StringRef text, size_t offset);
bool isWordChar(char c);

} // namespace relc::lsp

#endif // RELC_DRIVER_LSPCONTEXT_H
