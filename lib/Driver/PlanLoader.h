//===- PlanLoader.h - Reading a plan and the files it depends on
//-----------===//
//
// A release file stands on a project file: the one it imports by path, or
// the project of its name in the same directory (`<name>.relplan`, then
// `project.relplan`). The loader reads, parses and links them, once each per
// run, refusing import cycles and imports of things that are not plan files.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_PLANLOADER_H
#define RELC_DRIVER_PLANLOADER_H

#include "AST/AST.h"
#include "Basic/Diagnostics.h"
#include "Driver/Commands.h"
#include "Syntax/Parser.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>

namespace relc {

/// How the loader keys files: the real path, or the path itself if it has
/// none (a file not on disk).
std::string realPathOf(llvm::StringRef path);

/// A release or project file with the project it belongs to.
struct LoadedPlan {
  const ast::File *file = nullptr;
  const ast::File *project = nullptr; ///< The file itself for project files.
};

class PlanLoader {
public:
  explicit PlanLoader(DiagnosticEngine &diags, ParseOptions options = {})
      : diags(diags), options(options) {}

  /// Loads a file named on the command line; nullopt after reporting.
  std::optional<LoadedPlan> load(llvm::StringRef path);

  /// Parses one file without following its imports (`relc fmt`).
  const ast::File *parseOnly(llvm::StringRef path);

  /// Texts that stand in for files on disk, by real path: the documents an
  /// editor has open (`relc lsp`) and not saved.
  void setOverlay(const llvm::StringMap<std::string> *texts) {
    overlay = texts;
  }

private:
  const ast::File *loadFile(llvm::StringRef path, llvm::SMRange importedAt);
  const ast::File *findProject(const ast::File &release);

  DiagnosticEngine &diags;
  ParseOptions options;
  /// Parsed files by real path; a null entry is a file being loaded (for
  /// cycle detection) or one that failed.
  llvm::StringMap<std::unique_ptr<ast::File>> files;
  llvm::StringMap<bool> loading;
  std::vector<std::unique_ptr<ast::File>> unlinked; ///< From parseOnly.
  const llvm::StringMap<std::string> *overlay = nullptr;
};

/// What every command that reads plans starts with: the sources it reads,
/// diagnostics about them printed to the command's error stream, and one
/// loader so each file is read once.
struct Session {
  Session(llvm::raw_ostream &err, const DiagnosticOptions &opts)
      : diags(sm, err, opts.format) {
    diags.setErrorLimit(opts.errorLimit);
  }
  llvm::SourceMgr sm;
  DiagnosticEngine diags;
  PlanLoader loader{diags};
};

namespace sema {
struct Plan;
}

/// Loads and checks a release file for a command that works on releases
/// (`relc matrix`, `relc graph`, `relc emit`); null after reporting, also
/// when \p path is a project file.
std::unique_ptr<sema::Plan> loadRelease(PlanLoader &loader,
                                        DiagnosticEngine &diags,
                                        llvm::StringRef path,
                                        llvm::StringRef command);

/// Reports (unknown-name, with did-you-mean) if \p plan, read from \p file,
/// has no stage \p stage; false then.
bool checkStageName(DiagnosticEngine &diags, const sema::Plan &plan,
                    llvm::StringRef file, llvm::StringRef stage);

/// Loads and checks release files for a command that puts several releases
/// into one output (`relc calendar`, `relc docs update`). A file named twice
/// (by overlapping globs) counts once; two files of one release are an
/// error. Holds only the plans that checked cleanly.
std::vector<std::unique_ptr<sema::Plan>>
loadReleases(PlanLoader &loader, DiagnosticEngine &diags,
             llvm::ArrayRef<std::string> paths, llvm::StringRef command);

} // namespace relc

#endif // RELC_DRIVER_PLANLOADER_H
