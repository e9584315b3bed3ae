//===- SourceFiles.h - Loading plan files into the SourceMgr
//---------------===//
//
// Every file relc reads goes through loadSourceFile, which refuses what is not
// a regular file, and text that is not UTF-8 or holds a NUL byte, with a
// diagnostic at the offending byte. Nothing after it has to care.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_SOURCEFILES_H
#define RELC_BASIC_SOURCEFILES_H

#include "Basic/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <cstring>

namespace relc {

/// How many bytes \p text starts with that are ASCII. Plans are nearly all
/// ASCII: this finds the few other bytes a word at a time.
inline size_t asciiPrefix(llvm::StringRef text) {
  const char *p = text.data(), *end = p + text.size();
  for (uint64_t word; end - p >= 8; p += 8) {
    std::memcpy(&word, p, 8);
    if (word & 0x8080808080808080ULL)
      break;
  }
  while (p != end && static_cast<unsigned char>(*p) < 0x80)
    ++p;
  return p - text.data();
}

/// Where the first byte of \p text that is not valid UTF-8 is, or its size.
size_t firstInvalidUTF8(llvm::StringRef text);

/// Reads \p path from the engine's file system into its SourceMgr (the
/// buffer named \p path whatever the file system calls it) and returns its
/// buffer id, or 0 after reporting why it could not. \p importedAt is the
/// import that names the file (invalid for files named on the command line,
/// whose problems are I/O errors; an import's are errors in the importing
/// plan).
/// What a file relc reads is, for the messages about it ("'docs' is a
/// directory, not a Markdown file").
enum class SourceKind { Plan, Model, ActionsLock, Markdown };

unsigned loadSourceFile(DiagnosticEngine &diags, llvm::StringRef path,
                        llvm::SMRange importedAt = {},
                        SourceKind kind = SourceKind::Plan);

/// Checks that \p buffer is UTF-8 without NUL bytes; reports the first
/// offending byte otherwise.
bool checkSourceText(DiagnosticEngine &diags, unsigned bufferId,
                     SourceKind kind = SourceKind::Plan);

/// The buffer's text without a leading UTF-8 byte order mark.
llvm::StringRef sourceText(llvm::SourceMgr &sm, unsigned bufferId);

/// `plans/pytorch/2.4.relplan:12:5`, or `?` for a location in no buffer.
std::string locationString(const llvm::SourceMgr &sm, llvm::SMLoc loc);

/// Replaces the file at \p path by \p text atomically: a temporary file
/// (named after \p tag) beside it, then a rename. A symbolic link at \p path
/// is followed: the file it leads to is replaced, beside itself, and the link
/// stays a link (a rename onto the link would replace the link).
llvm::Error writeFileAtomic(llvm::StringRef path, llvm::StringRef text,
                            llvm::StringRef tag);

} // namespace relc

#endif // RELC_BASIC_SOURCEFILES_H
