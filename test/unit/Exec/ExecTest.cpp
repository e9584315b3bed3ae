//===- ExecTest.cpp - A dry run of a stage against a real remote ----------===//
//
// `exec::run` probes the remote and, without --execute, only says what it
// would do: it must change no ref, local or remote, and write no journal.
// Each test makes a work repository and a bare remote with the git command
// line, lowers one small stage, runs it dry and asserts the typed summary:
// a branch that is absent would be created, one already at the cut point is
// skipped, one that was not cut from the source contradicts the plan, and a
// stage before its date is blocked. The lit tests in test/lit/Run cover the
// printed output and --execute.
//
//===----------------------------------------------------------------------===//

#include "Exec/Exec.h"

#include "Graph/Graph.h"

#include "PlanFixture.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include "gtest/gtest.h"

using namespace relc;
using namespace relc::exec;
using relc::test::PlanFixture;
using relc::test::TempDir;

namespace {

const char *const project = R"(project demo {
  repo {
    release_branch "release/{major}.{minor}";
    frozen_branch "frozen/{major}.{minor}";
  }
  stage cut on schedule.branch_cut {
    git.branch release_branch from "main";
    git.branch frozen_branch from "main";
  }
})";

const char *const release = R"(release demo 1.0.0 {
  schedule { branch_cut 2026-11-02; release 2026-11-18; }
})";

/// A work repository `work` with one commit on main, pushed to the bare
/// remote `remote.git`, its `origin`.
class ExecTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(dir.path().empty());
    llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName("git");
    ASSERT_TRUE(found) << "git is not installed";
    gitPath = *found;
    work = dir.path("work");
    remote = dir.path("remote.git");
    git(dir.path(), {"init", "-q", "--bare", "-b", "main", remote});
    git(dir.path(), {"init", "-q", "-b", "main", work});
    ASSERT_TRUE(dir.write("work/version.txt", "1.0.0a0\n"));
    git(work, {"add", "version.txt"});
    git(work, {"commit", "-q", "-m", "Start 1.0"});
    git(work, {"remote", "add", "origin", remote});
    git(work, {"push", "-q", "origin", "main"});

    plan = fixture.checkRelease(release, project);
    ASSERT_TRUE(plan) << fixture.printed();
    graph::LowerOptions lowerOptions;
    lowerOptions.stage = "cut";
    g = graph::lower(*plan, lowerOptions, fixture.sm, "1.0.relplan");
    options.stage = "cut";
    options.repo = work;
    options.today = Date::parse("2026-11-03");
  }

  /// Runs git in \p cwd; its standard output.
  std::string git(const std::string &cwd, std::vector<std::string> args) {
    // Whatever the user's git configuration says, commits need no key.
    std::vector<std::string> all = {"git",
                                    "-C",
                                    cwd,
                                    "-c",
                                    "user.name=Rel Eng",
                                    "-c",
                                    "user.email=releng@example.com",
                                    "-c",
                                    "commit.gpgsign=false"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<llvm::StringRef> argv(all.begin(), all.end());
    std::string out = dir.path("git.out");
    llvm::sys::fs::remove(out); // The redirection does not truncate.
    llvm::Optional<llvm::StringRef> redirects[] = {
        llvm::StringRef(""), llvm::StringRef(out), llvm::None};
    std::string err;
    int rc = llvm::sys::ExecuteAndWait(gitPath, argv, llvm::None, redirects, 0,
                                       0, &err);
    EXPECT_EQ(rc, 0) << "git " << llvm::join(args, " ") << ": " << err;
    auto buffer = llvm::MemoryBuffer::getFile(out);
    return buffer ? (*buffer)->getBuffer().str() : "";
  }

  /// Every ref of the work repository and of the remote, with its commit.
  std::string refs() {
    return git(work, {"for-each-ref"}) + git(remote, {"for-each-ref"});
  }

  std::string head() { return git(work, {"rev-parse", "HEAD"}); }

  RunSummary run() {
    llvm::raw_string_ostream os(output);
    return exec::run(g, options, os, fixture.diags);
  }

  TempDir dir;
  std::string gitPath, work, remote;
  PlanFixture fixture;
  const sema::Plan *plan = nullptr;
  graph::Graph g;
  RunOptions options;
  std::string output;
};

using Statuses = std::vector<std::pair<std::string, StepStatus>>;

Statuses statuses(const RunSummary &s) {
  Statuses out;
  for (const StepResult &r : s.steps)
    out.emplace_back(r.id, r.status);
  return out;
}

TEST_F(ExecTest, DryRunWouldCreateAbsentBranches) {
  std::string before = refs();
  RunSummary s = run();
  EXPECT_EQ(s.result, RunSummary::Result::Ok) << fixture.printed() << output;
  EXPECT_FALSE(s.rc);
  EXPECT_EQ(statuses(s),
            (Statuses{{"cut/not-before", StepStatus::Passed},
                      {"cut/branch-release_branch", StepStatus::Would},
                      {"cut/branch-frozen_branch", StepStatus::Would}}));
  for (const StepResult &r : s.steps)
    EXPECT_FALSE(r.acted) << r.id;
  EXPECT_EQ(s.steps[1].key, "branch origin release/1.0");
  EXPECT_EQ(refs(), before);
  EXPECT_FALSE(llvm::sys::fs::exists(work + "/.git/relc"));
  EXPECT_EQ(fixture.kinds(), std::vector<std::string>());
}

TEST_F(ExecTest, BranchAtTheCutPointIsSkipped) {
  git(work, {"push", "-q", "origin", "main:refs/heads/frozen/1.0"});
  std::string before = refs();
  RunSummary s = run();
  EXPECT_EQ(s.result, RunSummary::Result::Ok) << fixture.printed() << output;
  EXPECT_EQ(statuses(s),
            (Statuses{{"cut/not-before", StepStatus::Passed},
                      {"cut/branch-release_branch", StepStatus::Would},
                      {"cut/branch-frozen_branch", StepStatus::Skipped}}));
  // Both at the commit frozen/1.0 was cut at, main's head.
  std::string cut = head().substr(0, 12);
  EXPECT_NE(s.steps[1].detail.find("would create it at " + cut),
            std::string::npos)
      << s.steps[1].detail;
  EXPECT_NE(s.steps[2].detail.find(cut + ", the cut point"), std::string::npos)
      << s.steps[2].detail;
  EXPECT_EQ(refs(), before);
}

TEST_F(ExecTest, BranchNotCutFromTheSourceIsAConflict) {
  git(work, {"checkout", "-q", "-b", "side"});
  git(work, {"commit", "-q", "--allow-empty", "-m", "Elsewhere"});
  git(work, {"push", "-q", "origin", "side:refs/heads/release/1.0"});
  git(work, {"checkout", "-q", "main"});
  std::string before = refs();
  RunSummary s = run();
  EXPECT_EQ(s.result, RunSummary::Result::Stopped);
  EXPECT_EQ(statuses(s),
            (Statuses{{"cut/not-before", StepStatus::Passed},
                      {"cut/branch-release_branch", StepStatus::Conflict}}));
  EXPECT_EQ(fixture.kinds(),
            std::vector<std::string>{"world-contradicts-plan"});
  EXPECT_EQ(refs(), before);
}

TEST_F(ExecTest, StageBeforeItsDateIsBlocked) {
  options.today = Date::parse("2026-11-01");
  RunSummary s = run();
  EXPECT_EQ(s.result, RunSummary::Result::Stopped);
  EXPECT_EQ(statuses(s), (Statuses{{"cut/not-before", StepStatus::Blocked}}));
  EXPECT_EQ(fixture.kinds(), std::vector<std::string>{"step-blocked"});
}

TEST_F(ExecTest, MissingRepositoryIsNotStarted) {
  options.repo = dir.path("nowhere");
  RunSummary s = run();
  EXPECT_EQ(s.result, RunSummary::Result::NotStarted);
  EXPECT_TRUE(s.steps.empty());
  EXPECT_EQ(fixture.kinds(), std::vector<std::string>{"git-failed"});
}

TEST(StatusNameTest, EveryStatusHasItsName) {
  EXPECT_EQ(statusName(StepStatus::Done), "done");
  EXPECT_EQ(statusName(StepStatus::Skipped), "skipped");
  EXPECT_EQ(statusName(StepStatus::Would), "would");
  EXPECT_EQ(statusName(StepStatus::Passed), "passed");
  EXPECT_EQ(statusName(StepStatus::Ci), "ci");
  EXPECT_EQ(statusName(StepStatus::Blocked), "blocked");
  EXPECT_EQ(statusName(StepStatus::Failed), "failed");
  EXPECT_EQ(statusName(StepStatus::Conflict), "conflict");
}

} // namespace
