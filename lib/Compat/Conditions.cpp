//===- Conditions.cpp - Values and conditions against the model ----------===//
//
// Resolution reports what a plan or model writes that the model does not
// know, with the nearest known name; compilation resolves a condition once;
// evaluation then only compares pointers and versions. finishModel runs the
// same compilation over the model's own rules, so a rule naming a platform
// that does not exist is caught when the model loads.
//
//===----------------------------------------------------------------------===//
#include "Compat/Conditions.h"

#include "Basic/Diagnostics.h"
#include "Basic/Suggest.h"

using namespace relc;
using namespace relc::compat;
using Op = ast::CompareCondition::Op;

std::string ValueRef::str() const {
  std::string s = entry->label();
  if (componentVersion)
    s += " " + componentVersion->version->str();
  if (freeThreaded)
    s += "t";
  return s;
}

static std::vector<std::string> labels(const std::vector<Entry> &entries) {
  std::vector<std::string> out;
  for (const Entry &e : entries)
    out.push_back(e.label());
  return out;
}

std::optional<ValueRef>
compat::resolveValue(DiagnosticEngine &diags, const Model &model,
                     const Axis &axis, const ast::Value &value, ValueUse use) {
  ValueRef ref;
  ref.axis = &axis;
  auto unknown = [&](const std::string &what,
                     const std::vector<std::string> &known, SMLoc listedAt) {
    diags.report(DiagKind::UnknownValue, value.range,
                 "unknown " + axis.name + " '" + what + "'" +
                     didYouMean(what, known));
    diags.note(listedAt, "the " + axis.name + " values the model lists");
    return std::nullopt;
  };
  if (value.kind == ast::Value::Kind::String) {
    diags.report(DiagKind::UnknownValue, value.range,
                 "axis '" + axis.name +
                     "' takes values from the compatibility model, not "
                     "strings");
    return std::nullopt;
  }
  if (axis.kind == Axis::Kind::Version) {
    if (value.kind != ast::Value::Kind::Version) {
      diags.report(DiagKind::UnknownValue, value.range,
                   "axis '" + axis.name + "' takes versions, not '" +
                       value.str() + "'");
      diags.note(axis.loc, "axis '" + axis.name + "' is defined here");
      return std::nullopt;
    }
    ref.entry = axis.find(value.version->value);
    if (!ref.entry)
      return unknown(value.version->value.str(), labels(axis.values), axis.loc);
    ref.freeThreaded = value.version->freeThreaded;
    return ref;
  }
  if (value.kind != ast::Value::Kind::Named)
    return unknown(value.str(), labels(axis.values), axis.loc);
  ref.entry = axis.find(value.name.text);
  if (!ref.entry)
    return unknown(value.name.text, labels(axis.values), axis.loc);
  const Component *comp = ref.entry->versionsFrom.empty()
                              ? nullptr
                              : model.component(ref.entry->versionsFrom);
  if (!value.version) {
    if (comp && use == ValueUse::Leg) {
      diags.report(DiagKind::ValueNeedsVersion, value.range,
                   "'" + value.name.text + "' needs a version, such as '" +
                       value.name.text + " " +
                       comp->versions.back().version->str() + "'");
      diags.note(ref.entry->versionsLoc,
                 "the model takes its versions from '" + comp->name + "'");
      return std::nullopt;
    }
    return ref;
  }
  if (!comp) {
    diags.report(DiagKind::UnknownValue, value.range,
                 "'" + value.name.text + "' has no versions in the model");
    diags.note(ref.entry->loc, "'" + value.name.text + "' is defined here");
    return std::nullopt;
  }
  ref.componentVersion = comp->find(value.version->value);
  if (!ref.componentVersion) {
    diags.report(
        DiagKind::UnknownValue, value.version->getRange(),
        "unknown " + comp->name + " version '" + value.version->value.str() +
            "'" +
            didYouMean(value.version->value.str(), labels(comp->versions)));
    diags.note(comp->loc, "the " + comp->name + " versions the model lists");
    return std::nullopt;
  }
  return ref;
}

std::optional<std::vector<ValueRef>>
compat::resolveRange(DiagnosticEngine &diags, const Model &model,
                     const Axis &axis, const ast::Value &lo,
                     const ast::Value &hi, llvm::SMRange range) {
  std::optional<ValueRef> a =
      resolveValue(diags, model, axis, lo, ValueUse::Leg);
  std::optional<ValueRef> b =
      resolveValue(diags, model, axis, hi, ValueUse::Leg);
  if (!a || !b)
    return std::nullopt;
  bool sameValue = axis.kind == Axis::Kind::Version || a->entry == b->entry;
  if (!sameValue || !a->version() || a->freeThreaded != b->freeThreaded) {
    diags.report(DiagKind::EmptyRange, range,
                 "a range runs between two versions of one value, not from '" +
                     a->str() + "' to '" + b->str() + "'");
    return std::nullopt;
  }
  std::vector<ValueRef> out;
  const std::vector<Entry> &list =
      a->componentVersion ? model.component(a->entry->versionsFrom)->versions
                          : axis.values;
  for (const Entry &e : list) {
    if (*e.version < *a->version() || *e.version > *b->version())
      continue;
    ValueRef r = *a;
    if (a->componentVersion)
      r.componentVersion = &e;
    else
      r.entry = &e;
    // `3.12t .. 3.14t` covers the free-threaded builds that exist.
    if (r.freeThreaded && !r.entry->freeThreaded)
      continue;
    out.push_back(r);
  }
  if (out.empty()) {
    std::string why =
        *a->version() > *b->version() ? "write the lower bound first"
        : a->freeThreaded ? "the model has no free-threaded build in it"
                          : "the model lists no version in it";
    diags.report(DiagKind::EmptyRange, range,
                 "the range '" + a->str() + " .. " + b->str() + "' is empty; " +
                     why);
    return std::nullopt;
  }
  return out;
}

//===------------------------------------------------------- evaluation ===//

static bool compare(int c, Op op) {
  switch (op) {
  case Op::Lt:
    return c < 0;
  case Op::Le:
    return c <= 0;
  case Op::Gt:
    return c > 0;
  case Op::Ge:
    return c >= 0;
  case Op::Eq:
  case Op::Is:
    return c == 0;
  case Op::Ne:
  case Op::IsNot:
    return c != 0;
  }
  return false;
}

bool compat::evaluate(const Cond &cond, const LegView &leg) {
  switch (cond.kind) {
  case Cond::Kind::Or:
    return llvm::any_of(cond.operands,
                        [&](const CondPtr &c) { return evaluate(*c, leg); });
  case Cond::Kind::And:
    return llvm::all_of(cond.operands,
                        [&](const CondPtr &c) { return evaluate(*c, leg); });
  case Cond::Kind::Not:
    return !evaluate(*cond.operands[0], leg);
  case Cond::Kind::Release: {
    const Version *v = cond.project.empty() ? leg.release : nullptr;
    if (!cond.project.empty() && leg.projects)
      for (const auto &[project, version] : *leg.projects)
        if (project == cond.project)
          v = &version;
    return v && compare(v->compare(*cond.release), cond.op);
  }
  case Cond::Kind::Channel:
    return leg.channel >= 0 &&
           bool(cond.channels >> leg.channel & 1) != cond.negated;
  default:
    break;
  }
  const ValueRef *v = leg.byAxis[cond.axis];
  if (!v) // The leg has no such axis: nothing about it holds.
    return false;
  bool result = false;
  switch (cond.kind) {
  case Cond::Kind::Match:
  case Cond::Kind::In:
    result = llvm::any_of(cond.values,
                          [&](const ValueRef &p) { return v->matchedBy(p); });
    break;
  case Cond::Kind::Equal:
    result = *v == cond.values[0];
    break;
  case Cond::Kind::Compare: {
    const ValueRef &bound = cond.values[0];
    // `accel < cuda 12.4` orders CUDA versions and holds for nothing else.
    if (bound.componentVersion && v->entry != bound.entry)
      return false;
    const Version *have = v->version();
    return have && compare(have->compare(*bound.version()), cond.op);
  }
  default:
    break;
  }
  return result != cond.negated;
}

//===------------------------------------------------------ compilation ===//

namespace {

class Compiler {
public:
  Compiler(DiagnosticEngine &diags, const Model &model, const CondScope &scope,
           std::vector<unsigned> *axesUsed)
      : diags(diags), model(model), scope(scope), axesUsed(axesUsed) {}

  CondPtr compile(const ast::Condition &c);

private:
  /// The axis a comparison names, or nullopt after reporting; -1 is the
  /// `release` pseudo-axis.
  std::optional<int> axisOf(const ast::Name &name);
  CondPtr compileRelease(Op op, const ast::Name &name, const ast::Value &value,
                         llvm::SMRange range);
  /// `channel is test`, `channel in [nightly, test]`: where the scope has
  /// channels and no axis is called `channel`.
  bool isChannel(const ast::Name &name) const {
    return !scope.channels.empty() && name.text == "channel" &&
           scope.lookup(name.text) < 0;
  }
  CondPtr compileChannel(Op op, llvm::ArrayRef<ast::Value> values,
                         llvm::SMRange range);

  DiagnosticEngine &diags;
  const Model &model;
  const CondScope &scope;
  std::vector<unsigned> *axesUsed;
};

} // namespace

std::optional<int> Compiler::axisOf(const ast::Name &name) {
  int index = scope.lookup(name.text);
  if (index >= 0) {
    if (axesUsed && !llvm::is_contained(*axesUsed, unsigned(index)))
      axesUsed->push_back(index);
    return index;
  }
  // `pytorch.release`: the version of a project's release.
  llvm::StringRef text = name.text;
  if (text == "release" ||
      (text.consume_back(".release") && !text.empty() && !text.contains('.')))
    return -1;
  if (llvm::StringRef(name.text).contains('.')) {
    diags.report(DiagKind::UnknownAxis, name.range,
                 "'" + name.text + "' in " + scope.where +
                     ": a project's name qualifies only 'release' (as in "
                     "'pytorch.release < 2.2')");
    return std::nullopt;
  }
  diags.report(DiagKind::UnknownAxis, name.range,
               "unknown axis '" + name.text + "' in " + scope.where +
                   didYouMean(name.text, scope.candidates));
  return std::nullopt;
}

CondPtr Compiler::compileRelease(Op op, const ast::Name &name,
                                 const ast::Value &value, llvm::SMRange range) {
  if (op == Op::Is || op == Op::IsNot) {
    // `is` matches builds of a value; a release has one version, so only
    // the comparisons say what is meant.
    diags.report(DiagKind::ConditionType, range,
                 "'release' is compared with '<', '<=', '>', '>=', '==' or "
                 "'!=', not 'is'");
    return nullptr;
  }
  if (value.kind != ast::Value::Kind::Version || value.version->freeThreaded) {
    diags.report(DiagKind::ConditionType, range,
                 "'release' is the release version; compare it with a "
                 "version such as 'release <= 2.2'");
    return nullptr;
  }
  auto c = std::make_unique<Cond>();
  c->kind = Cond::Kind::Release;
  c->op = op;
  c->release = std::make_unique<Version>(value.version->value);
  llvm::StringRef project = name.text;
  if (project.consume_back(".release"))
    c->project = project.str();
  return c;
}

CondPtr Compiler::compileChannel(Op op, llvm::ArrayRef<ast::Value> values,
                                 llvm::SMRange range) {
  if (op != Op::Is && op != Op::IsNot && op != Op::Eq && op != Op::Ne) {
    diags.report(DiagKind::ConditionType, range,
                 "channels are not ordered; compare 'channel' with 'is', "
                 "'is not', '==', '!=' or 'in'");
    return nullptr;
  }
  auto c = std::make_unique<Cond>();
  c->kind = Cond::Kind::Channel;
  c->negated = op == Op::IsNot || op == Op::Ne;
  for (const ast::Value &v : values) {
    auto at = llvm::find(scope.channels, v.name.text);
    if (v.kind != ast::Value::Kind::Named || v.version ||
        at == scope.channels.end()) {
      std::string text = v.str();
      diags.report(DiagKind::UnknownName, v.range,
                   "unknown channel '" + text + "'" +
                       didYouMean(text, scope.channels));
      return nullptr;
    }
    c->channels |= 1u << (at - scope.channels.begin());
  }
  return c;
}

CondPtr Compiler::compile(const ast::Condition &cond) {
  if (auto *l = llvm::dyn_cast<ast::LogicalCondition>(&cond)) {
    auto c = std::make_unique<Cond>();
    c->kind = cond.getKind() == ast::Condition::Kind::Or ? Cond::Kind::Or
                                                         : Cond::Kind::And;
    bool ok = true;
    for (const ast::ConditionPtr &op : l->operands) {
      CondPtr sub = compile(*op);
      ok &= sub != nullptr;
      c->operands.push_back(std::move(sub));
    }
    return ok ? std::move(c) : nullptr;
  }
  if (auto *n = llvm::dyn_cast<ast::NotCondition>(&cond)) {
    CondPtr sub = compile(*n->operand);
    if (!sub)
      return nullptr;
    auto c = std::make_unique<Cond>();
    c->kind = Cond::Kind::Not;
    c->operands.push_back(std::move(sub));
    return c;
  }
  if (auto *p = llvm::dyn_cast<ast::ParenCondition>(&cond))
    return compile(*p->inner);

  if (auto *in = llvm::dyn_cast<ast::InCondition>(&cond)) {
    if (isChannel(in->axis))
      return compileChannel(Op::Is, in->values, in->getRange());
    std::optional<int> axis = axisOf(in->axis);
    if (!axis)
      return nullptr;
    if (*axis < 0) {
      diags.report(DiagKind::ConditionType, in->getRange(),
                   "'release' is compared with '<', '<=', '>', '>=', '==' or "
                   "'!=', not 'in'");
      return nullptr;
    }
    auto c = std::make_unique<Cond>();
    c->kind = Cond::Kind::In;
    c->axis = *axis;
    bool ok = true;
    for (const ast::Value &v : in->values) {
      std::optional<ValueRef> r =
          resolveValue(diags, model, model.axes[*axis], v, ValueUse::Pattern);
      if (r)
        c->values.push_back(*r);
      ok &= r.has_value();
    }
    return ok ? std::move(c) : nullptr;
  }

  auto &cmp = llvm::cast<ast::CompareCondition>(cond);
  if (isChannel(cmp.axis))
    return compileChannel(cmp.op, cmp.value, cmp.getRange());
  std::optional<int> axis = axisOf(cmp.axis);
  if (!axis)
    return nullptr;
  if (*axis < 0)
    return compileRelease(cmp.op, cmp.axis, cmp.value, cmp.getRange());
  const Axis &ax = model.axes[*axis];
  std::optional<ValueRef> r =
      resolveValue(diags, model, ax, cmp.value, ValueUse::Pattern);
  if (!r)
    return nullptr;
  auto c = std::make_unique<Cond>();
  c->axis = *axis;
  c->op = cmp.op;
  c->values.push_back(*r);
  switch (cmp.op) {
  case Op::Is:
  case Op::IsNot:
    c->kind = Cond::Kind::Match;
    c->negated = cmp.op == Op::IsNot;
    break;
  case Op::Eq:
  case Op::Ne:
    c->kind = Cond::Kind::Equal;
    c->negated = cmp.op == Op::Ne;
    break;
  default:
    if (!r->version()) {
      diags.report(DiagKind::ConditionType, cmp.getRange(),
                   "'" + ast::CompareCondition::spelling(cmp.op) +
                       "' orders versions, and '" + r->str() +
                       "' has none; use 'is' or '=='");
      return nullptr;
    }
    c->kind = Cond::Kind::Compare;
    break;
  }
  return c;
}

CondPtr compat::compileCondition(DiagnosticEngine &diags, const Model &model,
                                 const ast::Condition &cond,
                                 const CondScope &scope,
                                 std::vector<unsigned> *axesUsed) {
  return Compiler(diags, model, scope, axesUsed).compile(cond);
}

//===---------------------------------------------------- finishing ===//

/// Checks that the components an entry refers to exist.
static bool checkEntryRefs(DiagnosticEngine &diags, const Model &model,
                           const Entry &e) {
  bool ok = true;
  std::vector<std::string> comps;
  for (const Component &c : model.components)
    comps.push_back(c.name);
  if (!e.versionsFrom.empty() && !model.component(e.versionsFrom)) {
    diags.report(DiagKind::UnknownComponent, e.versionsLoc,
                 "'" + e.label() + "' takes its versions from '" +
                     e.versionsFrom + "', which the model does not define" +
                     didYouMean(e.versionsFrom, comps));
    ok = false;
  }
  for (const auto &[name, list] : e.supports) {
    const Component *c = model.component(name);
    if (!c)
      continue; // A component known only through what supports it.
    for (const Supported &s : list)
      if (!c->find(s.version)) {
        diags.report(DiagKind::UnknownValue, s.loc,
                     "'" + e.label() + "' supports " + name + " " +
                         s.version.str() + ", which component '" + name +
                         "' does not list" +
                         didYouMean(s.version.str(), labels(c->versions)));
        diags.note(c->loc, "component '" + name + "' is defined here");
        ok = false;
      }
  }
  return ok;
}

bool compat::finishModel(DiagnosticEngine &diags, Model &model) {
  bool ok = true;
  std::vector<std::string> axisNames = model.axisNames();
  auto overrideScope = [&](llvm::StringRef where) {
    return CondScope{[&](llvm::StringRef n) { return model.axisIndex(n); },
                     axisNames, where};
  };
  auto finishEntries = [&](std::vector<Entry> &entries) {
    for (Entry &e : entries) {
      ok &= checkEntryRefs(diags, model, e);
      for (Override &o : e.overrides) {
        std::string where = "an override of '" + e.label() + "'";
        o.compiledWhen =
            compileCondition(diags, model, *o.when, overrideScope(where));
        ok &= o.compiledWhen != nullptr;
      }
    }
  };
  for (Axis &a : model.axes)
    finishEntries(a.values);
  for (Component &c : model.components)
    finishEntries(c.versions);
  for (Component &c : model.components) {
    auto pairs = [&](const Entry &e) { return e.supports.count(c.name) != 0; };
    c.paired = llvm::any_of(model.axes,
                            [&](const Axis &a) {
                              return llvm::any_of(a.values, pairs);
                            }) ||
               llvm::any_of(model.components, [&](const Component &o) {
                 return llvm::any_of(o.versions, pairs);
               });
  }

  for (Rule &r : model.rules) {
    std::string where = "model rule '" + r.id + "'";
    CondScope scope = overrideScope(where);
    auto build = [&](const ast::ConditionPtr &c) -> SharedCond {
      if (!c)
        return nullptr;
      SharedCond out = compileCondition(diags, model, *c, scope, &r.axes);
      ok &= out != nullptr;
      return out;
    };
    r.compiledWhen = build(r.when);
    r.compiledRequire = build(r.require);
    r.compiledWindow = build(r.window);
    if (r.kind == Rule::Kind::Window && r.per != "major") {
      diags.report(DiagKind::ConditionType, r.perLoc,
                   "a window groups values by 'major' version; '" + r.per +
                       "' is not a grouping relc knows");
      ok = false;
    }
    if (r.kind == Rule::Kind::Window && r.compiledWindow &&
        (r.compiledWindow->kind != Cond::Kind::Match ||
         r.compiledWindow->negated)) {
      diags.report(DiagKind::ConditionType, r.window->getRange().Start,
                   "a window counts the values one 'AXIS is VALUE' names");
      ok = false;
    }
  }
  return ok;
}
