//===- Checks.cpp - history checks, artifact sizes, file contents ---------===//
#include "Exec/Checks.h"

#include "Basic/Time.h"
#include "Basic/Words.h"
#include "Graph/Graph.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

using namespace relc;
using namespace relc::exec;
using git::Commit;
using git::Oid;

static llvm::Error failure(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

static bool isHex(llvm::StringRef s) {
  return !s.empty() && llvm::all_of(s, llvm::isHexDigit);
}

/// The commits named after \p marker in a message: `(cherry picked from
/// commit X)`, `This reverts commit X`.
static std::vector<std::string> named(const Commit &c, llvm::StringRef marker) {
  std::vector<std::string> out;
  llvm::StringRef rest = c.message;
  for (size_t at; (at = rest.find(marker)) != llvm::StringRef::npos;) {
    rest = rest.drop_front(at + marker.size());
    llvm::StringRef sha = rest.take_while(llvm::isHexDigit);
    if (sha.size() >= 7)
      out.push_back(sha.lower());
  }
  return out;
}
static std::vector<std::string> pickedFrom(const Commit &c) {
  return named(c, "(cherry picked from commit ");
}
static std::vector<std::string> reverted(const Commit &c) {
  return named(c, "This reverts commit ");
}

/// The PR number a URL or reference names: `.../pull/123`, `#123`, `123`.
static std::optional<std::string> prNumber(llvm::StringRef text) {
  text = text.trim();
  size_t at = text.rfind("/pull/");
  if (at != llvm::StringRef::npos)
    text = text.drop_front(at + 6);
  text.consume_front("#");
  text = text.take_while(llvm::isDigit);
  if (text.empty())
    return std::nullopt;
  return text.str();
}

/// The PR a commit landed from: its `Pull Request resolved:` trailer, or a
/// GitHub squash title ending in `(#123)`.
static std::optional<std::string> prOf(const Commit &c) {
  for (const auto &[key, value] : c.trailers())
    if (llvm::StringRef(key).equals_insensitive("Pull Request resolved") ||
        llvm::StringRef(key).equals_insensitive("Pull-Request"))
      if (std::optional<std::string> n = prNumber(value))
        return n;
  llvm::StringRef title = llvm::StringRef(c.summary).rtrim();
  if (title.consume_back(")")) {
    size_t at = title.rfind("(#");
    if (at != llvm::StringRef::npos && title.size() > at + 2 &&
        llvm::all_of(title.drop_front(at + 2), llvm::isDigit))
      return title.drop_front(at + 2).str();
  }
  return std::nullopt;
}

static std::string describe(const Commit &c) {
  return c.id.abbrev() + " '" + c.summary + "'";
}

namespace {

/// A side of a comparison (the release branch's own commits), indexed by
/// everything a cherry-pick keeps.
class PickIndex {
public:
  PickIndex(const git::Repository &repo, const std::vector<Commit> &commits)
      : repo(repo), commits(commits) {
    for (const Commit &c : commits) {
      ids.insert(c.id.hex);
      for (std::string &s : pickedFrom(c))
        picked.push_back(std::move(s));
      if (std::optional<std::string> pr = prOf(c))
        prs.insert(*pr);
    }
  }

  /// How \p c reached this side, or empty if it did not.
  llvm::Expected<std::string> find(const Commit &c) {
    if (ids.count(c.id.hex))
      return std::string("merged");
    for (const std::string &p : picked)
      if (llvm::StringRef(c.id.hex).startswith(p))
        return std::string("cherry-pick trailer");
    if (std::optional<std::string> pr = prOf(c); pr && prs.count(*pr))
      return "PR #" + *pr;
    llvm::Expected<Oid> id = repo.patchId(c.id);
    if (!id)
      return id.takeError();
    if (llvm::Error e = indexPatchIds())
      return e;
    if (patchIds.count(id->hex))
      return std::string("patch-id");
    return std::string();
  }

private:
  /// Patch-ids cost a diff each: computed once, and only when a commit is
  /// not found by cheaper means.
  llvm::Error indexPatchIds() {
    if (patchIdsReady)
      return llvm::Error::success();
    patchIdsReady = true;
    for (const Commit &c : commits) {
      if (c.parents.size() > 1)
        continue;
      llvm::Expected<Oid> id = repo.patchId(c.id);
      if (!id)
        return id.takeError();
      patchIds.insert(id->hex);
    }
    return llvm::Error::success();
  }

  const git::Repository &repo;
  const std::vector<Commit> &commits;
  std::set<std::string> ids, prs, patchIds;
  std::vector<std::string> picked;
  bool patchIdsReady = false;
};

/// A tracker entry: a PR number or a commit id, with where it is written.
struct TrackerEntry {
  std::string pr, commit, where;
};

struct Ranges {
  Oid from, into, main;
};

} // namespace

static llvm::Expected<Oid> resolve(const CheckContext &ctx,
                                   llvm::StringRef name) {
  if (std::optional<Oid> id = ctx.resolve(name))
    return *id;
  return failure("'" + name + "' does not exist on the remote");
}

static llvm::Expected<std::vector<TrackerEntry>>
loadTracker(llvm::StringRef path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path.str());
  } catch (const YAML::BadFile &) {
    return failure("cannot read tracker " + path);
  } catch (const YAML::Exception &e) {
    return failure(path + ":" + llvm::Twine(e.mark.line + 1) + ":" +
                   llvm::Twine(e.mark.column + 1) + ": " + e.msg);
  }
  auto at = [&](const YAML::Node &n) {
    return (path + ":" + llvm::Twine(n.Mark().line + 1) + ":" +
            llvm::Twine(n.Mark().column + 1))
        .str();
  };
  YAML::Node list = root.IsMap() ? root["picks"] : root;
  if (!list.IsSequence())
    return failure(at(root) + ": a tracker is a list of PR numbers or commit "
                              "ids, or a mapping with such a list under "
                              "'picks'");
  std::vector<TrackerEntry> out;
  for (const YAML::Node &item : list) {
    TrackerEntry e;
    e.where = at(item);
    YAML::Node value = item;
    bool isCommit = false;
    if (item.IsMap()) {
      if (item["pr"])
        value = item["pr"];
      else if (item["commit"])
        value = item["commit"], isCommit = true;
      else
        return failure(e.where + ": an entry needs 'pr' or 'commit'");
    }
    if (!value.IsScalar())
      return failure(e.where + ": expected a PR number or a commit id");
    llvm::StringRef text = llvm::StringRef(value.Scalar()).trim();
    bool digits = !text.empty() && llvm::all_of(text, llvm::isDigit);
    if (!isCommit &&
        (digits || text.startswith("#") || text.contains("/pull/"))) {
      std::optional<std::string> pr = prNumber(text);
      if (!pr)
        return failure(e.where + ": '" + text + "' is not a PR number");
      e.pr = *pr;
    } else if (isHex(text) && text.size() >= 7 && text.size() <= 40) {
      e.commit = text.lower();
    } else {
      return failure(e.where + ": '" + text +
                     "' is neither a PR number nor a commit id (7 to 40 hex "
                     "digits)");
    }
    out.push_back(std::move(e));
  }
  return out;
}

/// The text of argument \p name of \p check ("" if not given).
static llvm::StringRef text(const graph::CheckNode &check,
                            llvm::StringRef name) {
  const graph::CheckArgValue *a = check.arg(name);
  return a ? llvm::StringRef(a->text) : llvm::StringRef();
}

static llvm::Expected<CheckResult>
cherryPicksPresent(const graph::CheckNode &node, const CheckContext &ctx) {
  llvm::Expected<std::vector<TrackerEntry>> entries =
      loadTracker(node.arg("tracker")->path);
  if (!entries)
    return entries.takeError();
  llvm::Expected<Oid> from = resolve(ctx, text(node, "from"));
  if (!from)
    return from.takeError();
  llvm::Expected<Oid> into = resolve(ctx, text(node, "into"));
  if (!into)
    return into.takeError();
  llvm::Expected<Oid> main = resolve(ctx, ctx.mainBranch);
  if (!main)
    return main.takeError();
  // The cut point: `from` is the branch the release was cut from, or a
  // frozen copy of the cut (orig/release/X.Y); either way their common
  // history with the release branch ends there.
  llvm::Expected<Oid> cut = ctx.repo.mergeBase(*from, *into);
  if (!cut)
    return cut.takeError();
  llvm::Expected<std::vector<Commit>> landed = ctx.repo.log(*main, *cut);
  if (!landed)
    return landed.takeError();
  llvm::Expected<std::vector<Commit>> picks = ctx.repo.log(*into, *cut);
  if (!picks)
    return picks.takeError();
  std::map<std::string, const Commit *> byPr;
  for (const Commit &c : *landed)
    if (std::optional<std::string> pr = prOf(c))
      byPr.emplace(*pr, &c);

  PickIndex release(ctx.repo, *picks);
  CheckResult r;
  unsigned present = 0, notLanded = 0;
  for (const TrackerEntry &e : *entries) {
    const Commit *m = nullptr;
    if (!e.pr.empty()) {
      auto it = byPr.find(e.pr);
      m = it == byPr.end() ? nullptr : it->second;
    } else {
      for (const Commit &c : *landed)
        if (llvm::StringRef(c.id.hex).startswith(e.commit))
          m = &c;
    }
    std::string name = e.pr.empty() ? "commit " + e.commit : "PR #" + e.pr;
    if (!m) {
      // Not on main after the cut: in the release already, or not landed.
      ++notLanded;
      r.findings.push_back("note: " + name + " (" + e.where +
                           ") did not land on " + ctx.mainBranch +
                           " after the cut; nothing to pick");
      continue;
    }
    llvm::Expected<std::string> how = release.find(*m);
    if (!how)
      return how.takeError();
    if (how->empty())
      r.findings.push_back("missing: " + name + " " + describe(*m) + " is on " +
                           ctx.mainBranch + " but not on " +
                           text(node, "into").str());
    else
      ++present;
  }
  unsigned missing = unsigned(entries->size()) - present - notLanded;
  r.passed = missing == 0;
  r.summary = std::to_string(entries->size()) + " tracked, " +
              std::to_string(present) + " picked, " + std::to_string(missing) +
              " missing";
  if (notLanded)
    r.summary += ", " + std::to_string(notLanded) + " not landed after the cut";
  return r;
}

/// The commits on \p hi that are not on \p lo (`lo..hi`), both names on the
/// remote.
static llvm::Expected<std::vector<Commit>>
commitsIn(const CheckContext &ctx, llvm::StringRef lo, llvm::StringRef hi) {
  llvm::Expected<Oid> from = resolve(ctx, lo);
  if (!from)
    return from.takeError();
  llvm::Expected<Oid> to = resolve(ctx, hi);
  if (!to)
    return to.takeError();
  return ctx.repo.log(*to, *from);
}

/// The values of trailer \p key of \p c (any case), trimmed.
static std::vector<std::string> trailerValues(const Commit &c,
                                              llvm::StringRef key) {
  std::vector<std::string> values;
  for (const auto &[k, v] : c.trailers())
    if (llvm::StringRef(k).equals_insensitive(key))
      values.push_back(llvm::StringRef(v).trim().str());
  return values;
}

static llvm::Expected<CheckResult> trailers(const graph::CheckNode &node,
                                            const CheckContext &ctx) {
  const graph::CheckArgValue &range = *node.arg("range");
  llvm::StringRef lo = range.lo, hi = range.hi;
  llvm::StringRef key = text(node, "key");
  const std::vector<std::string> &allowed = node.arg("in")->items;
  llvm::Expected<std::vector<Commit>> commits = commitsIn(ctx, lo, hi);
  if (!commits)
    return commits.takeError();
  CheckResult r;
  for (const Commit &c : *commits) {
    if (c.parents.size() > 1)
      continue; // Merges carry no change of their own.
    std::vector<std::string> values = trailerValues(c, key);
    if (values.empty()) {
      r.findings.push_back(describe(c) + " has no " + key.str() + " trailer");
      continue;
    }
    for (const std::string &v : values)
      if (!llvm::is_contained(allowed, v))
        r.findings.push_back(describe(c) + " has " + key.str() + ": " + v +
                             ", not one of " + llvm::join(allowed, ", "));
  }
  r.passed = r.findings.empty();
  r.summary = countOf(commits->size(), "commit") + " in " + lo.str() + ".." +
              hi.str() + ", " + std::to_string(r.findings.size()) +
              " without a valid " + key.str() + " trailer";
  return r;
}

static llvm::Expected<CheckResult>
revertsPropagated(const graph::CheckNode &node, const CheckContext &ctx) {
  llvm::StringRef intoName = text(node, "into");
  llvm::StringRef fromName =
      node.arg("from") ? text(node, "from") : llvm::StringRef(ctx.mainBranch);
  llvm::Expected<Oid> into = resolve(ctx, intoName);
  if (!into)
    return into.takeError();
  llvm::Expected<Oid> from = resolve(ctx, fromName);
  if (!from)
    return from.takeError();
  // Commits only on main (since the cut) and only on the release branch
  // (its cherry-picks).
  llvm::Expected<std::vector<Commit>> mainOnly = ctx.repo.log(*from, *into);
  if (!mainOnly)
    return mainOnly.takeError();
  llvm::Expected<std::vector<Commit>> releaseOnly = ctx.repo.log(*into, *from);
  if (!releaseOnly)
    return releaseOnly.takeError();
  PickIndex release(ctx.repo, *releaseOnly);
  // What the release branch has reverted, by the reverted commit.
  std::vector<std::string> revertedOnRelease;
  for (const Commit &c : *releaseOnly)
    for (std::string &s : reverted(c))
      revertedOnRelease.push_back(std::move(s));

  auto findRelease = [&](llvm::StringRef sha) -> const Commit * {
    for (const Commit &c : *releaseOnly)
      if (llvm::StringRef(c.id.hex).startswith(sha))
        return &c;
    return nullptr;
  };
  CheckResult r;
  unsigned reverts = 0;
  for (const Commit &c : *mainOnly) {
    for (const std::string &target : reverted(c)) {
      ++reverts;
      // Is the reverted commit on the release branch: in the history it was
      // cut from, or picked onto it?
      bool onRelease = false;
      std::string full = target;
      for (const Commit &m : *mainOnly)
        if (llvm::StringRef(m.id.hex).startswith(target))
          full = m.id.hex;
      if (full.size() == 40 && ctx.repo.has(Oid{full})) {
        llvm::Expected<bool> anc = ctx.repo.isAncestor(Oid{full}, *into);
        if (!anc)
          return anc.takeError();
        onRelease = *anc;
        if (!onRelease) {
          llvm::Expected<Commit> rc = ctx.repo.commit(Oid{full});
          if (!rc)
            return rc.takeError();
          llvm::Expected<std::string> how = release.find(*rc);
          if (!how)
            return how.takeError();
          onRelease = !how->empty();
        }
      } else if (findRelease(target)) {
        onRelease = true;
      }
      if (!onRelease)
        continue;
      // Propagated: the release branch reverts the same commit (or its
      // pick), or carries this revert itself.
      bool propagated = false;
      for (const std::string &rv : revertedOnRelease)
        if (llvm::StringRef(full).startswith(rv))
          propagated = true;
      if (!propagated) {
        llvm::Expected<std::string> how = release.find(c);
        if (!how)
          return how.takeError();
        propagated = !how->empty();
      }
      if (!propagated)
        r.findings.push_back(
            "unpropagated: " + describe(c) + " on " + fromName.str() +
            " reverts " + llvm::StringRef(full).take_front(12).str() +
            ", which is on " + intoName.str() + "; the revert is not");
    }
  }
  r.passed = r.findings.empty();
  r.summary = countOf(reverts, "revert") + " on " + fromName.str() +
              " since the cut, " + std::to_string(r.findings.size()) +
              " not propagated to " + intoName.str();
  return r;
}

static llvm::Expected<CheckResult> artifactSize(const graph::CheckNode &node,
                                                const CheckContext &ctx) {
  llvm::StringRef pattern = text(node, "glob");
  const Size *max = &node.arg("max")->size;
  llvm::Expected<llvm::GlobPattern> glob = llvm::GlobPattern::create(pattern);
  if (!glob)
    return glob.takeError();
  bool byName = !pattern.contains('/');
  CheckResult r;
  unsigned matched = 0;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(ctx.artifactsDir, ec),
       end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef path = it->path();
    llvm::StringRef rel = path;
    rel.consume_front(ctx.artifactsDir);
    rel.consume_front("/");
    if (!glob->match(byName ? llvm::sys::path::filename(path) : rel))
      continue;
    llvm::sys::fs::file_status st;
    if (llvm::sys::fs::status(path, st) ||
        st.type() != llvm::sys::fs::file_type::regular_file)
      continue;
    ++matched;
    if (st.getSize() > max->inBytes())
      r.findings.push_back(rel.str() + " is " +
                           Size::bytes(st.getSize()).str() + ", over " +
                           max->str());
  }
  if (ec)
    return failure("cannot read " + ctx.artifactsDir + ": " + ec.message());
  if (!matched)
    r.findings.push_back("no file in " + ctx.artifactsDir + " matches " +
                         pattern.str());
  r.passed = r.findings.empty();
  r.summary = countOf(matched, "file") + " matching " + pattern.str() + ", " +
              std::to_string(matched ? r.findings.size() : 0) + " over " +
              max->str();
  return r;
}

static llvm::Expected<CheckResult> fileContains(const graph::CheckNode &node,
                                                const CheckContext &ctx) {
  llvm::StringRef path = text(node, "path");
  llvm::StringRef wanted = text(node, "text");
  llvm::Expected<std::optional<std::string>> content = ctx.readTreeFile(path);
  if (!content)
    return content.takeError();
  CheckResult r;
  if (!*content)
    r.findings.push_back(path.str() + " does not exist");
  else if (!llvm::StringRef(**content).contains(wanted))
    r.findings.push_back(path.str() + " does not contain '" + wanted.str() +
                         "'");
  r.passed = r.findings.empty();
  r.summary =
      path.str() + (r.passed ? " contains '" : " lacks '") + wanted.str() + "'";
  return r;
}

/// Whether \p text links an issue or a CI run: `#123`, `owner/repo#123` or
/// an http(s) URL.
static bool isLink(llvm::StringRef text) {
  text = text.trim();
  if (text.startswith("https://") || text.startswith("http://"))
    return text.size() > 8 && !text.contains(' ');
  size_t hash = text.rfind('#');
  llvm::StringRef number =
      hash == llvm::StringRef::npos ? "" : text.drop_front(hash + 1);
  return !number.empty() && llvm::all_of(number, llvm::isDigit) &&
         !text.take_front(hash).contains(' ');
}

/// A patch release takes only what its policy allows (RELEASE.md, "Patch
/// Releases"): each pick after the minor's final tag names an allowed
/// category (and, if critical, an allowed class), links the issue or CI
/// failure it fixes, and was picked by the deadline.
static llvm::Expected<CheckResult> patchPicks(const graph::CheckNode &node,
                                              const CheckContext &ctx) {
  CheckResult r;
  llvm::StringRef intoName = text(node, "into");
  if (ctx.patchBase.empty()) {
    r.passed = true;
    r.summary = "not a patch release: nothing to check";
    return r;
  }
  llvm::StringRef key = text(node, "key");
  llvm::StringRef link = node.arg("link") ? text(node, "link") : "Fixes";
  const std::vector<std::string> &allowed = node.arg("in")->items;
  const graph::CheckArgValue *critical = node.arg("critical");
  llvm::Expected<std::vector<Commit>> commits =
      commitsIn(ctx, ctx.patchBase, intoName);
  if (!commits)
    return commits.takeError();
  // The deadline day is the last: a pick made on it, in UTC, is in time.
  std::optional<int64_t> closes;
  if (ctx.pickDeadline)
    closes = (ctx.pickDeadline->toDays() + 1) * 86400;
  unsigned refused = 0;
  for (const Commit &c : *commits) {
    if (c.parents.size() > 1)
      continue; // Merges carry no change of their own.
    std::vector<std::string> problems;
    std::vector<std::string> categories = trailerValues(c, key);
    if (categories.empty())
      problems.push_back("has no " + key.str() + " trailer");
    for (const std::string &v : categories) {
      if (!llvm::is_contained(allowed, v)) {
        problems.push_back("has " + key.str() + ": " + v + ", not one of " +
                           llvm::join(allowed, ", "));
        continue;
      }
      if (v != "critical" || !critical)
        continue;
      std::vector<std::string> classes = trailerValues(c, "Critical");
      if (classes.empty() || !llvm::all_of(classes, [&](const std::string &x) {
            return llvm::is_contained(critical->items, x);
          }))
        problems.push_back("is critical without a Critical: trailer naming "
                           "one of " +
                           llvm::join(critical->items, ", "));
    }
    // A change of the branch itself (its version file, its CI), not a fix
    // picked from main: it comes with the release, after the deadline too.
    bool branchOwn = !categories.empty() &&
                     llvm::all_of(categories, [](const std::string &v) {
                       return v == "release";
                     });
    std::vector<std::string> links = trailerValues(c, link);
    if (!branchOwn && !llvm::any_of(links, isLink))
      problems.push_back("links no issue or CI failure (a " + link.str() +
                         ": trailer with #N or a URL)");
    if (!branchOwn && closes && c.time >= *closes)
      problems.push_back("was picked after the cherry-pick deadline " +
                         ctx.pickDeadline->str());
    if (problems.empty())
      continue;
    ++refused;
    for (const std::string &p : problems)
      r.findings.push_back(describe(c) + " " + p);
  }
  r.passed = refused == 0;
  r.summary = countOf(commits->size(), "commit") + " in " + ctx.patchBase +
              ".." + intoName.str() + ", " + std::to_string(refused) +
              " outside the patch criteria";
  return r;
}

llvm::Expected<CheckResult> exec::runCheck(const graph::CheckNode &check,
                                           const CheckContext &ctx) {
  switch (check.function->kind) {
  case sema::CheckFunctionKind::CherryPicksPresent:
    return cherryPicksPresent(check, ctx);
  case sema::CheckFunctionKind::Trailers:
    return trailers(check, ctx);
  case sema::CheckFunctionKind::RevertsPropagated:
    return revertsPropagated(check, ctx);
  case sema::CheckFunctionKind::ArtifactSize:
    return artifactSize(check, ctx);
  case sema::CheckFunctionKind::FileContains:
    return fileContains(check, ctx);
  case sema::CheckFunctionKind::PatchPicks:
    return patchPicks(check, ctx);
  }
  return failure("no check function '" + check.function->name + "'");
}
