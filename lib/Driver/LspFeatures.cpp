//===- LspFeatures.cpp - Completion and hover of relc lsp -----------------===//
//
// Completion reads the statement before the cursor the way a person would:
// the block says which keywords can start it (items in a unit, steps in a
// stage, axes in a matrix), and the last words say what comes next (check
// names after `require`, an axis's values after the axis or after a
// comparator in a condition, a check function after `check NAME =`). Every
// fact shown (a Python's end of life, a CUDA's cuDNN versions, a platform's
// wheel tag) is read from the model or from Sema's tables, never written
// here.
//
//===----------------------------------------------------------------------===//
#include "Driver/LspFeatures.h"
#include "Driver/LspContext.h"

#include "AST/AST.h"
#include "Sema/Plan.h"
#include "Sema/Sema.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <set>

using namespace relc;
using namespace relc::lsp;
namespace json = llvm::json;
using compat::Entry;

//===------------------------------------------------------------- facts ===//

void PlanFacts::addNames(const ast::File &file) {
  haveNames = true;
  for (const ast::Item &it : file.items) {
    switch (it.kind) {
    case ast::Item::Kind::Check:
      checks.push_back(it.name.text);
      break;
    case ast::Item::Kind::Stage:
      stages.push_back(it.name.text);
      break;
    case ast::Item::Kind::Matrix:
      matrices.push_back(it.name.text);
      for (const ast::MatrixEntry &e : it.matrix)
        if (e.kind == ast::MatrixEntry::Kind::Field)
          fields.push_back(e.axis.text);
      break;
    case ast::Item::Kind::Channels:
      for (const ast::Name &n : it.channels)
        channels.push_back(n.text);
      break;
    case ast::Item::Kind::Schedule:
      for (const ast::ScheduleEntry &e : it.schedule)
        if (!e.isPatch)
          milestones.push_back(e.milestone.text);
      break;
    case ast::Item::Kind::Repo:
      for (const ast::Setting &s : it.settings)
        repo.push_back(s.key.text);
      break;
    default:
      break;
    }
  }
}

//===--------------------------------------------------------- positions ===//

static unsigned utf8Length(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

unsigned lsp::utf16Length(llvm::StringRef s) {
  unsigned n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned len = utf8Length(s[i]);
    n += len == 4 ? 2 : 1;
    i += len;
  }
  return n;
}

json::Object lsp::positionAt(llvm::StringRef text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t lineStart = text.rfind('\n', offset);
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  return json::Object{
      {"line", int64_t(text.take_front(offset).count('\n'))},
      {"character", int64_t(utf16Length(text.slice(lineStart, offset)))}};
}

size_t lsp::offsetAt(llvm::StringRef text, int64_t line, int64_t character) {
  size_t at = 0;
  for (int64_t l = 0; l < line && at < text.size(); ++l) {
    size_t nl = text.find('\n', at);
    at = nl == llvm::StringRef::npos ? text.size() : nl + 1;
  }
  for (int64_t units = 0;
       units < character && at < text.size() && text[at] != '\n';) {
    unsigned len = utf8Length(text[at]);
    units += len == 4 ? 2 : 1;
    at += len;
  }
  return std::min(at, text.size());
}

//===------------------------------------------------- what values are ===//

namespace {

std::string month(const Date &d) { return d.str().substr(0, 7); }

/// `supported until 2029-10 (bugfix)`, `end of life since 2024-10`,
/// `prerelease, first release 2026-10`; "" for a value without a life.
std::string life(const Entry &e) {
  if (e.status == compat::Status::EndOfLife)
    return e.endOfLife ? "end of life since " + month(*e.endOfLife)
                       : "end of life";
  if (e.isPrerelease())
    return std::string(compat::statusName(e.status)) +
           (e.released ? ", first release " + month(*e.released) : "");
  if (!e.endOfLife)
    return "";
  std::string s = "supported until " + month(*e.endOfLife);
  if (e.status != compat::Status::Unknown)
    s += " (" + compat::statusName(e.status).str() + ")";
  return s;
}

std::string propertyText(const compat::Property &p) {
  return llvm::join(p.items, ", ");
}

/// `cudnn 9.1.0.70; nccl 2.27.5, 2.28.9`.
std::string supports(const Entry &e) {
  std::vector<std::string> parts;
  for (const auto &[comp, list] : e.supports) {
    std::vector<std::string> vs;
    for (const compat::Supported &s : list)
      vs.push_back(s.version.str());
    parts.push_back(comp + " " + llvm::join(vs, ", "));
  }
  return llvm::join(parts, "; ");
}

/// The one-line detail of a completion item.
std::string detail(const Entry &e) {
  for (const std::string &s : {life(e), supports(e)})
    if (!s.empty())
      return s;
  std::vector<std::string> props;
  for (const auto &[key, p] : e.properties)
    props.push_back(key + " " + propertyText(p));
  if (!props.empty())
    return llvm::join(props, "; ");
  return e.title;
}

/// Everything the model says of \p e, as Markdown: a title line (\p what
/// names it, `Python 3.13`), then a list; \p more adds to the list.
std::string describe(const compat::Model &model, const std::string &what,
                     const Entry &e, std::vector<std::string> more = {}) {
  std::string out = "**" + what + "**";
  if (e.status != compat::Status::Unknown)
    out += " (" + compat::statusName(e.status).str() + ")";
  std::vector<std::string> lines;
  std::vector<std::string> dates;
  if (e.released)
    dates.push_back("released " + e.released->str());
  if (e.endOfBugfix)
    dates.push_back("end of bugfix " + e.endOfBugfix->str());
  if (e.endOfLife)
    dates.push_back("end of life " + e.endOfLife->str());
  if (!dates.empty())
    lines.push_back(llvm::join(dates, ", "));
  if (e.freeThreaded)
    lines.push_back("free-threaded build: `" + e.label() + "t`");
  if (!e.versionsFrom.empty())
    if (const compat::Component *c = model.component(e.versionsFrom)) {
      std::vector<std::string> vs;
      for (const Entry &v : c->versions)
        vs.push_back(v.label());
      lines.push_back("versions: " + llvm::join(vs, ", "));
    }
  for (const auto &[comp, list] : e.supports) {
    std::vector<std::string> vs;
    for (const compat::Supported &s : list)
      vs.push_back(s.version.str());
    lines.push_back(comp + ": " + llvm::join(vs, ", "));
  }
  for (const auto &[key, p] : e.properties)
    lines.push_back(key + ": " + propertyText(p));
  if (!e.overrides.empty())
    lines.push_back(
        llvm::formatv("{0} override(s) of these properties on some legs",
                      e.overrides.size()));
  lines.insert(lines.end(), more.begin(), more.end());
  for (const std::string &l : lines)
    out += (&l == &lines.front() ? "\n\n- " : "\n- ") + l;
  return out;
}

std::string titleOf(const compat::Axis &a) {
  return a.title.empty() ? a.name : a.title;
}
std::string titleOf(const compat::Component &c) {
  return c.title.empty() ? c.name : c.title;
}

/// A check function's signature: `trailers(range: ..., key: ..., in: ...)`.
std::string signature(const sema::CheckFunction &f) {
  std::vector<std::string> params;
  for (const sema::CheckParam &p : f.params)
    params.push_back(
        (p.name + (p.required ? ": " : "?: ") + sema::paramTypeName(p.type))
            .str());
  return (f.name + "(" + llvm::join(params, ", ") + ")").str();
}

std::string explainFunction(const sema::CheckFunction &f) {
  std::string out = "```\n" + signature(f) + "\n```\n" + f.doc.str() + "\n";
  for (const sema::CheckParam &p : f.params)
    out += ("\n- `" + p.name + "`" + (p.required ? "" : " (optional)") + ": " +
            p.doc)
               .str();
  return out;
}

/// Which versions of the components \p comp is paired with (by their
/// `supports`) list \p v: cuDNN 9.1.0.70 goes with CUDA 11.8, 12.1, 12.4.
std::vector<std::string> pairedWith(const compat::Model &model,
                                    llvm::StringRef comp, const Version &v) {
  std::vector<std::string> with;
  auto scan = [&](llvm::StringRef owner, const std::vector<Entry> &entries) {
    for (const Entry &e : entries) {
      auto it = e.supports.find(comp.str());
      if (it != e.supports.end())
        for (const compat::Supported &s : it->second)
          if (s.version == v)
            with.push_back((owner + " " + e.label()).str());
    }
  };
  for (const compat::Component &c : model.components)
    scan(c.name, c.versions);
  for (const compat::Axis &a : model.axes)
    scan(a.name, a.values);
  if (with.empty())
    return {};
  return {"paired with: " + llvm::join(with, ", ")};
}

//===--------------------------------------------------------- completion ===//

/// LSP CompletionItemKind.
enum ItemKind {
  Function = 3,
  Field = 5,
  Variable = 6,
  Module = 9,
  Property = 10,
  Value = 12,
  Keyword = 14,
  Reference = 18,
  EnumMember = 20,
  Event = 23
};

class Completer {
public:
  Completer(llvm::StringRef text, size_t offset, const PlanFacts &facts)
      : text(text), offset(std::min(offset, text.size())), facts(facts),
        ctx(contextAt(text, offset)) {}
  json::Array run();

private:
  void add(llvm::StringRef label, ItemKind kind, llvm::StringRef detail = "",
           llvm::StringRef doc = "");
  void addAll(llvm::ArrayRef<std::string> names, ItemKind kind,
              llvm::StringRef detail);
  void keywords(llvm::ArrayRef<llvm::StringRef> words);
  void placeholders();
  void unitItem();
  void stageStep();
  void matrixEntry();
  void axisValues(const compat::Axis &axis, llvm::StringRef after);
  void axisNames();
  void componentVersions(const compat::Component &c, llvm::StringRef prefix);
  /// The axis of the condition being written, if the cursor is at a value.
  const compat::Axis *conditionAxis() const;
  const compat::Model *model() const { return facts.model.get(); }

  llvm::StringRef text;
  size_t offset;
  const PlanFacts &facts;
  CursorContext ctx;
  json::Array items;
  llvm::StringSet<> seen;
};

void Completer::add(llvm::StringRef label, ItemKind kind,
                    llvm::StringRef detail, llvm::StringRef doc) {
  if (!ctx.prefix.empty() && !label.startswith_insensitive(ctx.prefix))
    return;
  if (!seen.insert(label).second)
    return;
  json::Object item{
      {"label", label.str()},
      {"kind", int64_t(kind)},
      {"textEdit",
       json::Object{
           {"range", json::Object{{"start", positionAt(text, ctx.prefixStart)},
                                  {"end", positionAt(text, offset)}}},
           {"newText", label.str()}}}};
  if (!detail.empty())
    item["detail"] = detail.str();
  if (!doc.empty())
    item["documentation"] =
        json::Object{{"kind", "markdown"}, {"value", doc.str()}};
  items.push_back(std::move(item));
}

void Completer::addAll(llvm::ArrayRef<std::string> names, ItemKind kind,
                       llvm::StringRef detail) {
  for (const std::string &n : names)
    add(n, kind, detail);
}

void Completer::keywords(llvm::ArrayRef<llvm::StringRef> words) {
  for (llvm::StringRef w : words)
    add(w, Keyword);
}

json::Array Completer::run() {
  if (ctx.inComment || (ctx.inString && !ctx.inPlaceholder))
    return std::move(items);
  if (ctx.inPlaceholder) {
    placeholders();
    return std::move(items);
  }
  llvm::StringRef block = ctx.block();
  if (block.empty()) {
    if (ctx.tokens.empty())
      keywords({"import", "project", "release"});
  } else if (ctx.blocks.size() == 1) {
    unitItem();
  } else if (block == "stage") {
    stageStep();
  } else if (block == "matrix") {
    matrixEntry();
  } else if (block == "schedule") {
    if (ctx.tokens.empty()) {
      for (llvm::StringRef m : sema::orderedMilestoneNames())
        add(m, Property, "milestone");
      addAll(facts.milestones, Property, "milestone");
      keywords({"patch"});
    }
  } else if (block == "repo") {
    if (ctx.tokens.empty())
      for (llvm::StringRef s : sema::repoSettingNames())
        add(s, Property, "repo setting");
  } else if (block == "patch") {
    if (ctx.tokens.empty())
      for (llvm::StringRef s : sema::policySettingNames())
        add(s, Property, "patch policy setting");
  } else if (block == "channels") {
    if (ctx.tokens.empty())
      keywords({"allow"});
    else if (ctx.back() == "in")
      addAll(facts.channels, EnumMember, "channel");
  }
  return std::move(items);
}

void Completer::placeholders() {
  // A matrix's field template names the leg; any other string names the
  // release and the repository.
  bool field = llvm::any_of(ctx.blocks, [](const std::vector<std::string> &b) {
    return !b.empty() && b.front() == "matrix";
  });
  if (field) {
    if (const compat::Model *m = model())
      for (const compat::Axis &a : m->axes) {
        add(a.name, Variable, "the leg's " + titleOf(a) + " value");
        add(a.name + ".name", Variable, "the value's name");
        add(a.name + ".version", Variable, "the value's version");
        std::set<std::string> keys;
        for (const Entry &e : a.values)
          for (const auto &p : e.properties)
            keys.insert(p.first);
        for (const Entry &e : a.values)
          if (const compat::Component *c = m->component(e.versionsFrom))
            for (const Entry &v : c->versions)
              for (const auto &p : v.properties)
                keys.insert(p.first);
        for (const std::string &k : keys)
          add(a.name + "." + k, Property, "model property");
      }
    addAll(facts.fields, Field, "field");
    add("channel", Variable, "the channel the leg is built for");
    for (llvm::StringRef p : {"version", "major", "minor"})
      add(p, Variable, "of the release");
    return;
  }
  for (llvm::StringRef p : sema::releasePlaceholderNames())
    add(p, Variable, "of the release");
  addAll(facts.repo, Variable, "repo setting");
  for (const std::string &m : facts.milestones)
    add("schedule." + m, Variable, "milestone date");
  // A stage's parameters: `stage rc(n)`.
  for (const std::vector<std::string> &b : ctx.blocks)
    if (!b.empty() && b.front() == "stage")
      for (size_t i = 3; i < b.size() && b[i - 1] != ")"; i += 2)
        if (b[i - 1] == "(" || b[i - 1] == ",")
          add(b[i], Variable, "stage parameter");
}

void Completer::unitItem() {
  const std::vector<std::string> &t = ctx.tokens;
  if (t.empty()) {
    keywords({"compat", "repo", "channels", "check", "patch", "schedule",
              "matrix", "stage", "overlay"});
    return;
  }
  llvm::StringRef first = t.front();
  if (first == "check") {
    if (ctx.back() == "=") {
      for (const sema::CheckFunction &f : sema::checkFunctions())
        add(f.name, Function, signature(f), explainFunction(f));
      return;
    }
    // In the call: the parameters not given yet, after `(` or `,`.
    auto open = llvm::find(t, "(");
    if (open == t.end() || open == t.begin())
      return;
    const sema::CheckFunction *f = sema::findCheckFunction(*(open - 1));
    if (!f || (ctx.back() != "(" && ctx.back() != ","))
      return;
    for (const sema::CheckParam &p : f->params) {
      bool given = false;
      for (auto it = open; it + 1 < t.end(); ++it)
        given |= *it == p.name && *(it + 1) == ":";
      if (!given)
        add(p.name, Field, sema::paramTypeName(p.type), p.doc);
    }
    return;
  }
  if (first == "stage") {
    if (ctx.back() == "on") {
      for (const std::string &m : facts.milestones)
        add("schedule." + m, Property, "milestone");
      for (llvm::StringRef m : sema::orderedMilestoneNames())
        add(("schedule." + m).str(), Property, "milestone");
      return;
    }
    // `after a, b`: stages, once `after` is the last keyword.
    auto after = std::find(t.rbegin(), t.rend(), "after");
    if (after != t.rend() && std::find(t.rbegin(), after, "on") == after &&
        (ctx.back() == "after" || ctx.back() == ",")) {
      for (const std::string &s : facts.stages)
        if (t.size() < 2 || s != t[1])
          add(s, Event, "stage");
      return;
    }
    if (t.size() >= 2 && ctx.back() != "(" && ctx.back() != ",")
      keywords({"after", "on"});
    return;
  }
  if (first == "matrix" && ctx.back() == "from")
    addAll(facts.matrices, Module, "matrix");
  else if (first == "patch" && t.size() == 1)
    keywords({"policy"});
}

void Completer::stageStep() {
  const std::vector<std::string> &t = ctx.tokens;
  if (t.empty()) {
    add("git.branch", Keyword, "git.branch NAME from REF;");
    add("git.tag", Keyword, "git.tag NAME on REF;");
    add("git.commit", Keyword, "git.commit FILE = \"CONTENT\" on BRANCH;");
    add("git.pin", Keyword, "git.pin FILE = REPO.SETTING on BRANCH;");
    add("record", Keyword, "record NAME = FILE on BRANCH;");
    add("build", Keyword, "build MATRIX channel CHANNEL;");
    add("require", Keyword, "require CHECK, ...;");
    add("approve", Keyword, "approve \"GROUP\";");
    add("run", Keyword, "run \"COMMAND\";");
    add("wait", Keyword, "wait until DATE;");
    return;
  }
  llvm::StringRef first = t.front(), last = ctx.back();
  if (first == "require" && (last == "require" || last == ",")) {
    addAll(facts.checks, Reference, "check");
  } else if (first == "build") {
    if (t.size() == 1)
      addAll(facts.matrices, Module, "matrix");
    else if (last == "channel")
      addAll(facts.channels, EnumMember, "channel");
    else if (t.size() == 2)
      keywords({"channel"});
  } else if (first.startswith("git.")) {
    if (last == first || last == "from" || last == "on")
      addAll(facts.repo, Variable, "repo setting");
  } else if (first == "wait" && t.size() == 1) {
    keywords({"until"});
  } else if (first == "wait" && last == "until") {
    for (const std::string &m : facts.milestones)
      add("schedule." + m, Property, "milestone");
  }
}

void Completer::axisNames() {
  if (const compat::Model *m = model())
    for (const compat::Axis &a : m->axes)
      add(a.name, Module, "axis: " + titleOf(a));
}

void Completer::componentVersions(const compat::Component &c,
                                  llvm::StringRef prefix) {
  for (const Entry &v : c.versions)
    add(prefix.empty() ? v.label() : (prefix + " " + v.label()).str(),
        EnumMember, detail(v),
        describe(*model(), titleOf(c) + " " + v.label(), v));
}

void Completer::axisValues(const compat::Axis &axis, llvm::StringRef after) {
  const compat::Model &m = *model();
  // `cuda ` names an entry whose versions come from a component.
  if (const Entry *e = axis.find(after))
    if (const compat::Component *c = m.component(e->versionsFrom)) {
      componentVersions(*c, "");
      return;
    }
  for (const Entry &e : axis.values) {
    if (const compat::Component *c = m.component(e.versionsFrom)) {
      add(e.name, EnumMember,
          "then a version: " + (e.title.empty() ? titleOf(*c) : e.title));
      componentVersions(*c, e.name);
      continue;
    }
    std::string what = titleOf(axis) + " " + e.label();
    add(e.label(), EnumMember, detail(e), describe(m, what, e));
    if (e.freeThreaded)
      add(e.label() + "t", EnumMember, "free-threaded build; " + detail(e),
          describe(m, what, e));
  }
}

const compat::Axis *Completer::conditionAxis() const {
  const compat::Model *m = model();
  const std::vector<std::string> &t = ctx.tokens;
  if (!m || t.empty())
    return nullptr;
  size_t i = t.size();
  // In `AXIS in [a, b, `: the axis before `in [`.
  for (size_t j = t.size(); j-- > 0;) {
    if (t[j] == "]")
      break;
    if (t[j] == "[" && j >= 2 && t[j - 1] == "in")
      return m->axis(t[j - 2]);
  }
  llvm::StringRef last = t[i - 1];
  static const llvm::StringRef comparators[] = {"is", "==", "!=", "<",
                                                "<=", ">",  ">="};
  if (last == "not" && i >= 2 && t[i - 2] == "is")
    --i;
  if (!llvm::is_contained(comparators, t[i - 1]) || i < 2)
    return nullptr;
  return m->axis(t[i - 2]);
}

void Completer::matrixEntry() {
  const std::vector<std::string> &t = ctx.tokens;
  const compat::Model *m = model();
  if (t.empty()) {
    axisNames();
    keywords({"pin", "exclude", "include"});
    addAll(facts.fields, Field, "field");
    return;
  }
  if (!m)
    return;
  llvm::StringRef first = t.front(), last = ctx.back();
  if (first == "pin") {
    if (t.size() == 1) {
      for (const compat::Component &c : m->components)
        add(c.name, Module, "component: " + titleOf(c));
    } else if (t.size() == 2) {
      if (const compat::Component *c = m->component(t[1]))
        componentVersions(*c, "");
    }
    return;
  }
  if (first == "exclude" || first == "include") {
    if (const compat::Axis *a = conditionAxis()) {
      axisValues(*a, "");
      return;
    }
    static const llvm::StringRef starts[] = {
        "exclude", "include", "where", "and", "or", "not", "(", ","};
    if (llvm::is_contained(starts, last)) {
      axisNames();
      return;
    }
    // `include python 3.13t`: a binding's value; a value's named version.
    if (const compat::Axis *a = m->axis(last))
      axisValues(*a, "");
    else if (t.size() >= 2)
      if (const compat::Axis *a = m->axis(t[t.size() - 2]))
        axisValues(*a, last);
    return;
  }
  const compat::Axis *axis = m->axis(first);
  if (!axis)
    return;
  // Pins of a value: `cuda 12.4 (cudnn 9.1.0.70)`.
  auto open = std::find(t.rbegin(), t.rend(), "(");
  if (open != t.rend() && std::find(t.rbegin(), open, ")") == open) {
    if (last == "(" || last == ",") {
      for (const compat::Component &c : m->components)
        add(c.name, Module, "component: " + titleOf(c));
    } else if (const compat::Component *c = m->component(last)) {
      componentVersions(*c, "");
    }
    return;
  }
  if (last == first || last == "," || last == "+=" || last == "..")
    axisValues(*axis, "");
  else if (const Entry *e = axis->find(last); e && !e->versionsFrom.empty())
    axisValues(*axis, last);
  else
    keywords({"experimental", "only"});
}

} // namespace

json::Array lsp::complete(llvm::StringRef text, size_t offset,
                          const PlanFacts &facts) {
  return Completer(text, offset, facts).run();
}

//===------------------------------------------------------------- hover ===//

namespace {

/// The legs of matrix \p name with \p value on \p axis, and what each
/// derives (pins in force, model properties), at most eight of them.
std::string legs(const sema::Plan &plan, llvm::StringRef name,
                 const compat::Axis *axis, llvm::StringRef value) {
  const sema::Matrix *m = plan.matrix(name);
  if (!m || !plan.version || !plan.model)
    return "";
  int ax = -1;
  for (size_t a = 0; a < m->axes.size(); ++a)
    if (axis && m->axes[a].name == axis->name)
      ax = int(a);
  if (axis && ax < 0)
    return "";
  sema::DerivedValues derived(*plan.model, *m, *plan.version,
                              &plan.projectVersions);
  std::string out;
  size_t shown = 0, total = 0;
  for (size_t leg = 0; leg < m->legCount(); ++leg) {
    if (ax >= 0 && m->value(leg, size_t(ax)).ref.str() != value)
      continue;
    if (++total > 8)
      continue;
    ++shown;
    std::vector<std::string> values, facts;
    for (size_t a = 0; a < m->axes.size(); ++a)
      values.push_back(m->value(leg, a).ref.str());
    for (const auto &[k, v] : derived.of(leg))
      facts.push_back((k + "=" + v).str());
    out += "\n- `" + llvm::join(values, ", ") + "`" +
           (facts.empty() ? "" : ": " + llvm::join(facts, ", "));
  }
  if (!total)
    return "";
  std::string head =
      llvm::formatv("\n\nLegs of matrix {0}{1}: {2}", name,
                    ax >= 0 ? (" with " + value).str() : std::string(), total)
          .str();
  if (total > shown)
    out += llvm::formatv("\n- ... and {0} more", total - shown).str();
  return head + out;
}

} // namespace

json::Value lsp::hover(llvm::StringRef text, size_t offset,
                       const PlanFacts &facts, const sema::Plan *plan) {
  Word word = wordAt(text, offset);
  if (word.text.empty())
    return nullptr;
  CursorContext ctx = contextAt(text, word.begin);
  if (ctx.inComment || ctx.inString)
    return nullptr;
  std::string md;
  const compat::Model *model = facts.model.get();
  const compat::Axis *axis = nullptr;
  std::string value = word.text.str();
  llvm::StringRef prev = ctx.back();
  // The matrix the cursor is in, for its legs.
  llvm::StringRef matrix;
  for (const std::vector<std::string> &b : ctx.blocks)
    if (b.size() >= 2 && b.front() == "matrix")
      matrix = b[1];
  bool header = ctx.tokens.size() == 1 && ctx.tokens[0] == "matrix";
  if (header)
    matrix = word.text;
  if (header) {
    md = "**matrix " + matrix.str() + "**";
  } else if (const sema::CheckFunction *f =
                 sema::findCheckFunction(word.text)) {
    md = explainFunction(*f);
  } else if (model && !matrix.empty() && ctx.tokens.empty() &&
             model->axis(word.text)) {
    axis = model->axis(word.text);
    std::vector<std::string> vs;
    for (const Entry &e : axis->values)
      vs.push_back(e.label());
    md = "**" + titleOf(*axis) + "** (axis `" + axis->name +
         "`): " + llvm::join(vs, ", ");
    value.clear();
  } else if (model) {
    // A value: of the nearest axis named before it in the statement, else
    // of any axis; `cuda 12.4` is the entry `cuda` at a component version;
    // `cudnn 9.1.0.70` (a pin) is the component's.
    for (auto it = ctx.tokens.rbegin(); it != ctx.tokens.rend() && !axis; ++it)
      axis = model->axis(*it);
    std::optional<Version> v =
        Version::parse(llvm::StringRef(value).rtrim('t'));
    auto find = [&](const compat::Axis &a) -> const Entry * {
      return v && a.kind == compat::Axis::Kind::Version ? a.find(*v)
                                                        : a.find(value);
    };
    const compat::Component *comp = model->component(prev);
    std::string title = comp ? titleOf(*comp) : "";
    const Entry *named = axis ? axis->find(prev) : nullptr;
    if (v && named && model->component(named->versionsFrom)) {
      comp = model->component(named->versionsFrom);
      value = (prev + " " + word.text).str();
      title = named->title.empty() ? titleOf(*comp) : named->title;
    }
    if (v && comp) {
      if (const Entry *e = comp->find(*v))
        md = describe(*model, title + " " + e->label(), *e,
                      pairedWith(*model, comp->name, *v));
    } else if (const Entry *e = axis ? find(*axis) : nullptr) {
      md = describe(*model, titleOf(*axis) + " " + value, *e);
    } else {
      for (const compat::Axis &a : model->axes)
        if (const Entry *e = find(a)) {
          axis = &a;
          md = describe(*model, titleOf(a) + " " + value, *e);
          break;
        }
      if (md.empty())
        if (const compat::Component *c = model->component(word.text)) {
          std::vector<std::string> vs;
          for (const Entry &e : c->versions)
            vs.push_back(e.label());
          md = "**" + titleOf(*c) + "** (component `" + c->name +
               "`): " + llvm::join(vs, ", ");
        }
    }
  }
  if (md.empty())
    return nullptr;
  if (plan && !matrix.empty())
    md += legs(*plan, matrix, value.empty() || !axis ? nullptr : axis, value);
  return json::Object{
      {"contents", json::Object{{"kind", "markdown"}, {"value", md}}},
      {"range", json::Object{{"start", positionAt(text, word.begin)},
                             {"end", positionAt(text, word.end)}}}};
}
