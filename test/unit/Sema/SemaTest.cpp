//===- SemaTest.cpp - What Sema makes of a plan's names, steps and checks -===//
//
// Sema hands the later phases a typed plan: templates with every name
// resolved but the RC number, the repository with its defaults, each step
// with its options typed, each check call matched against the one table of
// check functions, and overlays compiled. Graph, Emit and Exec trust all of
// it without looking at the AST again, so each fact is asserted here on a
// small plan, together with the one diagnostic each kind of mistake gives.
//
//===----------------------------------------------------------------------===//

#include "PlanFixture.h"

#include "llvm/ADT/StringSet.h"

#include "gtest/gtest.h"

using namespace relc;
using namespace relc::sema;
using relc::test::PlanFixture;
using relc::test::TempDir;

namespace {

using Kinds = std::vector<std::string>;

const char *const namingProject = R"(project demo {
  repo {
    cut_from "main";
    release_branch "release/{major}.{minor}";
    frozen_branch "orig/{release_branch}";
    rc_tag "v{version}-rc{rc}";
  }
  stage cut on schedule.branch_cut {
    git.branch release_branch from cut_from;
    git.branch frozen_branch from release_branch;
    git.commit "version.txt" = "{next_minor}.0a0" on "main" message "Bump to {next_minor}";
  }
  stage rc(n) after cut {
    git.tag rc_tag on release_branch annotated message "RC {n} of {version}";
    run "echo {schedule.release} {n}";
  }
})";

const char *const namingRelease = R"(release demo 2.4.0 {
  schedule {
    branch_cut 2024-06-10;
    release branch_cut + 2w;
  }
})";

std::vector<std::string> parts(const Template &t) {
  return std::vector<std::string>(t.parts().begin(), t.parts().end());
}

const Stage *stageNamed(const Plan &plan, llvm::StringRef name) {
  for (const Stage &s : plan.stages)
    if (s.name == name)
      return &s;
  return nullptr;
}

TEST(TemplateTest, BindFillsEveryHole) {
  Template t("v");
  t.append("2.4.0-rc");
  EXPECT_FALSE(t.hasRc());
  t.appendRc();
  t.append(".");
  Template tail("x");
  tail.appendRc();
  t.append(tail);
  EXPECT_TRUE(t.hasRc());
  EXPECT_EQ(t.bind(std::nullopt), "v2.4.0-rc{rc}.x{rc}");
  EXPECT_EQ(t.bind(3), "v2.4.0-rc3.x3");
  EXPECT_EQ(parts(t), (std::vector<std::string>{"v2.4.0-rc", ".x", ""}));
}

TEST(TemplateTest, EmptyOnlyWithoutTextOrHoles) {
  EXPECT_TRUE(Template().empty());
  EXPECT_FALSE(Template("a").empty());
  Template hole;
  hole.appendRc();
  EXPECT_FALSE(hole.empty());
  EXPECT_EQ(hole.bind(12), "12");
}

TEST(SemaTest, TemplatesResolveSettingsVersionAndMilestones) {
  PlanFixture f;
  const Plan *plan = f.checkRelease(namingRelease, namingProject);
  ASSERT_TRUE(plan) << f.printed();
  EXPECT_EQ(f.kinds(), Kinds());

  const Stage *cut = stageNamed(*plan, "cut");
  ASSERT_TRUE(cut);
  ASSERT_EQ(cut->steps.size(), 3u);
  ASSERT_EQ(cut->notBefore, Date::parse("2024-06-10"));

  const auto *release = cut->steps[0].as<BranchStep>();
  ASSERT_TRUE(release);
  EXPECT_EQ(release->name.bind(std::nullopt), "release/2.4");
  EXPECT_EQ(release->from.bind(std::nullopt), "main");
  // Ids name the setting, so they stay the same from release to release.
  EXPECT_EQ(cut->steps[0].idName.bind(std::nullopt), "release_branch");

  // A setting whose template names another setting.
  const auto *frozen = cut->steps[1].as<BranchStep>();
  ASSERT_TRUE(frozen);
  EXPECT_EQ(frozen->name.bind(std::nullopt), "orig/release/2.4");
  EXPECT_EQ(frozen->from.bind(std::nullopt), "release/2.4");

  const auto *commit = cut->steps[2].as<CommitStep>();
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->file.bind(std::nullopt), "version.txt");
  EXPECT_EQ(commit->content.bind(std::nullopt), "2.5.0a0");
  EXPECT_EQ(commit->branch.bind(std::nullopt), "main");
  EXPECT_EQ(commit->message.bind(std::nullopt), "Bump to 2.5");
  EXPECT_FALSE(commit->content.hasRc());
  // A string operand names itself.
  EXPECT_EQ(cut->steps[2].idName.bind(std::nullopt), "version.txt");
}

TEST(SemaTest, RcNumberAndFirstStageParameterStayHoles) {
  PlanFixture f;
  const Plan *plan = f.checkRelease(namingRelease, namingProject);
  ASSERT_TRUE(plan) << f.printed();
  const Stage *rc = stageNamed(*plan, "rc");
  ASSERT_TRUE(rc);
  EXPECT_EQ(rc->params, std::vector<std::string>{"n"});
  EXPECT_EQ(rc->after, std::vector<std::string>{"cut"});
  ASSERT_EQ(rc->steps.size(), 2u);

  const auto *tag = rc->steps[0].as<TagStep>();
  ASSERT_TRUE(tag);
  EXPECT_TRUE(tag->name.hasRc());
  EXPECT_EQ(parts(tag->name), (std::vector<std::string>{"v2.4.0-rc", ""}));
  EXPECT_EQ(tag->name.bind(std::nullopt), "v2.4.0-rc{rc}");
  EXPECT_EQ(tag->name.bind(3), "v2.4.0-rc3");
  EXPECT_EQ(tag->on.bind(std::nullopt), "release/2.4");
  EXPECT_TRUE(tag->annotated);
  // `{n}`, the stage's parameter, is the same hole as `{rc}`.
  EXPECT_EQ(tag->message.bind(std::nullopt), "RC {rc} of 2.4.0");
  EXPECT_EQ(tag->message.bind(3), "RC 3 of 2.4.0");

  const auto *run = rc->steps[1].as<CommandStep>();
  ASSERT_TRUE(run);
  // schedule.release is branch_cut + 2w.
  EXPECT_EQ(run->command.bind(std::nullopt), "echo 2024-06-24 {rc}");
  EXPECT_EQ(run->command.bind(7), "echo 2024-06-24 7");
}

TEST(SemaTest, ProjectAloneKeepsReleasePlaceholders) {
  PlanFixture f;
  const Plan *plan = f.checkProject(namingProject);
  ASSERT_TRUE(plan) << f.printed();
  const Stage *cut = stageNamed(*plan, "cut");
  ASSERT_TRUE(cut);
  EXPECT_FALSE(cut->notBefore);
  EXPECT_EQ(cut->steps[0].as<BranchStep>()->name.bind(std::nullopt),
            "release/{major}.{minor}");
}

TEST(SemaTest, ParameterOfAnotherStageIsUnknown) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject(R"(project demo {
  stage a(n) { run "a {n}"; }
  stage b { run "b {n}"; }
})"));
  EXPECT_EQ(f.kinds(), Kinds{"unknown-placeholder"}) << f.printed();
}

TEST(SemaTest, RepositoryDefaults) {
  PlanFixture f;
  const Plan *plan =
      f.checkProject("project demo { repo { rc_tag \"v{rc}\"; } }");
  ASSERT_TRUE(plan) << f.printed();
  EXPECT_EQ(plan->repository.remote, "origin");
  EXPECT_EQ(plan->repository.mainBranch, "main");

  PlanFixture none;
  plan = none.checkProject("project demo {}");
  ASSERT_TRUE(plan) << none.printed();
  EXPECT_EQ(plan->repository.remote, "origin");
  EXPECT_EQ(plan->repository.mainBranch, "main");
}

TEST(SemaTest, RepositoryOverrides) {
  PlanFixture f;
  const Plan *plan = f.checkRelease(R"(release demo 3.1.0 {
  schedule { branch_cut 2024-06-10; release 2024-07-01; }
})",
                                    R"(project demo {
  repo { remote "upstream"; main_branch "trunk-{major}"; }
})");
  ASSERT_TRUE(plan) << f.printed();
  EXPECT_EQ(plan->repository.remote, "upstream");
  EXPECT_EQ(plan->repository.mainBranch, "trunk-3");
}

//===---------------------------------------------------------------- steps
//===//

const char *const stepsProject = R"(project demo {
  )" RELC_DEMO_CHANNELS R"(
  check fits = artifact_size(glob: "*.whl", max: 1 GiB);
  stage ship on schedule.release {
    build wheels channel test timeout 6h split refuse;
    build wheels split jobs;
    build wheels channel release;
    require fits;
    approve "release-managers" timeout 2d;
    run "publish.sh" env { TARGET: "pypi", TAG: "v{version}" } timeout 30m cwd "dist" once;
    git.tag "v{version}" on "main";
    wait until schedule.release + 1d;
  }
})";

std::string stepsRelease() { return test::demoRelease(); }

TEST(SemaTest, StepsAreTypedWithTheirOptions) {
  PlanFixture f;
  const Plan *plan = f.checkRelease(stepsRelease(), stepsProject);
  ASSERT_TRUE(plan) << f.printed();
  EXPECT_EQ(f.kinds(), Kinds{}) << f.printed();
  ASSERT_EQ(plan->stages.size(), 1u);
  const std::vector<Step> &steps = plan->stages[0].steps;
  ASSERT_EQ(steps.size(), 8u);

  const auto *b0 = steps[0].as<BuildStep>();
  ASSERT_TRUE(b0);
  EXPECT_EQ(b0->matrix, "wheels");
  EXPECT_EQ(b0->channel, "test");
  EXPECT_EQ(b0->timeout, Duration::seconds(6 * 3600));
  EXPECT_EQ(b0->split, SplitPolicy::Refuse);
  const auto *b1 = steps[1].as<BuildStep>();
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1->channel, "");
  EXPECT_FALSE(b1->timeout);
  EXPECT_EQ(b1->split, SplitPolicy::Jobs);
  const auto *b2 = steps[2].as<BuildStep>();
  ASSERT_TRUE(b2);
  EXPECT_EQ(b2->channel, "release");
  EXPECT_FALSE(b2->split); // Unwritten: the backend's default applies.

  const auto *require = steps[3].as<RequireStep>();
  ASSERT_TRUE(require);
  EXPECT_EQ(require->checks, std::vector<std::string>{"fits"});

  const auto *approve = steps[4].as<ApprovalStep>();
  ASSERT_TRUE(approve);
  EXPECT_EQ(approve->group.bind(std::nullopt), "release-managers");
  EXPECT_EQ(approve->timeout, Duration::days(2));

  const auto *run = steps[5].as<CommandStep>();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->command.bind(std::nullopt), "publish.sh");
  EXPECT_EQ(run->timeout, Duration::seconds(30 * 60));
  EXPECT_EQ(run->cwd.bind(std::nullopt), "dist");
  ASSERT_EQ(run->env.size(), 2u);
  EXPECT_EQ(run->env.at("TARGET").bind(std::nullopt), "pypi");
  EXPECT_EQ(run->env.at("TAG").bind(std::nullopt), "v1.0.0");

  const auto *tag = steps[6].as<TagStep>();
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->name.bind(std::nullopt), "v1.0.0");
  EXPECT_FALSE(tag->annotated);
  EXPECT_TRUE(tag->message.empty());

  const auto *wait = steps[7].as<WaitStep>();
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->date, Date::parse("2026-11-19"));

  for (size_t i = 0; i < steps.size(); ++i)
    EXPECT_EQ(steps[i].once, i == 5) << "step " << i;
}

TEST(SemaTest, ProjectAloneHasNoWaitDate) {
  PlanFixture f;
  const Plan *plan = f.checkProject(
      "project demo { stage s { wait until schedule.release; } }");
  ASSERT_TRUE(plan) << f.printed();
  const auto *wait = plan->stages[0].steps[0].as<WaitStep>();
  ASSERT_TRUE(wait);
  EXPECT_FALSE(wait->date);
}

TEST(SemaTest, OptionOfAnotherStepIsRefused) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject(R"(project demo {
  stage s { run "x" annotated; }
})"));
  EXPECT_EQ(f.kinds(), Kinds{"step-option"}) << f.printed();
}

TEST(SemaTest, OptionValuesAreTypeChecked) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject(R"(project demo {
  stage s {
    run "x" timeout "2h";
    run "y" env "A=1";
  }
})"));
  EXPECT_EQ(f.kinds(), (Kinds{"type-mismatch", "type-mismatch"}))
      << f.printed();
}

//===--------------------------------------------------------------- checks
//===//

TEST(SemaTest, CheckArgumentsAreTyped) {
  PlanFixture f;
  const Plan *plan = f.checkProject(R"(project demo {
  repo { release_branch "release/x"; }
  patch policy { categories regression, docs; }
  check typed = trailers(range: "main"..release_branch, key: "Category", in: patch.categories);
  check listed = trailers(range: "a".."b", key: "K", in: ["x", "y"]);
  check fits = artifact_size(glob: "dist/*.whl", max: 1 GiB);
  check reverts = reverts_propagated(into: release_branch);
})");
  ASSERT_TRUE(plan) << f.printed();
  ASSERT_EQ(plan->checks.size(), 4u);

  const Check *typed = plan->check("typed");
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->function, findCheckFunction("trailers"));
  ASSERT_EQ(typed->args.size(), 3u);
  const CheckArg *range = typed->arg("range");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->lo.bind(std::nullopt), "main");
  EXPECT_EQ(range->hi.bind(std::nullopt), "release/x");
  EXPECT_EQ(range->text.bind(std::nullopt), "main..release/x");
  EXPECT_EQ(typed->arg("key")->text.bind(std::nullopt), "Category");
  EXPECT_EQ(typed->arg("in")->items,
            (std::vector<std::string>{"regression", "docs"}));
  EXPECT_EQ(plan->check("listed")->arg("in")->items,
            (std::vector<std::string>{"x", "y"}));

  const Check *fits = plan->check("fits");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->arg("max")->size, Size::bytes(1ull << 30));
  EXPECT_EQ(fits->arg("glob")->text.bind(std::nullopt), "dist/*.whl");

  const Check *reverts = plan->check("reverts");
  ASSERT_TRUE(reverts);
  EXPECT_EQ(reverts->arg("into")->text.bind(std::nullopt), "release/x");
  EXPECT_FALSE(reverts->arg("from")); // Optional, left out.
}

TEST(SemaTest, MissingRequiredArgument) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject(
      "project demo { check a = artifact_size(glob: \"*.whl\"); }"));
  ASSERT_EQ(f.kinds(), Kinds{"bad-argument"}) << f.printed();
  EXPECT_EQ(f.diags.diagnostics()[0].message,
            "check 'a' needs argument 'max' of 'artifact_size'");
}

TEST(SemaTest, UnknownArgument) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject("project demo { check a = artifact_size(glob: "
                              "\"*.whl\", max: 1 GiB, min: 1 B); }"));
  ASSERT_EQ(f.kinds(), Kinds{"bad-argument"}) << f.printed();
  EXPECT_EQ(f.diags.diagnostics()[0].message,
            "'artifact_size' takes no argument 'min'; did you mean 'max'?");
}

TEST(SemaTest, ArgumentGivenTwice) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject("project demo { check a = artifact_size(glob: "
                              "\"*.whl\", max: 1 GiB, max: 2 GiB); }"));
  ASSERT_EQ(f.kinds(), Kinds{"bad-argument"}) << f.printed();
  EXPECT_EQ(f.diags.diagnostics()[0].message, "argument 'max' is given twice");
}

TEST(SemaTest, MistypedArgument) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject("project demo { check a = artifact_size(glob: "
                              "\"*.whl\", max: \"1 GiB\"); }"));
  ASSERT_EQ(f.kinds(), Kinds{"type-mismatch"}) << f.printed();
  EXPECT_EQ(f.diags.diagnostics()[0].message,
            "'max' takes a size such as '1 GiB'");
}

TEST(SemaTest, UnknownCheckFunction) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject("project demo { check a = artifact_sizes(); }"));
  EXPECT_EQ(f.kinds(), Kinds{"unknown-function"}) << f.printed();
}

TEST(SemaTest, TrackerIsRelativeToThePlanFile) {
  TempDir dir;
  ASSERT_TRUE(dir.write("tracker.yaml", "picks: []\n"));
  PlanFixture f;
  const Plan *plan = f.checkProject(R"(project demo {
  check picks = cherry_picks_present(from: "main", into: "release", tracker: "tracker.yaml");
})",
                                    dir.path("project.relplan"));
  ASSERT_TRUE(plan) << f.printed();
  const CheckArg *tracker = plan->check("picks")->arg("tracker");
  ASSERT_TRUE(tracker);
  EXPECT_EQ(tracker->text.bind(std::nullopt), "tracker.yaml");
  EXPECT_EQ(tracker->path.bind(std::nullopt), dir.path() + "/tracker.yaml");
}

TEST(SemaTest, AbsoluteTrackerStaysAbsolute) {
  TempDir dir;
  ASSERT_TRUE(dir.write("tracker.yaml", "picks: []\n"));
  std::string absolute = dir.path("tracker.yaml");
  PlanFixture f;
  const Plan *plan = f.checkProject(
      "project demo { check picks = cherry_picks_present(from: \"main\", "
      "into: \"release\", tracker: \"" +
      absolute + "\"); }");
  ASSERT_TRUE(plan) << f.printed();
  EXPECT_EQ(plan->check("picks")->arg("tracker")->path.bind(std::nullopt),
            absolute);
}

TEST(SemaTest, MissingTracker) {
  TempDir dir;
  PlanFixture f;
  EXPECT_FALSE(f.checkProject(R"(project demo {
  check picks = cherry_picks_present(from: "main", into: "release", tracker: "missing.yaml");
})",
                              dir.path("project.relplan")));
  ASSERT_EQ(f.kinds(), Kinds{"bad-argument"}) << f.printed();
  EXPECT_EQ(f.diags.diagnostics()[0].message,
            "'tracker' names " + dir.path() +
                "/missing.yaml, which does not exist");
}

TEST(CheckFunctionsTest, NamesAreUniqueAndFound) {
  llvm::StringSet<> names;
  ASSERT_FALSE(checkFunctions().empty());
  for (const CheckFunction &fn : checkFunctions()) {
    EXPECT_TRUE(names.insert(fn.name).second) << fn.name.str();
    EXPECT_EQ(findCheckFunction(fn.name), &fn);
    EXPECT_FALSE(fn.doc.empty()) << fn.name.str();
    llvm::StringSet<> params;
    for (const CheckParam &p : fn.params) {
      EXPECT_TRUE(params.insert(p.name).second)
          << fn.name.str() << "(" << p.name.str() << ")";
      EXPECT_EQ(fn.param(p.name), &p);
      EXPECT_FALSE(paramTypeName(p.type).empty());
    }
    EXPECT_EQ(fn.param("no_such_param"), nullptr);
  }
  EXPECT_EQ(findCheckFunction("no_such_check"), nullptr);
}

TEST(CheckFunctionsTest, SignaturesAsDocumented) {
  // docs/language.md, section 4.4.
  const CheckFunction *picks = findCheckFunction("cherry_picks_present");
  ASSERT_TRUE(picks);
  EXPECT_EQ(picks->kind, CheckFunctionKind::CherryPicksPresent);
  ASSERT_TRUE(picks->param("tracker"));
  EXPECT_EQ(picks->param("tracker")->type, ParamType::Path);
  EXPECT_TRUE(picks->param("tracker")->required);

  const CheckFunction *reverts = findCheckFunction("reverts_propagated");
  ASSERT_TRUE(reverts);
  EXPECT_TRUE(reverts->param("into")->required);
  EXPECT_FALSE(reverts->param("from")->required);

  const CheckFunction *trailers = findCheckFunction("trailers");
  ASSERT_TRUE(trailers);
  EXPECT_EQ(trailers->param("range")->type, ParamType::Range);
  EXPECT_EQ(trailers->param("in")->type, ParamType::Names);

  const CheckFunction *size = findCheckFunction("artifact_size");
  ASSERT_TRUE(size);
  EXPECT_EQ(size->param("glob")->type, ParamType::Glob);
  EXPECT_EQ(size->param("max")->type, ParamType::Size);

  const CheckFunction *contains = findCheckFunction("file_contains");
  ASSERT_TRUE(contains);
  EXPECT_EQ(contains->kind, CheckFunctionKind::FileContains);
  EXPECT_EQ(contains->param("path")->type, ParamType::TreePath);
  EXPECT_EQ(contains->param("text")->type, ParamType::Text);
  EXPECT_TRUE(contains->param("path")->required);
  EXPECT_TRUE(contains->param("text")->required);
  const CheckFunction *patch = findCheckFunction("patch_picks");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->kind, CheckFunctionKind::PatchPicks);
  EXPECT_EQ(patch->param("into")->type, ParamType::Ref);
  EXPECT_EQ(patch->param("in")->type, ParamType::Names);
  EXPECT_FALSE(patch->param("critical")->required);
  EXPECT_FALSE(patch->param("link")->required);
}

//===------------------------------------------------------------- overlays
//===//

TEST(SemaTest, OverlayValuesAreTyped) {
  PlanFixture f;
  const Plan *plan = f.checkProject(R"(project demo {
  overlay github "build-*" {
    runs-on = "linux.12xlarge";
    strategy.fail-fast = false;
    continue-on-error = true;
    quoted = "true";
    timeout-minutes = 30;
    python = 3.10;
    steps += [{ name: "Lint", run: "ruff" }];
    env += { A: "1" };
  }
  overlay gitlab "*" { tags = ["big"]; }
})");
  ASSERT_TRUE(plan) << f.printed();
  ASSERT_EQ(plan->overlays.size(), 2u);
  const Overlay &o = plan->overlays[0];
  EXPECT_EQ(o.backend, "github");
  EXPECT_EQ(o.glob, "build-*");
  ASSERT_EQ(o.entries.size(), 8u);
  using K = OverlayValue::Kind;

  EXPECT_EQ(o.entries[0].path, std::vector<std::string>{"runs-on"});
  EXPECT_EQ(o.entries[0].value.kind, K::String);
  EXPECT_EQ(o.entries[0].value.text, "linux.12xlarge");
  EXPECT_FALSE(o.entries[0].append);

  EXPECT_EQ(o.entries[1].path,
            (std::vector<std::string>{"strategy", "fail-fast"}));
  EXPECT_EQ(o.entries[1].value.kind, K::Bool);
  EXPECT_FALSE(o.entries[1].value.flag);
  EXPECT_EQ(o.entries[2].value.kind, K::Bool);
  EXPECT_TRUE(o.entries[2].value.flag);
  // Quoted, it is a string.
  EXPECT_EQ(o.entries[3].value.kind, K::String);
  EXPECT_EQ(o.entries[3].value.text, "true");

  EXPECT_EQ(o.entries[4].value.kind, K::Number);
  EXPECT_EQ(o.entries[4].value.number, 30);
  // Not a whole number: the version text, never the float 3.1.
  EXPECT_EQ(o.entries[5].value.kind, K::String);
  EXPECT_EQ(o.entries[5].value.text, "3.10");

  const OverlayEntry &steps = o.entries[6];
  EXPECT_TRUE(steps.append);
  ASSERT_EQ(steps.value.kind, K::List);
  ASSERT_EQ(steps.value.items.size(), 1u);
  const OverlayValue &step = steps.value.items[0];
  ASSERT_EQ(step.kind, K::Map);
  ASSERT_EQ(step.fields.size(), 2u);
  EXPECT_EQ(step.fields[0].first, "name");
  EXPECT_EQ(step.fields[0].second.text, "Lint");
  EXPECT_EQ(step.fields[1].first, "run");
  EXPECT_EQ(step.fields[1].second.text, "ruff");

  const OverlayEntry &env = o.entries[7];
  EXPECT_TRUE(env.append);
  ASSERT_EQ(env.value.kind, K::Map);
  ASSERT_EQ(env.value.fields.size(), 1u);
  EXPECT_EQ(env.value.fields[0].first, "A");
  EXPECT_EQ(env.value.fields[0].second.text, "1");

  EXPECT_EQ(plan->overlays[1].backend, "gitlab");
}

TEST(SemaTest, UnknownOverlayBackend) {
  PlanFixture f;
  EXPECT_FALSE(
      f.checkProject("project demo { overlay jenkins \"*\" { a = 1; } }"));
  EXPECT_EQ(f.kinds(), Kinds{"unknown-backend"}) << f.printed();
}

TEST(SemaTest, InvalidOverlayGlob) {
  PlanFixture f;
  EXPECT_FALSE(
      f.checkProject("project demo { overlay github \"build-[\" { a = 1; } }"));
  EXPECT_EQ(f.kinds(), Kinds{"bad-glob"}) << f.printed();
}

TEST(SemaTest, OverlayAllowsAndBraces) {
  PlanFixture f;
  const Plan *plan = f.checkProject(R"(project demo {
  overlay github "*" {
    allow template-injection "the run number is a number";
    env."{{A}}" = "${{{{ secrets.PYPI }}}}";
    steps += [{ run: "echo ${{{{ github.run_number }}}}" }];
  }
})");
  ASSERT_TRUE(plan) << f.printed();
  const Overlay &o = plan->overlays[0];
  ASSERT_EQ(o.allows.size(), 1u);
  EXPECT_EQ(o.allows[0].what, "template-injection");
  EXPECT_EQ(o.allows[0].reason, "the run number is a number");
  EXPECT_EQ(o.allowance("template-injection"), &o.allows[0]);
  EXPECT_EQ(o.allowance("secrets-inherit"), nullptr);
  // `{{` is a literal brace in overlay strings and keys as everywhere.
  ASSERT_EQ(o.entries.size(), 2u);
  EXPECT_EQ(o.entries[0].path, (std::vector<std::string>{"env", "{A}"}));
  EXPECT_EQ(o.entries[0].value.text, "${{ secrets.PYPI }}");
  EXPECT_EQ(o.entries[1].value.items[0].fields[0].second.text,
            "echo ${{ github.run_number }}");
}

TEST(SemaTest, TextThatReachesCiIsChecked) {
  PlanFixture f;
  EXPECT_FALSE(f.checkProject(R"(project demo {
  repo { release_branch "release {major}"; rc_tag "v{version}-rc{rc}"; }
  stage rc(n) {
    git.tag "${{{{ github.head_ref }}}}" on release_branch;
    approve "ops/eu";
    git.branch "hot..fix" from "main";
  }
  overlay github "*" { env."A\nB" = "1"; }
})"));
  EXPECT_EQ(f.kinds(), (Kinds{"invalid-ref-name", "expression-in-data",
                              "invalid-environment-name", "invalid-ref-name",
                              "invalid-overlay-key"}))
      << f.printed();
}

TEST(SemaTest, TemplatesTakeDoubledBracesLiterally) {
  PlanFixture f;
  const Plan *plan = f.checkRelease(namingRelease, R"(project demo {
  repo { release_branch "r-{{{major}}}"; rc_tag "v{version}-{{rc}}{rc}"; }
  stage rc(n) { git.tag rc_tag on release_branch; }
})");
  ASSERT_TRUE(plan) << f.printed();
  const TagStep *tag = plan->stages[0].steps[0].as<TagStep>();
  ASSERT_TRUE(tag);
  EXPECT_EQ(parts(tag->name), (std::vector<std::string>{"v2.4.0-{rc}", ""}));
  EXPECT_EQ(tag->on.bind(std::nullopt), "r-{2}");
}

TEST(SemaTest, OverlayBackends) {
  std::vector<std::string> names(overlayBackends().begin(),
                                 overlayBackends().end());
  EXPECT_EQ(names, (std::vector<std::string>{"github", "gitlab"}));
}

} // namespace
