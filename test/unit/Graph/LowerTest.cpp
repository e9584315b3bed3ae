//===- LowerTest.cpp - A checked release lowered to its step graph --------===//
//
// The step graph is what `relc run` walks and `relc emit` turns into jobs,
// so its ids, needs and keys are a contract: ids stable across RC numbers,
// a stage's first steps waiting for the last steps of the stage it runs
// after, keys naming the effect with every name resolved (and the RC number
// once one is bound), one build node per leg of the channel built. This
// lowers one small release and checks each of those, the payloads, and the
// one function that turns payloads into text (`graph::fields`).
//
//===----------------------------------------------------------------------===//

#include "Graph/Graph.h"

#include "PlanFixture.h"

#include "gtest/gtest.h"

using namespace relc;
using namespace relc::graph;
using relc::test::PlanFixture;

namespace {

using Ids = std::vector<std::string>;
using Fields = std::vector<std::pair<std::string, std::string>>;

const char *const project = R"(project demo {
  repo {
    cut_from "main";
    release_branch "release/{major}.{minor}";
    rc_tag "v{version}-rc{rc}";
  }
  )" RELC_DEMO_CHANNELS R"(
  check fits = artifact_size(glob: "*.whl", max: 1 GiB);
  check typed = trailers(range: "main"..release_branch, key: "Category", in: ["fix"]);
  stage cut on schedule.branch_cut {
    git.branch release_branch from cut_from;
    git.commit "version.txt" = "{next_minor}.0a0" on "main";
  }
  stage rc(n) after cut {
    git.tag rc_tag on release_branch annotated message "RC {n}";
    build wheels channel release;
    require fits, typed;
    run "ci/notify.sh" env { RC: "{n}" };
  }
  stage nightly {
    build wheels channel test;
  }
})";

std::string release() { return test::demoRelease(); }

/// The release lowered with \p options.
class LowerTest : public ::testing::Test {
protected:
  void SetUp() override {
    plan = fixture.checkRelease(release(), project);
    ASSERT_TRUE(plan) << fixture.printed();
  }
  Graph lowered(LowerOptions options = {}) {
    return lower(*plan, options, fixture.sm, "demo/1.0.relplan");
  }

  PlanFixture fixture;
  const sema::Plan *plan = nullptr;
};

Ids idsOf(const Graph &g, llvm::StringRef stage) {
  Ids ids;
  for (const Node &n : g.nodes)
    if (n.stage == stage)
      ids.push_back(n.id);
  return ids;
}

/// The eight legs of the release channel, in matrix order: the nodes of
/// \p phase, or each leg's build and then its upload.
Ids releaseLegs(llvm::StringRef phase = "") {
  Ids ids;
  for (const char *python : {"3.11", "3.12", "3.13", "3.14"})
    for (const char *os : {"linux", "macos"})
      for (const char *p : {"build", "upload"})
        if (phase.empty() || phase == p)
          ids.push_back(std::string("rc/") + p + "-wheels/" + python + "-" +
                        os);
  return ids;
}

TEST_F(LowerTest, IdsInStageOrder) {
  Graph g = lowered();
  EXPECT_EQ(g.project, "demo");
  EXPECT_EQ(g.version, "1.0.0");
  EXPECT_EQ(g.file, "demo/1.0.relplan");
  EXPECT_FALSE(g.rc);
  ASSERT_EQ(g.stages.size(), 3u);
  EXPECT_EQ(g.stages[0].name, "cut");
  EXPECT_EQ(g.stages[1].name, "rc");

  EXPECT_EQ(idsOf(g, "cut"), (Ids{"cut/not-before", "cut/branch-release_branch",
                                  "cut/commit-version.txt"}));
  Ids rc = {"rc/tag-rc_tag"};
  for (const std::string &id : releaseLegs())
    rc.push_back(id);
  rc.insert(rc.end(), {"rc/check-fits", "rc/check-typed", "rc/run-notify.sh"});
  EXPECT_EQ(idsOf(g, "rc"), rc);
}

TEST_F(LowerTest, Kinds) {
  Graph g = lowered();
  auto kind = [&](llvm::StringRef id) {
    const Node *n = g.node(id);
    return n ? Node::kindName(n->kind()).str() : "<missing " + id.str() + ">";
  };
  EXPECT_EQ(kind("cut/not-before"), "wait");
  EXPECT_EQ(kind("cut/branch-release_branch"), "branch");
  EXPECT_EQ(kind("cut/commit-version.txt"), "commit");
  EXPECT_EQ(kind("rc/tag-rc_tag"), "tag");
  EXPECT_EQ(kind("rc/build-wheels/3.11-linux"), "build");
  EXPECT_EQ(kind("rc/check-fits"), "check");
  EXPECT_EQ(kind("rc/run-notify.sh"), "shell");
}

TEST_F(LowerTest, NeedsChainStepsAndStages) {
  Graph g = lowered();
  auto needs = [&](llvm::StringRef id) {
    const Node *n = g.node(id);
    return n ? n->needs : Ids{"<missing " + id.str() + ">"};
  };
  EXPECT_EQ(needs("cut/not-before"), Ids());
  EXPECT_EQ(needs("cut/branch-release_branch"), Ids{"cut/not-before"});
  EXPECT_EQ(needs("cut/commit-version.txt"), Ids{"cut/branch-release_branch"});
  // rc runs after cut: its first step waits for cut's last.
  EXPECT_EQ(needs("rc/tag-rc_tag"), Ids{"cut/commit-version.txt"});
  for (const std::string &leg : releaseLegs("build"))
    EXPECT_EQ(needs(leg), Ids{"rc/tag-rc_tag"}) << leg;
  // Parallel nodes of one step: the next step waits for all of them.
  EXPECT_EQ(needs("rc/check-fits"), releaseLegs("upload"));
  EXPECT_EQ(needs("rc/check-typed"), releaseLegs("upload"));
  EXPECT_EQ(needs("rc/run-notify.sh"),
            (Ids{"rc/check-fits", "rc/check-typed"}));
  // A stage without `after` waits for nothing.
  EXPECT_EQ(needs("nightly/build-wheels/3.11-linux"), Ids());

  const StageInfo *cut = g.stage("cut");
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->entries, Ids{"cut/not-before"});
  EXPECT_EQ(cut->exits, Ids{"cut/commit-version.txt"});
  EXPECT_EQ(cut->notBefore, Date::parse("2026-11-02"));
  const StageInfo *rc = g.stage("rc");
  ASSERT_TRUE(rc);
  EXPECT_EQ(rc->params, Ids{"n"});
  EXPECT_EQ(rc->after, Ids{"cut"});
  EXPECT_EQ(rc->entries, Ids{"rc/tag-rc_tag"});
  EXPECT_EQ(rc->exits, Ids{"rc/run-notify.sh"});
}

TEST_F(LowerTest, OneStageWaitsForNothingElse) {
  LowerOptions options;
  options.stage = "rc";
  Graph g = lowered(options);
  ASSERT_EQ(g.stages.size(), 1u);
  EXPECT_EQ(idsOf(g, "cut"), Ids());
  ASSERT_TRUE(g.node("rc/tag-rc_tag"));
  EXPECT_EQ(g.node("rc/tag-rc_tag")->needs, Ids());
}

TEST_F(LowerTest, KeysWithoutRc) {
  Graph g = lowered();
  auto key = [&](llvm::StringRef id) {
    const Node *n = g.node(id);
    return n ? n->key : "<missing " + id.str() + ">";
  };
  EXPECT_EQ(key("cut/not-before"), "wait 2026-11-02");
  EXPECT_EQ(key("cut/branch-release_branch"), "branch origin release/1.0");
  EXPECT_EQ(key("cut/commit-version.txt"),
            "commit origin main version.txt = 1.1.0a0");
  EXPECT_EQ(key("rc/tag-rc_tag"), "tag origin v1.0.0-rc{rc}");
  EXPECT_EQ(key("rc/build-wheels/3.12-macos"),
            "build demo 1.0.0 wheels 3.12/macos for release rc{rc}");
  EXPECT_EQ(key("rc/check-fits"), "check fits rc rc{rc}");
  EXPECT_EQ(key("rc/run-notify.sh"), "run rc ci/notify.sh RC={rc} rc{rc}");
  // Not parameterised: no RC instance in its keys.
  EXPECT_EQ(key("nightly/build-wheels/3.11-linux"),
            "build demo 1.0.0 wheels 3.11/linux for test");
}

TEST_F(LowerTest, KeysWithRcBound) {
  LowerOptions options;
  options.rc = 2;
  Graph g = lowered(options);
  EXPECT_EQ(g.rc, 2u);
  // Ids do not change with the RC number; keys do.
  EXPECT_EQ(idsOf(g, "rc"), idsOf(lowered(), "rc"));
  EXPECT_EQ(g.node("rc/tag-rc_tag")->key, "tag origin v1.0.0-rc2");
  EXPECT_EQ(g.node("rc/build-wheels/3.12-macos")->key,
            "build demo 1.0.0 wheels 3.12/macos for release rc2");
  EXPECT_EQ(g.node("rc/check-fits")->key, "check fits rc rc2");
  EXPECT_EQ(g.node("rc/run-notify.sh")->key, "run rc ci/notify.sh RC=2 rc2");
  EXPECT_EQ(g.node("cut/branch-release_branch")->key,
            "branch origin release/1.0");
}

TEST_F(LowerTest, BindRcReplacesHoles) {
  Graph unbound = lowered();
  const Node *tag = unbound.node("rc/tag-rc_tag");
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->as<TagNode>().name, "v1.0.0-rc{rc}");
  EXPECT_EQ(tag->as<TagNode>().message, "RC {rc}");

  Graph g = bindRc(unbound, 5);
  EXPECT_EQ(g.rc, 5u);
  EXPECT_EQ(g.nodes.size(), unbound.nodes.size());
  const Node *bound = g.node("rc/tag-rc_tag");
  ASSERT_TRUE(bound);
  const TagNode &t = bound->as<TagNode>();
  EXPECT_EQ(t.name, "v1.0.0-rc5");
  EXPECT_EQ(t.message, "RC 5");
  EXPECT_EQ(t.nameParts, (Ids{"v1.0.0-rc", ""}));
  EXPECT_EQ(bound->key, "tag origin v1.0.0-rc5");
  EXPECT_EQ(g.node("rc/run-notify.sh")->as<ShellNode>().env.at("RC"), "5");
  for (const Node &n : g.nodes)
    EXPECT_EQ(n.key.find("{rc}"), std::string::npos) << n.id << ": " << n.key;
}

TEST_F(LowerTest, Payloads) {
  Graph g = lowered();
  const BranchNode &branch =
      g.node("cut/branch-release_branch")->as<BranchNode>();
  EXPECT_EQ(branch.name, "release/1.0");
  EXPECT_EQ(branch.from, "main");
  EXPECT_EQ(branch.remote, "origin");

  const CommitNode &commit = g.node("cut/commit-version.txt")->as<CommitNode>();
  EXPECT_EQ(commit.file, "version.txt");
  EXPECT_EQ(commit.content, "1.1.0a0");
  EXPECT_EQ(commit.branch, "main");

  const Node *tag = g.node("rc/tag-rc_tag");
  EXPECT_TRUE(tag->as<TagNode>().annotated);
  EXPECT_EQ(tag->as<TagNode>().on, "release/1.0");
  EXPECT_FALSE(tag->reversible); // A pushed tag never moves.
  EXPECT_FALSE(tag->once);

  const BuildNode &build =
      g.node("rc/build-wheels/3.12-macos")->as<BuildNode>();
  EXPECT_EQ(build.matrix, "wheels");
  EXPECT_EQ(build.channel, "release");
  EXPECT_FALSE(build.experimental);
  EXPECT_EQ(build.leg, (Fields{{"python", "3.12"}, {"os", "macos"}}));

  const CheckNode &typed = g.node("rc/check-typed")->as<CheckNode>();
  EXPECT_EQ(typed.check, "typed");
  EXPECT_EQ(typed.function, sema::findCheckFunction("trailers"));
  ASSERT_TRUE(typed.arg("range"));
  EXPECT_EQ(typed.arg("range")->lo, "main");
  EXPECT_EQ(typed.arg("range")->hi, "release/1.0");
  EXPECT_EQ(typed.arg("in")->items, Ids{"fix"});

  const Node *run = g.node("rc/run-notify.sh");
  EXPECT_EQ(run->as<ShellNode>().command, "ci/notify.sh");
  EXPECT_TRUE(run->reversible);
  EXPECT_EQ(
      llvm::StringRef(run->location).rsplit(':').first.rsplit(':').first.str(),
      std::string(test::PlanFixture::defaultProject));
}

TEST_F(LowerTest, BuildIsOneNodePerLegOfItsChannel) {
  Graph g = lowered();
  // 3.15 is built for test only; each leg is built, then uploaded.
  EXPECT_EQ(idsOf(g, "rc").size(), 1 + 8 * 2 + 3u);
  Ids nightly = idsOf(g, "nightly");
  ASSERT_EQ(nightly.size(), 10 * 2u);
  EXPECT_EQ(nightly[16], "nightly/build-wheels/3.15-linux");
  EXPECT_EQ(nightly[18], "nightly/build-wheels/3.15-macos");
  EXPECT_TRUE(g.node(nightly[16])->as<BuildNode>().experimental);
  EXPECT_FALSE(g.node(nightly[14])->as<BuildNode>().experimental);
}

TEST_F(LowerTest, FieldsInOrder) {
  Graph g = lowered();
  EXPECT_EQ(fields(*g.node("cut/branch-release_branch")),
            (Fields{{"name", "release/1.0"},
                    {"from", "main"},
                    {"remote", "origin"}}));
  EXPECT_EQ(fields(*g.node("rc/tag-rc_tag")), (Fields{{"name", "v1.0.0-rc{rc}"},
                                                      {"on", "release/1.0"},
                                                      {"remote", "origin"},
                                                      {"annotated", "true"},
                                                      {"message", "RC {rc}"}}));
  // No message, timeout or split: left out.
  EXPECT_EQ(fields(*g.node("cut/commit-version.txt")),
            (Fields{{"file", "version.txt"},
                    {"content", "1.1.0a0"},
                    {"branch", "main"},
                    {"remote", "origin"}}));
  EXPECT_EQ(fields(*g.node("rc/build-wheels/3.11-linux")),
            (Fields{{"matrix", "wheels"},
                    {"channel", "release"},
                    {"experimental", "false"},
                    {"phase", "build"},
                    {"name", "3.11-linux"},
                    {"runner", "ubuntu-24.04"},
                    {"command", "make wheel"},
                    {"artifacts", "dist/*.whl"}}));
  EXPECT_EQ(fields(*g.node("rc/check-typed")),
            (Fields{{"check", "typed"},
                    {"function", "trailers"},
                    {"range", "main..release/1.0"},
                    {"key", "Category"},
                    {"in", "fix"}}));
  EXPECT_EQ(fields(*g.node("rc/run-notify.sh")),
            (Fields{{"command", "ci/notify.sh"}}));
  EXPECT_EQ(fields(*g.node("cut/not-before")),
            (Fields{{"date", "2026-11-02"}}));
}

TEST(FieldsTest, EmptyFieldsAreLeftOut) {
  Node n;
  n.payload = ApprovalNode{"release-managers", std::nullopt};
  EXPECT_EQ(fields(n), (Fields{{"group", "release-managers"}}));
  n.payload = ApprovalNode{"g", Duration::days(1)};
  EXPECT_EQ(fields(n), (Fields{{"group", "g"}, {"timeout", "1d"}}));
  ShellNode shell;
  shell.command = "make";
  shell.cwd = "build";
  shell.timeout = Duration::seconds(7200);
  n.payload = shell;
  EXPECT_EQ(fields(n),
            (Fields{{"command", "make"}, {"timeout", "2h"}, {"cwd", "build"}}));
  // A flag is never empty: `annotated false` stays.
  n.payload = TagNode{"v1", "main", "origin", false, "", {"v1"}};
  EXPECT_EQ(fields(n), (Fields{{"name", "v1"},
                               {"on", "main"},
                               {"remote", "origin"},
                               {"annotated", "false"}}));
  EXPECT_EQ(n.summary(), "tag v1");
}

} // namespace

/// A project driving a second repository: its steps name it in their id,
/// act on its remote (key, fields) and resolve its settings, not the main
/// repository's of the same name.
TEST(LowerReposTest, StepsOfAnotherRepositoryNameIt) {
  const char *const twoRepos = R"(project demo {
  repo {
    cut_from "main";
    release_branch "release/{major}.{minor}";
  }
  repo xla {
    remote "upstream-xla";
    main_branch "master";
    cut_from "master";
    release_branch "r{major}.{minor}";
  }
  channels test > release;
  stage cut {
    git.branch release_branch from cut_from;
    git.branch release_branch from cut_from in xla;
    git.pin "pins/xla.txt" = xla.release_branch on release_branch;
    record triton = "pins/triton.txt" on release_branch as commit;
  }
})";
  PlanFixture fixture;
  const sema::Plan *plan = fixture.checkRelease(test::demoRelease(), twoRepos);
  ASSERT_TRUE(plan) << fixture.printed();
  Graph g = lower(*plan, {}, fixture.sm, "demo/1.0.relplan");
  ASSERT_EQ(g.repositories.size(), 1u);
  EXPECT_EQ(g.repositories[0].remote, "upstream-xla");
  EXPECT_EQ(g.repositories[0].mainBranch, "master");
  EXPECT_EQ(idsOf(g, "cut"),
            (Ids{"cut/branch-release_branch", "cut/branch-xla.release_branch",
                 "cut/pin-xla", "cut/record-triton"}));
  const Node &xla = *g.node("cut/branch-xla.release_branch");
  EXPECT_EQ(xla.key, "branch upstream-xla r1.0");
  EXPECT_EQ(xla.repo(), "xla");
  EXPECT_EQ(fields(xla), (Fields{{"name", "r1.0"},
                                 {"from", "master"},
                                 {"remote", "upstream-xla"},
                                 {"repo", "xla"}}));
  EXPECT_EQ(xla.summary(), "branch r1.0 in xla");
  const Node &main = *g.node("cut/branch-release_branch");
  EXPECT_EQ(main.key, "branch origin release/1.0");
  EXPECT_EQ(main.repo(), "");
  const Node &pin = *g.node("cut/pin-xla");
  EXPECT_EQ(pin.key, "pin origin release/1.0 pins/xla.txt = upstream-xla r1.0");
  EXPECT_FALSE(pin.reversible);
  EXPECT_EQ(pin.as<PinNode>().ofRemote, "upstream-xla");
  const Node &record = *g.node("cut/record-triton");
  EXPECT_TRUE(record.reversible);
  EXPECT_TRUE(record.as<RecordNode>().commit);
  EXPECT_EQ(record.as<RecordNode>().on, "release/1.0");
}
