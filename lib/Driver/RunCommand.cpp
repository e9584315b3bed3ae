//===- RunCommand.cpp - relc run ------------------------------------------===//
//
// Checks the release like every other command, then hands a stage to the
// executor (lib/Exec). libgit2 is loaded only here.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"
#include "Exec/Exec.h"
#include "Graph/Graph.h"
#include "Sema/Plan.h"

#include "Basic/Suggest.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <ctime>

using namespace relc;

/// Every `--approve GROUP` must name a group some approval step waits for:
/// a typo would otherwise approve nothing, silently.
static void checkApprovals(DiagnosticEngine &diags, const sema::Plan &plan,
                           llvm::StringRef file,
                           llvm::ArrayRef<std::string> approvals) {
  std::vector<std::string> groups;
  for (const sema::Stage &st : plan.stages)
    for (const sema::Step &s : st.steps)
      if (const auto *a = s.as<sema::ApprovalStep>())
        groups.push_back(a->group.bind(std::nullopt));
  for (const std::string &g : approvals)
    if (!llvm::is_contained(groups, g))
      diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                   "no approval step of plan " + file + " waits for group '" +
                       g + "'" + didYouMean(g, groups));
}

/// The day a run of a recurring stage builds, as `YYYYMMDD`: RELC_DATE
/// (which every job of one CI run shares, also across midnight), else
/// `--today`, else the clock's UTC date. One step alone, as a CI job runs
/// it, must be told: its jobs must agree.
static bool nightlyDate(DiagnosticEngine &diags, const sema::Plan &plan,
                        const RunOptions &opts, std::optional<Date> today,
                        std::optional<std::string> &out) {
  auto st = llvm::find_if(
      plan.stages, [&](const sema::Stage &s) { return s.name == opts.stage; });
  if (st == plan.stages.end() || st->cron.empty())
    return true;
  if (llvm::Optional<std::string> env = llvm::sys::Process::GetEnv("RELC_DATE");
      env && !env->empty()) {
    unsigned n = 0;
    if (env->size() != 8 || llvm::StringRef(*env).getAsInteger(10, n) ||
        !Date::fromYMD(n / 10000, n / 100 % 100, n % 100)) {
      diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                   "RELC_DATE is '" + *env + "', not a date as YYYYMMDD");
      diags.flush();
      return false;
    }
    out = *env;
    return true;
  }
  if (!today && !opts.step.empty()) {
    diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                 "step " + opts.step + " of recurring stage " + opts.stage +
                     " needs the day it builds: RELC_DATE=YYYYMMDD (or "
                     "--today)");
    diags.flush();
    return false;
  }
  Date d = today ? *today : Date::fromDays(std::time(nullptr) / 86400);
  std::string s = d.str();
  llvm::erase_value(s, '-');
  out = s;
  return true;
}

int relc::runRun(const RunOptions &opts, const DriverEnv &env) {
  Compilation comp(env, opts.diagnostics);
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
  if (plan)
    checkApprovals(diags, *plan, opts.file, opts.approvals);
  diags.flush();
  if (!plan || diags.hasErrors())
    return diags.hasErrors() ? diags.exitCode() : 1;

  graph::LowerOptions lo;
  lo.stage = opts.stage;
  if (!nightlyDate(diags, *plan, opts, today, lo.date))
    return diags.exitCode();
  graph::Graph g = comp.lower(*plan, lo, opts.file);
  exec::RunOptions ro;
  ro.stage = opts.stage;
  ro.rc = opts.rc;
  ro.step = opts.step;
  ro.leg = opts.leg;
  ro.legArtifacts = opts.legArtifacts;
  ro.repo = opts.repo;
  ro.remote = opts.remote;
  ro.stateDir = opts.stateDir;
  ro.artifactsDir = opts.artifacts;
  ro.execute = opts.execute;
  ro.approvals = opts.approvals;
  for (const std::string &given : opts.partnerRemotes) {
    auto [project, url] = llvm::StringRef(given).split('=');
    if (!plan->partner(project) || url.empty()) {
      std::vector<std::string> names;
      for (const sema::Partner &p : plan->partners)
        names.push_back(p.project);
      diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                   "--partner-remote " + given +
                       ": expected PROJECT=URL, PROJECT one of the releases "
                       "this one goes with" +
                       didYouMean(project, names));
      diags.flush();
      return diags.exitCode();
    }
    ro.partnerRemotes[project.str()] = url.str();
  }
  ro.today = today;
  ro.shellTimeout = opts.timeout;
  ro.json = opts.format == RunFormat::Json;
  ro.debugKill = opts.debugKill;
  exec::RunSummary summary = exec::run(g, ro, env.out, diags);
  diags.flush();
  if (summary.result == exec::RunSummary::Result::Ok)
    return 0;
  return diags.exitCode() ? diags.exitCode() : 1;
}
