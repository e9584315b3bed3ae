//===- GitLab.cpp - .gitlab-ci.yml from the step graph --------------------===//
//
// One pipeline holds every stage, in the plan's stage order. A stage starts
// by hand (its first jobs are manual: a release manager, or a pipeline
// schedule, starts it on its date); an approval is a manual job in a
// protected environment; publishing jobs share a resource group so two
// never run at once; a leg's build, test and upload are jobs of their own
// (recipeJobs), the legs of one build step at most GitLab's 200.
//
//===----------------------------------------------------------------------===//
#include "Emit/Emit.h"
#include "Emit/Jobs.h"
#include "Emit/Policy.h"
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

/// The RC tags stage \p s makes, as a regular expression (`/^...$/`);
/// empty if it makes none. It reaches `rules:` through a variable, so no
/// text of a plan is ever part of a rule's expression.
static std::string tagPattern(const graph::Graph &g,
                              const graph::StageInfo &s) {
  std::vector<const graph::TagNode *> tags = rcTags(g, s.name);
  if (tags.empty())
    return "";
  std::vector<std::string> parts;
  for (const std::string &p : tags.front()->nameParts)
    parts.push_back(regexLiteral(p));
  return "/^" + llvm::join(parts, "[0-9]+") + "$/";
}

static std::string tagVariable(const graph::StageInfo &s) {
  return "RELC_TAGS_" + variable(s.name);
}

/// The `rules:` of a job of stage \p s: which pipelines hold it. One
/// pipeline file serves them all: a schedule runs the recurring stage and
/// nothing else; an RC tag push starts the stage that makes that tag; a
/// pipeline run by hand (`web`) offers every other stage, its first jobs
/// manual. \p start: the job starts its stage; \p manual: it always waits
/// for a person (an approval).
static YNode rules(const graph::Graph &g, const graph::StageInfo &s, bool start,
                   bool manual) {
  YNode out = YNode::sequence();
  auto rule = [&](std::string cond, bool byHand) {
    YNode r;
    r.set("if", YNode::str(std::move(cond)));
    if (byHand)
      r.set("when", YNode::word("manual"));
    out.push(std::move(r));
  };
  // GitLab keeps the schedule itself (CI/CD > Schedules, with the stage's
  // cron line); a pipeline run by hand with RELC_STAGE set to the stage
  // runs it between two.
  if (!s.cron.empty()) {
    rule("$CI_PIPELINE_SOURCE == \"schedule\"", manual);
    rule("$CI_PIPELINE_SOURCE == \"web\" && $RELC_STAGE == \"" + s.name + "\"",
         manual);
    return out;
  }
  // A push of one of the RC tags this stage makes starts it.
  if (!tagPattern(g, s).empty())
    rule("$CI_COMMIT_TAG =~ $" + tagVariable(s), manual);
  rule("$CI_PIPELINE_SOURCE == \"web\"", manual || start);
  return out;
}

/// A recurring stage's day (`YYYYMMDD`): the pipeline's creation date, the
/// same for every job of it; then `{date}` in \p vars is that day.
static void datedScript(YNode &script, const graph::StageInfo &s,
                        const std::set<std::string> &vars) {
  if (s.cron.empty())
    return;
  script.push(YNode::str("RELC_DATE=$(printf '%s' \"$CI_PIPELINE_CREATED_AT\" "
                         "| cut -c1-10 | tr -d -); export RELC_DATE"));
  for (const std::string &v : vars)
    script.push(YNode::str(v + "=$(printf '%s' \"$" + v +
                           "\" | sed \"s/{date}/$RELC_DATE/g\"); export " + v));
}

/// Where a job runs relc, the lines that first install the lock's relc
/// package into a directory of the job's own and put it on PATH; nothing
/// without a package (relc must then be on the runner's PATH).
static void installRelc(YNode &script, const PinnedRelc *relc) {
  if (!relc)
    return;
  script.push(YNode::str("RELC_HOME=$(mktemp -d)"));
  std::string lines = installRelcLines("$RELC_HOME");
  llvm::SmallVector<llvm::StringRef, 4> each;
  llvm::StringRef(lines).split(each, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : each)
    script.push(YNode::str(line.str()));
  script.push(YNode::str("export PATH=\"$RELC_HOME/relc/usr/bin:$PATH\""));
}

/// The jobs of a matrix job of legs with recipes, one per leg (GitLab's
/// `needs` between `parallel: matrix` jobs cannot pair a leg's test with
/// its build): a build runs the recipe's command on a runner with the
/// recipe's runner as its tag, in its image, and keeps the artifacts; a
/// test needs its build's; an upload gets an OIDC token for the channel's
/// role and has relc probe and upload. Each job takes the overlays its name
/// matches; false if one of them fails.
static bool recipeJobs(DiagnosticEngine &diags, Overlays &overlays, YNode &root,
                       const Context &ctx, const graph::StageInfo &s,
                       const Job &j,
                       const std::map<std::string, std::string> &jobOfNode,
                       const PinnedRelc *relc,
                       std::vector<std::string> &jobIds) {
  using Phase = graph::BuildNode::Phase;
  bool ok = true;
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
    job.set("rules", rules(ctx.graph, s, false, false));
    vars.set("RELC_STEP", literal(n->id));
    if (b.phase == Phase::Upload) {
      bool index = graph::isIndexUpload(b.upload);
      YNode token;
      token.set("aud", YNode::str(index ? indexAudience(b.index)
                                        : std::string("sts.amazonaws.com")));
      job["id_tokens"].set("RELC_ID_TOKEN", std::move(token));
      if (index)
        vars.set("RELC_INDEX", literal(indexBase(b.index)));
      else
        vars.set("RELC_ROLE", literal(b.role));
      vars.set("RELC_BUILT", literal(artifactDir(b.artifacts)));
      installRelc(script, relc);
      datedScript(script, s, {});
      // The channel's role, assumed by the AWS CLI from the job's ID token
      // (a web identity), or trusted publishing: the ID token for a
      // short-lived upload token, which twine reads.
      if (!index && !b.role.empty())
        script.push(YNode::str(
            "printf '%s' \"$RELC_ID_TOKEN\" > \"$CI_BUILDS_DIR/relc-oidc\"; "
            "export AWS_WEB_IDENTITY_TOKEN_FILE=\"$CI_BUILDS_DIR/relc-oidc\" "
            "AWS_ROLE_ARN=\"$RELC_ROLE\""));
      if (index)
        script.push(YNode::str(
            "TWINE_PASSWORD=$(jq -n --arg t \"$RELC_ID_TOKEN\" '{token: $t}' "
            "| curl -fsS -X POST --data @- \"$RELC_INDEX/_/oidc/mint-token\" "
            "| jq -r .token); export TWINE_PASSWORD TWINE_USERNAME=__token__"));
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
      std::set<std::string> dated;
      if (llvm::StringRef(b.command).contains("{date}"))
        dated.insert("RELC_COMMAND");
      for (const auto &[k, v] : b.env) {
        vars.set(k, literal(v));
        if (llvm::StringRef(v).contains("{date}"))
          dated.insert(k);
      }
      datedScript(script, s, dated);
      script.push(YNode::str("eval \"$RELC_COMMAND\""));
      if (b.phase == Phase::Build && !b.artifacts.empty()) {
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
    // Every job's edits are checked, so that one run reports them all.
    if (!overlays.apply(diags, id, job))
      ok = false;
    jobIds.push_back(id);
    root.set(id, std::move(job));
  }
  return ok;
}

std::optional<Output> emit::gitlab(DiagnosticEngine &diags, const Context &ctx,
                                   const ActionsLock *lock) {
  YNode root;
  YNode &stages = root["stages"];
  for (const graph::StageInfo &s : ctx.graph.stages)
    stages.push(YNode::str(s.name));
  // A path may hold `$`, which GitLab would expand.
  YNode plan;
  plan.set("value", YNode::str(ctx.graph.file));
  plan.set("expand", YNode::boolean(false));
  root["variables"].set("RELC_PLAN", std::move(plan));
  for (const graph::StageInfo &s : ctx.graph.stages)
    if (std::string tags = tagPattern(ctx.graph, s); !tags.empty())
      root["variables"].set(tagVariable(s), literal(tags));
  const PinnedRelc *relc = lock && lock->relc ? &*lock->relc : nullptr;
  if (relc) {
    root["variables"].set("RELC_DEB_URL", literal(relc->url));
    root["variables"].set("RELC_DEB_SHA256", literal(relc->sha256));
  }

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
        jobOfNode[n->id] = j.matrix
                               ? jobId(prefix + n->id.substr(s.name.size() + 1))
                               : prefix + j.id;
    for (const Job &j : jobs) {
      if (j.matrix) {
        if (!recipeJobs(diags, overlays, root, ctx, s, j, jobOfNode, relc,
                        jobIds))
          ok = false;
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
      // Optional: a pipeline that starts this stage by its tag does not
      // hold the stages before it (relc run checks them on the remote).
      if (entry)
        for (const std::string &a : s.after)
          for (const std::string &n : lastJobs[a]) {
            YNode need;
            need.set("job", YNode::str(n));
            need.set("optional", YNode::boolean(true));
            needs.push(std::move(need));
          }
      job.set("rules", rules(ctx.graph, s, entry, !j.environment.empty()));
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
      // Built apart and set in order: a reference into the job does not
      // survive adding a key to it.
      YNode script = YNode::sequence();
      installRelc(script, relc);
      datedScript(script, s, {});
      for (const GNode *n : j.nodes)
        script.push(YNode::str("RELC_STEP=" + shellWord(n->id) + "; " +
                               runCommand(s.name, n)));
      job.set("script", std::move(script));
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
