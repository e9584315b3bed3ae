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
  case Kind::Pin:
    return "pin";
  case Kind::Record:
    return "record";
  }
  return "?";
}

llvm::StringRef Node::repo() const {
  if (auto *b = std::get_if<BranchNode>(&payload))
    return b->repo;
  if (auto *t = std::get_if<TagNode>(&payload))
    return t->repo;
  if (auto *c = std::get_if<CommitNode>(&payload))
    return c->repo;
  if (auto *p = std::get_if<PinNode>(&payload))
    return p->repo;
  if (auto *r = std::get_if<RecordNode>(&payload))
    return r->repo;
  return "";
}

std::string Node::summary() const {
  std::string s = kindName(kind()).str();
  // A step on another repository says which.
  std::string in = repo().empty() ? "" : " in " + repo().str();
  std::vector<std::pair<std::string, std::string>> f = fields(*this);
  for (llvm::StringRef name :
       {"name", "file", "check", "group", "command", "date"})
    for (const auto &[k, v] : f)
      if (k == name)
        return s + " " + v + in;
  return s + in;
}

const CheckArgValue *CheckNode::arg(llvm::StringRef name) const {
  for (const CheckArgValue &a : args)
    if (a.param->name == name)
      return &a;
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

  std::string bind(const sema::Template &t) const { return t.bind(opts.rc); }
  std::string instance() const;

  Node &add(std::string idTail, llvm::SMLoc loc, Node::Payload payload);
  void lowerStep(const sema::Step &s, std::vector<std::string> &added);
  void lowerBuild(const sema::BuildStep &b, const sema::Matrix &m,
                  llvm::SMLoc loc, std::vector<std::string> &added);
  void lowerStage(const sema::Stage &st);
};

} // namespace

/// ` rc1` in the keys of a parameterised stage's steps: the same check or
/// build for another RC is another effect.
std::string Lowerer::instance() const {
  if (stage && !stage->cron.empty())
    return " dev" + opts.date.value_or("{date}");
  if (!stage || stage->params.empty())
    return "";
  return " rc" + (opts.rc ? std::to_string(*opts.rc) : "{rc}");
}

Node &Lowerer::add(std::string idTail, llvm::SMLoc loc, Node::Payload payload) {
  std::string id = stage->name + "/" + idTail;
  for (unsigned n = 2; !ids.insert(id).second; ++n)
    id = stage->name + "/" + idTail + "-" + std::to_string(n);
  Node &node = g.nodes.emplace_back();
  node.id = id;
  node.stage = stage->name;
  node.needs = previous;
  node.payload = std::move(payload);
  node.loc = loc;
  node.location = locationString(sm, node.loc);
  return node;
}

void Lowerer::lowerStep(const sema::Step &s, std::vector<std::string> &added) {
  const sema::Repository *repository = plan.repositoryNamed(s.repo);
  const std::string &remote =
      repository ? repository->remote : plan.repository.remote;
  llvm::SMLoc loc = s.range.Start;
  auto finish = [&](Node &n) {
    n.once = s.once;
    if (s.once)
      n.reversible = false;
    added.push_back(n.id);
  };
  std::string idName = slug(bind(s.idName));
  // `cut/branch-builder.release_branch`: steps on two repositories that
  // name the same setting stay apart, and the id says which repository.
  if (!s.repo.empty())
    idName = slug(s.repo) + "." + idName;

  if (auto *b = s.as<sema::BranchStep>()) {
    BranchNode p{bind(b->name), bind(b->from), remote, s.repo};
    std::string key = "branch " + remote + " " + p.name;
    Node &n = add("branch-" + idName, loc, std::move(p));
    n.key = std::move(key);
    finish(n);
  } else if (auto *t = s.as<sema::TagStep>()) {
    TagNode p{bind(t->name),
              bind(t->on),
              remote,
              t->annotated,
              bind(t->message),
              std::vector<std::string>(t->name.parts()),
              s.repo};
    std::string key = "tag " + remote + " " + p.name;
    Node &n = add("tag-" + idName, loc, std::move(p));
    n.key = std::move(key);
    n.reversible = false; // A pushed tag is public; it never moves.
    finish(n);
  } else if (auto *c = s.as<sema::CommitStep>()) {
    CommitNode p{bind(c->file), bind(c->content), bind(c->branch),
                 remote,        bind(c->message), s.repo};
    std::string key =
        "commit " + remote + " " + p.branch + " " + p.file + " = " + p.content;
    Node &n = add("commit-" + idName, loc, std::move(p));
    n.key = std::move(key);
    n.reversible = false; // Pushed history stays.
    finish(n);
  } else if (auto *pin = s.as<sema::PinStep>()) {
    const sema::Repository *of = plan.repositoryNamed(pin->of);
    PinNode p{bind(pin->file),
              bind(pin->ref),
              pin->of,
              of ? of->remote : "",
              bind(pin->branch),
              remote,
              bind(pin->message),
              s.repo,
              pin->commit};
    std::string key = "pin " + remote + " " + p.branch + " " + p.file + " = " +
                      p.ofRemote + " " + p.ref + (p.commit ? " commit" : "");
    // `cut/pin-xla`: what is pinned names the step.
    std::string id =
        "pin-" + (s.repo.empty() ? "" : slug(s.repo) + ".") + slug(p.of);
    Node &n = add(std::move(id), loc, std::move(p));
    n.key = std::move(key);
    n.reversible = false; // Pushed history stays.
    finish(n);
  } else if (auto *r = s.as<sema::RecordStep>()) {
    RecordNode p{r->name, bind(r->file), bind(r->on),
                 remote,  s.repo,        r->commit};
    std::string key = "record " + remote + " " + p.on + " " + p.file + " " +
                      stage->name + instance();
    Node &n = add("record-" + idName, loc, std::move(p));
    n.key = std::move(key);
    finish(n);
  } else if (auto *b = s.as<sema::BuildStep>()) {
    if (const sema::Matrix *m = plan.matrix(b->matrix))
      lowerBuild(*b, *m, loc, added);
  } else if (auto *r = s.as<sema::RequireStep>()) {
    for (const std::string &name : r->checks) {
      const sema::Check *check = plan.check(name);
      CheckNode p{name, check ? check->function : nullptr, {}};
      if (check)
        for (const sema::CheckArg &a : check->args)
          p.args.push_back({a.param, bind(a.text), bind(a.lo), bind(a.hi),
                            bind(a.path), a.items, a.size});
      Node &n = add("check-" + name, loc, std::move(p));
      n.key = "check " + name + " " + stage->name + instance();
      finish(n);
    }
  } else if (auto *a = s.as<sema::ApprovalStep>()) {
    ApprovalNode p{bind(a->group), a->timeout};
    std::string group = p.group;
    Node &n = add("approve-" + slug(group), loc, std::move(p));
    n.key = "approve " + group + " " + plan.project + " " +
            plan.version->str() + " " + stage->name + instance();
    finish(n);
  } else if (auto *c = s.as<sema::CommandStep>()) {
    ShellNode p{bind(c->command), c->timeout, bind(c->cwd), {}};
    for (const auto &[k, v] : c->env)
      p.env[k] = bind(v);
    std::string key = "run " + stage->name + " " + p.command;
    for (const auto &[k, v] : p.env)
      key += " " + k + "=" + v;
    std::string file = llvm::sys::path::filename(p.command).str();
    Node &n = add("run-" + slug(file), loc, std::move(p));
    n.key = key + instance();
    n.reversible = !s.once;
    finish(n);
  } else if (auto *w = s.as<sema::WaitStep>()) {
    std::string when = w->date ? w->date->str() : "";
    Node &n = add("wait-" + when, loc, WaitNode{w->date.value_or(Date())});
    n.key = "wait " + when;
    finish(n);
  }
}

/// Each leg's build node, then its test node (if a test recipe holds and is
/// not `none`), then its upload node (if the build ships to a channel): a
/// chain per leg; the step after the build waits for every chain's end.
void Lowerer::lowerBuild(const sema::BuildStep &b, const sema::Matrix &m,
                         llvm::SMLoc loc, std::vector<std::string> &added) {
  using Phase = BuildNode::Phase;
  int c = b.channel.empty() ? -1 : plan.channelIndex(b.channel);
  sema::DerivedValues derived(*plan.model, m, *plan.version,
                              &plan.projectVersions);
  sema::FieldValues values(plan, m);
  if (!stage->cron.empty())
    values.setNightly(opts.date.value_or("{date}"));
  std::vector<std::string> fields;
  auto it = llvm::find_if(
      m.fields, [](const sema::LegField &f) { return f.name == "build_name"; });
  size_t nameField =
      it == m.fields.end() ? m.fields.size() : it - m.fields.begin();
  std::vector<size_t> legs;
  for (size_t leg = 0; leg < m.legCount(); ++leg)
    if (c < 0 || (m.legChannels[leg] >> c & 1))
      legs.push_back(leg);
  // Names from `build_name` only if no two legs share one.
  std::vector<std::string> names;
  llvm::StringSet<> seen;
  bool unique = nameField < m.fields.size();
  for (size_t leg : legs) {
    std::vector<std::string> vals;
    for (size_t a = 0; a < m.axes.size(); ++a)
      vals.push_back(m.value(leg, a).ref.str());
    names.push_back(slug(llvm::join(vals, "-")));
    if (unique) {
      values.render(leg, c, fields);
      unique = seen.insert(slug(fields[nameField])).second;
    }
  }
  if (unique)
    for (size_t k = 0; k < legs.size(); ++k) {
      values.render(legs[k], c, fields);
      names[k] = slug(fields[nameField]);
    }
  auto render = [&](size_t leg, const sema::LegText &t) {
    std::string out;
    values.text(leg, c, t, fields, out);
    return out;
  };
  std::vector<std::string> before = previous;
  for (size_t k = 0; k < legs.size(); ++k) {
    size_t leg = legs[k];
    BuildNode p;
    p.matrix = m.name;
    p.channel = b.channel;
    p.experimental = m.experimental(leg);
    p.timeout = b.timeout;
    p.split = b.split;
    std::vector<std::string> vals;
    for (size_t a = 0; a < m.axes.size(); ++a) {
      vals.push_back(m.value(leg, a).ref.str());
      p.leg.push_back({m.axes[a].name, vals.back()});
    }
    for (auto [key, value] : derived.of(leg))
      p.derived.emplace(key, value);
    p.name = names[k];
    std::string key = m.name + " " + llvm::join(vals, "/") +
                      (b.channel.empty() ? "" : " for " + b.channel) +
                      instance();
    std::string release = plan.project + " " + plan.version->str() + " ";
    values.render(leg, c, fields);
    std::vector<const sema::Recipe *> build, test;
    values.recipes(leg, c, build, test);
    // A leg no build recipe holds for is an error Sema reported
    // (recipe-missing, recipes-missing): nothing says how it is built.
    if (build.empty())
      continue;
    auto phase = [&](Phase ph, const sema::Recipe *r) -> Node & {
      BuildNode q = p;
      q.phase = ph;
      if (r) {
        q.runner = render(leg, r->runner);
        q.image = render(leg, r->image);
        q.command = render(leg, r->command);
        for (const auto &[k, t] : r->env)
          q.env[k] = render(leg, t);
        q.accelerator = r->accelerator;
        q.submodules = r->submodules;
      }
      // Every phase has the build's artifacts: the test and the upload
      // take them from it.
      for (const sema::LegText &t : build[0]->artifacts)
        q.artifacts.push_back(render(leg, t));
      std::string name = sema::Recipe::phaseName(ph).str();
      Node &n = add(name + "-" + m.name + "/" + p.name, loc, std::move(q));
      n.key = name + " " + release + key;
      return n;
    };
    previous = before;
    Node &built = phase(Phase::Build, build[0]);
    std::string last = built.id;
    if (!test.empty() && !test[0]->none) {
      previous = {last};
      last = phase(Phase::Test, test[0]).id;
    }
    auto target = c < 0 ? m.targets.end() : m.targets.find(c);
    if (target != m.targets.end() && !target->second.upload.empty()) {
      previous = {last};
      Node &up = phase(Phase::Upload, nullptr);
      BuildNode &u = std::get<BuildNode>(up.payload);
      u.upload = render(leg, target->second.upload);
      u.role = target->second.role;
      u.index = target->second.index;
      // Publishing is outward and final for a version: never taken back.
      up.reversible = false;
      last = up.id;
    }
    added.push_back(last);
  }
  previous = before;
}

void Lowerer::lowerStage(const sema::Stage &st) {
  stage = &st;
  StageInfo &info = g.stages.emplace_back();
  info.name = st.name;
  info.params = st.params;
  info.after = st.after;
  info.partners = st.partners;
  info.notBefore = st.notBefore;
  info.cron = st.cron;
  previous.clear();
  if (opts.stage.empty())
    for (const std::string &a : st.after)
      if (const StageInfo *before = g.stage(a))
        previous.insert(previous.end(), before->exits.begin(),
                        before->exits.end());
  std::vector<std::string> added;
  if (st.notBefore) {
    Node &n = add("not-before", st.range.Start, WaitNode{*st.notBefore});
    n.key = "wait " + st.notBefore->str();
    added.push_back(n.id);
  }
  for (const sema::Step &s : st.steps) {
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
  g.repository = plan.repository;
  g.repositories = plan.repositories;
  g.rc = opts.rc;
  g.plan = &plan;
  g.sm = &sm;
  g.options = opts;
  for (const sema::Stage &st : plan.stages) {
    for (const sema::Step &s : st.steps)
      if (const auto *t = s.as<sema::TagStep>(); t && !t->name.hasRc())
        g.releaseTags.push_back(t->name.bind(std::nullopt));
    if (opts.stage.empty() || st.name == opts.stage)
      lowerStage(st);
  }
  return std::move(g);
}

Graph graph::lower(const Plan &plan, const LowerOptions &options,
                   const llvm::SourceMgr &sm, llvm::StringRef displayPath) {
  return Lowerer(plan, options, sm).run(displayPath);
}

Graph graph::bindRc(const Graph &g, unsigned rc) {
  LowerOptions options = g.options;
  options.rc = rc;
  return lower(*g.plan, options, *g.sm, g.file);
}
