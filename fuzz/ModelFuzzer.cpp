//===- ModelFuzzer.cpp - Fuzzing the compatibility-model loader -----------===//
//
// Each input is a model file, checked as `relc check model.yaml` checks one:
// the YAML parse (lib/Compat/FastYaml, or yaml-cpp for what it leaves), the
// walk of lib/Compat/ModelLoader (with the conditions of its rules parsed
// from the YAML buffer) and finishModel's resolution. Where the fast reader
// accepts the input, its tree must be yaml-cpp's, node for node; the target
// aborts otherwise.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"

#include "Basic/Diagnostics.h"
#include "Basic/SourceFiles.h"
#include "Compat/FastYaml.h"
#include "Compat/ModelCache.h"
#include "Driver/Commands.h"

#include "Compat/ModelDump.h"

#include "llvm/Support/raw_ostream.h"

#include "yaml-cpp/yaml.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>

using namespace relc;
using namespace relc::compat;

/// Aborts if the fast reader accepts \p text but reads it otherwise than
/// yaml-cpp does.
static void compareReaders(llvm::StringRef text) {
  std::unique_ptr<fastyaml::Document> doc = fastyaml::parse(text);
  if (!doc)
    return;
  std::string fast, slow;
  fastyaml::dumpTree(doc->root(), fast);
  try {
    fastyaml::dumpTree(YAML::Load(text.str()), slow);
  } catch (const YAML::Exception &e) {
    slow = "yaml-cpp refuses it: " + e.msg;
  }
  if (fast == slow)
    return;
  llvm::errs() << "the fast YAML reader disagrees with yaml-cpp\nfast:\n"
               << fast << "yaml-cpp:\n"
               << slow;
  abort();
}

/// A model that loads cleanly must read back from the model cache's saved
/// form as the very model the YAML gave.
static void compareCached(const std::string &path) {
  llvm::SourceMgr sm;
  std::string ignored;
  llvm::raw_string_ostream os(ignored);
  DiagnosticEngine diags(sm, os);
  Model fresh;
  if (!loadModelFile(diags, path, {}, fresh) || diags.warningCount())
    return;
  std::vector<CachedFile> files = {
      {"model.yaml", sourceText(sm, sm.getNumBuffers())}};
  std::optional<std::string> saved = saveModel(fresh, files);
  Model back;
  back.paths = fresh.paths;
  if (saved && restoreModel(sm, *saved, files, back) &&
      test::dumpModel(back, sm) == test::dumpModel(fresh, sm))
    return;
  llvm::errs() << "the model cache does not give the loaded model back\n"
               << test::dumpModel(fresh, sm);
  abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz::ScratchDir scratch("model");
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  compareReaders(text);
  scratch.write("model.yaml", text);
  CheckOptions opts;
  opts.files.push_back(scratch.path("model.yaml"));
  std::string out, err;
  llvm::raw_string_ostream outOs(out), errOs(err);
  std::istringstream in;
  int code = runCheck(opts, {llvm::vfs::getRealFileSystem(), in, outOs, errOs});
  compareCached(scratch.path("model.yaml"));
  // To see what relc said about one input: RELC_FUZZ_VERBOSE=1 TARGET FILE.
  if (std::getenv("RELC_FUZZ_VERBOSE"))
    llvm::errs() << outOs.str() << errOs.str() << "exit code " << code << "\n";
  scratch.clear();
  return 0;
}
