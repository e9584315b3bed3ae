//===- Matrix.cpp - Matrix values, expansion and the model's rules -------===//
//
// docs/language.md section 5 is the contract: axes in declared order (the
// first varies slowest), then excludes, then includes; no duplicate legs.
// The cost is linear in the number of legs: values and conditions are
// resolved once, and each leg is a row of small indices.
//
// Then every leg is held against the model: its rules, the lifecycle of its
// values (end of life, prereleases), and the channel order.
//
//===----------------------------------------------------------------------===//
#include "Sema/Sema.h"

#include "Basic/Suggest.h"
#include "Basic/Words.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <set>

using namespace relc;
using namespace relc::sema;
using compat::Axis;
using compat::Entry;
using compat::Model;

namespace {

llvm::ArrayRef<uint32_t> rowOf(const Matrix &m, size_t leg) {
  size_t n = m.axes.size();
  return llvm::makeArrayRef(m.legValues).slice(leg * n, n);
}

/// The legs of a matrix as a set, so that an include adds no leg the matrix
/// has. Legs are equal when their model values are; an include's binding is
/// a value of its own even when it equals a declared one, so each value is
/// compared as the first value of its axis with the same model value. Open
/// addressing over leg indices: no allocation per leg, 8 to 16 bytes each.
class LegSet {
public:
  /// Indexes every leg \p m has so far.
  explicit LegSet(const Matrix &m) : m(m), same(m.axes.size()) {
    size_t size = 16;
    while (size < 2 * m.legCount() + 2)
      size *= 2;
    slots.assign(size, 0);
    for (size_t leg = 0; leg < m.legCount(); ++leg)
      insert(rowOf(m, leg), leg);
  }

  /// Adds \p row as leg \p leg, the one the caller adds next to the matrix,
  /// unless the matrix has a leg equal to it; false if it has.
  bool insert(llvm::ArrayRef<uint32_t> row, size_t leg) {
    if (2 * (count + 1) > slots.size())
      grow();
    size_t mask = slots.size() - 1;
    for (size_t i = hash(row) & mask;; i = (i + 1) & mask) {
      if (!slots[i]) {
        slots[i] = leg + 1;
        ++count;
        return true;
      }
      if (equal(rowOf(m, slots[i] - 1), row))
        return false;
    }
  }

private:
  uint32_t canonical(size_t axis, uint32_t value) {
    std::vector<uint32_t> &s = same[axis];
    const std::vector<LegValue> &values = m.axes[axis].values;
    while (s.size() <= value) {
      uint32_t first = 0;
      while (values[first].ref != values[s.size()].ref)
        ++first;
      s.push_back(first);
    }
    return s[value];
  }
  uint64_t hash(llvm::ArrayRef<uint32_t> row) {
    uint64_t h = 0;
    for (size_t a = 0; a < row.size(); ++a)
      h = (h ^ canonical(a, row[a])) * 0x9e3779b97f4a7c15ull;
    return h ^ h >> 29;
  }
  bool equal(llvm::ArrayRef<uint32_t> x, llvm::ArrayRef<uint32_t> y) {
    for (size_t a = 0; a < x.size(); ++a)
      if (canonical(a, x[a]) != canonical(a, y[a]))
        return false;
    return true;
  }
  void grow() {
    std::vector<uint32_t> old(2 * slots.size(), 0);
    old.swap(slots);
    size_t mask = slots.size() - 1;
    for (uint32_t s : old)
      if (s) {
        size_t i = hash(rowOf(m, s - 1)) & mask;
        while (slots[i])
          i = (i + 1) & mask;
        slots[i] = s;
      }
  }

  const Matrix &m;
  std::vector<std::vector<uint32_t>> same; ///< Per axis: value -> canonical.
  std::vector<uint32_t> slots;             ///< Leg + 1, or 0 when free.
  size_t count = 0;
};

std::string legString(const Matrix &m, llvm::ArrayRef<uint32_t> row) {
  std::string s = "(";
  for (size_t a = 0; a < m.axes.size(); ++a)
    s += (a ? ", " : "") + m.axes[a].values[row[a]].ref.str();
  return s + ")";
}

/// \p item is in the list property \p prop (`8.0` and `8.0.0` are equal).
bool listedIn(const compat::Property &prop, const std::string &item) {
  std::optional<Version> want = Version::parse(item);
  return llvm::any_of(prop.items, [&](const std::string &i) {
    if (i == item)
      return true;
    std::optional<Version> have = Version::parse(i);
    return want && have && *want == *have;
  });
}

/// The entries of a release's matrix: its own, or those of the project's
/// matrix it takes (`matrix wheels from wheels`) adjusted by its own. An
/// axis the release lists replaces the base's in the base's place, `+=` adds
/// values to an axis, a field the release sets replaces all the base's
/// variants of it; pins, excludes and includes add up.
std::vector<const ast::MatrixEntry *> entriesOf(const ast::Item &item,
                                                const ast::Item *base) {
  using Kind = ast::MatrixEntry::Kind;
  std::vector<const ast::MatrixEntry *> out;
  auto own = [&](Kind kind, const std::string &name) {
    return llvm::find_if(item.matrix, [&](const ast::MatrixEntry &e) {
      return e.kind == kind && !e.append && e.axis.text == name;
    });
  };
  std::set<const ast::MatrixEntry *> placed;
  if (base)
    for (const ast::MatrixEntry &e : base->matrix) {
      if (e.kind == Kind::Axis && !e.append) {
        auto mine = own(Kind::Axis, e.axis.text);
        if (mine != item.matrix.end()) {
          out.push_back(&*mine);
          placed.insert(&*mine);
          continue;
        }
      }
      if (e.kind == Kind::Field &&
          own(Kind::Field, e.axis.text) != item.matrix.end())
        continue;
      out.push_back(&e);
    }
  for (const ast::MatrixEntry &e : item.matrix)
    if (!placed.count(&e))
      out.push_back(&e);
  return out;
}

class MatrixBuilder {
public:
  /// \p channels is the project's `channels` item, if it has one; \p base
  /// the project matrix the release's takes, if it takes one.
  MatrixBuilder(DiagnosticEngine &diags, Plan &plan, const ast::Item &item,
                const ast::Item *base, const ast::Item *channels)
      : diags(diags), plan(plan), model(*plan.model), item(item),
        entries(entriesOf(item, base)), chItem(channels),
        byAxis(model.axes.size(), nullptr) {}

  bool build();
  Matrix take() { return std::move(m); }

private:
  bool buildAxes();
  bool buildValue(LegValue &v, const std::vector<ast::Pin> &pins,
                  const std::vector<ast::Attribute> &attrs);
  bool checkPin(const LegValue &v, const std::string &comp,
                const Version &version, llvm::SMRange at);
  bool checkMatrixPin(const ast::Pin &pin);
  compat::CondScope scope();
  compat::LegView view(llvm::ArrayRef<uint32_t> row);
  void addLeg(const std::vector<uint32_t> &row, int include);
  void expand();
  void include(size_t index, const ast::MatrixEntry &e);
  void checkRules();
  void checkSubsets();
  void checkWindows();
  void checkLifecycle();
  void checkChannels();
  bool buildFields();

  DiagnosticEngine &diags;
  Plan &plan;
  const Model &model;
  const ast::Item &item;
  std::vector<const ast::MatrixEntry *> entries;
  const ast::Item *chItem; ///< The project's `channels`, or null.
  Matrix m;
  std::vector<int> matrixAxisOf; ///< Model axis -> matrix axis, or -1.
  std::vector<const ValueRef *> byAxis;
  std::vector<std::pair<compat::CondPtr, compat::CondPtr>> excludes;
  std::optional<LegSet> legs; ///< Built at the first include.
  std::string where;
};

} // namespace

compat::CondScope MatrixBuilder::scope() {
  std::vector<std::string> names;
  for (const MatrixAxis &a : m.axes)
    names.push_back(a.name);
  return compat::CondScope{[this](llvm::StringRef n) {
                             int i = model.axisIndex(n);
                             return i >= 0 && matrixAxisOf[i] >= 0 ? i : -1;
                           },
                           names, where};
}

bool MatrixBuilder::checkPin(const LegValue &v, const std::string &comp,
                             const Version &version, llvm::SMRange at) {
  for (const Entry *e : {v.ref.entry, v.ref.componentVersion}) {
    if (!e)
      continue;
    auto it = e->supports.find(comp);
    if (it == e->supports.end())
      continue;
    for (const compat::Supported &s : it->second)
      if (s.version == version)
        return true;
    std::vector<std::string> known;
    for (const compat::Supported &s : it->second)
      known.push_back(s.version.str());
    diags.report(DiagKind::PinUnsupported, at,
                 "'" + v.ref.str() + "' does not support " + comp + " " +
                     version.str() + "; the model lists " +
                     llvm::join(known, ", ") +
                     didYouMean(version.str(), known));
    diags.note(e->supportsLoc.at(comp),
               "the " + comp + " versions '" + v.ref.str() + "' supports");
    return false;
  }
  return true; // The value does not use the component; the pin is inert.
}

/// A component is known if the model lists it or some value supports it.
static bool componentKnown(const Model &model, const std::string &comp,
                           std::vector<std::string> &known) {
  bool found = model.component(comp) != nullptr;
  auto scan = [&](const std::vector<Entry> &entries) {
    for (const Entry &e : entries)
      for (const auto &s : e.supports) {
        found |= s.first == comp;
        if (!llvm::is_contained(known, s.first))
          known.push_back(s.first);
      }
  };
  for (const Axis &a : model.axes)
    scan(a.values);
  for (const compat::Component &c : model.components) {
    scan(c.versions);
    known.push_back(c.name);
  }
  return found;
}

bool MatrixBuilder::buildValue(LegValue &v, const std::vector<ast::Pin> &pins,
                               const std::vector<ast::Attribute> &attrs) {
  bool ok = true;
  if (v.ref.freeThreaded && !v.ref.entry->freeThreaded) {
    diags.report(DiagKind::FreeThreadedUnavailable, v.range,
                 v.ref.entry->label() + " has no free-threaded build");
    diags.note(v.ref.entry->freeThreadedLoc.isValid()
                   ? v.ref.entry->freeThreadedLoc
                   : v.ref.entry->loc,
               "the model's entry for " + v.ref.entry->label());
    ok = false;
  }
  for (const ast::Pin &p : pins) {
    std::vector<std::string> known;
    if (!componentKnown(model, p.component.text, known)) {
      diags.report(DiagKind::UnknownComponent, p.component.range,
                   "unknown component '" + p.component.text + "'" +
                       didYouMean(p.component.text, known));
      ok = false;
      continue;
    }
    // A pin on a value must be one the model says the value works with.
    bool listed = llvm::any_of(
        std::initializer_list<const Entry *>{v.ref.entry,
                                             v.ref.componentVersion},
        [&](const Entry *e) {
          return e && e->supports.count(p.component.text);
        });
    if (!listed) {
      diags.report(DiagKind::PinUnsupported, p.range,
                   "the model lists no " + p.component.text +
                       " versions for '" + v.ref.str() +
                       "', so it cannot be pinned");
      diags.note(
          (v.ref.componentVersion ? v.ref.componentVersion : v.ref.entry)->loc,
          "the model's entry for '" + v.ref.str() + "'");
      ok = false;
      continue;
    }
    ok &= checkPin(v, p.component.text, p.version->value, p.range);
    v.pins[p.component.text] = p.version->value;
  }
  for (const ast::Attribute &a : attrs) {
    const std::string &name = a.name.text;
    if (name == "experimental" && !a.hasArgs) {
      v.experimental = true;
      continue;
    }
    if ((name == "unlisted" || name == "listed") && !a.hasArgs) {
      (name == "listed" ? v.listed : v.unlisted) = true;
      if (v.listed && v.unlisted) {
        diags.report(DiagKind::AttributeUnsupported, a.range,
                     "'" + v.ref.str() +
                         "' is either 'listed' or 'unlisted' in the "
                         "compatibility table, not both");
        ok = false;
      }
      continue;
    }
    if (name == "only") {
      v.channels = 0;
      v.channelsRestricted = true;
      for (const ast::ExprPtr &e : a.args) {
        auto *p = llvm::dyn_cast<ast::PathExpr>(e.get());
        int ch = p && p->parts.size() == 1 ? plan.channelIndex(p->str()) : -1;
        if (ch < 0) {
          diags.report(DiagKind::UnknownName, e->getRange(),
                       "unknown channel '" + (p ? p->str() : "?") + "'" +
                           (p ? didYouMean(p->str(), plan.channels) : ""));
          ok = false;
          continue;
        }
        v.channels |= 1u << ch;
      }
      continue;
    }
    // Any other attribute narrows a list property of the model's entry
    // (`archs(8.0, 9.0)` against the toolkit's archs).
    const compat::Property *prop = nullptr;
    for (const Entry *e : {v.ref.entry, v.ref.componentVersion})
      if (e && e->properties.count(name) && e->properties.at(name).isList)
        prop = &e->properties.at(name);
    if (!prop || !a.hasArgs) {
      diags.report(DiagKind::AttributeUnsupported, a.range,
                   "'" + v.ref.str() + "' takes no attribute '" + name +
                       "'; attributes are 'experimental', 'only(CHANNEL, "
                       "...)', 'listed', 'unlisted' and lists the model "
                       "gives the value");
      ok = false;
      continue;
    }
    LegValue::Subset &out = v.attributes[name];
    out.range = a.range;
    for (const ast::ExprPtr &e : a.args) {
      std::string text;
      if (auto *ver = llvm::dyn_cast<ast::VersionExpr>(e.get()))
        text = ver->str();
      else if (auto *p = llvm::dyn_cast<ast::PathExpr>(e.get()))
        text = p->str();
      else if (auto *s = llvm::dyn_cast<ast::StringExpr>(e.get()))
        text = s->value;
      if (!listedIn(*prop, text)) {
        diags.report(DiagKind::AttributeUnsupported, e->getRange(),
                     "'" + v.ref.str() + "' cannot have " + name + " '" + text +
                         "'; the model lists " + llvm::join(prop->items, ", "));
        diags.note(prop->loc, "'" + name + "' of " + v.ref.str());
        ok = false;
        continue;
      }
      out.items.push_back(text);
    }
  }
  return ok;
}

bool MatrixBuilder::buildAxes() {
  bool ok = true;
  matrixAxisOf.assign(model.axes.size(), -1);
  std::vector<std::string> axisNames = model.axisNames();
  for (const ast::MatrixEntry *ep : entries) {
    const ast::MatrixEntry &e = *ep;
    if (e.kind != ast::MatrixEntry::Kind::Axis || e.append)
      continue;
    int index = model.axisIndex(e.axis.text);
    if (index < 0) {
      diags.report(DiagKind::UnknownAxis, e.axis.range,
                   "unknown axis '" + e.axis.text + "'" +
                       didYouMean(e.axis.text, axisNames) +
                       "; the compatibility model defines the axes");
      ok = false;
      continue;
    }
    if (matrixAxisOf[index] >= 0) {
      diags.report(DiagKind::DuplicateDefinition, e.axis.range,
                   "axis '" + e.axis.text + "' is listed twice");
      diags.note(m.axes[matrixAxisOf[index]].range.Start, "first listed here");
      ok = false;
      continue;
    }
    const Axis &axis = model.axes[index];
    matrixAxisOf[index] = m.axes.size();
    MatrixAxis ma{e.axis.text, unsigned(index), {}, 0, e.range};
    // The axis's values, then those `+=` adds.
    std::vector<const ast::AxisValue *> values;
    for (const ast::MatrixEntry *add : entries)
      if (add == ep || (add->kind == ast::MatrixEntry::Kind::Axis &&
                        add->append && add->axis.text == e.axis.text))
        for (const ast::AxisValue &av : add->values)
          values.push_back(&av);
    for (const ast::AxisValue *avp : values) {
      const ast::AxisValue &av = *avp;
      std::vector<ValueRef> refs;
      if (av.rangeEnd) {
        auto r = compat::resolveRange(diags, model, axis, av.value,
                                      *av.rangeEnd, av.range);
        if (!r) {
          ok = false;
          continue;
        }
        refs = std::move(*r);
      } else if (auto r = compat::resolveValue(diags, model, axis, av.value,
                                               compat::ValueUse::Leg)) {
        refs.push_back(*r);
      } else {
        ok = false;
        continue;
      }
      for (const ValueRef &ref : refs) {
        auto dup = llvm::find_if(
            ma.values, [&](const LegValue &v) { return v.ref == ref; });
        if (dup != ma.values.end()) {
          diags.report(DiagKind::DuplicateValue, av.range,
                       "'" + ref.str() + "' is listed twice in axis '" +
                           ma.name + "'");
          diags.note(dup->range.Start, "first listed here");
          ok = false;
          continue;
        }
        LegValue v;
        v.ref = ref;
        v.range = av.range;
        ok &= buildValue(v, av.pins, av.attributes);
        ma.values.push_back(std::move(v));
      }
    }
    ma.declared = ma.values.size();
    m.axes.push_back(std::move(ma));
  }
  for (const ast::MatrixEntry *e : entries)
    if (e->kind == ast::MatrixEntry::Kind::Axis && e->append &&
        (model.axisIndex(e->axis.text) < 0 ||
         matrixAxisOf[model.axisIndex(e->axis.text)] < 0)) {
      diags.report(DiagKind::UnknownAxis, e->axis.range,
                   "'+=' adds values to an axis the matrix has, and " +
                       std::string(item.base ? "matrix '" + item.base->text +
                                                   "' lists no '"
                                             : "this matrix lists no '") +
                       e->axis.text + "'");
      ok = false;
    }
  return ok;
}

bool MatrixBuilder::checkMatrixPin(const ast::Pin &pin) {
  std::vector<std::string> known;
  if (!componentKnown(model, pin.component.text, known)) {
    diags.report(DiagKind::UnknownComponent, pin.component.range,
                 "unknown component '" + pin.component.text + "'" +
                     didYouMean(pin.component.text, known));
    return false;
  }
  const compat::Component *table = model.component(pin.component.text);
  if (table && !table->find(pin.version->value)) {
    std::vector<std::string> versions;
    for (const Entry &e : table->versions)
      versions.push_back(e.label());
    diags.report(DiagKind::UnknownValue, pin.version->getRange(),
                 "unknown " + pin.component.text + " version '" +
                     pin.version->value.str() + "'" +
                     didYouMean(pin.version->value.str(), versions));
    diags.note(table->loc, "the versions the model lists");
    return false;
  }
  // Every value that uses the component must support the pin, unless it
  // pins its own.
  bool ok = true;
  for (const MatrixAxis &a : m.axes)
    for (const LegValue &v : a.values)
      if (!v.pins.count(pin.component.text))
        ok &= checkPin(v, pin.component.text, pin.version->value, pin.range);
  return ok;
}

compat::LegView MatrixBuilder::view(llvm::ArrayRef<uint32_t> row) {
  for (size_t a = 0; a < m.axes.size(); ++a)
    byAxis[m.axes[a].modelAxis] = &m.axes[a].values[row[a]].ref;
  return {byAxis, &*plan.version, -1, &plan.projectVersions};
}

void MatrixBuilder::addLeg(const std::vector<uint32_t> &row, int include) {
  uint32_t channels = ~0u;
  for (size_t a = 0; a < m.axes.size(); ++a)
    channels &= m.axes[a].values[row[a]].channels;
  m.legValues.insert(m.legValues.end(), row.begin(), row.end());
  m.legChannels.push_back(channels);
  m.legOrigins.push_back({include});
}

void MatrixBuilder::expand() {
  size_t n = m.axes.size();
  if (n == 0)
    return;
  for (const MatrixAxis &a : m.axes)
    if (a.declared == 0)
      return;
  std::vector<uint32_t> row(n, 0);
  while (true) {
    compat::LegView v = view(row);
    bool excluded = llvm::any_of(excludes, [&](const auto &ex) {
      return compat::evaluate(*ex.first, v) &&
             (!ex.second || compat::evaluate(*ex.second, v));
    });
    if (!excluded)
      addLeg(row, -1);
    // The last axis varies fastest.
    size_t a = n;
    while (a > 0 && ++row[a - 1] == m.axes[a - 1].declared)
      row[--a] = 0;
    if (a == 0)
      break;
  }
}

void MatrixBuilder::include(size_t index, const ast::MatrixEntry &e) {
  size_t n = m.axes.size();
  if (!legs)
    legs.emplace(m);
  std::vector<int> bound(n, -1);
  for (const ast::Binding &b : e.bindings) {
    int mi = model.axisIndex(b.axis.text);
    int a = mi >= 0 ? matrixAxisOf[mi] : -1;
    if (a < 0) {
      std::vector<std::string> names;
      for (const MatrixAxis &x : m.axes)
        names.push_back(x.name);
      diags.report(DiagKind::UnknownAxis, b.axis.range,
                   "matrix '" + m.name + "' has no axis '" + b.axis.text + "'" +
                       didYouMean(b.axis.text, names));
      return;
    }
    MatrixAxis &axis = m.axes[a];
    std::optional<ValueRef> ref = compat::resolveValue(
        diags, model, model.axes[mi], b.value, compat::ValueUse::Leg);
    if (!ref)
      return;
    LegValue v;
    v.ref = *ref;
    v.range = b.range;
    if (!buildValue(v, b.pins, b.attributes))
      return;
    // The axis may restrict this value to some channels; an include cannot
    // widen that behind its back.
    for (unsigned d = 0; d < axis.declared; ++d) {
      const LegValue &decl = axis.values[d];
      if (decl.ref == v.ref && decl.channelsRestricted &&
          (v.channels & ~decl.channels)) {
        std::string extra;
        for (size_t c = 0; c < plan.channels.size(); ++c)
          if ((v.channels & ~decl.channels) >> c & 1)
            extra += (extra.empty() ? "" : ", ") + plan.channels[c];
        diags.report(DiagKind::ChannelExcluded, b.range,
                     "this include builds '" + v.ref.str() + "' for channel " +
                         extra + ", which axis '" + axis.name +
                         "' excludes for it");
        diags.note(decl.range.Start, "'" + v.ref.str() +
                                         "' is restricted to some channels "
                                         "here; add the same 'only(...)' to "
                                         "the include");
        return;
      }
    }
    bound[a] = axis.values.size();
    axis.values.push_back(std::move(v));
  }
  compat::CondPtr whereCond;
  if (e.where) {
    whereCond = compat::compileCondition(diags, model, *e.where, scope());
    if (!whereCond)
      return;
  }
  // Range over the declared values of every unbound axis, the first
  // slowest, as the product does.
  std::vector<uint32_t> row(n, 0);
  std::vector<size_t> unbound;
  for (size_t a = 0; a < n; ++a) {
    if (bound[a] >= 0) {
      row[a] = bound[a];
      continue;
    }
    if (m.axes[a].declared == 0)
      return;
    unbound.push_back(a);
  }
  while (true) {
    if (!whereCond || compat::evaluate(*whereCond, view(row)))
      if (legs->insert(row, m.legCount()))
        addLeg(row, index);
    size_t k = unbound.size();
    while (k > 0 && ++row[unbound[k - 1]] == m.axes[unbound[k - 1]].declared)
      row[unbound[--k]] = 0;
    if (k == 0)
      break;
  }
}

bool MatrixBuilder::build() {
  m.name = item.name.text;
  m.range = item.range;
  where = "matrix '" + m.name + "'";
  bool ok = buildAxes();
  for (const ast::MatrixEntry *e : entries)
    if (e->kind == ast::MatrixEntry::Kind::Pin) {
      if (checkMatrixPin(*e->pin))
        m.pins[e->pin->component.text] = e->pin->version->value;
      else
        ok = false;
    }
  if (!ok)
    return false;
  for (const ast::MatrixEntry *ep : entries) {
    const ast::MatrixEntry &e = *ep;
    if (e.kind != ast::MatrixEntry::Kind::Exclude)
      continue;
    compat::CondPtr c =
        compat::compileCondition(diags, model, *e.condition, scope());
    compat::CondPtr w =
        e.where ? compat::compileCondition(diags, model, *e.where, scope())
                : nullptr;
    if (!c || (e.where && !w)) {
      ok = false;
      continue;
    }
    excludes.emplace_back(std::move(c), std::move(w));
    m.excludes.push_back(&e);
  }
  if (!ok)
    return false;
  expand();
  unsigned errors = diags.errorCount();
  for (const ast::MatrixEntry *e : entries)
    if (e->kind == ast::MatrixEntry::Kind::Include) {
      m.includes.push_back(e);
      include(m.includes.size() - 1, *e);
    }
  if (diags.errorCount() != errors)
    return false;
  if (m.legCount() == 0)
    diags.report(DiagKind::EmptyMatrix, item.name.range,
                 "matrix '" + m.name +
                     "' has no legs: its excludes remove "
                     "every combination");
  checkRules();
  checkSubsets();
  checkWindows();
  checkLifecycle();
  checkChannels();
  if (diags.errorCount() == errors)
    buildFields();
  return diags.errorCount() == errors;
}

bool MatrixBuilder::buildFields() {
  compat::CondScope s = scope();
  s.channels = plan.channels;
  return compileFields(diags, plan, m, entries, s, chItem);
}

void MatrixBuilder::checkRules() {
  for (const compat::Rule &r : model.rules) {
    if (r.kind != compat::Rule::Kind::Require)
      continue;
    if (!llvm::all_of(r.axes, [&](unsigned a) { return matrixAxisOf[a] >= 0; }))
      continue; // The rule is about axes this matrix does not have.
    // One diagnostic per plan value that brings the rule's subject in.
    int subject = r.axes.empty() ? 0 : matrixAxisOf[r.axes[0]];
    std::map<const LegValue *, std::pair<size_t, unsigned>> hits;
    for (size_t leg = 0; leg < m.legCount(); ++leg) {
      compat::LegView v = view(rowOf(m, leg));
      if (!compat::evaluate(*r.compiledWhen, v) ||
          compat::evaluate(*r.compiledRequire, v))
        continue;
      auto &h = hits[&m.value(leg, subject)];
      if (h.second++ == 0)
        h.first = leg;
    }
    for (const auto &[value, hit] : hits) {
      std::string more =
          hit.second > 1 ? " (and " + countOf(hit.second - 1, "more leg") + ")"
                         : "";
      diags.report(DiagKind::CompatRule, value->range,
                   "leg " + legString(m, rowOf(m, hit.first)) +
                       " breaks model rule '" + r.id + "': " + r.why + more);
      diags.note(r.loc, "rule '" + r.id + "' is defined here");
    }
  }
}

/// An attribute subset was checked against the value's base list when it
/// was read; an override can narrow the list on some legs (CUDA archs on
/// aarch64), so each leg is checked against the list that holds on it.
void MatrixBuilder::checkSubsets() {
  bool any = llvm::any_of(m.axes, [](const MatrixAxis &a) {
    return llvm::any_of(
        a.values, [](const LegValue &v) { return !v.attributes.empty(); });
  });
  if (!any)
    return;
  std::set<std::pair<const LegValue *, std::string>> reported;
  for (size_t leg = 0; leg < m.legCount(); ++leg) {
    llvm::ArrayRef<uint32_t> row = rowOf(m, leg);
    compat::LegView legView = view(row);
    for (size_t a = 0; a < m.axes.size(); ++a) {
      const LegValue &v = m.value(leg, a);
      for (const auto &[name, subset] : v.attributes) {
        const compat::Override *narrowing = nullptr;
        for (const Entry *e : {v.ref.entry, v.ref.componentVersion})
          if (e)
            for (const compat::Override &o : e->overrides)
              if (o.properties.count(name) && o.compiledWhen &&
                  compat::evaluate(*o.compiledWhen, legView))
                narrowing = &o; // The last that holds wins, as in derived.
        if (!narrowing)
          continue;
        const compat::Property &prop = narrowing->properties.at(name);
        for (const std::string &item : subset.items) {
          if (listedIn(prop, item) || !reported.insert({&v, item}).second)
            continue;
          diags.report(DiagKind::AttributeUnsupported, subset.range,
                       "leg " + legString(m, row) + " cannot have " + name +
                           " '" + item + "' for '" + v.ref.str() +
                           "'; on this leg the model lists " +
                           llvm::join(prop.items, ", "));
          diags.note(narrowing->loc, "'" + name + "' of " + v.ref.str() +
                                         " is narrowed on such legs here");
        }
      }
    }
  }
}

void MatrixBuilder::checkWindows() {
  for (const compat::Rule &r : model.rules) {
    if (r.kind != compat::Rule::Kind::Window || !r.compiledWindow)
      continue;
    int a = matrixAxisOf[r.compiledWindow->axis];
    if (a < 0)
      continue;
    const ValueRef &pattern = r.compiledWindow->values[0];
    std::map<uint64_t, std::vector<const LegValue *>> groups;
    for (const LegValue &v : m.axes[a].values)
      if (v.ref.matchedBy(pattern) && !v.experimental && v.ref.version() &&
          !llvm::is_contained(groups[v.ref.version()->major()], &v))
        groups[v.ref.version()->major()].push_back(&v);
    for (const auto &[major, values] : groups) {
      if (values.size() <= r.max)
        continue;
      diags.report(DiagKind::SupportWindow, values[r.max]->range,
                   "'" + values[r.max]->ref.str() + "' is the " +
                       ordinal(r.max + 1) + " supported " + pattern.str() +
                       " " + std::to_string(major) + ".x; model rule '" + r.id +
                       "' allows " + std::to_string(r.max) + ": " + r.why);
      diags.note(r.maxLoc, "the limit is set here");
    }
  }
}

void MatrixBuilder::checkLifecycle() {
  const Milestone *release = plan.milestone("release");
  const Milestone *cut = plan.milestone("branch_cut");
  // The release channel is the narrowest; without channels, every leg ships.
  uint32_t releaseBit =
      plan.channels.empty() ? ~0u : 1u << (plan.channels.size() - 1);
  for (size_t a = 0; a < m.axes.size(); ++a) {
    const MatrixAxis &axis = m.axes[a];
    std::vector<bool> inRelease(axis.values.size(), false),
        used(axis.values.size(), false);
    std::vector<uint32_t> shippedIn(axis.values.size(), 0);
    for (size_t leg = 0; leg < m.legCount(); ++leg) {
      uint32_t idx = m.legValues[leg * m.axes.size() + a];
      used[idx] = true;
      shippedIn[idx] |= m.legChannels[leg];
      if (m.legChannels[leg] & releaseBit)
        inRelease[idx] = true;
    }
    for (size_t i = 0; i < axis.values.size(); ++i) {
      const LegValue &v = axis.values[i];
      if (!used[i])
        continue;
      for (const Entry *e : {v.ref.entry, v.ref.componentVersion}) {
        if (!e)
          continue;
        // The end-of-life day itself is still supported (CPython's last
        // release comes out on it). A value kept out of the narrowest
        // channel ships earlier: release candidates (the channels between)
        // from the branch cut, nightlies (the widest alone) all along the
        // cycle, so for those the model's date is no reason to refuse it.
        const Milestone *ships = release;
        std::string how = "this release ships";
        if (!inRelease[i] && plan.channels.size() > 1) {
          bool between = shippedIn[i] & ~1u & ~releaseBit;
          ships = between ? cut : nullptr;
          how = "its release candidates ship from the branch cut";
        }
        if (ships && e->endOfLife && *e->endOfLife < ships->date) {
          diags.report(DiagKind::EndOfLife, v.range,
                       "'" + v.ref.str() + "' reaches end of life on " +
                           e->endOfLife->str() + ", before " + how + " on " +
                           ships->date.str());
          diags.note(e->endOfLifeLoc, "end of life per the model");
        }
        // The note points at what makes it a prerelease: its status, its
        // version (`3.14.0rc1`), or a first release after this one's date.
        std::optional<llvm::SMLoc> why;
        if (e->isPrerelease())
          why = e->statusLoc;
        else if (e->version && e->version->isPrerelease())
          why = e->loc;
        else if (release && e->released && release->date < *e->released)
          why = e->releasedLoc;
        if (why && inRelease[i] && !v.experimental) {
          diags.report(DiagKind::PrereleaseNotExperimental, v.range,
                       "'" + v.ref.str() +
                           "' is a prerelease when this release ships; mark "
                           "it 'experimental' or keep it out of the '" +
                           (plan.channels.empty() ? std::string("release")
                                                  : plan.channels.back()) +
                           "' channel");
          diags.note(why->isValid() ? *why : e->loc, "per the model");
        }
      }
    }
    // A version supported at the branch cut and newer than the oldest one
    // the matrix builds is most likely forgotten (older ones are dropped
    // on purpose).
    const Axis &ma = model.axes[axis.modelAxis];
    if (ma.kind != Axis::Kind::Version || !cut || !release)
      continue;
    const Version *lowest = nullptr;
    for (size_t i = 0; i < axis.values.size(); ++i)
      if (used[i] && (!lowest || *axis.values[i].ref.version() < *lowest))
        lowest = axis.values[i].ref.version();
    for (const Entry &e : ma.values) {
      if (!lowest || *e.version <= *lowest || !e.released ||
          cut->date < *e.released ||
          (e.endOfLife && *e.endOfLife < release->date))
        continue;
      bool present = false;
      for (size_t i = 0; i < axis.values.size(); ++i)
        present |= used[i] && axis.values[i].ref.entry == &e;
      if (present)
        continue;
      diags.report(DiagKind::MissingSupportedVersion, axis.range,
                   "axis '" + axis.name + "' leaves out " + e.label() +
                       ", released " + e.released->str() +
                       " before the branch cut and supported until " +
                       (e.endOfLife ? e.endOfLife->str() : "further notice"));
      diags.note(e.loc, "the model's entry for " + e.label());
    }
  }
}

void MatrixBuilder::checkChannels() {
  if (plan.channels.size() < 2)
    return;
  // Exceptions: `allow AXIS VALUE in CHANNEL`.
  struct Allow {
    int axis;
    ValueRef value;
    int channel;
  };
  std::vector<Allow> allows;
  if (chItem)
    for (const ast::ChannelException &ex : chItem->exceptions) {
      int mi = model.axisIndex(ex.axis.text);
      int ch = plan.channelIndex(ex.channel.text);
      if (mi < 0 || ch < 0 || matrixAxisOf[mi] < 0)
        continue; // Reported by checkChannelExceptions.
      if (auto r = compat::resolveValue(diags, model, model.axes[mi], ex.value,
                                        compat::ValueUse::Pattern))
        allows.push_back({matrixAxisOf[mi], *r, ch});
    }
  std::set<const LegValue *> reported;
  for (size_t leg = 0; leg < m.legCount(); ++leg) {
    uint32_t ch = m.legChannels[leg];
    for (size_t narrow = 1; narrow < plan.channels.size(); ++narrow) {
      if (!(ch >> narrow & 1))
        continue;
      for (size_t wide = 0; wide < narrow; ++wide) {
        if (ch >> wide & 1)
          continue;
        bool allowed = llvm::any_of(allows, [&](const Allow &al) {
          return al.channel == int(narrow) &&
                 m.value(leg, al.axis).ref.matchedBy(al.value);
        });
        if (allowed)
          continue;
        // Blame the value whose channels leave out the wider channel.
        size_t culpritAxis = 0;
        for (size_t a = 0; a < m.axes.size(); ++a)
          if (!(m.value(leg, a).channels >> wide & 1))
            culpritAxis = a;
        const LegValue *culprit = &m.value(leg, culpritAxis);
        if (!reported.insert(culprit).second)
          continue;
        diags.report(DiagKind::ChannelSubset, culprit->range,
                     "leg " + legString(m, rowOf(m, leg)) + " is built for '" +
                         plan.channels[narrow] + "' but not for the wider '" +
                         plan.channels[wide] + "'; channels are " +
                         llvm::join(plan.channels, " > "));
        diags.note(chItem ? chItem->range.Start : m.range.Start,
                   "declare 'allow " + m.axes[culpritAxis].name + " " +
                       culprit->ref.str() + " in " + plan.channels[narrow] +
                       " \"why\";' in the channels if this is meant");
      }
    }
  }
}

/// Channel exceptions name axes, values and channels that must exist.
static void checkChannelExceptions(DiagnosticEngine &diags, const Plan &plan) {
  for (const ast::Item &it : plan.projectFile->items) {
    if (it.kind != ast::Item::Kind::Channels)
      continue;
    for (const ast::ChannelException &ex : it.exceptions) {
      const Axis *axis = plan.model->axis(ex.axis.text);
      if (!axis)
        diags.report(DiagKind::UnknownAxis, ex.axis.range,
                     "unknown axis '" + ex.axis.text + "'" +
                         didYouMean(ex.axis.text, plan.model->axisNames()));
      else
        compat::resolveValue(diags, *plan.model, *axis, ex.value,
                             compat::ValueUse::Pattern);
      if (plan.channelIndex(ex.channel.text) < 0)
        diags.report(DiagKind::UnknownName, ex.channel.range,
                     "unknown channel '" + ex.channel.text + "'" +
                         didYouMean(ex.channel.text, plan.channels));
    }
  }
}

bool sema::expandMatrices(DiagnosticEngine &diags, Plan &plan,
                          const std::vector<const ast::Item *> &matrices,
                          const std::vector<const ast::Item *> &bases) {
  bool ok = true;
  checkChannelExceptions(diags, plan);
  // Found once: a project can have tens of thousands of items.
  const ast::Item *channels = nullptr;
  for (const ast::Item &it : plan.projectFile->items)
    if (it.kind == ast::Item::Kind::Channels)
      channels = &it;
  llvm::StringSet<> names;
  for (const ast::Item *it : matrices) {
    if (!names.insert(it->name.text).second) {
      diags.report(DiagKind::DuplicateDefinition, it->name.range,
                   "matrix '" + it->name.text + "' is defined twice");
      ok = false;
      continue;
    }
    const ast::Item *base = nullptr;
    if (it->base) {
      auto found = llvm::find_if(bases, [&](const ast::Item *b) {
        return b->name.text == it->base->text;
      });
      if (found == bases.end()) {
        std::vector<std::string> names;
        for (const ast::Item *b : bases)
          names.push_back(b->name.text);
        diags.report(DiagKind::UnknownName, it->base->range,
                     "the project defines no matrix '" + it->base->text + "'" +
                         didYouMean(it->base->text, names));
        ok = false;
        continue;
      }
      base = *found;
    }
    MatrixBuilder b(diags, plan, *it, base, channels);
    if (b.build()) {
      plan.matrixIndex[it->name.text] = plan.matrices.size();
      plan.matrices.push_back(b.take());
    } else {
      ok = false;
    }
  }
  return ok;
}

//===----------------------------------------------------- derived values ===//

DerivedValues::DerivedValues(const Model &model, const Matrix &m,
                             const Version &release,
                             const compat::ProjectVersions *projects)
    : m(m),
      byAxis(model.axes.size(), nullptr), view{byAxis, &release, -1, projects} {
  // The order of derivedValues as it was written leg by leg: the matrix's
  // pins, then per axis the value's entries (supports, properties,
  // overrides), its own pins and its attributes; the last set wins.
  for (const auto &[comp, v] : m.pins)
    if (const compat::Component *c = model.component(comp); c && !c->paired)
      set(pins, comp, v.str());
  for (const MatrixAxis &axis : m.axes) {
    std::vector<Program> &programs = values.emplace_back();
    for (const LegValue &v : axis.values) {
      Program &p = programs.emplace_back();
      for (const Entry *e : {v.ref.entry, v.ref.componentVersion}) {
        if (!e)
          continue;
        // A matrix-wide pin reaches the legs whose values pair with it; a
        // component with a single supported version needs no pin.
        for (const auto &[comp, list] : e->supports)
          if (auto pin = m.pins.find(comp); pin != m.pins.end())
            set(p, comp, pin->second.str());
          else if (list.size() == 1)
            set(p, comp, list[0].version.str());
        for (const auto &[key, prop] : e->properties)
          set(p, key, prop.str());
        for (const compat::Override &o : e->overrides)
          if (o.compiledWhen)
            for (const auto &[key, prop] : o.properties)
              set(p, key, prop.str(), o.compiledWhen.get());
      }
      for (const auto &[comp, ver] : v.pins)
        set(p, comp, ver.str());
      for (const auto &[name, subset] : v.attributes)
        set(p, name, llvm::join(subset.items, ";"));
    }
  }
  keyOrder.resize(keys.size());
  for (unsigned i = 0; i < keys.size(); ++i)
    keyOrder[i] = i;
  llvm::sort(keyOrder,
             [&](unsigned a, unsigned b) { return keys[a] < keys[b]; });
  slots.resize(keys.size());
}

void DerivedValues::set(Program &p, const std::string &key, std::string text,
                        const compat::Cond *when) {
  if (p.empty() || p.back().when != when)
    p.push_back({when, {}});
  auto [it, fresh] = keyIds.try_emplace(key, keys.size());
  if (fresh)
    keys.push_back(key);
  p.back().sets.push_back({it->second, unsigned(texts.size())});
  texts.push_back(std::move(text));
}

void DerivedValues::run(const Program &p) {
  for (const Step &s : p)
    if (!s.when || compat::evaluate(*s.when, view))
      for (auto [key, text] : s.sets)
        slots[key] = text;
}

llvm::ArrayRef<DerivedValues::KeyValue> DerivedValues::of(size_t leg) {
  std::fill(slots.begin(), slots.end(), -1);
  for (size_t a = 0; a < m.axes.size(); ++a)
    byAxis[m.axes[a].modelAxis] = &m.value(leg, a).ref;
  run(pins);
  for (size_t a = 0; a < m.axes.size(); ++a)
    run(values[a][m.legValues[leg * m.axes.size() + a]]);
  out.clear();
  for (unsigned k : keyOrder)
    if (slots[k] >= 0)
      out.push_back({keys[k], texts[slots[k]]});
  return out;
}

std::map<std::string, std::string>
sema::derivedValues(const Model &model, const Matrix &m, size_t leg,
                    const Version &release,
                    const compat::ProjectVersions *projects) {
  std::map<std::string, std::string> out;
  DerivedValues table(model, m, release, projects);
  for (auto [key, value] : table.of(leg))
    out[key.str()] = value.str();
  return out;
}

std::optional<llvm::StringRef> DerivedValues::property(size_t leg, size_t axis,
                                                       llvm::StringRef key) {
  auto id = keyIds.find(key);
  if (id == keyIds.end())
    return std::nullopt;
  std::fill(slots.begin(), slots.end(), -1);
  for (size_t a = 0; a < m.axes.size(); ++a)
    byAxis[m.axes[a].modelAxis] = &m.value(leg, a).ref;
  run(values[axis][m.legValues[leg * m.axes.size() + axis]]);
  int text = slots[id->second];
  if (text < 0)
    return std::nullopt;
  return llvm::StringRef(texts[text]);
}
