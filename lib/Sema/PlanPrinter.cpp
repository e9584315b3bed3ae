//===- PlanPrinter.cpp - The checked plan as text, and leg explanations --===//
//
// `relc check --emit=plan` prints what Sema resolved, one fact per line, in
// a stable order, so a reviewer (or a test) sees dates computed, stages
// ordered and legs counted. `relc matrix --explain` tells why a leg is or is
// not built, pointing at the plan and model lines responsible.
//
//===----------------------------------------------------------------------===//
#include "Basic/SourceFiles.h"
#include "Basic/Words.h"
#include "Sema/Sema.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"

using namespace relc;
using namespace relc::sema;

void sema::printPlan(const Plan &plan, llvm::raw_ostream &os) {
  os << "plan " << plan.project;
  if (plan.version)
    os << " " << plan.version->str() << " (next minor " << plan.nextMinor->str()
       << ")";
  os << "\n";
  if (const std::optional<PatchBase> &b = plan.base) {
    os << "  patch of " << b->minor.str();
    if (b->release)
      os << ", released " << b->release->date.str();
    if (!b->finalTag.empty())
      os << ", final tag " << b->finalTag.bind(std::nullopt);
    os << "\n";
  }
  for (const Partner &pt : plan.partners)
    os << "  with " << pt.project << " " << pt.plan->version->str() << "\n";
  if (plan.model)
    for (size_t i = 0; i < plan.model->names.size(); ++i)
      os << "  model " << plan.model->names[i] << "\n";
  for (const auto &[key, value] : plan.repo)
    os << "  repo " << key << " = \"" << value << "\"\n";
  for (const Repository &r : plan.repositories)
    os << "  repository " << r.name << ": remote \"" << r.remote << "\", url \""
       << r.url << "\", main branch \"" << r.mainBranch << "\"\n";
  if (!plan.channels.empty())
    os << "  channels " << llvm::join(plan.channels, " > ") << "\n";
  for (const Milestone &m : plan.milestones)
    os << "  milestone " << m.name << " " << m.date.str() << "\n";
  for (const Patch &p : plan.patches)
    os << "  patch " << p.version.str() << " " << p.date.str() << "\n";
  for (const Check &c : plan.checks)
    os << "  check " << c.name << " = " << c.function->name << "\n";
  for (const Stage &s : plan.stages) {
    os << "  stage " << s.name;
    if (!s.params.empty())
      os << "(" << llvm::join(s.params, ", ") << ")";
    std::vector<std::string> after = s.after;
    for (const PartnerWait &w : s.partners)
      after.push_back(w.project + "." + w.stage + " (tag " + w.tag + ")");
    if (!after.empty())
      os << " after " << llvm::join(after, ", ");
    if (s.notBefore)
      os << " on " << s.notBefore->str();
    if (!s.cron.empty())
      os << " on \"" << s.cron << "\"";
    os << " (" << s.steps.size() << " steps)\n";
  }
  for (const Matrix &m : plan.matrices) {
    os << "  matrix " << m.name << ": " << countOf(m.legCount(), "leg") << "\n";
    for (const MatrixAxis &a : m.axes) {
      os << "    axis " << a.name << ":";
      for (unsigned i = 0; i < a.declared; ++i) {
        const LegValue &v = a.values[i];
        os << (i ? ", " : " ") << v.ref.str();
        if (v.experimental)
          os << " experimental";
      }
      os << "\n";
    }
    for (size_t c = 0; c < plan.channels.size(); ++c) {
      size_t n = 0;
      for (uint32_t ch : m.legChannels)
        n += ch >> c & 1;
      os << "    channel " << plan.channels[c] << ": " << countOf(n, "leg")
         << "\n";
    }
  }
}

/// "file:line:col" of a location, for explanations.

/// For a leg with a value no axis lists: why each include that binds one
/// of its values does not add it.
static void explainIncludes(const llvm::SourceMgr &sm, const Matrix &m,
                            const std::vector<int> &row,
                            llvm::raw_ostream &os) {
  for (const ast::MatrixEntry *inc : m.includes) {
    const char *begin = inc->range.Start.getPointer(),
               *end = inc->range.End.getPointer();
    std::string reason;
    bool binds = false;
    for (size_t a = 0; a < m.axes.size() && reason.empty(); ++a) {
      const MatrixAxis &axis = m.axes[a];
      const ValueRef &want = axis.values[row[a]].ref;
      // The value this include binds on the axis: the one written inside it.
      const LegValue *bound = nullptr;
      for (size_t k = axis.declared; k < axis.values.size(); ++k) {
        const char *at = axis.values[k].range.Start.getPointer();
        if (at >= begin && at <= end)
          bound = &axis.values[k];
      }
      bool listed = false;
      for (unsigned d = 0; d < axis.declared; ++d)
        listed |= axis.values[d].ref == want;
      if (bound && bound->ref == want)
        binds |= !listed;
      else if (bound)
        reason = "it binds " + axis.name + " to '" + bound->ref.str() + "'";
      else if (!listed)
        reason = "it ranges over the values axis '" + axis.name +
                 "' lists, and '" + want.str() + "' is not one";
    }
    if (!binds)
      continue;
    // Its bindings match and it ranges over this leg's other values, so
    // only its condition can keep the leg out.
    if (reason.empty() && inc->where)
      reason = "its 'where' does not hold for it";
    os << "  the include at " << locationString(sm, inc->range.Start) << ": "
       << (reason.empty() ? "it does not add it" : reason) << "\n";
  }
}

bool sema::explainLeg(DiagnosticEngine &diags, const Plan &plan,
                      const Matrix &m, llvm::StringRef spec,
                      llvm::raw_ostream &os) {
  const llvm::SourceMgr &sm = diags.getSourceMgr();
  llvm::SmallVector<llvm::StringRef, 8> parts;
  spec.split(parts, ',', -1, /*KeepEmpty=*/false);
  if (parts.size() != m.axes.size()) {
    std::vector<std::string> names;
    for (const MatrixAxis &a : m.axes)
      names.push_back(a.name);
    diags.report(DiagKind::UnknownValue, llvm::SMRange(),
                 "a leg of matrix '" + m.name + "' has " +
                     llvm::Twine(m.axes.size()) + " values (" +
                     llvm::join(names, ", ") + "), comma-separated; got '" +
                     spec + "'");
    return false;
  }
  // Each part names a value of its axis, as `relc matrix` prints it.
  std::vector<int> row(m.axes.size(), -1);
  for (size_t a = 0; a < m.axes.size(); ++a) {
    std::string want = parts[a].trim().str();
    for (size_t i = 0; i < m.axes[a].values.size() && row[a] < 0; ++i)
      if (m.axes[a].values[i].ref.str() == want)
        row[a] = i;
    if (row[a] < 0) {
      os << "leg (" << spec.trim() << ") is not built: axis '" << m.axes[a].name
         << "' of matrix '" << m.name << "' does not list '" << want << "' ("
         << locationString(sm, m.axes[a].range.Start) << ")\n";
      return true;
    }
  }
  // Find the leg by its model values (an include may repeat a value).
  auto sameLeg = [&](size_t leg) {
    for (size_t a = 0; a < m.axes.size(); ++a)
      if (m.value(leg, a).ref != m.axes[a].values[row[a]].ref)
        return false;
    return true;
  };
  std::vector<const ValueRef *> byAxis(plan.model->axes.size(), nullptr);
  for (size_t a = 0; a < m.axes.size(); ++a)
    byAxis[m.axes[a].modelAxis] = &m.axes[a].values[row[a]].ref;
  compat::LegView view{byAxis, &*plan.version, -1, &plan.projectVersions};
  std::string name = "(" + spec.trim().str() + ")";

  for (size_t leg = 0; leg < m.legCount(); ++leg) {
    if (!sameLeg(leg))
      continue;
    if (m.legOrigins[leg].include >= 0) {
      const ast::MatrixEntry *inc = m.includes[m.legOrigins[leg].include];
      os << "leg " << name << " is built: added by the include at "
         << locationString(sm, inc->range.Start) << "\n";
    } else {
      os << "leg " << name << " is built: every value is listed by its axis";
      for (size_t a = 0; a < m.axes.size(); ++a)
        os << (a ? ", " : " (") << m.axes[a].name << " at "
           << locationString(sm, m.value(leg, a).range.Start);
      os << ") and no exclude removes it\n";
    }
    std::vector<std::string> chans;
    for (size_t c = 0; c < plan.channels.size(); ++c)
      if (m.legChannels[leg] >> c & 1)
        chans.push_back(plan.channels[c]);
    if (!plan.channels.empty())
      os << "  channels: " << (chans.empty() ? "none" : llvm::join(chans, ", "))
         << "\n";
    for (const auto &[key, value] : derivedValues(
             *plan.model, m, leg, *plan.version, &plan.projectVersions))
      os << "  " << key << ": " << value << "\n";
    return true;
  }

  bool declared = true;
  for (size_t a = 0; a < m.axes.size(); ++a)
    declared &= unsigned(row[a]) < m.axes[a].declared;
  os << "leg " << name << " is not built";
  if (!declared) {
    os << ": only includes bring in its values, and none adds it\n";
    explainIncludes(sm, m, row, os);
    return true;
  }
  // The product had it, so an exclude removed it: say which.
  bool found = false;
  for (const ast::MatrixEntry *ex : m.excludes) {
    DiagnosticEngine quiet(diags.getSourceMgr(), llvm::nulls());
    compat::CondScope scope{[&](llvm::StringRef n) {
                              int i = plan.model->axisIndex(n);
                              return i >= 0 && byAxis[i] ? i : -1;
                            },
                            {},
                            ""};
    compat::CondPtr c =
        compat::compileCondition(quiet, *plan.model, *ex->condition, scope);
    compat::CondPtr w = ex->where ? compat::compileCondition(quiet, *plan.model,
                                                             *ex->where, scope)
                                  : nullptr;
    if (c && compat::evaluate(*c, view) &&
        (!ex->where || (w && compat::evaluate(*w, view)))) {
      os << ": removed by the exclude at "
         << locationString(sm, ex->range.Start) << "\n";
      found = true;
      break;
    }
  }
  if (!found)
    os << "\n";
  // The model's rules that would forbid it anyway.
  for (const compat::Rule &r : plan.model->rules)
    if (r.kind == compat::Rule::Kind::Require &&
        llvm::all_of(r.axes, [&](unsigned a) { return byAxis[a]; }) &&
        compat::evaluate(*r.compiledWhen, view) &&
        !compat::evaluate(*r.compiledRequire, view))
      os << "  model rule '" << r.id << "' forbids it too: " << r.why << " ("
         << locationString(sm, r.loc) << ")\n";
  return true;
}
