//===- Jobs.cpp - Grouping a stage's steps into CI jobs -------------------===//
#include "Emit/Jobs.h"

#include "Basic/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"

using namespace relc;
using namespace relc::emit;
using graph::Node;

std::string emit::jobId(llvm::StringRef text) {
  std::string out;
  for (char c : text)
    out += llvm::isAlnum(c) || c == '_' || c == '-' ? c : '-';
  if (out.empty() || !(llvm::isAlpha(out[0]) || out[0] == '_'))
    out = "job-" + out;
  return out;
}

bool emit::checkSplits(DiagnosticEngine &diags, const std::vector<Job> &jobs,
                       llvm::StringRef stage, size_t limit,
                       llvm::StringRef limitName, bool split) {
  bool ok = true;
  for (const Job &j : jobs) {
    if (j.part != 1)
      continue;
    const graph::Node &first = *j.nodes.front();
    bool byPlan = first.field("split") && *first.field("split") == "refuse";
    if (split && !byPlan)
      continue;
    diags.report(DiagKind::MatrixTooLarge,
                 byPlan ? llvm::SMRange(first.loc, first.loc) : llvm::SMRange(),
                 "stage '" + stage + "' builds more than " +
                     std::to_string(limit) + " legs of matrix '" +
                     *first.field("matrix") + "', " + limitName +
                     ", and splitting is refused" +
                     (byPlan ? " (split refuse)" : " (--no-split)"));
    ok = false;
  }
  return ok;
}

std::string emit::shellWord(llvm::StringRef s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string emit::runCommand(llvm::StringRef stage, const graph::Node *node) {
  std::string approve;
  if (node && node->kind == graph::Node::Kind::Approval)
    approve = " --approve " + shellWord(*node->field("group"));
  return "relc run \"$RELC_PLAN\" --stage " + stage.str() +
         " --step \"$RELC_STEP\"" + approve + " --execute";
}

std::vector<Job> emit::stageJobs(const graph::Graph &g, llvm::StringRef stage,
                                 size_t limit) {
  std::vector<Job> jobs;
  llvm::StringSet<> used;
  std::map<std::string, size_t> jobOf; // Node id -> job index.
  auto open = [&](std::string base, bool matrix) -> Job & {
    std::string id = jobId(base);
    for (unsigned n = 2; !used.insert(id).second; ++n)
      id = jobId(base) + "-" + std::to_string(n);
    Job &j = jobs.emplace_back();
    j.id = id;
    j.matrix = matrix;
    return j;
  };
  std::vector<const Node *> nodes;
  for (const Node &n : g.nodes)
    if (n.stage == stage)
      nodes.push_back(&n);
  for (size_t i = 0; i < nodes.size();) {
    const Node &n = *nodes[i];
    llvm::StringRef tail = llvm::StringRef(n.id).drop_front(stage.size() + 1);
    if (n.kind == Node::Kind::Build) {
      // One plan step's legs share their needs: take them all, in parts.
      size_t e = i;
      while (e < nodes.size() && nodes[e]->kind == Node::Kind::Build &&
             nodes[e]->needs == n.needs &&
             *nodes[e]->field("matrix") == *n.field("matrix"))
        ++e;
      size_t parts = (e - i + limit - 1) / limit;
      for (size_t p = 0; p < parts; ++p) {
        Job &j = open("build-" + *n.field("matrix") +
                          (parts > 1 ? "-" + std::to_string(p + 1) : ""),
                      true);
        j.part = parts > 1 ? p + 1 : 0;
        for (size_t k = i + p * limit; k < std::min(e, i + (p + 1) * limit);
             ++k)
          j.nodes.push_back(nodes[k]);
      }
      i = e;
      continue;
    }
    bool startsJob =
        jobs.empty() || jobs.back().matrix || n.kind == Node::Kind::Approval;
    if (startsJob) {
      Job &j = open(tail.str(), false);
      if (n.kind == Node::Kind::Approval)
        j.environment = *n.field("group");
    }
    jobs.back().nodes.push_back(&n);
    ++i;
  }
  for (size_t k = 0; k < jobs.size(); ++k)
    for (const Node *n : jobs[k].nodes)
      jobOf[n->id] = k;
  for (size_t k = 0; k < jobs.size(); ++k) {
    Job &j = jobs[k];
    for (const Node *n : j.nodes) {
      j.writesGit |= n->kind == Node::Kind::Branch ||
                     n->kind == Node::Kind::Tag ||
                     n->kind == Node::Kind::Commit;
      j.publishes |= n->once;
      j.irreversible |= !n->reversible;
      for (const std::string &d : n->needs) {
        auto it = jobOf.find(d);
        // Needs in other stages are met before this stage's workflow runs.
        if (it == jobOf.end() || it->second == k)
          continue;
        const std::string &dep = jobs[it->second].id;
        if (!llvm::is_contained(j.needs, dep))
          j.needs.push_back(dep);
      }
    }
  }
  return jobs;
}

/// An overlay value as YAML: strings, lists, objects; anything else as the
/// text of its literal.
static yaml::Node overlayValue(const ast::Expr &e) {
  if (auto *l = llvm::dyn_cast<ast::ListExpr>(&e)) {
    yaml::Node n = yaml::Node::sequence();
    for (const ast::ExprPtr &x : l->elements)
      n.push(overlayValue(*x));
    return n;
  }
  if (auto *o = llvm::dyn_cast<ast::ObjectExpr>(&e)) {
    yaml::Node n;
    for (const auto &f : o->fields)
      n.set(f.key.text, overlayValue(*f.value));
    return n;
  }
  if (auto *s = llvm::dyn_cast<ast::StringExpr>(&e))
    return yaml::Node::str(s->value);
  if (auto *p = llvm::dyn_cast<ast::PathExpr>(&e)) {
    if (p->str() == "true" || p->str() == "false")
      return yaml::Node::boolean(p->str() == "true");
    return yaml::Node::str(p->str());
  }
  if (auto *v = llvm::dyn_cast<ast::VersionExpr>(&e)) {
    // A bare whole number (`timeout-minutes = 30`) is a number.
    if (v->value.release().size() == 1 && !v->value.isPrerelease())
      return yaml::Node::number(v->value.major());
    return yaml::Node::str(v->str());
  }
  if (auto *d = llvm::dyn_cast<ast::DurationExpr>(&e))
    return yaml::Node::str(d->value.str());
  return yaml::Node::str("");
}

void emit::applyOverlays(const sema::Plan &plan, llvm::StringRef backend,
                         llvm::StringRef id, yaml::Node &job) {
  for (const ast::File *file : {plan.projectFile, plan.file}) {
    if (!file || (file == plan.file && file == plan.projectFile))
      continue;
    for (const ast::Item &it : file->items) {
      if (it.kind != ast::Item::Kind::Overlay || it.name.text != backend ||
          !it.path)
        continue;
      llvm::Expected<llvm::GlobPattern> glob =
          llvm::GlobPattern::create(it.path->value);
      if (!glob) {
        llvm::consumeError(glob.takeError());
        continue;
      }
      if (!glob->match(id))
        continue;
      for (const ast::OverlayEntry &e : it.overlay) {
        yaml::Node *at = &job;
        for (size_t k = 0; k + 1 < e.path.size(); ++k)
          at = &(*at)[e.path[k].text];
        yaml::Node value = overlayValue(*e.value);
        yaml::Node &slot = (*at)[e.path.back().text];
        if (e.append && value.kind == yaml::Node::Kind::Seq) {
          slot.kind = yaml::Node::Kind::Seq;
          for (yaml::Node &v : value.seq)
            slot.seq.push_back(std::move(v));
        } else if (e.append && value.kind == yaml::Node::Kind::Map) {
          for (auto &[k, v] : value.map)
            slot.set(k, std::move(v));
        } else {
          slot = std::move(value);
        }
      }
    }
  }
}
