//===- Git.h - The git operations a release needs, over libgit2 -*- C++ -*-===//
//
// RAII over libgit2 for what `relc run` and the history checks do: read the
// refs of a remote (the world a step probes is the remote, never local
// branches), download the objects behind them without moving any ref, build
// commits, tags and blobs as loose objects, push them, and read history
// (ranges, trailers, patch-ids).
//
// Nothing here changes a local branch, tag or the working tree: new objects
// reach the remote through a push from a temporary ref under `refs/relc/`,
// which is deleted again. Errors come back as llvm::Error carrying libgit2's
// message.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_GIT_GIT_H
#define RELC_GIT_GIT_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct git_repository;
struct git_oid;

namespace relc::git {

/// libgit2, loaded and initialised for the lifetime of the object. Only
/// commands that touch git load it: linking it would cost every command,
/// `relc check` in a pre-commit hook included, about 2 ms of dynamic loading
/// and its git_libgit2_init() 3.6 ms more.
class Library {
public:
  static llvm::Expected<std::unique_ptr<Library>> load();
  ~Library();
  Library(const Library &) = delete;
  Library &operator=(const Library &) = delete;

private:
  Library() = default;
};

/// An object id as 40 hex digits (empty: none).
struct Oid {
  std::string hex;
  bool empty() const { return hex.empty(); }
  std::string abbrev() const { return hex.substr(0, 12); }
  bool operator==(const Oid &o) const { return hex == o.hex; }
  bool operator!=(const Oid &o) const { return hex != o.hex; }
  bool operator<(const Oid &o) const { return hex < o.hex; }
};

/// One ref as a remote advertises it. For an annotated tag, `target` is the
/// tag object and `peeled` the commit it names; otherwise they are equal.
struct RemoteRef {
  Oid target, peeled;
};

/// A remote's refs by full name (`refs/heads/main`, `refs/tags/v2.4.0`).
using RemoteRefs = std::map<std::string, RemoteRef>;

/// A ref update for push(). An empty \p oid deletes \p dst.
struct PushUpdate {
  Oid oid;
  std::string dst;
  bool force = false;
};

struct Signature {
  std::string name, email;
};

struct Commit {
  Oid id;
  std::string summary, message;
  std::string author;
  int64_t time = 0; ///< When it was committed, in seconds since the epoch.
  std::vector<Oid> parents;
  /// The `Key: value` lines of the message's last paragraph.
  std::vector<std::pair<std::string, std::string>> trailers() const;
};

class Repository {
public:
  /// Opens the repository at or above \p path.
  static llvm::Expected<std::unique_ptr<Repository>> open(llvm::StringRef path);
  ~Repository();

  /// The `.git` directory (where relc keeps its journal by default).
  std::string gitDir() const;
  /// The work tree; null for a bare repository.
  const char *workdir() const;
  /// The URL of a configured remote; a URL or path is returned unchanged.
  llvm::Expected<std::string> remoteUrl(llvm::StringRef remote) const;
  /// Who acts: user.name / user.email from git config, else the login.
  Signature signature() const;
  /// The commit HEAD points to.
  llvm::Expected<Oid> head() const;
  /// The branch HEAD names (`main`), also before its first commit; empty
  /// when HEAD is detached.
  std::string headBranch() const;
  /// The names of the local tags (`v1.2.3`) and of the configured remotes.
  llvm::Expected<std::vector<std::string>> tags() const;
  llvm::Expected<std::vector<std::string>> remotes() const;

  /// The refs \p url advertises (`git ls-remote`).
  llvm::Expected<RemoteRefs> listRemote(llvm::StringRef url) const;
  /// Downloads the objects behind \p refs (full names) from \p url into the
  /// object database, updating no ref and no FETCH_HEAD.
  llvm::Error download(llvm::StringRef url,
                       const std::vector<std::string> &refs) const;
  /// Pushes \p updates to \p url; a rejected update is an error naming it.
  llvm::Error push(llvm::StringRef url,
                   const std::vector<PushUpdate> &updates) const;

  bool has(const Oid &id) const;
  /// The commit an object (a commit, or a tag of one) names.
  llvm::Expected<Oid> peel(const Oid &id) const;
  llvm::Expected<Commit> commit(const Oid &id) const;
  /// The content of \p path in the tree of \p commit; nullopt if absent.
  llvm::Expected<std::optional<std::string>>
  readFile(const Oid &commit, llvm::StringRef path) const;
  /// A commit with \p parent's tree where \p path holds \p content (an
  /// empty \p parent: a root commit of that one file). Only an object: no
  /// ref moves and the working tree is untouched.
  llvm::Expected<Oid> commitFile(const Oid &parent, llvm::StringRef path,
                                 llvm::StringRef content,
                                 llvm::StringRef message,
                                 const Signature &who) const;
  /// An annotated tag object (no ref) named \p name on \p target.
  llvm::Expected<Oid> tagObject(llvm::StringRef name, const Oid &target,
                                llvm::StringRef message,
                                const Signature &who) const;
  llvm::Expected<Oid> blob(llvm::StringRef content) const;
  llvm::Expected<std::string> readBlob(const Oid &id) const;

  /// Whether \p ancestor is \p descendant or one of its ancestors.
  llvm::Expected<bool> isAncestor(const Oid &ancestor,
                                  const Oid &descendant) const;
  /// The best common ancestor of \p a and \p b (where a branch was cut).
  llvm::Expected<Oid> mergeBase(const Oid &a, const Oid &b) const;
  /// Commits reachable from \p include and not from \p exclude, newest
  /// first (`git log exclude..include`).
  llvm::Expected<std::vector<Commit>> log(const Oid &include,
                                          const Oid &exclude) const;
  /// The patch-id of a commit's change against its first parent: equal for
  /// the same change whatever its message, author or base.
  llvm::Expected<Oid> patchId(const Oid &commit) const;

private:
  explicit Repository(git_repository *repo) : repo(repo) {}
  git_repository *repo;
};

/// Runs `git --git-dir=GITDIR ARGS...` (the git command line, for what
/// libgit2 does not do safely or at all); an error carries git's output,
/// the lines \p keepLine keeps if given.
llvm::Error runGit(llvm::StringRef gitDir, llvm::ArrayRef<std::string> args,
                   llvm::function_ref<bool(llvm::StringRef)> keepLine = {});

/// The last libgit2 error as an llvm::Error, prefixed with \p what.
llvm::Error error(const llvm::Twine &what);

} // namespace relc::git

#endif // RELC_GIT_GIT_H
