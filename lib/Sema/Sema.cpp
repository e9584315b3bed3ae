//===- Sema.cpp - Names, dates, channels, checks and stages --------------===//
//
// The plan-wide rules. A release file and its project are read as one plan:
// the project holds conventions (repo, channels, checks, stages), the release
// what changes (schedule, matrices). Matrices are expanded in Matrix.cpp.
//
//===----------------------------------------------------------------------===//
#include "Sema/Sema.h"

#include "Basic/Suggest.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <functional>

using namespace relc;
using namespace relc::sema;
using ast::Expr;

const Milestone *Plan::milestone(llvm::StringRef name) const {
  auto it = milestoneIndex.find(name);
  return it == milestoneIndex.end() ? nullptr : &milestones[it->second];
}

const Matrix *Plan::matrix(llvm::StringRef name) const {
  auto it = matrixIndex.find(name);
  return it == matrixIndex.end() ? nullptr : &matrices[it->second];
}

int Plan::channelIndex(llvm::StringRef name) const {
  for (size_t i = 0; i < channels.size(); ++i)
    if (channels[i] == name)
      return i;
  return -1;
}

namespace {

/// The built-in check functions and their arguments; `required` ones must be
/// given.
struct CheckFunction {
  llvm::StringRef name;
  std::vector<llvm::StringRef> required, optional;
};
const CheckFunction checkFunctions[] = {
    {"cherry_picks_present", {"from", "into"}, {"tracker"}},
    {"trailers", {"range", "key", "in"}, {}},
    {"reverts_propagated", {"into"}, {"from"}},
    {"artifact_size", {"glob", "max"}, {}},
};

/// Settings of `repo` and of `patch policy`.
const llvm::StringRef repoSettings[] = {
    "remote",         "version_file",  "cut_from", "main_branch",
    "release_branch", "frozen_branch", "rc_tag",   "final_tag"};
const llvm::StringRef policySettings[] = {"max_per_minor", "only_latest_minor",
                                          "categories", "critical"};

/// The milestones whose order the schedule enforces, in that order.
const llvm::StringRef orderedMilestones[] = {"branch_cut", "first_rc",
                                             "final_rc", "release"};

/// Which options each step takes (`once` is listed where it makes sense).
llvm::ArrayRef<llvm::StringRef> stepOptions(ast::Step::Kind k) {
  using K = ast::Step::Kind;
  static const llvm::StringRef branch[] = {"once"};
  static const llvm::StringRef tag[] = {"once", "annotated", "message"};
  static const llvm::StringRef commit[] = {"once", "message"};
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
  Sema(DiagnosticEngine &diags, const ast::File &file, const ast::File &project)
      : diags(diags), file(file), project(project) {}

  std::unique_ptr<Plan> run();

private:
  void collectItems(const ast::File &f);
  bool loadModels();
  void checkRepo();
  void checkChannels();
  void checkPolicy();
  void checkSchedule();
  std::optional<Date> dateOf(const Expr &e);
  std::optional<Date> milestoneDate(const ast::ScheduleEntry &e);
  void checkChecks();
  void checkStages();
  void orderStages();
  void checkPlaceholders(const Expr &e, llvm::ArrayRef<std::string> params);
  bool isPlaceholder(llvm::StringRef name,
                     llvm::ArrayRef<std::string> params) const;
  void checkReference(const Expr &e, llvm::StringRef what);
  std::vector<std::string> referenceNames() const;

  DiagnosticEngine &diags;
  const ast::File &file, &project;
  std::unique_ptr<Plan> plan = std::make_unique<Plan>();

  std::vector<const ast::Item *> compat, repo, channels, checks, policy,
      schedule, matrices, stages;
  std::map<std::string, const ast::ScheduleEntry *> milestoneEntries;
  std::map<std::string, std::optional<Date>> milestoneDates;
  llvm::StringSet<> evaluating;
  std::map<std::string, const ast::Setting *> repoByName;
  std::map<std::string, const ast::Setting *> policyByName;
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
    bool releaseOnly = it.kind == K::Schedule || it.kind == K::Matrix;
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
      repo.push_back(&it);
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
      matrices.push_back(&it);
      break;
    case K::Stage:
      stages.push_back(&it);
      break;
    case K::Overlay:
      break; // Read by the CI backends.
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
  plan->model = std::make_unique<compat::Model>();
  bool ok = true;
  llvm::SourceMgr &sm = diags.getSourceMgr();
  for (const ast::Item *it : compat) {
    // The path is relative to the file that names it.
    unsigned buf = sm.FindBufferContainingLoc(it->range.Start);
    llvm::SmallString<256> path(llvm::sys::path::parent_path(
        sm.getMemoryBuffer(buf)->getBufferIdentifier()));
    llvm::sys::path::append(path, it->path->value);
    if (llvm::sys::path::is_absolute(it->path->value))
      path = it->path->value;
    ok &=
        compat::loadModelFile(diags, path, it->path->getRange(), *plan->model);
  }
  return ok && compat::finishModel(diags, *plan->model);
}

void Sema::checkRepo() {
  checkSingle(diags, repo);
  for (const ast::Item *it : repo)
    for (const ast::Setting &s : it->settings) {
      if (!llvm::is_contained(repoSettings, s.key.text)) {
        diags.report(DiagKind::UnknownName, s.key.range,
                     "unknown repo setting '" + s.key.text + "'" +
                         didYouMean(s.key.text, strings(repoSettings)));
        continue;
      }
      if (!repoByName.emplace(s.key.text, &s).second) {
        diags.report(DiagKind::DuplicateDefinition, s.key.range,
                     "repo setting '" + s.key.text + "' is set twice");
        diags.note(repoByName[s.key.text]->range.Start, "first set here");
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
      plan->repo[s.key.text] = str->value;
    }
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

std::optional<Date> Sema::dateOf(const Expr &e) {
  if (auto *d = llvm::dyn_cast<ast::DateExpr>(&e))
    return d->value;
  if (auto *p = llvm::dyn_cast<ast::ParenExpr>(&e))
    return dateOf(*p->inner);
  if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e)) {
    // `release` inside the schedule, `schedule.release` anywhere.
    const std::vector<ast::Name> &parts = p->parts;
    size_t skip = parts.size() == 2 && parts[0].text == "schedule" ? 1 : 0;
    if (parts.size() == skip + 1) {
      auto it = milestoneEntries.find(parts[skip].text);
      if (it != milestoneEntries.end())
        return milestoneDate(*it->second);
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
    std::optional<Date> lhs = dateOf(*b->lhs);
    auto *dur = llvm::dyn_cast<ast::DurationExpr>(b->rhs.get());
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
    if (!milestoneEntries.count(need))
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

  // branch_cut < first_rc < final_rc < release, each strictly.
  const Milestone *prev = nullptr;
  for (llvm::StringRef name : orderedMilestones) {
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

//===---------------------------------------------------- references ===//

std::vector<std::string> Sema::referenceNames() const {
  std::vector<std::string> names;
  for (const auto &r : repoByName)
    names.push_back(r.first);
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
    ok = repoByName.count(name);
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
    diags.report(DiagKind::UnknownPlaceholder, part.range,
                 "unknown placeholder '{" + part.text + "}'" +
                     didYouMean(part.text, known));
  }
}

//===------------------------------------------------------------ checks ===//

void Sema::checkChecks() {
  llvm::StringSet<> names;
  for (const ast::Item *it : checks) {
    if (!names.insert(it->name.text).second) {
      diags.report(DiagKind::DuplicateDefinition, it->name.range,
                   "check '" + it->name.text + "' is defined twice");
      continue;
    }
    plan->checks.push_back({it->name.text, it->function.text, it});
    const CheckFunction *fn = nullptr;
    std::vector<std::string> fnNames;
    for (const CheckFunction &f : checkFunctions) {
      fnNames.push_back(f.name.str());
      if (f.name == it->function.text)
        fn = &f;
    }
    if (!fn) {
      diags.report(DiagKind::UnknownFunction, it->function.range,
                   "unknown check function '" + it->function.text + "'" +
                       didYouMean(it->function.text, fnNames));
      continue;
    }
    llvm::StringSet<> given;
    for (const ast::Arg &a : it->args) {
      bool known = llvm::is_contained(fn->required, a.name.text) ||
                   llvm::is_contained(fn->optional, a.name.text);
      if (!known) {
        std::vector<std::string> all = strings(fn->required);
        for (llvm::StringRef o : fn->optional)
          all.push_back(o.str());
        diags.report(DiagKind::BadArgument, a.name.range,
                     "'" + fn->name + "' takes no argument '" + a.name.text +
                         "'" + didYouMean(a.name.text, all));
        continue;
      }
      if (!given.insert(a.name.text).second)
        diags.report(DiagKind::BadArgument, a.name.range,
                     "argument '" + a.name.text + "' is given twice");
      if (a.name.text == "max" && !llvm::isa<ast::SizeExpr>(a.value.get()))
        diags.report(DiagKind::TypeMismatch, a.value->getRange(),
                     "'max' takes a size such as '1 GiB'");
      checkReference(*a.value, "check '" + it->name.text + "'");
      checkPlaceholders(*a.value, {});
    }
    for (llvm::StringRef r : fn->required)
      if (!given.count(r))
        diags.report(DiagKind::BadArgument, it->range.Start,
                     "check '" + it->name.text + "' needs argument '" + r +
                         "' of '" + fn->name + "'");
  }
}

//===------------------------------------------------------------ stages ===//

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

  for (const ast::Item *it : stages) {
    if (!names.insert(it->name.text).second) {
      diags.report(DiagKind::DuplicateDefinition, it->name.range,
                   "stage '" + it->name.text + "' is defined twice");
      continue;
    }
    Stage st;
    st.name = it->name.text;
    st.item = it;
    for (const ast::Name &p : it->params)
      st.params.push_back(p.text);
    for (const ast::StageTrigger &t : it->triggers) {
      if (t.kind == ast::StageTrigger::Kind::On) {
        if (auto *p = llvm::dyn_cast<ast::PathExpr>(t.date.get());
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
        if (!stageSet.count(a.text)) {
          diags.report(DiagKind::UnknownName, a.range,
                       "unknown stage '" + a.text + "'" +
                           didYouMean(a.text, stageNames));
          continue;
        }
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
        }
      }
      for (const ast::ExprPtr &op : s.operands) {
        checkPlaceholders(*op, st.params);
        if (s.kind == ast::Step::Kind::Wait)
          continue;
        checkReference(*op, "stage '" + st.name + "'");
      }
      if (s.kind == ast::Step::Kind::Wait &&
          file.kind != ast::File::Kind::Project)
        dateOf(*s.operands[0]);
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
      diags.report(DiagKind::StageCycle, st.item->name.range,
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
    ordered.push_back(st);
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
  if (file.releaseVersion) {
    const Version &v = file.releaseVersion->value;
    plan->version = v;
    plan->nextMinor = *Version::parse(std::to_string(v.major()) + "." +
                                      std::to_string(v.minor() + 1));
  }
  checkRepo();
  checkChannels();
  checkPolicy();
  checkSchedule();
  checkChecks();
  for (const ast::Item *it : repo)
    for (const ast::Setting &s : it->settings)
      for (const ast::ExprPtr &e : s.values)
        checkPlaceholders(*e, {});
  checkStages();
  if (!matrices.empty() && compat.empty())
    diags.report(DiagKind::NoCompatModel, matrices[0]->range.Start,
                 "matrix '" + matrices[0]->name.text +
                     "' needs a compatibility model; add 'compat \"PATH\";' "
                     "to the project");
  else if (loadModels() && file.kind == ast::File::Kind::Release)
    expandMatrices(diags, *plan, matrices);
  if (diags.errorCount() != errorsBefore)
    return nullptr;
  return std::move(plan);
}

std::unique_ptr<Plan> sema::analyze(DiagnosticEngine &diags,
                                    const ast::File &file,
                                    const ast::File &project) {
  return Sema(diags, file, project).run();
}
