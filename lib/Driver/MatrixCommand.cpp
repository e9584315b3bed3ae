//===- MatrixCommand.cpp - relc matrix -----------------------------------===//
//
// Prints the legs of each checked plan's matrices (table, JSON, or Markdown)
// with each leg's derived values, or explains one leg. With several release
// files and --format=markdown it renders the release compatibility table,
// one row per release, so the table in a project's docs is generated from
// the plans and never written by hand. JSON is streamed: a million legs do
// not build a million-node document first.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/PlanLoader.h"

#include "Basic/JsonWriter.h"
#include "Basic/Suggest.h"
#include "Basic/Words.h"
#include "Sema/Sema.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

using namespace relc;
using namespace relc::sema;

namespace {

/// The legs of \p m built for channel \p channel (all when empty).
std::vector<size_t> selectLegs(const Plan &plan, const Matrix &m,
                               llvm::StringRef channel) {
  std::vector<size_t> legs;
  int c = channel.empty() ? -1 : plan.channelIndex(channel);
  for (size_t leg = 0; leg < m.legCount(); ++leg)
    if (c < 0 || (m.legChannels[leg] >> c & 1))
      legs.push_back(leg);
  return legs;
}

std::vector<std::string> channelsOf(const Plan &plan, uint32_t mask) {
  std::vector<std::string> out;
  for (size_t c = 0; c < plan.channels.size(); ++c)
    if (mask >> c & 1)
      out.push_back(plan.channels[c]);
  return out;
}

void printTable(const Plan &plan, const Matrix &m,
                const std::vector<size_t> &legs, llvm::raw_ostream &os) {
  // Columns: the axes, then every derived key any leg has.
  std::vector<std::vector<std::string>> rows;
  std::set<std::string> keys;
  std::vector<std::map<std::string, std::string>> derived;
  DerivedValues values(*plan.model, m, *plan.version);
  for (size_t leg : legs) {
    std::map<std::string, std::string> &d = derived.emplace_back();
    for (auto [key, value] : values.of(leg)) {
      d.emplace(key, value);
      keys.insert(key.str());
    }
  }
  std::vector<std::string> header;
  for (const MatrixAxis &a : m.axes)
    header.push_back(a.name);
  if (!plan.channels.empty())
    header.push_back("channels");
  header.insert(header.end(), keys.begin(), keys.end());
  rows.push_back(header);
  for (size_t i = 0; i < legs.size(); ++i) {
    std::vector<std::string> row;
    for (size_t a = 0; a < m.axes.size(); ++a) {
      const LegValue &v = m.value(legs[i], a);
      row.push_back(v.ref.str() + (v.experimental ? "*" : ""));
    }
    if (!plan.channels.empty())
      row.push_back(llvm::join(channelsOf(plan, m.legChannels[legs[i]]), ","));
    for (const std::string &k : keys) {
      auto it = derived[i].find(k);
      row.push_back(it == derived[i].end() ? "-" : it->second);
    }
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(header.size(), 0);
  for (const auto &r : rows)
    for (size_t c = 0; c < r.size(); ++c)
      width[c] = std::max(width[c], r[c].size());
  os << "# " << plan.project << " " << plan.version->str() << ", matrix "
     << m.name << ": " << countOf(legs.size(), "leg")
     << (llvm::any_of(legs, [&](size_t l) { return m.experimental(l); })
             ? " (* experimental)"
             : "")
     << "\n";
  for (const auto &r : rows) {
    for (size_t c = 0; c < r.size(); ++c) {
      os << r[c];
      if (c + 1 < r.size())
        os.indent(width[c] - r[c].size() + 2);
    }
    os << "\n";
  }
}

/// The matrices of \p plan that `--matrix` selects (all, without it).
std::vector<const Matrix *> selected(const Plan &plan,
                                     const std::string &name) {
  std::vector<const Matrix *> out;
  for (const Matrix &m : plan.matrices)
    if (name.empty() || m.name == name)
      out.push_back(&m);
  return out;
}

void printJson(const Plan &plan, const std::vector<const Matrix *> &matrices,
               const std::string &channel, JsonWriter &j) {
  j.object([&] {
    j.attribute("project", plan.project);
    j.attribute("release", plan.version->str());
    if (!channel.empty())
      j.attribute("channel", channel);
    j.attributeArray("matrices", [&] {
      for (const Matrix *mp : matrices) {
        const Matrix &m = *mp;
        std::vector<size_t> legs = selectLegs(plan, m, channel);
        DerivedValues derived(*plan.model, m, *plan.version);
        // Each value's text once, not once per leg.
        std::vector<std::vector<std::string>> labels;
        for (const MatrixAxis &a : m.axes) {
          labels.emplace_back();
          for (const LegValue &v : a.values)
            labels.back().push_back(v.ref.str());
        }
        j.object([&] {
          j.attribute("name", m.name);
          j.attributeArray("axes", [&] {
            for (const MatrixAxis &a : m.axes)
              j.value(a.name);
          });
          j.attribute("legCount", int64_t(legs.size()));
          j.attributeArray("legs", [&] {
            for (size_t leg : legs)
              j.object([&] {
                j.attributeObject("values", [&] {
                  for (size_t a = 0; a < m.axes.size(); ++a)
                    j.attribute(
                        m.axes[a].name,
                        labels[a][m.legValues[leg * m.axes.size() + a]]);
                });
                j.attribute("experimental", m.experimental(leg));
                if (!plan.channels.empty())
                  j.attributeArray("channels", [&] {
                    for (size_t c = 0; c < plan.channels.size(); ++c)
                      if (m.legChannels[leg] >> c & 1)
                        j.value(plan.channels[c]);
                  });
                j.attributeObject("derived", [&] {
                  for (auto [k, v] : derived.of(leg))
                    j.attribute(k, v);
                });
              });
          });
        });
      }
    });
  });
}

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
    if ((!entry.empty() && v.ref.entry->name != entry) ||
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

/// Renders the release compatibility table of \p plans: the values each
/// release ships in its narrowest channel. Columns: each version axis (a
/// range with the experimental values), each unpaired component a matrix
/// pins (the C++ standard), then for each value that has versions
/// (`cuda`) its stable and its experimental versions with pins. A column
/// empty in every row is left out.
void printCompatTable(const std::vector<std::unique_ptr<Plan>> &plans,
                      const std::string &matrixName, llvm::raw_ostream &os) {
  struct Column {
    std::string title, axis, entry, component;
    int experimental;
  };
  std::vector<Column> versionColumns, pinColumns, entryColumns;
  std::set<std::string> seen;
  for (const auto &plan : plans)
    for (const Matrix *mp : selected(*plan, matrixName)) {
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
    if (!selected(*p, matrixName).empty())
      sorted.push_back(p.get());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto *a, auto *b) { return *a->version > *b->version; });
  // Cells first, so that columns no release fills can be dropped.
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> used(columns.size());
  for (const Plan *plan : sorted) {
    // A release's first matrix is the one it ships (wheels).
    const Matrix &m = *selected(*plan, matrixName)[0];
    std::string channel = plan->channels.empty() ? "" : plan->channels.back();
    std::vector<size_t> legs = selectLegs(*plan, m, channel);
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

} // namespace

int relc::runMatrix(const MatrixOptions &opts, llvm::raw_ostream &out,
                    llvm::raw_ostream &err) {
  Session session(err, opts.errorLimit);
  DiagnosticEngine &diags = session.diags;
  PlanLoader &loader = session.loader;
  std::vector<std::unique_ptr<Plan>> plans;
  for (const std::string &path : opts.files) {
    std::unique_ptr<Plan> plan = loadRelease(loader, diags, path, "matrix");
    if (!plan)
      continue;
    if (!opts.channel.empty() && plan->channelIndex(opts.channel) < 0) {
      diags.report(DiagKind::UnknownName, llvm::SMRange(),
                   "plan " + path + " has no channel '" + opts.channel + "'" +
                       didYouMean(opts.channel, plan->channels));
      continue;
    }
    if (!opts.matrix.empty() && selected(*plan, opts.matrix).empty()) {
      std::vector<std::string> names;
      for (const Matrix &m : plan->matrices)
        names.push_back(m.name);
      diags.report(DiagKind::UnknownName, llvm::SMRange(),
                   "plan " + path + " has no matrix '" + opts.matrix + "'" +
                       didYouMean(opts.matrix, names));
      continue;
    }
    plans.push_back(std::move(plan));
  }
  diags.flush();
  if (diags.hasErrors())
    return diags.exitCode();

  if (!opts.explain.empty()) {
    // Without --matrix, the leg is explained in every matrix with as many
    // axes as it has values; if there is none, the first says what it takes.
    llvm::SmallVector<llvm::StringRef, 8> parts;
    llvm::StringRef(opts.explain).split(parts, ',', -1, /*KeepEmpty=*/false);
    for (const auto &plan : plans) {
      std::vector<const Matrix *> matrices = selected(*plan, opts.matrix);
      if (opts.matrix.empty() && matrices.size() > 1)
        llvm::erase_if(matrices, [&](const Matrix *m) {
          return m->axes.size() != parts.size();
        });
      if (matrices.empty() && !plan->matrices.empty())
        matrices.push_back(&plan->matrices[0]);
      for (const Matrix *m : matrices)
        if (!explainLeg(diags, *plan, *m, opts.explain, out))
          return diags.exitCode();
    }
    return 0;
  }
  switch (opts.format) {
  case MatrixOptions::Format::Table:
    for (const auto &plan : plans)
      for (const Matrix *m : selected(*plan, opts.matrix))
        printTable(*plan, *m, selectLegs(*plan, *m, opts.channel), out);
    break;
  case MatrixOptions::Format::Json: {
    JsonWriter j(out, 2);
    auto print = [&](const Plan &plan) {
      printJson(plan, selected(plan, opts.matrix), opts.channel, j);
    };
    if (plans.size() == 1)
      print(*plans[0]);
    else
      j.array([&] {
        for (const auto &plan : plans)
          print(*plan);
      });
    out << "\n";
    break;
  }
  case MatrixOptions::Format::Markdown:
    printCompatTable(plans, opts.matrix, out);
    break;
  }
  return 0;
}
