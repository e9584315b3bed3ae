//===- Graph.h - The step graph a release plan lowers to --------*- C++ -*-===//
//
// A checked plan says what a release is; the step graph says what to do to
// ship it: typed steps with their dependencies, each with an idempotency key
// that names the effect in the world (so the executor can probe for it) and
// a flag saying whether the effect can be taken back. The executor walks it
// (`relc run`), the CI backends turn it into jobs (`relc emit`), and
// `relc graph` prints it. docs/step-graph.md documents the JSON form.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_GRAPH_GRAPH_H
#define RELC_GRAPH_GRAPH_H

#include "Sema/Plan.h"

#include "llvm/Support/SMLoc.h"

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace llvm {
class raw_ostream;
class SourceMgr;
} // namespace llvm

namespace relc::graph {

/// The version of the JSON form; bump it when a field changes meaning.
constexpr int formatVersion = 1;

// Git steps name the remote they act on and, when it is not the main
// repository, the repository (`repo builder { ... }`) in `repo`.

/// A branch on the remote, cut from `from`.
struct BranchNode {
  std::string name, from, remote, repo;
};
/// A tag on the remote at the head of `on`.
struct TagNode {
  std::string name, on, remote;
  bool annotated = false;
  std::string message;
  /// The name's template around its RC number: {`v2.4.0-rc`, ``}; one
  /// part if the name has none.
  std::vector<std::string> nameParts;
  std::string repo;
};
/// A commit on `branch` that sets `file` to `content`.
struct CommitNode {
  std::string file, content, branch, remote, message, repo;
};
/// A commit on `branch` that sets `file` to `ref` of repository `of` (on
/// its remote `ofRemote`): the name, or with `commit` the commit it names
/// there when the step runs.
struct PinNode {
  std::string file, ref, of, ofRemote, branch, remote, message, repo;
  bool commit = false;
};
/// Reads `file` at the head of `on` and records its first line as `name`;
/// with `commit`, that line must be a commit id.
struct RecordNode {
  std::string name, file, on, remote, repo;
  bool commit = false;
};
/// Whether an upload target is a Python package index's upload API
/// (`https://upload.pypi.org/legacy/`): files go there through twine (in
/// CI with a token from trusted publishing) and show in the channel's
/// `index`, not at a URL of their own.
inline bool isIndexUpload(llvm::StringRef target) {
  return target.startswith("https://") || target.startswith("http://");
}

/// One leg of a matrix, in one phase: built, tested or uploaded, as its
/// matrix's recipes say (docs/language.md, "Recipes"). A matrix without
/// recipes has build nodes only, which CI lists and nothing builds.
struct BuildNode {
  using Phase = sema::Recipe::Phase;
  std::string matrix, channel;
  Phase phase = Phase::Build;
  bool experimental = false;
  std::optional<Duration> timeout;
  std::optional<sema::SplitPolicy> split; ///< As the plan writes it.
  /// The leg's value per axis, in the matrix's axis order.
  std::vector<std::pair<std::string, std::string>> leg;
  std::map<std::string, std::string> derived; ///< Derived values.
  /// From the leg's recipe (every built leg has one: Sema checks it).
  /// The leg's name in ids and artifact names: its `build_name` field
  /// where that names each leg once, else its values.
  std::string name;
  std::string runner, image, command;
  std::map<std::string, std::string> env;
  std::vector<std::string> artifacts; ///< Globs, in the checkout.
  bool accelerator = false, submodules = false;
  /// Uploads: the channel's target (`s3://...`, `file:///...`), the role
  /// the upload assumes, and where users install from.
  std::string upload, role, index;
};
/// A check argument with the RC number bound.
struct CheckArgValue {
  const sema::CheckParam *param;
  std::string text, lo, hi, path;
  std::vector<std::string> items;
  Size size;
};
struct CheckNode {
  std::string check;
  const sema::CheckFunction *function;
  std::vector<CheckArgValue> args; ///< In the order written.
  const CheckArgValue *arg(llvm::StringRef name) const;
};
struct ApprovalNode {
  std::string group;
  std::optional<Duration> timeout;
};
struct ShellNode {
  std::string command;
  std::optional<Duration> timeout;
  std::string cwd;
  std::map<std::string, std::string> env;
};
struct WaitNode {
  Date date;
};

struct Node {
  /// In the order of Payload's alternatives.
  enum class Kind {
    Branch,
    Tag,
    Commit,
    Build,
    Check,
    Approval,
    Shell,
    Wait,
    Pin,
    Record
  };
  using Payload =
      std::variant<BranchNode, TagNode, CommitNode, BuildNode, CheckNode,
                   ApprovalNode, ShellNode, WaitNode, PinNode, RecordNode>;
  /// Stable across runs and across RC numbers: `rc/tag-rc_tag`,
  /// `rc/build-wheels/3.12-linux-x86_64-cuda-12.4`.
  std::string id;
  std::string stage;
  std::vector<std::string> needs; ///< Ids of nodes that must finish first.
  /// The effect in the world, with every name resolved:
  /// `tag origin v2.4.0-rc1`. Two runs with the same key do the same thing.
  std::string key;
  bool reversible = true;
  bool once = false; ///< Irreversible: never run twice, whatever the journal.
  Payload payload;   ///< What the step works on, every name resolved.
  std::string location; ///< `file:line:col` of the plan step.
  llvm::SMLoc loc;      ///< The same, for diagnostics.

  Kind kind() const { return Kind(payload.index()); }
  template <class T> const T &as() const { return std::get<T>(payload); }
  static llvm::StringRef kindName(Kind kind);
  /// The repository a git step works on ("" : the main one, and for the
  /// steps that are not git steps).
  llvm::StringRef repo() const;
  /// For people: the kind and what it works on (`branch release/2.4`).
  std::string summary() const;
};

/// The payload of \p n as the printers show it: named texts in a fixed
/// order per kind, empty ones left out (docs/step-graph.md).
std::vector<std::pair<std::string, std::string>> fields(const Node &n);

struct StageInfo {
  std::string name;
  std::vector<std::string> params;
  std::vector<std::string> after;
  /// `after pytorch.rc`: tags of releases this one goes with.
  std::vector<sema::PartnerWait> partners;
  std::optional<Date> notBefore;
  std::string cron; ///< A recurring stage's schedule (UTC), or empty.
  /// The stage's first and last nodes: what `after` stages wait for.
  std::vector<std::string> entries, exits;
};

struct LowerOptions {
  /// Binds `{rc}` and the first parameter of a parameterised stage; unset,
  /// they stay as `{rc}` in names and keys.
  std::optional<unsigned> rc;
  /// The day (`YYYYMMDD`) of a recurring stage's run: its builds are
  /// `{version}.devDATE`; unset, `{date}` stays in names and keys.
  std::optional<std::string> date;
  /// Only this stage (and nothing it waits for); empty: every stage.
  std::string stage;
};

struct Graph {
  std::string project, version, file;
  sema::Repository repository;
  std::vector<sema::Repository> repositories; ///< The other ones.
  std::optional<unsigned> rc;                 ///< The RC number bound, if any.
  std::vector<StageInfo> stages;              ///< In dependency order.
  /// The tags of the release itself (every stage's tags without an RC
  /// number), whichever stages were lowered: once one is out, no more RCs.
  std::vector<std::string> releaseTags;
  std::vector<Node> nodes; ///< Topological: a node after its needs.

  const Node *node(llvm::StringRef id) const;
  const StageInfo *stage(llvm::StringRef name) const;

  /// Where the graph came from, so a run can bind the RC number it finds.
  const sema::Plan *plan = nullptr;
  const llvm::SourceMgr *sm = nullptr;
  LowerOptions options;
};

/// Lowers a checked release plan. The plan has passed Sema, so every name
/// resolves; \p displayPath is how files are named in the output.
Graph lower(const sema::Plan &plan, const LowerOptions &options,
            const llvm::SourceMgr &sm, llvm::StringRef displayPath);

/// \p g lowered again with the RC number \p rc bound.
Graph bindRc(const Graph &g, unsigned rc);

void printJson(const Graph &g, llvm::raw_ostream &os);
void printDot(const Graph &g, llvm::raw_ostream &os);
void printMermaid(const Graph &g, llvm::raw_ostream &os);

/// `release/2.4` -> `release-2.4`: a name safe in ids, job names and files.
std::string slug(llvm::StringRef text);

} // namespace relc::graph

#endif // RELC_GRAPH_GRAPH_H
