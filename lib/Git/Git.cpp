//===- Git.cpp - libgit2 behind relc's git interface ----------------------===//
#include "Git/Git.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

#include <chrono>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

extern char **environ;
#include <git2.h>

using namespace relc;
using namespace relc::git;

namespace {

/// The functions of the libgit2 that Library::load() opened.
struct Api {
#define GIT_FUNCTION(name) decltype(&::name) name = nullptr;
#include "Git/LibGit2.def"
};
const Api *api = nullptr;

/// Owns a libgit2 object: `Owned<git_commit, &Api::git_commit_free>`.
template <typename T, auto Free> struct Owned {
  T *p = nullptr;
  Owned() = default;
  Owned(const Owned &) = delete;
  Owned &operator=(const Owned &) = delete;
  ~Owned() {
    if (p)
      (api->*Free)(p);
  }
  T **out() { return &p; }
  T *get() const { return p; }
};
using OwnedRemote = Owned<git_remote, &Api::git_remote_free>;
using OwnedCommit = Owned<git_commit, &Api::git_commit_free>;
using OwnedTree = Owned<git_tree, &Api::git_tree_free>;
using OwnedObject = Owned<git_object, &Api::git_object_free>;
using OwnedSignature = Owned<git_signature, &Api::git_signature_free>;
using OwnedReference = Owned<git_reference, &Api::git_reference_free>;

Oid toOid(const git_oid *id) {
  char hex[GIT_OID_HEXSZ + 1];
  api->git_oid_tostr(hex, sizeof hex, id);
  return Oid{hex};
}

llvm::Expected<git_oid> fromOid(const Oid &id) {
  git_oid out;
  if (api->git_oid_fromstr(&out, id.hex.c_str()) < 0)
    return error("bad object id '" + id.hex + "'");
  return out;
}

/// The payload of libgit2's callbacks for one remote operation.
struct CallbackState {
  bool triedToken = false, triedAgent = false;
  std::vector<std::string> rejected; ///< Push: refs the remote refused.
};

/// Credentials, tried once each: a token from RELC_GIT_TOKEN (CI; user name
/// RELC_GIT_USER), then the ssh agent. Returning an error after that stops
/// libgit2 from asking again.

int credentials(git_credential **out, const char *, const char *userFromUrl,
                unsigned allowed, void *payload) {
  auto &state = *static_cast<CallbackState *>(payload);
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !state.triedToken) {
    state.triedToken = true;
    if (auto token = llvm::sys::Process::GetEnv("RELC_GIT_TOKEN")) {
      // GitHub takes any user name with a token; GitLab wants `oauth2` for
      // its job token, so the name can be set.
      std::string user = llvm::sys::Process::GetEnv("RELC_GIT_USER")
                             .getValueOr("x-access-token");
      return api->git_credential_userpass_plaintext_new(out, user.c_str(),
                                                        token->c_str());
    }
  }
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !state.triedAgent) {
    state.triedAgent = true;
    return api->git_credential_ssh_key_from_agent(out, userFromUrl ? userFromUrl
                                                                   : "git");
  }
  api->git_error_set_str(
      GIT_ERROR_NET, "no credentials accepted (set RELC_GIT_TOKEN or add a key "
                     "to ssh-agent)");
  return GIT_EAUTH;
}

/// An in-memory remote for a URL: no config is read or written, so no
/// remote-tracking ref is ever updated behind relc's back.
llvm::Error anonymous(git_repository *repo, llvm::StringRef url,
                      OwnedRemote &remote) {
  if (api->git_remote_create_anonymous(remote.out(), repo, url.str().c_str()) <
      0)
    return error("cannot use remote '" + url + "'");
  return llvm::Error::success();
}

git_strarray strarray(std::vector<char *> &items) {
  return git_strarray{items.data(), items.size()};
}

} // namespace

llvm::Error git::error(const llvm::Twine &what) {
  const git_error *e = api->git_error_last();
  std::string msg = what.str();
  if (e && e->message)
    msg += ": " + std::string(e->message);
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

llvm::Expected<std::unique_ptr<Library>> Library::load() {
  static Api loaded;
  if (!api) {
    // The soname of the libgit2 whose headers relc was built with: the
    // structs relc fills in (fetch and push options) must match.
    const char *soname = "libgit2.so." LIBGIT2_SOVERSION;
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot load %s: %s", soname, dlerror());
#define GIT_FUNCTION(name)                                                     \
  loaded.name = reinterpret_cast<decltype(loaded.name)>(dlsym(handle, #name)); \
  if (!loaded.name)                                                            \
    return llvm::createStringError(llvm::inconvertibleErrorCode(),             \
                                   "%s has no %s", soname,                     \
                                   (const char *)#name);
#include "Git/LibGit2.def"
    api = &loaded;
  }
  api->git_libgit2_init();
  return std::unique_ptr<Library>(new Library());
}
Library::~Library() { api->git_libgit2_shutdown(); }

std::vector<std::pair<std::string, std::string>> Commit::trailers() const {
  // The last paragraph's `Key: value` lines. Keys may hold spaces, unlike
  // git's own trailers: PyTorch's `Pull Request resolved: URL` is one, and
  // a paragraph mixing it with `Category: x` must still count.
  llvm::StringRef text = llvm::StringRef(message).rtrim();
  size_t cut = text.rfind("\n\n");
  llvm::StringRef last = cut == llvm::StringRef::npos
                             ? llvm::StringRef()
                             : text.drop_front(cut + 2);
  std::vector<std::pair<std::string, std::string>> out;
  llvm::SmallVector<llvm::StringRef, 8> lines;
  last.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    auto [key, value] = line.split(':');
    if (key.size() == line.size() || key.empty() || !llvm::isAlpha(key[0]) ||
        !llvm::all_of(key, [](char c) {
          return llvm::isAlnum(c) || c == '-' || c == '_' || c == ' ';
        }))
      continue;
    out.emplace_back(key.trim().str(), value.trim().str());
  }
  return out;
}

llvm::Expected<std::unique_ptr<Repository>>
Repository::open(llvm::StringRef path) {
  git_repository *repo = nullptr;
  // Searched for upwards, as git does, and like git never above a directory
  // GIT_CEILING_DIRECTORIES names.
  auto ceiling = llvm::sys::Process::GetEnv("GIT_CEILING_DIRECTORIES");
  if (api->git_repository_open_ext(&repo, path.str().c_str(), 0,
                                   ceiling ? ceiling->c_str() : nullptr) < 0)
    return error("no git repository at '" + path + "'");
  return std::unique_ptr<Repository>(new Repository(repo));
}

Repository::~Repository() { api->git_repository_free(repo); }

std::string Repository::gitDir() const {
  return llvm::StringRef(api->git_repository_path(repo)).rtrim('/').str();
}

const char *Repository::workdir() const {
  return api->git_repository_workdir(repo);
}

llvm::Expected<Oid> Repository::peel(const Oid &id) const {
  llvm::Expected<git_oid> oid = fromOid(id);
  if (!oid)
    return oid.takeError();
  OwnedObject obj, peeled;
  if (api->git_object_lookup(obj.out(), repo, &*oid, GIT_OBJECT_ANY) < 0 ||
      api->git_object_peel(peeled.out(), obj.get(), GIT_OBJECT_COMMIT) < 0)
    return error("cannot peel " + id.abbrev());
  return toOid(api->git_object_id(peeled.get()));
}

llvm::Expected<std::string>
Repository::remoteUrl(llvm::StringRef remote) const {
  OwnedRemote r;
  int rc = api->git_remote_lookup(r.out(), repo, remote.str().c_str());
  if (rc == 0) {
    const char *url = api->git_remote_url(r.get());
    if (!url)
      return error("remote '" + remote + "' has no URL");
    return std::string(url);
  }
  // Not a configured name: a URL or a path is used as it is.
  if (remote.contains('/') || remote.contains(':'))
    return remote.str();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "no remote named '" + remote + "'");
}

Signature Repository::signature() const {
  OwnedSignature sig;
  if (api->git_signature_default(sig.out(), repo) == 0)
    return {sig.get()->name, sig.get()->email};
  std::string user = llvm::sys::Process::GetEnv("USER").getValueOr("relc");
  return {user, user + "@localhost"};
}

llvm::Expected<Oid> Repository::head() const {
  git_oid id;
  if (api->git_reference_name_to_id(&id, repo, "HEAD") < 0)
    return error("HEAD names no commit");
  return toOid(&id);
}

std::string Repository::headBranch() const {
  OwnedReference ref;
  if (api->git_reference_lookup(ref.out(), repo, "HEAD") < 0)
    return "";
  const char *target = api->git_reference_symbolic_target(ref.get());
  llvm::StringRef name = target ? target : "";
  return name.consume_front("refs/heads/") ? name.str() : "";
}

/// The strings of a git_strarray libgit2 filled in, which it then frees.
static std::vector<std::string> takeStrings(git_strarray &names) {
  std::vector<std::string> out(names.strings, names.strings + names.count);
  api->git_strarray_dispose(&names);
  return out;
}

llvm::Expected<std::vector<std::string>> Repository::tags() const {
  git_strarray names{nullptr, 0};
  if (api->git_tag_list(&names, repo) < 0)
    return error("cannot list the tags");
  return takeStrings(names);
}

llvm::Expected<std::vector<std::string>> Repository::remotes() const {
  git_strarray names{nullptr, 0};
  if (api->git_remote_list(&names, repo) < 0)
    return error("cannot list the remotes");
  return takeStrings(names);
}

llvm::Expected<RemoteRefs> Repository::listRemote(llvm::StringRef url) const {
  OwnedRemote remote;
  if (llvm::Error e = anonymous(repo, url, remote))
    return e;
  CallbackState state;
  git_remote_callbacks cb;
  api->git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
  cb.credentials = credentials;
  cb.payload = &state;
  if (api->git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &cb, nullptr,
                              nullptr) < 0)
    return error("cannot reach remote '" + url + "'");
  const git_remote_head **heads = nullptr;
  size_t n = 0;
  if (api->git_remote_ls(&heads, &n, remote.get()) < 0)
    return error("cannot list the refs of '" + url + "'");
  RemoteRefs refs;
  for (size_t i = 0; i < n; ++i) {
    llvm::StringRef name = heads[i]->name;
    Oid id = toOid(&heads[i]->oid);
    if (name.consume_back("^{}")) {
      refs[name.str()].peeled = id;
      continue;
    }
    RemoteRef &r = refs[name.str()];
    r.target = id;
    if (r.peeled.empty())
      r.peeled = id;
  }
  api->git_remote_disconnect(remote.get());
  return refs;
}

llvm::Error Repository::download(llvm::StringRef url,
                                 const std::vector<std::string> &refs) const {
  if (refs.empty())
    return llvm::Error::success();
  OwnedRemote remote;
  if (llvm::Error e = anonymous(repo, url, remote))
    return e;
  CallbackState state;
  git_fetch_options fo;
  api->git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
  fo.callbacks.credentials = credentials;
  fo.callbacks.payload = &state;
  fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  fo.update_fetchhead = 0;
  std::vector<char *> specs;
  for (const std::string &r : refs)
    specs.push_back(const_cast<char *>(r.c_str()));
  git_strarray arr = strarray(specs);
  if (api->git_remote_download(remote.get(), &arr, &fo) < 0)
    return error("cannot download from '" + url + "'");
  return llvm::Error::success();
}

namespace {
int onPushUpdate(const char *ref, const char *status, void *payload) {
  if (status)
    static_cast<CallbackState *>(payload)->rejected.push_back(
        std::string(ref) + " (" + status + ")");
  return 0;
}
} // namespace

/// A remote that is a directory on this machine, not a server.
static bool isLocalPath(llvm::StringRef url) {
  if (url.startswith("file://"))
    return true;
  if (url.contains("://"))
    return false;
  // `host:path` is ssh's short form; a path has its slash first.
  size_t colon = url.find(':'), slash = url.find('/');
  return colon == llvm::StringRef::npos ||
         (slash != llvm::StringRef::npos && slash < colon);
}

/// Pushes to a remote on this machine with git itself. libgit2 writes such
/// a remote's refs from this process: it runs no hook, checks a ref's old
/// value only against what it listed before (two runs pushing at once both
/// win), and a kill mid-write leaves a lock file that blocks every later
/// push. git's receive-pack locks each ref, compares its old value under
/// the lock, runs the remote's hooks, and is a process of its own that a
/// kill of relc does not interrupt.
llvm::Error git::runGit(llvm::StringRef gitDir,
                        llvm::ArrayRef<std::string> args,
                        llvm::function_ref<bool(llvm::StringRef)> keepLine) {
  llvm::ErrorOr<std::string> git = llvm::sys::findProgramByName("git");
  if (!git)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "git is not on PATH");
  std::vector<std::string> argv = {"git", "--git-dir=" + gitDir.str()};
  argv.insert(argv.end(), args.begin(), args.end());
  llvm::SmallString<128> log;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("relc-git", "log", log))
    return llvm::createStringError(ec, "cannot run git: " + ec.message());
  auto cleanup = llvm::make_scope_exit([&] { llvm::sys::fs::remove(log); });
  // git runs in a process group of its own: a kill of relc's group (a CI
  // runner cancelling the job) must not stop receive-pack while it holds a
  // ref's lock, which would block every later push of that ref.
  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&files);
  posix_spawnattr_init(&attr);
  auto release = llvm::make_scope_exit([&] {
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
  });
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char *> raw;
  for (std::string &a : argv)
    raw.push_back(a.data());
  raw.push_back(nullptr);
  pid_t pid = 0;
  std::string err;
  int code = -1;
  if (int e =
          posix_spawn(&pid, git->c_str(), &files, &attr, raw.data(), environ)) {
    err = std::strerror(e);
  } else {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (!WIFEXITED(status))
      err = "git was stopped by a signal";
  }
  if (code == 0)
    return llvm::Error::success();
  std::string output;
  if (auto buf = llvm::MemoryBuffer::getFile(log))
    for (llvm::StringRef line : llvm::split((*buf)->getBuffer(), '\n'))
      if (!line.trim().empty() && (!keepLine || keepLine(line)))
        output += (output.empty() ? "" : "; ") + line.trim().str();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 output.empty() ? err : output);
}

/// Pushes to a remote on this machine with git itself. libgit2 writes such
/// a remote's refs from this process: it runs no hook, checks a ref's old
/// value only against what it listed before (two runs pushing at once both
/// win), and a kill mid-write leaves a lock file that blocks every later
/// push. git's receive-pack locks each ref, compares its old value under
/// the lock, runs the remote's hooks, and is a process of its own that a
/// kill of relc does not interrupt.
static llvm::Error pushWithGit(llvm::StringRef gitDir, llvm::StringRef url,
                               const std::vector<PushUpdate> &updates) {
  std::vector<std::string> args = {"push", "--quiet", "--porcelain",
                                   "--no-verify", url.str()};
  for (const PushUpdate &u : updates)
    args.push_back(u.oid.empty()
                       ? ":" + u.dst
                       : (u.force ? "+" : "") + u.oid.hex + ":" + u.dst);
  // Porcelain: `!\tsrc:dst\t[rejected] (reason)` for each refusal; hooks
  // and receive-pack say why on `remote:` lines.
  auto keep = [](llvm::StringRef line) {
    return line.startswith("!") || line.startswith("remote:") ||
           line.startswith("error:") || line.startswith("fatal:");
  };
  for (int attempt = 0;; ++attempt) {
    llvm::Error e = runGit(gitDir, args, keep);
    if (!e)
      return llvm::Error::success();
    std::string why = llvm::toString(std::move(e));
    // Another git process holds a ref's lock (the push of a run killed a
    // moment ago finishing, say): it is released when that process ends.
    if (attempt < 25 && llvm::StringRef(why).contains("cannot lock ref")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the remote rejected the push: " + why);
  }
}

llvm::Error Repository::push(llvm::StringRef url,
                             const std::vector<PushUpdate> &updates) const {
  if (isLocalPath(url))
    return pushWithGit(gitDir(), url, updates);
  OwnedRemote remote;
  if (llvm::Error e = anonymous(repo, url, remote))
    return e;
  // libgit2 pushes from refs, not object ids: each new object gets a
  // temporary ref under refs/relc/push/, removed whatever the outcome.
  std::vector<std::string> temps, specs;
  auto cleanup = llvm::make_scope_exit([&] {
    for (const std::string &t : temps) {
      git_reference *ref = nullptr;
      if (api->git_reference_lookup(&ref, repo, t.c_str()) == 0) {
        api->git_reference_delete(ref);
        api->git_reference_free(ref);
      }
    }
  });
  for (const PushUpdate &u : updates) {
    if (u.oid.empty()) {
      specs.push_back(":" + u.dst);
      continue;
    }
    llvm::Expected<git_oid> id = fromOid(u.oid);
    if (!id)
      return id.takeError();
    // Named for this process: two runs in one clone must not push each
    // other's objects through one temporary ref.
    std::string temp = "refs/relc/push/" +
                       std::to_string(llvm::sys::Process::getProcessId()) +
                       "-" + std::to_string(temps.size());
    git_reference *ref = nullptr;
    if (api->git_reference_create(&ref, repo, temp.c_str(), &*id, /*force=*/1,
                                  "relc push") < 0)
      return error("cannot prepare the push of " + u.dst);
    api->git_reference_free(ref);
    temps.push_back(temp);
    specs.push_back((u.force ? "+" : "") + temp + ":" + u.dst);
  }
  std::vector<char *> raw;
  for (std::string &s : specs)
    raw.push_back(s.data());
  git_strarray arr = strarray(raw);
  CallbackState state;
  git_push_options po;
  api->git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
  po.callbacks.credentials = credentials;
  po.callbacks.push_update_reference = onPushUpdate;
  po.callbacks.payload = &state;
  if (api->git_remote_push(remote.get(), &arr, &po) < 0)
    return error("push to '" + url + "' failed");
  if (!state.rejected.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the remote rejected " +
                                       llvm::join(state.rejected, ", "));
  return llvm::Error::success();
}

bool Repository::has(const Oid &id) const {
  llvm::Expected<git_oid> oid = fromOid(id);
  if (!oid) {
    llvm::consumeError(oid.takeError());
    return false;
  }
  git_odb *odb = nullptr;
  if (api->git_repository_odb(&odb, repo) < 0)
    return false;
  bool found = api->git_odb_exists(odb, &*oid);
  api->git_odb_free(odb);
  return found;
}

llvm::Expected<Commit> Repository::commit(const Oid &id) const {
  llvm::Expected<git_oid> oid = fromOid(id);
  if (!oid)
    return oid.takeError();
  OwnedCommit c;
  if (api->git_commit_lookup(c.out(), repo, &*oid) < 0)
    return error("no commit " + id.abbrev());
  Commit out;
  out.id = id;
  const char *summary = api->git_commit_summary(c.get());
  out.summary = summary ? summary : "";
  out.message = api->git_commit_message(c.get());
  const git_signature *a = api->git_commit_author(c.get());
  out.author = std::string(a->name) + " <" + a->email + ">";
  out.time = api->git_commit_time(c.get());
  for (unsigned i = 0, n = api->git_commit_parentcount(c.get()); i < n; ++i)
    out.parents.push_back(toOid(api->git_commit_parent_id(c.get(), i)));
  return out;
}

llvm::Expected<std::optional<std::string>>
Repository::readFile(const Oid &commitId, llvm::StringRef path) const {
  llvm::Expected<git_oid> oid = fromOid(commitId);
  if (!oid)
    return oid.takeError();
  OwnedCommit c;
  OwnedTree tree;
  if (api->git_commit_lookup(c.out(), repo, &*oid) < 0 ||
      api->git_commit_tree(tree.out(), c.get()) < 0)
    return error("no commit " + commitId.abbrev());
  git_tree_entry *entry = nullptr;
  if (api->git_tree_entry_bypath(&entry, tree.get(), path.str().c_str()) < 0)
    return std::optional<std::string>();
  auto freeEntry =
      llvm::make_scope_exit([&] { api->git_tree_entry_free(entry); });
  if (api->git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
    return std::optional<std::string>();
  llvm::Expected<std::string> text =
      readBlob(toOid(api->git_tree_entry_id(entry)));
  if (!text)
    return text.takeError();
  return std::optional<std::string>(std::move(*text));
}

llvm::Expected<Oid> Repository::commitFile(const Oid &parentId,
                                           llvm::StringRef path,
                                           llvm::StringRef content,
                                           llvm::StringRef message,
                                           const Signature &who) const {
  OwnedCommit parent;
  OwnedTree base;
  if (!parentId.empty()) {
    llvm::Expected<git_oid> oid = fromOid(parentId);
    if (!oid)
      return oid.takeError();
    if (api->git_commit_lookup(parent.out(), repo, &*oid) < 0 ||
        api->git_commit_tree(base.out(), parent.get()) < 0)
      return error("no commit " + parentId.abbrev());
  }
  git_oid blobId;
  if (api->git_blob_create_from_buffer(&blobId, repo, content.data(),
                                       content.size()) < 0)
    return error("cannot store " + path);
  // Keep the file's mode (an executable stays executable).
  git_filemode_t mode = GIT_FILEMODE_BLOB;
  git_tree_entry *old = nullptr;
  if (base.get() &&
      api->git_tree_entry_bypath(&old, base.get(), path.str().c_str()) == 0) {
    if (api->git_tree_entry_filemode(old) == GIT_FILEMODE_BLOB_EXECUTABLE)
      mode = GIT_FILEMODE_BLOB_EXECUTABLE;
    api->git_tree_entry_free(old);
  }
  std::string p = path.str();
  git_oid treeId;
  if (base.get()) {
    git_tree_update update{GIT_TREE_UPDATE_UPSERT, blobId, mode, p.c_str()};
    if (api->git_tree_create_updated(&treeId, repo, base.get(), 1, &update) < 0)
      return error("cannot write the tree with " + path);
  } else {
    // A root commit: a tree of this one file.
    git_treebuilder *builder = nullptr;
    if (api->git_treebuilder_new(&builder, repo, nullptr) < 0)
      return error("cannot write a tree");
    int rc =
        api->git_treebuilder_insert(nullptr, builder, p.c_str(), &blobId, mode);
    if (rc == 0)
      rc = api->git_treebuilder_write(&treeId, builder);
    api->git_treebuilder_free(builder);
    if (rc < 0)
      return error("cannot write the tree with " + path);
  }
  OwnedTree tree;
  if (api->git_tree_lookup(tree.out(), repo, &treeId) < 0)
    return error("cannot read back the tree with " + path);
  OwnedSignature sig;
  if (api->git_signature_now(sig.out(), who.name.c_str(), who.email.c_str()) <
      0)
    return error("bad signature");
  const git_commit *parents[] = {parent.get()};
  git_oid out;
  std::string msg = message.str();
  if (api->git_commit_create(&out, repo, nullptr, sig.get(), sig.get(), nullptr,
                             msg.c_str(), tree.get(), parent.get() ? 1 : 0,
                             parents) < 0)
    return error("cannot commit " + path);
  return toOid(&out);
}

llvm::Expected<Oid> Repository::tagObject(llvm::StringRef name,
                                          const Oid &target,
                                          llvm::StringRef message,
                                          const Signature &who) const {
  llvm::Expected<git_oid> oid = fromOid(target);
  if (!oid)
    return oid.takeError();
  OwnedObject obj;
  if (api->git_object_lookup(obj.out(), repo, &*oid, GIT_OBJECT_ANY) < 0)
    return error("no object " + target.abbrev());
  OwnedSignature sig;
  if (api->git_signature_now(sig.out(), who.name.c_str(), who.email.c_str()) <
      0)
    return error("bad signature");
  git_oid out;
  std::string n = name.str(), msg = message.str();
  if (api->git_tag_annotation_create(&out, repo, n.c_str(), obj.get(),
                                     sig.get(), msg.c_str()) < 0)
    return error("cannot create tag " + name);
  return toOid(&out);
}

llvm::Expected<Oid> Repository::blob(llvm::StringRef content) const {
  git_oid out;
  if (api->git_blob_create_from_buffer(&out, repo, content.data(),
                                       content.size()) < 0)
    return error("cannot store a blob");
  return toOid(&out);
}

llvm::Expected<std::string> Repository::readBlob(const Oid &id) const {
  llvm::Expected<git_oid> oid = fromOid(id);
  if (!oid)
    return oid.takeError();
  git_blob *b = nullptr;
  if (api->git_blob_lookup(&b, repo, &*oid) < 0)
    return error("no blob " + id.abbrev());
  std::string text(static_cast<const char *>(api->git_blob_rawcontent(b)),
                   size_t(api->git_blob_rawsize(b)));
  api->git_blob_free(b);
  return text;
}

llvm::Expected<bool> Repository::isAncestor(const Oid &ancestor,
                                            const Oid &descendant) const {
  if (ancestor == descendant)
    return true;
  llvm::Expected<git_oid> a = fromOid(ancestor), d = fromOid(descendant);
  if (!a)
    return a.takeError();
  if (!d)
    return d.takeError();
  int rc = api->git_graph_descendant_of(repo, &*d, &*a);
  if (rc < 0)
    return error("cannot compare " + ancestor.abbrev() + " and " +
                 descendant.abbrev());
  return rc == 1;
}

llvm::Expected<Oid> Repository::mergeBase(const Oid &a, const Oid &b) const {
  llvm::Expected<git_oid> x = fromOid(a), y = fromOid(b);
  if (!x)
    return x.takeError();
  if (!y)
    return y.takeError();
  git_oid out;
  if (api->git_merge_base(&out, repo, &*x, &*y) < 0)
    return error("no common history of " + a.abbrev() + " and " + b.abbrev());
  return toOid(&out);
}

llvm::Expected<std::vector<Commit>> Repository::log(const Oid &include,
                                                    const Oid &exclude) const {
  git_revwalk *walk = nullptr;
  if (api->git_revwalk_new(&walk, repo) < 0)
    return error("cannot walk history");
  auto freeWalk = llvm::make_scope_exit([&] { api->git_revwalk_free(walk); });
  api->git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  llvm::Expected<git_oid> in = fromOid(include);
  if (!in)
    return in.takeError();
  if (api->git_revwalk_push(walk, &*in) < 0)
    return error("no commit " + include.abbrev());
  if (!exclude.empty()) {
    llvm::Expected<git_oid> ex = fromOid(exclude);
    if (!ex)
      return ex.takeError();
    if (api->git_revwalk_hide(walk, &*ex) < 0)
      return error("no commit " + exclude.abbrev());
  }
  std::vector<Commit> out;
  git_oid id;
  while (api->git_revwalk_next(&id, walk) == 0) {
    llvm::Expected<Commit> c = commit(toOid(&id));
    if (!c)
      return c.takeError();
    out.push_back(std::move(*c));
  }
  return out;
}

llvm::Expected<Oid> Repository::patchId(const Oid &commitId) const {
  llvm::Expected<git_oid> oid = fromOid(commitId);
  if (!oid)
    return oid.takeError();
  OwnedCommit c, parent;
  OwnedTree tree, parentTree;
  if (api->git_commit_lookup(c.out(), repo, &*oid) < 0 ||
      api->git_commit_tree(tree.out(), c.get()) < 0)
    return error("no commit " + commitId.abbrev());
  if (api->git_commit_parentcount(c.get()) > 0 &&
      (api->git_commit_parent(parent.out(), c.get(), 0) < 0 ||
       api->git_commit_tree(parentTree.out(), parent.get()) < 0))
    return error("no parent of " + commitId.abbrev());
  git_diff *diff = nullptr;
  if (api->git_diff_tree_to_tree(&diff, repo, parentTree.get(), tree.get(),
                                 nullptr) < 0)
    return error("cannot diff " + commitId.abbrev());
  git_oid out;
  int rc = api->git_diff_patchid(&out, diff, nullptr);
  api->git_diff_free(diff);
  if (rc < 0)
    return error("cannot compute the patch-id of " + commitId.abbrev());
  return toOid(&out);
}
