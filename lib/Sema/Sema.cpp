//===- Sema.cpp - Names, dates, channels, checks and stages --------------===//
//
// The plan-wide rules. A release file and its project are read as one plan:
// the project holds conventions (repo, channels, checks, stages), the release
// what changes (schedule, matrices). Matrices are expanded in Matrix.cpp.
//
//===----------------------------------------------------------------------===//
#include "Sema/Sema.h"
#include "Basic/SourceFiles.h"

#include "Basic/Printable.h"
#include "Basic/Suggest.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <functional>
#include <set>

using namespace relc;
using namespace relc::sema;
using ast::Expr;

namespace {

/// Settings of `repo` and of `patch policy`.
const llvm::StringRef repoSettings[] = {
    "remote",         "version_file",  "cut_from", "main_branch",
    "release_branch", "frozen_branch", "rc_tag",   "final_tag"};
const llvm::StringRef policySettings[] = {"max_per_minor", "only_latest_minor",
                                          "categories", "critical"};

/// The milestones whose order the schedule enforces, in that order.
const llvm::StringRef orderedMilestones[] = {"branch_cut", "first_rc",
                                             "final_rc", "release"};
/// The phases of a patch release (PyTorch's RELEASE.md, "Patch Releases"),
/// in their order: triage of the issues, the go/no-go decision,
/// cherry-picking until its deadline, build, promote and test of the RCs,
/// general availability (`release`).
const llvm::StringRef patchMilestones[] = {"triage", "go_no_go",
                                           "cherry_pick_deadline",
                                           "build_promote_test", "release"};
/// Milestones only a minor release has: a patch is not cut.
const llvm::StringRef minorOnlyMilestones[] = {"branch_cut"};

/// The milestone a stage trigger `on schedule.M` (or `on M`) names, if any.
llvm::StringRef triggerMilestone(const ast::StageTrigger &t) {
  auto *p = llvm::dyn_cast_or_null<ast::PathExpr>(t.date.get());
  if (t.kind != ast::StageTrigger::Kind::On || !p)
    return "";
  if (p->parts.size() == 2 && p->parts[0].text == "schedule")
    return p->parts[1].text;
  return p->parts.size() == 1 ? llvm::StringRef(p->parts[0].text) : "";
}

/// Which options each step takes (`once` is listed where it makes sense).
llvm::ArrayRef<llvm::StringRef> stepOptions(ast::Step::Kind k) {
  using K = ast::Step::Kind;
  static const llvm::StringRef branch[] = {"once", "in"};
  static const llvm::StringRef tag[] = {"once", "annotated", "message", "in"};
  static const llvm::StringRef commit[] = {"once", "message", "in"};
  static const llvm::StringRef pin[] = {"once", "message", "as", "in"};
  static const llvm::StringRef record[] = {"as", "in"};
  static const llvm::StringRef build[] = {"timeout", "split"};
  static const llvm::StringRef approve[] = {"timeout"};
  static const llvm::StringRef run[] = {"once", "env", "timeout", "cwd"};
  switch (k) {
  case K::Branch:
    return branch;
  case K::Tag:
    return tag;
  case K::Commit:
    return commit;
  case K::Pin:
    return pin;
  case K::Record:
    return record;
  case K::Build:
    return build;
  case K::Approve:
    return approve;
  case K::Run:
    return run;
  case K::Require:
  case K::Wait:
    break;
  }
  return {};
}

std::vector<std::string> strings(llvm::ArrayRef<llvm::StringRef> list) {
  return std::vector<std::string>(list.begin(), list.end());
}

class Sema {
public:
  Sema(DiagnosticEngine &diags, const ast::File &file, const ast::File &project,
       llvm::ArrayRef<ModelDir> modelDirs, ModelCache *models,
       const ast::File *minor,
       llvm::ArrayRef<std::shared_ptr<const Plan>> partnerPlans = {},
       llvm::ArrayRef<std::shared_ptr<const Plan>> minorPartners = {})
      : diags(diags), file(file), project(project), minor(minor),
        modelDirs(modelDirs), models(models), partnerPlans(partnerPlans),
        minorPartners(minorPartners) {}

  std::unique_ptr<Plan> run();

private:
  void collectItems(const ast::File &f);
  bool loadModels();
  /// Where the model `compat "NAME";` names is, or nullopt (reported).
  std::optional<std::string> findModel(const ast::Item &it);
  void checkRepo();
  void checkChannels();
  void checkPolicy();
  void checkSchedule();
  void checkPartners();
  void waitForPartner(Stage &st, const ast::Name &after);
  void checkPatchSchedule(const ast::Item &s);
  bool readBase();
  bool isPatch() const {
    return file.releaseVersion && file.releaseVersion->value.isPatch();
  }
  bool stageApplies(const ast::Item &stage) const;
  std::optional<Date> dateOf(const Expr &e, bool quiet = false);
  std::optional<Date> milestoneDate(const ast::ScheduleEntry &e);
  void checkChecks();
  void checkStages();
  void checkBuilds();
  void orderStages();
  void checkPlaceholders(const Expr &e, llvm::ArrayRef<std::string> params);
  void checkCron(Stage &st, const ast::StringExpr &cron,
                 const ast::Item &stage);
  bool isPlaceholder(llvm::StringRef name,
                     llvm::ArrayRef<std::string> params) const;
  void checkReference(const Expr &e, llvm::StringRef what);
  std::vector<std::string> referenceNames() const;
  void checkOverlays();
  void checkAllow(Overlay &o, const ast::OverlayEntry &e);
  void checkOverlayKey(const ast::Key &k);
  void checkOverlayKeys(const Expr &e);
  // Text that reaches generated CI.
  void checkNoExpression(const Expr &e, llvm::ArrayRef<std::string> params);
  void checkRef(const Expr &e, llvm::ArrayRef<std::string> params,
                llvm::StringRef what);
  void checkRepoText(const ast::Setting &s);
  void checkStepNames(const ast::Step &s, llvm::ArrayRef<std::string> params);
  void checkCheckArg(Check &c, const ast::Arg &a, const CheckParam &param);
  Step lowerStep(const ast::Step &s, llvm::ArrayRef<std::string> params,
                 bool once);

  // Resolving names in the plan's strings: everything but the RC number.
  Template setting(llvm::StringRef name);
  void checkSettingCycle(const ast::Setting &s);
  void placeholder(Template &out, llvm::StringRef name,
                   llvm::ArrayRef<std::string> params);
  Template expand(llvm::StringRef text, llvm::ArrayRef<std::string> params);
  Template render(const Expr &e, llvm::ArrayRef<std::string> params);

  DiagnosticEngine &diags;
  const ast::File &file, &project;
  const ast::File *minor; ///< What a patch release stands on.
  llvm::ArrayRef<ModelDir> modelDirs;
  ModelCache *models;
  /// The checked releases of the `with` items, in order; null where one
  /// did not check.
  llvm::ArrayRef<std::shared_ptr<const Plan>> partnerPlans, minorPartners;
  std::unique_ptr<Plan> plan = std::make_unique<Plan>();

  std::vector<const ast::Item *> compat, repo, channels, checks, policy,
      schedule, matrices, stages, overlays, withs;
  /// The project's matrices: what a release's matrix may take (`from`).
  std::vector<const ast::Item *> baseMatrices;
  std::map<std::string, const ast::ScheduleEntry *> milestoneEntries;
  std::map<std::string, std::optional<Date>> milestoneDates;
  llvm::StringSet<> evaluating;
  llvm::StringSet<> expanding; ///< Repo settings being expanded.
  std::map<std::string, const ast::Setting *> repoByName;
  std::map<std::string, const ast::Setting *> policyByName;

  // Other repositories (`repo builder { ... }`): each has settings of its
  // own, which a step names with `in builder` and a pin with
  // `builder.release_branch`.
  struct OtherRepo {
    const ast::Item *item = nullptr;
    std::map<std::string, std::string> values;
    std::map<std::string, const ast::Setting *> byName;
  };
  std::vector<const ast::Item *> namedRepos;
  std::map<std::string, OtherRepo> others;
  /// Whose settings names resolve to: null, the main repository's.
  const OtherRepo *scope = nullptr;
  const std::map<std::string, std::string> &settingValues() const {
    return scope ? scope->values : plan->repo;
  }
  const std::map<std::string, const ast::Setting *> &settingDefs() const {
    return scope ? scope->byName : repoByName;
  }
  void checkOtherRepos();
  void describeOtherRepos();
  /// The repository a step's `in` option names ("" : the main one, or
  /// none it could name, reported).
  std::string stepRepository(const ast::Step &s);
};

} // namespace

void Sema::collectItems(const ast::File &f) {
  bool isProject = f.kind == ast::File::Kind::Project;
  for (const ast::Item &it : f.items) {
    using K = ast::Item::Kind;
    // Conventions live in the project, what changes per release in the
    // release file; compat models and checks may be added by either.
    bool projectOnly = it.kind == K::Repo || it.kind == K::Channels ||
                       it.kind == K::Stage || it.kind == K::Overlay ||
                       it.kind == K::Policy;
    bool releaseOnly = it.kind == K::Schedule || it.kind == K::With;
    if ((projectOnly && !isProject) || (releaseOnly && isProject)) {
      diags.report(DiagKind::MisplacedItem, it.range,
                   "'" + ast::Item::keyword(it.kind) + "' belongs in " +
                       (projectOnly ? "the project file" : "a release file") +
                       ", not in " + (isProject ? "a project" : "a release"));
      continue;
    }
    switch (it.kind) {
    case K::Compat:
      compat.push_back(&it);
      break;
    case K::Repo:
      (it.name.text.empty() ? repo : namedRepos).push_back(&it);
      break;
    case K::Channels:
      channels.push_back(&it);
      break;
    case K::Check:
      checks.push_back(&it);
      break;
    case K::Policy:
      policy.push_back(&it);
      break;
    case K::Schedule:
      schedule.push_back(&it);
      break;
    case K::Matrix:
      if (!isProject) {
        matrices.push_back(&it);
      } else if (it.base) {
        diags.report(DiagKind::MisplacedItem, it.base->range,
                     "a project's matrix is what releases take; only a "
                     "release's matrix takes one ('from')");
      } else {
        baseMatrices.push_back(&it);
      }
      break;
    case K::Stage:
      stages.push_back(&it);
      break;
    case K::Overlay:
      overlays.push_back(&it);
      break;
    case K::With:
      withs.push_back(&it);
      break;
    }
  }
}

/// One `repo`, `channels`, `patch policy` or `schedule` per plan.
static void checkSingle(DiagnosticEngine &diags,
                        const std::vector<const ast::Item *> &items) {
  for (size_t i = 1; i < items.size(); ++i) {
    diags.report(DiagKind::MisplacedItem, items[i]->range,
                 "a second '" + ast::Item::keyword(items[i]->kind) +
                     "'; a plan has one");
    diags.note(items[0]->range.Start, "the first is here");
  }
}

bool Sema::loadModels() {
  if (compat.empty())
    return true;
  llvm::SourceMgr &sm = diags.getSourceMgr();
  std::vector<std::string> paths;
  bool found = true;
  for (const ast::Item *it : compat) {
    if (isModelName(it->path->value)) {
      std::optional<std::string> path = findModel(*it);
      found &= path.has_value();
      paths.push_back(path ? *path : std::string());
      continue;
    }
    // The path is relative to the file that names it.
    unsigned buf = sm.FindBufferContainingLoc(it->range.Start);
    llvm::SmallString<256> path(llvm::sys::path::parent_path(
        sm.getMemoryBuffer(buf)->getBufferIdentifier()));
    llvm::sys::path::append(path, it->path->value);
    if (llvm::sys::path::is_absolute(it->path->value))
      path = it->path->value;
    paths.push_back(std::string(path));
  }
  if (!found)
    return false;
  if (models) {
    auto cached = models->byPaths.find(paths);
    if (cached != models->byPaths.end()) {
      plan->model = cached->second;
      return true;
    }
  }
  std::vector<unsigned> ids;
  bool ok = true;
  for (size_t i = 0; i < compat.size(); ++i) {
    ids.push_back(loadSourceFile(diags, paths[i], compat[i]->path->getRange(),
                                 SourceKind::Model));
    ok &= ids.back() != 0;
  }
  if (!ok) {
    // What could be read is still checked, so that one run reports it all.
    compat::Model partial;
    for (size_t i = 0; i < ids.size(); ++i)
      if (ids[i])
        compat::loadModelBuffer(diags, ids[i], paths[i], partial);
    return false;
  }
  // The files' names and bytes find a model saved by an earlier run.
  const compat::ModelDiskCache *disk =
      models && models->disk ? &*models->disk : nullptr;
  std::vector<compat::CachedFile> files;
  for (size_t i = 0; i < paths.size(); ++i)
    files.push_back(
        {llvm::sys::path::filename(paths[i]), sourceText(sm, ids[i])});
  if (disk)
    if (std::optional<compat::SavedModel> saved = disk->read(files)) {
      auto model = std::make_shared<compat::Model>();
      model->paths = paths;
      if (compat::restoreModel(sm, saved->payload, files, *model) &&
          compat::finishModel(diags, *model)) {
        plan->model = model;
        models->byPaths.emplace(std::move(paths), std::move(model));
        return true;
      }
    }
  auto model = std::make_shared<compat::Model>();
  unsigned reported = diags.errorCount() + diags.warningCount();
  for (size_t i = 0; i < compat.size(); ++i)
    ok &= compat::loadModelBuffer(diags, ids[i], paths[i], *model);
  // Saved as loaded, before finishModel, which a restored model goes
  // through again; only a model that loaded without a word, since a
  // restored one reports nothing of the loading.
  std::optional<std::string> saved;
  if (ok && disk && diags.errorCount() + diags.warningCount() == reported)
    saved = compat::saveModel(*model, files);
  ok = ok && compat::finishModel(diags, *model);
  plan->model = model;
  if (ok && saved)
    disk->write(files, *saved);
  if (ok && models)
    models->byPaths.emplace(std::move(paths), std::move(model));
  return ok;
}

std::optional<std::string> Sema::findModel(const ast::Item &it) {
  llvm::StringRef name = it.path->value;
  llvm::vfs::FileSystem &fs = diags.getFileSystem();
  std::string places;
  for (const ModelDir &dir : modelDirs) {
    llvm::SmallString<256> path(dir.path);
    llvm::sys::path::append(path, name + ".yaml");
    llvm::ErrorOr<llvm::vfs::Status> st = fs.status(path);
    if (st && st->getType() == llvm::sys::fs::file_type::regular_file)
      return std::string(path);
    places += (places.empty() ? "" : ", ") + ("'" + dir.path + "' (") +
              dir.origin + ")";
  }
  diags.report(DiagKind::ModelNotFound, it.path->getRange(),
               "no compatibility model named '" + name + "'; looked for " +
                   name + ".yaml in " +
                   (places.empty() ? std::string("no directory") : places));
  return std::nullopt;
}

/// Reads the settings of one `repo` block into \p byName and \p values,
/// reporting those not in \p allowed, set twice, or not one string.
static void
readRepoSettings(DiagnosticEngine &diags, const ast::Item &it,
                 const std::vector<std::string> &allowed,
                 std::map<std::string, const ast::Setting *> &byName,
                 std::map<std::string, std::string> &values) {
  for (const ast::Setting &s : it.settings) {
    if (!llvm::is_contained(allowed, s.key.text)) {
      diags.report(DiagKind::UnknownName, s.key.range,
                   "unknown repo setting '" + s.key.text + "'" +
                       didYouMean(s.key.text, allowed));
      continue;
    }
    if (!byName.emplace(s.key.text, &s).second) {
      diags.report(DiagKind::DuplicateDefinition, s.key.range,
                   "repo setting '" + s.key.text + "' is set twice");
      diags.note(byName[s.key.text]->range.Start, "first set here");
      continue;
    }
    const auto *str = s.values.size() == 1
                          ? llvm::dyn_cast<ast::StringExpr>(s.values[0].get())
                          : nullptr;
    if (!str) {
      diags.report(DiagKind::TypeMismatch, s.range,
                   "repo setting '" + s.key.text + "' takes one string");
      continue;
    }
    values[s.key.text] = str->value;
  }
}

void Sema::checkRepo() {
  checkSingle(diags, repo);
  for (const ast::Item *it : repo)
    readRepoSettings(diags, *it, strings(repoSettings), repoByName, plan->repo);
}

/// The repository description: settings resolved, defaults where unset.
static void describeRepository(Plan &plan, const Template &remote,
                               const Template &mainBranch) {
  if (!remote.empty())
    plan.repository.remote = remote.bind(std::nullopt);
  if (!mainBranch.empty())
    plan.repository.mainBranch = mainBranch.bind(std::nullopt);
}

void Sema::checkOtherRepos() {
  std::vector<std::string> allowed = strings(repoSettings);
  allowed.push_back("url");
  for (const ast::Item *it : namedRepos) {
    const ast::Name &name = it->name;
    // `patch.X` and `schedule.X` already mean something in a path.
    if (name.text == "patch" || name.text == "schedule") {
      diags.report(DiagKind::DuplicateDefinition, name.range,
                   "a repository cannot be called '" + name.text + "': '" +
                       name.text + ".NAME' names " +
                       (name.text == "patch" ? "a patch policy setting"
                                             : "a milestone"));
      continue;
    }
    auto [slot, fresh] = others.try_emplace(name.text);
    if (!fresh) {
      diags.report(DiagKind::DuplicateDefinition, name.range,
                   "repository '" + name.text + "' is declared twice");
      diags.note(slot->second.item->name.loc(), "first declared here");
      continue;
    }
    OtherRepo &o = slot->second;
    o.item = it;
    readRepoSettings(diags, *it, allowed, o.byName, o.values);
  }
}

/// Each other repository as a run needs it: its remote (by default named
/// like the repository), its URL and main branch, resolved.
void Sema::describeOtherRepos() {
  for (const ast::Item *it : namedRepos) {
    auto o = others.find(it->name.text);
    if (o == others.end() || o->second.item != it)
      continue;
    scope = &o->second;
    Repository r;
    r.name = it->name.text;
    r.range = it->name.range;
    r.remote = r.name;
    if (Template t = setting("remote"); !t.empty())
      r.remote = t.bind(std::nullopt);
    if (Template t = setting("main_branch"); !t.empty())
      r.mainBranch = t.bind(std::nullopt);
    r.url = setting("url").bind(std::nullopt);
    plan->repositories.push_back(std::move(r));
    for (const ast::Setting &s : it->settings) {
      for (const ast::ExprPtr &e : s.values)
        checkPlaceholders(*e, {});
      checkSettingCycle(s);
      checkRepoText(s);
    }
    scope = nullptr;
  }
}

std::string Sema::stepRepository(const ast::Step &s) {
  for (const ast::StepOption &o : s.options) {
    if (o.name.text != "in")
      continue;
    auto *p = llvm::dyn_cast_or_null<ast::PathExpr>(o.value.get());
    if (!p || p->parts.size() != 1) {
      diags.report(DiagKind::TypeMismatch,
                   o.value ? o.value->getRange() : o.range,
                   "'in' takes the name of a repository the project declares "
                   "('repo NAME { ... }')");
      return "";
    }
    const ast::Name &name = p->parts[0];
    if (others.count(name.text))
      return name.text;
    std::vector<std::string> known;
    for (const auto &kv : others)
      known.push_back(kv.first);
    diags.report(DiagKind::UnknownName, name.range,
                 "unknown repository '" + name.text + "'" +
                     didYouMean(name.text, known));
  }
  return "";
}

void Sema::checkChannels() {
  checkSingle(diags, channels);
  if (channels.empty())
    return;
  llvm::StringSet<> seen;
  for (const ast::Name &n : channels[0]->channels) {
    if (!seen.insert(n.text).second) {
      diags.report(DiagKind::DuplicateDefinition, n.range,
                   "channel '" + n.text + "' is listed twice");
      continue;
    }
    plan->channels.push_back(n.text);
  }
  if (plan->channels.size() > 32)
    diags.report(DiagKind::TypeMismatch, channels[0]->range,
                 "at most 32 channels");
}

void Sema::checkPolicy() {
  checkSingle(diags, policy);
  for (const ast::Item *it : policy)
    for (const ast::Setting &s : it->settings) {
      if (!llvm::is_contained(policySettings, s.key.text)) {
        diags.report(DiagKind::UnknownName, s.key.range,
                     "unknown patch policy setting '" + s.key.text + "'" +
                         didYouMean(s.key.text, strings(policySettings)));
        continue;
      }
      policyByName.emplace(s.key.text, &s);
      plan->policyAt.emplace(s.key.text, s.range);
      std::vector<std::string> &values = plan->policy[s.key.text];
      for (const ast::ExprPtr &e : s.values) {
        if (auto *p = llvm::dyn_cast<ast::PathExpr>(e.get()))
          values.push_back(p->str());
        else if (auto *v = llvm::dyn_cast<ast::VersionExpr>(e.get()))
          values.push_back(v->str());
      }
      bool flag = s.key.text == "only_latest_minor";
      bool number = s.key.text == "max_per_minor";
      if (flag && !s.values.empty())
        diags.report(DiagKind::TypeMismatch, s.range,
                     "'only_latest_minor' is a flag and takes no value");
      if (number) {
        auto *v = s.values.size() == 1
                      ? llvm::dyn_cast<ast::VersionExpr>(s.values[0].get())
                      : nullptr;
        if (!v || v->value.release().size() != 1)
          diags.report(DiagKind::TypeMismatch, s.range,
                       "'max_per_minor' takes a whole number");
      }
      if (!flag && !number)
        for (const ast::ExprPtr &e : s.values)
          if (!llvm::isa<ast::PathExpr>(e.get()) ||
              llvm::cast<ast::PathExpr>(e.get())->parts.size() != 1)
            diags.report(DiagKind::TypeMismatch, e->getRange(),
                         "'" + s.key.text + "' lists names");
    }
}

//===---------------------------------------------------------- schedule ===//

std::optional<Date> Sema::milestoneDate(const ast::ScheduleEntry &e) {
  std::string name = e.milestone.text;
  auto known = milestoneDates.find(name);
  if (known != milestoneDates.end())
    return known->second;
  if (!evaluating.insert(name).second) {
    diags.report(DiagKind::DateCycle, e.when->getRange(),
                 "the date of '" + name + "' depends on itself");
    milestoneDates[name] = std::nullopt;
    return std::nullopt;
  }
  std::optional<Date> d = dateOf(*e.when);
  evaluating.erase(name);
  milestoneDates[name] = d;
  return d;
}

/// The date \p e names; unless \p quiet, reports why there is none.
std::optional<Date> Sema::dateOf(const Expr &e, bool quiet) {
  if (auto *d = llvm::dyn_cast<ast::DateExpr>(&e))
    return d->value;
  if (auto *p = llvm::dyn_cast<ast::ParenExpr>(&e))
    return dateOf(*p->inner, quiet);
  if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e)) {
    // `release` inside the schedule, `schedule.release` anywhere.
    const std::vector<ast::Name> &parts = p->parts;
    // `pytorch.branch_cut`: a milestone of a release this one goes with.
    if (const Partner *pt =
            parts.size() == 2 ? plan->partner(parts[0].text) : nullptr) {
      if (const Milestone *m = pt->plan->milestone(parts[1].text))
        return m->date;
      if (quiet)
        return std::nullopt;
      std::vector<std::string> names;
      for (const Milestone &m : pt->plan->milestones)
        names.push_back(m.name);
      diags.report(DiagKind::UnknownName, parts[1].range,
                   "release " + pt->project + " " + pt->plan->version->str() +
                       " has no milestone '" + parts[1].text + "'" +
                       didYouMean(parts[1].text, names));
      return std::nullopt;
    }
    size_t skip = parts.size() == 2 && parts[0].text == "schedule" ? 1 : 0;
    if (parts.size() == skip + 1) {
      auto it = milestoneEntries.find(parts[skip].text);
      if (it != milestoneEntries.end())
        return milestoneDate(*it->second);
      if (quiet)
        return std::nullopt;
      std::vector<std::string> names;
      for (const auto &m : milestoneEntries)
        names.push_back(m.first);
      diags.report(DiagKind::UnknownName, parts[skip].range,
                   "unknown milestone '" + parts[skip].text + "'" +
                       didYouMean(parts[skip].text, names));
      return std::nullopt;
    }
  }
  if (auto *b = llvm::dyn_cast<ast::BinaryExpr>(&e)) {
    std::optional<Date> lhs = dateOf(*b->lhs, quiet);
    auto *dur = llvm::dyn_cast<ast::DurationExpr>(b->rhs.get());
    if (quiet && (!dur || !dur->value.isWholeDays()))
      return std::nullopt;
    if (!dur) {
      diags.report(DiagKind::TypeMismatch, b->rhs->getRange(),
                   "a date can only be moved by a duration such as '1w'");
      return std::nullopt;
    }
    if (dur->value.inSeconds() % 86400 != 0) {
      diags.report(DiagKind::TypeMismatch, b->rhs->getRange(),
                   "dates move by whole days; '" + dur->value.str() +
                       "' is not");
      return std::nullopt;
    }
    if (!lhs)
      return std::nullopt;
    return b->op == '+' ? *lhs + dur->value : *lhs - dur->value;
  }
  if (!quiet)
    diags.report(DiagKind::TypeMismatch, e.getRange(),
                 "expected a date: a date literal, a milestone, or a milestone "
                 "plus or minus a duration");
  return std::nullopt;
}

void Sema::checkSchedule() {
  checkSingle(diags, schedule);
  if (schedule.empty())
    return;
  const ast::Item &s = *schedule[0];
  for (const ast::ScheduleEntry &e : s.schedule) {
    if (e.isPatch)
      continue;
    auto [it, fresh] = milestoneEntries.emplace(e.milestone.text, &e);
    if (!fresh) {
      diags.report(DiagKind::DuplicateDefinition, e.milestone.range,
                   "milestone '" + e.milestone.text + "' is defined twice");
      diags.note(it->second->range.Start, "first defined here");
    }
  }
  for (const char *need : {"branch_cut", "release"})
    if ((!isPatch() || llvm::StringRef(need) != "branch_cut") &&
        !milestoneEntries.count(need))
      diags.report(DiagKind::MissingMilestone, s.range.Start,
                   "the schedule has no '" + llvm::Twine(need) + "' date");

  for (const auto &[name, entry] : milestoneEntries)
    if (std::optional<Date> d = milestoneDate(*entry))
      plan->milestones.push_back({name, *d, entry->range});
  std::stable_sort(
      plan->milestones.begin(), plan->milestones.end(),
      [](const Milestone &a, const Milestone &b) { return a.date < b.date; });
  for (size_t i = 0; i < plan->milestones.size(); ++i)
    plan->milestoneIndex[plan->milestones[i].name] = i;

  // branch_cut < first_rc < final_rc < release, each strictly; a patch's
  // phases in their order.
  const Milestone *prev = nullptr;
  llvm::ArrayRef<llvm::StringRef> order = orderedMilestones;
  if (isPatch())
    order = patchMilestones;
  for (llvm::StringRef name : order) {
    const Milestone *m = plan->milestone(name);
    if (!m)
      continue;
    if (prev && !(prev->date < m->date)) {
      diags.report(DiagKind::ScheduleOrder, m->range,
                   "'" + m->name + "' (" + m->date.str() +
                       ") must come after '" + prev->name + "' (" +
                       prev->date.str() + ")");
      diags.note(prev->range.Start, "'" + prev->name + "' is set here");
    }
    prev = m;
  }

  const Milestone *release = plan->milestone("release");
  const Version *version =
      file.releaseVersion ? &file.releaseVersion->value : nullptr;
  if (isPatch())
    return checkPatchSchedule(s);
  for (const ast::ScheduleEntry &e : s.schedule) {
    if (!e.isPatch)
      continue;
    std::optional<Date> d = dateOf(*e.when);
    const Version &pv = e.patchVersion->value;
    if (version &&
        (pv.major() != version->major() || pv.minor() != version->minor() ||
         pv <= *version || pv.isPrerelease())) {
      diags.report(DiagKind::PatchVersion, e.patchVersion->getRange(),
                   "patch '" + pv.str() + "' is not a later " +
                       llvm::Twine(version->major()) + "." +
                       llvm::Twine(version->minor()) + ".N release of " +
                       version->str());
    }
    if (!plan->patches.empty() && pv <= plan->patches.back().version)
      diags.report(DiagKind::PatchVersion, e.patchVersion->getRange(),
                   "patch '" + pv.str() + "' follows '" +
                       plan->patches.back().version.str() +
                       "'; list patches in version order");
    if (!d)
      continue;
    // Each patch comes after the release and after the patch before it.
    bool first = plan->patches.empty();
    if (first ? release && !(release->date < *d)
              : !(plan->patches.back().date < *d)) {
      std::string prev =
          first ? "the release (" + release->date.str() + ")"
                : "patch '" + plan->patches.back().version.str() + "' (" +
                      plan->patches.back().date.str() + ")";
      diags.report(DiagKind::ScheduleOrder, e.when->getRange(),
                   "patch '" + pv.str() + "' (" + d->str() +
                       ") must come after " + prev);
      diags.note(first ? release->range.Start
                       : plan->patches.back().range.Start,
                 "set here");
    }
    plan->patches.push_back({pv, *d, e.range});
  }

  auto max = policyByName.find("max_per_minor");
  if (max != policyByName.end() && max->second->values.size() == 1)
    if (auto *v =
            llvm::dyn_cast<ast::VersionExpr>(max->second->values[0].get()))
      if (plan->patches.size() > v->value.major()) {
        diags.report(DiagKind::PatchPolicy, plan->patches.back().range,
                     "the schedule plans " + llvm::Twine(plan->patches.size()) +
                         " patch releases; the patch policy allows " +
                         llvm::Twine(v->value.major()) + " per minor");
        diags.note(max->second->range.Start, "the limit is set here");
      }
}

/// A patch release's schedule: its phases, no cut and no patches of its
/// own, general availability after its minor's and on the date the minor's
/// schedule gives it, if it gives one.
void Sema::checkPatchSchedule(const ast::Item &s) {
  const Version &v = file.releaseVersion->value;
  for (const ast::ScheduleEntry &e : s.schedule) {
    llvm::StringRef name = e.milestone.text;
    if (e.isPatch)
      diags.report(DiagKind::PatchSchedule, e.range,
                   "a patch release plans no patches of its own; list " +
                       e.patchVersion->value.str() + " in the schedule of " +
                       v.minorRelease().str());
    else if (llvm::is_contained(minorOnlyMilestones, name))
      diags.report(DiagKind::PatchSchedule, e.milestone.range,
                   "a patch release is not cut: it ships from the branch of " +
                       v.minorRelease().str() + "; '" + name +
                       "' belongs in that release's schedule");
  }
  const Milestone *ga = plan->milestone("release");
  if (!ga || !plan->base || !plan->base->release)
    return;
  const Milestone &minorGa = *plan->base->release;
  if (!(minorGa.date < ga->date)) {
    diags.report(DiagKind::ScheduleOrder, ga->range,
                 "patch " + v.str() + " (" + ga->date.str() +
                     ") must come after the release of " +
                     plan->base->minor.str() + " (" + minorGa.date.str() + ")");
    diags.note(minorGa.range.Start, "set here");
  }
  for (const ast::Item &it : plan->base->file->items)
    for (const ast::ScheduleEntry &e : it.schedule)
      if (e.isPatch && e.patchVersion->value == v)
        if (auto *d = llvm::dyn_cast<ast::DateExpr>(e.when.get());
            d && d->value != ga->date) {
          diags.report(DiagKind::PatchSchedule, ga->range,
                       "patch " + v.str() + " is released on " +
                           ga->date.str() + ", but the schedule of " +
                           plan->base->minor.str() + " plans it on " +
                           d->value.str());
          diags.note(e.range.Start, "planned here");
        }
}

//===---------------------------------------------------------- partners ===//

/// The releases this one goes with, as the loader found and Compilation
/// checked them: one per project, each checked without errors.
void Sema::checkPartners() {
  for (size_t i = 0; i < withs.size(); ++i) {
    const ast::Item &w = *withs[i];
    std::string what = w.name.text + " " + w.version->str();
    if (w.name.text == file.name.text) {
      diags.report(DiagKind::PartnerNotFound, w.name.range,
                   "a release goes with releases of other projects, not "
                   "with one of its own ('" +
                       what + "')");
      continue;
    }
    if (const Partner *first = plan->partner(w.name.text)) {
      diags.report(DiagKind::DuplicateDefinition, w.range,
                   "a second release of " + w.name.text +
                       "; a release goes with one release of each project");
      diags.note(first->range.Start, "the first is here");
      continue;
    }
    if (i >= partnerPlans.size() || !partnerPlans[i]) {
      diags.report(DiagKind::PartnerNotFound, w.name.range,
                   "release " + what +
                       " does not check; 'relc check' its release file");
      continue;
    }
    plan->partners.push_back({w.name.text, partnerPlans[i], w.range});
  }
  if (plan->version)
    plan->projectVersions.emplace_back(file.name.text, *plan->version);
  for (const Partner &pt : plan->partners)
    plan->projectVersions.emplace_back(pt.project, *pt.plan->version);
}

/// `after pytorch.rc`: done once the tag that stage of the partner makes
/// first (RC 1 of an RC stage) is on the partner's remote. A project checked
/// alone knows no partners; each release checks the name.
void Sema::waitForPartner(Stage &st, const ast::Name &after) {
  if (file.kind == ast::File::Kind::Project)
    return;
  // Not a structured binding: C++17 lambdas cannot capture those.
  std::pair<llvm::StringRef, llvm::StringRef> parts =
      llvm::StringRef(after.text).split('.');
  llvm::StringRef project = parts.first, stage = parts.second;
  const Partner *pt = plan->partner(project);
  // A `with` that names it but did not check is reported there.
  if (!pt && llvm::any_of(withs, [&](const ast::Item *w) {
        return w->name.text == project;
      }))
    return;
  if (!pt) {
    diags.report(DiagKind::PartnerNotFound, after.range,
                 "stage '" + st.name + "' runs after " + after.text +
                     ", but this release goes with no release of " + project +
                     "; add 'with " + project + " VERSION;' to it");
    return;
  }
  const Plan &other = *pt->plan;
  std::string what = project.str() + " " + other.version->str();
  const Stage *waited = nullptr;
  std::vector<std::string> names;
  for (const Stage &s : other.stages) {
    names.push_back(s.name);
    if (s.name == stage)
      waited = &s;
  }
  if (!waited) {
    diags.report(DiagKind::UnknownName, after.range,
                 "release " + what + " has no stage '" + stage + "'" +
                     didYouMean(stage, names));
    return;
  }
  const TagStep *tag = nullptr;
  for (const Step &s : waited->steps)
    if (!tag)
      tag = s.as<TagStep>();
  if (!tag) {
    diags.report(DiagKind::TypeMismatch, after.range,
                 "stage " + after.text + " of release " + what +
                     " tags nothing, so relc cannot tell from " + project +
                     "'s remote when it is done; wait for a stage that runs "
                     "'git.tag'");
    return;
  }
  st.partners.push_back({project.str(), other.version->str(), stage.str(),
                         tag->name.bind(1), other.repository.remote,
                         after.range});
}

/// Reads what a patch release stands on from its minor's file: the minor's
/// release date (its schedule checked on its own, quietly: `relc check` of
/// that file reports its problems) and its final tag.
bool Sema::readBase() {
  const Version &v = file.releaseVersion->value;
  if (!minor) {
    diags.report(DiagKind::MinorNotFound, file.releaseVersion->getRange(),
                 "patch release " + v.str() + " stands on " +
                     v.minorRelease().str() +
                     ", and no release file of it "
                     "was given");
    return false;
  }
  PatchBase &base = plan->base.emplace();
  base.minor = v.minorRelease();
  base.file = minor;
  Sema sub(diags, *minor, project, modelDirs, models, nullptr, minorPartners);
  bool wasQuiet = diags.isQuiet();
  unsigned before = diags.errorCount();
  diags.setQuiet(true);
  sub.collectItems(*minor);
  sub.plan->version = minor->releaseVersion->value;
  sub.checkPartners(); // The minor's schedule may name its partners'.
  sub.checkSchedule();
  diags.setQuiet(wasQuiet);
  if (diags.errorCount() != before) {
    diags.report(DiagKind::MinorNotFound, file.releaseVersion->getRange(),
                 "the schedule of " + base.minor.str() + " (" + minor->path +
                     ") has errors; 'relc check' that file");
    return false;
  }
  if (const Milestone *m = sub.plan->milestone("release"))
    base.release = *m;
  // The minor's final tag: this plan's setting with the minor's version.
  std::optional<Version> own = plan->version;
  plan->version = base.minor;
  base.finalTag = setting("final_tag");
  plan->version = own;
  return true;
}

/// Whether a stage of the project is part of this release. A stage that
/// starts on a milestone only minors have (`on schedule.branch_cut`) is not
/// part of a patch release, and one that starts on a patch phase is not
/// part of a minor; a project checked alone has all its stages.
/// Why \p field (one of a cron line's five) is not one: a list of `*`,
/// numbers in \p lo..\p hi and ranges, each with an optional `/STEP`.
/// Names (`MON`, `JAN`) are left out: GitHub and GitLab read them
/// differently.
static std::optional<std::string> cronField(llvm::StringRef field, int lo,
                                            int hi, llvm::StringRef what) {
  llvm::SmallVector<llvm::StringRef, 4> items;
  field.split(items, ',');
  for (llvm::StringRef item : items) {
    auto [range, step] = item.split('/');
    unsigned n = 0;
    if (item.contains('/') && (step.getAsInteger(10, n) || n == 0))
      return "'" + item.str() + "': a step is a positive number";
    if (range == "*")
      continue;
    auto [first, last] = range.split('-');
    llvm::SmallVector<llvm::StringRef, 2> ends{first};
    if (range.contains('-'))
      ends.push_back(last);
    for (llvm::StringRef v : ends) {
      if (v.getAsInteger(10, n) || int(n) < lo || int(n) > hi)
        return "'" + item.str() + "': the " + what.str() + " is a number " +
               std::to_string(lo) + "-" + std::to_string(hi);
    }
  }
  return std::nullopt;
}

/// `stage nightly on "0 7 * * *"`: a stage on a cron schedule (UTC) runs
/// again and again, each run a new `.devYYYYMMDD` version built from main.
/// It has nothing that a run must do once for the release (no git steps,
/// no approval, no RC), and nothing else starts it.
void Sema::checkCron(Stage &st, const ast::StringExpr &cron,
                     const ast::Item &stage) {
  llvm::SmallVector<llvm::StringRef, 5> fields;
  llvm::StringRef(cron.value).split(fields, ' ', -1, false);
  static const struct {
    int lo, hi;
    const char *what;
  } bounds[] = {{0, 59, "minute"},
                {0, 23, "hour"},
                {1, 31, "day of the month"},
                {1, 12, "month"},
                {0, 6, "day of the week"}};
  std::optional<std::string> bad;
  if (fields.size() != 5)
    bad = "a cron schedule has five fields (minute hour day month weekday), "
          "not " +
          std::to_string(fields.size());
  for (size_t i = 0; !bad && i < fields.size(); ++i)
    bad = cronField(fields[i], bounds[i].lo, bounds[i].hi, bounds[i].what);
  if (bad) {
    diags.report(DiagKind::RecurringStage, cron.getRange(),
                 "stage '" + st.name + "' on \"" + cron.value + "\": " + *bad);
    return;
  }
  if (!st.cron.empty())
    diags.report(DiagKind::RecurringStage, cron.getRange(),
                 "stage '" + st.name + "' has two cron schedules");
  st.cron = cron.value;
  auto refuse = [&](llvm::SMRange at, const std::string &what) {
    diags.report(DiagKind::RecurringStage, at,
                 "stage '" + st.name + "' runs on a cron schedule, so it " +
                     what);
  };
  if (!stage.params.empty())
    refuse(stage.params[0].range,
           "has no RC number: each run is the day's '.devYYYYMMDD' build");
  for (const ast::StageTrigger &t : stage.triggers)
    if (t.kind == ast::StageTrigger::Kind::After)
      refuse(t.stages.front().range, "is started by its schedule alone, not "
                                     "after another stage");
    else if (!llvm::isa<ast::StringExpr>(t.date.get()))
      refuse(t.date->getRange(), "cannot also wait for a date");
  for (const ast::Step &s : stage.steps)
    if (s.kind == ast::Step::Kind::Branch || s.kind == ast::Step::Kind::Tag ||
        s.kind == ast::Step::Kind::Commit || s.kind == ast::Step::Kind::Approve)
      refuse(s.range, "cannot '" + ast::Step::keyword(s.kind).str() +
                          "': a step a release does once would run every day");
}

bool Sema::stageApplies(const ast::Item &stage) const {
  if (file.kind != ast::File::Kind::Release)
    return true;
  // A recurring stage builds what main will become: the minor in
  // development, never a patch of one already out.
  if (isPatch() && llvm::any_of(stage.triggers, [](const ast::StageTrigger &t) {
        return llvm::isa_and_nonnull<ast::StringExpr>(t.date.get());
      }))
    return false;
  for (const ast::StageTrigger &t : stage.triggers) {
    llvm::StringRef m = triggerMilestone(t);
    if (m.empty())
      continue;
    if (isPatch() ? llvm::is_contained(minorOnlyMilestones, m)
                  : m != "release" && llvm::is_contained(patchMilestones, m))
      return false;
  }
  return true;
}

//===---------------------------------------------------- references ===//

std::vector<std::string> Sema::referenceNames() const {
  std::vector<std::string> names;
  for (const auto &r : settingDefs())
    names.push_back(r.first);
  for (const auto &[repoName, o] : others)
    for (const auto &r : o.byName)
      names.push_back(repoName + "." + r.first);
  for (const auto &m : milestoneEntries)
    names.push_back("schedule." + m.first);
  for (const auto &p : policyByName)
    names.push_back("patch." + p.first);
  return names;
}

/// A path in a check argument or a step operand names a repo setting,
/// `schedule.MILESTONE` or `patch.SETTING`.
void Sema::checkReference(const Expr &e, llvm::StringRef what) {
  if (auto *r = llvm::dyn_cast<ast::RangeExpr>(&e)) {
    checkReference(*r->lo, what);
    checkReference(*r->hi, what);
    return;
  }
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
    for (const ast::ExprPtr &x : l->elements)
      checkReference(*x, what);
    return;
  }
  auto *p = llvm::dyn_cast<ast::PathExpr>(&e);
  if (!p)
    return;
  std::string name = p->str();
  const auto &parts = p->parts;
  bool ok = false;
  if (parts.size() == 1)
    ok = settingDefs().count(name);
  else if (auto other =
               parts.size() == 2 ? others.find(parts[0].text) : others.end();
           other != others.end())
    ok = other->second.byName.count(parts[1].text);
  else if (parts.size() == 2 && parts[0].text == "patch")
    ok = policyByName.count(parts[1].text);
  else if (parts.size() == 2 && parts[0].text == "schedule")
    ok = milestoneEntries.count(parts[1].text) ||
         file.kind == ast::File::Kind::Project; // Known per release only.
  if (!ok)
    diags.report(DiagKind::UnknownName, e.getRange(),
                 "unknown name '" + name + "' in " + what +
                     didYouMean(name, referenceNames()));
}

/// The names a placeholder may use besides stage parameters.
const llvm::StringRef releasePlaceholders[] = {"version", "major",      "minor",
                                               "micro",   "next_minor", "rc"};

bool Sema::isPlaceholder(llvm::StringRef name,
                         llvm::ArrayRef<std::string> params) const {
  if (llvm::is_contained(releasePlaceholders, name) ||
      llvm::is_contained(params, name) || repoByName.count(name.str()))
    return true;
  // `{pytorch.version}`; a project checked alone knows no partners.
  if (partnerPlaceholder(*plan, name))
    return true;
  if (auto [partner, what] = name.split('.');
      file.kind == ast::File::Kind::Project && !what.empty() &&
      partner != "schedule" && llvm::is_contained(releasePlaceholders, what))
    return true;
  // A project's strings may name milestones each release defines.
  return name.consume_front("schedule.") &&
         (file.kind == ast::File::Kind::Project ||
          milestoneEntries.count(name.str()));
}

void Sema::checkPlaceholders(const Expr &e,
                             llvm::ArrayRef<std::string> params) {
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
    for (const ast::ExprPtr &x : l->elements)
      checkPlaceholders(*x, params);
    return;
  }
  if (auto *o = llvm::dyn_cast<ast::ObjectExpr>(&e)) {
    for (const auto &f : o->fields)
      checkPlaceholders(*f.value, params);
    return;
  }
  auto *s = llvm::dyn_cast<ast::StringExpr>(&e);
  if (!s)
    return;
  for (const ast::StringExpr::Part &part : s->parts) {
    if (!part.isPlaceholder || isPlaceholder(part.text, params))
      continue;
    // Every name that could have been meant, only now that one is wrong.
    std::vector<std::string> known = strings(releasePlaceholders);
    known.insert(known.end(), params.begin(), params.end());
    for (const auto &r : repoByName)
      known.push_back(r.first);
    for (const auto &m : milestoneEntries)
      known.push_back("schedule." + m.first);
    for (const Partner &pt : plan->partners)
      known.push_back(pt.project + ".version");
    diags.report(DiagKind::UnknownPlaceholder, part.range,
                 "unknown placeholder '{" + part.text + "}'" +
                     didYouMean(part.text, known));
  }
}

//===--------------------------------------------------------- resolving ===//

/// A repo setting with its own placeholders resolved; "" if unset. A
/// setting that names itself, through others, stays visible as `{name}`.
Template Sema::setting(llvm::StringRef name) {
  const std::map<std::string, std::string> &values = settingValues();
  auto it = values.find(name.str());
  if (it == values.end())
    return Template();
  // Two repositories may each have a setting of the same name.
  std::string key = (scope ? scope->item->name.text + "." : "") + name.str();
  if (!expanding.insert(key).second)
    return Template(("{" + name + "}").str());
  Template t = expand(it->second, {});
  expanding.erase(key);
  return t;
}

/// Reports a setting whose placeholders lead back to itself: its text could
/// never be written out.
void Sema::checkSettingCycle(const ast::Setting &s) {
  std::vector<std::string> path{s.key.text};
  std::function<bool(llvm::StringRef)> reaches = [&](llvm::StringRef name) {
    const std::map<std::string, const ast::Setting *> &defs = settingDefs();
    auto it = defs.find(name.str());
    if (it == defs.end())
      return false;
    for (const ast::ExprPtr &e : it->second->values)
      if (auto *str = llvm::dyn_cast<ast::StringExpr>(e.get()))
        for (const ast::StringExpr::Part &p : str->parts) {
          if (!p.isPlaceholder || !defs.count(p.text))
            continue;
          if (p.text == s.key.text)
            return true;
          if (llvm::is_contained(path, p.text))
            continue; // Another setting's cycle: reported at that setting.
          path.push_back(p.text);
          if (reaches(p.text))
            return true;
          path.pop_back();
        }
    return false;
  };
  if (reaches(s.key.text))
    diags.report(
        DiagKind::SettingCycle, s.key.range,
        "repo setting '" + s.key.text + "' refers to itself" +
            (path.size() > 1
                 ? " through " +
                       llvm::join(llvm::makeArrayRef(path).drop_front(), ", ")
                 : std::string()));
}

/// Appends the value of `{name}`: the RC number (or the stage's parameter)
/// stays a hole for the run to fill.
void Sema::placeholder(Template &out, llvm::StringRef name,
                       llvm::ArrayRef<std::string> params) {
  if (name == "rc" || (!params.empty() && name == params[0])) {
    out.appendRc();
    return;
  }
  if (const std::optional<Version> &v = plan->version) {
    if (name == "version")
      return out.append(v->str());
    if (name == "major")
      return out.append(std::to_string(v->major()));
    if (name == "minor")
      return out.append(std::to_string(v->minor()));
    if (name == "micro")
      return out.append(std::to_string(v->micro()));
    if (name == "next_minor")
      return out.append(plan->nextMinor->str());
  }
  if (std::optional<std::string> text = partnerPlaceholder(*plan, name))
    return out.append(*text);
  llvm::StringRef milestone = name;
  if (milestone.consume_front("schedule."))
    if (const Milestone *m = plan->milestone(milestone))
      return out.append(m->date.str());
  if (settingValues().count(name.str()))
    return out.append(setting(name));
  // A project checked alone has no version or milestones: leave it visible.
  out.append(("{" + name + "}").str());
}

/// Substitutes `{name}` in a repo setting's text, as written (literal
/// braces doubled: `{{` is `{`).
Template Sema::expand(llvm::StringRef text,
                      llvm::ArrayRef<std::string> params) {
  Template out;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    bool doubled =
        (c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c;
    size_t close = c == '{' && !doubled ? text.find('}', i) : text.npos;
    if (close != text.npos) {
      placeholder(out, text.slice(i + 1, close), params);
      i = close + 1;
      continue;
    }
    // A literal brace, or a lone one the lexer has reported.
    out.append(text.substr(i, 1));
    i += doubled ? 2 : 1;
  }
  return out;
}

/// The text of an operand or argument with every name resolved.
Template Sema::render(const Expr &e, llvm::ArrayRef<std::string> params) {
  Template out;
  if (auto *s = llvm::dyn_cast<ast::StringExpr>(&e)) {
    for (const ast::StringExpr::Part &p : s->parts)
      if (p.isPlaceholder)
        placeholder(out, p.text, params);
      else
        out.append(p.text);
    return out;
  }
  if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e)) {
    const auto &parts = p->parts;
    if (parts.size() == 2 && parts[0].text == "patch") {
      auto it = plan->policy.find(parts[1].text);
      if (it != plan->policy.end())
        out.append(llvm::join(it->second, ","));
      return out;
    }
    if (parts.size() == 2 && parts[0].text == "schedule") {
      placeholder(out, p->str(), params);
      return out;
    }
    // `xla.release_branch`: a setting of another repository.
    if (auto other =
            parts.size() == 2 ? others.find(parts[0].text) : others.end();
        other != others.end()) {
      const OtherRepo *saved = scope;
      scope = &other->second;
      out = setting(parts[1].text);
      scope = saved;
      return out;
    }
    return setting(p->str());
  }
  if (auto *r = llvm::dyn_cast<ast::RangeExpr>(&e)) {
    out = render(*r->lo, params);
    out.append("..");
    out.append(render(*r->hi, params));
    return out;
  }
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
    for (size_t i = 0; i < l->elements.size(); ++i) {
      if (i)
        out.append(",");
      out.append(render(*l->elements[i], params));
    }
    return out;
  }
  if (auto *p = llvm::dyn_cast<ast::ParenExpr>(&e))
    return render(*p->inner, params);
  if (auto *d = llvm::dyn_cast<ast::DurationExpr>(&e))
    return Template(d->value.str());
  if (auto *s = llvm::dyn_cast<ast::SizeExpr>(&e))
    return Template(s->value.str());
  if (auto *v = llvm::dyn_cast<ast::VersionExpr>(&e))
    return Template(v->str());
  if (std::optional<Date> d = dateOf(e, /*quiet=*/true))
    return Template(d->str());
  return out;
}

//===------------------------------------------------- text that reaches CI
//===//

/// Where `${{` starts in the source of \p e (written `${{{{`), or the start
/// of \p e when it comes from a placeholder.
static llvm::SMLoc expressionLoc(const Expr &e) {
  llvm::SMRange r = e.getRange();
  llvm::StringRef raw(r.Start.getPointer(),
                      r.End.getPointer() - r.Start.getPointer());
  size_t at = raw.find("${{{{");
  return at == llvm::StringRef::npos
             ? r.Start
             : llvm::SMLoc::getFromPointer(raw.data() + at);
}

/// Text of a plan reaches CI files as data: a job's name, an environment,
/// a tag filter, a step's environment. GitHub Actions evaluates `${{` in
/// almost all of them, so a plan whose text holds one would run an
/// expression (`${{ github.event.issue.title }}`: text anyone can write).
void Sema::checkNoExpression(const Expr &e,
                             llvm::ArrayRef<std::string> params) {
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
    for (const ast::ExprPtr &x : l->elements)
      checkNoExpression(*x, params);
    return;
  }
  if (auto *o = llvm::dyn_cast<ast::ObjectExpr>(&e)) {
    for (const auto &f : o->fields)
      checkNoExpression(*f.value, params);
    return;
  }
  // A path names a setting, checked where it is set.
  if (!llvm::isa<ast::StringExpr>(&e))
    return;
  std::string text = render(e, params).bind(1);
  if (!llvm::StringRef(text).contains("${{"))
    return;
  diags.report(DiagKind::ExpressionInData, expressionLoc(e),
               "'${{' in plan text: GitHub Actions would evaluate it as an "
               "expression where relc writes this text; relc passes plan text "
               "to CI as data only (give a step CI values through an "
               "overlay's 'env')");
}

/// Why \p name is not a name git takes for a branch or tag (git
/// check-ref-format, and no leading '-', which git's commands would read as
/// an option), or "" if it is.
static std::string refNameProblem(llvm::StringRef name) {
  if (name.empty())
    return "it is empty";
  if (name.startswith("-"))
    return "it starts with '-'";
  if (name == "@" || name == "HEAD")
    return "'" + name.str() + "' names something else to git";
  if (name.startswith("/") || name.endswith("/") || name.contains("//"))
    return "it has an empty part between '/'";
  if (name.endswith("."))
    return "it ends with '.'";
  if (name.contains(".."))
    return "it contains '..'";
  if (name.contains("@{"))
    return "it contains '@{'";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      return "it contains a control character";
    if (c == ' ')
      return "it contains a space";
    if (llvm::StringRef("~^:?*[\\").contains(c))
      return "it contains '" + std::string(1, c) + "'";
  }
  llvm::SmallVector<llvm::StringRef, 4> parts;
  name.split(parts, '/');
  for (llvm::StringRef p : parts) {
    if (p.startswith("."))
      return "a part starts with '.'";
    if (p.endswith(".lock"))
      return "a part ends with '.lock'";
  }
  return "";
}

/// A branch or tag name, or a ref to start from, as git will see it (the
/// RC number bound, as a run binds it).
void Sema::checkRef(const Expr &e, llvm::ArrayRef<std::string> params,
                    llvm::StringRef what) {
  if (!llvm::isa<ast::StringExpr>(&e))
    return; // A setting, checked where it is set.
  std::string name = render(e, params).bind(1);
  std::string problem = refNameProblem(name);
  // An expression is reported as such.
  if (!problem.empty() && !llvm::StringRef(name).contains("${{"))
    diags.report(DiagKind::InvalidRefName, e.getRange(),
                 "'" + printable(name) + "' is not a valid git " + what +
                     " name: " + problem);
}

/// The repo settings name refs that CI files and git see: each must be a
/// valid name, and none may carry an expression.
void Sema::checkRepoText(const ast::Setting &s) {
  if (s.values.size() != 1)
    return;
  const Expr &e = *s.values[0];
  checkNoExpression(e, {});
  static const std::pair<llvm::StringRef, llvm::StringRef> refs[] = {
      {"main_branch", "branch"},   {"release_branch", "branch"},
      {"frozen_branch", "branch"}, {"cut_from", "ref"},
      {"rc_tag", "tag"},           {"final_tag", "tag"}};
  for (const auto &[setting, what] : refs)
    if (s.key.text == setting && llvm::isa<ast::StringExpr>(&e)) {
      std::string name = setting.str();
      std::string text = this->setting(name).bind(1);
      std::string problem = refNameProblem(text);
      if (!problem.empty() && !llvm::StringRef(text).contains("${{"))
        diags.report(DiagKind::InvalidRefName, e.getRange(),
                     "repo setting '" + name + "' gives '" + printable(text) +
                         "', not a valid git " + what + " name: " + problem);
    }
}

/// An approval group is the name of the protected environment that gates
/// its job on GitHub and GitLab: what both accept (GitLab also takes '/',
/// '$', '{', '}', which GitHub's names and relc's job ids do not need).
static std::string environmentNameProblem(llvm::StringRef name) {
  if (name.empty())
    return "it is empty";
  if (name.size() > 255)
    return "it is longer than 255 characters";
  if (!llvm::isAlnum(name.front()) || name.back() == ' ')
    return "it must start with a letter or digit and not end with a space";
  for (char c : name)
    if (!llvm::isAlnum(c) && !llvm::StringRef("-_. ").contains(c))
      return "it contains '" + printable(std::string(1, c)) +
             "' (environment names are letters, digits, '-', '_', '.' and "
             "spaces)";
  return "";
}

/// The names a step gives git and CI: branches and tags it creates, refs it
/// starts from, the environment of an approval.
void Sema::checkStepNames(const ast::Step &s,
                          llvm::ArrayRef<std::string> params) {
  using K = ast::Step::Kind;
  auto operand = [&](size_t i) -> const Expr * {
    return i < s.operands.size() ? s.operands[i].get() : nullptr;
  };
  auto ref = [&](size_t i, llvm::StringRef what) {
    if (const Expr *e = operand(i))
      checkRef(*e, params, what);
  };
  switch (s.kind) {
  case K::Branch:
    ref(0, "branch");
    ref(1, "ref");
    break;
  case K::Tag:
    ref(0, "tag");
    ref(1, "ref");
    break;
  case K::Commit:
  case K::Pin:
    ref(2, "branch");
    break;
  case K::Record:
    ref(1, "ref");
    break;
  case K::Approve:
    if (const Expr *e = operand(0)) {
      std::string group = render(*e, params).bind(1);
      if (llvm::StringRef(group).contains("${{"))
        break; // An expression, reported as such.
      std::string problem = environmentNameProblem(group);
      if (!problem.empty())
        diags.report(DiagKind::InvalidEnvironmentName, e->getRange(),
                     "approval group '" + printable(group) +
                         "' is not a name GitHub and GitLab both take for the "
                         "environment that gates its job: " +
                         problem);
    }
    break;
  default:
    break;
  }
}

//===------------------------------------------------------------ checks ===//

/// Checks an argument against its parameter's type and records it typed.
void Sema::checkCheckArg(Check &c, const ast::Arg &a, const CheckParam &param) {
  const Expr &e = *a.value;
  CheckArg arg;
  arg.param = &param;
  arg.range = e.getRange();
  arg.text = render(e, {});
  const auto *path = llvm::dyn_cast<ast::PathExpr>(&e);
  const auto *str = llvm::dyn_cast<ast::StringExpr>(&e);
  bool ok = false;
  switch (param.type) {
  case ParamType::Ref:
    ok = str || (path && path->parts.size() == 1);
    break;
  case ParamType::Range:
    if (auto *r = llvm::dyn_cast<ast::RangeExpr>(&e)) {
      arg.lo = render(*r->lo, {});
      arg.hi = render(*r->hi, {});
      ok = true;
    }
    break;
  case ParamType::Text:
    ok = str;
    break;
  case ParamType::Names:
    if (path && path->parts.size() == 2 && path->parts[0].text == "patch") {
      auto it = plan->policy.find(path->parts[1].text);
      if (it != plan->policy.end())
        arg.items = it->second;
      ok = true;
    } else if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
      ok = true;
      for (const ast::ExprPtr &x : l->elements) {
        auto *item = llvm::dyn_cast<ast::StringExpr>(x.get());
        ok &= item != nullptr;
        if (item)
          arg.items.push_back(item->value);
      }
    }
    break;
  case ParamType::Path:
    ok = str;
    if (ok) {
      // Relative to the file that names it, wherever relc runs from.
      llvm::SourceMgr &sm = diags.getSourceMgr();
      llvm::StringRef file =
          sm.getMemoryBuffer(sm.FindBufferContainingLoc(a.name.loc()))
              ->getBufferIdentifier();
      std::string written = arg.text.bind(std::nullopt);
      if (!llvm::sys::path::is_absolute(written)) {
        llvm::StringRef dir = llvm::sys::path::parent_path(file);
        arg.path = Template((dir.empty() ? "." : dir).str() + "/");
      }
      arg.path.append(arg.text);
      // Found now, not after a run has pushed tags.
      std::string resolved = arg.path.bind(std::nullopt);
      if (!arg.path.hasRc() && !diags.getFileSystem().exists(resolved))
        diags.report(DiagKind::BadArgument, e.getRange(),
                     "'" + param.name + "' names " + resolved +
                         ", which does not exist");
    }
    break;
  case ParamType::TreePath:
    ok = str;
    if (ok) {
      // Read from a commit's tree, which has neither a root nor a parent.
      std::string written = arg.text.bind(std::nullopt);
      llvm::StringRef w = written;
      bool outside = w.empty() || w.startswith("/") ||
                     llvm::any_of(llvm::make_range(llvm::sys::path::begin(w),
                                                   llvm::sys::path::end(w)),
                                  [](llvm::StringRef c) { return c == ".."; });
      if (outside)
        diags.report(DiagKind::BadArgument, e.getRange(),
                     "'" + param.name + "' is '" + written +
                         "'; it must be a path inside the repository, "
                         "relative to its top, without '..'");
    }
    break;
  case ParamType::Glob:
    ok = str;
    if (ok)
      if (llvm::Expected<llvm::GlobPattern> g =
              llvm::GlobPattern::create(str->value);
          !g)
        diags.report(DiagKind::BadGlob, e.getRange(),
                     "'" + param.name + "' is not a valid pattern: " +
                         llvm::toString(g.takeError()));
    break;
  case ParamType::Size:
    if (auto *size = llvm::dyn_cast<ast::SizeExpr>(&e)) {
      arg.size = size->value;
      ok = true;
    }
    break;
  }
  if (!ok)
    diags.report(DiagKind::TypeMismatch, e.getRange(),
                 "'" + param.name + "' takes " + paramTypeName(param.type));
  c.args.push_back(std::move(arg));
}

void Sema::checkChecks() {
  llvm::StringSet<> names;
  for (const ast::Item *it : checks) {
    if (!names.insert(it->name.text).second) {
      diags.report(DiagKind::DuplicateDefinition, it->name.range,
                   "check '" + it->name.text + "' is defined twice");
      continue;
    }
    Check &c = plan->checks.emplace_back();
    c.name = it->name.text;
    c.range = it->name.range;
    c.function = findCheckFunction(it->function.text);
    if (!c.function) {
      std::vector<std::string> fnNames;
      for (const CheckFunction &f : checkFunctions())
        fnNames.push_back(f.name.str());
      diags.report(DiagKind::UnknownFunction, it->function.range,
                   "unknown check function '" + it->function.text + "'" +
                       didYouMean(it->function.text, fnNames));
      continue;
    }
    const CheckFunction &fn = *c.function;
    llvm::StringSet<> given;
    for (const ast::Arg &a : it->args) {
      const CheckParam *param = fn.param(a.name.text);
      if (!param) {
        std::vector<std::string> all;
        for (const CheckParam &p : fn.params)
          all.push_back(p.name.str());
        diags.report(DiagKind::BadArgument, a.name.range,
                     "'" + fn.name + "' takes no argument '" + a.name.text +
                         "'" + didYouMean(a.name.text, all));
        continue;
      }
      if (!given.insert(a.name.text).second)
        diags.report(DiagKind::BadArgument, a.name.range,
                     "argument '" + a.name.text + "' is given twice");
      checkReference(*a.value, "check '" + it->name.text + "'");
      checkPlaceholders(*a.value, {});
      checkCheckArg(c, a, *param);
    }
    for (const CheckParam &p : fn.params)
      if (p.required && !given.count(p.name))
        diags.report(DiagKind::BadArgument, it->range.Start,
                     "check '" + it->name.text + "' needs argument '" + p.name +
                         "' of '" + fn.name + "'");
  }
}

//===---------------------------------------------------------- overlays ===//

/// A key as the text it stands for: a quoted key keeps its braces doubled
/// (`"a{{b"`) so that it prints back as written; `{{` is `{`.
static std::string keyText(const ast::Key &k) {
  if (!k.quoted)
    return k.text;
  std::string out;
  for (size_t i = 0; i < k.text.size(); ++i) {
    char c = k.text[i];
    out += c;
    if ((c == '{' || c == '}') && i + 1 < k.text.size() && k.text[i + 1] == c)
      ++i;
  }
  return out;
}

/// An overlay value as YAML will hold it: `true`/`false` are booleans, a
/// bare whole number (`timeout-minutes = 30`) a number, other literals the
/// text they are written as.
static OverlayValue overlayValue(const Expr &e) {
  OverlayValue v;
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
    v.kind = OverlayValue::Kind::List;
    for (const ast::ExprPtr &x : l->elements)
      v.items.push_back(overlayValue(*x));
  } else if (auto *o = llvm::dyn_cast<ast::ObjectExpr>(&e)) {
    v.kind = OverlayValue::Kind::Map;
    for (const auto &f : o->fields)
      v.fields.emplace_back(keyText(f.key), overlayValue(*f.value));
  } else if (auto *s = llvm::dyn_cast<ast::StringExpr>(&e)) {
    // The text as in every string: `{{` is a literal brace (so an overlay
    // writes GitHub's `${{ x }}` as `${{{{ x }}}}`); a placeholder stays as
    // written.
    for (const ast::StringExpr::Part &p : s->parts)
      v.text += p.isPlaceholder ? "{" + p.text + "}" : p.text;
  } else if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e)) {
    v.text = p->str();
    if (v.text == "true" || v.text == "false") {
      v.kind = OverlayValue::Kind::Bool;
      v.flag = v.text == "true";
    }
  } else if (auto *ver = llvm::dyn_cast<ast::VersionExpr>(&e)) {
    v.text = ver->str();
    if (ver->value.release().size() == 1 && !ver->value.isPrerelease()) {
      v.kind = OverlayValue::Kind::Number;
      v.number = ver->value.major();
    }
  } else if (auto *d = llvm::dyn_cast<ast::DurationExpr>(&e)) {
    v.text = d->value.str();
  }
  return v;
}

/// `allow WHAT "reason";` in an overlay: a policy relc knows, a reason a
/// reviewer can read (it is written into the generated file), once.
void Sema::checkAllow(Overlay &o, const ast::OverlayEntry &e) {
  std::vector<std::string> known;
  for (llvm::StringRef a : overlayAllowances())
    known.push_back(a.str());
  const std::string &what = e.allow->text;
  if (!llvm::is_contained(known, what)) {
    diags.report(DiagKind::UnknownName, e.allow->range,
                 "an overlay cannot allow '" + what + "'" +
                     didYouMean(what, known) + "; it allows " +
                     llvm::join(known, ", "));
    return;
  }
  std::string reason = llvm::StringRef(e.reason->value).trim().str();
  if (reason.empty() || e.reason->hasPlaceholders()) {
    diags.report(DiagKind::TypeMismatch, e.reason->getRange(),
                 "'allow " + what +
                     "' needs a reason in words, written into the generated "
                     "file beside the edit");
    return;
  }
  if (const OverlayAllow *first = o.allowance(what)) {
    diags.report(DiagKind::DuplicateDefinition, e.allow->range,
                 "'allow " + what + "' is given twice in this overlay");
    diags.note(first->range.Start, "first given here");
    return;
  }
  std::string text;
  for (const ast::StringExpr::Part &p : e.reason->parts)
    text += p.text;
  o.allows.push_back({what, text, e.range});
}

/// A key an overlay writes into a CI file is a name: not empty, no line
/// break, control or invisible character (nor `\`), no expression.
void Sema::checkOverlayKey(const ast::Key &k) {
  std::string text = keyText(k);
  if (llvm::StringRef(text).contains("${{")) {
    diags.report(DiagKind::ExpressionInData, k.range,
                 "'${{' in an overlay key: relc writes keys as names, never "
                 "as expressions");
    return;
  }
  if (text.empty() || printable(text) != text)
    diags.report(DiagKind::InvalidOverlayKey, k.range,
                 "overlay key '" + printable(text) +
                     "' is not a name a CI file can hold: " +
                     (text.empty() ? "it is empty"
                                   : "it holds a line break, a control or "
                                     "invisible character, or '\\'"));
}

void Sema::checkOverlayKeys(const Expr &e) {
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e))
    for (const ast::ExprPtr &x : l->elements)
      checkOverlayKeys(*x);
  if (auto *o = llvm::dyn_cast<ast::ObjectExpr>(&e))
    for (const auto &f : o->fields) {
      checkOverlayKey(f.key);
      checkOverlayKeys(*f.value);
    }
}

void Sema::checkOverlays() {
  std::vector<std::string> known;
  for (llvm::StringRef b : overlayBackends())
    known.push_back(b.str());
  for (const ast::Item *it : overlays) {
    Overlay o;
    o.backend = it->name.text;
    o.glob = it->path->value;
    o.globRange = it->path->getRange();
    if (!llvm::is_contained(known, o.backend))
      diags.report(DiagKind::UnknownBackend, it->name.range,
                   "unknown CI backend '" + o.backend + "'" +
                       didYouMean(o.backend, known));
    if (llvm::Expected<llvm::GlobPattern> g = llvm::GlobPattern::create(o.glob);
        !g)
      diags.report(DiagKind::BadGlob, o.globRange,
                   "invalid job pattern '" + o.glob +
                       "': " + llvm::toString(g.takeError()));
    for (const ast::OverlayEntry &e : it->overlay) {
      if (e.allow) {
        checkAllow(o, e);
        continue;
      }
      OverlayEntry &entry = o.entries.emplace_back();
      for (const auto &k : e.path) {
        checkOverlayKey(k);
        entry.path.push_back(keyText(k));
      }
      checkOverlayKeys(*e.value);
      entry.append = e.append;
      entry.value = overlayValue(*e.value);
      entry.range = e.range;
    }
    plan->overlays.push_back(std::move(o));
  }
}

//===------------------------------------------------------------ stages ===//

/// A matrix a build step builds says how each leg is built, and a channel
/// it ships to has somewhere to upload.
void Sema::checkBuilds() {
  std::set<const Matrix *> missing; ///< Reported once per matrix.
  for (const Stage &st : plan->stages)
    for (const Step &s : st.steps) {
      const auto *b = s.as<BuildStep>();
      const Matrix *m = b ? plan->matrix(b->matrix) : nullptr;
      if (!m)
        continue;
      // Nothing would say how a leg is built; the recipes of each leg of a
      // matrix that has some are checked with it (recipe-missing).
      if (m->recipes.empty()) {
        if (missing.insert(m).second) {
          diags.report(DiagKind::RecipesMissing, s.range,
                       "this builds matrix '" + m->name +
                           "', which has no build recipe; add 'recipe build "
                           "{ runner \"LABEL\"; command \"...\"; }' to it, "
                           "or take a project's matrix with recipes ('matrix " +
                           m->name + " from NAME')");
          diags.note(m->range.Start, "matrix '" + m->name + "' is here");
        }
        continue;
      }
      if (b->channel.empty())
        continue;
      auto t = m->targets.find(plan->channelIndex(b->channel));
      if (t == m->targets.end() || t->second.upload.empty())
        diags.report(DiagKind::NoUploadTarget, s.range,
                     "this build ships to channel '" + b->channel +
                         "', which has no upload target; add '" + b->channel +
                         " { upload \"s3://BUCKET/PREFIX/\"; }' to the "
                         "project's 'channels'");
    }
}

void Sema::checkStages() {
  llvm::StringSet<> names;
  // Each as a list for suggestions and a set for lookups.
  std::vector<std::string> stageNames, checkNames, matrixNames;
  for (const ast::Item *it : stages)
    stageNames.push_back(it->name.text);
  for (const Check &c : plan->checks)
    checkNames.push_back(c.name);
  for (const ast::Item *m : matrices)
    matrixNames.push_back(m->name.text);
  llvm::StringSet<> stageSet, checkSet, matrixSet;
  stageSet.insert(stageNames.begin(), stageNames.end());
  checkSet.insert(checkNames.begin(), checkNames.end());
  matrixSet.insert(matrixNames.begin(), matrixNames.end());

  llvm::StringSet<> notHere; ///< Stages of the other kind of release.
  for (const ast::Item *it : stages)
    if (!stageApplies(*it))
      notHere.insert(it->name.text);
  for (const ast::Item *it : stages) {
    if (!names.insert(it->name.text).second) {
      diags.report(DiagKind::DuplicateDefinition, it->name.range,
                   "stage '" + it->name.text + "' is defined twice");
      continue;
    }
    if (notHere.count(it->name.text))
      continue;
    Stage st;
    st.name = it->name.text;
    st.range = it->name.range;
    for (const ast::Name &p : it->params)
      st.params.push_back(p.text);
    // A run binds one number, the RC's, to the stage's parameter.
    for (size_t i = 1; i < it->params.size(); ++i)
      diags.report(DiagKind::TypeMismatch, it->params[i].range,
                   "stage '" + st.name + "' takes one parameter, the RC " +
                       "number; nothing binds '" + it->params[i].text + "'");
    for (const ast::StageTrigger &t : it->triggers) {
      // A patch's phases are optional: a stage on one its schedule does
      // not date has no date to wait for.
      if (llvm::StringRef m = triggerMilestone(t);
          isPatch() && llvm::is_contained(patchMilestones, m) &&
          !milestoneEntries.count(m.str()))
        continue;
      if (t.kind == ast::StageTrigger::Kind::On) {
        if (auto *cron = llvm::dyn_cast<ast::StringExpr>(t.date.get())) {
          checkCron(st, *cron, *it);
          continue;
        }
        // A project's milestones are each release's: checked alone, it
        // checks the milestone's name, also when moved
        // (`schedule.branch_cut + 1w`), and each release the date.
        const Expr *base = t.date.get();
        while (auto *b = llvm::dyn_cast<ast::BinaryExpr>(base))
          base = b->lhs.get();
        if (auto *p = llvm::dyn_cast<ast::PathExpr>(base);
            p && file.kind == ast::File::Kind::Project)
          checkReference(*p, "stage '" + st.name + "'");
        else if (std::optional<Date> d = dateOf(*t.date))
          st.notBefore = st.notBefore
                             ? std::max(*st.notBefore, *d,
                                        [](Date a, Date b) { return a < b; })
                             : *d;
        continue;
      }
      for (const ast::Name &a : t.stages) {
        if (llvm::StringRef(a.text).contains('.')) {
          waitForPartner(st, a);
          continue;
        }
        if (!stageSet.count(a.text)) {
          diags.report(DiagKind::UnknownName, a.range,
                       "unknown stage '" + a.text + "'" +
                           didYouMean(a.text, stageNames));
          continue;
        }
        // Done for the minor (the cut), or not done in a minor: nothing
        // to wait for.
        if (!notHere.count(a.text))
          st.after.push_back(a.text);
      }
    }

    // An irreversible step needs an approval and every check of its stage
    // before it: after it runs, nothing can be taken back.
    const ast::Step *approval = nullptr;
    std::vector<const ast::Step *> requires_;
    for (const ast::Step &s : it->steps)
      if (s.kind == ast::Step::Kind::Require)
        requires_.push_back(&s);
    for (const ast::Step &s : it->steps) {
      llvm::ArrayRef<llvm::StringRef> allowed = stepOptions(s.kind);
      bool once = false;
      // Names in a step's operands are its repository's settings.
      std::string stepRepo =
          llvm::is_contained(allowed, "in") ? stepRepository(s) : std::string();
      scope = stepRepo.empty() ? nullptr : &others[stepRepo];
      for (const ast::StepOption &o : s.options) {
        if (!llvm::is_contained(allowed, o.name.text)) {
          diags.report(DiagKind::StepOption, o.range,
                       "'" + ast::Step::keyword(s.kind) +
                           "' takes no option '" + o.name.text + "'" +
                           didYouMean(o.name.text, strings(allowed)));
          continue;
        }
        once |= o.kind == ast::StepOption::Kind::Once;
        if (o.value) {
          checkPlaceholders(*o.value, st.params);
          if (o.name.text == "timeout" &&
              !llvm::isa<ast::DurationExpr>(o.value.get()))
            diags.report(DiagKind::TypeMismatch, o.value->getRange(),
                         "'timeout' takes a duration such as '2h'");
          if (o.name.text == "split") {
            auto *p = llvm::dyn_cast<ast::PathExpr>(o.value.get());
            if (!p || (p->str() != "jobs" && p->str() != "refuse"))
              diags.report(DiagKind::TypeMismatch, o.value->getRange(),
                           "'split' takes 'jobs' (a build over the CI "
                           "system's jobs-per-matrix limit becomes several "
                           "jobs) or 'refuse' (relc emit stops instead)");
          }
          if (o.name.text == "env" &&
              !llvm::isa<ast::ObjectExpr>(o.value.get()))
            diags.report(DiagKind::TypeMismatch, o.value->getRange(),
                         "'env' takes an object such as { KEY: \"value\" }");
          if (o.name.text == "as") {
            auto *p = llvm::dyn_cast<ast::PathExpr>(o.value.get());
            bool branchOk = s.kind == ast::Step::Kind::Pin;
            if (!p ||
                !(p->str() == "commit" || (branchOk && p->str() == "branch")))
              diags.report(DiagKind::TypeMismatch, o.value->getRange(),
                           branchOk ? "'as' takes 'branch' (the file holds "
                                      "the name, the default) or 'commit' "
                                      "(the commit it names)"
                                    : "'as' takes 'commit' (the value must "
                                      "be a commit id)");
          }
        }
      }
      for (const ast::ExprPtr &op : s.operands) {
        checkPlaceholders(*op, st.params);
        if (s.kind == ast::Step::Kind::Wait)
          continue;
        checkReference(*op, "stage '" + st.name + "'");
        checkNoExpression(*op, st.params);
      }
      for (const ast::StepOption &o : s.options)
        if (o.value)
          checkNoExpression(*o.value, st.params);
      if (s.kind == ast::Step::Kind::Pin && s.operands.size() > 1) {
        auto *p = llvm::dyn_cast<ast::PathExpr>(s.operands[1].get());
        if (!p || p->parts.size() != 2 || !others.count(p->parts[0].text))
          diags.report(DiagKind::TypeMismatch, s.operands[1]->getRange(),
                       "'git.pin' pins a ref of another repository: "
                       "REPO.SETTING, such as 'xla.release_branch'");
      }
      checkStepNames(s, st.params);
      st.steps.push_back(lowerStep(s, st.params, once));
      st.steps.back().repo = stepRepo;
      scope = nullptr;
      if (s.kind == ast::Step::Kind::Require)
        for (const ast::Name &n : s.names)
          if (!checkSet.count(n.text))
            diags.report(DiagKind::UnknownName, n.range,
                         "unknown check '" + n.text + "'" +
                             didYouMean(n.text, checkNames));
      if (s.kind == ast::Step::Kind::Build) {
        if (s.channel && plan->channelIndex(s.channel->text) < 0)
          diags.report(DiagKind::UnknownName, s.channel->range,
                       "unknown channel '" + s.channel->text + "'" +
                           didYouMean(s.channel->text, plan->channels));
        // Matrices are per release; a project alone cannot resolve them.
        if (file.kind == ast::File::Kind::Release &&
            !matrixSet.count(s.names[0].text))
          diags.report(DiagKind::UnknownName, s.names[0].range,
                       "unknown matrix '" + s.names[0].text + "'" +
                           didYouMean(s.names[0].text, matrixNames));
      }
      if (s.kind == ast::Step::Kind::Approve && !approval)
        approval = &s;
      if (!once)
        continue;
      if (!approval) {
        diags.report(DiagKind::OnceWithoutApproval, s.range,
                     "irreversible step in stage '" + st.name +
                         "' has no 'approve' before it");
        diags.note(it->name.loc(), "add 'approve \"group\";' earlier in this "
                                   "stage");
      }
      for (const ast::Step *r : requires_)
        if (r->range.Start.getPointer() > s.range.Start.getPointer()) {
          diags.report(DiagKind::OnceBeforeChecks, s.range,
                       "irreversible step runs before checks its stage "
                       "requires");
          diags.note(r->range.Start, "required here; move it before the "
                                     "irreversible step");
          break;
        }
    }
    plan->stages.push_back(std::move(st));
  }
  orderStages();
}

/// The typed step of \p s, its names resolved for \p params' stage.
Step Sema::lowerStep(const ast::Step &s, llvm::ArrayRef<std::string> params,
                     bool once) {
  auto option = [&](llvm::StringRef name) -> const ast::StepOption * {
    for (const ast::StepOption &o : s.options)
      if (o.name.text == name)
        return &o;
    return nullptr;
  };
  auto text = [&](llvm::StringRef name) {
    const ast::StepOption *o = option(name);
    return o && o->value ? render(*o->value, params) : Template();
  };
  auto duration = [&](llvm::StringRef name) -> std::optional<Duration> {
    const ast::StepOption *o = option(name);
    if (auto *d = llvm::dyn_cast_or_null<ast::DurationExpr>(o ? o->value.get()
                                                              : nullptr))
      return d->value;
    return std::nullopt;
  };
  auto operand = [&](size_t i) { return render(*s.operands[i], params); };
  // `as commit`: a word, not a setting's name.
  auto asCommit = [&] {
    const ast::StepOption *o = option("as");
    auto *p =
        llvm::dyn_cast_or_null<ast::PathExpr>(o ? o->value.get() : nullptr);
    return p && p->str() == "commit";
  };

  Step step;
  step.once = once;
  step.range = s.range;
  // Node ids name a git step by its operand as written (`release_branch`),
  // so they do not change with the version.
  if (!s.operands.empty()) {
    if (auto *p = llvm::dyn_cast<ast::PathExpr>(s.operands[0].get()))
      step.idName = Template(p->str());
    else
      step.idName = operand(0);
  }
  using K = ast::Step::Kind;
  switch (s.kind) {
  case K::Branch:
    step.payload = BranchStep{operand(0), operand(1)};
    break;
  case K::Tag:
    step.payload = TagStep{operand(0), operand(1),
                           option("annotated") != nullptr, text("message")};
    break;
  case K::Commit:
    step.payload =
        CommitStep{operand(0), operand(1), operand(2), text("message")};
    break;
  case K::Pin: {
    PinStep p{operand(0), operand(1), operand(2), text("message"), "", false};
    if (auto *path = llvm::dyn_cast<ast::PathExpr>(s.operands[1].get());
        path && path->parts.size() == 2)
      p.of = path->parts[0].text;
    p.commit = asCommit();
    step.payload = std::move(p);
    break;
  }
  case K::Record:
    step.idName = Template(s.names[0].text);
    step.payload =
        RecordStep{s.names[0].text, operand(0), operand(1), asCommit()};
    break;
  case K::Build: {
    BuildStep b{s.names[0].text, s.channel ? s.channel->text : "",
                duration("timeout"), std::nullopt};
    if (const ast::StepOption *o = option("split"))
      if (auto *p = llvm::dyn_cast_or_null<ast::PathExpr>(o->value.get()))
        b.split =
            p->str() == "refuse" ? SplitPolicy::Refuse : SplitPolicy::Jobs;
    step.payload = std::move(b);
    break;
  }
  case K::Require: {
    RequireStep r;
    for (const ast::Name &n : s.names)
      r.checks.push_back(n.text);
    step.payload = std::move(r);
    break;
  }
  case K::Approve:
    step.payload = ApprovalStep{operand(0), duration("timeout")};
    break;
  case K::Run: {
    CommandStep c{operand(0), duration("timeout"), text("cwd"), {}};
    if (const ast::StepOption *o = option("env"))
      if (auto *obj = llvm::dyn_cast_or_null<ast::ObjectExpr>(o->value.get()))
        for (const auto &f : obj->fields)
          c.env[f.key.text] = render(*f.value, params);
    step.payload = std::move(c);
    break;
  }
  case K::Wait: {
    WaitStep w;
    // A project's stages wait for milestones each release defines.
    if (file.kind != ast::File::Kind::Project)
      w.date = dateOf(*s.operands[0]);
    step.payload = w;
    break;
  }
  }
  return step;
}

/// Orders stages so each comes after those it runs after, reporting cycles.
void Sema::orderStages() {
  std::vector<Stage> ordered;
  std::vector<Stage> &all = plan->stages;
  std::vector<int> state(all.size()); // 1 visiting, 2 done.
  llvm::StringMap<size_t> byName;     // Names are unique by now.
  for (size_t i = 0; i < all.size(); ++i)
    byName[all[i].name] = i;
  std::function<bool(size_t)> visit = [&](size_t i) {
    Stage &st = all[i];
    if (state[i] == 2)
      return true;
    if (state[i] == 1) {
      diags.report(DiagKind::StageCycle, st.range,
                   "stage '" + st.name + "' runs after itself");
      return false;
    }
    state[i] = 1;
    for (const std::string &a : st.after) {
      auto j = byName.find(a);
      if (j != byName.end() && !visit(j->second))
        return false;
    }
    state[i] = 2;
    ordered.push_back(std::move(st));
    return true;
  };
  for (size_t i = 0; i < all.size(); ++i)
    if (!visit(i))
      return;
  all = std::move(ordered);
}

std::unique_ptr<Plan> Sema::run() {
  unsigned errorsBefore = diags.errorCount();
  plan->project = project.name.text;
  plan->file = &file;
  plan->projectFile = &project;
  if (&file != &project)
    collectItems(project);
  collectItems(file);
  if (isPatch() && minor) {
    // A patch builds its minor's matrices unless it redefines them.
    llvm::StringSet<> own;
    for (const ast::Item *m : matrices)
      own.insert(m->name.text);
    for (const ast::Item &it : minor->items)
      if (it.kind == ast::Item::Kind::Matrix && !own.count(it.name.text))
        matrices.push_back(&it);
  }
  if (file.releaseVersion) {
    const Version &v = file.releaseVersion->value;
    plan->version = v;
    plan->nextMinor = *Version::parse(std::to_string(v.major()) + "." +
                                      std::to_string(v.minor() + 1));
  }
  checkPartners();
  checkRepo();
  checkOtherRepos();
  if (isPatch() && !readBase())
    return nullptr;
  checkChannels();
  checkPolicy();
  checkSchedule();
  describeRepository(*plan, setting("remote"), setting("main_branch"));
  checkChecks();
  for (const ast::Item *it : repo)
    for (const ast::Setting &s : it->settings) {
      for (const ast::ExprPtr &e : s.values)
        checkPlaceholders(*e, {});
      checkSettingCycle(s);
      checkRepoText(s);
    }
  describeOtherRepos();
  checkStages();
  checkOverlays();
  if (!matrices.empty() && compat.empty())
    diags.report(DiagKind::NoCompatModel, matrices[0]->range.Start,
                 "matrix '" + matrices[0]->name.text +
                     "' needs a compatibility model; add 'compat \"PATH\";' "
                     "to the project");
  else if (loadModels() && file.kind == ast::File::Kind::Release &&
           expandMatrices(diags, *plan, matrices, baseMatrices)) {
    checkBuilds();
    checkPartnerMatrices(diags, *plan);
  }
  if (diags.errorCount() != errorsBefore)
    return nullptr;
  return std::move(plan);
}

std::unique_ptr<Plan>
sema::analyze(DiagnosticEngine &diags, const ast::File &file,
              const ast::File &project, llvm::ArrayRef<ModelDir> modelDirs,
              ModelCache *models, const ast::File *minor,
              llvm::ArrayRef<std::shared_ptr<const Plan>> partners,
              llvm::ArrayRef<std::shared_ptr<const Plan>> minorPartners) {
  return Sema(diags, file, project, modelDirs, models, minor, partners,
              minorPartners)
      .run();
}

bool sema::isModelName(llvm::StringRef text) {
  return !text.empty() && !text.contains('/') &&
         !llvm::sys::path::has_extension(text);
}

llvm::ArrayRef<llvm::StringRef> sema::repoSettingNames() {
  return repoSettings;
}
llvm::ArrayRef<llvm::StringRef> sema::policySettingNames() {
  return policySettings;
}
llvm::ArrayRef<llvm::StringRef> sema::releasePlaceholderNames() {
  return releasePlaceholders;
}
llvm::ArrayRef<llvm::StringRef> sema::orderedMilestoneNames() {
  return orderedMilestones;
}
