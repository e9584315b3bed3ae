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
#include "llvm/Support/Path.h"

#include "llvm/Support/raw_ostream.h"
#include <set>

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
  // A recurring stage runs on its schedule, or by hand between two.
  if (!s.cron.empty()) {
    YNode cron;
    cron.set("cron", YNode::str(s.cron));
    on["schedule"].push(std::move(cron));
    on["workflow_dispatch"] = YNode::mapping();
    return on;
  }
  // A stage that tags an RC is started by pushing such a tag, too.
  if (!s.params.empty())
    for (const graph::TagNode *t : rcTags(g, s.name)) {
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

/// The first job of a recurring stage's workflow: the day its builds are
/// versioned by (`.devYYYYMMDD`), taken once so that every job of the run
/// agrees, also across midnight.
static YNode dateJob() {
  YNode out;
  out.set("name", YNode::word("the day of this build"));
  out.set("runs-on", YNode::word("ubuntu-latest"));
  out.set("permissions", YNode::mapping());
  out["outputs"].set("date",
                     YNode::expression("${{ steps.date.outputs.date }}"));
  YNode st;
  st.set("id", YNode::word("date"));
  st.set("run", YNode::word("echo \"date=$(date -u +%Y%m%d)\" >> "
                            "\"$GITHUB_OUTPUT\"\n"));
  out["steps"].push(std::move(st));
  return out;
}

/// A recurring stage's jobs need the date job and pass its day to relc.
static void needDate(YNode &job, llvm::StringRef dateJobId) {
  if (dateJobId.empty())
    return;
  job["env"].set("RELC_DATE", YNode::expression("${{ needs." + dateJobId.str() +
                                                ".outputs.date }}"));
}

/// The step that installs relc from the lock's package before a job runs
/// it: download, check the SHA-256, unpack into the runner's temporary
/// directory (no root needed) and put it on PATH. Without a package in the
/// lock, relc must already be on the runner's PATH (emit warns).
static std::optional<YNode> installRelc(const ActionsLock &lock) {
  if (!lock.relc)
    return std::nullopt;
  YNode st;
  st.set("name", YNode::str("Install relc " + lock.relc->version));
  st.set("shell", YNode::word("bash"));
  YNode &env = st["env"];
  env.set("RELC_DEB_URL", YNode::str(lock.relc->url));
  env.set("RELC_DEB_SHA256", YNode::str(lock.relc->sha256));
  st.set("run", YNode::word(installRelcLines("$RUNNER_TEMP") +
                            "echo \"$RUNNER_TEMP/relc/usr/bin\" >> "
                            "\"$GITHUB_PATH\"\n"));
  return st;
}

/// The checkout step: credentials never kept; at \p ref if given (the
/// commit the stage's tag names), with submodules if a leg needs them.
static YNode checkoutStep(const YNode &uses, std::optional<YNode> ref,
                          bool submodules) {
  YNode co;
  co.set("name", YNode::word("Check out"));
  co.set("uses", uses);
  co["with"].set("persist-credentials", YNode::boolean(false));
  co["with"].set("fetch-depth", YNode::number(0));
  if (ref)
    co["with"].set("ref", std::move(*ref));
  if (submodules)
    co["with"].set("submodules", YNode::word("recursive"));
  return co;
}

/// A line of bash that puts the run's day (RELC_DATE) for `{date}` in the
/// variable \p name: the only place a nightly's text is completed.
static std::string datedVariable(llvm::StringRef name) {
  return name.str() + "=\"${" + name.str() + "//'{date}'/$RELC_DATE}\"\n";
}

/// Trusted publishing (PyPI's "other CI" flow, which is also what
/// pypa/gh-action-pypi-publish does): the job's OIDC token for the index's
/// audience is exchanged for a short-lived upload token, masked, and handed
/// to twine through the job's environment. No password is stored anywhere.
static YNode trustedPublishing() {
  YNode st;
  st.set("name", YNode::word("Get an upload token by trusted publishing"));
  st.set("shell", YNode::word("bash"));
  st["env"].set("RELC_INDEX", YNode::expression("${{ matrix.index }}"));
  st.set("run",
         YNode::word(
             "command -v twine >/dev/null || pipx install twine\n"
             "aud=$(curl -fsS \"$RELC_INDEX/_/oidc/audience\" | jq -r "
             ".audience)\n"
             "oidc=$(curl -fsS -H \"Authorization: bearer "
             "$ACTIONS_ID_TOKEN_REQUEST_TOKEN\" "
             "\"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=$aud\" | jq -r "
             ".value)\n"
             "token=$(jq -n --arg t \"$oidc\" '{token: $t}' | curl -fsS -X "
             "POST --data @- \"$RELC_INDEX/_/oidc/mint-token\" | jq -r "
             ".token)\n"
             "echo \"::add-mask::$token\"\n"
             "echo \"TWINE_USERNAME=__token__\" >> \"$GITHUB_ENV\"\n"
             "echo \"TWINE_PASSWORD=$token\" >> \"$GITHUB_ENV\"\n"));
  return st;
}

/// A matrix job of legs with recipes (Jobs.cpp groups them): a build runs
/// the recipe's command on the leg's runner, in its image, and keeps its
/// artifacts under the leg's name; a test takes them back and runs its
/// command; an upload installs relc and has it probe and upload them with
/// the channel's role, the only job with `id-token: write`.
static std::optional<YNode>
recipeJob(DiagnosticEngine &diags, const Context &ctx, const ActionsLock &lock,
          const graph::StageInfo &s, const Job &j, llvm::StringRef tagJob,
          llvm::StringRef dateJobId) {
  using Phase = graph::BuildNode::Phase;
  const graph::BuildNode &first = j.nodes.front()->as<graph::BuildNode>();
  std::string phase = sema::Recipe::phaseName(j.phase).str();
  YNode out;
  out.set("name", YNode::expression(phase + " " + first.matrix +
                                    " (${{ matrix.leg }})"));
  bool upload = j.phase == Phase::Upload;
  out.set("runs-on", upload ? YNode::word("ubuntu-latest")
                            : YNode::expression("${{ matrix.runner }}"));
  if (!j.needs.empty() || !tagJob.empty() || !dateJobId.empty()) {
    YNode &needs = out["needs"];
    if (!dateJobId.empty())
      needs.push(YNode::str(dateJobId.str()));
    for (const std::string &n : j.needs)
      needs.push(YNode::str(n));
    if (!tagJob.empty() && !llvm::is_contained(j.needs, tagJob.str()))
      needs.push(YNode::str(tagJob.str()));
  }
  if (j.container && !upload)
    out["container"].set("image", YNode::expression("${{ matrix.image }}"));
  YNode &perms = out["permissions"];
  perms.set("contents", YNode::word("read"));
  if (upload)
    perms.set("id-token", YNode::word("write"));
  if (first.timeout && !upload)
    out.set("timeout-minutes",
            YNode::number((first.timeout->inSeconds() + 59) / 60));
  needDate(out, dateJobId);
  YNode &strategy = out["strategy"];
  strategy.set("fail-fast", YNode::boolean(false));
  YNode &include = strategy["matrix"]["include"];
  std::set<std::string> envKeys, dated;
  bool submodules = false;
  for (const GNode *n : j.nodes) {
    const graph::BuildNode &b = n->as<graph::BuildNode>();
    YNode leg;
    leg.set("step", YNode::str(n->id));
    std::vector<std::string> values;
    for (const auto &[axis, value] : b.leg)
      values.push_back(value);
    leg.set("leg", YNode::str(llvm::join(values, ", ")));
    leg.set("name", YNode::str(b.name));
    if (!upload) {
      leg.set("runner", YNode::str(b.runner));
      if (j.container)
        leg.set("image", YNode::str(b.image));
      leg.set("command", YNode::str(b.command));
      YNode &env = leg["env"];
      env = YNode::mapping();
      for (const auto &[k, v] : b.env) {
        env.set(k, YNode::str(v));
        envKeys.insert(k);
        if (llvm::StringRef(v).contains("{date}"))
          dated.insert(k);
      }
      if (llvm::StringRef(b.command).contains("{date}"))
        dated.insert("RELC_COMMAND");
    }
    leg.set("artifacts", YNode::str(llvm::join(b.artifacts, "\n")));
    leg.set("artifact-dir", YNode::str(artifactDir(b.artifacts)));
    if (upload && graph::isIndexUpload(b.upload))
      leg.set("index", YNode::str(indexBase(b.index)));
    else if (upload)
      leg.set("role", YNode::str(b.role));
    submodules |= b.submodules;
    include.push(std::move(leg));
  }
  YNode &steps = out["steps"];
  std::optional<YNode> checkout = pinned(diags, lock, "actions/checkout");
  if (!checkout)
    return std::nullopt;
  std::optional<YNode> ref;
  if (!tagJob.empty())
    ref = YNode::expression("${{ needs." + tagJob.str() + ".outputs.commit }}");
  steps.push(checkoutStep(*checkout, ref, submodules && !upload));
  // A step of a pinned artifact action on the leg's artifact, named by leg.
  auto artifacts = [&](llvm::StringRef title, llvm::StringRef action,
                       YNode path) -> bool {
    std::optional<YNode> uses = pinned(diags, lock, action);
    if (!uses)
      return false;
    YNode st;
    st.set("name", YNode::word(title.str()));
    st.set("uses", *uses);
    st["with"].set("name", YNode::expression("${{ matrix.name }}"));
    st["with"].set("path", std::move(path));
    if (action == "actions/upload-artifact")
      st["with"].set("if-no-files-found", YNode::word("error"));
    steps.push(std::move(st));
    return true;
  };
  if (j.phase != Phase::Build &&
      !artifacts("Take the build's artifacts", "actions/download-artifact",
                 upload ? YNode::expression("relc-artifacts")
                        : YNode::expression("${{ matrix.artifact-dir }}")))
    return std::nullopt;
  if (upload) {
    if (std::optional<YNode> install = installRelc(lock))
      steps.push(std::move(*install));
    if (graph::isIndexUpload(first.upload)) {
      steps.push(trustedPublishing());
    } else {
      std::optional<YNode> aws =
          pinned(diags, lock, "aws-actions/configure-aws-credentials");
      if (!aws)
        return std::nullopt;
      YNode creds;
      creds.set("name", YNode::word("Assume the channel's upload role"));
      creds.set("if", YNode::expression("${{ matrix.role != '' }}"));
      creds.set("uses", *aws);
      creds["with"].set("role-to-assume",
                        YNode::expression("${{ matrix.role }}"));
      creds["with"].set("aws-region", YNode::word("us-east-1"));
      steps.push(std::move(creds));
    }
    YNode st;
    st.set("name", YNode::word("Upload unless already there"));
    st.set("shell", YNode::word("bash"));
    st["env"].set("RELC_STEP", YNode::expression("${{ matrix.step }}"));
    st.set("run", YNode::word("relc run \"$RELC_PLAN\" --stage " + s.name +
                              " --step \"$RELC_STEP\" --built relc-artifacts "
                              "--execute\n"));
    steps.push(std::move(st));
    return out;
  }
  // The recipe's command and env reach the script through `env:` only.
  YNode st;
  st.set("name", YNode::str(phase));
  st.set("shell", YNode::word("bash"));
  YNode &env = st["env"];
  env.set("RELC_COMMAND", YNode::expression("${{ matrix.command }}"));
  env.set("RELC_LEG", YNode::expression("${{ matrix.leg }}"));
  env.set("RELC_LEG_NAME", YNode::expression("${{ matrix.name }}"));
  for (const std::string &k : envKeys)
    env.set(k, YNode::expression("${{ matrix.env." + k + " }}"));
  // A nightly's version (`{version}` is `VERSION.dev{date}`) takes the
  // day the run started, as relc run does.
  std::string run;
  if (!dateJobId.empty())
    for (const std::string &k : dated)
      run += datedVariable(k);
  st.set("run", YNode::word(run + "eval \"$RELC_COMMAND\"\n"));
  steps.push(std::move(st));
  // A build that keeps nothing (a test run as a leg) has nothing to pass.
  bool keeps = llvm::any_of(j.nodes, [](const GNode *n) {
    return !n->as<graph::BuildNode>().artifacts.empty();
  });
  if (j.phase == Phase::Build && keeps &&
      !artifacts("Keep the artifacts", "actions/upload-artifact",
                 YNode::expression("${{ matrix.artifacts }}")))
    return std::nullopt;
  return out;
}

static std::optional<YNode> job(DiagnosticEngine &diags, const Context &ctx,
                                const ActionsLock &lock, Overlays &overlays,
                                const graph::StageInfo &s, const Job &j,
                                bool entry, llvm::StringRef after,
                                llvm::StringRef dateJobId, bool &ok) {
  YNode out;
  const GNode &first = *j.nodes.front();
  out.set(
      "name",
      YNode::str(first.summary() +
                 (j.nodes.size() > 1
                      ? " and " + std::to_string(j.nodes.size() - 1) + " more"
                      : "")));
  out.set("runs-on", YNode::word("ubuntu-latest"));
  if (!j.needs.empty() || (entry && !after.empty()) || !dateJobId.empty()) {
    YNode &needs = out["needs"];
    if (!dateJobId.empty())
      needs.push(YNode::str(dateJobId.str()));
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
  if (auto *a = std::get_if<graph::ApprovalNode>(&first.payload))
    timeout = a->timeout;
  else if (auto *sh = std::get_if<graph::ShellNode>(&first.payload))
    timeout = sh->timeout;
  if (timeout)
    out.set("timeout-minutes", YNode::number((timeout->inSeconds() + 59) / 60));
  needDate(out, dateJobId);
  if (llvm::any_of(j.nodes, [](const GNode *n) {
        return n->kind() == GNode::Kind::Tag;
      }))
    out["outputs"].set("commit",
                       YNode::expression("${{ steps.tag.outputs.commit }}"));
  YNode &steps = out["steps"];
  std::optional<YNode> checkout = pinned(diags, lock, "actions/checkout");
  if (!checkout)
    return std::nullopt;
  steps.push(checkoutStep(*checkout, std::nullopt, false));
  if (std::optional<YNode> install = installRelc(lock))
    steps.push(std::move(*install));
  bool tagged = false;
  auto step = [&](const std::string &name, YNode stepId, const GNode *n) {
    bool git =
        n &&
        (n->kind() == GNode::Kind::Branch || n->kind() == GNode::Kind::Tag ||
         n->kind() == GNode::Kind::Commit || n->kind() == GNode::Kind::Pin);
    YNode st;
    st.set("name", YNode::str(name));
    // The first tag's commit is what the stage's builds check out: relc
    // run writes it to the step's outputs.
    if (n && n->kind() == GNode::Kind::Tag && !tagged) {
      tagged = true;
      st.set("id", YNode::word("tag"));
    }
    YNode &env = st["env"];
    env.set("RELC_STEP", std::move(stepId));
    if (n && n->kind() == GNode::Kind::Approval)
      env.set("RELC_APPROVE", YNode::str(n->as<graph::ApprovalNode>().group));
    // Git steps and `once` markers push with the job's token, passed by
    // name: never written into the checkout, never in a script.
    // The job's token reaches its own repository only: a step on another
    // one pushes with that repository's secret, RELC_GIT_TOKEN_BUILDER for
    // `repo builder` (a repository name is a word, so the secret's name
    // is too).
    if (git && !n->repo().empty()) {
      std::string secret = "RELC_GIT_TOKEN_";
      for (char c : n->repo())
        secret += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
      env.set("RELC_GIT_TOKEN",
              YNode::expression("${{ secrets." + secret + " }}"));
    } else if (git || (n && n->once))
      env.set("RELC_GIT_TOKEN",
              YNode::expression("${{ secrets.GITHUB_TOKEN }}"));
    // A literal block: the command reads as it runs.
    st.set("run", YNode::word(runCommand(s.name, n) + "\n"));
    steps.push(std::move(st));
  };
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
    // A job of relc's own, named apart from the plan's jobs.
    auto ownJob = [&](llvm::StringRef base) {
      std::string id = base.str();
      for (unsigned n = 2;
           llvm::any_of(jobs, [&](const Job &j) { return j.id == id; }); ++n)
        id = base.str() + "-" + std::to_string(n);
      return id;
    };
    std::string date;
    if (!s.cron.empty() && !jobs.empty()) {
      date = ownJob("date");
      YNode d = dateJob();
      if (!overlays.apply(diags, date, d))
        ok = false;
      jobIds.push_back(date);
      jobsNode.set(date, std::move(d));
    }
    std::string after;
    if (!s.after.empty() && s.params.empty() && !jobs.empty()) {
      after = ownJob("after");
      YNode a = afterJob(ctx.graph, s);
      if (!overlays.apply(diags, after, a))
        ok = false;
      jobIds.push_back(after);
      jobsNode.set(after, std::move(a));
    }
    // The job that tags the stage's commit, whose output the builds check
    // out.
    std::string tagJob;
    for (const Job &j : jobs)
      if (tagJob.empty() && !j.matrix)
        for (const GNode *n : j.nodes)
          if (n->kind() == GNode::Kind::Tag)
            tagJob = j.id;
    for (size_t k = 0; k < jobs.size(); ++k) {
      if (jobs[k].matrix) {
        std::optional<YNode> j =
            recipeJob(diags, ctx, lock, s, jobs[k], tagJob, date);
        if (!j)
          return std::nullopt;
        if (!overlays.apply(diags, jobs[k].id, *j))
          ok = false;
        jobIds.push_back(jobs[k].id);
        jobsNode.set(jobs[k].id, std::move(*j));
        continue;
      }
      std::optional<YNode> j = job(diags, ctx, lock, overlays, s, jobs[k],
                                   jobs[k].needs.empty(), after, date, ok);
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
