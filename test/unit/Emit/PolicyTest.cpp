//===- PolicyTest.cpp - What an overlay's edit may do without `allow` -----===//
//
// emit::overlayFindings compares a job before and after one overlay edit;
// the lit tests see its findings only as diagnostics. Here each rule is
// checked on its own, with the edits it must let through: lowering
// permissions, `${{` in `env:`, a new runner, an environment added where
// there was none.
//
//===----------------------------------------------------------------------===//

#include "Emit/Policy.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace relc;
using namespace relc::emit;
using yaml::Node;

namespace {

using Allows = std::vector<std::string>;

Node githubJob() {
  Node job;
  job.set("runs-on", Node::word("ubuntu-latest"));
  job.set("environment", Node::str("release-managers"));
  job["permissions"].set("contents", Node::word("read"));
  Node checkout;
  checkout.set("uses", Node::str("actions/checkout@0123"));
  checkout["with"].set("persist-credentials", Node::boolean(false));
  job["steps"].push(std::move(checkout));
  Node run;
  run.set("run", Node::word("relc run\n"));
  job["steps"].push(std::move(run));
  return job;
}

Allows allows(llvm::StringRef backend, const Node &before, const Node &after) {
  Allows out;
  for (const PolicyFinding &f : overlayFindings(backend, before, after))
    out.push_back(f.allow.str());
  return out;
}

TEST(OverlayPolicy, HarmlessEditsNeedNoAllow) {
  Node before = githubJob(), after = githubJob();
  after.set("runs-on", Node::expression("linux.12xlarge"));
  after["env"].set("TOKEN", Node::expression("${{ secrets.PYPI }}"));
  after.set("timeout-minutes", Node::number(30));
  after["permissions"].set("contents", Node::expression("none"));
  EXPECT_EQ(allows("github", before, after), Allows());
  Node ungated = githubJob();
  ungated.map.erase(ungated.map.begin() + 1); // No environment.
  Node gated = ungated;
  gated.set("environment", Node::expression("staging"));
  EXPECT_EQ(allows("github", ungated, gated), Allows());
}

TEST(OverlayPolicy, MorePermissions) {
  Node before = githubJob(), after = githubJob();
  after["permissions"].set("contents", Node::expression("write"));
  auto found = overlayFindings("github", before, after);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].allow, "excessive-permissions");
  EXPECT_EQ(found[0].what,
            "raises the job's permissions (contents: read to write)");
  for (const char *all : {"write-all", "read-all"}) {
    Node a = githubJob();
    a.set("permissions", Node::expression(all));
    EXPECT_EQ(allows("github", before, a), Allows{"excessive-permissions"});
  }
  Node none = githubJob();
  none.set("permissions", Node::mapping());
  EXPECT_EQ(allows("github", before, none), Allows());
}

TEST(OverlayPolicy, ApprovalEnvironment) {
  Node before = githubJob(), changed = githubJob(), mapped = githubJob();
  changed.set("environment", Node::expression("staging"));
  EXPECT_EQ(allows("github", before, changed), Allows{"ungated-job"});
  // The same name with a URL keeps the gate.
  mapped["environment"] = Node::mapping();
  mapped["environment"].set("name", Node::expression("release-managers"));
  mapped["environment"].set("url", Node::expression("https://pypi.org"));
  EXPECT_EQ(allows("github", before, mapped), Allows());
}

TEST(OverlayPolicy, SecretsScriptsAndCheckouts) {
  Node before = githubJob(), after = githubJob();
  after.set("secrets", Node::expression("inherit"));
  Node injected;
  injected.set("run", Node::expression("echo ${{ github.head_ref }}"));
  after["steps"].push(std::move(injected));
  Node checkout;
  checkout.set("uses", Node::expression("actions/checkout@v4"));
  after["steps"].push(std::move(checkout));
  EXPECT_EQ(allows("github", before, after),
            (Allows{"secrets-inherit", "artipacked", "template-injection"}));
  // A script that was there before the edit is not the edit's doing.
  EXPECT_EQ(allows("github", after, after), Allows());
}

TEST(OverlayPolicy, GitLabManualJobsStayManual) {
  Node before;
  before.set("when", Node::word("manual"));
  before["environment"].set("name", Node::str("release-managers"));
  before["script"].push(Node::str("relc run"));
  Node always = before;
  always.set("when", Node::expression("always"));
  EXPECT_EQ(allows("gitlab", before, always), Allows{"ungated-job"});
  Node rules = before;
  Node rule;
  rule.set("if", Node::expression("$CI_COMMIT_TAG"));
  rules["rules"].push(std::move(rule));
  EXPECT_EQ(allows("gitlab", before, rules), Allows{"ungated-job"});
  Node manualRule = before;
  Node manual;
  manual.set("when", Node::expression("manual"));
  manualRule["rules"].push(std::move(manual));
  EXPECT_EQ(allows("gitlab", before, manualRule), Allows());
  Node input = before;
  input["script"].push(Node::expression("echo $[[ inputs.x ]]"));
  EXPECT_EQ(allows("gitlab", before, input), Allows{"template-injection"});
  // GitLab jobs have no `permissions`; `${{` means nothing there.
  Node github = before;
  github["script"].push(Node::expression("echo ${{ x }}"));
  EXPECT_EQ(allows("gitlab", before, github), Allows());
}

TEST(OverlayPolicy, UsesArePinnedFromTheLock) {
  llvm::SourceMgr sm;
  std::string printed;
  llvm::raw_string_ostream os(printed);
  DiagnosticEngine diags(sm, os);
  ActionsLock lock;
  lock.path = "actions.lock.yaml";
  std::string sha(40, 'a');
  lock.actions["actions/setup-python"] = {"v5.1.0", sha};
  Node job;
  for (const char *uses :
       {"actions/setup-python", "actions/setup-python@v5.1.0",
        "./.github/actions/local"}) {
    Node step;
    step.set("uses", Node::expression(uses));
    job["steps"].push(std::move(step));
  }
  EXPECT_TRUE(pinUses(diags, lock, job, llvm::SMRange()));
  const Node &steps = *job.find("steps");
  EXPECT_EQ(steps.seq[0].find("uses")->text, "actions/setup-python@" + sha);
  EXPECT_EQ(steps.seq[0].find("uses")->comment, "v5.1.0");
  EXPECT_EQ(steps.seq[0].find("uses")->origin, Node::Origin::Data);
  EXPECT_EQ(steps.seq[1].find("uses")->text, "actions/setup-python@" + sha);
  EXPECT_EQ(steps.seq[2].find("uses")->text, "./.github/actions/local");
  EXPECT_FALSE(diags.hasErrors());

  for (const char *uses : {"someone/action@main", "actions/setup-python@v4",
                           "docker://alpine:3.20"}) {
    Node bad;
    Node step;
    step.set("uses", Node::expression(uses));
    bad["steps"].push(std::move(step));
    EXPECT_FALSE(pinUses(diags, lock, bad, llvm::SMRange())) << uses;
  }
  EXPECT_EQ(diags.errorCount(), 3u);
}

} // namespace
