//===- Diff.h - Unified diffs of two texts ------------------------*- C++
//-*-===//
//
// The `--check` modes of relc (`emit --check`, `docs update --check`) show
// what would change as a unified diff, the form reviewers and `patch` read.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_DIFF_H
#define RELC_BASIC_DIFF_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace relc {

/// A unified diff of \p a and \p b (3 lines of context); empty if equal.
std::string unifiedDiff(llvm::StringRef a, llvm::StringRef b,
                        llvm::StringRef aName, llvm::StringRef bName);

} // namespace relc

#endif // RELC_BASIC_DIFF_H
