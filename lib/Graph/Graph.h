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
#include <vector>

namespace llvm {
class raw_ostream;
class SourceMgr;
} // namespace llvm

namespace relc::graph {

/// The version of the JSON form; bump it when a field changes meaning.
constexpr int formatVersion = 1;

struct Node {
  enum class Kind { Branch, Tag, Commit, Build, Check, Approval, Shell, Wait };
  Kind kind;
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
  /// What the step works on, resolved (`name: release/2.4`, `from:
  /// viable/strict`), in a fixed order per kind.
  std::vector<std::pair<std::string, std::string>> fields;
  std::map<std::string, std::string> env; ///< Shell steps: `env {...}`.
  /// Build: the leg's value per axis, in the matrix's axis order.
  std::vector<std::pair<std::string, std::string>> leg;
  std::map<std::string, std::string> derived; ///< Build: derived values.
  std::string location; ///< `file:line:col` of the plan step.
  llvm::SMLoc loc;      ///< The same, for diagnostics.

  static llvm::StringRef kindName(Kind kind);
  /// For people: the kind and what it works on (`branch release/2.4`).
  std::string summary() const;
  const std::string *field(llvm::StringRef name) const;
};

struct StageInfo {
  std::string name;
  std::vector<std::string> params;
  std::vector<std::string> after;
  std::optional<Date> notBefore;
  /// The stage's first and last nodes: what `after` stages wait for.
  std::vector<std::string> entries, exits;
};

struct Graph {
  std::string project, version, file;
  std::optional<unsigned> rc;    ///< The RC number bound, if any.
  std::vector<StageInfo> stages; ///< In dependency order.
  std::vector<Node> nodes;       ///< Topological: a node after its needs.

  const Node *node(llvm::StringRef id) const;
  const StageInfo *stage(llvm::StringRef name) const;
};

struct LowerOptions {
  /// Binds `{rc}` and the first parameter of a parameterised stage; unset,
  /// they stay as `{rc}` in names and keys.
  std::optional<unsigned> rc;
  /// Only this stage (and nothing it waits for); empty: every stage.
  std::string stage;
};

/// Lowers a checked release plan. The plan has passed Sema, so every name
/// resolves; \p displayPath is how files are named in the output.
Graph lower(const sema::Plan &plan, const LowerOptions &options,
            const llvm::SourceMgr &sm, llvm::StringRef displayPath);

void printJson(const Graph &g, llvm::raw_ostream &os);
void printDot(const Graph &g, llvm::raw_ostream &os);
void printMermaid(const Graph &g, llvm::raw_ostream &os);

/// `release/2.4` -> `release-2.4`: a name safe in ids, job names and files.
std::string slug(llvm::StringRef text);

} // namespace relc::graph

#endif // RELC_GRAPH_GRAPH_H
