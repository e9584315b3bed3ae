//===- FmtFuzzer.cpp - Fuzzing the formatter's round trip -----------------===//
//
// The property `relc fmt` relies on: for any text that parses, the formatted
// text parses to the same tree (the AST dump without locations) and formats
// to itself. `relc fmt` refuses to write when the first half fails; here any
// failure aborts, with both texts on stderr.
//
//===----------------------------------------------------------------------===//
#include "AST/Formatter.h"
#include "AST/Printer.h"
#include "Basic/Diagnostics.h"
#include "Basic/SourceFiles.h"
#include "Syntax/Parser.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

using namespace relc;

static std::string shape(const ast::File &file, const llvm::SourceMgr &sm) {
  std::string s;
  llvm::raw_string_ostream os(s);
  ast::printAST(file, sm, os, /*withLocations=*/false);
  return os.str();
}

[[noreturn]] static void fail(llvm::StringRef what, llvm::StringRef input,
                              llvm::StringRef formatted,
                              llvm::StringRef details) {
  llvm::errs() << "relc-fuzz-fmt: " << what << "\n--- input\n"
               << input << "\n--- formatted\n"
               << formatted << "\n--- details\n"
               << details << "\n";
  std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  llvm::SourceMgr sm;
  std::string errs;
  llvm::raw_string_ostream errsOs(errs);
  DiagnosticEngine diags(sm, errsOs);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(input, "input.relplan"),
      llvm::SMLoc());
  if (!checkSourceText(diags, id))
    return 0;
  std::unique_ptr<ast::File> file = parseBuffer(diags, id);
  if (!file)
    return 0;
  std::string once = ast::formatFile(*file);

  unsigned againId = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(once, "formatted.relplan"),
      llvm::SMLoc());
  std::unique_ptr<ast::File> again = parseBuffer(diags, againId);
  diags.flush();
  if (!again)
    fail("the formatted text does not parse", input, once, errsOs.str());
  std::string before = shape(*file, sm), after = shape(*again, sm);
  if (before != after)
    fail("the formatted text parses to another tree", input, once,
         "--- tree of the input\n" + before + "--- tree of the formatted\n" +
             after);
  std::string twice = ast::formatFile(*again);
  if (twice != once)
    fail("formatting the formatted text changes it", input, once,
         "--- formatted again\n" + twice);
  return 0;
}
