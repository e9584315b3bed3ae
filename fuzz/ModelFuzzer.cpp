//===- ModelFuzzer.cpp - Fuzzing the compatibility-model loader -----------===//
//
// Each input is a model file, checked as `relc check model.yaml` checks one:
// yaml-cpp's parse, the walk of lib/Compat/ModelLoader (with the conditions
// of its rules parsed from the YAML buffer) and finishModel's resolution.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"

#include "Driver/Commands.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>

using namespace relc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz::ScratchDir scratch("model");
  scratch.write("model.yaml",
                llvm::StringRef(reinterpret_cast<const char *>(data), size));
  CheckOptions opts;
  opts.files.push_back(scratch.path("model.yaml"));
  std::string out, err;
  llvm::raw_string_ostream outOs(out), errOs(err);
  std::istringstream in;
  int code = runCheck(opts, {llvm::vfs::getRealFileSystem(), in, outOs, errOs});
  // To see what relc said about one input: RELC_FUZZ_VERBOSE=1 TARGET FILE.
  if (std::getenv("RELC_FUZZ_VERBOSE"))
    llvm::errs() << outOs.str() << errOs.str() << "exit code " << code << "\n";
  scratch.clear();
  return 0;
}
