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

#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
class SourceMgr;
} // namespace llvm

namespace relc {
class DiagnosticEngine;
namespace sema {
struct Plan;
}

namespace exec {

struct RunOptions {
  std::string planPath; ///< As named on the command line.
  std::string stage;
  std::optional<unsigned> rc; ///< Unset: from the environment or the remote.
  std::string step;           ///< Only this step (how CI jobs run).
  std::string repo = ".";
  std::string remote;   ///< Name or URL; empty: the plan's `repo.remote`.
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

/// Runs a stage of a checked release plan. Returns the exit code: 0 done
/// (or, dry, nothing in the way), 1 a step failed, was blocked or found the
/// world contradicting the plan, 2 git or I/O failed.
int run(const sema::Plan &plan, const llvm::SourceMgr &sm,
        const RunOptions &opts, llvm::raw_ostream &out,
        DiagnosticEngine &diags);

} // namespace exec
} // namespace relc

#endif // RELC_EXEC_EXEC_H
