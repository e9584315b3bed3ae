//===- main.cpp - The relc executable
//--------------------------------------===//
//
// Forwards to the driver; everything relc does is testable without a process.
//
//===----------------------------------------------------------------------===//
#include "Driver/Driver.h"

#include "llvm/Support/raw_ostream.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

int main(int argc, char **argv) {
#ifdef __GLIBC__
  // A large plan makes millions of small objects (tokens, parse trees, AST)
  // and frees them in bulk. With glibc's fastbins, each large free then
  // consolidates them all again: 10% of checking a 10 MB plan.
  mallopt(M_MXFAST, 0);
#endif
  return relc::runDriver(llvm::ArrayRef<const char *>(argv, argc), llvm::outs(),
                         llvm::errs());
}
