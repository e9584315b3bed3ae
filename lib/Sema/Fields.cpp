//===- Fields.cpp - The per-leg fields a matrix declares -----------------===//
//
// A matrix may declare fields (docs/language.md, "Fields"): text per leg
// over the leg's values, what the model says of them, earlier fields, the
// channel and the release, with `where` variants. They hand each leg's
// facts to CI and to the tools that consume an incumbent's matrix JSON,
// under the names those tools use (`relc matrix --format=include`).
//
// Each variant is compiled once. Sema then renders every field on every leg
// and channel, so a field with no value or two on some leg, or one naming a
// property a leg's value lacks, is an error at the plan line, and rendering
// for output cannot fail.
//
//===----------------------------------------------------------------------===//
#include "Sema/Sema.h"

#include "Basic/Suggest.h"

#include "llvm/ADT/StringExtras.h"

#include <set>
#include <tuple>

using namespace relc;
using namespace relc::sema;
using Piece = LegField::Piece;

namespace {

/// What a field's text may name besides axes and fields. A field may take
/// one of these names (the incumbent's `channel`); fields below it then
/// mean the field.
constexpr llvm::StringLiteral reserved[] = {"channel", "version", "major",
                                            "minor"};

bool mentionsChannel(const compat::Cond &c) {
  return c.kind == compat::Cond::Kind::Channel ||
         llvm::any_of(c.operands, [](const compat::CondPtr &o) {
           return mentionsChannel(*o);
         });
}

class FieldCompiler {
public:
  FieldCompiler(DiagnosticEngine &diags, const Plan &plan, Matrix &m)
      : diags(diags), plan(plan), m(m) {}

  bool compile(llvm::ArrayRef<const ast::MatrixEntry *> entries,
               const compat::CondScope &scope);
  void check();
  void compileRecipe(const ast::MatrixEntry &e, const compat::CondScope &scope);
  void compileTarget(const ast::ChannelTarget &t, int channel);
  void checkRecipes();

private:
  std::optional<Piece> placeholder(const ast::StringExpr::Part &part,
                                   size_t field, bool &usesChannel);
  std::optional<LegText> compileText(const ast::Expr &e, llvm::StringRef what);
  std::string legText(size_t leg, int channel) const;
  /// The channels \p leg is built for, or -1 if none.
  llvm::SmallVector<int, 4> channelsOf(size_t leg) const;
  /// The legs' values, made once for the fields' check and the recipes'.
  FieldValues &values();

  DiagnosticEngine &diags;
  const Plan &plan;
  Matrix &m;
  std::optional<FieldValues> legValues;
};

} // namespace

std::optional<Piece>
FieldCompiler::placeholder(const ast::StringExpr::Part &part, size_t field,
                           bool &usesChannel) {
  llvm::SmallVector<llvm::StringRef, 4> pieces;
  llvm::StringRef(part.text).split(pieces, '|');
  // Not a structured binding: lambdas below capture these (C++17).
  llvm::StringRef name, key;
  std::tie(name, key) = pieces[0].split('.');
  Piece p;
  for (llvm::StringRef f : llvm::makeArrayRef(pieces).drop_front()) {
    if (f == "underscores")
      p.filters.push_back(LegField::Filter::Underscores);
    else if (f == "nodots")
      p.filters.push_back(LegField::Filter::NoDots);
    else {
      diags.report(DiagKind::UnknownPlaceholder, part.range,
                   "unknown filter '" + f.str() + "'" +
                       didYouMean(f.str(), {"underscores", "nodots"}) +
                       "; 'underscores' turns dots into underscores, "
                       "'nodots' drops them");
      return std::nullopt;
    }
  }
  auto axis = llvm::find_if(
      m.axes, [&](const MatrixAxis &a) { return a.name == name; });
  if (axis != m.axes.end()) {
    p.index = axis - m.axes.begin();
    if (key.empty())
      p.kind = Piece::Kind::Value;
    else if (key == "name")
      p.kind = Piece::Kind::Name;
    else if (key == "version")
      p.kind = Piece::Kind::Version;
    else {
      p.kind = Piece::Kind::Property;
      p.text = key.str();
    }
    return p;
  }
  // `{pytorch.version}`: the release this one goes with; one text for
  // every leg.
  if (std::optional<std::string> text = partnerPlaceholder(plan, pieces[0])) {
    p.kind = Piece::Kind::Text;
    p.text = std::move(*text);
    return p;
  }
  for (size_t f = 0; f < m.fields.size(); ++f) {
    if (m.fields[f].name != name ||
        (f >= field && llvm::is_contained(reserved, name)))
      continue;
    if (f >= field || !key.empty()) {
      diags.report(DiagKind::UnknownPlaceholder, part.range,
                   f >= field ? "'{" + name.str() +
                                    "}' is this field or one "
                                    "declared after it; a field may name "
                                    "only the fields above it"
                              : "'{" + part.text +
                                    "}': a field's value has "
                                    "no parts to name");
      return std::nullopt;
    }
    p.kind = Piece::Kind::Field;
    p.index = f;
    usesChannel |= m.fields[f].usesChannel;
    return p;
  }
  if (key.empty() && llvm::is_contained(reserved, name)) {
    if (name == "channel") {
      if (plan.channels.empty()) {
        diags.report(DiagKind::UnknownPlaceholder, part.range,
                     "'{channel}' names the channel a leg is built for, and "
                     "the project declares no channels");
        return std::nullopt;
      }
      p.kind = Piece::Kind::Channel;
      usesChannel = true;
    } else {
      p.kind = Piece::Kind::Release;
      p.text = name.str();
    }
    return p;
  }
  std::vector<std::string> known(std::begin(reserved), std::end(reserved));
  for (const MatrixAxis &a : m.axes)
    known.push_back(a.name);
  for (size_t f = 0; f < field; ++f)
    known.push_back(m.fields[f].name);
  diags.report(DiagKind::UnknownPlaceholder, part.range,
               "unknown placeholder '{" + part.text + "}' in " +
                   (field < m.fields.size()
                        ? "field '" + m.fields[field].name + "'"
                        : std::string("this text")) +
                   "; a field names the matrix's axes ('{AXIS}', "
                   "'{AXIS.name}', '{AXIS.version}', '{AXIS.PROPERTY}'), the "
                   "fields above it, '{channel}', '{version}', '{major}' and "
                   "'{minor}'" +
                   didYouMean(name.str(), known));
  return std::nullopt;
}

bool FieldCompiler::compile(llvm::ArrayRef<const ast::MatrixEntry *> entries,
                            const compat::CondScope &scope) {
  bool ok = true;
  // Every field first, so that naming one declared below says so.
  llvm::StringMap<size_t> index;
  for (const ast::MatrixEntry *e : entries) {
    if (e->kind != ast::MatrixEntry::Kind::Field)
      continue;
    const std::string &name = e->axis.text;
    if (llvm::any_of(m.axes,
                     [&](const MatrixAxis &a) { return a.name == name; })) {
      diags.report(DiagKind::DuplicateDefinition, e->axis.range,
                   "a field cannot be called '" + name + "': '{" + name +
                       "}' is an axis of this matrix in a field's text");
      ok = false;
    } else if (index.try_emplace(name, m.fields.size()).second) {
      m.fields.emplace_back().name = name;
    }
  }
  for (const ast::MatrixEntry *e : entries) {
    auto it = index.find(e->axis.text);
    if (e->kind != ast::MatrixEntry::Kind::Field || it == index.end())
      continue;
    const std::string &name = e->axis.text;
    size_t field = it->second;
    const auto *text = llvm::dyn_cast<ast::StringExpr>(e->value.get());
    if (!text) {
      diags.report(DiagKind::TypeMismatch, e->value->getRange(),
                   "field '" + name + "' takes a string, such as \"cu{accel." +
                       "version|nodots}\"");
      ok = false;
      continue;
    }
    LegField::Variant v;
    v.range = e->range;
    for (const ast::StringExpr::Part &part : text->parts) {
      if (!part.isPlaceholder) {
        v.pieces.push_back({Piece::Kind::Text, part.text, 0, {}});
        continue;
      }
      std::optional<Piece> p = placeholder(part, field, v.usesChannel);
      if (!p) {
        ok = false;
        continue;
      }
      v.pieces.push_back(std::move(*p));
    }
    if (e->where) {
      v.where = compat::compileCondition(diags, *plan.model, *e->where, scope);
      if (!v.where) {
        ok = false;
        continue;
      }
      v.usesChannel |= mentionsChannel(*v.where);
    }
    m.fields[field].usesChannel |= v.usesChannel;
    m.fields[field].variants.push_back(std::move(v));
  }
  return ok;
}

std::string FieldCompiler::legText(size_t leg, int channel) const {
  std::string s = "(";
  for (size_t a = 0; a < m.axes.size(); ++a)
    s += (a ? ", " : "") + m.value(leg, a).ref.str();
  s += ")";
  if (channel >= 0)
    s += " on channel '" + plan.channels[channel] + "'";
  return s;
}

//===--------------------------------------------------------- recipes ===//

llvm::StringRef Recipe::phaseName(Phase p) {
  switch (p) {
  case Phase::Build:
    return "build";
  case Phase::Test:
    return "test";
  case Phase::Upload:
    return "upload";
  }
  return "?";
}

std::optional<LegText> FieldCompiler::compileText(const ast::Expr &e,
                                                  llvm::StringRef what) {
  const auto *text = llvm::dyn_cast<ast::StringExpr>(&e);
  if (!text) {
    diags.report(DiagKind::TypeMismatch, e.getRange(),
                 what.str() + " takes a string");
    return std::nullopt;
  }
  // Recipe texts reach CI's matrix, where GitHub would evaluate an
  // expression.
  for (const ast::StringExpr::Part &part : text->parts)
    if (!part.isPlaceholder && llvm::StringRef(part.text).contains("${{")) {
      diags.report(DiagKind::ExpressionInData, part.range,
                   "'${{' in plan text: GitHub Actions would evaluate it as "
                   "an expression where relc writes this text");
      return std::nullopt;
    }
  LegText t;
  t.range = e.getRange();
  bool ok = true, usesChannel = false;
  for (const ast::StringExpr::Part &part : text->parts) {
    if (!part.isPlaceholder) {
      t.pieces.push_back({Piece::Kind::Text, part.text, 0, {}});
      continue;
    }
    // Every field is above a recipe.
    std::optional<Piece> p = placeholder(part, m.fields.size(), usesChannel);
    if (!p)
      ok = false;
    else
      t.pieces.push_back(std::move(*p));
  }
  return ok ? std::optional<LegText>(std::move(t)) : std::nullopt;
}

void FieldCompiler::compileRecipe(const ast::MatrixEntry &e,
                                  const compat::CondScope &scope) {
  Recipe r;
  r.range = e.range;
  const std::string &phase = e.axis.text;
  if (phase == "build")
    r.phase = Recipe::Phase::Build;
  else if (phase == "test")
    r.phase = Recipe::Phase::Test;
  else {
    diags.report(DiagKind::UnknownName, e.axis.range,
                 "a recipe says how legs are 'build' or 'test'; not '" + phase +
                     "'" + didYouMean(phase, {"build", "test"}) +
                     " (uploads go to the channel's 'upload' target)");
    return;
  }
  if (e.variant) {
    if (e.variant->text != "none" || r.phase != Recipe::Phase::Test) {
      diags.report(DiagKind::UnknownName, e.variant->range,
                   "'recipe " + phase + " " + e.variant->text +
                       "': only 'recipe test none' takes a word after the "
                       "phase (the legs are not tested)");
      return;
    }
    r.none = true;
    if (!e.settings.empty()) {
      diags.report(DiagKind::UnknownName, e.settings[0].range,
                   "'recipe test none' runs nothing: it takes no settings");
      return;
    }
  }
  if (e.where) {
    r.where = compat::compileCondition(diags, *plan.model, *e.where, scope);
    if (!r.where)
      return;
  }
  bool ok = true;
  auto one = [&](const ast::Setting &s) -> const ast::Expr * {
    if (s.values.size() == 1)
      return s.values[0].get();
    diags.report(DiagKind::TypeMismatch, s.range,
                 "'" + s.key.text + "' takes one value");
    ok = false;
    return nullptr;
  };
  auto text = [&](const ast::Setting &s, LegText &into) {
    if (const ast::Expr *x = one(s)) {
      if (std::optional<LegText> t = compileText(*x, "'" + s.key.text + "'"))
        into = std::move(*t);
      else
        ok = false;
    }
  };
  auto flag = [&](const ast::Setting &s, bool &into) {
    if (!s.values.empty()) {
      diags.report(DiagKind::TypeMismatch, s.range,
                   "'" + s.key.text + "' is a flag: write '" + s.key.text +
                       ";'");
      ok = false;
    }
    into = true;
  };
  for (const ast::Setting &s : e.settings) {
    const std::string &key = s.key.text;
    if (key == "runner")
      text(s, r.runner);
    else if (key == "image")
      text(s, r.image);
    else if (key == "command")
      text(s, r.command);
    else if (key == "accelerator")
      flag(s, r.accelerator);
    else if (key == "submodules")
      flag(s, r.submodules);
    else if (key == "artifacts") {
      for (const ast::ExprPtr &x : s.values)
        if (std::optional<LegText> t = compileText(*x, "'artifacts'"))
          r.artifacts.push_back(std::move(*t));
        else
          ok = false;
    } else if (key == "env") {
      const auto *o = s.values.size() == 1
                          ? llvm::dyn_cast<ast::ObjectExpr>(s.values[0].get())
                          : nullptr;
      if (!o) {
        diags.report(DiagKind::TypeMismatch, s.range,
                     "'env' takes names and texts: env { DESIRED_CUDA: "
                     "\"{desired_cuda}\" }");
        ok = false;
        continue;
      }
      for (const ast::ObjectExpr::Field &f : o->fields)
        if (std::optional<LegText> t =
                compileText(*f.value, "env '" + f.key.text + "'"))
          r.env.emplace_back(f.key.text, std::move(*t));
        else
          ok = false;
    } else {
      diags.report(
          DiagKind::UnknownName, s.key.range,
          "unknown recipe setting '" + key + "'" +
              didYouMean(key, {"runner", "image", "command", "env", "artifacts",
                               "accelerator", "submodules"}));
      ok = false;
    }
  }
  if (!r.none && !ok)
    return;
  if (!r.none && (r.runner.empty() || r.command.empty())) {
    diags.report(DiagKind::TypeMismatch, e.range,
                 "a " + phase + " recipe needs a 'runner' and a 'command'");
    return;
  }
  m.recipes.push_back(std::move(r));
}

void FieldCompiler::compileTarget(const ast::ChannelTarget &t, int channel) {
  ChannelTarget target;
  target.range = t.range;
  const ast::Setting *uploadAt = nullptr;
  bool indexTarget = false;
  for (const ast::Setting &s : t.settings) {
    const std::string &key = s.key.text;
    const auto *text = s.values.size() == 1
                           ? llvm::dyn_cast<ast::StringExpr>(s.values[0].get())
                           : nullptr;
    if (key != "upload" && key != "index" && key != "role") {
      diags.report(DiagKind::UnknownName, s.key.range,
                   "unknown channel setting '" + key + "'" +
                       didYouMean(key, {"upload", "index", "role"}));
      continue;
    }
    if (!text) {
      diags.report(DiagKind::TypeMismatch, s.range,
                   "'" + key + "' takes one string");
      continue;
    }
    if (key == "upload") {
      if (std::optional<LegText> u = compileText(*text, "'upload'"))
        target.upload = std::move(*u);
      llvm::StringRef v = text->value;
      if (!v.startswith("s3://") && !v.startswith("file:///") &&
          !v.startswith("https://") && !v.startswith("http://"))
        diags.report(DiagKind::TypeMismatch, s.range,
                     "an upload target is 's3://BUCKET/PREFIX/', "
                     "'file:///DIRECTORY/' or a package index's upload API "
                     "('https://upload.pypi.org/legacy/'), not '" +
                         v.str() + "'");
      uploadAt = &s;
      indexTarget = v.startswith("https://") || v.startswith("http://");
    } else if (text->hasPlaceholders()) {
      diags.report(DiagKind::TypeMismatch, s.range,
                   "'" + key + "' is the same for every leg: no placeholders");
    } else {
      (key == "index" ? target.index : target.role) = text->value;
    }
  }
  // A package index is probed through its simple pages.
  if (uploadAt && indexTarget && target.index.empty())
    diags.report(DiagKind::TypeMismatch, uploadAt->range,
                 "a package index's upload API needs the channel's 'index' "
                 "(its simple API, such as 'https://pypi.org/simple/'), "
                 "where relc looks for a file before uploading it");
  m.targets[channel] = std::move(target);
}

llvm::SmallVector<int, 4> FieldCompiler::channelsOf(size_t leg) const {
  llvm::SmallVector<int, 4> channels;
  for (size_t c = 0; c < plan.channels.size(); ++c)
    if (m.legChannels[leg] >> c & 1)
      channels.push_back(c);
  if (channels.empty())
    channels.push_back(-1);
  return channels;
}

FieldValues &FieldCompiler::values() {
  if (!legValues)
    legValues.emplace(plan, m);
  return *legValues;
}

void FieldCompiler::checkRecipes() {
  if (m.recipes.empty())
    return;
  FieldValues &values = this->values();
  std::set<const Recipe *> reported;
  bool missingReported = false, untestedReported = false;
  // Which recipes hold, and so all that is checked below, is the same on
  // each channel of a leg unless a recipe asks for the channel.
  bool byChannel = llvm::any_of(m.recipes, [](const Recipe &r) {
    return r.where && mentionsChannel(*r.where);
  });
  for (size_t leg = 0; leg < m.legCount(); ++leg) {
    llvm::SmallVector<int, 4> channels = channelsOf(leg);
    if (!byChannel)
      channels.resize(1);
    std::optional<bool> accelerated; // The same on every channel.
    std::vector<const Recipe *> build, test;
    for (int channel : channels) {
      values.recipes(leg, channel, build, test);
      if (build.empty() && !missingReported) {
        missingReported = true;
        diags.report(DiagKind::RecipeMissing, m.recipes.front().range,
                     "no build recipe of matrix '" + m.name +
                         "' holds for leg " + legText(leg, channel) +
                         "; add one, or widen a 'where'");
      }
      for (const std::vector<const Recipe *> *rs : {&build, &test})
        if (rs->size() > 1 && reported.insert((*rs)[1]).second) {
          diags.report(DiagKind::RecipeConflict, (*rs)[1]->range,
                       "two " + Recipe::phaseName((*rs)[1]->phase).str() +
                           " recipes hold for leg " + legText(leg, channel) +
                           ": this one and an earlier one; narrow their "
                           "'where' so that one does");
          diags.note((*rs)[0]->range.Start, "the earlier recipe");
        }
      if (!untestedReported && !build.empty() &&
          (accelerated ? *accelerated
                       : *(accelerated = values.hasAccelerator(leg))) &&
          (test.empty() || (!test[0]->none && !test[0]->accelerator))) {
        untestedReported = true;
        diags.report(DiagKind::UntestedAccelerator,
                     test.empty() ? m.recipes.front().range : test[0]->range,
                     "leg " + legText(leg, channel) +
                         " is built for an accelerator, and " +
                         (test.empty() ? std::string("no test recipe holds "
                                                     "for it")
                                       : "its test recipe's runner does not "
                                         "say 'accelerator;'") +
                         ": test it on a runner with that accelerator, or "
                         "say 'recipe test none where ...;'");
      }
      // Every text renders: a property a leg lacks is an error here. Only a
      // property can be missing (the fields were checked with the matrix),
      // so nothing is rendered.
      for (const Recipe *r : {build.empty() ? nullptr : build[0],
                              test.empty() ? nullptr : test[0]}) {
        if (!r || reported.count(r))
          continue;
        auto check = [&](const LegText &t) {
          const Piece *p = values.missingProperty(leg, t.pieces);
          if (!p || !reported.insert(r).second)
            return;
          diags.report(
              DiagKind::FieldMissing, t.range,
              "this names '" + p->text + "' of axis '" + m.axes[p->index].name +
                  "', and '" + m.value(leg, p->index).ref.str() +
                  "' has no such property on leg " + legText(leg, channel));
        };
        for (const LegText *t : {&r->runner, &r->image, &r->command})
          check(*t);
        for (const auto &kv : r->env)
          check(kv.second);
        for (const LegText &t : r->artifacts)
          check(t);
      }
    }
  }
}

void FieldCompiler::check() {
  if (m.fields.empty())
    return;
  bool anyChannel =
      llvm::any_of(m.fields, [](const LegField &f) { return f.usesChannel; });
  FieldValues &values = this->values();
  std::set<size_t> reported; ///< Fields: one diagnostic each.
  for (size_t leg = 0; leg < m.legCount(); ++leg) {
    // A field that depends on the channel is rendered for each channel
    // the leg is built for; the others once.
    llvm::SmallVector<int, 4> channels = channelsOf(leg);
    if (!anyChannel)
      channels.resize(1);
    std::vector<FieldValues::Problem> problems;
    for (size_t k = 0; k < channels.size(); ++k)
      values.check(leg, channels[k], /*channelFieldsOnly=*/k > 0, problems);
    for (const FieldValues::Problem &p : problems) {
      if (!reported.insert(p.field).second)
        continue;
      const LegField &f = m.fields[p.field];
      std::string where = legText(leg, anyChannel ? p.channel : -1);
      switch (p.kind) {
      case FieldValues::Problem::Kind::NoVariant:
        diags.report(DiagKind::FieldMissing, f.variants[0].range,
                     "field '" + f.name + "' has no value for leg " + where +
                         ": none of its " + std::to_string(f.variants.size()) +
                         " variants holds there; add one, or widen a 'where'");
        break;
      case FieldValues::Problem::Kind::TwoVariants:
        diags.report(DiagKind::FieldConflict, p.other->range,
                     "field '" + f.name + "' is set twice for leg " + where +
                         ": this variant and an earlier one both hold there; "
                         "narrow their 'where' so that one does");
        diags.note(p.variant->range.Start, "the earlier variant");
        break;
      case FieldValues::Problem::Kind::NoProperty:
        diags.report(DiagKind::FieldMissing, p.variant->range,
                     "field '" + f.name + "' names '" + p.piece->text +
                         "' of axis '" + m.axes[p.piece->index].name +
                         "', and '" + m.value(leg, p.piece->index).ref.str() +
                         "' has no such property on leg " + where);
        break;
      }
    }
  }
}

bool sema::compileFields(DiagnosticEngine &diags, const Plan &plan, Matrix &m,
                         llvm::ArrayRef<const ast::MatrixEntry *> entries,
                         const compat::CondScope &scope,
                         const ast::Item *channels) {
  unsigned errors = diags.errorCount();
  FieldCompiler c(diags, plan, m);
  if (c.compile(entries, scope))
    c.check();
  if (diags.errorCount() != errors)
    return false;
  for (const ast::MatrixEntry *e : entries)
    if (e->kind == ast::MatrixEntry::Kind::Recipe)
      c.compileRecipe(*e, scope);
  // A matrix without recipes is one no step builds (recipes-missing): it
  // uploads nothing.
  if (channels && !m.recipes.empty())
    for (const ast::ChannelTarget &t : channels->targets)
      if (int channel = plan.channelIndex(t.channel.text); channel >= 0)
        c.compileTarget(t, channel);
  if (diags.errorCount() == errors)
    c.checkRecipes();
  return diags.errorCount() == errors;
}

//===------------------------------------------------------- rendering ===//

FieldValues::FieldValues(const Plan &plan, const Matrix &m)
    : plan(plan), m(m),
      derived(*plan.model, m, *plan.version, &plan.projectVersions),
      byAxis(plan.model->axes.size(), nullptr) {}

/// Applies \p filters to the text \p s holds from \p from on.
static void applyFilters(std::string &s, size_t from,
                         llvm::ArrayRef<LegField::Filter> filters) {
  for (LegField::Filter f : filters)
    if (f == LegField::Filter::Underscores)
      std::replace(s.begin() + from, s.end(), '.', '_');
    else
      s.erase(std::remove(s.begin() + from, s.end(), '.'), s.end());
}

const compat::LegView &FieldValues::view(size_t leg, int channel) {
  for (size_t a = 0; a < m.axes.size(); ++a)
    byAxis[m.axes[a].modelAxis] = &m.value(leg, a).ref;
  legView =
      compat::LegView{byAxis, &*plan.version, channel, &plan.projectVersions};
  return legView;
}

bool FieldValues::render(size_t leg, int channel, std::vector<std::string> &out,
                         std::vector<Problem> *problems) {
  // The same leg again, after a render without problems: the fields that
  // do not depend on the channel hold as they are.
  bool again =
      rendered == &out && renderedLeg == leg && out.size() == m.fields.size();
  if (!again)
    out.assign(m.fields.size(), std::string());
  const compat::LegView &v = view(leg, channel);
  bool ok = true;
  for (size_t f = 0; f < m.fields.size(); ++f) {
    if (again && !m.fields[f].usesChannel)
      continue;
    out[f].clear();
    if (std::optional<Problem> p = renderField(leg, f, channel, v, out)) {
      ok = false;
      p->channel = channel;
      if (problems)
        problems->push_back(*p);
    }
  }
  rendered = ok ? &out : nullptr;
  renderedLeg = leg;
  return ok;
}

/// Adds the model axes \p c compares to \p out.
static void modelAxesOf(const compat::Cond &c, std::vector<unsigned> &out) {
  for (const compat::CondPtr &o : c.operands)
    modelAxesOf(*o, out);
  if (c.axis >= 0 && !llvm::is_contained(out, unsigned(c.axis)))
    out.push_back(c.axis);
}

std::optional<FieldValues::Problem>
FieldValues::choose(size_t leg, size_t f, int channel,
                    const compat::LegView &view,
                    const LegField::Variant *&chosen) {
  if (choices.empty())
    choices.resize(m.fields.size());
  Choices &memo = choices[f];
  if (memo.axes.empty() && !memo.usable) {
    std::vector<unsigned> modelAxes;
    for (const LegField::Variant &v : m.fields[f].variants)
      if (v.where)
        modelAxesOf(*v.where, modelAxes);
    for (unsigned a = 0; a < m.axes.size(); ++a)
      if (llvm::is_contained(modelAxes, m.axes[a].modelAxis))
        memo.axes.push_back(a);
    memo.usable =
        memo.axes.size() <= 3 && llvm::all_of(memo.axes, [&](unsigned a) {
          return m.axes[a].values.size() < 0xFFFF;
        });
  }
  if (!memo.usable)
    return chooseAnew(f, channel, view, chosen);
  // The channel in the low 16 bits (never all ones: DenseMap's own keys),
  // then up to three value indices.
  uint64_t key = m.fields[f].usesChannel ? uint64_t(channel + 1) : 0;
  for (size_t k = 0; k < memo.axes.size(); ++k)
    key |= uint64_t(m.legValues[leg * m.axes.size() + memo.axes[k]])
           << (16 * (k + 1));
  auto [it, fresh] = memo.seen.try_emplace(key);
  if (fresh) {
    std::optional<Problem> p = chooseAnew(f, channel, view, it->second.chosen);
    it->second.problem = p.has_value();
    chosen = it->second.chosen;
    return p;
  }
  if (it->second.problem)
    return chooseAnew(f, channel, view, chosen);
  chosen = it->second.chosen;
  return std::nullopt;
}

std::optional<FieldValues::Problem>
FieldValues::chooseAnew(size_t f, int channel, const compat::LegView &view,
                        const LegField::Variant *&chosen) {
  const LegField &field = m.fields[f];
  chosen = nullptr;
  if (channel < 0 && field.usesChannel)
    return std::nullopt; // Which channel is not known: left empty.
  for (const LegField::Variant &v : field.variants) {
    if (v.where && !compat::evaluate(*v.where, view))
      continue;
    if (chosen)
      return Problem{Problem::Kind::TwoVariants, f, chosen, &v, nullptr};
    chosen = &v;
  }
  if (!chosen)
    return Problem{Problem::Kind::NoVariant, f, nullptr, nullptr, nullptr};
  return std::nullopt;
}

std::optional<FieldValues::Problem>
FieldValues::renderField(size_t leg, size_t f, int channel,
                         const compat::LegView &view,
                         std::vector<std::string> &out) {
  const LegField::Variant *chosen;
  if (std::optional<Problem> p = choose(leg, f, channel, view, chosen))
    return p;
  if (!chosen)
    return std::nullopt;
  if (const Piece *missing = pieces(leg, channel, chosen->pieces, out, out[f]))
    return Problem{Problem::Kind::NoProperty, f, chosen, nullptr, missing};
  return std::nullopt;
}

void FieldValues::check(size_t leg, int channel, bool channelFieldsOnly,
                        std::vector<Problem> &problems) {
  const compat::LegView &v = view(leg, channel);
  for (size_t f = 0; f < m.fields.size(); ++f) {
    if (channelFieldsOnly && !m.fields[f].usesChannel)
      continue;
    const LegField::Variant *chosen;
    std::optional<Problem> p = choose(leg, f, channel, v, chosen);
    if (!p && chosen)
      if (const Piece *missing = missingProperty(leg, chosen->pieces))
        p = Problem{Problem::Kind::NoProperty, f, chosen, nullptr, missing};
    if (p) {
      p->channel = channel;
      problems.push_back(*p);
    }
  }
}

const Piece *FieldValues::missingProperty(size_t leg,
                                          llvm::ArrayRef<Piece> ps) {
  for (const Piece &p : ps)
    if (p.kind == Piece::Kind::Property &&
        !derived.property(leg, p.index, p.text))
      return &p;
  return nullptr;
}

const Piece *FieldValues::text(size_t leg, int channel, const LegText &t,
                               llvm::ArrayRef<std::string> fields,
                               std::string &out) {
  out.clear();
  return pieces(leg, channel, t.pieces, fields, out);
}

void FieldValues::recipes(size_t leg, int channel,
                          std::vector<const Recipe *> &build,
                          std::vector<const Recipe *> &test) {
  build.clear();
  test.clear();
  const compat::LegView &v = view(leg, channel);
  for (const Recipe &r : m.recipes)
    if (!r.where || compat::evaluate(*r.where, v))
      (r.phase == Recipe::Phase::Build ? build : test).push_back(&r);
}

bool FieldValues::hasAccelerator(size_t leg) {
  for (size_t a = 0; a < m.axes.size(); ++a)
    if (std::optional<llvm::StringRef> dev = derived.property(leg, a, "device"))
      if (*dev != "cpu")
        return true;
  return false;
}

const Piece *FieldValues::pieces(size_t leg, int channel,
                                 llvm::ArrayRef<Piece> ps,
                                 llvm::ArrayRef<std::string> fields,
                                 std::string &text) {
  for (const Piece &p : ps) {
    size_t from = text.size();
    switch (p.kind) {
    case Piece::Kind::Text:
      text += p.text;
      break;
    case Piece::Kind::Value:
      text += m.value(leg, p.index).ref.str();
      break;
    case Piece::Kind::Name: {
      const compat::Entry &e = *m.value(leg, p.index).ref.entry;
      text += e.name.empty() ? e.label() : e.name;
      break;
    }
    case Piece::Kind::Version:
      if (const Version *v = m.value(leg, p.index).ref.version())
        text += v->str();
      break;
    case Piece::Kind::Property:
      if (std::optional<llvm::StringRef> v =
              derived.property(leg, p.index, p.text))
        text += *v;
      else
        return &p;
      break;
    case Piece::Kind::Field:
      text += fields[p.index];
      break;
    case Piece::Kind::Channel:
      if (channel >= 0)
        text += plan.channels[channel];
      break;
    case Piece::Kind::Release:
      if (p.text == "version")
        text += plan.version->str() + (nightly ? ".dev" + *nightly : "");
      else
        text += std::to_string(p.text == "major" ? plan.version->major()
                                                 : plan.version->minor());
      break;
    }
    applyFilters(text, from, p.filters);
  }
  return nullptr;
}
