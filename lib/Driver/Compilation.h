//===- Compilation.h - One run of relc over plans -------------*- C++ -*-===//
//
// What every command that reads plans works in: the file system its inputs
// come from, the sources it has read, the diagnostics about them and one
// loader, so that each file is read once. The pipeline is put together here
// and nowhere else: parse and link (PlanLoader), check (sema::analyze),
// lower (graph::lower); commands and the language server call these steps
// and decide only what to print.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_COMPILATION_H
#define RELC_DRIVER_COMPILATION_H

#include "Basic/Diagnostics.h"
#include "Driver/Commands.h"
#include "Driver/PlanLoader.h"
#include "Graph/Graph.h"
#include "Sema/Sema.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <optional>
#include <vector>

namespace relc {

class Compilation {
public:
  /// Reads from \p fs; prints diagnostics to \p err as \p opts say.
  Compilation(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs,
              llvm::raw_ostream &err, const DiagnosticOptions &opts = {},
              std::vector<sema::ModelDir> modelDirs = {});
  /// For a command: reads \p env's file system, reports to its diagnostics
  /// stream, finds models by name where \p env says.
  Compilation(const DriverEnv &env, const DiagnosticOptions &opts);
  Compilation(const Compilation &) = delete;
  Compilation &operator=(const Compilation &) = delete;

  llvm::vfs::FileSystem &getFileSystem() { return *fs; }
  llvm::SourceMgr &getSourceMgr() { return sm; }
  DiagnosticEngine &getDiags() { return diags; }
  /// The models read so far that loaded without errors (the language
  /// server's completion uses them while a plan has errors of its own).
  const sema::ModelCache &getModels() const { return models; }

  /// How files are keyed: the real path in this file system, or \p path
  /// itself if it has none.
  std::string realPath(llvm::StringRef path) { return realPathOf(*fs, path); }

  /// A compatibility model (`.yaml` or `.yml`) rather than a plan.
  static bool isModelPath(llvm::StringRef path);

  // The pipeline, one step per method. Each returns null (or nullopt, or
  // false) after reporting.

  /// Parses \p path with the files it imports and, for a release, its
  /// project.
  std::optional<LoadedPlan> parse(llvm::StringRef path);
  /// Parses one file on its own, following no import (`relc fmt`).
  const ast::File *parseOnly(llvm::StringRef path);
  /// Checks a parsed file with its project, and the models they name.
  std::unique_ptr<sema::Plan> analyze(const LoadedPlan &plan);
  /// Loads and checks a model file as a plan that names only it would.
  bool checkModel(llvm::StringRef path);
  /// What `relc check` does with one file: a model is checked on its own; a
  /// plan is parsed, shown to \p parsed if given, then analyzed unless
  /// \p parseOnly. Null for a model, and after reporting.
  std::unique_ptr<sema::Plan>
  check(llvm::StringRef path, bool parseOnly = false,
        llvm::function_ref<void(const LoadedPlan &)> parsed = nullptr);

  /// Parses and checks a release file for a command that works on releases
  /// (`relc matrix`, `graph`, `emit`, `run`); reports a project file as
  /// misplaced.
  std::unique_ptr<sema::Plan> loadRelease(llvm::StringRef path,
                                          llvm::StringRef command);
  /// loadRelease for each of \p paths, for a command that puts several
  /// releases into one output (`relc calendar`, `relc docs update`). A file
  /// named twice (by overlapping globs) counts once; two files of one release
  /// are an error. Holds only the plans that checked cleanly.
  std::vector<std::unique_ptr<sema::Plan>>
  loadReleases(llvm::ArrayRef<std::string> paths, llvm::StringRef command);
  /// Reports (unknown-name, with did-you-mean) if \p plan, read from \p file,
  /// has no stage \p stage.
  bool checkStageName(const sema::Plan &plan, llvm::StringRef file,
                      llvm::StringRef stage);

  /// The step graph of a checked plan; \p displayPath names the plan in it.
  graph::Graph lower(const sema::Plan &plan, const graph::LowerOptions &opts,
                     llvm::StringRef displayPath);

private:
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs;
  llvm::SourceMgr sm;
  DiagnosticEngine diags;
  PlanLoader loader;
  std::vector<sema::ModelDir> modelDirs;
  bool skipInvalid = false; ///< Inputs with errors are skipped unreported.
  sema::ModelCache models;  ///< Each model set read once per run.
};

} // namespace relc

#endif // RELC_DRIVER_COMPILATION_H
