//===- CompatTable.cpp - The release compatibility table -----------------===//
//
// One row per release, newest first, in the shape of PyTorch's RELEASE.md:
// the Python range, the C++ standard, stable and experimental CUDA with the
// cuDNN each pins, ROCm. The cells are computed from the legs each release
// builds for its narrowest channel, so the table cannot disagree with the
// plans.
//
//===----------------------------------------------------------------------===//
#include "Report/Report.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <set>

using namespace relc;
using namespace relc::sema;
using namespace relc::report;

/// The legs of \p m built for channel \p channel (all when empty).
const sema::Plan *report::minorIn(const sema::Plan &plan,
                                  llvm::ArrayRef<const sema::Plan *> plans) {
  if (!plan.base)
    return nullptr;
  for (const sema::Plan *p : plans)
    if (p->project == plan.project && p->version &&
        *p->version == plan.base->minor)
      return p;
  return nullptr;
}

std::vector<size_t> report::selectLegs(const Plan &plan, const Matrix &m,
                                       llvm::StringRef channel,
                                       const LegFilter &keep) {
  std::vector<size_t> legs;
  int c = channel.empty() ? -1 : plan.channelIndex(channel);
  for (size_t leg = 0; leg < m.legCount(); ++leg)
    if ((c < 0 || (m.legChannels[leg] >> c & 1)) &&
        (!keep || keep(plan, m, leg)))
      legs.push_back(leg);
  return legs;
}

std::vector<const Matrix *> report::selectMatrices(const Plan &plan,
                                                   llvm::StringRef name) {
  std::vector<const Matrix *> out;
  for (const Matrix &m : plan.matrices)
    if (name.empty() || m.name == name)
      out.push_back(&m);
  return out;
}

namespace {

/// One cell of the compatibility table for a version axis:
/// `>=3.8, <=3.12 (3.13t experimental)`.
std::string versionCell(const std::vector<const LegValue *> &values) {
  const LegValue *lo = nullptr, *hi = nullptr;
  std::vector<std::string> experimental;
  for (const LegValue *v : values) {
    if (v->experimental) {
      experimental.push_back(v->ref.str());
      continue;
    }
    if (!lo || *v->ref.version() < *lo->ref.version())
      lo = v;
    if (!hi || *v->ref.version() > *hi->ref.version())
      hi = v;
  }
  std::string s;
  if (lo)
    s = ">=" + lo->ref.str() + ", <=" + hi->ref.str();
  if (!experimental.empty())
    s += (s.empty() ? "(" : " (") + llvm::join(experimental, ", ") +
         " experimental)";
  return s.empty() ? "--" : s;
}

/// `CUDA 11.8 (CUDNN 9.1.0.70)`: a versioned value with its pins.
std::string pinnedValue(const Matrix &m, const LegValue &v) {
  const compat::Entry &e = *v.ref.entry;
  std::string s =
      (e.title.empty() ? llvm::StringRef(e.name).upper() : e.title) + " " +
      v.ref.componentVersion->version->str();
  std::map<std::string, Version> pins = m.pins;
  for (const auto &[comp, ver] : v.pins)
    pins[comp] = ver;
  for (const auto &[comp, ver] : pins) {
    // Only pins the value uses (cuDNN for CUDA, not for ROCm).
    bool uses =
        e.supports.count(comp) || v.ref.componentVersion->supports.count(comp);
    if (uses)
      s += " (" + llvm::StringRef(comp).upper() + " " + ver.str() + ")";
  }
  return s;
}

/// The distinct values of axis \p axisName in \p legs, ascending; only those
/// of the named entry (`cuda`) and experimental or not, when asked.
std::vector<const LegValue *>
valuesOf(const Matrix &m, const std::vector<size_t> &legs,
         llvm::StringRef axisName, llvm::StringRef entry, int experimental) {
  std::vector<const LegValue *> out;
  size_t a = 0;
  while (a < m.axes.size() && m.axes[a].name != axisName)
    ++a;
  if (a == m.axes.size())
    return out;
  for (size_t leg : legs) {
    const LegValue &v = m.value(leg, a);
    if (v.unlisted || (!entry.empty() && v.ref.entry->name != entry) ||
        (experimental >= 0 && v.experimental != bool(experimental)))
      continue;
    if (!llvm::any_of(out, [&](const LegValue *o) { return o->ref == v.ref; }))
      out.push_back(&v);
  }
  std::sort(out.begin(), out.end(), [](auto *x, auto *y) {
    const Version *vx = x->ref.version(), *vy = y->ref.version();
    if (vx && vy && *vx != *vy)
      return *vx < *vy;
    return x->ref.str() < y->ref.str();
  });
  return out;
}

/// The cell of a matrix-wide pin: the component version's title (`C++17`),
/// or the component's title and the version.
std::string pinCell(const Plan &plan, const Matrix &m,
                    const std::string &component) {
  auto pin = m.pins.find(component);
  if (pin == m.pins.end())
    return "--";
  const compat::Component *c = plan.model->component(component);
  const compat::Entry *e = c ? c->find(pin->second) : nullptr;
  if (e && !e->title.empty())
    return e->title;
  return (c && !c->title.empty() ? c->title : component) + " " +
         pin->second.str();
}

} // namespace

/// Renders the compatibility table of \p plans, releases of one project:
/// the values each release ships in its narrowest channel. Columns: each
/// version axis (a range with the experimental values), each unpaired component
/// a matrix pins (the C++ standard), then for each value that has versions
/// (`cuda`) its stable and its experimental versions with pins. A column
/// empty in every row is left out.
static void printProjectTable(llvm::ArrayRef<const Plan *> plans,
                              llvm::StringRef matrixName, llvm::raw_ostream &os,
                              const LegFilter &keep) {
  struct Column {
    std::string title, axis, entry, component;
    int experimental;
  };
  std::vector<Column> versionColumns, pinColumns, entryColumns;
  std::set<std::string> seen;
  for (const auto &plan : plans)
    for (const Matrix *mp : selectMatrices(*plan, matrixName)) {
      const Matrix &m = *mp;
      for (const auto &[comp, version] : m.pins) {
        // Paired pins (cuDNN) show beside the value they pair with.
        const compat::Component *c = plan->model->component(comp);
        if (c && !c->paired && seen.insert("pin/" + comp).second)
          pinColumns.push_back(
              {c && !c->title.empty() ? c->title : comp, "", "", comp, -1});
      }
      for (const MatrixAxis &axis : m.axes) {
        const compat::Axis &ma = plan->model->axes[axis.modelAxis];
        if (ma.kind == compat::Axis::Kind::Version) {
          if (seen.insert(axis.name).second)
            versionColumns.push_back({ma.title.empty() ? axis.name : ma.title,
                                      axis.name, "", "", -1});
          continue;
        }
        for (const compat::Entry &e : ma.values) {
          if (e.versionsFrom.empty() ||
              !seen.insert(axis.name + "/" + e.name).second)
            continue;
          std::string name =
              e.title.empty() ? llvm::StringRef(e.name).upper() : e.title;
          entryColumns.push_back({"Stable " + name, axis.name, e.name, "", 0});
          entryColumns.push_back(
              {"Experimental " + name, axis.name, e.name, "", 1});
        }
      }
    }
  std::vector<Column> columns = std::move(versionColumns);
  llvm::append_range(columns, pinColumns);
  llvm::append_range(columns, entryColumns);

  std::vector<const Plan *> sorted;
  for (const auto &p : plans)
    if (!selectMatrices(*p, matrixName).empty() && !minorIn(*p, plans))
      sorted.push_back(p);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto *a, auto *b) { return *a->version > *b->version; });
  // One row per minor: patches given without their minor, the latest.
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](auto *a, auto *b) {
                             return a->project == b->project &&
                                    a->version->major() ==
                                        b->version->major() &&
                                    a->version->minor() == b->version->minor();
                           }),
               sorted.end());
  // Cells first, so that columns no release fills can be dropped.
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> used(columns.size());
  for (const Plan *plan : sorted) {
    // A release's first matrix is the one it ships (wheels).
    const Matrix &m = *selectMatrices(*plan, matrixName)[0];
    // The legs of its narrowest channel, and those of values the plan says
    // the table lists although that channel does not ship them.
    int narrowest = int(plan->channels.size()) - 1;
    std::vector<size_t> legs = selectLegs(
        *plan, m, "", [&](const Plan &p, const Matrix &mx, size_t leg) {
          bool listed = narrowest < 0 || (mx.legChannels[leg] >> narrowest & 1);
          for (size_t a = 0; a < mx.axes.size() && !listed; ++a)
            listed = mx.value(leg, a).listed;
          return listed && (!keep || keep(p, mx, leg));
        });
    std::vector<std::string> &row = rows.emplace_back();
    row.push_back(std::to_string(plan->version->major()) + "." +
                  std::to_string(plan->version->minor()));
    for (const Column &c : columns) {
      if (!c.component.empty()) {
        row.push_back(pinCell(*plan, m, c.component));
      } else {
        std::vector<const LegValue *> values =
            valuesOf(m, legs, c.axis, c.entry, c.experimental);
        std::vector<std::string> cells;
        if (!c.entry.empty())
          for (const LegValue *v : values)
            cells.push_back(pinnedValue(m, *v));
        row.push_back(c.entry.empty() ? versionCell(values)
                      : cells.empty() ? std::string("--")
                                      : llvm::join(cells, ", "));
      }
      used[row.size() - 2] = used[row.size() - 2] || row.back() != "--";
    }
  }
  auto printRow = [&](llvm::StringRef first, auto cell) {
    os << "| " << first;
    for (size_t i = 0; i < columns.size(); ++i)
      if (used[i])
        os << " | " << cell(i);
    os << " |\n";
  };
  printRow(plans.empty() ? "Release" : plans[0]->project,
           [&](size_t i) { return columns[i].title; });
  printRow("---", [](size_t) { return "---"; });
  for (const auto &row : rows)
    printRow(row[0], [&](size_t i) { return row[i + 1]; });
}

void report::printCompatTable(Plans plans, llvm::StringRef matrixName,
                              llvm::raw_ostream &os, const LegFilter &keep) {
  // One table per project, in the order the projects first appear: each has
  // its own model, so its own columns, and its name heads its table.
  std::vector<std::vector<const Plan *>> projects;
  for (const auto &plan : plans) {
    auto same = llvm::find_if(projects, [&](const auto &group) {
      return group[0]->project == plan->project;
    });
    if (same == projects.end())
      projects.push_back({plan.get()});
    else
      same->push_back(plan.get());
  }
  if (projects.empty())
    return printProjectTable({}, matrixName, os, keep);
  for (size_t i = 0; i < projects.size(); ++i) {
    if (i)
      os << "\n";
    printProjectTable(projects[i], matrixName, os, keep);
  }
}
