//===- Driver.h - The relc command line
//------------------------------------===//
//
// Every subcommand runs through runDriver with the streams it writes to, so
// the whole command line can be exercised in memory. tools/relc/main.cpp
// only forwards argv and the standard streams.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_DRIVER_H
#define RELC_DRIVER_DRIVER_H

#include "llvm/ADT/ArrayRef.h"

namespace llvm {
class raw_ostream;
}

namespace relc {

/// Exit codes: 0 clean, 1 the input has errors, 2 usage or I/O problems.
int runDriver(llvm::ArrayRef<const char *> argv, llvm::raw_ostream &out,
              llvm::raw_ostream &err);

} // namespace relc

#endif // RELC_DRIVER_DRIVER_H
