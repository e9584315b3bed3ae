//===- EmitCommand.cpp - relc emit github|gitlab --------------------------===//
//
// Checks the release, lowers it to its step graph and writes (or, with
// --check, compares) the CI configuration for one backend.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"
#include "Emit/Emit.h"

#include "Basic/Config.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

/// `actions.lock.yaml` in the plan's directory or the nearest above it, as
/// a path relative like the plan's (the header names it, and must not
/// change with where the checkout is).
static std::string findLock(llvm::vfs::FileSystem &fs, llvm::StringRef plan) {
  std::string dir = llvm::sys::path::parent_path(plan).str();
  while (true) {
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, "actions.lock.yaml");
    if (fs.exists(candidate))
      return std::string(candidate);
    if (dir.empty())
      return "";
    dir = llvm::sys::path::parent_path(dir).str();
  }
}

/// \p file relative to the root of the git work tree that holds it (the
/// nearest directory above it with a `.git`), or as given outside one.
static std::string repoRelative(llvm::vfs::FileSystem &fs,
                                llvm::StringRef file) {
  llvm::SmallString<256> abs(file);
  if (fs.makeAbsolute(abs))
    return file.str();
  llvm::sys::path::remove_dots(abs, /*remove_dot_dot=*/true);
  for (llvm::StringRef dir = llvm::sys::path::parent_path(abs); !dir.empty();
       dir = llvm::sys::path::parent_path(dir)) {
    if (fs.exists(dir + "/.git")) {
      llvm::StringRef rel = llvm::StringRef(abs).drop_front(dir.size());
      return rel.ltrim('/').str();
    }
    if (dir == llvm::sys::path::parent_path(dir))
      break;
  }
  return file.str();
}

int relc::runEmit(const EmitOptions &opts, const DriverEnv &env) {
  Compilation comp(env, opts.diagnostics);
  llvm::SourceMgr &sm = comp.getSourceMgr();
  DiagnosticEngine &diags = comp.getDiags();
  diags.setSubject(opts.file);
  std::unique_ptr<sema::Plan> plan = comp.loadRelease(opts.file, "emit");
  std::optional<emit::ActionsLock> lock;
  bool github = opts.backend == "github";
  // GitHub needs the lock for its actions; GitLab reads it, where there is
  // one, for the relc package its jobs install.
  if (plan) {
    std::string lockPath = opts.lock.empty()
                               ? findLock(comp.getFileSystem(), opts.file)
                               : opts.lock;
    if (lockPath.empty() && github)
      diags.report(DiagKind::ActionsLock, llvm::SMRange(),
                   "no actions.lock.yaml beside " + opts.file +
                       " or above it; write one or pass --lock");
    else if (!lockPath.empty())
      lock = emit::loadActionsLock(diags, lockPath);
    // Every stage's jobs run relc: a runner without it fails them all.
    if (lock && !lock->relc)
      diags.report(DiagKind::RelcNotPinned, lock->start,
                   "the actions lock names no relc package, so the jobs that "
                   "run relc expect it on the runner's PATH; add 'relc: "
                   "{version, url, sha256}' (a relc .deb) to install it");
    else if (!lock && !github)
      diags.report(DiagKind::RelcNotPinned, llvm::SMRange(),
                   "no actions.lock.yaml beside " + opts.file +
                       " or above it names a relc package, so the jobs that "
                       "run relc expect it on the runner's PATH");
  }
  diags.flush();
  if (!plan || diags.hasErrors() || (github && !lock))
    return diags.hasErrors() ? diags.exitCode() : 1;

  graph::Graph g = comp.lower(*plan, {}, opts.file);
  // CI runs in a checkout of the repository: the plan's path from its root,
  // whatever path emit was given.
  g.file = repoRelative(comp.getFileSystem(), opts.file);
  // Not the output path: the same plan gives the same bytes wherever the
  // files are written.
  std::string command = "relc emit " + opts.backend + " " + g.file +
                        (github ? " -o <this directory>" : " -o <this file>");
  std::vector<std::string> modelDirs;
  for (const sema::ModelDir &d : env.modelDirs)
    modelDirs.push_back(d.path);
  emit::Context ctx{plan->overlays, g,
                    emit::header(sm, g.file, command, RELC_VERSION, modelDirs),
                    opts.split};
  std::vector<emit::Output> outputs;
  std::string dir = opts.output;
  std::function<bool(llvm::StringRef)> owned;
  if (github) {
    std::optional<std::vector<emit::Output>> files =
        emit::github(diags, ctx, *lock);
    if (!files) {
      diags.flush();
      return diags.exitCode();
    }
    outputs = std::move(*files);
    diags.flush();
    // Files of this release that relc wrote before; not other releases'.
    std::string prefix =
        "relc-" + graph::slug(g.project) + "-" + graph::slug(g.version) + "-";
    owned = [prefix](llvm::StringRef name) {
      return name.startswith(prefix) && name.endswith(".yml");
    };
  } else {
    std::optional<emit::Output> file =
        emit::gitlab(diags, ctx, lock ? &*lock : nullptr);
    if (!file) {
      diags.flush();
      return diags.exitCode();
    }
    diags.flush();
    file->path = llvm::sys::path::filename(opts.output).str();
    dir = llvm::sys::path::parent_path(opts.output).str();
    if (dir.empty())
      dir = ".";
    outputs.push_back(std::move(*file));
    owned = [](llvm::StringRef) { return false; };
  }
  return emit::writeOrCheck(diags, outputs, dir, opts.check, owned, env.out);
}
