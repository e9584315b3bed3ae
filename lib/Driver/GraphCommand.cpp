//===- GraphCommand.cpp - relc graph --------------------------------------===//
//
// Prints the step graph of a release: what `relc run` would walk and what
// `relc emit` turns into CI jobs.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"
#include "Graph/Graph.h"

#include "Basic/Suggest.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

int relc::runGraph(const GraphOptions &opts, const DriverEnv &env) {
  Compilation comp(env, opts.diagnostics);
  DiagnosticEngine &diags = comp.getDiags();
  llvm::raw_ostream &out = env.out;
  diags.setSubject(opts.file);
  std::unique_ptr<sema::Plan> plan = comp.loadRelease(opts.file, "graph");
  if (plan && !opts.stage.empty())
    comp.checkStageName(*plan, opts.file, opts.stage);
  diags.flush();
  if (!plan || diags.hasErrors())
    return diags.hasErrors() ? diags.exitCode() : 1;

  graph::LowerOptions lo;
  lo.stage = opts.stage;
  if (opts.rc >= 0)
    lo.rc = unsigned(opts.rc);
  graph::Graph g = comp.lower(*plan, lo, opts.file);
  switch (opts.format) {
  case GraphOptions::Format::Json:
    graph::printJson(g, out);
    break;
  case GraphOptions::Format::Dot:
    graph::printDot(g, out);
    break;
  case GraphOptions::Format::Mermaid:
    graph::printMermaid(g, out);
    break;
  }
  return 0;
}
