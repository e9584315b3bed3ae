//===- Jobs.cpp - Grouping a stage's steps into CI jobs -------------------===//
#include "Emit/Jobs.h"
#include "Emit/Policy.h"

#include "Basic/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <map>
#include <tuple>

using namespace relc;
using namespace relc::emit;
using graph::Node;

std::string emit::jobId(llvm::StringRef text) {
  std::string out;
  for (char c : text)
    out += llvm::isAlnum(c) || c == '_' || c == '-' ? c : '-';
  if (out.empty() || !(llvm::isAlpha(out[0]) || out[0] == '_'))
    out = "job-" + out;
  // GitHub refuses a job id of 100 characters or more. A long one keeps its
  // first 90 and ends in `-` and 8 hex digits of a hash of the whole text:
  // the same plan gives the same id, and ids sharing a long prefix differ.
  if (out.size() > maxJobIdLength) {
    std::string hash = llvm::utohexstr(uint32_t(llvm::xxHash64(text)),
                                       /*LowerCase=*/true, /*Width=*/8);
    out.resize(maxJobIdLength - hash.size() - 1);
    out += "-" + hash;
  }
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
    const graph::BuildNode &build = first.as<graph::BuildNode>();
    bool byPlan = build.split == sema::SplitPolicy::Refuse;
    if (split && !byPlan)
      continue;
    diags.report(DiagKind::MatrixTooLarge,
                 byPlan ? llvm::SMRange(first.loc, first.loc) : llvm::SMRange(),
                 "stage '" + stage + "' builds more than " +
                     std::to_string(limit) + " legs of matrix '" +
                     build.matrix + "', " + limitName +
                     ", and splitting is refused" +
                     (byPlan ? " (split refuse)" : " (--no-split)"));
    ok = false;
  }
  return ok;
}

std::string emit::artifactDir(llvm::ArrayRef<std::string> globs) {
  if (globs.empty())
    return ".";
  llvm::StringRef dir = llvm::sys::path::parent_path(globs.front());
  return dir.empty() ? "." : dir.str();
}

std::string emit::shellWord(llvm::StringRef s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string emit::installRelcLines(llvm::StringRef dir) {
  std::string deb = "\"" + dir.str() + "/relc.deb\"";
  return "curl -fsSL --retry 3 -o " + deb + " \"$RELC_DEB_URL\"\n" +
         "echo \"$RELC_DEB_SHA256  " + dir.str() + "/relc.deb\" | " +
         "sha256sum -c -\n" + "dpkg-deb -x " + deb + " \"" + dir.str() +
         "/relc\"\n";
}

std::string emit::runCommand(llvm::StringRef stage, const graph::Node *node) {
  bool approve = node && node->kind() == graph::Node::Kind::Approval;
  return "relc run \"$RELC_PLAN\" --stage " + stage.str() +
         " --step \"$RELC_STEP\"" +
         (approve ? " --approve \"$RELC_APPROVE\"" : "") + " --execute";
}

/// The platform group of a leg: its value of the axis `platform` (or
/// `os`), so a job's legs run on one kind of runner.
static std::string platformGroup(const graph::BuildNode &b) {
  for (const auto &[axis, value] : b.leg)
    if (axis == "platform" || axis == "os")
      return value;
  return "";
}

/// The end of the build nodes from nodes[i] on of one matrix that, like
/// nodes[i], are of one plan step (\p sameStep).
template <typename SameStep>
static size_t legsEnd(const std::vector<const Node *> &nodes, size_t i,
                      SameStep &&sameStep) {
  const std::string &matrix = nodes[i]->as<graph::BuildNode>().matrix;
  size_t e = i;
  while (e < nodes.size() && nodes[e]->kind() == Node::Kind::Build &&
         nodes[e]->as<graph::BuildNode>().matrix == matrix &&
         sameStep(*nodes[e]))
    ++e;
  return e;
}

/// Matrix jobs `BASE`, or `BASE-1`, `BASE-2`, ... for \p legs cut into
/// parts of at most \p limit; \p init sets up each before it gets its legs.
template <typename Open, typename Init>
static void openParts(Open &&open, const std::string &base,
                      llvm::ArrayRef<const Node *> legs, size_t limit,
                      Init &&init) {
  size_t parts = (legs.size() + limit - 1) / limit;
  for (size_t p = 0; p < parts; ++p) {
    Job &j = open(base + (parts > 1 ? "-" + std::to_string(p + 1) : ""), true);
    j.part = parts > 1 ? p + 1 : 0;
    init(j);
    llvm::ArrayRef<const Node *> part =
        legs.slice(p * limit, std::min(limit, legs.size() - p * limit));
    j.nodes.assign(part.begin(), part.end());
  }
}

/// The jobs of one build step with recipes, from nodes[i] on: one matrix job
/// per phase, platform group and container or none, in parts of at most
/// \p limit. Returns the index after the step's nodes.
template <typename Open>
static size_t recipeJobs(const std::vector<const Node *> &nodes, size_t i,
                         size_t limit, Open &&open) {
  const Node &first = *nodes[i];
  const std::string &matrix = first.as<graph::BuildNode>().matrix;
  size_t e =
      legsEnd(nodes, i, [&](const Node &n) { return n.loc == first.loc; });
  using Key = std::tuple<int, std::string, bool>;
  std::map<Key, std::vector<const Node *>> groups;
  for (size_t k = i; k < e; ++k) {
    const graph::BuildNode &b = nodes[k]->as<graph::BuildNode>();
    groups[{int(b.phase), platformGroup(b), !b.image.empty()}].push_back(
        nodes[k]);
  }
  for (auto &[key, legs] : groups) {
    auto [phase, platform, container] = key;
    // One container group or none per platform: named by the platform.
    bool both = groups.count({phase, platform, !container});
    std::string base =
        sema::Recipe::phaseName(graph::BuildNode::Phase(phase)).str() + "-" +
        matrix + (platform.empty() ? "" : "-" + platform) +
        (both ? (container ? "-container" : "-host") : "");
    openParts(open, base, legs, limit,
              [&, phase = phase, container = container](Job &j) {
                j.phase = graph::BuildNode::Phase(phase);
                j.container = container;
              });
  }
  return e;
}

std::vector<Job> emit::stageJobs(const graph::Graph &g, llvm::StringRef stage,
                                 size_t limit) {
  std::vector<Job> jobs;
  llvm::StringSet<> used;
  std::map<std::string, size_t> jobOf; // Node id -> job index.
  auto open = [&](std::string base, bool matrix) -> Job & {
    std::string id = jobId(base);
    for (unsigned n = 2; !used.insert(id).second; ++n)
      id = jobId(base + "-" + std::to_string(n));
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
    if (n.kind() == Node::Kind::Build) {
      i = recipeJobs(nodes, i, limit, open);
      continue;
    }
    bool startsJob =
        jobs.empty() || jobs.back().matrix || n.kind() == Node::Kind::Approval;
    if (startsJob) {
      Job &j = open(tail.str(), false);
      if (n.kind() == Node::Kind::Approval)
        j.environment = n.as<graph::ApprovalNode>().group;
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
      j.writesGit |=
          n->kind() == Node::Kind::Branch || n->kind() == Node::Kind::Tag ||
          n->kind() == Node::Kind::Commit || n->kind() == Node::Kind::Pin;
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

/// An overlay value as YAML.
static yaml::Node yamlOf(const sema::OverlayValue &v) {
  using K = sema::OverlayValue::Kind;
  switch (v.kind) {
  case K::List: {
    yaml::Node n = yaml::Node::sequence();
    for (const sema::OverlayValue &x : v.items)
      n.push(yamlOf(x));
    return n;
  }
  case K::Map: {
    yaml::Node n;
    for (const auto &[k, x] : v.fields)
      n.set(k, yamlOf(x));
    return n;
  }
  case K::Bool:
    return yaml::Node::boolean(v.flag);
  case K::Number:
    return yaml::Node::number(v.number);
  case K::String:
    break;
  }
  // An overlay writes CI configuration: its text may be an expression
  // (`${{ secrets.TOKEN }}` in `env:`); relc's policy decides where.
  return yaml::Node::expression(v.text);
}

Overlays::Overlays(llvm::ArrayRef<sema::Overlay> all, llvm::StringRef backend,
                   const ActionsLock *lock)
    : backend(backend.str()), lock(lock) {
  for (const sema::Overlay &o : all) {
    if (o.backend != backend)
      continue;
    // Sema has refused a pattern that does not compile.
    llvm::Expected<llvm::GlobPattern> glob = llvm::GlobPattern::create(o.glob);
    if (!glob) {
      llvm::consumeError(glob.takeError());
      continue;
    }
    entries.push_back({&o, std::move(*glob), false, {}, {}});
  }
}

/// Sets or appends \p e's value at its path in \p job.
static void edit(const sema::OverlayEntry &e, yaml::Node &job) {
  yaml::Node *at = &job;
  for (size_t k = 0; k + 1 < e.path.size(); ++k)
    at = &(*at)[e.path[k]];
  yaml::Node value = yamlOf(e.value);
  yaml::Node &slot = (*at)[e.path.back()];
  if (e.append && value.kind == yaml::Node::Kind::Seq) {
    slot.kind = yaml::Node::Kind::Seq;
    for (yaml::Node &v : value.seq)
      slot.seq.push_back(std::move(v));
  } else if (e.append && value.kind == yaml::Node::Kind::Map) {
    for (auto &[k, v] : value.map)
      slot.set(k, std::move(v));
  } else {
    std::vector<std::string> notes = std::move(slot.notes);
    slot = std::move(value);
    slot.notes = std::move(notes);
  }
}

bool Overlays::apply(DiagnosticEngine &diags, llvm::StringRef id,
                     yaml::Node &job) {
  bool ok = true;
  for (Entry &entry : entries) {
    if (!entry.glob.match(id))
      continue;
    entry.matched = true;
    for (const sema::OverlayEntry &e : entry.overlay->entries) {
      yaml::Node before = job;
      edit(e, job);
      for (const PolicyFinding &f : overlayFindings(backend, before, job)) {
        if (const sema::OverlayAllow *a = entry.overlay->allowance(f.allow)) {
          entry.allowsUsed.insert(f.allow);
          std::string note = "relc: allow " + a->what + ": " + a->reason;
          yaml::Node *key = job.find(e.path.front());
          if (key && !llvm::is_contained(key->notes, note))
            key->notes.push_back(note);
          continue;
        }
        ok = false;
        // Once per edit and kind, for the first job it edits.
        if (!entry.reported.insert({&e, f.allow.str()}).second)
          continue;
        diags.report(DiagKind::OverlayPolicy, e.range,
                     "this edit of " + backend + " job '" + id + "' " + f.what +
                         "; relc refuses that unless the overlay says why: "
                         "allow " +
                         f.allow + " \"REASON\";");
      }
      if (lock && !entry.reported.count({&e, "uses"}) &&
          !pinUses(diags, *lock, job, e.range)) {
        entry.reported.insert({&e, "uses"});
        ok = false;
      }
    }
  }
  return ok;
}

void Overlays::reportUnmatched(DiagnosticEngine &diags,
                               llvm::ArrayRef<std::string> jobIds) const {
  for (const Entry &entry : entries) {
    if (!entry.matched) {
      diags.report(DiagKind::UnmatchedOverlay, entry.overlay->globRange,
                   "overlay pattern '" + entry.overlay->glob +
                       "' matches none of the " + entry.overlay->backend +
                       " jobs relc generates (" + llvm::join(jobIds, ", ") +
                       ")");
      continue;
    }
    for (const sema::OverlayAllow &a : entry.overlay->allows)
      if (!entry.allowsUsed.count(a.what))
        diags.report(DiagKind::UnusedAllow, a.range,
                     "no edit of this overlay needs 'allow " + a.what +
                         "'; remove it");
  }
}

std::string emit::indexBase(llvm::StringRef index) {
  size_t host = index.find("://");
  size_t path = index.find('/', host == llvm::StringRef::npos ? 0 : host + 3);
  return index.take_front(path).str();
}

std::string emit::indexAudience(llvm::StringRef index) {
  llvm::StringRef host = llvm::StringRef(indexBase(index)).split("://").second;
  return host.startswith("test.") ? "testpypi" : "pypi";
}

std::vector<const graph::TagNode *> emit::rcTags(const graph::Graph &g,
                                                 llvm::StringRef stage) {
  std::vector<const graph::TagNode *> out;
  for (const graph::Node &n : g.nodes)
    if (auto *t = std::get_if<graph::TagNode>(&n.payload);
        t && n.stage == stage && t->nameParts.size() > 1)
      out.push_back(t);
  return out;
}
