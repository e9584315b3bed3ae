//===- SourceInputs.h - Inputs of the source tree for unit tests -*- C++
//-*-===//
//
// Tests that must hold for every plan or model relc ships or tests with
// read them from the source tree: the files themselves, and the parts of
// split-file lit tests (`#--- NAME` starts a part, which runs to the next).
//
//===----------------------------------------------------------------------===//
#ifndef RELC_TEST_UNIT_SOURCEINPUTS_H
#define RELC_TEST_UNIT_SOURCEINPUTS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <random>
#include <string>
#include <vector>

namespace relc::test {

struct Input {
  std::string name; ///< The file, or `file.test:part.relplan`.
  std::string text;
};

/// The files under \p dir of the source tree whose names end in one of
/// \p extensions, and the parts of its `.test` files that do, in path order.
/// Paths containing `/Golden/` (expected outputs) are left out.
std::vector<Input> sourceInputs(llvm::StringRef dir,
                                llvm::ArrayRef<llvm::StringRef> extensions);

/// Between one and \p maxPieces of \p pieces, chosen by \p rng and joined:
/// random texts made of a grammar's pieces, for tests that hold two
/// implementations to the same result.
std::string randomText(std::mt19937 &rng, llvm::ArrayRef<const char *> pieces,
                       size_t maxPieces);

} // namespace relc::test

#endif // RELC_TEST_UNIT_SOURCEINPUTS_H
