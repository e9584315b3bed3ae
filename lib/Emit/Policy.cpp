//===- Policy.cpp - What generated CI may and may not do ------------------===//
#include "Emit/Policy.h"

#include "Basic/Printable.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

using namespace relc;
using namespace relc::emit;
using yaml::Node;

/// Calls \p f on every scalar and key of \p n with the key's node.
template <class F> static void eachScalar(const Node &n, F f) {
  if (n.isScalar()) {
    f(n.text, n.origin);
    return;
  }
  for (const auto &[k, v] : n.map) {
    f(k, Node::Origin::Data);
    eachScalar(v, f);
  }
  for (const Node &item : n.seq)
    eachScalar(item, f);
}

bool emit::checkDataIsInert(DiagnosticEngine &diags, const Node &root,
                            llvm::StringRef file) {
  bool ok = true;
  eachScalar(root, [&](llvm::StringRef text, Node::Origin origin) {
    if (origin != Node::Origin::Data || !text.contains("${{"))
      return;
    diags.report(DiagKind::ExpressionInData, llvm::SMRange(),
                 file + ": '" + printable(text) +
                     "' holds '${{', which GitHub Actions would evaluate as "
                     "an expression; relc writes text from plans, models, "
                     "locks and paths as data only");
    ok = false;
  });
  return ok;
}

std::string emit::literalFilter(llvm::StringRef name) {
  std::string out;
  for (char c : name) {
    if (llvm::StringRef("*?+[]!\\").contains(c))
      out += '\\';
    out += c;
  }
  return out;
}

std::string emit::regexLiteral(llvm::StringRef text) {
  // Letters, digits and `-` as they are; other ASCII escaped; every other
  // character by its code point, so no line or format character of a tag
  // reaches the YAML as itself.
  std::string out;
  const auto *p = reinterpret_cast<const llvm::UTF8 *>(text.begin());
  const auto *end = reinterpret_cast<const llvm::UTF8 *>(text.end());
  while (p < end) {
    char c = char(*p);
    if (llvm::isAlnum(c) || c == '-') {
      out += c;
      ++p;
    } else if (llvm::isPrint(c)) {
      out += '\\';
      out += c;
      ++p;
    } else {
      llvm::UTF32 cp = 0;
      if (llvm::convertUTF8Sequence(&p, end, &cp, llvm::strictConversion) !=
          llvm::conversionOK)
        cp = *p++; // Not UTF-8: the byte.
      out += "\\x{" + llvm::utohexstr(cp) + "}";
    }
  }
  return out;
}

/// Same kind, text and children (origins and comments aside).
static bool same(const Node *a, const Node *b) {
  if (!a || !b)
    return a == b;
  if (a->kind != b->kind || a->text != b->text ||
      a->map.size() != b->map.size() || a->seq.size() != b->seq.size())
    return false;
  for (size_t i = 0; i < a->map.size(); ++i)
    if (a->map[i].first != b->map[i].first ||
        !same(&a->map[i].second, &b->map[i].second))
      return false;
  for (size_t i = 0; i < a->seq.size(); ++i)
    if (!same(&a->seq[i], &b->seq[i]))
      return false;
  return true;
}

/// `none` < `read` < `write`; anything else counts as the most.
static int level(const Node *v) {
  if (!v || !v->isScalar())
    return 2;
  if (v->text == "none")
    return 0;
  if (v->text == "read")
    return 1;
  return 2;
}

/// The level \p perms grants \p scope (a map of scopes, `read-all`,
/// `write-all`; no permissions at all is the repository's default, the
/// most).
static int granted(const Node *perms, llvm::StringRef scope) {
  if (!perms)
    return 2;
  if (perms->isScalar())
    return perms->text == "read-all" ? 1 : perms->text == "write-all" ? 2 : 0;
  const Node *v = perms->find(scope);
  return v ? level(v) : 0;
}

static llvm::StringRef levelName(int l) {
  return l == 0 ? "none" : l == 1 ? "read" : "write";
}

/// The scopes `read-all` and `write-all` stand for.
static const char *const scopes[] = {
    "actions",         "attestations", "checks",        "contents",
    "deployments",     "discussions",  "id-token",      "issues",
    "packages",        "pages",        "pull-requests", "repository-projects",
    "security-events", "statuses"};

static std::string raisedPermissions(const Node *before, const Node *after) {
  if (same(before, after))
    return "";
  std::vector<std::string> raised;
  auto check = [&](llvm::StringRef scope) {
    int b = granted(before, scope), a = granted(after, scope);
    if (a > b)
      raised.push_back(scope.str() + ": " + levelName(b).str() + " to " +
                       levelName(a).str());
  };
  if (!after || after->isScalar()) {
    for (const char *s : scopes)
      check(s);
  } else {
    for (const auto &[scope, v] : after->map)
      check(scope);
  }
  if (raised.empty())
    return "";
  if (after && after->isScalar())
    return "sets the job's permissions to '" + printable(after->text) + "'";
  return "raises the job's permissions (" + llvm::join(raised, ", ") + ")";
}

/// The environment's name: `environment: NAME` or `{name: NAME, ...}`.
static std::string environmentName(const Node *env) {
  if (!env)
    return "";
  if (env->isScalar())
    return env->text;
  const Node *name = env->find("name");
  return name && name->isScalar() ? name->text : "";
}

/// The script lines of \p job that hold \p marker, each once per time.
static std::vector<std::string>
scriptsWith(const Node &job, llvm::StringRef backend, llvm::StringRef marker) {
  std::vector<std::string> out;
  auto add = [&](const Node *n) {
    if (n && n->isScalar() && llvm::StringRef(n->text).contains(marker))
      out.push_back(n->text);
  };
  if (backend == "github") {
    if (const Node *steps = job.find("steps"))
      for (const Node &step : steps->seq)
        add(step.find("run"));
    return out;
  }
  for (const char *key : {"before_script", "script", "after_script"})
    if (const Node *lines = job.find(key)) {
      add(lines);
      for (const Node &line : lines->seq)
        add(&line);
    }
  return out;
}

/// How many steps of \p job run actions/checkout without
/// `persist-credentials: false`.
static size_t keptCredentials(const Node &job) {
  size_t n = 0;
  if (const Node *steps = job.find("steps"))
    for (const Node &step : steps->seq) {
      const Node *uses = step.find("uses");
      if (!uses || !uses->isScalar() ||
          llvm::StringRef(uses->text).split('@').first != "actions/checkout")
        continue;
      const Node *with = step.find("with");
      const Node *persist = with ? with->find("persist-credentials") : nullptr;
      if (!persist || !persist->isScalar() || persist->text != "false")
        ++n;
    }
  return n;
}

std::vector<PolicyFinding> emit::overlayFindings(llvm::StringRef backend,
                                                 const Node &before,
                                                 const Node &after) {
  std::vector<PolicyFinding> found;
  bool github = backend == "github";
  if (github) {
    std::string raised = raisedPermissions(before.find("permissions"),
                                           after.find("permissions"));
    if (!raised.empty())
      found.push_back({"excessive-permissions", raised});
  }

  std::string gate = environmentName(before.find("environment"));
  std::string now = environmentName(after.find("environment"));
  if (!gate.empty() && now != gate)
    found.push_back(
        {"ungated-job",
         now.empty()
             ? "removes the approval environment '" + printable(gate) + "'"
             : "changes the approval environment '" + printable(gate) +
                   "' to '" + printable(now) + "'"});
  // A GitLab job relc starts by hand: `when: manual`, or every rule
  // manual (an approval: whatever started the pipeline).
  auto byHand = [](const Node &job) {
    if (const Node *when = job.find("when"); when && when->isScalar())
      return when->text == "manual";
    const Node *rules = job.find("rules");
    return rules && !rules->seq.empty() &&
           llvm::all_of(rules->seq, [](const Node &rule) {
             const Node *w = rule.find("when");
             return w && w->isScalar() && w->text == "manual";
           });
  };
  if (!github && byHand(before)) {
    const Node *when = after.find("when");
    if ((when && (!when->isScalar() || when->text != "manual")) ||
        (!when && before.find("when")))
      found.push_back(
          {"ungated-job",
           "makes a job relc starts by hand start by itself "
           "(when: " +
               (when && when->isScalar() ? printable(when->text)
                                         : std::string("on_success")) +
               ")"});
    const Node *rules = after.find("rules");
    if (rules && !same(rules, before.find("rules")))
      for (const Node &rule : rules->seq) {
        const Node *w = rule.find("when");
        if (!w || !w->isScalar() ||
            (w->text != "manual" && w->text != "never")) {
          found.push_back({"ungated-job",
                           "adds rules that start a job relc starts by hand "
                           "by itself"});
          break;
        }
      }
  }

  if (github) {
    const Node *secrets = after.find("secrets");
    if (secrets && secrets->isScalar() && secrets->text == "inherit" &&
        !same(secrets, before.find("secrets")))
      found.push_back({"secrets-inherit",
                       "passes every secret to the workflow it calls "
                       "(secrets: inherit)"});
  }

  if (github && keptCredentials(after) > keptCredentials(before))
    found.push_back({"artipacked",
                     "checks out with the token left in .git/config "
                     "(actions/checkout without persist-credentials: false)"});

  llvm::StringRef marker = github ? "${{" : "$[[";
  std::vector<std::string> had = scriptsWith(before, backend, marker);
  for (const std::string &s : scriptsWith(after, backend, marker)) {
    auto it = llvm::find(had, s);
    if (it != had.end()) {
      had.erase(it);
      continue;
    }
    found.push_back({"template-injection",
                     "puts '" + marker.str() + "' into a script (" +
                         printable(llvm::StringRef(s).trim()) +
                         "): the value becomes code; pass it through " +
                         (github ? "env:" : "variables:")});
    break;
  }
  return found;
}

/// The `uses:` nodes of \p job: each step's, and the job's own.
static std::vector<Node *> usesOf(Node &job) {
  std::vector<Node *> out;
  if (Node *uses = job.find("uses"))
    out.push_back(uses);
  if (Node *steps = job.find("steps"))
    for (Node &step : steps->seq)
      if (Node *uses = step.find("uses"))
        out.push_back(uses);
  return out;
}

bool emit::pinUses(DiagnosticEngine &diags, const ActionsLock &lock, Node &job,
                   llvm::SMRange at) {
  bool ok = true;
  for (Node *uses : usesOf(job)) {
    if (!uses->isScalar()) {
      diags.report(DiagKind::ActionsLock, at,
                   "'uses' must name an action; the overlay gives it a list "
                   "or a mapping");
      ok = false;
      continue;
    }
    llvm::StringRef text = uses->text;
    if (text.startswith("./"))
      continue;
    auto [name, ref] = text.split('@');
    const PinnedAction *pin = lock.find(name);
    if (pin && (ref.empty() || ref == pin->version || ref == pin->sha)) {
      Node pinned = Node::str(name.str() + "@" + pin->sha, pin->version);
      pinned.notes = uses->notes;
      *uses = std::move(pinned);
      continue;
    }
    ok = false;
    if (text.startswith("docker://")) {
      diags.report(DiagKind::ActionsLock, at,
                   "'" + printable(text) +
                       "' is a container image; relc runs only actions the "
                       "actions lock pins to a commit (" +
                       lock.path + ")");
      continue;
    }
    if (pin) {
      diags.report(DiagKind::ActionsLock, at,
                   "'" + printable(text) + "' is not what " + lock.path +
                       " pins for " + name + " (" + pin->version + ", " +
                       pin->sha + "); write '" + name +
                       "' and relc pins it, or change the lock");
      continue;
    }
    llvm::SmallVector<llvm::StringRef, 3> parts;
    name.split(parts, '/');
    std::string repo =
        parts.size() >= 2 ? (parts[0] + "/" + parts[1]).str() : name.str();
    std::string version = ref.empty() ? "VERSION" : printable(ref);
    diags.report(DiagKind::ActionsLock, at,
                 "action '" + printable(name) +
                     "' is not in the actions lock " + lock.path +
                     "; add it under 'actions:' as '" + printable(name) +
                     ": {version: " + version +
                     ", sha: SHA}', SHA the full commit that `git ls-remote "
                     "https://github.com/" +
                     printable(repo) + " " + version +
                     "` prints, and write 'uses: " + printable(name) +
                     "' in the overlay");
  }
  return ok;
}
