//===- GraphPrinter.cpp - The step graph as JSON, DOT and Mermaid ---------===//
//
// JSON is for programs (the executor and CI backends read the same thing a
// user can inspect); DOT and Mermaid are for people. All three are byte-for-
// byte the same for the same plan: nodes in graph order, fields in a fixed
// order, maps sorted.
//
//===----------------------------------------------------------------------===//
#include "Graph/Graph.h"

#include "Basic/JsonWriter.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;
using namespace relc::graph;

static std::string splitName(sema::SplitPolicy p) {
  return p == sema::SplitPolicy::Refuse ? "refuse" : "jobs";
}

std::vector<std::pair<std::string, std::string>> graph::fields(const Node &n) {
  std::vector<std::pair<std::string, std::string>> f;
  auto duration = [](const std::optional<Duration> &d) {
    return d ? d->str() : std::string();
  };
  switch (n.kind()) {
  case Node::Kind::Branch: {
    const BranchNode &b = n.as<BranchNode>();
    f = {{"name", b.name},
         {"from", b.from},
         {"remote", b.remote},
         {"repo", b.repo}};
    break;
  }
  case Node::Kind::Tag: {
    const TagNode &t = n.as<TagNode>();
    f = {{"name", t.name},       {"on", t.on},
         {"remote", t.remote},   {"annotated", t.annotated ? "true" : "false"},
         {"message", t.message}, {"repo", t.repo}};
    break;
  }
  case Node::Kind::Commit: {
    const CommitNode &c = n.as<CommitNode>();
    f = {{"file", c.file},     {"content", c.content}, {"branch", c.branch},
         {"remote", c.remote}, {"message", c.message}, {"repo", c.repo}};
    break;
  }
  case Node::Kind::Pin: {
    const PinNode &p = n.as<PinNode>();
    f = {{"file", p.file},       {"of", p.of},
         {"ref", p.ref},         {"as", p.commit ? "commit" : "branch"},
         {"branch", p.branch},   {"remote", p.remote},
         {"message", p.message}, {"repo", p.repo}};
    break;
  }
  case Node::Kind::Record: {
    const RecordNode &r = n.as<RecordNode>();
    f = {{"name", r.name},
         {"file", r.file},
         {"on", r.on},
         {"remote", r.remote},
         {"as", r.commit ? "commit" : ""},
         {"repo", r.repo}};
    break;
  }
  case Node::Kind::Build: {
    const BuildNode &b = n.as<BuildNode>();
    f = {{"matrix", b.matrix},
         {"channel", b.channel},
         {"experimental", b.experimental ? "true" : "false"},
         {"timeout", duration(b.timeout)},
         {"split", b.split ? splitName(*b.split) : ""}};
    // Empty texts are left out.
    f.insert(f.end(), {{"phase", sema::Recipe::phaseName(b.phase).str()},
                       {"name", b.name},
                       {"runner", b.runner},
                       {"image", b.image},
                       {"command", b.command},
                       {"artifacts", llvm::join(b.artifacts, " ")},
                       {"accelerator", b.accelerator ? "true" : ""},
                       {"submodules", b.submodules ? "true" : ""},
                       {"upload", b.upload},
                       {"role", b.role},
                       {"index", b.index}});
    break;
  }
  case Node::Kind::Check: {
    const CheckNode &c = n.as<CheckNode>();
    f = {{"check", c.check}};
    if (c.function)
      f.push_back({"function", c.function->name.str()});
    for (const CheckArgValue &a : c.args)
      f.push_back({a.param->name.str(), a.text});
    break;
  }
  case Node::Kind::Approval: {
    const ApprovalNode &a = n.as<ApprovalNode>();
    f = {{"group", a.group}, {"timeout", duration(a.timeout)}};
    break;
  }
  case Node::Kind::Shell: {
    const ShellNode &s = n.as<ShellNode>();
    f = {{"command", s.command},
         {"timeout", duration(s.timeout)},
         {"cwd", s.cwd}};
    break;
  }
  case Node::Kind::Wait:
    f = {{"date", n.as<WaitNode>().date.str()}};
    break;
  }
  llvm::erase_if(f, [](const auto &kv) { return kv.second.empty(); });
  return f;
}

void graph::printJson(const Graph &g, llvm::raw_ostream &os) {
  JsonWriter j(os, 2);
  auto stringMap = [&](llvm::StringRef name,
                       const std::map<std::string, std::string> &m) {
    if (!m.empty())
      j.attributeObject(name, [&] {
        for (const auto &[k, v] : m)
          j.attribute(k, v);
      });
  };
  j.object([&] {
    j.attribute("format", "relc-step-graph");
    j.attribute("version", formatVersion);
    j.attribute("project", g.project);
    j.attribute("release", g.version);
    j.attribute("plan", g.file);
    if (g.rc)
      j.attribute("rc", int64_t(*g.rc));
    // The other repositories the plan drives; a plan of one repository
    // prints as before.
    if (!g.repositories.empty())
      j.attributeArray("repositories", [&] {
        for (const sema::Repository &r : g.repositories)
          j.object([&] {
            j.attribute("name", r.name);
            j.attribute("remote", r.remote);
            if (!r.url.empty())
              j.attribute("url", r.url);
            j.attribute("mainBranch", r.mainBranch);
          });
      });
    j.attributeArray("stages", [&] {
      for (const StageInfo &s : g.stages)
        j.object([&] {
          j.attribute("name", s.name);
          if (!s.params.empty())
            j.attributeArray("params", [&] {
              for (const std::string &p : s.params)
                j.value(p);
            });
          j.attributeArray("after", [&] {
            for (const std::string &a : s.after)
              j.value(a);
          });
          if (s.notBefore)
            j.attribute("notBefore", s.notBefore->str());
          if (!s.cron.empty())
            j.attribute("cron", s.cron);
        });
    });
    j.attributeArray("nodes", [&] {
      for (const Node &n : g.nodes)
        j.object([&] {
          j.attribute("id", n.id);
          j.attribute("kind", Node::kindName(n.kind()));
          j.attribute("stage", n.stage);
          j.attributeArray("needs", [&] {
            for (const std::string &d : n.needs)
              j.value(d);
          });
          j.attribute("key", n.key);
          j.attribute("reversible", n.reversible);
          j.attribute("once", n.once);
          j.attributeObject("fields", [&] {
            for (const auto &[k, v] : fields(n))
              j.attribute(k, v);
          });
          if (const auto *s = std::get_if<ShellNode>(&n.payload))
            stringMap("env", s->env);
          if (const auto *b = std::get_if<BuildNode>(&n.payload)) {
            if (!b->leg.empty())
              j.attributeObject("leg", [&] {
                for (const auto &[axis, value] : b->leg)
                  j.attribute(axis, value);
              });
            stringMap("derived", b->derived);
            if (!b->env.empty())
              stringMap("env", b->env);
          }
          j.attribute("location", n.location);
        });
    });
  });
  os << "\n";
}

/// A node's label for people: its kind and what it works on.
static std::string label(const Node &n) {
  std::string s = n.summary();
  if (const auto *b = std::get_if<BuildNode>(&n.payload)) {
    std::vector<std::string> values;
    for (const auto &[axis, value] : b->leg)
      values.push_back(value);
    s += " " + b->matrix + " (" + llvm::join(values, ", ") + ")";
  }
  if (n.once)
    s += " [once]";
  return s;
}

static std::string quoted(llvm::StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

void graph::printDot(const Graph &g, llvm::raw_ostream &os) {
  os << "digraph " << quoted(g.project + " " + g.version) << " {\n"
     << "  rankdir=TB;\n  node [shape=box, fontname=\"sans-serif\"];\n";
  for (size_t i = 0; i < g.stages.size(); ++i) {
    const StageInfo &s = g.stages[i];
    os << "  subgraph " << quoted("cluster_" + s.name) << " {\n"
       << "    label=" << quoted("stage " + s.name) << ";\n";
    for (const Node &n : g.nodes)
      if (n.stage == s.name)
        os << "    " << quoted(n.id) << " [label=" << quoted(label(n))
           << (n.once ? ", style=bold, color=red" : "")
           << (n.kind() == Node::Kind::Approval ? ", shape=diamond" : "")
           << "];\n";
    os << "  }\n";
  }
  for (const Node &n : g.nodes)
    for (const std::string &d : n.needs)
      os << "  " << quoted(d) << " -> " << quoted(n.id) << ";\n";
  os << "}\n";
}

void graph::printMermaid(const Graph &g, llvm::raw_ostream &os) {
  // Mermaid ids are plain words; labels carry the text.
  std::map<std::string, std::string> mid;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    mid[g.nodes[i].id] = "n" + std::to_string(i);
  auto text = [](std::string s) {
    for (char &c : s)
      if (c == '"')
        c = '\'';
    return "\"" + s + "\"";
  };
  os << "flowchart TD\n";
  for (const StageInfo &s : g.stages) {
    os << "  subgraph " << slug(s.name) << " [" << text("stage " + s.name)
       << "]\n";
    for (const Node &n : g.nodes)
      if (n.stage == s.name) {
        bool gate = n.kind() == Node::Kind::Approval;
        os << "    " << mid[n.id] << (gate ? "{" : "[") << text(label(n))
           << (gate ? "}" : "]") << "\n";
      }
    os << "  end\n";
  }
  for (const Node &n : g.nodes)
    for (const std::string &d : n.needs)
      os << "  " << mid[d] << " --> " << mid[n.id] << "\n";
}
