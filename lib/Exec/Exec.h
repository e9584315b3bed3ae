//===- Exec.h - relc run: walking a step graph against the world -*- C++
//-*-===//
//
// Every step is probe, act, verify, record. The probe reads the world (the
// remote's refs, never local branches; the journal for approvals and shell
// steps), decides whether the step is already done, needed, or contradicted,
// and only `--execute` acts. A dry run changes no ref, local or remote, and
// writes no journal: it prints what it found and what it would do.
// docs/running.md describes the behaviour from the user's side.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EXEC_EXEC_H
#define RELC_EXEC_EXEC_H

#include "Basic/Time.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace relc {
class DiagnosticEngine;
namespace graph {
struct Graph;
}

namespace exec {

struct RunOptions {
  std::string stage;
  std::optional<unsigned> rc; ///< Unset: from the environment or the remote.
  std::string step;           ///< Only this step (how CI jobs run).
  /// Only the build, test and upload steps of this leg: its values as
  /// `3.12, linux-x86_64, cpu`, or its name.
  std::string leg;
  /// Where a leg's artifacts are when its build ran elsewhere; empty: the
  /// state directory's `artifacts/MATRIX/NAME`, where a build puts them.
  std::string legArtifacts;
  std::string repo = ".";
  std::string remote; ///< Name or URL; empty: the plan's `repo.remote`.
  /// `--partner-remote pytorch=URL`: where the releases this one goes with
  /// (`with pytorch 2.4.0;`) tag, by project.
  std::map<std::string, std::string> partnerRemotes;
  std::string stateDir; ///< Empty: `.git/relc/<project>-<version>`.
  std::string artifactsDir = ".";
  bool execute = false;
  std::vector<std::string> approvals; ///< Groups approving (`--approve`).
  std::optional<Date> today;          ///< Overrides the clock for waits.
  unsigned shellTimeout = 3600;       ///< Seconds, if a step sets none.
  bool json = false;
  /// Fault injection for tests: `after-step:N` or `after-act:N` kills the
  /// process with SIGKILL at that point of the Nth step.
  std::string debugKill;
};

/// What happened to a step, as the progress line and the summary say it.
enum class StepStatus {
  Done,     ///< Acted and verified.
  Skipped,  ///< The world already matched.
  Would,    ///< Dry run: the action it would take.
  Passed,   ///< A check or a wait that holds.
  Ci,       ///< Runs as a CI job (builds), nothing to do here.
  Blocked,  ///< Needs an approval or a date.
  Failed,   ///< A check failed, a command failed.
  Conflict, ///< The world contradicts the plan.
};
llvm::StringRef statusName(StepStatus s);

struct StepResult {
  std::string id, key;
  StepStatus status;
  std::string detail; ///< The probe's finding and what was (or would be) done.
  std::vector<std::string> findings; ///< Checks: one line per problem.
  bool acted = false;
};

struct RunSummary {
  enum class Result {
    Ok,         ///< Every step done, skipped or (dry) would be done.
    Stopped,    ///< A step failed, was blocked or found a contradiction.
    NotStarted, ///< The repository, remote or journal could not be used.
  };
  Result result = Result::NotStarted;
  std::optional<unsigned> rc; ///< The RC number the run used.
  std::vector<StepResult> steps;
};

/// Runs stage `opts.stage` of \p g (lowered for that stage; with `{rc}`
/// unbound, the run finds the RC number and binds it). Progress and the
/// summary go to \p out, problems to \p diags.
RunSummary run(const graph::Graph &g, const RunOptions &opts,
               llvm::raw_ostream &out, DiagnosticEngine &diags);

} // namespace exec
} // namespace relc

#endif // RELC_EXEC_EXEC_H
