//===- Jobs.h - Grouping a stage's steps into CI jobs -----------*- C++ -*-===//
//
// Both backends cut a stage the same way: the builds of one plan step make a
// matrix job (split at the backend's limit); an approval starts a job gated
// by its environment, holding every step after it up to the next build, so
// the steps the approval is for run where its secrets are; other steps run
// in order in one job. Jobs depend on the jobs holding their nodes' needs.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EMIT_JOBS_H
#define RELC_EMIT_JOBS_H

#include "Graph/Graph.h"

#include "Emit/Emit.h"
#include "Emit/Yaml.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"

#include <set>
#include <string>
#include <vector>

namespace relc::emit {

struct Job {
  std::string id;
  std::vector<const graph::Node *> nodes;
  bool matrix = false;
  unsigned part = 0;       ///< 1, 2, ... for the parts of a split matrix.
  std::string environment; ///< The approval group gating the job.
  std::vector<std::string> needs;
  bool writesGit = false; ///< Branch, tag or commit steps.
  bool publishes = false; ///< A `once` step: irreversible, outward.
  bool irreversible = false;
  /// A matrix job holds legs all of one phase, one platform group, and
  /// with or without a container, so that `runs-on` and `container` come
  /// from the legs (Jobs.cpp).
  graph::BuildNode::Phase phase = graph::BuildNode::Phase::Build;
  bool container = false;
};

/// The jobs of \p stage, build matrices cut into parts of at most \p limit.
std::vector<Job> stageJobs(const graph::Graph &g, llvm::StringRef stage,
                           size_t limit);

/// Reports every build of \p jobs over \p limit whose splitting is refused,
/// by `--no-split` (\p split false) or by the plan (`build M split refuse;`,
/// reported at the step); \p limitName says whose limit it is. False if any.
bool checkSplits(DiagnosticEngine &diags, const std::vector<Job> &jobs,
                 llvm::StringRef stage, size_t limit, llvm::StringRef limitName,
                 bool split);

/// The longest job id GitHub accepts: its workflow parser refuses 100
/// characters or more (@actions/workflow-parser, IdBuilder.tryAddKnownId).
constexpr size_t maxJobIdLength = 99;

/// `tag-rc_tag` as is: a job id both backends accept, from any text. It
/// starts with a letter or `_` (else `job-` goes first), holds only letters,
/// digits, `-` and `_` (anything else becomes `-`), and has at most
/// maxJobIdLength characters (a longer one is cut and ends in a hash of
/// \p text).
std::string jobId(llvm::StringRef text);

/// The command a CI step runs for a node: a constant script, whatever the
/// plan says. The step id comes from the `RELC_STEP` environment variable
/// (never from `${{ }}` or the script's text), an approval's group from
/// `RELC_APPROVE`: the job's protected environment is the gate, and CI has
/// approved by the time the job runs.
std::string runCommand(llvm::StringRef stage,
                       const graph::Node *node = nullptr);

/// The tags stage \p stage makes whose names hold an RC number (their
/// `nameParts` are the text around it): a push of one starts the stage.
std::vector<const graph::TagNode *> rcTags(const graph::Graph &g,
                                           llvm::StringRef stage);

/// `https://test.pypi.org/simple/` -> `https://test.pypi.org`: where a
/// package index answers trusted publishing (`/_/oidc/...`).
std::string indexBase(llvm::StringRef index);

/// The OIDC audience a package index takes for trusted publishing, for CI
/// systems that fix it in the file (GitLab's `id_tokens`): PyPI's is
/// `pypi`, TestPyPI's `testpypi`.
std::string indexAudience(llvm::StringRef index);

/// `wheelhouse/*.whl` -> `wheelhouse`: the directory of a leg's first
/// artifact glob, where CI puts its artifacts back for the test and upload
/// (upload-artifact stores paths below the longest common directory).
std::string artifactDir(llvm::ArrayRef<std::string> globs);

/// `'cut/branch-release_branch'`: a single-quoted shell word.
std::string shellWord(llvm::StringRef s);

/// The shell lines that install the lock's relc package under \p dir (a
/// directory the job owns, as the shell should read it): download, check
/// the SHA-256, unpack without root. The URL and digest reach the lines
/// through `RELC_DEB_URL` and `RELC_DEB_SHA256`, never through their text;
/// `DIR/relc/usr/bin` is then to go on PATH, in the backend's own way.
std::string installRelcLines(llvm::StringRef dir);

/// The plan's `overlay BACKEND "GLOB" {...}` items for one backend, in the
/// order written, remembering which matched a job and which of their
/// `allow`s an edit needed.
class Overlays {
public:
  /// \p lock pins the actions overlays add (GitHub); null for GitLab.
  Overlays(llvm::ArrayRef<sema::Overlay> all, llvm::StringRef backend,
           const ActionsLock *lock = nullptr);
  /// Applies every overlay whose pattern matches \p jobId to \p job, edit
  /// by edit, each held to relc's policy (Policy.h): an edit that needs an
  /// `allow` its overlay does not give is an error at the edit; one its
  /// overlay allows gets the reason as a comment above the key it edits.
  /// False if any edit was refused.
  bool apply(DiagnosticEngine &diags, llvm::StringRef jobId, yaml::Node &job);
  /// Warns of each overlay that matched none of \p jobIds, and of each
  /// `allow` no edit of its overlay needed.
  void reportUnmatched(DiagnosticEngine &diags,
                       llvm::ArrayRef<std::string> jobIds) const;

private:
  struct Entry {
    const sema::Overlay *overlay;
    llvm::GlobPattern glob;
    bool matched;
    llvm::StringSet<> allowsUsed;
    std::set<std::pair<const sema::OverlayEntry *, std::string>> reported;
  };
  std::string backend;
  const ActionsLock *lock;
  std::vector<Entry> entries;
};

} // namespace relc::emit

#endif // RELC_EMIT_JOBS_H
