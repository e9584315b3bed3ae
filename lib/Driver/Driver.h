//===- Driver.h - The relc command line
//------------------------------------===//
//
// Every subcommand runs through runDriver with the world it works in: the
// file system its inputs are read from and the streams it reads and writes.
// So the whole command line can be exercised in memory, any number of times
// in one process; runDriver never ends the process. tools/relc/main.cpp only
// forwards argv, the real file system and the standard streams.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_DRIVER_H
#define RELC_DRIVER_DRIVER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"

#include <iosfwd>

namespace llvm {
class raw_ostream;
namespace vfs {
class FileSystem;
} // namespace vfs
} // namespace llvm

namespace relc {

/// Runs the command line \p argv (the program name first). Inputs are read
/// from \p fs, `relc lsp` reads \p in; output goes to \p out, diagnostics and
/// usage errors to \p err. --help and --version print to \p out and return 0.
/// Exit codes: 0 clean, 1 the input has errors, 2 usage or I/O problems.
int runDriver(llvm::ArrayRef<const char *> argv,
              llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs,
              std::istream &in, llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace relc

#endif // RELC_DRIVER_DRIVER_H
