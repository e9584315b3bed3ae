//===- Checks.h - The built-in check functions ---------------------*- C++
//-*-===//
//
// What `require NAME;` runs: the check functions a plan may call
// (docs/language.md section 4.4). The history checks read the remote's
// branches (their objects already downloaded) and match commits by what a
// cherry-pick keeps: the `(cherry picked from commit X)` line, the PR
// (`Pull Request resolved: .../pull/N` or a `(#N)` title), or the patch-id,
// never by a URL appearing somewhere in a message.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EXEC_CHECKS_H
#define RELC_EXEC_CHECKS_H

#include "Basic/Time.h"
#include "Git/Git.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace relc::graph {
struct CheckNode;
}

namespace relc::exec {

struct CheckContext {
  const git::Repository &repo;
  /// The commit a branch or tag name has on the remote, if it exists.
  std::function<std::optional<git::Oid>(llvm::StringRef)> resolve;
  std::string mainBranch;   ///< Where fixes land first (`main`).
  std::string artifactsDir; ///< Where artifact_size looks.
  /// A file of the tree the stage's commands run in (its last tag, else
  /// HEAD), by its path from the top; nullopt if it has none there.
  std::function<llvm::Expected<std::optional<std::string>>(llvm::StringRef)>
      readTreeFile;
  /// A patch release: its minor's final tag, after which its picks start,
  /// and the last day a pick may be made (schedule.cherry_pick_deadline).
  std::string patchBase;
  std::optional<Date> pickDeadline;
};

struct CheckResult {
  bool passed = false;
  std::string summary; ///< One line: what was checked and the outcome.
  std::vector<std::string> findings; ///< One line per problem (or note).
};

/// Runs the check \p check; an error means the check could not run at
/// all (a branch missing, an unreadable tracker).
llvm::Expected<CheckResult> runCheck(const graph::CheckNode &check,
                                     const CheckContext &ctx);

} // namespace relc::exec

#endif // RELC_EXEC_CHECKS_H
