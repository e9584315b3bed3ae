//===- RunCommand.cpp - relc run ------------------------------------------===//
//
// Checks the release like every other command, then hands a stage to the
// executor (lib/Exec). libgit2 is loaded only here.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/PlanLoader.h"
#include "Exec/Exec.h"
#include "Graph/Graph.h"
#include "Sema/Plan.h"

#include "Basic/Suggest.h"

#include "llvm/Support/raw_ostream.h"

using namespace relc;

int relc::runRun(const RunOptions &opts, llvm::raw_ostream &out,
                 llvm::raw_ostream &err) {
  Session session(err, opts.diagnostics);
  DiagnosticEngine &diags = session.diags;
  std::unique_ptr<sema::Plan> plan =
      loadRelease(session.loader, diags, opts.file, "run");
  std::optional<Date> today;
  if (plan) {
    checkStageName(diags, *plan, opts.file, opts.stage);
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

  graph::LowerOptions lo;
  lo.stage = opts.stage;
  graph::Graph g = graph::lower(*plan, lo, session.sm, opts.file);
  exec::RunOptions ro;
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
  exec::RunSummary summary = exec::run(g, ro, out, diags);
  diags.flush();
  if (summary.result == exec::RunSummary::Result::Ok)
    return 0;
  return diags.exitCode() ? diags.exitCode() : 1;
}
