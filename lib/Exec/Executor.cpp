//===- Executor.cpp - probe, act, verify, record --------------------------===//
#include "Exec/Exec.h"

#include "Basic/Diagnostics.h"
#include "Basic/Suggest.h"
#include "Basic/Version.h"
#include "Exec/Checks.h"
#include "Exec/Journal.h"
#include "Exec/Upload.h"
#include "Git/Git.h"
#include "Graph/Graph.h"
#include "Sema/Plan.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <random>
#include <set>
#include <sys/file.h>
#include <unistd.h>

extern char **environ;

using namespace relc;
using namespace relc::exec;
using git::Oid;
using graph::Node;

using Status = StepStatus;

/// runCommand's exit code for a command it could not start.
constexpr int notStarted = -1000;

/// The largest RC number relc accepts from anywhere.
constexpr int64_t maxRc = 9999;

llvm::StringRef exec::statusName(Status s) {
  switch (s) {
  case Status::Done:
    return "done";
  case Status::Skipped:
    return "skipped";
  case Status::Would:
    return "would";
  case Status::Passed:
    return "passed";
  case Status::Ci:
    return "ci";
  case Status::Blocked:
    return "blocked";
  case Status::Failed:
    return "failed";
  case Status::Conflict:
    return "conflict";
  }
  return "";
}

namespace {

/// The legs of one build step share a group: `rc/build-wheels/*`.
std::string group(const Node &n) {
  if (n.kind() != Node::Kind::Build)
    return n.id;
  return llvm::StringRef(n.id).rsplit('/').first.str() + "/*";
}

bool stops(Status s) {
  return s == Status::Blocked || s == Status::Failed || s == Status::Conflict;
}

struct Outcome {
  Outcome(Status status, std::string detail,
          std::vector<std::string> findings = {}, bool acted = false)
      : status(status), detail(std::move(detail)),
        findings(std::move(findings)), acted(acted) {}
  Status status;
  std::string detail; ///< The probe's finding and what was (or would be) done.
  std::vector<std::string> findings; ///< Checks: one line per problem.
  bool acted = false;
  std::string commit; ///< Tags: the commit the tag names, for the journal.
  std::string value;  ///< Records: the value read.
};

/// What a run knows of one remote: its refs, what a dry run would have
/// created there, and where this stage's branches were cut. A run works on
/// one at a time (Executor::enter); the state of the others waits here.
struct World {
  std::string remoteName, url;
  git::RemoteRefs refs;
  std::map<std::string, Oid> simulated, cutPoints;
  bool ready = false; ///< Listed and downloaded (not swapped).
};

/// 128 random bits and the process id, in hex.
std::string newRunId() {
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i)
    id += llvm::utohexstr(random(), /*LowerCase=*/true, 8);
  return id + "-" + llvm::utohexstr(llvm::sys::Process::getProcessId(), true);
}

/// \p text on one line: a progress line is one step, whatever it names.
std::string oneLine(llvm::StringRef text) {
  std::string out;
  for (char c : text)
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else
      out += c;
  return out;
}

/// A string field of a journal entry ("" if absent).
llvm::StringRef field(const llvm::json::Object &e, llvm::StringRef key) {
  return e.getString(key).getValueOr("");
}

class Executor {
public:
  Executor(const graph::Graph &unbound, const RunOptions &opts,
           llvm::raw_ostream &out, DiagnosticEngine &diags)
      : unbound(unbound), opts(opts), out(out), diags(diags) {}

  ~Executor() {
    if (runLock >= 0)
      ::close(runLock);
  }
  RunSummary run();

private:
  // Setting up.
  bool setup();
  bool resolveRc(std::optional<unsigned> &rc);
  bool readWorld();
  bool download();

  // The world, as the remote says (plus, in a dry run, what earlier steps
  // would have created).
  std::optional<Oid> resolve(llvm::StringRef name) const;
  const git::RemoteRef *ref(llvm::StringRef full) const;
  void simulate(const std::string &full, const Oid &id);
  bool relist();

  Outcome step(const Node &n);
  Outcome wait(const Node &n);
  Outcome branch(const Node &n);
  Outcome tag(const Node &n);
  Outcome commit(const Node &n, const std::string &file,
                 const std::string &content, const std::string &branchName,
                 const std::string &message,
                 llvm::function_ref<std::string(llvm::StringRef)> already);
  Outcome pin(const Node &n);
  Outcome recordFile(const Node &n);
  /// Makes repository \p name (empty: the main one) the world the steps
  /// see, reaching it on first use; false (reported) if it cannot be.
  bool enter(llvm::StringRef name);
  bool reach(const std::string &name);
  void swapWorld(World &w);
  bool loadCutPoints();
  Outcome check(const Node &n);
  Outcome approval(const Node &n);
  Outcome shell(const Node &n);
  Outcome runOnce(const Node &n);
  std::string logPath(const Node &n) const;
  llvm::Expected<std::string> cleanCheckout();
  std::string checkoutName() const;
  std::string stageRecord(llvm::StringRef stage) const;
  bool recordStage();
  std::string missingOf(llvm::StringRef stage);
  std::string fileOnBranch(const std::string &branch, const std::string &file,
                           std::optional<std::string> &text);
  bool afterStagesComplete();
  bool partnersTagged();
  llvm::Expected<std::string> partnerUrl(const sema::PartnerWait &w) const;
  std::string clearMarker(llvm::StringRef marker) const;
  Outcome runCommand(const Node &n, int &exitCode);
  /// Runs \p command in a clean checkout (after \p prepare has seen it),
  /// in \p subdir, with \p env added to relc's own.
  Outcome runCommand(
      const Node &n, const std::string &command,
      const std::map<std::string, std::string> &env, const std::string &subdir,
      std::optional<Duration> timeout, int &exitCode,
      llvm::function_ref<llvm::Error(llvm::StringRef)> prepare =
          [](llvm::StringRef) { return llvm::Error::success(); });
  Outcome leg(const Node &n);
  Outcome legCommand(const Node &n);
  Outcome legUpload(const Node &n);
  std::string legStore(const graph::BuildNode &b) const;
  bool legSelected(const Node &n) const;

  std::optional<Outcome> pushed(const Node &n, const std::string &full,
                                const Oid &expected, const std::string &what);
  Outcome pushFailed(const Node &n, const std::string &what, llvm::Error e);
  Outcome conflict(const Node &n, const llvm::Twine &msg);
  Outcome failed(const Node &n, DiagKind kind, const llvm::Twine &msg);
  bool gitError(llvm::Error e, const llvm::Twine &what);
  bool record(llvm::json::Object entry);
  /// The journal's entries made against this remote.
  std::vector<const llvm::json::Object *> records() const;
  /// The newest entry of \p event for \p key (with \p status, if given).
  const llvm::json::Object *journalFind(llvm::StringRef event,
                                        llvm::StringRef key,
                                        llvm::StringRef status = "") const;
  void maybeKill(llvm::StringRef point);
  std::string who() const;
  std::string stateDir() const;
  std::string stateRoot() const;
  void printSummary(bool ok);
  RunSummary summary(bool ok) const;

  const graph::Graph &unbound;
  const RunOptions &opts;
  llvm::raw_ostream &out;
  DiagnosticEngine &diags;

  std::unique_ptr<git::Library> lib;
  std::unique_ptr<git::Repository> repo;
  std::unique_ptr<Journal> journal;
  std::string remoteName, url;
  git::RemoteRefs refs;
  std::map<std::string, Oid> simulated;
  /// The other repositories' worlds, by name, while the main one's (or
  /// another's: `current`) is in the members above.
  std::map<std::string, World> worlds;
  std::string current;
  /// What record steps read, in order: `triton`, the SHA.
  std::vector<std::pair<std::string, std::string>> recorded;
  graph::Graph g;
  std::optional<unsigned> rc;
  /// The commit each `from` of this stage's branches was cut at.
  std::map<std::string, Oid> cutPoints;
  std::vector<std::pair<const Node *, Outcome>> results;
  unsigned stepNo = 0;
  std::string runId; ///< Unique to this run: its claims are its own.
  /// Held (flock) while an executing run works; released when it ends,
  /// however it ends.
  int runLock = -1;
  /// The commit the stage is about: what it tagged last, else HEAD.
  std::optional<Oid> subject;
  std::string checkout;          ///< The clean worktree commands run in.
  std::optional<Oid> checkoutAt; ///< Its commit (none: HEAD).
};

} // namespace

std::string Executor::who() const {
  git::Signature s = repo->signature();
  return s.name + " <" + s.email + ">";
}

/// Where relc's own files start: below it, no link is followed.
std::string Executor::stateRoot() const {
  return opts.stateDir.empty() ? repo->gitDir() : opts.stateDir;
}

std::string Executor::stateDir() const {
  if (!opts.stateDir.empty())
    return opts.stateDir;
  return repo->gitDir() + "/relc/" + graph::slug(g.project) + "-" + g.version;
}

bool Executor::gitError(llvm::Error e, const llvm::Twine &what) {
  diags.report(DiagKind::GitFailed, llvm::SMRange(),
               what + ": " + llvm::toString(std::move(e)));
  return false;
}

/// After a push of \p what: the remote, listed again, must show \p full at
/// \p expected. The outcome if it does not.
std::optional<Outcome> Executor::pushed(const Node &n, const std::string &full,
                                        const Oid &expected,
                                        const std::string &what) {
  maybeKill("after-act");
  if (!relist())
    return Outcome(Status::Failed, "git failed", {}, true);
  const git::RemoteRef *now = ref(full);
  if (!now || now->peeled != expected)
    return failed(n, DiagKind::StepFailed,
                  "pushed " + what + " but " + remoteName +
                      " does not show it at " + expected.abbrev());
  return std::nullopt;
}

Outcome Executor::pushFailed(const Node &n, const std::string &what,
                             llvm::Error e) {
  diags.report(DiagKind::GitFailed, n.loc,
               "cannot push " + what + ": " + llvm::toString(std::move(e)));
  return {Status::Failed, "push failed"};
}

Outcome Executor::conflict(const Node &n, const llvm::Twine &msg) {
  diags.report(DiagKind::WorldContradictsPlan, n.loc, msg);
  return {Status::Conflict, msg.str(), {}, false};
}

Outcome Executor::failed(const Node &n, DiagKind kind, const llvm::Twine &msg) {
  diags.report(kind, n.loc, msg);
  return {kind == DiagKind::StepBlocked ? Status::Blocked : Status::Failed,
          msg.str(),
          {},
          false};
}

bool Executor::record(llvm::json::Object entry) {
  if (!journal)
    return true;
  entry["stage"] = opts.stage;
  // State is per remote: a rehearsal against another remote approves,
  // records and pins nothing for this one.
  entry["remote"] = url;
  if (rc)
    entry["rc"] = int64_t(*rc);
  if (llvm::Error e = journal->append(std::move(entry))) {
    diags.report(DiagKind::GitFailed, llvm::SMRange(),
                 llvm::toString(std::move(e)));
    return false;
  }
  return true;
}

std::vector<const llvm::json::Object *> Executor::records() const {
  std::vector<const llvm::json::Object *> ours;
  if (journal)
    for (const llvm::json::Object &e : journal->entries())
      if (field(e, "remote") == url)
        ours.push_back(&e);
  return ours;
}

const llvm::json::Object *Executor::journalFind(llvm::StringRef event,
                                                llvm::StringRef key,
                                                llvm::StringRef status) const {
  const llvm::json::Object *found = nullptr;
  for (const llvm::json::Object *e : records())
    if (field(*e, "event") == event && field(*e, "key") == key &&
        (status.empty() || field(*e, "status") == status))
      found = e;
  return found;
}

void Executor::maybeKill(llvm::StringRef point) {
  auto [what, n] = llvm::StringRef(opts.debugKill).split(':');
  unsigned at = 0;
  if (what == point && !n.getAsInteger(10, at) && at == stepNo) {
    out.flush();
    std::raise(SIGKILL);
  }
}

// ---------------------------------------------------------------- the world

const git::RemoteRef *Executor::ref(llvm::StringRef full) const {
  auto it = refs.find(full.str());
  return it == refs.end() ? nullptr : &it->second;
}

std::optional<Oid> Executor::resolve(llvm::StringRef name) const {
  for (std::string full :
       {"refs/heads/" + name.str(), "refs/tags/" + name.str(), name.str()}) {
    auto sim = simulated.find(full);
    if (sim != simulated.end())
      return sim->second;
    if (const git::RemoteRef *r = ref(full))
      return r->peeled;
  }
  if (name.size() == 40 && llvm::all_of(name, llvm::isHexDigit) &&
      repo->has(Oid{name.str()}))
    return Oid{name.str()};
  return std::nullopt;
}

void Executor::simulate(const std::string &full, const Oid &id) {
  simulated[full] = id;
}

bool Executor::relist() {
  llvm::Expected<git::RemoteRefs> listed = repo->listRemote(url);
  if (!listed)
    return gitError(listed.takeError(), "cannot list " + remoteName);
  refs = std::move(*listed);
  // Annotated tags whose peeled value the transport did not advertise.
  for (auto &[name, r] : refs)
    if (r.peeled == r.target &&
        llvm::StringRef(name).startswith("refs/tags/") && repo->has(r.target)) {
      if (llvm::Expected<Oid> p = repo->peel(r.target))
        r.peeled = *p;
      else
        llvm::consumeError(p.takeError());
    }
  return true;
}

/// Downloads what the stage's steps look at: the branches and tags they
/// name, and main. Objects only; no ref moves.
bool Executor::download() {
  std::set<std::string> wanted;
  auto want = [&](llvm::StringRef name) {
    for (std::string full :
         {"refs/heads/" + name.str(), "refs/tags/" + name.str()})
      if (ref(full))
        wanted.insert(full);
  };
  const sema::Repository *here = &g.repository;
  for (const sema::Repository &r : g.repositories)
    if (r.name == current)
      here = &r;
  want(here->mainBranch);
  for (const Node &n : g.nodes) {
    if (auto *p = std::get_if<graph::PinNode>(&n.payload);
        p && p->of == current)
      want(p->ref);
    if (n.repo() != current)
      continue;
    if (auto *p = std::get_if<graph::PinNode>(&n.payload)) {
      want(p->branch);
    } else if (auto *r = std::get_if<graph::RecordNode>(&n.payload)) {
      want(r->on);
    } else if (auto *b = std::get_if<graph::BranchNode>(&n.payload)) {
      want(b->name);
      want(b->from);
    } else if (auto *t = std::get_if<graph::TagNode>(&n.payload)) {
      want(t->name);
      want(t->on);
    } else if (auto *c = std::get_if<graph::CommitNode>(&n.payload)) {
      want(c->branch);
    } else if (auto *c = std::get_if<graph::CheckNode>(&n.payload)) {
      for (const graph::CheckArgValue &a : c->args)
        if (a.param->type == sema::ParamType::Ref) {
          want(a.text);
        } else if (a.param->type == sema::ParamType::Range) {
          want(a.lo);
          want(a.hi);
        }
    }
  }
  if (llvm::Error e = repo->download(
          url, std::vector<std::string>(wanted.begin(), wanted.end())))
    return gitError(std::move(e), "cannot download from " + remoteName);
  return relist();
}

bool Executor::readWorld() {
  llvm::Expected<std::string> u = repo->remoteUrl(remoteName);
  if (!u)
    return gitError(u.takeError(), "cannot use remote");
  url = *u;
  return relist();
}

void Executor::swapWorld(World &w) {
  std::swap(remoteName, w.remoteName);
  std::swap(url, w.url);
  std::swap(refs, w.refs);
  std::swap(simulated, w.simulated);
  std::swap(cutPoints, w.cutPoints);
}

bool Executor::enter(llvm::StringRef name) {
  if (name == current)
    return true;
  if (!current.empty())
    swapWorld(worlds[current]);
  current.clear();
  if (name.empty())
    return true;
  World &w = worlds[name.str()];
  swapWorld(w);
  current = name.str();
  if (w.ready)
    return true;
  w.ready = reach(current);
  return w.ready;
}

/// Reaches another repository: through the clone's remote of the name its
/// `remote` setting gives (default: the repository's name), else through
/// its `url`. Then as for the main one: list, download, cut points.
bool Executor::reach(const std::string &name) {
  const sema::Repository *r = nullptr;
  for (const sema::Repository &x : g.repositories)
    if (x.name == name)
      r = &x;
  if (!r) {
    diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                 "the plan declares no repository '" + name + "'");
    return false;
  }
  remoteName = r->remote;
  llvm::Expected<std::string> u = repo->remoteUrl(remoteName);
  if (u) {
    url = *u;
  } else if (!r->url.empty()) {
    llvm::consumeError(u.takeError());
    url = r->url;
  } else {
    diags.report(DiagKind::GitFailed, r->range,
                 "cannot reach repository " + name +
                     ": this clone has no "
                     "remote '" +
                     remoteName + "' and the plan gives it no 'url' (" +
                     llvm::toString(u.takeError()) + ")");
    return false;
  }
  if (!relist() || !download() || !loadCutPoints())
    return false;
  if (!opts.json)
    out << "repository " << name << ": remote " << remoteName << " (" << url
        << ")\n";
  return true;
}

// ---------------------------------------------------------------- RC numbers

/// The RC number: --rc; in CI, RELC_RC or the RC tag pushed; an unfinished
/// run of this stage in the journal (resume); else one more than the
/// highest RC tag of this version on the remote.
bool Executor::resolveRc(std::optional<unsigned> &out) {
  const graph::StageInfo *info = unbound.stage(opts.stage);
  bool parameterised = info && !info->params.empty();
  const graph::TagNode *tagNode = nullptr;
  for (const Node &n : unbound.nodes)
    if (auto *t = std::get_if<graph::TagNode>(&n.payload))
      if (n.stage == opts.stage && t->nameParts.size() > 1)
        tagNode = t;
  if (!parameterised && !tagNode)
    return true;
  // Release candidates come before the release: once a tag of the release
  // itself is on the remote, no stage makes another.
  for (const std::string &t : unbound.releaseTags)
    if (ref("refs/tags/" + t)) {
      diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                   unbound.project + " " + unbound.version + " is released: " +
                       t + " is on " + remoteName + "; stage " + opts.stage +
                       " makes release candidates before it");
      return false;
    }
  if (opts.rc) {
    out = opts.rc;
    return true;
  }
  // Not a structured binding: C++17 lambdas cannot capture those.
  std::pair<std::string, std::string> affixes;
  if (tagNode) {
    affixes.first = tagNode->nameParts.front();
    llvm::ArrayRef<std::string> rest =
        llvm::makeArrayRef(tagNode->nameParts).drop_front();
    affixes.second = llvm::join(rest, "{rc}");
  }
  auto rcOfTag = [&](llvm::StringRef tagName) -> std::optional<unsigned> {
    unsigned n = 0;
    if (!tagNode || !tagName.consume_front(affixes.first) ||
        !tagName.consume_back(affixes.second) || tagName.getAsInteger(10, n) ||
        !n)
      return std::nullopt;
    return n;
  };
  if (auto env = llvm::sys::Process::GetEnv("RELC_RC"); env && !env->empty()) {
    unsigned n = 0;
    if (llvm::StringRef(*env).getAsInteger(10, n) || !n) {
      diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                   "RELC_RC is '" + *env + "', not an RC number");
      return false;
    }
    out = n;
    return true;
  }
  // The RC tag a CI run was started for: GitHub Actions, then GitLab CI.
  std::string pushed;
  if (llvm::sys::Process::GetEnv("GITHUB_REF_TYPE").getValueOr("") == "tag")
    pushed = llvm::sys::Process::GetEnv("GITHUB_REF_NAME").getValueOr("");
  else
    pushed = llvm::sys::Process::GetEnv("CI_COMMIT_TAG").getValueOr("");
  if (std::optional<unsigned> n = rcOfTag(pushed)) {
    out = n;
    return true;
  }
  if (!opts.step.empty()) {
    // One step of a stage, as a CI job runs it: every job of the workflow
    // must agree on the number, so it is never guessed here.
    diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                 "step " + opts.step + " of stage " + opts.stage +
                     " needs the RC number: --rc N (or RELC_RC)");
    return false;
  }
  // Resume an unfinished run of this stage.
  if (journal) {
    std::optional<unsigned> open;
    for (const llvm::json::Object *e : records()) {
      if (field(*e, "stage") != opts.stage)
        continue;
      llvm::Optional<int64_t> n = e->getInteger("rc");
      if (!n)
        continue;
      // The journal is a file anyone can edit: its numbers are checked like
      // the command line's.
      if (*n < 1 || *n > maxRc) {
        diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                     "the journal records RC number " + std::to_string(*n) +
                         " for stage " + opts.stage +
                         ", which is not an RC number (1 to " +
                         std::to_string(maxRc) + "); pass --rc N");
        return false;
      }
      if (field(*e, "event") == "run")
        open = unsigned(*n);
      else if (field(*e, "event") == "end" && field(*e, "result") == "ok" &&
               open == unsigned(*n))
        open.reset();
    }
    if (open) {
      out = open;
      return true;
    }
  }
  if (!tagNode) {
    diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                 "stage " + opts.stage + " is parameterised: pass --rc N");
    return false;
  }
  unsigned highest = 0;
  for (const auto &[name, r] : refs) {
    llvm::StringRef tagName = name;
    if (tagName.consume_front("refs/tags/"))
      if (std::optional<unsigned> n = rcOfTag(tagName))
        highest = std::max(highest, *n);
  }
  // The highest RC already names the head of its branch: nothing new to
  // make a candidate of, so that RC's run is the one to finish or re-check.
  if (highest) {
    const git::RemoteRef *last = ref("refs/tags/" + affixes.first +
                                     std::to_string(highest) + affixes.second);
    std::optional<Oid> head = resolve(tagNode->on);
    if (last && head && last->peeled == *head) {
      out = highest;
      return true;
    }
  }
  out = highest + 1;
  return true;
}

// ---------------------------------------------------------------- steps

Outcome Executor::wait(const Node &n) {
  Date date = n.as<graph::WaitNode>().date;
  Date today = opts.today ? *opts.today : [] {
    std::time_t now = std::time(nullptr);
    std::tm utc;
    gmtime_r(&now, &utc);
    return *Date::fromYMD(utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
  }();
  if (date <= today)
    return {Status::Passed,
            "not before " + date.str() + ": today is " + today.str()};
  return failed(n, DiagKind::StepBlocked,
                "stage " + n.stage + " must not start before " + date.str() +
                    " (today is " + today.str() + ")");
}

Outcome Executor::branch(const Node &n) {
  const graph::BranchNode &b = n.as<graph::BranchNode>();
  const std::string &name = b.name, &from = b.from;
  std::string full = "refs/heads/" + name;
  std::optional<Oid> source = resolve(from);
  if (!source)
    return conflict(n, "cannot create " + name + ": " + from +
                           " does not exist on " + remoteName);
  // The cut point: one commit for every branch this stage cuts from the same
  // source, so a source that moves between two steps (or two runs) cannot
  // split them. From the journal; else from a branch already cut (it is on
  // the source's history); else the source now.
  auto pinned = cutPoints.find(from);
  if (pinned == cutPoints.end()) {
    for (const Node &other : g.nodes) {
      auto *ob = std::get_if<graph::BranchNode>(&other.payload);
      if (other.stage != n.stage || !ob || ob->from != from)
        continue;
      const git::RemoteRef *r = ref("refs/heads/" + ob->name);
      if (!r)
        continue;
      llvm::Expected<bool> onSource = repo->isAncestor(r->peeled, *source);
      if (!onSource) {
        gitError(onSource.takeError(), "cannot read history");
        return {Status::Failed, "git failed", {}, false};
      }
      if (*onSource) {
        cutPoints[from] = r->peeled;
        break;
      }
    }
    pinned = cutPoints.find(from);
  }
  if (const git::RemoteRef *r = ref(full)) {
    if (pinned == cutPoints.end())
      return conflict(n, name + " exists on " + remoteName + " at " +
                             r->peeled.abbrev() + ", which is not on " + from +
                             " (at " + source->abbrev() +
                             "): it was not cut from " + from);
    const Oid &cut = pinned->second;
    if (r->peeled == cut)
      return {Status::Skipped,
              name + " exists at " + cut.abbrev() + ", the cut point"};
    llvm::Expected<bool> ahead = repo->isAncestor(cut, r->peeled);
    if (!ahead) {
      gitError(ahead.takeError(), "cannot read history");
      return {Status::Failed, "git failed", {}, false};
    }
    if (!*ahead)
      return conflict(n, name + " exists on " + remoteName + " at " +
                             r->peeled.abbrev() + ", not at the cut point " +
                             cut.abbrev() + " nor after it");
    // After the cut point means the cut point plus commits of its own
    // (cherry-picks), not the source's own later history.
    llvm::Expected<bool> alongSource = repo->isAncestor(r->peeled, *source);
    if (!alongSource) {
      gitError(alongSource.takeError(), "cannot read history");
      return {Status::Failed, "git failed", {}, false};
    }
    if (*alongSource)
      return conflict(n, name + " exists on " + remoteName + " at " +
                             r->peeled.abbrev() + ", which is on " + from +
                             " after the cut point " + cut.abbrev() +
                             ": it was moved along " + from +
                             ", not cut from it");
    return {Status::Skipped, name + " exists at " + r->peeled.abbrev() +
                                 ", after the cut point " + cut.abbrev()};
  }
  if (pinned == cutPoints.end()) {
    pinned = cutPoints.emplace(from, *source).first;
    if (opts.execute &&
        !record(llvm::json::Object{
            {"event", "pin"}, {"from", from}, {"commit", source->hex}}))
      return {Status::Failed, "journal failed", {}, false};
  }
  const Oid cut = pinned->second;
  std::string detail = name + " absent on " + remoteName;
  if (!opts.execute) {
    simulate(full, cut);
    return {Status::Would, detail + "; would create it at " + cut.abbrev() +
                               " (" + from + ")"};
  }
  if (llvm::Error e = repo->push(url, {{cut, full, false}}))
    return pushFailed(n, name, std::move(e));
  if (std::optional<Outcome> bad = pushed(n, full, cut, name))
    return std::move(*bad);
  return {Status::Done,
          detail + "; created at " + cut.abbrev() + " (" + from + ")",
          {},
          true};
}

Outcome Executor::tag(const Node &n) {
  const graph::TagNode &t = n.as<graph::TagNode>();
  const std::string &name = t.name, &on = t.on;
  std::string full = "refs/tags/" + name;
  std::optional<Oid> head = resolve(on);
  if (!head)
    return conflict(n, "cannot tag " + name + ": " + on +
                           " does not exist on " + remoteName);
  if (const git::RemoteRef *r = ref(full)) {
    // Where this remote's tag was made, if this journal made it: a public
    // tag never moves, so anywhere else it was moved behind relc's back.
    for (const llvm::json::Object *e : records())
      if (field(*e, "event") == "step" && field(*e, "key") == n.key &&
          !field(*e, "commit").empty() && field(*e, "commit") != r->peeled.hex)
        return conflict(
            n, "tag " + name + " is at " + r->peeled.abbrev() + " on " +
                   remoteName + ", but it was pushed at " +
                   llvm::StringRef(field(*e, "commit")).take_front(12) +
                   " (journal): it was moved");
    if (r->peeled == *head)
      return {Status::Skipped,
              name + " exists at " + head->abbrev() + ", the head of " + on};
    llvm::Expected<bool> earlier = repo->isAncestor(r->peeled, *head);
    if (!earlier) {
      gitError(earlier.takeError(), "cannot read history");
      return {Status::Failed, "git failed", {}, false};
    }
    if (*earlier)
      return {Status::Skipped, name + " exists at " + r->peeled.abbrev() +
                                   ", an earlier commit of " + on};
    return conflict(n, "tag " + name + " exists on " + remoteName + " at " +
                           r->peeled.abbrev() + ", which is not on " + on +
                           " (head " + head->abbrev() + ")");
  }
  bool annotated = t.annotated;
  std::string detail = name + " absent on " + remoteName;
  if (!opts.execute) {
    simulate(full, *head);
    return {Status::Would, detail + "; would tag " + on + " at " +
                               head->abbrev() +
                               (annotated ? " (annotated)" : "")};
  }
  Oid target = *head;
  if (annotated) {
    llvm::Expected<Oid> object = repo->tagObject(
        name, *head, t.message.empty() ? name : t.message, repo->signature());
    if (!object) {
      gitError(object.takeError(), "cannot create tag " + name);
      return {Status::Failed, "git failed", {}, false};
    }
    target = *object;
  }
  if (llvm::Error e = repo->push(url, {{target, full, false}}))
    return pushFailed(n, "tag " + name, std::move(e));
  if (std::optional<Outcome> bad = pushed(n, full, *head, "tag " + name))
    return std::move(*bad);
  Outcome done(Status::Done,
               detail + "; tagged " + on + " at " + head->abbrev(), {}, true);
  done.commit = head->hex;
  return done;
}

/// A version only moves forward: a file holding a newer one than \p want
/// means a later step (the next cut, a hand edit) has been there, and the
/// step that writes \p want is done.
static bool newerThan(llvm::StringRef have, llvm::StringRef want) {
  std::optional<Version> h = Version::parse(have.trim()),
                         w = Version::parse(want.trim());
  return h && w && *w < *h;
}

/// Commits \p file = \p content on \p branchName unless it holds that
/// already, or \p already says why what it holds will do.
Outcome
Executor::commit(const Node &n, const std::string &file,
                 const std::string &content, const std::string &branchName,
                 const std::string &message,
                 llvm::function_ref<std::string(llvm::StringRef)> already) {
  std::string full = "refs/heads/" + branchName;
  // Another push can land on the branch between probe and push: probe again
  // and retry, a few times.
  for (int attempt = 0;; ++attempt) {
    std::optional<Oid> head = resolve(branchName);
    if (!head)
      return conflict(n, "cannot commit " + file + ": " + branchName +
                             " does not exist on " + remoteName);
    llvm::Expected<std::optional<std::string>> text =
        repo->readFile(*head, file);
    if (!text) {
      gitError(text.takeError(), "cannot read " + file);
      return {Status::Failed, "git failed", {}, false};
    }
    llvm::StringRef now = *text ? llvm::StringRef(**text).trim() : "";
    if (*text && now == llvm::StringRef(content).trim())
      return {Status::Skipped,
              file + " on " + branchName + " already holds " + content};
    if (*text)
      if (std::string why = already(now); !why.empty())
        return {Status::Skipped, why};
    std::string was = *text ? "holds " + llvm::StringRef(**text).trim().str()
                            : "does not exist";
    std::string detail = file + " on " + branchName + " " + was;
    if (!opts.execute)
      return {Status::Would, detail + "; would commit " + content +
                                 " on top of " + head->abbrev()};
    llvm::Expected<Oid> c = repo->commitFile(
        *head, file,
        llvm::StringRef(content).endswith("\n") ? content : content + "\n",
        !message.empty()
            ? message
            : "Set " + file + " to " + content + "\n\nrelc: " + g.project +
                  " " + g.version + ", step " + n.id + "\n",
        repo->signature());
    if (!c) {
      gitError(c.takeError(), "cannot commit " + file);
      return {Status::Failed, "git failed", {}, false};
    }
    if (llvm::Error e = repo->push(url, {{*c, full, false}})) {
      if (attempt < 3) {
        llvm::consumeError(std::move(e));
        if (!download())
          return {Status::Failed, "git failed", {}, false};
        continue;
      }
      return pushFailed(n, branchName, std::move(e));
    }
    if (std::optional<Outcome> bad = pushed(n, full, *c, branchName))
      return std::move(*bad);
    return {Status::Done,
            detail + "; committed " + content + " as " + c->abbrev(),
            {},
            true};
  }
}

/// The pin: what the ref names in its repository, committed in this one.
Outcome Executor::pin(const Node &n) {
  const graph::PinNode &p = n.as<graph::PinNode>();
  std::string home = current;
  if (!enter(p.of)) {
    enter(home);
    return {Status::Failed, "cannot reach repository " + p.of, {}, false};
  }
  std::optional<Oid> at = resolve(p.ref);
  std::string where = remoteName;
  enter(home);
  if (!at)
    return conflict(n, "cannot pin " + p.ref + " of " + p.of + ": it does " +
                           "not exist on " + where);
  std::string content = p.commit ? at->hex : p.ref;
  return commit(
      n, p.file, content, p.branch, p.message,
      [&](llvm::StringRef now) -> std::string {
        // A pinned commit the ref has since moved past (a pick on
        // the release branch) is still that ref's: pinned once.
        if (!p.commit || now.size() != 40 ||
            !llvm::all_of(now, llvm::isHexDigit) || !repo->has(Oid{now.str()}))
          return "";
        llvm::Expected<bool> on = repo->isAncestor(Oid{now.str()}, *at);
        if (!on) {
          llvm::consumeError(on.takeError());
          return "";
        }
        return *on ? p.file + " on " + p.branch + " pins " +
                         now.take_front(12).str() + ", on " + p.ref + " of " +
                         p.of
                   : "";
      });
}

Outcome Executor::recordFile(const Node &n) {
  const graph::RecordNode &r = n.as<graph::RecordNode>();
  std::optional<Oid> head = resolve(r.on);
  if (!head)
    return conflict(n, "cannot read " + r.file + ": " + r.on +
                           " does not exist on " + remoteName);
  llvm::Expected<std::optional<std::string>> text =
      repo->readFile(*head, r.file);
  if (!text) {
    gitError(text.takeError(), "cannot read " + r.file);
    return {Status::Failed, "git failed", {}, false};
  }
  std::string at = r.file + " on " + r.on + " at " + head->abbrev();
  if (!*text)
    return failed(n, DiagKind::StepFailed,
                  "record " + r.name + ": " + at + " does not exist");
  llvm::StringRef value =
      llvm::StringRef(**text).trim().split('\n').first.trim();
  if (value.empty())
    return failed(n, DiagKind::StepFailed,
                  "record " + r.name + ": " + at + " is empty");
  if (r.commit &&
      (value.size() != 40 || !llvm::all_of(value, llvm::isHexDigit)))
    return failed(n, DiagKind::StepFailed,
                  "record " + r.name + ": " + at + " holds '" +
                      value.take_front(80) +
                      "', not a commit id (40 hex "
                      "digits)");
  recorded.emplace_back(r.name, value.str());
  Outcome o(Status::Passed, r.name + ": " + value.str() + " (" + at + ")");
  o.value = value.str();
  return o;
}

Outcome Executor::check(const Node &n) {
  const graph::CheckNode &c = n.as<graph::CheckNode>();
  CheckContext ctx{*repo,
                   [this](llvm::StringRef name) { return resolve(name); },
                   g.repository.mainBranch,
                   opts.artifactsDir,
                   // The tree commands would run in, read from git: a dry run
                   // creates no worktree.
                   [this](llvm::StringRef path)
                       -> llvm::Expected<std::optional<std::string>> {
                     llvm::Expected<Oid> at = subject ? *subject : repo->head();
                     if (!at)
                       return at.takeError();
                     return repo->readFile(*at, path);
                   },
                   "",
                   {}};
  if (g.plan && g.plan->base) {
    ctx.patchBase = g.plan->base->finalTag.bind(std::nullopt);
    if (const sema::Milestone *m = g.plan->milestone("cherry_pick_deadline"))
      ctx.pickDeadline = m->date;
  }
  // A dry run has not created the branches earlier steps would: the check
  // can only run once they exist.
  for (const graph::CheckArgValue &a : c.args)
    for (const std::string *b : {&a.text, &a.lo, &a.hi})
      if ((a.param->type == sema::ParamType::Ref ||
           (a.param->type == sema::ParamType::Range && b != &a.text)) &&
          simulated.count("refs/heads/" + *b))
        return {Status::Would, "would run once " + *b + " exists"};
  llvm::Expected<CheckResult> r = runCheck(c, ctx);
  if (!r)
    return failed(n, DiagKind::CheckFailed,
                  "check " + c.check +
                      " cannot run: " + llvm::toString(r.takeError()));
  Outcome o{r->passed ? Status::Passed : Status::Failed, r->summary,
            r->findings, false};
  if (!r->passed) {
    Diagnostic &d = diags.report(DiagKind::CheckFailed, n.loc,
                                 "check " + c.check + " failed: " + r->summary);
    for (const std::string &f : r->findings)
      d.notes.push_back({llvm::SMLoc(), f});
  }
  return o;
}

Outcome Executor::approval(const Node &n) {
  const std::string &group = n.as<graph::ApprovalNode>().group;
  if (const llvm::json::Object *e = journalFind("approve", n.key))
    return {Status::Skipped, "approved by " + field(*e, "user").str() + " at " +
                                 field(*e, "time").str()};
  if (!llvm::is_contained(opts.approvals, group))
    return failed(n, DiagKind::StepBlocked,
                  "stage " + n.stage + " needs an approval from " + group +
                      ": re-run with --approve " + group);
  if (!opts.execute)
    return {Status::Would,
            "would record the approval of " + group + " by " + who()};
  if (!record(llvm::json::Object{{"event", "approve"},
                                 {"key", n.key},
                                 {"group", group},
                                 {"user", who()}}))
    return {Status::Failed, "journal failed", {}, false};
  return {Status::Done, "approved for " + group + " by " + who(), {}, true};
}

/// Runs a shell step's command in the repository's work tree with its env,
/// a timeout, and its output in the journal directory.
Outcome Executor::runCommand(const Node &n, int &exitCode) {
  const graph::ShellNode &sh = n.as<graph::ShellNode>();
  return runCommand(n, sh.command, sh.env, sh.cwd, sh.timeout, exitCode);
}

Outcome
Executor::runCommand(const Node &n, const std::string &command,
                     const std::map<std::string, std::string> &stepEnv,
                     const std::string &subdir,
                     std::optional<Duration> stepTimeout, int &exitCode,
                     llvm::function_ref<llvm::Error(llvm::StringRef)> prepare) {
  exitCode = notStarted;
  std::string log = logPath(n);
  std::string logDir = llvm::sys::path::parent_path(log).str();
  if (llvm::Error e = refuseLinks(stateRoot(), log))
    return failed(n, DiagKind::StepFailed, llvm::toString(std::move(e)));
  if (std::error_code ec = llvm::sys::fs::create_directories(logDir))
    return failed(n, DiagKind::StepFailed,
                  "cannot create " + logDir + ": " + ec.message());
  // The log is written by path (the command's output is redirected to it):
  // checked again now the directories exist.
  if (llvm::Error e = refuseLinks(stateRoot(), log))
    return failed(n, DiagKind::StepFailed, llvm::toString(std::move(e)));
  unsigned timeout = opts.shellTimeout;
  if (stepTimeout)
    timeout = unsigned(stepTimeout->inSeconds());
  std::vector<std::string> env;
  for (char **e = environ; *e; ++e)
    env.emplace_back(*e);
  for (const auto &[k, v] : stepEnv)
    env.push_back(k + "=" + v);
  env.push_back("RELC_PROJECT=" + g.project);
  env.push_back("RELC_VERSION=" + g.version);
  env.push_back("RELC_STAGE=" + n.stage);
  env.push_back("RELC_STEP=" + n.id);
  if (rc)
    env.push_back("RELC_RC=" + std::to_string(*rc));
  std::vector<llvm::StringRef> envRefs(env.begin(), env.end());
  llvm::Expected<std::string> checkoutDir = cleanCheckout();
  if (!checkoutDir)
    return failed(n, DiagKind::StepFailed,
                  "cannot check out the release to run '" + command +
                      "': " + llvm::toString(checkoutDir.takeError()));
  if (llvm::Error e = prepare(*checkoutDir))
    return failed(n, DiagKind::StepFailed, llvm::toString(std::move(e)));
  std::string cwd = *checkoutDir;
  if (!subdir.empty())
    cwd += "/" + subdir;
  // cd and the command as positional parameters: nothing to quote.
  llvm::StringRef args[] = {
      "/bin/sh", "-c", "cd -- \"$1\" || exit 127; eval \"$2\"",
      "relc",    cwd,  command};
  llvm::Optional<llvm::StringRef> redirects[] = {
      llvm::StringRef(""), llvm::StringRef(log), llvm::StringRef(log)};
  std::string err;
  bool execFailed = false;
  exitCode = llvm::sys::ExecuteAndWait(
      "/bin/sh", args, llvm::ArrayRef<llvm::StringRef>(envRefs), redirects,
      timeout, 0, &err, &execFailed);
  if (execFailed) {
    exitCode = notStarted;
    return failed(n, DiagKind::StepFailed,
                  "cannot run '" + command + "': " + err);
  }
  if (exitCode == -2)
    return failed(n, DiagKind::StepFailed,
                  "'" + command + "' timed out after " +
                      Duration::seconds(timeout).str() + "; output in " + log);
  if (exitCode != 0)
    return failed(n, DiagKind::StepFailed,
                  "'" + command + "' exited with " + std::to_string(exitCode) +
                      "; output in " + log);
  return {Status::Done,
          "ran '" + command + "' in a clean checkout of " + checkoutName() +
              "; output in " + log,
          {},
          true};
}

/// `3.12, linux-x86_64, cpu`: how people name a leg.
static std::string legValues(const graph::BuildNode &b) {
  std::vector<std::string> values;
  for (const auto &[axis, value] : b.leg)
    values.push_back(value);
  return llvm::join(values, ", ");
}

bool Executor::legSelected(const Node &n) const {
  const auto *b = std::get_if<graph::BuildNode>(&n.payload);
  if (!b)
    return false;
  if (!opts.step.empty())
    return n.id == opts.step;
  return !opts.leg.empty() &&
         (legValues(*b) == opts.leg || b->name == opts.leg);
}

/// Where a build keeps its leg's artifacts for the test and the upload.
std::string Executor::legStore(const graph::BuildNode &b) const {
  if (!opts.legArtifacts.empty())
    return opts.legArtifacts;
  return stateDir() + "/artifacts/" + graph::slug(b.matrix) + "/" + b.name;
}

Outcome Executor::leg(const Node &n) {
  const graph::BuildNode &b = n.as<graph::BuildNode>();
  if (!legSelected(n)) {
    std::vector<std::string> values;
    for (const auto &[axis, value] : b.leg)
      values.push_back(axis + "=" + value);
    return {Status::Ci, "leg " + llvm::join(values, " ") +
                            ": run by the CI job relc emit generates, or "
                            "here with --leg"};
  }
  if (b.phase == graph::BuildNode::Phase::Upload)
    return legUpload(n);
  return legCommand(n);
}

/// The files under \p root (not .git) whose paths relative to it match one
/// of \p globs, relative.
static llvm::Expected<std::vector<std::string>>
matching(llvm::StringRef root, llvm::ArrayRef<std::string> globs) {
  std::vector<llvm::GlobPattern> patterns;
  for (const std::string &g : globs) {
    llvm::Expected<llvm::GlobPattern> p = llvm::GlobPattern::create(g);
    if (!p)
      return p.takeError();
    patterns.push_back(std::move(*p));
  }
  std::vector<std::string> out;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef path = it->path();
    llvm::StringRef rel = path.drop_front(root.size()).ltrim('/');
    if (rel == ".git" || rel.startswith(".git/")) {
      it.no_push();
      continue;
    }
    if (it->type() != llvm::sys::fs::file_type::regular_file)
      continue;
    if (llvm::any_of(patterns,
                     [&](const llvm::GlobPattern &p) { return p.match(rel); }))
      out.push_back(rel.str());
  }
  if (ec)
    return llvm::createStringError(ec, "cannot list %s: %s", root.str().c_str(),
                                   ec.message().c_str());
  std::sort(out.begin(), out.end());
  return out;
}

/// Copies \p files (relative) from \p from to \p to, making directories.
static llvm::Error copyFiles(llvm::StringRef from, llvm::StringRef to,
                             llvm::ArrayRef<std::string> files) {
  for (const std::string &f : files) {
    std::string dest = (to + "/" + f).str();
    if (std::error_code ec = llvm::sys::fs::create_directories(
            llvm::sys::path::parent_path(dest)))
      return llvm::createStringError(ec, "cannot create the directory of %s",
                                     dest.c_str());
    if (std::error_code ec = llvm::sys::fs::copy_file(from + "/" + f, dest))
      return llvm::createStringError(ec, "cannot copy %s: %s", f.c_str(),
                                     ec.message().c_str());
  }
  return llvm::Error::success();
}

/// A leg's build or test: its recipe's command in a clean checkout of what
/// the stage tagged, with the recipe's env. A build keeps the artifacts its
/// recipe names (atomically: all or none); a test gets them first.
Outcome Executor::legCommand(const Node &n) {
  const graph::BuildNode &b = n.as<graph::BuildNode>();
  bool test = b.phase == graph::BuildNode::Phase::Test;
  if (const llvm::json::Object *e = journalFind("step", n.key, "done"))
    return {Status::Skipped,
            "ran at " + field(*e, "time").str() + " (journal)"};
  std::string store = legStore(b);
  if (!opts.execute)
    return {Status::Would,
            "would run '" + b.command + "'" +
                (test ? " on the artifacts in " + store
                      : " and keep " + llvm::join(b.artifacts, " ") + " in " +
                            store)};
  std::map<std::string, std::string> env = b.env;
  env["RELC_LEG"] = legValues(b);
  env["RELC_LEG_NAME"] = b.name;
  auto prepare = [&](llvm::StringRef dir) -> llvm::Error {
    if (!test)
      return llvm::Error::success();
    llvm::Expected<std::vector<std::string>> files = matching(store, {"*"});
    if (!files)
      return files.takeError();
    if (files->empty())
      return llvm::createStringError(std::errc::no_such_file_or_directory,
                                     "no artifacts of leg %s in %s; build it "
                                     "first",
                                     b.name.c_str(), store.c_str());
    return copyFiles(store, dir, *files);
  };
  int code = 0;
  Outcome o = runCommand(n, b.command, env, "", b.timeout, code, prepare);
  if (test || o.status != Status::Done)
    return o;
  llvm::Expected<std::vector<std::string>> files =
      matching(checkout, b.artifacts);
  if (!files)
    return failed(n, DiagKind::StepFailed, llvm::toString(files.takeError()));
  if (files->empty())
    return failed(n, DiagKind::StepFailed,
                  "'" + b.command + "' made no file matching " +
                      llvm::join(b.artifacts, " ") + " in the checkout");
  std::string tmp = store + ".tmp-" + runId;
  llvm::sys::fs::remove_directories(tmp);
  if (llvm::Error e = copyFiles(checkout, tmp, *files))
    return failed(n, DiagKind::StepFailed, llvm::toString(std::move(e)));
  llvm::sys::fs::remove_directories(store);
  if (std::error_code ec = llvm::sys::fs::rename(tmp, store))
    return failed(n, DiagKind::StepFailed,
                  "cannot keep the artifacts in " + store + ": " +
                      ec.message());
  o.detail += "; kept " + llvm::join(*files, " ") + " in " + store;
  return o;
}

/// Each artifact of the leg at the channel's target: probed first, so that
/// a rerun uploads nothing and a different file under the same name is a
/// contradiction, never an overwrite.
Outcome Executor::legUpload(const Node &n) {
  const graph::BuildNode &b = n.as<graph::BuildNode>();
  std::string store = legStore(b);
  llvm::Expected<std::vector<std::string>> files =
      llvm::sys::fs::is_directory(store)
          ? matching(store, {"*"})
          : llvm::Expected<std::vector<std::string>>(
                std::vector<std::string>());
  if (!files)
    return failed(n, DiagKind::StepFailed, llvm::toString(files.takeError()));
  if (files->empty()) {
    if (!opts.execute)
      return {Status::Would, "would upload the artifacts of leg " + b.name +
                                 " to " + b.upload + " once it is built"};
    return failed(n, DiagKind::StepFailed,
                  "no artifacts of leg " + b.name + " in " + store +
                      "; build it first");
  }
  std::vector<std::string> same, missing;
  std::map<std::string, std::string> digests;
  for (const std::string &f : *files) {
    llvm::Expected<std::string> d = sha256File(store + "/" + f);
    if (!d)
      return failed(n, DiagKind::StepFailed, llvm::toString(d.takeError()));
    std::string name = llvm::sys::path::filename(f).str();
    // An index shows its files on its simple pages, not at a URL of each.
    bool index = graph::isIndexUpload(b.upload);
    std::string url =
        index ? b.index + " (" + name + ")" : uploadUrl(b.upload, name);
    llvm::Expected<std::optional<std::string>> there =
        index ? probeIndex(b.index, name) : probeUpload(url);
    if (!there)
      return failed(n, DiagKind::StepFailed, llvm::toString(there.takeError()));
    if (!*there) {
      missing.push_back(f);
    } else if (**there != *d) {
      return conflict(n, url + " exists with sha256 " + **there +
                             ", and this build's " + name + " has " + *d +
                             ": a channel never gets two files under one "
                             "name; find out which is right before going on");
    } else {
      same.push_back(name);
    }
    digests[f] = *d;
  }
  if (missing.empty())
    return {Status::Skipped, "already at " + b.upload +
                                 " with the same "
                                 "sha256: " +
                                 llvm::join(same, " ")};
  if (!opts.execute)
    return {Status::Would,
            "would upload " + llvm::join(missing, " ") + " to " + b.upload};
  std::vector<std::string> put;
  for (const std::string &f : missing) {
    if (graph::isIndexUpload(b.upload)) {
      // The index checks the digest twine sends; its simple pages may show
      // the file only later (a CDN), which a rerun's probe then finds.
      if (llvm::Error e = putIndex(store + "/" + f, b.upload))
        return failed(n, DiagKind::StepFailed, llvm::toString(std::move(e)));
      maybeKill("after-act");
      put.push_back(llvm::sys::path::filename(f).str());
      continue;
    }
    std::string url = uploadUrl(b.upload, llvm::sys::path::filename(f));
    if (llvm::Error e = putUpload(store + "/" + f, url, digests[f]))
      return failed(n, DiagKind::StepFailed, llvm::toString(std::move(e)));
    maybeKill("after-act");
    llvm::Expected<std::optional<std::string>> there = probeUpload(url);
    if (!there)
      return failed(n, DiagKind::StepFailed, llvm::toString(there.takeError()));
    if (!*there || **there != digests[f])
      return failed(n, DiagKind::StepFailed,
                    "uploaded " + f + " but " + url +
                        " does not show its sha256");
    put.push_back(llvm::sys::path::filename(f).str());
  }
  return {Status::Done,
          "uploaded " + llvm::join(put, " ") + " to " + b.upload +
              (same.empty() ? "" : "; already there: " + llvm::join(same, " ")),
          {},
          true};
}

Outcome Executor::shell(const Node &n) {
  if (n.once)
    return runOnce(n);
  // Any record of it done counts: later runs record it skipped.
  if (const llvm::json::Object *e = journalFind("step", n.key, "done"))
    return {Status::Skipped,
            "ran at " + field(*e, "time").str() + " (journal)"};
  if (!opts.execute)
    return {Status::Would,
            "would run '" + n.as<graph::ShellNode>().command + "'"};
  int code = 0;
  return runCommand(n, code);
}

std::string Executor::logPath(const Node &n) const {
  return stateDir() + "/logs/" + n.stage +
         (rc ? "-rc" + std::to_string(*rc) : std::string()) + "/" +
         graph::slug(n.id.substr(n.stage.size() + 1)) + ".log";
}

/// Commands run in a worktree of their own at the commit the stage is
/// about, checked out afresh for each run: never in the user's work tree,
/// whose uncommitted edits and current branch must not leak into a release.
llvm::Expected<std::string> Executor::cleanCheckout() {
  if (!checkout.empty() && checkoutAt == subject)
    return checkout;
  std::string dir = stateDir() + "/worktrees/" + opts.stage +
                    (rc ? "-rc" + std::to_string(*rc) : std::string());
  if (llvm::Error e = refuseLinks(stateRoot(), dir))
    return std::move(e);
  std::string gitDir = repo->gitDir();
  // One left by an earlier (or killed) run goes first.
  llvm::consumeError(
      git::runGit(gitDir, {"worktree", "remove", "--force", "--force", dir}));
  llvm::sys::fs::remove_directories(dir);
  llvm::consumeError(git::runGit(gitDir, {"worktree", "prune"}));
  if (std::error_code ec =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(dir)))
    return llvm::createStringError(ec, "cannot create %s", dir.c_str());
  std::vector<std::string> add = {"worktree",
                                  "add",
                                  "--detach",
                                  "--force",
                                  "--force",
                                  dir,
                                  subject ? subject->hex : "HEAD"};
  if (llvm::Error e = git::runGit(gitDir, add)) {
    // A run killed while git made the worktree can leave git's record of it
    // half written, which `prune` does not clear: clear it, and once more.
    llvm::consumeError(std::move(e));
    llvm::sys::fs::remove_directories(gitDir + "/worktrees/" +
                                      llvm::sys::path::filename(dir).str());
    llvm::sys::fs::remove_directories(dir);
    if (llvm::Error again = git::runGit(gitDir, add))
      return std::move(again);
  }
  checkout = dir;
  checkoutAt = subject;
  return checkout;
}

std::string Executor::checkoutName() const {
  return checkoutAt ? checkoutAt->abbrev() : "HEAD";
}

/// A `once` step leaves a marker on the remote before it acts, so no run
/// anywhere (another machine, a lost journal) can run it again: a ref under
/// refs/relc/once/ to a small commit history whose `state` file says
/// claimed, then done or failed.
/// The command that deletes a `once` marker: for a person, after checking.
std::string Executor::clearMarker(llvm::StringRef marker) const {
  return "git push " + remoteName + " --delete " + marker.str();
}

Outcome Executor::runOnce(const Node &n) {
  // The journal, too, says it ran: a deleted marker does not undo that.
  if (const llvm::json::Object *e = journalFind("step", n.key, "done"))
    return {Status::Skipped,
            "ran at " + field(*e, "time").str() + " (journal)"};
  std::string marker =
      "refs/relc/once/" + graph::slug(g.project) + "/" + g.version + "/" + n.id;
  auto gitFailed = [&](llvm::Error e, const llvm::Twine &what) {
    gitError(std::move(e), what);
    return Outcome(Status::Failed, what.str());
  };
  Oid previous;
  if (const git::RemoteRef *r = ref(marker)) {
    previous = r->target;
    if (llvm::Error e = repo->download(url, {marker}))
      return gitFailed(std::move(e), "cannot read " + marker);
    llvm::Expected<std::optional<std::string>> text =
        repo->readFile(previous, "state");
    if (!text)
      return gitFailed(text.takeError(), "cannot read " + marker);
    llvm::StringRef state = *text ? llvm::StringRef(**text) : "";
    if (state.startswith("state: done"))
      return {Status::Skipped,
              "ran once already (" + marker + ": " +
                  state.split('\n').second.split('\n').first.str() + ")"};
    return conflict(n, "once step " + n.id +
                           " was started before and did not finish (" + marker +
                           " on " + remoteName + " says '" +
                           state.split('\n').first +
                           "'); check whether it took effect, then delete that "
                           "ref to allow another run: " +
                           clearMarker(marker));
  }
  if (!opts.execute)
    return {Status::Would, "never run (no " + marker +
                               "); would claim it, then run '" +
                               n.as<graph::ShellNode>().command + "'"};
  auto commitState = [&](llvm::StringRef state) -> llvm::Expected<Oid> {
    // The run id makes each run's claim its own commit: two runs with one
    // identity in one second would otherwise make the same commit, and the
    // second push would succeed as a no-op.
    std::string text =
        ("state: " + state + "\nby: " + who() + " at " + timestamp() +
         "\nrun: " + runId + "\nstep: " + n.id + "\nkey: " + n.key + "\n")
            .str();
    return repo->commitFile(previous, "state", text,
                            ("relc once: " + n.key + ": " + state).str(),
                            repo->signature());
  };
  auto mark = [&](llvm::StringRef state) -> llvm::Error {
    llvm::Expected<Oid> c = commitState(state);
    if (!c)
      return c.takeError();
    if (llvm::Error e = repo->push(url, {{*c, marker, false}}))
      return e;
    previous = *c;
    return llvm::Error::success();
  };
  // Claim first, then read the remote back: of two runs claiming at once,
  // the remote holds one claim, and only that run goes on.
  llvm::Expected<Oid> claim = commitState("claimed");
  if (!claim)
    return gitFailed(claim.takeError(), "cannot claim " + marker);
  llvm::Error pushError = repo->push(url, {{*claim, marker, false}});
  if (!relist()) {
    llvm::consumeError(std::move(pushError));
    return {Status::Failed, "git failed", {}, false};
  }
  const git::RemoteRef *held = ref(marker);
  if (!held) // Refused (a hook, a lock): nobody holds the claim.
    return gitFailed(
        pushError ? std::move(pushError)
                  : llvm::createStringError(llvm::inconvertibleErrorCode(),
                                            "the remote does not show it"),
        "cannot claim " + marker);
  if (held->target != *claim) {
    llvm::consumeError(std::move(pushError));
    return conflict(n, "once step " + n.id + " was claimed by another run (" +
                           marker + " on " + remoteName + " is at " +
                           held->target.abbrev() +
                           "); that run does it, this one does not");
  }
  llvm::consumeError(std::move(pushError));
  previous = *claim;
  int code = notStarted;
  Outcome o = runCommand(n, code);
  // The command never started (no checkout, no log, no shell): the claim
  // is released, so a later run can do what this one could not.
  if (code == notStarted) {
    if (llvm::Error e = repo->push(url, {{Oid(), marker, true}}))
      return gitFailed(std::move(e), "cannot release " + marker);
    return o;
  }
  if (llvm::Error e = mark(o.status == Status::Done
                               ? std::string("done")
                               : "failed (exit " + std::to_string(code) + ")"))
    return gitFailed(std::move(e), "cannot update " + marker);
  if (o.status != Status::Done)
    diags.note(llvm::SMLoc(),
               marker + " on " + remoteName +
                   " now says 'failed': no run repeats the step; once sure it "
                   "took no effect, clear it with: " +
                   clearMarker(marker));
  return o;
}

/// The ref that records stage \p stage complete on the remote.
std::string Executor::stageRecord(llvm::StringRef stage) const {
  return "refs/relc/stages/" + graph::slug(g.project) + "/" + g.version + "/" +
         stage.str();
}

bool Executor::recordStage() {
  std::string full = stageRecord(opts.stage);
  std::string text = "stage: " + opts.stage +
                     (rc ? "\nrc: " + std::to_string(*rc) : std::string()) +
                     "\nby: " + who() + " at " + timestamp() +
                     "\nrun: " + runId + "\n";
  llvm::Expected<Oid> c = repo->commitFile(
      Oid(), "state", text, "relc: stage " + opts.stage + " complete",
      repo->signature());
  if (!c)
    return gitError(c.takeError(), "cannot record stage " + opts.stage);
  if (llvm::Error e = repo->push(url, {{*c, full, /*force=*/true}}))
    return gitError(std::move(e), "cannot record stage " + opts.stage);
  return true;
}

/// \p file on \p branch of the remote, in \p text (nullopt if the branch
/// has no such file); what stops reading it, or empty.
std::string Executor::fileOnBranch(const std::string &branch,
                                   const std::string &file,
                                   std::optional<std::string> &text) {
  std::optional<Oid> head = resolve(branch);
  if (!head)
    return "branch " + branch + " is not on " + remoteName;
  llvm::Expected<std::optional<std::string>> read = repo->readFile(*head, file);
  if (!read) {
    llvm::consumeError(read.takeError());
    return file + " on " + branch + " cannot be read";
  }
  text = std::move(*read);
  return "";
}

/// What of stage \p name is not on the remote: its branches, its tags (an
/// RC tag of any number), its once markers, and for a stage with other
/// steps (commands, approvals) its completion record. Empty: complete.
std::string Executor::missingOf(llvm::StringRef name) {
  graph::LowerOptions lo;
  lo.stage = name.str();
  graph::Graph other = graph::lower(*g.plan, lo, *g.sm, g.file);
  bool needsRecord = false;
  // Each step is looked for on its repository's remote; then back home.
  struct Home {
    Executor &e;
    ~Home() { e.enter(""); }
  } home{*this};
  for (const Node &n : other.nodes) {
    if (!enter(n.repo()))
      return "repository " + n.repo().str() + " cannot be reached";
    if (auto *b = std::get_if<graph::BranchNode>(&n.payload)) {
      if (!ref("refs/heads/" + b->name))
        return "branch " + b->name + " is not on " + remoteName;
    } else if (auto *t = std::get_if<graph::TagNode>(&n.payload)) {
      if (t->nameParts.size() == 1) {
        if (!ref("refs/tags/" + t->name))
          return "tag " + t->name + " is not on " + remoteName;
        continue;
      }
      bool any = llvm::any_of(refs, [&](const auto &r) {
        llvm::StringRef tag = r.first;
        unsigned number = 0;
        return tag.consume_front("refs/tags/" + t->nameParts.front()) &&
               tag.consume_back(t->nameParts.back()) &&
               !tag.getAsInteger(10, number) && number > 0;
      });
      if (!any)
        return "no tag " + llvm::join(t->nameParts, "*") + " is on " +
               remoteName;
    } else if (auto *c = std::get_if<graph::CommitNode>(&n.payload)) {
      // A file on a branch: what the patch's version stage leaves for its
      // RCs to build from.
      std::optional<std::string> text;
      if (std::string why = fileOnBranch(c->branch, c->file, text);
          !why.empty())
        return why;
      llvm::StringRef now = text ? llvm::StringRef(*text).trim() : "";
      if (!text || (now != llvm::StringRef(c->content).trim() &&
                    !newerThan(now, c->content)))
        return c->file + " on " + c->branch + " holds " +
               (text ? now.str() : std::string("nothing")) + ", not " +
               c->content;
    } else if (auto *p = std::get_if<graph::PinNode>(&n.payload)) {
      // A pin on a branch: what the stage leaves for the next (its content
      // may be a commit, which only a run knows).
      std::optional<std::string> text;
      if (std::string why = fileOnBranch(p->branch, p->file, text);
          !why.empty())
        return why;
      if (!text || llvm::StringRef(*text).trim().empty())
        return p->file + " on " + p->branch + " pins nothing";
    } else if (n.once) {
      std::string marker = "refs/relc/once/" + graph::slug(g.project) + "/" +
                           g.version + "/" + n.id;
      if (!ref(marker))
        return "once step " + n.id + " has not run (no " + marker + ")";
    } else if (n.kind() == Node::Kind::Shell ||
               n.kind() == Node::Kind::Approval) {
      needsRecord = true;
    }
  }
  if (needsRecord && !ref(stageRecord(name)))
    return "it has not been run to its end (no " + stageRecord(name) + " on " +
           remoteName + ")";
  return "";
}

/// Where the partner of \p w tags: --partner-remote, else its project's
/// `remote` when that is a URL or a path, else a remote of this clone named
/// after the project (a bare name such as `origin` means the partner's own
/// clone, not this one).
llvm::Expected<std::string>
Executor::partnerUrl(const sema::PartnerWait &w) const {
  auto given = opts.partnerRemotes.find(w.project);
  if (given != opts.partnerRemotes.end())
    return repo->remoteUrl(given->second);
  llvm::StringRef remote = w.remote;
  if (remote.contains('/') || remote.contains(':'))
    return remote.str();
  if (llvm::Expected<std::string> named = repo->remoteUrl(w.project))
    return named;
  else
    llvm::consumeError(named.takeError());
  return git::error(w.project + "'s repo names remote '" + remote +
                    "', a remote of its own clone; add a remote named " +
                    w.project + " to this one, or pass --partner-remote " +
                    w.project + "=URL");
}

/// `after pytorch.rc`: the tag of that stage is on the partner's remote.
bool Executor::partnersTagged() {
  const graph::StageInfo *info = unbound.stage(opts.stage);
  if (!info)
    return true;
  for (const sema::PartnerWait &w : info->partners) {
    std::string what = w.project + " " + w.tag;
    llvm::Expected<std::string> url = partnerUrl(w);
    if (!url)
      return gitError(url.takeError(),
                      "cannot tell whether " + what + " is out");
    llvm::Expected<git::RemoteRefs> listed = repo->listRemote(*url);
    if (!listed)
      return gitError(listed.takeError(),
                      "cannot list " + w.project + "'s remote " + *url);
    if (listed->count("refs/tags/" + w.tag))
      continue;
    diags.report(DiagKind::PartnerWaiting, llvm::SMRange(),
                 "waiting for " + what + ": stage " + opts.stage +
                     " runs after " + w.project + "." + w.stage + " of " +
                     w.project + " " + w.version + ", and " + *url +
                     " has no tag " + w.tag + " yet");
    return false;
  }
  return true;
}

/// A stage runs only after the stages it comes after are complete, as the
/// remote shows them: the same answer from any clone and from CI.
bool Executor::afterStagesComplete() {
  const graph::StageInfo *info = unbound.stage(opts.stage);
  if (!info)
    return true;
  for (const std::string &a : info->after) {
    std::string missing = missingOf(a);
    if (missing.empty())
      continue;
    diags.report(DiagKind::StepBlocked, llvm::SMRange(),
                 "stage " + opts.stage + " runs after " + a +
                     ", which is not complete: " + missing);
    return false;
  }
  return true;
}

Outcome Executor::step(const Node &n) {
  switch (n.kind()) {
  case Node::Kind::Wait:
    return wait(n);
  case Node::Kind::Branch:
    return branch(n);
  case Node::Kind::Tag: {
    Outcome o = tag(n);
    // What the stage tags is what its commands work on.
    if (!stops(o.status))
      subject = resolve(n.as<graph::TagNode>().name);
    // A CI job hands the commit to the jobs that build it (relc emit
    // github: `needs.JOB.outputs.commit`).
    if (subject && opts.execute)
      if (const char *file = getenv("GITHUB_OUTPUT"); file && *file) {
        std::error_code ec;
        llvm::raw_fd_ostream os(file, ec, llvm::sys::fs::OF_Append);
        if (!ec)
          os << "commit=" << subject->hex << "\n";
      }
    return o;
  }
  case Node::Kind::Commit: {
    const graph::CommitNode &c = n.as<graph::CommitNode>();
    return commit(n, c.file, c.content, c.branch, c.message,
                  [&](llvm::StringRef now) {
                    return newerThan(now, c.content)
                               ? c.file + " on " + c.branch + " holds " +
                                     now.str() + ", newer than " + c.content
                               : std::string();
                  });
  }
  case Node::Kind::Pin:
    return pin(n);
  case Node::Kind::Record:
    return recordFile(n);
  case Node::Kind::Build:
    return leg(n);
  case Node::Kind::Check:
    return check(n);
  case Node::Kind::Approval:
    return approval(n);
  case Node::Kind::Shell:
    return shell(n);
  }
  return {Status::Failed, "unknown step", {}, false};
}

// ---------------------------------------------------------------- driver

bool Executor::setup() {
  llvm::Expected<std::unique_ptr<git::Library>> l = git::Library::load();
  if (!l)
    return gitError(l.takeError(), "cannot use libgit2");
  lib = std::move(*l);
  llvm::Expected<std::unique_ptr<git::Repository>> r =
      git::Repository::open(opts.repo);
  if (!r)
    return gitError(r.takeError(), "cannot open the repository");
  repo = std::move(*r);
  runId = newRunId();
  remoteName = opts.remote.empty() ? g.repository.remote : opts.remote;
  if (!readWorld())
    return false;
  std::string dir = stateDir();
  if (llvm::Error e = refuseLinks(stateRoot(), dir + "/journal.jsonl"))
    return gitError(std::move(e), "cannot use the journal");
  llvm::Expected<std::unique_ptr<Journal>> j =
      Journal::open(dir + "/journal.jsonl", opts.execute);
  if (!j)
    return gitError(j.takeError(), "cannot use the journal");
  journal = std::move(*j);
  // One executing run per release and clone: two would both pass the
  // journal's check before either recorded a command.
  if (opts.execute) {
    std::string lock = dir + "/run.lock";
    if (llvm::Error e = refuseLinks(stateRoot(), lock))
      return gitError(std::move(e), "cannot lock the state directory");
    runLock =
        ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (runLock < 0)
      return gitError(llvm::errorCodeToError(
                          std::error_code(errno, std::generic_category())),
                      "cannot lock " + lock);
    if (::flock(runLock, LOCK_EX | LOCK_NB) != 0) {
      diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                   "another relc run of " + g.project + " " + g.version +
                       " is executing in this clone (it holds " + lock +
                       "); run again when it has finished");
      return false;
    }
  }
  return true;
}

/// Cut points recorded by an earlier run of this stage, on this remote.
bool Executor::loadCutPoints() {
  for (const llvm::json::Object *e : records())
    if (field(*e, "event") == "pin" && field(*e, "stage") == opts.stage)
      if (auto from = e->getString("from"))
        if (auto c = e->getString("commit"))
          cutPoints[from->str()] = Oid{c->str()};
  for (const auto &[from, cut] : cutPoints) {
    std::optional<Oid> source = resolve(from);
    if (!source)
      continue;
    llvm::Expected<bool> on = repo->has(cut) ? repo->isAncestor(cut, *source)
                                             : llvm::Expected<bool>(false);
    if (!on)
      llvm::consumeError(on.takeError());
    if (!on || !*on) {
      diags.report(DiagKind::WorldContradictsPlan, llvm::SMRange(),
                   "the journal's cut point " + cut.abbrev() +
                       " for branches from " + from + " is not on " + from +
                       (current.empty() ? "" : " of " + current) + " (at " +
                       source->abbrev() +
                       "); remove its \"pin\" record to cut again");
      return false;
    }
  }
  return true;
}

RunSummary Executor::run() {
  g = unbound; // Until the RC number is known.
  if (!setup() || !resolveRc(rc))
    return {};
  if (rc && g.rc != rc)
    g = graph::bindRc(unbound, *rc);
  std::vector<const Node *> todo;
  for (const Node &n : g.nodes)
    if (n.stage == opts.stage && (opts.step.empty() || n.id == opts.step) &&
        (opts.leg.empty() || legSelected(n)))
      todo.push_back(&n);
  if (!opts.leg.empty() && todo.empty()) {
    std::vector<std::string> legs;
    for (const Node &n : g.nodes)
      if (const auto *b = std::get_if<graph::BuildNode>(&n.payload);
          b && n.stage == opts.stage &&
          b->phase == graph::BuildNode::Phase::Build)
        legs.push_back(legValues(*b));
    diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                 "stage " + opts.stage + " builds no leg '" + opts.leg + "'" +
                     didYouMean(opts.leg, legs));
    return {};
  }
  // A leg is built from what the stage tagged, when it has been tagged.
  if (!subject)
    for (const Node *n : todo)
      if (n->kind() == Node::Kind::Build)
        for (const Node &t : g.nodes)
          if (const auto *tag = std::get_if<graph::TagNode>(&t.payload);
              tag && t.stage == opts.stage && !subject &&
              ref("refs/tags/" + tag->name))
            subject = resolve(tag->name);
  if (!opts.step.empty() && todo.empty()) {
    std::vector<std::string> ids;
    for (const Node &n : g.nodes)
      if (n.stage == opts.stage)
        ids.push_back(n.id);
    diags.report(DiagKind::RunInvalid, llvm::SMRange(),
                 "stage " + opts.stage + " has no step '" + opts.step + "'" +
                     didYouMean(opts.step, ids));
    return {};
  }
  if (!download() || !afterStagesComplete() || !partnersTagged())
    return {};
  // Before anything acts: a planted link at a command's log stops the run
  // here, not after its tags are out.
  if (opts.execute)
    for (const Node *n : todo)
      if (n->kind() == Node::Kind::Shell)
        if (llvm::Error e = refuseLinks(stateRoot(), logPath(*n))) {
          gitError(std::move(e), "cannot use the log of " + n->id);
          return {};
        }
  if (!loadCutPoints())
    return {};

  std::string title = g.project + " " + g.version + ", stage " + opts.stage +
                      (rc ? " rc" + std::to_string(*rc) : "");
  if (!opts.json)
    out << "relc run: " << title << ", remote " << remoteName << " (" << url
        << ")\n"
        << (opts.execute ? "executing: steps act on the remote\n"
                         : "dry run: nothing changes (--execute to act)\n");
  if (opts.execute &&
      !record(llvm::json::Object{{"event", "run"}, {"user", who()}}))
    return {};
  bool ok = true, failedCheck = false;
  unsigned legs = 0; // Build legs not printed yet.
  for (const Node *&n : todo) {
    ++stepNo;
    // A step acts on its repository's remote, and its journal entry is
    // that remote's (the journal is one, its state per remote).
    Outcome o = enter(n->repo())
                    ? step(*n)
                    : Outcome(Status::Failed,
                              "cannot reach repository " + n->repo().str());
    diags.flush();
    // The legs of a build are CI's business: one line for all of them.
    bool leg = n->kind() == Node::Kind::Build && o.status == Status::Ci;
    const Node *following = &n == &todo.back() ? nullptr : *(&n + 1);
    if (leg && following && following->kind() == Node::Kind::Build &&
        group(*following) == group(*n)) {
      ++legs;
    } else if (leg && legs) {
      if (!opts.json)
        out << "[" << stepNo - legs << "-" << stepNo << "/" << todo.size()
            << "] " << llvm::left_justify(statusName(o.status), 8) << " "
            << group(*n) << ": " << legs + 1
            << " legs, run by the CI jobs relc emit generates, or here "
               "with --leg\n";
      legs = 0;
    } else if (!opts.json) {
      out << "[" << stepNo << "/" << todo.size() << "] "
          << llvm::left_justify(statusName(o.status), 8) << " " << n->id << ": "
          << oneLine(o.detail) << "\n";
    }
    if (!opts.json)
      for (const std::string &f : o.findings)
        out << "      " << oneLine(f) << "\n";
    out.flush();
    llvm::json::Object entry{
        {"event", "step"},  {"step", n->id},
        {"key", n->key},    {"status", statusName(o.status)},
        {"acted", o.acted}, {"detail", o.detail}};
    if (!o.commit.empty())
      entry["commit"] = o.commit;
    if (!o.value.empty())
      entry["value"] = o.value;
    if (opts.execute && o.status != Status::Would && !record(std::move(entry)))
      ok = false;
    enter("");
    Status status = o.status;
    results.emplace_back(n, std::move(o));
    maybeKill("after-step");
    // A failed check stops the run, but only after the checks right after
    // it: one run reports every failure of a `require`.
    if (status == Status::Failed && n->kind() == Node::Kind::Check)
      failedCheck = true;
    else if (stops(status))
      ok = false;
    const Node *next = &n == &todo.back() ? nullptr : *(&n + 1);
    if (failedCheck && (!next || next->kind() != Node::Kind::Check))
      ok = false;
    if (!ok)
      break;
  }
  // The stage is complete: say so on the remote, where stages that run
  // after it look (from any clone, or a CI job). A CI job runs one step;
  // the one that ends the stage records it.
  // Only stages whose steps leave no trace in git need one.
  const graph::StageInfo *info = g.stage(opts.stage);
  bool traceless = llvm::any_of(g.nodes, [&](const Node &n) {
    return n.stage == opts.stage && !n.once &&
           (n.kind() == Node::Kind::Shell || n.kind() == Node::Kind::Approval);
  });
  if (ok && opts.execute && info && traceless &&
      (opts.step.empty() || llvm::is_contained(info->exits, opts.step)))
    ok = recordStage();
  if (opts.execute && opts.step.empty())
    record(llvm::json::Object{{"event", "end"},
                              {"result", ok ? "ok" : "stopped"}});
  printSummary(ok);
  return summary(ok);
}

RunSummary Executor::summary(bool ok) const {
  RunSummary s;
  s.result = ok ? RunSummary::Result::Ok : RunSummary::Result::Stopped;
  s.rc = rc;
  for (const auto &[n, o] : results)
    s.steps.push_back({n->id, n->key, o.status, o.detail, o.findings, o.acted});
  return s;
}

void Executor::printSummary(bool ok) {
  if (opts.json) {
    llvm::json::Array steps;
    for (const auto &[n, o] : results) {
      llvm::json::Array findings;
      for (const std::string &f : o.findings)
        findings.push_back(f);
      steps.push_back(llvm::json::Object{{"id", n->id},
                                         {"kind", Node::kindName(n->kind())},
                                         {"key", n->key},
                                         {"status", statusName(o.status)},
                                         {"acted", o.acted},
                                         {"detail", o.detail},
                                         {"findings", std::move(findings)}});
    }
    llvm::json::Object values;
    for (const auto &[name, value] : recorded)
      values[name] = value;
    llvm::json::Object doc{{"project", g.project},
                           {"release", g.version},
                           {"stage", opts.stage},
                           {"execute", opts.execute},
                           {"remote", url},
                           {"result", ok ? "ok" : "stopped"},
                           {"steps", std::move(steps)}};
    if (!recorded.empty())
      doc["recorded"] = std::move(values);
    if (rc)
      doc["rc"] = int64_t(*rc);
    out << llvm::formatv("{0:2}", llvm::json::Value(std::move(doc))) << "\n";
    return;
  }
  std::map<Status, unsigned> counts;
  for (const auto &[n, o] : results)
    ++counts[o.status];
  std::vector<std::string> parts;
  for (const auto &[s, c] : counts)
    parts.push_back(std::to_string(c) + " " + statusName(s).str());
  // One row per step, one per build with its count of legs.
  std::vector<std::pair<std::string, Status>> rows;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto &[n, o] = results[i];
    size_t j = i;
    while (n->kind() == Node::Kind::Build && j + 1 < results.size() &&
           group(*results[j + 1].first) == group(*n) &&
           results[j + 1].second.status == o.status)
      ++j;
    rows.emplace_back(j == i ? n->id
                             : group(*n) + " (" + std::to_string(j - i + 1) +
                                   " legs)",
                      o.status);
    i = j;
  }
  size_t width = 4;
  for (const auto &[name, status] : rows)
    width = std::max(width, name.size());
  out << "\n" << llvm::left_justify("step", width) << "  status\n";
  for (const auto &[name, status] : rows)
    out << llvm::left_justify(name, width) << "  " << statusName(status)
        << "\n";
  for (const auto &[name, value] : recorded)
    out << name << ": " << value << "\n";
  out << (ok ? "ok" : "stopped") << ": " << llvm::join(parts, ", ");
  if (!ok)
    out << "; once that is dealt with, the same command goes on from here";
  out << "\n";
}

RunSummary exec::run(const graph::Graph &g, const RunOptions &opts,
                     llvm::raw_ostream &out, DiagnosticEngine &diags) {
  return Executor(g, opts, out, diags).run();
}
