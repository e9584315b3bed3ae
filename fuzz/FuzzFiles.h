//===- FuzzFiles.h - Fuzz inputs as files relc reads -----------*- C++ -*-===//
//
// relc reads plans and models by path, so the fuzz targets that run a whole
// command write their input into a scratch directory first. An input may
// hold several files in split-file's format (`#--- NAME` lines, as the lit
// tests write them), so a test's project, model and release are one seed
// and the fuzzer mutates them together.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_FUZZ_FUZZFILES_H
#define RELC_FUZZ_FUZZFILES_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace relc::fuzz {

/// A directory of its own for this process, removed when it ends normally.
class ScratchDir {
public:
  /// Creates `relc-fuzz-<name>-XXXXXX` in the system temporary directory.
  explicit ScratchDir(llvm::StringRef name);
  ~ScratchDir();
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;

  /// \p rel inside the directory.
  std::string path(llvm::StringRef rel) const;
  /// Writes \p text to \p rel, which may name one level of subdirectory.
  void write(llvm::StringRef rel, llvm::StringRef text);
  /// Removes what write() created since the last call.
  void clear();

private:
  std::string root;
  std::vector<std::string> written;
};

/// The files of \p input: one per `#--- NAME` line, each holding the lines
/// up to the next (text before the first is ignored, as split-file does);
/// without such a line, the whole input named \p defaultName. Names are
/// reduced to [A-Za-z0-9._-] without a leading dot, so they stay inside the
/// directory they are written to; a later file of the same name wins.
std::vector<std::pair<std::string, llvm::StringRef>>
splitInput(llvm::StringRef input, llvm::StringRef defaultName);

} // namespace relc::fuzz

#endif // RELC_FUZZ_FUZZFILES_H
