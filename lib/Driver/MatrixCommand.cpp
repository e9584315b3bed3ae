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
#include "Driver/Compilation.h"

#include "Basic/JsonWriter.h"
#include "Basic/Suggest.h"
#include "Basic/Words.h"
#include "Report/Report.h"
#include "Sema/Sema.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

using namespace relc;
using namespace relc::sema;

namespace {

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
        std::vector<size_t> legs = report::selectLegs(plan, m, channel);
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

} // namespace

int relc::runMatrix(const MatrixOptions &opts, const DriverEnv &env) {
  Compilation comp(env, opts.diagnostics);
  DiagnosticEngine &diags = comp.getDiags();
  llvm::raw_ostream &out = env.out;
  std::vector<std::unique_ptr<Plan>> plans;
  for (const std::string &path : opts.files) {
    diags.setSubject(path);
    std::unique_ptr<Plan> plan = comp.loadRelease(path, "matrix");
    if (!plan)
      continue;
    if (!opts.channel.empty() && plan->channelIndex(opts.channel) < 0) {
      diags.report(DiagKind::UnknownName, llvm::SMRange(),
                   "plan " + path + " has no channel '" + opts.channel + "'" +
                       didYouMean(opts.channel, plan->channels));
      continue;
    }
    if (!opts.matrix.empty() &&
        report::selectMatrices(*plan, opts.matrix).empty()) {
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
      std::vector<const Matrix *> matrices =
          report::selectMatrices(*plan, opts.matrix);
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
      for (const Matrix *m : report::selectMatrices(*plan, opts.matrix))
        printTable(*plan, *m, report::selectLegs(*plan, *m, opts.channel), out);
    break;
  case MatrixOptions::Format::Json: {
    JsonWriter j(out, 2);
    auto print = [&](const Plan &plan) {
      printJson(plan, report::selectMatrices(plan, opts.matrix), opts.channel,
                j);
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
    report::printCompatTable(plans, opts.matrix, out);
    break;
  }
  return 0;
}
