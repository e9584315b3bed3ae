//===- GitLab.cpp - .gitlab-ci.yml from the step graph --------------------===//
//
// One pipeline holds every stage, in the plan's stage order. A stage starts
// by hand (its first jobs are manual: a release manager, or a pipeline
// schedule, starts it on its date); an approval is a manual job in a
// protected environment; publishing jobs share a resource group so two
// never run at once; builds use `parallel: matrix`, one entry per leg, cut
// at GitLab's 200.
//
//===----------------------------------------------------------------------===//
#include "Emit/Emit.h"
#include "Emit/Jobs.h"
#include "Emit/Yaml.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;
using namespace relc::emit;
using YNode = yaml::Node;
using GNode = graph::Node;

/// A GitLab variable name for an axis: `python` -> `PYTHON`.
static std::string variable(llvm::StringRef axis) {
  std::string v;
  for (char c : axis)
    v += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  return v;
}

std::optional<Output> emit::gitlab(DiagnosticEngine &diags,
                                   const Context &ctx) {
  YNode root;
  YNode &stages = root["stages"];
  for (const graph::StageInfo &s : ctx.graph.stages)
    stages.push(YNode::str(s.name));
  // A path may hold `$`, which GitLab would expand.
  YNode plan;
  plan.set("value", YNode::str(ctx.graph.file));
  plan.set("expand", YNode::boolean(false));
  root["variables"].set("RELC_PLAN", std::move(plan));

  std::map<std::string, std::vector<std::string>> lastJobs; // Per stage.
  Overlays overlays(ctx.overlays, "gitlab");
  bool ok = true;
  std::vector<std::string> jobIds;
  for (const graph::StageInfo &s : ctx.graph.stages) {
    std::vector<Job> jobs = stageJobs(ctx.graph, s.name, gitlabParallelLimit);
    if (!checkSplits(diags, jobs, s.name, gitlabParallelLimit,
                     "GitLab's 'parallel' limit", ctx.split))
      return std::nullopt;
    std::string prefix = graph::slug(s.name) + "-";
    for (const Job &j : jobs) {
      YNode job;
      job.set("stage", YNode::str(s.name));
      YNode &needs = job["needs"];
      needs = YNode::sequence();
      for (const std::string &n : j.needs)
        needs.push(YNode::str(prefix + n));
      bool entry = j.needs.empty();
      if (entry)
        for (const std::string &a : s.after)
          for (const std::string &n : lastJobs[a])
            needs.push(YNode::str(n));
      if (!j.environment.empty() || entry)
        job.set("when", YNode::word("manual"));
      if (!j.environment.empty()) {
        // The group reaches the script through a variable GitLab does not
        // expand, never through the script's text.
        YNode group;
        group.set("value", YNode::str(j.environment));
        group.set("expand", YNode::boolean(false));
        job["variables"].set("RELC_APPROVE", std::move(group));
        // No `action`: a deployment (`start`, the default) is what GitLab's
        // deployment approvals hold; `access` would run without one.
        job["environment"].set("name", YNode::str(j.environment));
      }
      if (j.irreversible)
        job.set("resource_group",
                YNode::str("relc-" + graph::slug(ctx.graph.project) + "-" +
                           graph::slug(ctx.graph.version) + "-" + s.name));
      YNode &script = job["script"];
      if (j.matrix) {
        YNode &matrix = job["parallel"]["matrix"];
        for (const GNode *n : j.nodes) {
          YNode leg;
          leg.set("RELC_STEP", YNode::str(n->id));
          for (const auto &[axis, value] : n->as<graph::BuildNode>().leg)
            leg.set(variable(axis), YNode::str(value));
          matrix.push(std::move(leg));
        }
        script.push(YNode::str(runCommand(s.name)));
      } else {
        for (const GNode *n : j.nodes)
          script.push(YNode::str("RELC_STEP=" + shellWord(n->id) + "; " +
                                 runCommand(s.name, n)));
      }
      // Every job's edits are checked, so that one run reports them all.
      if (!overlays.apply(diags, prefix + j.id, job))
        ok = false;
      jobIds.push_back(prefix + j.id);
      root.set(prefix + j.id, std::move(job));
    }
    for (const Job &j : jobs)
      if (!j.nodes.empty() && llvm::any_of(j.nodes, [&](const GNode *n) {
            const graph::StageInfo *info = ctx.graph.stage(s.name);
            return llvm::is_contained(info->exits, n->id);
          }))
        lastJobs[s.name].push_back(prefix + j.id);
  }
  if (!ok)
    return std::nullopt;
  overlays.reportUnmatched(diags, jobIds);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << ctx.header;
  yaml::write(root, os);
  return Output{".gitlab-ci.yml", os.str()};
}
