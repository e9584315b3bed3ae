//===- PlanFuzzer.cpp - Fuzzing `relc check --emit=plan` ------------------===//
//
// Each input is written to a scratch directory, as one plan file or as
// several in split-file's format (a project, its models and a release, as a
// lit test holds them), and every `.relplan` file of it is checked as
// `relc check --emit=plan` would: parsing, imports, the project lookup,
// models, Sema and the plan dump. The bundled models of plans/compat are
// beside the input's directory, so `compat "../compat/python.yaml"` finds
// them as it does from plans/pytorch.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"

#include "Driver/Commands.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>

using namespace relc;

static fuzz::ScratchDir *scratch;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  static fuzz::ScratchDir dir("plan");
  scratch = &dir;
  if (std::error_code ec = llvm::sys::fs::create_link(
          RELC_PLANS_DIR "/compat", scratch->path("compat"))) {
    llvm::errs() << "relc-fuzz-plan: cannot link the bundled models: "
                 << ec.message() << "\n";
    std::exit(2); // libFuzzer ignores what this function returns.
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  CheckOptions opts;
  opts.emit = CheckOptions::Emit::Plan;
  for (const auto &[name, text] : fuzz::splitInput(input, "input.relplan")) {
    scratch->write("case/" + name, text);
    if (llvm::StringRef(name).endswith(".relplan"))
      opts.files.push_back(scratch->path("case/" + name));
  }
  std::string out, err;
  llvm::raw_string_ostream outOs(out), errOs(err);
  std::istringstream in;
  int code = runCheck(opts, {llvm::vfs::getRealFileSystem(), in, outOs, errOs});
  // To see what relc said about one input: RELC_FUZZ_VERBOSE=1 TARGET FILE.
  if (std::getenv("RELC_FUZZ_VERBOSE"))
    llvm::errs() << outOs.str() << errOs.str() << "exit code " << code << "\n";
  scratch->clear();
  return 0;
}
