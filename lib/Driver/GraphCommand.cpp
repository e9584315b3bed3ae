//===- GraphCommand.cpp - relc graph --------------------------------------===//
//
// Prints the step graph of a release: what `relc run` would walk and what
// `relc emit` turns into CI jobs.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/PlanLoader.h"
#include "Graph/Graph.h"

#include "Basic/Suggest.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

int relc::runGraph(const GraphOptions &opts, llvm::raw_ostream &out,
                   llvm::raw_ostream &err) {
  Session session(err, opts.diagnostics);
  llvm::SourceMgr &sm = session.sm;
  DiagnosticEngine &diags = session.diags;
  PlanLoader &loader = session.loader;
  diags.setSubject(opts.file);
  std::unique_ptr<sema::Plan> plan =
      loadRelease(loader, diags, opts.file, "graph");
  if (plan && !opts.stage.empty())
    checkStageName(diags, *plan, opts.file, opts.stage);
  diags.flush();
  if (!plan || diags.hasErrors())
    return diags.hasErrors() ? diags.exitCode() : 1;

  graph::LowerOptions lo;
  lo.stage = opts.stage;
  if (opts.rc >= 0)
    lo.rc = unsigned(opts.rc);
  graph::Graph g = graph::lower(*plan, lo, sm, opts.file);
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
