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
#include "llvm/Support/Path.h"

#include "llvm/Support/raw_ostream.h"
#include <map>
#include <set>

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

/// A value GitLab passes as it is: no `$` expansion.
static YNode literal(llvm::StringRef text) {
  YNode v;
  v.set("value", YNode::str(text.str()));
  v.set("expand", YNode::boolean(false));
  return v;
}

/// The jobs of a matrix job of legs with recipes, one per leg (GitLab's
/// `needs` between `parallel: matrix` jobs cannot pair a leg's test with
/// its build): a build runs the recipe's command on a runner with the
/// recipe's runner as its tag, in its image, and keeps the artifacts; a
/// test needs its build's; an upload gets an OIDC token for the channel's
/// role and has relc probe and upload.
static void recipeJobs(YNode &root, const Context &ctx,
                       const graph::StageInfo &s, const Job &j,
                       llvm::StringRef prefix,
                       const std::map<std::string, std::string> &jobOfNode,
                       std::vector<std::string> &jobIds) {
  using Phase = graph::BuildNode::Phase;
  for (const GNode *n : j.nodes) {
    const graph::BuildNode &b = n->as<graph::BuildNode>();
    // Built apart and set in order: a reference into a node does not
    // survive adding a key to it.
    YNode job, needs = YNode::sequence(), vars, script = YNode::sequence();
    job.set("stage", YNode::str(s.name));
    for (const std::string &d : n->needs) {
      auto it = jobOfNode.find(d);
      if (it == jobOfNode.end())
        continue;
      YNode need;
      need.set("job", YNode::str(it->second));
      need.set("artifacts",
               YNode::boolean(ctx.graph.node(d) &&
                              ctx.graph.node(d)->kind() == GNode::Kind::Build));
      needs.push(std::move(need));
    }
    job.set("needs", std::move(needs));
    vars.set("RELC_STEP", literal(n->id));
    if (b.phase == Phase::Upload) {
      YNode token;
      token.set("aud", YNode::str("sts.amazonaws.com"));
      job["id_tokens"].set("RELC_ID_TOKEN", std::move(token));
      vars.set("RELC_ROLE", literal(b.role));
      vars.set("RELC_BUILT", literal(artifactDir(b.artifacts)));
      script.push(YNode::str(
          "relc run \"$RELC_PLAN\" --stage " + s.name +
          " --step \"$RELC_STEP\" --built \"$RELC_BUILT\" --execute"));
    } else {
      YNode tags = YNode::sequence();
      tags.push(YNode::str(b.runner));
      job.set("tags", std::move(tags));
      if (!b.image.empty())
        job.set("image", YNode::str(b.image));
      if (b.submodules)
        vars.set("GIT_SUBMODULE_STRATEGY", YNode::word("recursive"));
      vars.set("RELC_COMMAND", literal(b.command));
      for (const auto &[k, v] : b.env)
        vars.set(k, literal(v));
      script.push(YNode::str("eval \"$RELC_COMMAND\""));
      if (b.phase == Phase::Build) {
        YNode artifacts, paths = YNode::sequence();
        for (const std::string &a : b.artifacts)
          paths.push(YNode::str(a));
        artifacts.set("paths", std::move(paths));
        artifacts.set("expire_in", YNode::str("1 week"));
        job.set("artifacts", std::move(artifacts));
      }
    }
    job.set("variables", std::move(vars));
    job.set("script", std::move(script));
    std::string id = jobOfNode.at(n->id);
    jobIds.push_back(id);
    root.set(id, std::move(job));
  }
  (void)prefix;
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
    // Legs with recipes get a job each, named by phase and leg.
    std::map<std::string, std::string> jobOfNode;
    for (const Job &j : jobs)
      for (const GNode *n : j.nodes)
        jobOfNode[n->id] = j.recipe
                               ? jobId(prefix + n->id.substr(s.name.size() + 1))
                               : prefix + j.id;
    for (const Job &j : jobs) {
      if (j.recipe) {
        recipeJobs(root, ctx, s, j, prefix, jobOfNode, jobIds);
        continue;
      }
      YNode job;
      job.set("stage", YNode::str(s.name));
      YNode &needs = job["needs"];
      needs = YNode::sequence();
      // The jobs holding this job's nodes' needs (a leg's job, for legs
      // with recipes).
      std::set<std::string> needed;
      for (const GNode *n : j.nodes)
        for (const std::string &d : n->needs)
          if (auto it = jobOfNode.find(d); it != jobOfNode.end() &&
                                           it->second != prefix + j.id &&
                                           needed.insert(it->second).second)
            needs.push(YNode::str(it->second));
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
    const graph::StageInfo *info = ctx.graph.stage(s.name);
    for (const Job &j : jobs)
      for (const GNode *n : j.nodes)
        if (llvm::is_contained(info->exits, n->id) &&
            !llvm::is_contained(lastJobs[s.name], jobOfNode[n->id]))
          lastJobs[s.name].push_back(jobOfNode[n->id]);
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
