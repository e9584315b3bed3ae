//===- main.cpp - The relc executable
//--------------------------------------===//
//
// Forwards to the driver; everything relc does is testable without a process.
// What is here is about the process: how it allocates and how it ends.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Driver.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <iostream>

#ifdef __GLIBC__
#include <malloc.h>
#endif

// Sanitized builds end normally, so LeakSanitizer's check at exit runs.
#if defined(__SANITIZE_ADDRESS__)
#define RELC_EXIT_CLEANLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RELC_EXIT_CLEANLY 1
#endif
#endif

int main(int argc, char **argv) {
#ifdef __GLIBC__
  // A large plan makes millions of small objects (tokens, parse trees, AST)
  // and frees them in bulk. With glibc's fastbins, each large free then
  // consolidates them all again: 10% of checking a 10 MB plan.
  mallopt(M_MXFAST, 0);
#endif
#ifndef RELC_EXIT_CLEANLY
  relc::processEndsAfterCommand = true;
#endif
  int rc = relc::runDriver(llvm::ArrayRef<const char *>(argv, argc),
                           llvm::vfs::getRealFileSystem(), std::cin,
                           llvm::outs(), llvm::errs());
  // Leave without running static destructors (ANTLR's caches, LLVM's
  // options), 3% of a small check, once the output is out. If writing it
  // failed, return as usual: raw_fd_ostream's destructor reports the error.
  llvm::outs().flush();
#ifndef RELC_EXIT_CLEANLY
  if (!llvm::outs().has_error() && !llvm::errs().has_error())
    llvm::sys::Process::Exit(rc, /*NoCleanup=*/true);
#endif
  return rc;
}
