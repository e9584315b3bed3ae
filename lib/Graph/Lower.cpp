//===- Lower.cpp - From a checked plan to its step graph ------------------===//
//
// Each stage becomes a chain of its steps, in the order written; a step that
// stands for many (a build of a matrix: one node per leg; a `require` of
// several checks) becomes parallel nodes that the next step waits for all of.
// A stage's first steps wait for the last steps of the stages it runs
// `after`, and a stage with an `on DATE` trigger starts with a wait for the
// date. Every name is resolved here (repo settings' templates, placeholders,
// milestones), so the executor and the CI backends never see the plan's
// loose names.
//
//===----------------------------------------------------------------------===//
#include "Graph/Graph.h"

#include "Basic/SourceFiles.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace relc;
using namespace relc::graph;
using sema::Plan;

llvm::StringRef Node::kindName(Kind kind) {
  switch (kind) {
  case Kind::Branch:
    return "branch";
  case Kind::Tag:
    return "tag";
  case Kind::Commit:
    return "commit";
  case Kind::Build:
    return "build";
  case Kind::Check:
    return "check";
  case Kind::Approval:
    return "approval";
  case Kind::Shell:
    return "shell";
  case Kind::Wait:
    return "wait";
  }
  return "?";
}

std::string Node::summary() const {
  std::string s = kindName(kind).str();
  for (llvm::StringRef f :
       {"name", "file", "check", "group", "command", "date"})
    if (const std::string *v = field(f))
      return s + " " + *v;
  return s;
}

const std::string *Node::field(llvm::StringRef name) const {
  for (const auto &[k, v] : fields)
    if (k == name)
      return &v;
  return nullptr;
}

const Node *Graph::node(llvm::StringRef id) const {
  for (const Node &n : nodes)
    if (n.id == id)
      return &n;
  return nullptr;
}

const StageInfo *Graph::stage(llvm::StringRef name) const {
  for (const StageInfo &s : stages)
    if (s.name == name)
      return &s;
  return nullptr;
}

std::string graph::slug(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    bool keep = llvm::isAlnum(c) || c == '.' || c == '_';
    if (keep)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  return out.empty() ? "step" : out;
}

namespace {

class Lowerer {
public:
  Lowerer(const Plan &plan, const LowerOptions &opts, const llvm::SourceMgr &sm)
      : plan(plan), opts(opts), sm(sm) {}

  Graph run(llvm::StringRef displayPath);

private:
  const Plan &plan;
  const LowerOptions &opts;
  const llvm::SourceMgr &sm;
  Graph g;
  const sema::Stage *stage = nullptr; ///< The stage being lowered.
  llvm::StringSet<> ids;
  std::vector<std::string> previous; ///< The nodes the next step waits for.

  std::string setting(llvm::StringRef name, llvm::StringRef fallback) const;
  std::string placeholder(llvm::StringRef name) const;
  std::string expand(llvm::StringRef text) const;
  std::string render(const ast::Expr &e) const;
  std::optional<Date> date(const ast::Expr &e) const;
  std::string instance() const;

  Node &add(Node::Kind kind, std::string idTail, const ast::Step *step);
  void lowerStep(const ast::Step &s, std::vector<std::string> &added);
  void lowerStage(const sema::Stage &st);
};

} // namespace

std::string Lowerer::setting(llvm::StringRef name,
                             llvm::StringRef fallback) const {
  auto it = plan.repo.find(name.str());
  return expand(it == plan.repo.end() ? fallback : llvm::StringRef(it->second));
}

/// The value of `{name}`; an unbound RC number stays `{rc}`.
std::string Lowerer::placeholder(llvm::StringRef name) const {
  const Version &v = *plan.version;
  bool isParam = stage && !stage->params.empty() && name == stage->params[0];
  if (name == "rc" || isParam)
    return opts.rc ? std::to_string(*opts.rc) : "{rc}";
  if (name == "version")
    return v.str();
  if (name == "major")
    return std::to_string(v.major());
  if (name == "minor")
    return std::to_string(v.minor());
  if (name == "micro")
    return std::to_string(v.micro());
  if (name == "next_minor")
    return plan.nextMinor ? plan.nextMinor->str() : "";
  if (name.consume_front("schedule."))
    if (const sema::Milestone *m = plan.milestone(name))
      return m->date.str();
  if (plan.repo.count(name.str()))
    return setting(name, "");
  return ("{" + name + "}").str(); // Sema let it through: leave it visible.
}

/// Substitutes `{name}` in a repo setting or string value.
std::string Lowerer::expand(llvm::StringRef text) const {
  std::string out;
  while (!text.empty()) {
    size_t open = text.find('{');
    size_t close = open == llvm::StringRef::npos ? open : text.find('}', open);
    if (close == llvm::StringRef::npos) {
      out += text;
      break;
    }
    out += text.take_front(open);
    out += placeholder(text.slice(open + 1, close));
    text = text.drop_front(close + 1);
  }
  return out;
}

std::string Lowerer::render(const ast::Expr &e) const {
  if (auto *s = llvm::dyn_cast<ast::StringExpr>(&e)) {
    std::string out;
    for (const ast::StringExpr::Part &p : s->parts)
      out += p.isPlaceholder ? placeholder(p.text) : p.text;
    return out;
  }
  if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e)) {
    const auto &parts = p->parts;
    if (parts.size() == 2 && parts[0].text == "patch") {
      auto it = plan.policy.find(parts[1].text);
      return it == plan.policy.end() ? "" : llvm::join(it->second, ",");
    }
    if (parts.size() == 2 && parts[0].text == "schedule")
      return placeholder(p->str());
    return setting(p->str(), "");
  }
  if (auto *r = llvm::dyn_cast<ast::RangeExpr>(&e))
    return render(*r->lo) + ".." + render(*r->hi);
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
    std::vector<std::string> items;
    for (const ast::ExprPtr &x : l->elements)
      items.push_back(render(*x));
    return llvm::join(items, ",");
  }
  if (auto *p = llvm::dyn_cast<ast::ParenExpr>(&e))
    return render(*p->inner);
  if (auto *d = llvm::dyn_cast<ast::DurationExpr>(&e))
    return d->value.str();
  if (auto *s = llvm::dyn_cast<ast::SizeExpr>(&e))
    return s->value.str();
  if (auto *v = llvm::dyn_cast<ast::VersionExpr>(&e))
    return v->str();
  if (std::optional<Date> d = date(e))
    return d->str();
  return "";
}

std::optional<Date> Lowerer::date(const ast::Expr &e) const {
  if (auto *d = llvm::dyn_cast<ast::DateExpr>(&e))
    return d->value;
  if (auto *p = llvm::dyn_cast<ast::ParenExpr>(&e))
    return date(*p->inner);
  if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e)) {
    llvm::StringRef name = p->parts.back().text;
    if (const sema::Milestone *m = plan.milestone(name))
      return m->date;
    return std::nullopt;
  }
  if (auto *b = llvm::dyn_cast<ast::BinaryExpr>(&e)) {
    std::optional<Date> lhs = date(*b->lhs);
    auto *d = llvm::dyn_cast<ast::DurationExpr>(b->rhs.get());
    if (!lhs || !d)
      return std::nullopt;
    return b->op == '+' ? *lhs + d->value : *lhs - d->value;
  }
  return std::nullopt;
}

/// ` rc1` in the keys of a parameterised stage's steps: the same check or
/// build for another RC is another effect.
std::string Lowerer::instance() const {
  if (!stage || stage->params.empty())
    return "";
  return " rc" + placeholder("rc");
}

Node &Lowerer::add(Node::Kind kind, std::string idTail, const ast::Step *step) {
  std::string id = stage->name + "/" + idTail;
  for (unsigned n = 2; !ids.insert(id).second; ++n)
    id = stage->name + "/" + idTail + "-" + std::to_string(n);
  Node &node = g.nodes.emplace_back();
  node.kind = kind;
  node.id = id;
  node.stage = stage->name;
  node.needs = previous;
  node.loc = step ? step->range.Start : stage->item->name.range.Start;
  node.location = locationString(sm, node.loc);
  return node;
}

static const ast::StepOption *option(const ast::Step &s, llvm::StringRef name) {
  for (const ast::StepOption &o : s.options)
    if (o.name.text == name)
      return &o;
  return nullptr;
}

void Lowerer::lowerStep(const ast::Step &s, std::vector<std::string> &added) {
  std::string remote = setting("remote", "origin");
  bool once = option(s, "once") != nullptr;
  auto optionText = [&](llvm::StringRef name) -> std::string {
    const ast::StepOption *o = option(s, name);
    return o && o->value ? render(*o->value) : "";
  };
  // The operand's own spelling names the step: `release_branch`, not the
  // branch it renders to, so ids do not change with the version or RC.
  auto operandName = [&](size_t i) {
    const ast::Expr &e = *s.operands[i];
    if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e))
      return slug(p->str());
    return slug(render(e));
  };
  auto finish = [&](Node &n) {
    n.once = once;
    if (once)
      n.reversible = false;
    llvm::erase_if(n.fields, [](const auto &f) { return f.second.empty(); });
    added.push_back(n.id);
  };

  switch (s.kind) {
  case ast::Step::Kind::Branch: {
    Node &n = add(Node::Kind::Branch, "branch-" + operandName(0), &s);
    std::string name = render(*s.operands[0]), from = render(*s.operands[1]);
    n.fields = {{"name", name}, {"from", from}, {"remote", remote}};
    n.key = "branch " + remote + " " + name;
    finish(n);
    return;
  }
  case ast::Step::Kind::Tag: {
    Node &n = add(Node::Kind::Tag, "tag-" + operandName(0), &s);
    std::string tag = render(*s.operands[0]), on = render(*s.operands[1]);
    n.fields = {{"name", tag},
                {"on", on},
                {"remote", remote},
                {"annotated", option(s, "annotated") ? "true" : "false"},
                {"message", optionText("message")}};
    n.key = "tag " + remote + " " + tag;
    n.reversible = false; // A pushed tag is public; it never moves.
    finish(n);
    return;
  }
  case ast::Step::Kind::Commit: {
    Node &n = add(Node::Kind::Commit, "commit-" + operandName(0), &s);
    std::string file = render(*s.operands[0]), content = render(*s.operands[1]),
                branch = render(*s.operands[2]);
    n.fields = {{"file", file},
                {"content", content},
                {"branch", branch},
                {"remote", remote},
                {"message", optionText("message")}};
    n.key = "commit " + remote + " " + branch + " " + file + " = " + content;
    n.reversible = false; // Pushed history stays.
    finish(n);
    return;
  }
  case ast::Step::Kind::Build: {
    const sema::Matrix *m = plan.matrix(s.names[0].text);
    if (!m)
      return;
    std::string channel = s.channel ? s.channel->text : "";
    int c = channel.empty() ? -1 : plan.channelIndex(channel);
    std::string split;
    if (const ast::StepOption *o = option(s, "split"))
      if (auto *p = llvm::dyn_cast_or_null<ast::PathExpr>(o->value.get()))
        split = p->str();
    sema::DerivedValues derived(*plan.model, *m, *plan.version);
    for (size_t leg = 0; leg < m->legCount(); ++leg) {
      if (c >= 0 && !(m->legChannels[leg] >> c & 1))
        continue;
      std::vector<std::string> values;
      for (size_t a = 0; a < m->axes.size(); ++a)
        values.push_back(m->value(leg, a).ref.str());
      Node &n =
          add(Node::Kind::Build,
              "build-" + m->name + "/" + slug(llvm::join(values, "-")), &s);
      n.fields = {{"matrix", m->name},
                  {"channel", channel},
                  {"experimental", m->experimental(leg) ? "true" : "false"},
                  {"timeout", optionText("timeout")},
                  {"split", split}};
      for (size_t a = 0; a < m->axes.size(); ++a)
        n.leg.push_back({m->axes[a].name, values[a]});
      for (auto [key, value] : derived.of(leg))
        n.derived.emplace(key, value);
      n.key = "build " + plan.project + " " + plan.version->str() + " " +
              m->name + " " + llvm::join(values, "/") +
              (channel.empty() ? "" : " for " + channel) + instance();
      finish(n);
    }
    return;
  }
  case ast::Step::Kind::Require:
    for (const ast::Name &name : s.names) {
      Node &n = add(Node::Kind::Check, "check-" + name.text, &s);
      n.fields = {{"check", name.text}};
      for (const sema::Check &c : plan.checks) {
        if (c.name != name.text)
          continue;
        n.fields.push_back({"function", c.function});
        for (const ast::Arg &a : c.item->args)
          n.fields.push_back({a.name.text, render(*a.value)});
      }
      n.key = "check " + name.text + " " + stage->name + instance();
      finish(n);
    }
    return;
  case ast::Step::Kind::Approve: {
    std::string group = render(*s.operands[0]);
    Node &n = add(Node::Kind::Approval, "approve-" + slug(group), &s);
    n.fields = {{"group", group}, {"timeout", optionText("timeout")}};
    n.key = "approve " + group + " " + plan.project + " " +
            plan.version->str() + " " + stage->name + instance();
    finish(n);
    return;
  }
  case ast::Step::Kind::Run: {
    std::string command = render(*s.operands[0]);
    Node &n = add(Node::Kind::Shell,
                  "run-" + slug(llvm::sys::path::filename(command)), &s);
    n.fields = {{"command", command},
                {"timeout", optionText("timeout")},
                {"cwd", optionText("cwd")}};
    if (const ast::StepOption *o = option(s, "env"))
      if (auto *obj = llvm::dyn_cast_or_null<ast::ObjectExpr>(o->value.get()))
        for (const auto &f : obj->fields)
          n.env[f.key.text] = render(*f.value);
    std::string env;
    for (const auto &[k, v] : n.env)
      env += " " + k + "=" + v;
    n.key = "run " + stage->name + " " + command + env + instance();
    n.reversible = !once;
    finish(n);
    return;
  }
  case ast::Step::Kind::Wait: {
    std::optional<Date> d = date(*s.operands[0]);
    std::string when = d ? d->str() : render(*s.operands[0]);
    Node &n = add(Node::Kind::Wait, "wait-" + when, &s);
    n.fields = {{"date", when}};
    n.key = "wait " + when;
    finish(n);
    return;
  }
  }
}

void Lowerer::lowerStage(const sema::Stage &st) {
  stage = &st;
  StageInfo &info = g.stages.emplace_back();
  info.name = st.name;
  info.params = st.params;
  info.after = st.after;
  info.notBefore = st.notBefore;
  previous.clear();
  if (opts.stage.empty())
    for (const std::string &a : st.after)
      if (const StageInfo *before = g.stage(a))
        previous.insert(previous.end(), before->exits.begin(),
                        before->exits.end());
  std::vector<std::string> added;
  if (st.notBefore) {
    Node &n = add(Node::Kind::Wait, "not-before", nullptr);
    n.fields = {{"date", st.notBefore->str()}};
    n.key = "wait " + st.notBefore->str();
    added.push_back(n.id);
  }
  for (const ast::Step &s : st.item->steps) {
    if (!added.empty()) {
      if (info.entries.empty())
        info.entries = added;
      previous = std::move(added);
      added.clear();
    }
    lowerStep(s, added);
  }
  if (info.entries.empty())
    info.entries = added;
  info.exits = added.empty() ? previous : added;
}

Graph Lowerer::run(llvm::StringRef displayPath) {
  g.project = plan.project;
  g.version = plan.version->str();
  g.file = displayPath.str();
  g.rc = opts.rc;
  for (const sema::Stage &st : plan.stages)
    if (opts.stage.empty() || st.name == opts.stage)
      lowerStage(st);
  return std::move(g);
}

Graph graph::lower(const Plan &plan, const LowerOptions &options,
                   const llvm::SourceMgr &sm, llvm::StringRef displayPath) {
  return Lowerer(plan, options, sm).run(displayPath);
}
