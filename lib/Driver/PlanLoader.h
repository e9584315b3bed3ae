//===- PlanLoader.h - Reading a plan and the files it depends on
//-----------===//
//
// A release file stands on a project file: the one it imports by path, or
// the project of its name in the same directory (`<name>.relplan`, then
// `project.relplan`). A patch release (`2.4.1`) also stands on its minor
// (`2.4.0`): the release file it imports, or the one in the same directory
// (`2.4.relplan`, then `2.4.0.relplan`). A release that goes with a release
// of another project (`with pytorch 2.4.0;`) stands on that release too: the
// release file it imports, or the one in the sibling directory named after the
// project (`../pytorch/2.4.relplan`, then `../pytorch/2.4.0.relplan`), with
// its own project, minor and partners. The loader reads (from the file system
// it is given), parses and links them, once each per run, refusing import
// cycles and imports of things that are not plan files.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_PLANLOADER_H
#define RELC_DRIVER_PLANLOADER_H

#include "AST/AST.h"
#include "Basic/Diagnostics.h"
#include "Syntax/Parser.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>

namespace llvm::vfs {
class FileSystem;
} // namespace llvm::vfs

namespace relc {

/// How the loader keys files: the real path in \p fs, or the path itself if
/// it has none (a file that is not there).
std::string realPathOf(llvm::vfs::FileSystem &fs, llvm::StringRef path);

/// A release or project file with the project it belongs to.
struct LoadedPlan {
  const ast::File *file = nullptr;
  const ast::File *project = nullptr; ///< The file itself for project files.
  const ast::File *minor = nullptr;   ///< The minor a patch release stands on.
  /// The releases of other projects it goes with (`with pytorch 2.4.0;`),
  /// in the order of its `with` items.
  std::vector<LoadedPlan> partners;
  /// A patch release's minor as loaded on its own, for its partners (whose
  /// milestones its schedule may name); empty otherwise.
  std::vector<LoadedPlan> minorPlan;
};

class PlanLoader {
public:
  /// Reads from the file system of \p diags.
  explicit PlanLoader(DiagnosticEngine &diags, ParseOptions options = {})
      : diags(diags), options(options) {}

  /// Loads a file named on the command line; nullopt after reporting.
  std::optional<LoadedPlan> load(llvm::StringRef path);

  /// Parses one file without following its imports (`relc fmt`).
  const ast::File *parseOnly(llvm::StringRef path);

private:
  const ast::File *loadFile(llvm::StringRef path, llvm::SMRange importedAt);
  const ast::File *findProject(const ast::File &release);
  const ast::File *findMinor(const ast::File &patch);
  /// The release `with NAME VERSION;` names: imported, or in `../NAME/`.
  const ast::File *findPartner(const ast::File &release, const ast::Item &with);
  std::optional<LoadedPlan> loadRelease(const ast::File *file);
  /// realPathOf, asked of the file system once per path: a file's path is
  /// looked at several times, and each look is a system call per directory.
  const std::string &realPath(llvm::StringRef path);

  DiagnosticEngine &diags;
  ParseOptions options;
  /// Parsed files by real path; a null entry is a file being loaded (for
  /// cycle detection) or one that failed.
  llvm::StringMap<std::unique_ptr<ast::File>> files;
  llvm::StringMap<bool> loading;
  /// Releases whose partners are being loaded: `with` in a cycle.
  llvm::StringMap<bool> partnering;
  std::vector<std::unique_ptr<ast::File>> unlinked; ///< From parseOnly.
  llvm::StringMap<std::string> realPaths;
};

} // namespace relc

#endif // RELC_DRIVER_PLANLOADER_H
