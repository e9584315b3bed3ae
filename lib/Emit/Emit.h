//===- Emit.h - CI files generated from the step graph ----------*- C++ -*-===//
//
// `relc emit github` and `relc emit gitlab` turn a release's step graph into
// CI configuration in which every job runs `relc run --step`, so CI is the
// distributed executor of the same graph `relc run` walks. Output is
// deterministic (same inputs, same bytes) and starts with a header naming
// the plan and a hash of every input, so `--check` can tell stale files.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EMIT_EMIT_H
#define RELC_EMIT_EMIT_H

#include "Basic/Diagnostics.h"
#include "Graph/Graph.h"

#include <map>
#include <string>
#include <vector>

namespace relc::emit {

/// One pinned action: `actions/checkout` at a full commit SHA.
struct PinnedAction {
  std::string version, sha;
};

/// The relc package CI jobs install before they run relc: a released .deb
/// by URL, checked against its SHA-256.
struct PinnedRelc {
  std::string version, url, sha256;
};

/// The actions generated workflows may use, by name (`actions/checkout`),
/// and the relc package their jobs install.
struct ActionsLock {
  std::string path;  ///< The lock file, as named (for messages).
  llvm::SMLoc start; ///< Its first byte, for diagnostics about the whole.
  std::map<std::string, PinnedAction> actions;
  std::optional<PinnedRelc> relc;
  const PinnedAction *find(llvm::StringRef name) const {
    auto it = actions.find(name.str());
    return it == actions.end() ? nullptr : &it->second;
  }
};

/// Reads the actions lock file (YAML: `actions: {NAME: {version, sha}}`)
/// through \p diags' SourceMgr, so it counts as an input of the header hash.
std::optional<ActionsLock> loadActionsLock(DiagnosticEngine &diags,
                                           llvm::StringRef path);

/// A generated file: where it goes (relative to the output) and its text.
struct Output {
  std::string path;
  std::string text;
};

struct Context {
  llvm::ArrayRef<sema::Overlay> overlays;
  const graph::Graph &graph;
  std::string header; ///< Comment lines every output starts with.
  bool split = true;  ///< Split matrices over the limit; else refuse.
};

/// The header: what generated the file, from what, and the hash of every
/// file \p sm holds (plans, models, lock file) and relc's version. A model
/// found by name in one of \p modelDirs is listed as `<models>/NAME.yaml`,
/// so the file is the same wherever relc and its models are installed.
std::string header(const llvm::SourceMgr &sm, llvm::StringRef planPath,
                   llvm::StringRef command, llvm::StringRef relcVersion,
                   llvm::ArrayRef<std::string> modelDirs = {});

/// One workflow per stage, under `.github/workflows` naming. Null after
/// reporting (an action missing from the lock, a refused split).
std::optional<std::vector<Output>>
github(DiagnosticEngine &diags, const Context &ctx, const ActionsLock &lock);

/// The one `.gitlab-ci.yml`. Jobs that run relc first install the package
/// \p lock names, if it names one (GitLab has no actions to pin).
std::optional<Output> gitlab(DiagnosticEngine &diags, const Context &ctx,
                             const ActionsLock *lock);

/// GitHub refuses a matrix of more than 256 jobs; GitLab a `parallel` of
/// more than 200.
constexpr size_t githubMatrixLimit = 256;
constexpr size_t gitlabParallelLimit = 200;

/// Writes \p outputs under \p dir atomically, or with \p check compares and
/// prints a unified diff of each difference to \p out. Returns the exit
/// code. \p owned says which existing files in \p dir relc made (so a
/// file it would no longer make counts as stale).
int writeOrCheck(DiagnosticEngine &diags, const std::vector<Output> &outputs,
                 llvm::StringRef dir, bool check,
                 llvm::function_ref<bool(llvm::StringRef)> owned,
                 llvm::raw_ostream &out);

} // namespace relc::emit

#endif // RELC_EMIT_EMIT_H
