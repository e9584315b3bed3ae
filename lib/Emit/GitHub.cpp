//===- GitHub.cpp - GitHub Actions workflows from the step graph ----------===//
//
// One workflow per stage, since stages start at different times (a date, a
// tag push, another stage's success, a person). Secure by default: no
// permissions at the top, the least grant per job, credentials not kept in
// the checkout, every action pinned to a commit from the lock file, and no
// `${{ }}` in any script (values reach scripts through `env:`).
//
//===----------------------------------------------------------------------===//
#include "Emit/Emit.h"
#include "Emit/Jobs.h"
#include "Emit/Policy.h"
#include "Emit/Yaml.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;
using namespace relc::emit;
using YNode = yaml::Node;
using GNode = graph::Node;

static std::string workflowName(const graph::Graph &g, llvm::StringRef stage) {
  return g.project + " " + g.version + " " + stage.str();
}

static std::string workflowFile(const graph::Graph &g, llvm::StringRef stage) {
  return "relc-" + graph::slug(g.project) + "-" + graph::slug(g.version) + "-" +
         graph::slug(stage) + ".yml";
}

/// The `uses:` of \p action pinned from the lock, with its version as a
/// comment; reports an action the lock lacks.
static std::optional<YNode> pinned(DiagnosticEngine &diags,
                                   const ActionsLock &lock,
                                   llvm::StringRef action) {
  const PinnedAction *pin = lock.find(action);
  if (!pin) {
    diags.report(DiagKind::ActionsLock, llvm::SMRange(),
                 "action '" + action +
                     "' is not in the actions lock; add it with its version "
                     "and full commit sha");
    return std::nullopt;
  }
  return YNode::str(action.str() + "@" + pin->sha, pin->version);
}

static YNode triggers(const graph::Graph &g, const graph::StageInfo &s) {
  YNode on;
  // A stage that tags an RC is started by pushing such a tag, too.
  if (!s.params.empty())
    for (const GNode &n : g.nodes)
      if (auto *t = std::get_if<graph::TagNode>(&n.payload);
          t && n.stage == s.name && t->nameParts.size() > 1) {
        // The name around the RC number, matched literally (a `+` in a
        // tag would otherwise repeat the character before it).
        std::vector<std::string> parts;
        for (const std::string &p : t->nameParts)
          parts.push_back(literalFilter(p));
        on["push"]["tags"].push(YNode::str(llvm::join(parts, "*")));
      }
  // A parameterised stage runs per RC, for an RC tag push or a dispatch
  // naming the RC: every job must agree on the number, so no trigger
  // without one (relc run --step never guesses it). Every other stage is
  // started by hand: not by `workflow_run` (which runs with the default
  // branch's secrets for any run of the other workflow, and whose jobs
  // must each check its conclusion), and not by a yearly cron on its date
  // (which started the stage again every year). A stage that runs after
  // others checks them first (afterJob), its date in its wait step.
  YNode &dispatch = on["workflow_dispatch"];
  if (!s.params.empty()) {
    YNode &rc = dispatch["inputs"]["rc"];
    rc.set("description", YNode::word("release candidate number"));
    rc.set("required", YNode::boolean(true));
    rc.set("type", YNode::word("string"));
  } else {
    dispatch = YNode::mapping();
  }
  return on;
}

/// The job a stage that runs after others starts with: it checks that each
/// of them has a successful run of its workflow, with no more rights than
/// reading runs, and fails the stage's workflow if one has none.
static YNode afterJob(const graph::Graph &g, const graph::StageInfo &s) {
  YNode out;
  out.set("name", YNode::str("after " + llvm::join(s.after, ", ")));
  out.set("runs-on", YNode::word("ubuntu-latest"));
  out["permissions"].set("actions", YNode::word("read"));
  YNode &steps = out["steps"];
  steps = YNode::sequence();
  for (const std::string &a : s.after) {
    YNode st;
    st.set("name", YNode::str(workflowName(g, a) + " succeeded"));
    YNode &env = st["env"];
    env.set("GH_TOKEN", YNode::expression("${{ github.token }}"));
    env.set("GH_REPO", YNode::expression("${{ github.repository }}"));
    env.set("RELC_AFTER", YNode::str(workflowFile(g, a)));
    st.set("run",
           YNode::word("gh run list --workflow \"$RELC_AFTER\" --status "
                       "success --limit 1 --json databaseId --jq "
                       "'.[].databaseId' | grep -q . || { echo \"::error::no "
                       "successful run of $RELC_AFTER; run that stage "
                       "first\"; exit 1; }\n"));
    steps.push(std::move(st));
  }
  return out;
}

static std::optional<YNode> job(DiagnosticEngine &diags, const Context &ctx,
                                const ActionsLock &lock, Overlays &overlays,
                                const graph::StageInfo &s, const Job &j,
                                bool entry, llvm::StringRef after, bool &ok) {
  YNode out;
  const GNode &first = *j.nodes.front();
  const auto *build = std::get_if<graph::BuildNode>(&first.payload);
  if (j.matrix) {
    out.set("name", YNode::expression("build " + build->matrix +
                                      " (${{ matrix.leg }})"));
  } else {
    out.set(
        "name",
        YNode::str(first.summary() +
                   (j.nodes.size() > 1
                        ? " and " + std::to_string(j.nodes.size() - 1) + " more"
                        : "")));
  }
  out.set("runs-on", YNode::word("ubuntu-latest"));
  if (!j.needs.empty() || (entry && !after.empty())) {
    YNode &needs = out["needs"];
    if (entry && !after.empty())
      needs.push(YNode::str(after.str()));
    for (const std::string &n : j.needs)
      needs.push(YNode::str(n));
  }
  if (!j.environment.empty())
    out.set("environment", YNode::str(j.environment));
  YNode &perms = out["permissions"];
  // A `once` step claims its marker by pushing a ref: it writes to the
  // repository as git steps do.
  perms.set("contents",
            YNode::word(j.writesGit || j.publishes ? "write" : "read"));
  if (j.publishes)
    perms.set("id-token", YNode::word("write"));
  if (j.irreversible) {
    YNode &c = out["concurrency"];
    c.set("group", YNode::str("relc-" + graph::slug(ctx.graph.project) + "-" +
                              graph::slug(ctx.graph.version) + "-" + s.name +
                              "-" + j.id));
    c.set("cancel-in-progress", YNode::boolean(false));
  }
  std::optional<Duration> timeout;
  if (build)
    timeout = build->timeout;
  else if (auto *a = std::get_if<graph::ApprovalNode>(&first.payload))
    timeout = a->timeout;
  else if (auto *sh = std::get_if<graph::ShellNode>(&first.payload))
    timeout = sh->timeout;
  if (timeout)
    out.set("timeout-minutes", YNode::number((timeout->inSeconds() + 59) / 60));
  if (j.matrix) {
    YNode &strategy = out["strategy"];
    strategy.set("fail-fast", YNode::boolean(false));
    YNode &include = strategy["matrix"]["include"];
    for (const GNode *n : j.nodes) {
      YNode leg;
      leg.set("step", YNode::str(n->id));
      const auto &axes = n->as<graph::BuildNode>().leg;
      std::vector<std::string> values;
      for (const auto &[axis, value] : axes)
        values.push_back(value);
      leg.set("leg", YNode::str(llvm::join(values, ", ")));
      for (const auto &[axis, value] : axes)
        leg.set(axis, YNode::str(value));
      include.push(std::move(leg));
    }
  }
  YNode &steps = out["steps"];
  std::optional<YNode> checkout = pinned(diags, lock, "actions/checkout");
  if (!checkout)
    return std::nullopt;
  YNode co;
  co.set("name", YNode::word("Check out"));
  co.set("uses", *checkout);
  co["with"].set("persist-credentials", YNode::boolean(false));
  co["with"].set("fetch-depth", YNode::number(0));
  steps.push(std::move(co));
  auto step = [&](const std::string &name, YNode stepId, const GNode *n) {
    bool git = n && (n->kind() == GNode::Kind::Branch ||
                     n->kind() == GNode::Kind::Tag ||
                     n->kind() == GNode::Kind::Commit);
    YNode st;
    st.set("name", YNode::str(name));
    YNode &env = st["env"];
    env.set("RELC_STEP", std::move(stepId));
    if (n && n->kind() == GNode::Kind::Approval)
      env.set("RELC_APPROVE", YNode::str(n->as<graph::ApprovalNode>().group));
    // Git steps and `once` markers push with the job's token, passed by
    // name: never written into the checkout, never in a script.
    if (git || (n && n->once))
      env.set("RELC_GIT_TOKEN",
              YNode::expression("${{ secrets.GITHUB_TOKEN }}"));
    // A literal block: the command reads as it runs.
    st.set("run", YNode::word(runCommand(s.name, n) + "\n"));
    steps.push(std::move(st));
  };
  if (j.matrix)
    step("build " + build->matrix, YNode::expression("${{ matrix.step }}"),
         nullptr);
  else
    for (const GNode *n : j.nodes)
      step(n->summary(), YNode::str(n->id), n);
  // Every job's edits are checked, so that one run reports them all.
  if (!overlays.apply(diags, j.id, out))
    ok = false;
  return out;
}

std::optional<std::vector<Output>> emit::github(DiagnosticEngine &diags,
                                                const Context &ctx,
                                                const ActionsLock &lock) {
  std::vector<Output> outputs;
  bool ok = true;
  Overlays overlays(ctx.overlays, "github", &lock);
  std::vector<std::string> jobIds;
  for (const graph::StageInfo &s : ctx.graph.stages) {
    std::vector<Job> jobs = stageJobs(ctx.graph, s.name, githubMatrixLimit);
    if (!checkSplits(diags, jobs, s.name, githubMatrixLimit,
                     "GitHub's limit per job", ctx.split))
      ok = false;
    YNode wf;
    wf.set("name", YNode::str(workflowName(ctx.graph, s.name)));
    wf.set("on", triggers(ctx.graph, s));
    wf.set("permissions", YNode::mapping());
    YNode &env = wf["env"];
    env.set("RELC_PLAN", YNode::str(ctx.graph.file));
    if (!s.params.empty())
      env.set("RELC_RC", YNode::expression("${{ inputs.rc }}"));
    YNode &jobsNode = wf["jobs"];
    std::string after;
    if (!s.after.empty() && s.params.empty() && !jobs.empty()) {
      after = "after";
      for (unsigned n = 2;
           llvm::any_of(jobs, [&](const Job &j) { return j.id == after; }); ++n)
        after = "after-" + std::to_string(n);
      YNode a = afterJob(ctx.graph, s);
      if (!overlays.apply(diags, after, a))
        ok = false;
      jobIds.push_back(after);
      jobsNode.set(after, std::move(a));
    }
    for (size_t k = 0; k < jobs.size(); ++k) {
      std::optional<YNode> j = job(diags, ctx, lock, overlays, s, jobs[k],
                                   jobs[k].needs.empty(), after, ok);
      if (!j)
        return std::nullopt;
      jobIds.push_back(jobs[k].id);
      jobsNode.set(jobs[k].id, std::move(*j));
    }
    if (jobs.empty())
      continue;
    if (!checkDataIsInert(diags, wf, workflowFile(ctx.graph, s.name)))
      return std::nullopt;
    std::string text;
    llvm::raw_string_ostream os(text);
    os << ctx.header;
    yaml::write(wf, os);
    outputs.push_back({workflowFile(ctx.graph, s.name), os.str()});
  }
  if (!ok)
    return std::nullopt;
  overlays.reportUnmatched(diags, jobIds);
  return outputs;
}
