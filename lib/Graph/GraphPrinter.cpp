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
        });
    });
    j.attributeArray("nodes", [&] {
      for (const Node &n : g.nodes)
        j.object([&] {
          j.attribute("id", n.id);
          j.attribute("kind", Node::kindName(n.kind));
          j.attribute("stage", n.stage);
          j.attributeArray("needs", [&] {
            for (const std::string &d : n.needs)
              j.value(d);
          });
          j.attribute("key", n.key);
          j.attribute("reversible", n.reversible);
          j.attribute("once", n.once);
          j.attributeObject("fields", [&] {
            for (const auto &[k, v] : n.fields)
              j.attribute(k, v);
          });
          stringMap("env", n.env);
          if (!n.leg.empty())
            j.attributeObject("leg", [&] {
              for (const auto &[axis, value] : n.leg)
                j.attribute(axis, value);
            });
          stringMap("derived", n.derived);
          j.attribute("location", n.location);
        });
    });
  });
  os << "\n";
}

/// A node's label for people: its kind and what it works on.
static std::string label(const Node &n) {
  std::string s = n.summary();
  if (n.kind == Node::Kind::Build) {
    std::vector<std::string> values;
    for (const auto &[axis, value] : n.leg)
      values.push_back(value);
    s += " " + *n.field("matrix") + " (" + llvm::join(values, ", ") + ")";
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
           << (n.kind == Node::Kind::Approval ? ", shape=diamond" : "")
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
        bool gate = n.kind == Node::Kind::Approval;
        os << "    " << mid[n.id] << (gate ? "{" : "[") << text(label(n))
           << (gate ? "}" : "]") << "\n";
      }
    os << "  end\n";
  }
  for (const Node &n : g.nodes)
    for (const std::string &d : n.needs)
      os << "  " << mid[d] << " --> " << mid[n.id] << "\n";
}
