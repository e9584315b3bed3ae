//===- ModelCache.h - Compiled models kept on disk --------------*- C++ -*-===//
//
// Reading the YAML models is most of what a check of a small plan costs, and
// pre-commit hooks and editors check small plans all day. A model set that
// loaded without a diagnostic is kept on disk in a compact form, under a
// hash of relc's version and the files' names and bytes. The entry holds a
// copy of those bytes too, compared whole before it is used, so a changed
// model is never read from a stale entry, whatever the hash. Everything that
// points into a model (the location of each entry, the text of each
// condition) is kept as an offset into its file, so diagnostics and notes
// read exactly as after a fresh load. An entry that does not read back in
// every detail (cut short, corrupt, another format) is ignored and written
// anew; the cache can only ever save time.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_COMPAT_MODELCACHE_H
#define RELC_COMPAT_MODELCACHE_H

#include "Compat/Model.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <optional>
#include <string>

namespace relc::compat {

/// One model file as the cache sees it: its name as `compat` found it (the
/// file name, not the directory, so a moved checkout keeps its cache) and
/// its text in the SourceMgr, which every location of the model points into.
struct CachedFile {
  llvm::StringRef name;
  llvm::StringRef text;
};

/// The model loaded from \p files, in the cache's form; nullopt if some
/// location points outside them (then it is not cached).
std::optional<std::string> saveModel(const Model &model,
                                     llvm::ArrayRef<CachedFile> files);

/// Rebuilds into \p model (empty, its paths already set) what saveModel
/// saved from the same texts, which \p sm holds. False, with \p model to be
/// thrown away, if \p data does not read back whole; the caller then loads
/// the YAML. Reports nothing.
bool restoreModel(llvm::SourceMgr &sm, llvm::StringRef data,
                  llvm::ArrayRef<CachedFile> files, Model &model);

/// An entry read back: its payload, in the bytes of the entry's file.
struct SavedModel {
  std::unique_ptr<llvm::MemoryBuffer> file;
  llvm::StringRef payload;
};

/// The cache's entries in the directory \p dir.
class ModelDiskCache {
public:
  /// \p build names the relc that reads and writes the entries (its
  /// executable's size and time): a rebuilt relc, whose loader may read a
  /// model differently, never takes an entry another build made.
  ModelDiskCache(std::string dir, std::string build = {})
      : dir(std::move(dir)), build(std::move(build)) {}

  /// The saved model of \p files, if an entry holds exactly their bytes.
  std::optional<SavedModel> read(llvm::ArrayRef<CachedFile> files) const;
  /// Keeps \p data for \p files: written to a temporary file and renamed,
  /// so a reader sees a whole entry or none. Failures are ignored.
  void write(llvm::ArrayRef<CachedFile> files, llvm::StringRef data) const;

  /// The entry's path for \p files (for tests).
  std::string entryPath(llvm::ArrayRef<CachedFile> files) const;

  /// Entries kept; writing one more removes the oldest.
  static constexpr size_t maxEntries = 64;

private:
  void prune() const;
  std::string header(llvm::ArrayRef<CachedFile> files) const;
  std::string dir, build;
};

} // namespace relc::compat

#endif // RELC_COMPAT_MODELCACHE_H
