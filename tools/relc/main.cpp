//===- main.cpp - The relc executable
//--------------------------------------===//
//
// Forwards to the driver; everything relc does is testable without a process.
//
//===----------------------------------------------------------------------===//
#include "Driver/Driver.h"

#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  return relc::runDriver(llvm::ArrayRef<const char *>(argv, argc), llvm::outs(),
                         llvm::errs());
}
