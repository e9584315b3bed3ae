//===- MatrixCommand.cpp - relc matrix -----------------------------------===//
//
// Prints the legs of each checked plan's matrices (table, JSON, or Markdown)
// with each leg's derived values, or explains one leg. With several release
// files and --format=markdown it renders the release compatibility table,
// one row per release, so the table in a project's docs is generated from
// the plans and never written by hand. JSON is streamed: a million legs do
// not build a million-node document first. --format=include prints the
// fields a plan declares per leg as GitHub's `{"include": [...]}`, the shape
// an incumbent's matrix generator prints, so a workflow can take relc's.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"

#include "Basic/JsonWriter.h"
#include "Basic/Suggest.h"
#include "Basic/Words.h"
#include "Report/Report.h"
#include "Sema/Sema.h"
#include "Syntax/Parser.h"

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

/// `--where`: the condition compiled for each matrix it filters.
class WhereFilter {
public:
  /// Compiles \p text for every matrix of \p plans named by \p matrix;
  /// false after reporting.
  bool compile(Compilation &comp, llvm::StringRef text,
               const std::vector<std::unique_ptr<Plan>> &plans,
               llvm::StringRef matrix) {
    if (text.empty())
      return true;
    DiagnosticEngine &diags = comp.getDiags();
    llvm::SourceMgr &sm = diags.getSourceMgr();
    unsigned id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, "--where"), llvm::SMLoc());
    cond = parseCondition(diags, sm.getMemoryBuffer(id)->getBuffer());
    if (!cond)
      return false;
    bool ok = true;
    for (const auto &plan : plans)
      for (const Matrix *m : report::selectMatrices(*plan, matrix)) {
        std::vector<std::string> names;
        for (const MatrixAxis &a : m->axes)
          names.push_back(a.name);
        const compat::Model &model = *plan->model;
        compat::CondScope scope{[&](llvm::StringRef n) {
                                  int i = model.axisIndex(n);
                                  return llvm::any_of(
                                             m->axes,
                                             [&](const MatrixAxis &a) {
                                               return int(a.modelAxis) == i;
                                             })
                                             ? i
                                             : -1;
                                },
                                names, "--where"};
        compat::CondPtr c =
            compat::compileCondition(diags, model, *cond, scope);
        ok &= c != nullptr;
        compiled[m] = std::move(c);
      }
    filter = [this](const Plan &plan, const Matrix &m, size_t leg) {
      const compat::Cond *c = compiled.at(&m).get();
      std::vector<const ValueRef *> byAxis(plan.model->axes.size(), nullptr);
      for (size_t a = 0; a < m.axes.size(); ++a)
        byAxis[m.axes[a].modelAxis] = &m.value(leg, a).ref;
      return compat::evaluate(*c, {byAxis, &*plan.version});
    };
    return ok;
  }
  const report::LegFilter &get() const { return filter; }

private:
  ast::ConditionPtr cond;
  std::map<const Matrix *, compat::CondPtr> compiled;
  report::LegFilter filter;
};

void printTable(const Plan &plan, const Matrix &m,
                const std::vector<size_t> &legs, llvm::raw_ostream &os) {
  // Columns: the axes, then every derived key any leg has.
  std::vector<std::vector<std::string>> rows;
  std::set<std::string> keys;
  std::vector<std::map<std::string, std::string>> derived;
  DerivedValues values(*plan.model, m, *plan.version, &plan.projectVersions);
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
               const std::string &channel, const report::LegFilter &keep,
               JsonWriter &j) {
  j.object([&] {
    j.attribute("project", plan.project);
    j.attribute("release", plan.version->str());
    if (!channel.empty())
      j.attribute("channel", channel);
    j.attributeArray("matrices", [&] {
      for (const Matrix *mp : matrices) {
        const Matrix &m = *mp;
        std::vector<size_t> legs = report::selectLegs(plan, m, channel, keep);
        DerivedValues derived(*plan.model, m, *plan.version,
                              &plan.projectVersions);
        std::optional<FieldValues> fields;
        std::vector<std::string> fieldText;
        if (!m.fields.empty())
          fields.emplace(plan, m);
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
                // Fields that depend on the channel only with --channel.
                if (fields &&
                    fields->render(leg, plan.channelIndex(channel), fieldText))
                  j.attributeObject("fields", [&] {
                    for (size_t f = 0; f < m.fields.size(); ++f)
                      if (m.fields[f].shown() &&
                          (!channel.empty() || !m.fields[f].usesChannel))
                        j.attribute(m.fields[f].name, fieldText[f]);
                  });
              });
          });
        });
      }
    });
  });
}

/// `{"include": [...]}`: each selected leg's fields, in declaration order.
void printInclude(const std::vector<std::unique_ptr<Plan>> &plans,
                  const MatrixOptions &opts, const report::LegFilter &keep,
                  llvm::raw_ostream &os) {
  JsonWriter j(os, 2);
  std::vector<std::string> text;
  j.object([&] {
    j.attributeArray("include", [&] {
      for (const auto &plan : plans)
        for (const Matrix *m : report::selectMatrices(*plan, opts.matrix)) {
          FieldValues fields(*plan, *m);
          int channel = plan->channelIndex(opts.channel);
          for (size_t leg : report::selectLegs(*plan, *m, opts.channel, keep)) {
            fields.render(leg, channel, text);
            j.object([&] {
              for (size_t f = 0; f < m->fields.size(); ++f)
                if (m->fields[f].shown())
                  j.attribute(m->fields[f].name, text[f]);
            });
          }
        }
    });
  });
  os << "\n";
}

/// --format=include needs fields, and a channel where they depend on it.
bool checkIncludable(DiagnosticEngine &diags,
                     const std::vector<std::unique_ptr<Plan>> &plans,
                     const MatrixOptions &opts) {
  bool ok = true;
  for (const auto &plan : plans)
    for (const Matrix *m : report::selectMatrices(*plan, opts.matrix)) {
      if (m->fields.empty()) {
        diags.report(DiagKind::UnknownName, m->range.Start,
                     "matrix '" + m->name +
                         "' declares no fields, and --format=include prints "
                         "fields; declare them ('NAME = \"...\";') or choose "
                         "it out with --matrix");
        ok = false;
      }
      for (const LegField &f : m->fields)
        if (f.usesChannel && opts.channel.empty()) {
          diags.report(DiagKind::UnknownName, f.variants[0].range,
                       "field '" + f.name +
                           "' depends on the channel; choose one with "
                           "--channel");
          ok = false;
          break;
        }
    }
  return ok;
}

} // namespace

static int matrix(Compilation &comp, std::vector<std::unique_ptr<Plan>> &plans,
                  const MatrixOptions &opts, const DriverEnv &env) {
  DiagnosticEngine &diags = comp.getDiags();
  llvm::raw_ostream &out = env.out;
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
  WhereFilter where;
  if (!diags.hasErrors() &&
      where.compile(comp, opts.where, plans, opts.matrix) &&
      opts.format == MatrixOptions::Format::Include)
    checkIncludable(diags, plans, opts);
  diags.flush();
  if (diags.hasErrors())
    return diags.exitCode();
  const report::LegFilter &keep = where.get();

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
        printTable(*plan, *m, report::selectLegs(*plan, *m, opts.channel, keep),
                   out);
    break;
  case MatrixOptions::Format::Json: {
    JsonWriter j(out, 2);
    auto print = [&](const Plan &plan) {
      printJson(plan, report::selectMatrices(plan, opts.matrix), opts.channel,
                keep, j);
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
    report::printCompatTable(plans, opts.matrix, out, keep);
    break;
  case MatrixOptions::Format::Include:
    printInclude(plans, opts, keep, out);
    break;
  }
  return 0;
}

int relc::runMatrix(const MatrixOptions &opts, const DriverEnv &env) {
  auto owned = std::make_unique<Compilation>(env, opts.diagnostics);
  std::vector<std::unique_ptr<Plan>> plans;
  int code = matrix(*owned, plans, opts, env);
  endCommand(std::move(owned), std::move(plans));
  return code;
}
