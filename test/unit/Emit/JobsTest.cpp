//===- JobsTest.cpp - A stage's step graph cut into CI jobs ---------------===//
//
// Both CI backends cut a stage into jobs with `emit::stageJobs` and edit the
// generated jobs with `emit::Overlays`; the golden files in test/lit/Emit
// see only the result. Here the rules are checked one by one on a small
// release: the legs of one build step make one matrix job, split into parts
// at the limit; an approval starts a job gated by its environment; jobs
// need the jobs holding their nodes' needs within the stage; overlays apply
// in the order written, `=` setting and `+=` appending to lists and merging
// into maps, and an overlay that matched no job is a warning.
//
//===----------------------------------------------------------------------===//

#include "Emit/Jobs.h"

#include "Emit/Emit.h"
#include "Emit/Yaml.h"
#include "Graph/Graph.h"

#include "PlanFixture.h"

#include "llvm/ADT/StringExtras.h"

#include "gtest/gtest.h"

using namespace relc;
using namespace relc::emit;
using relc::test::PlanFixture;

namespace {

using Ids = std::vector<std::string>;

const char *const project = R"(project demo {
  repo { release_branch "release/{major}.{minor}"; }
  )" RELC_DEMO_CHANNELS R"(
  check fits = artifact_size(glob: "*.whl", max: 1 GiB);
  stage rc {
    git.branch release_branch from "main";
    build wheels channel test;
    require fits;
    run "notify.sh";
  }
  stage publish after rc {
    run "prepare.sh";
    approve "release-managers";
    require fits;
    run "publish.sh" once;
    build wheels channel release;
    run "announce.sh";
  }
  overlay github "build-*" {
    runs-on = "big";
    env.A = "1";
    steps += [{ name: "Lint" }];
    env += { B: "2" };
    services += ["redis"];
  }
  overlay github "build-wheels" { runs-on = "bigger"; }
  overlay gitlab "*" { tags = ["large"]; }
  overlay github "deploy-*" { timeout-minutes = 30; }
})";

std::string release() { return test::demoRelease(); }

class JobsTest : public ::testing::Test {
protected:
  void SetUp() override {
    plan = fixture.checkRelease(release(), project);
    ASSERT_TRUE(plan) << fixture.printed();
    g = graph::lower(*plan, {}, fixture.sm, "1.0.relplan");
  }

  PlanFixture fixture;
  const sema::Plan *plan = nullptr;
  graph::Graph g;
};

Ids jobIds(const std::vector<Job> &jobs) {
  Ids ids;
  for (const Job &j : jobs)
    ids.push_back(j.id);
  return ids;
}

Ids nodeIds(const Job &j) {
  Ids ids;
  for (const graph::Node *n : j.nodes)
    ids.push_back(n->id);
  return ids;
}

TEST_F(JobsTest, BuildIsOneMatrixJobPerPhaseAndSystem) {
  std::vector<Job> jobs = stageJobs(g, "rc", githubMatrixLimit);
  ASSERT_EQ(jobIds(jobs), (Ids{"branch-release_branch", "build-wheels-linux",
                               "build-wheels-macos", "upload-wheels-linux",
                               "upload-wheels-macos", "check-fits"}));
  const Job &branch = jobs[0], &build = jobs[1], &upload = jobs[3],
            &rest = jobs[5];
  EXPECT_FALSE(branch.matrix);
  EXPECT_TRUE(branch.writesGit);
  EXPECT_FALSE(branch.irreversible);
  EXPECT_EQ(branch.needs, Ids());

  EXPECT_TRUE(build.matrix);
  EXPECT_EQ(build.part, 0u);
  EXPECT_EQ(build.nodes.size(), 5u); // Every Linux leg of the test channel.
  EXPECT_FALSE(build.writesGit);
  EXPECT_EQ(build.needs, Ids{"branch-release_branch"});
  EXPECT_EQ(upload.nodes.size(), 5u);
  EXPECT_TRUE(llvm::is_contained(upload.needs, "build-wheels-linux"));

  // Steps after a build share one job, in order.
  EXPECT_FALSE(rest.matrix);
  EXPECT_EQ(nodeIds(rest), (Ids{"rc/check-fits", "rc/run-notify.sh"}));
  EXPECT_EQ(rest.needs, (Ids{"upload-wheels-linux", "upload-wheels-macos"}));
}

TEST_F(JobsTest, BuildSplitsAtTheLimit) {
  std::vector<Job> jobs = stageJobs(g, "rc", 2);
  Ids linux = {"build-wheels-linux-1", "build-wheels-linux-2",
               "build-wheels-linux-3"};
  Ids ids = jobIds(jobs);
  ASSERT_GE(ids.size(), 4u);
  ASSERT_EQ(Ids(ids.begin() + 1, ids.begin() + 4), linux);
  for (unsigned p = 1; p <= 3; ++p) {
    const Job &part = jobs[p];
    EXPECT_TRUE(part.matrix);
    EXPECT_EQ(part.part, p);
    EXPECT_EQ(part.nodes.size(), p < 3 ? 2u : 1u) << part.id;
    EXPECT_EQ(part.needs, Ids{"branch-release_branch"}) << part.id;
  }
  // The legs in matrix order, none lost or repeated.
  EXPECT_EQ(jobs[1].nodes.front()->id, "rc/build-wheels/3.11-linux");
  EXPECT_EQ(jobs[2].nodes.front()->id, "rc/build-wheels/3.13-linux");
  EXPECT_EQ(jobs[3].nodes.back()->id, "rc/build-wheels/3.15-linux");

  // Exactly at the limit: one job, not split.
  std::vector<Job> exact = stageJobs(g, "rc", 5);
  EXPECT_EQ(jobIds(exact), (Ids{"branch-release_branch", "build-wheels-linux",
                                "build-wheels-macos", "upload-wheels-linux",
                                "upload-wheels-macos", "check-fits"}));
}

TEST_F(JobsTest, ApprovalStartsAGatedJob) {
  std::vector<Job> jobs = stageJobs(g, "publish", githubMatrixLimit);
  ASSERT_EQ(jobIds(jobs), (Ids{"run-prepare-sh", "approve-release-managers",
                               "build-wheels-linux", "build-wheels-macos",
                               "upload-wheels-linux", "upload-wheels-macos",
                               "run-announce-sh"}));
  const Job &before = jobs[0], &gated = jobs[1], &build = jobs[2],
            &after = jobs[6];
  EXPECT_EQ(before.environment, "");
  // Needs in the stage before are met before this stage's workflow runs.
  EXPECT_EQ(before.needs, Ids());

  EXPECT_EQ(gated.environment, "release-managers");
  EXPECT_EQ(nodeIds(gated),
            (Ids{"publish/approve-release-managers", "publish/check-fits",
                 "publish/run-publish.sh"}));
  EXPECT_TRUE(gated.publishes);
  EXPECT_TRUE(gated.irreversible);
  EXPECT_FALSE(gated.writesGit);
  EXPECT_EQ(gated.needs, Ids{"run-prepare-sh"});

  EXPECT_EQ(build.nodes.size(), 4u); // The release channel's Linux legs.
  EXPECT_EQ(build.environment, "");
  EXPECT_EQ(build.needs, Ids{"approve-release-managers"});
  EXPECT_FALSE(after.publishes);
  EXPECT_EQ(after.needs, (Ids{"upload-wheels-linux", "upload-wheels-macos"}));
}

TEST(JobIdTest, Sanitized) {
  EXPECT_EQ(jobId("rc/tag-rc_tag"), "rc-tag-rc_tag");
  EXPECT_EQ(jobId("run-notify.sh"), "run-notify-sh");
  EXPECT_EQ(jobId("3.12"), "job-3-12");
}

//===------------------------------------------------------------ overlays ===//

yaml::Node generatedJob() {
  yaml::Node job;
  job.set("runs-on", yaml::Node::word("ubuntu-latest"));
  job["env"].set("A", yaml::Node::str("0"));
  yaml::Node checkout;
  checkout.set("name", yaml::Node::word("checkout"));
  job["steps"].push(std::move(checkout));
  return job;
}

std::string text(const yaml::Node &n) {
  std::string s;
  llvm::raw_string_ostream os(s);
  yaml::write(n, os);
  return os.str();
}

TEST_F(JobsTest, OverlaysApplyInOrder) {
  Overlays overlays(plan->overlays, "github");
  yaml::Node build = generatedJob();
  EXPECT_TRUE(overlays.apply(fixture.diags, "build-wheels", build));
  // `=` replaces (the later overlay wins), `+=` appends to a list (made if
  // missing) and merges into a map. An overlay's text is always quoted.
  EXPECT_EQ(text(build), "runs-on: \"bigger\"\n"
                         "env:\n"
                         "  A: \"1\"\n"
                         "  B: \"2\"\n"
                         "steps:\n"
                         "  - name: checkout\n"
                         "  - name: \"Lint\"\n"
                         "services:\n"
                         "  - \"redis\"\n");

  yaml::Node part = generatedJob();
  EXPECT_TRUE(overlays.apply(fixture.diags, "build-wheels-2", part));
  EXPECT_EQ(part.find("runs-on")->text, "big");

  yaml::Node other = generatedJob();
  EXPECT_TRUE(overlays.apply(fixture.diags, "check-fits", other));
  EXPECT_EQ(text(other), text(generatedJob()));
}

TEST_F(JobsTest, OverlaysOfOneBackendOnly) {
  Overlays overlays(plan->overlays, "gitlab");
  yaml::Node job = generatedJob();
  EXPECT_TRUE(overlays.apply(fixture.diags, "build-wheels", job));
  EXPECT_EQ(text(job), "runs-on: ubuntu-latest\n"
                       "env:\n"
                       "  A: \"0\"\n"
                       "steps:\n"
                       "  - name: checkout\n"
                       "tags:\n"
                       "  - \"large\"\n");
}

TEST_F(JobsTest, UnmatchedOverlayIsAWarning) {
  Overlays overlays(plan->overlays, "github");
  yaml::Node a = generatedJob(), b = generatedJob();
  EXPECT_TRUE(overlays.apply(fixture.diags, "build-wheels", a));
  EXPECT_TRUE(overlays.apply(fixture.diags, "check-fits", b));
  overlays.reportUnmatched(fixture.diags, {"build-wheels", "check-fits"});
  ASSERT_EQ(fixture.kinds(), Ids{"unmatched-overlay"}) << fixture.printed();
  const Diagnostic &d = fixture.diags.diagnostics().back();
  EXPECT_EQ(d.severity, Severity::Warning);
  EXPECT_EQ(d.message, "overlay pattern 'deploy-*' matches none of the github "
                       "jobs relc generates (build-wheels, check-fits)");
  EXPECT_FALSE(fixture.diags.hasErrors());
}

TEST_F(JobsTest, EveryOverlayMatchedReportsNothing) {
  Overlays overlays(plan->overlays, "gitlab");
  yaml::Node job = generatedJob();
  EXPECT_TRUE(overlays.apply(fixture.diags, "rc", job));
  overlays.reportUnmatched(fixture.diags, {"rc"});
  EXPECT_EQ(fixture.kinds(), Ids{}) << fixture.printed();
}

TEST(JobIdTest, IdsAreWhatGitHubAccepts) {
  EXPECT_EQ(jobId("tag-rc_tag"), "tag-rc_tag");
  EXPECT_EQ(jobId("run-release/promote.sh"), "run-release-promote-sh");
  EXPECT_EQ(jobId("1st"), "job-1st");
  EXPECT_EQ(jobId(""), "job-");
  EXPECT_EQ(jobId(std::string(99, 'a')), std::string(99, 'a'));
  // Longer: cut, and told apart by a hash of the whole text.
  std::string a = jobId("run-" + std::string(200, 'x') + "-a");
  std::string b = jobId("run-" + std::string(200, 'x') + "-b");
  EXPECT_EQ(a.size(), maxJobIdLength);
  EXPECT_EQ(b.size(), maxJobIdLength);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.substr(0, 90), "run-" + std::string(86, 'x'));
  EXPECT_EQ(a[90], '-');
  EXPECT_EQ(a, jobId("run-" + std::string(200, 'x') + "-a")); // Stable.
  for (const std::string &id : {a, b})
    for (char c : id)
      EXPECT_TRUE(llvm::isAlnum(c) || c == '-' || c == '_') << id;
}

} // namespace
