//===- RunCommand.cpp - relc run ------------------------------------------===//
//
// Checks the release like every other command, then hands a stage to the
// executor (lib/Exec). libgit2 is loaded only here.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"
#include "Exec/Exec.h"
#include "Sema/Plan.h"

#include "Basic/Suggest.h"

#include "llvm/Support/raw_ostream.h"

using namespace relc;

int relc::runRun(const RunOptions &opts, const DriverEnv &env) {
  Compilation comp(env.fs, env.err, opts.diagnostics);
  DiagnosticEngine &diags = comp.getDiags();
  std::unique_ptr<sema::Plan> plan = comp.loadRelease(opts.file, "run");
  std::optional<Date> today;
  if (plan) {
    comp.checkStageName(*plan, opts.file, opts.stage);
    if (!opts.today.empty()) {
      std::string why;
      today = Date::parse(opts.today, &why);
      if (!today)
        diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                     "--today " + opts.today + ": " + why);
    }
  }
  diags.flush();
  if (!plan || diags.hasErrors())
    return diags.hasErrors() ? diags.exitCode() : 1;

  exec::RunOptions ro;
  ro.planPath = opts.file;
  ro.stage = opts.stage;
  ro.rc = opts.rc;
  ro.step = opts.step;
  ro.repo = opts.repo;
  ro.remote = opts.remote;
  ro.stateDir = opts.stateDir;
  ro.artifactsDir = opts.artifacts;
  ro.execute = opts.execute;
  ro.approvals = opts.approvals;
  ro.today = today;
  ro.shellTimeout = opts.timeout;
  ro.json = opts.format == RunFormat::Json;
  ro.debugKill = opts.debugKill;
  int rc = exec::run(*plan, comp.getSourceMgr(), ro, env.out, diags);
  diags.flush();
  return rc;
}
