//===- InitCommand.cpp - relc init ----------------------------------------===//
//
// Writes a project file and a first release file for the git repository
// relc runs in, from what the repository already says: its name, its
// version and the file holding it, the names of its tags and, for a Python
// package, the Python versions it supports. The files are checked in memory
// before anything is written, so what `relc init` writes passes `relc check`;
// then each is written atomically, and an existing file is replaced only
// with --force.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"

#include "AST/Formatter.h"
#include "Basic/Time.h"
#include "Basic/Version.h"
#include "Compat/Model.h"
#include "Git/Git.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

using namespace relc;

namespace {

/// A value found in the repository and where it was found.
struct Found {
  std::string value;
  std::string from; ///< `pyproject.toml`, `tags`, ...
  explicit operator bool() const { return !value.empty(); }
};

/// What relc init learned from the repository.
struct Facts {
  Found name;
  Found version;
  std::string versionFile; ///< Relative to the top; empty: none.
  /// What the version file holds besides the version, with `{}` in its
  /// place, when the version is all it says (version.txt, or a lone
  /// `__version__ = "..."` line): the cut stage can then rewrite it.
  std::string versionFileTemplate;
  std::string finalTag = "v{version}", rcTag = "v{version}rc{rc}";
  unsigned releaseTags = 0;
  bool python = false; ///< A Python package (pyproject.toml or setup.py).
  Found requiresPython;
  std::vector<Version> classifierPythons; ///< `Python :: 3.12` classifiers.
  std::string mainBranch = "main";
  std::string remote = "origin";
};

/// The `[project]` table of a pyproject.toml: each key with its value, a
/// string's text or an array's strings. Only what relc init reads:
/// single-line strings and arrays of strings, which may span lines.
std::map<std::string, std::vector<std::string>>
projectTable(llvm::StringRef toml) {
  std::map<std::string, std::vector<std::string>> out;
  bool inProject = false;
  llvm::SmallVector<llvm::StringRef, 64> lines;
  toml.split(lines, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::StringRef line = lines[i].trim();
    if (line.startswith("[")) {
      inProject = line == "[project]";
      continue;
    }
    auto [key, value] = line.split('=');
    key = key.trim();
    value = value.trim();
    if (!inProject || key.empty() || value.empty() || key.startswith("#"))
      continue;
    std::string text = value.str();
    // An array runs to its closing bracket, on this line or a later one.
    if (value.startswith("["))
      while (!llvm::StringRef(text).contains(']') && i + 1 < lines.size())
        text += " " + lines[++i].trim().str();
    std::vector<std::string> &strings = out[key.str()];
    for (llvm::StringRef rest = text; !rest.empty();) {
      size_t open = rest.find_first_of("\"'");
      if (open == llvm::StringRef::npos || rest.take_front(open).contains('#'))
        break;
      char quote = rest[open];
      rest = rest.drop_front(open + 1);
      size_t close = rest.find(quote);
      if (close == llvm::StringRef::npos)
        break;
      strings.push_back(rest.take_front(close).str());
      rest = rest.drop_front(close + 1);
    }
  }
  return out;
}

/// The string assigned to \p name in Python source (`__version__ = "1.2"`,
/// `version="1.2",`), if any.
std::optional<std::string> pythonAssignment(llvm::StringRef source,
                                            llvm::StringRef name) {
  llvm::SmallVector<llvm::StringRef, 64> lines;
  source.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::StringRef rest = line.trim();
    if (!rest.consume_front(name))
      continue;
    rest = rest.ltrim();
    if (!rest.consume_front("="))
      continue;
    rest = rest.ltrim();
    if (rest.empty() || (rest[0] != '"' && rest[0] != '\''))
      continue;
    char quote = rest[0];
    rest = rest.drop_front();
    size_t close = rest.find(quote);
    if (close != llvm::StringRef::npos)
      return rest.take_front(close).str();
  }
  return std::nullopt;
}

/// \p text as a plan name: an identifier (docs/language.md section 2).
std::string asName(llvm::StringRef text) {
  // Hyphens join words (`first-plan`), but not at either end or twice.
  std::string out;
  for (char c : text.lower()) {
    if (c == '-' && (out.empty() || out.back() == '-'))
      continue;
    out += llvm::isAlnum(c) || c == '_' || c == '-' ? c : '_';
  }
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  if (out.empty() || llvm::isDigit(out[0]))
    out = "_" + out;
  // A reserved word is never a name (docs/language.md section 2).
  for (const char *reserved : {"pin", "exclude", "include", "where", "and",
                               "or", "not", "is", "once", "annotated"})
    if (out == reserved)
      out += "_";
  return out;
}

/// \p text as a plan string literal: quoted, escaped, and its braces
/// doubled, since a string is a template (docs/language.md section 2). Git
/// allows `"` and `{` in branch and remote names.
std::string quote(llvm::StringRef text) {
  std::string literal;
  for (char c : text) {
    literal += c;
    if (c == '{' || c == '}')
      literal += c;
  }
  return ast::quote(literal);
}

/// Does \p python (a release line, `3.12`) satisfy the PEP 440 specifier
/// \p spec (`>=3.9, !=3.10.*, <4`)? Each clause is compared on the release
/// line (`>=3.9.2` admits 3.9). Clauses relc cannot read are left out and
/// named in \p ignored.
bool satisfies(const Version &python, llvm::StringRef spec,
               std::set<std::string> &ignored) {
  llvm::SmallVector<llvm::StringRef, 4> clauses;
  spec.split(clauses, ',', -1, false);
  for (llvm::StringRef clause : clauses) {
    clause = clause.trim();
    llvm::StringRef op = clause.take_while([](char c) {
      return c == '<' || c == '>' || c == '=' || c == '!' || c == '~';
    });
    llvm::StringRef text = clause.drop_front(op.size()).trim();
    bool wildcard = text.consume_back(".*");
    std::optional<Version> v = Version::parse(text);
    if (!v || (wildcard && op != "==" && op != "!=")) {
      ignored.insert(clause.str());
      continue;
    }
    // Compare as many release numbers as the clause names, at most two.
    size_t n = std::min<size_t>(2, v->release().size());
    int cmp = 0;
    for (size_t i = 0; i < n && !cmp; ++i)
      cmp = python.component(i) < v->component(i)   ? -1
            : python.component(i) > v->component(i) ? 1
                                                    : 0;
    bool ok;
    if (op == ">=" || op == "~=")
      ok = cmp >= 0;
    else if (op == ">")
      ok = cmp > 0 || (cmp == 0 && v->release().size() > 2);
    else if (op == "<=")
      ok = cmp <= 0;
    else if (op == "<")
      ok = cmp < 0;
    else if (op == "==" || op == "===")
      ok = cmp == 0;
    else if (op == "!=")
      ok = cmp != 0 || (!wildcard && v->release().size() > 2);
    else {
      ignored.insert(clause.str());
      continue;
    }
    // `~=3.9` also means `==3.*`.
    if (op == "~=" && v->release().size() >= 2)
      ok &= python.major() == v->major();
    if (!ok)
      return false;
  }
  return true;
}

/// The Python lines a release tests on: those out when it ships, and those
/// the model still calls prereleases then (`experimental`).
struct Pythons {
  std::vector<Version> stable, experimental;
  bool empty() const { return stable.empty() && experimental.empty(); }
  /// The values of the `python` axis: a range where the lines follow one
  /// another (the model lists every line), else a list.
  std::string axis() const {
    std::string out;
    bool consecutive = stable.size() > 2;
    for (size_t i = 1; i < stable.size(); ++i)
      consecutive &= stable[i].major() == stable[0].major() &&
                     stable[i].minor() == stable[i - 1].minor() + 1;
    if (consecutive)
      out = stable.front().str() + " .. " + stable.back().str();
    else
      for (const Version &v : stable)
        out += (out.empty() ? "" : ", ") + v.str();
    for (const Version &v : experimental)
      out += (out.empty() ? "" : ", ") + v.str() + " experimental";
    return out;
  }
};

class Init {
public:
  Init(const InitOptions &opts, const DriverEnv &env) : opts(opts), env(env) {}
  int run();

private:
  std::optional<std::string> read(llvm::StringRef rel) {
    auto buf = env.fs->getBufferForFile(top + "/" + rel.str());
    if (!buf)
      return std::nullopt;
    return (*buf)->getBuffer().str();
  }
  bool takeVersion(llvm::StringRef text, llvm::StringRef from,
                   llvm::StringRef file, llvm::StringRef fileTemplate = "");
  void readPython();
  void readVersionFiles();
  void readTags(const git::Repository &repo);
  Pythons pythons(Date release);
  std::string projectText(bool matrix) const;
  std::string releaseText(const Version &version, Date cut,
                          const Pythons &pythons) const;
  bool wouldCheck(const std::string &projectPath, const std::string &project,
                  const std::string &releasePath, const std::string &release);
  bool write(const std::string &path, const std::string &text);
  /// \p path as the user named the directory: relative to where relc runs.
  std::string shown(llvm::StringRef path) const {
    namespace p = llvm::sys::path;
    auto from = p::begin(cwd), fromEnd = p::end(cwd);
    auto to = p::begin(path), toEnd = p::end(path);
    while (from != fromEnd && to != toEnd && *from == *to)
      ++from, ++to;
    llvm::SmallString<256> out;
    for (; from != fromEnd; ++from)
      p::append(out, "..");
    for (; to != toEnd; ++to)
      p::append(out, *to);
    return out.str().str();
  }
  void note(const llvm::Twine &text) {
    env.err << "relc init: note: " << text << "\n";
  }

  const InitOptions &opts;
  const DriverEnv &env;
  std::string top; ///< The work tree.
  std::string cwd;
  Facts facts;
};

bool Init::takeVersion(llvm::StringRef text, llvm::StringRef from,
                       llvm::StringRef file, llvm::StringRef fileTemplate) {
  if (facts.version)
    return false;
  if (!Version::parse(text)) {
    note(from + " says the version is '" + text +
         "', which is not a PEP 440 version; ignored");
    return false;
  }
  facts.version = {text.str(), from.str()};
  facts.versionFile = file.str();
  facts.versionFileTemplate = fileTemplate.str();
  return true;
}

void Init::readPython() {
  if (std::optional<std::string> toml = read("pyproject.toml")) {
    facts.python = true;
    auto table = projectTable(*toml);
    if (!table["name"].empty())
      facts.name = {table["name"][0], "pyproject.toml"};
    if (!table["version"].empty())
      takeVersion(table["version"][0], "pyproject.toml", "pyproject.toml");
    if (!table["requires-python"].empty())
      facts.requiresPython = {table["requires-python"][0], "pyproject.toml"};
    for (llvm::StringRef c : table["classifiers"]) {
      llvm::StringRef v = c;
      if (!v.consume_front("Programming Language :: Python :: "))
        continue;
      // `3.12` and not `3`, `3 :: Only` or `Implementation :: CPython`.
      std::optional<Version> parsed = Version::parse(v.trim());
      if (parsed && parsed->release().size() == 2)
        facts.classifierPythons.push_back(*parsed);
    }
  }
  if (std::optional<std::string> setup = read("setup.py")) {
    facts.python = true;
    if (!facts.name)
      if (std::optional<std::string> name = pythonAssignment(*setup, "name"))
        facts.name = {*name, "setup.py"};
    if (std::optional<std::string> v = pythonAssignment(*setup, "version"))
      takeVersion(*v, "setup.py", "setup.py");
  }
}

void Init::readVersionFiles() {
  for (llvm::StringRef file : {"version.txt", "VERSION"}) {
    std::optional<std::string> text = read(file);
    if (!text)
      continue;
    llvm::StringRef v = llvm::StringRef(*text).trim();
    // Only the version: the cut stage may write the next one.
    if (!v.contains('\n') && takeVersion(v, file, file, "{}\n"))
      return;
  }
  // A package's `__version__`, where packaging tools look for it.
  std::string pkg = asName(facts.name.value);
  std::replace(pkg.begin(), pkg.end(), '-', '_');
  std::vector<std::string> candidates;
  for (const char *dir : {"src/", ""})
    for (const char *file : {"__init__.py", "__about__.py", "_version.py"})
      candidates.push_back(std::string(dir) + pkg + "/" + file);
  for (const std::string &file : candidates) {
    std::optional<std::string> text = read(file);
    if (!text)
      continue;
    std::optional<std::string> v = pythonAssignment(*text, "__version__");
    if (!v)
      continue;
    llvm::StringRef body = llvm::StringRef(*text).trim();
    std::string fileTemplate;
    if (!body.contains('\n'))
      fileTemplate = "__version__ = \"{}\"\n";
    if (takeVersion(*v, file, file, fileTemplate))
      return;
  }
}

void Init::readTags(const git::Repository &repo) {
  llvm::Expected<std::vector<std::string>> tags = repo.tags();
  if (!tags) {
    note(llvm::toString(tags.takeError()));
    return;
  }
  // The tags that are a prefix and a version (`v1.2.3`, `1.2.3`,
  // `v1.2.3rc1`, `v1.2.3-rc1`): the newest final one gives the version,
  // and the most common spelling the tag templates.
  std::map<std::string, unsigned> finals, rcs;
  std::optional<Version> newest;
  for (llvm::StringRef tag : *tags) {
    size_t digit = tag.find_first_of("0123456789");
    if (digit == llvm::StringRef::npos)
      continue;
    llvm::StringRef prefix = tag.take_front(digit);
    llvm::StringRef rest = tag.drop_front(digit);
    if (prefix != "" && prefix != "v" && prefix != "release-")
      continue;
    size_t rc = rest.find("rc");
    if (rc != llvm::StringRef::npos) {
      llvm::StringRef base = rest.take_front(rc);
      llvm::StringRef sep =
          base.size() && (base.back() == '-' || base.back() == '.')
              ? base.take_back()
              : "";
      base = base.drop_back(sep.size());
      if (Version::parse(base) &&
          llvm::all_of(rest.drop_front(rc + 2), llvm::isDigit))
        ++rcs[(prefix + "{version}" + sep + "rc{rc}").str()];
      continue;
    }
    std::optional<Version> v = Version::parse(rest);
    if (!v || v->isPrerelease() || !v->local().empty())
      continue;
    ++finals[(prefix + "{version}").str()];
    ++facts.releaseTags;
    if (!newest || *newest < *v)
      newest = *v;
  }
  auto mostCommon = [](const std::map<std::string, unsigned> &m) {
    return std::max_element(
               m.begin(), m.end(),
               [](auto &a, auto &b) { return a.second < b.second; })
        ->first;
  };
  if (!finals.empty()) {
    facts.finalTag = mostCommon(finals);
    llvm::StringRef prefix = llvm::StringRef(facts.finalTag).drop_back(9);
    facts.rcTag = (prefix + "{version}rc{rc}").str();
  }
  if (!rcs.empty())
    facts.rcTag = mostCommon(rcs);
  if (newest && !facts.version)
    facts.version = {newest->str(), "tags"};
}

/// The Python lines to test on: those the package supports (requires-python,
/// classifiers) that the bundled model says are out and not past their end
/// of life on the release date.
Pythons Init::pythons(Date release) {
  Pythons out;
  std::string modelPath;
  for (const sema::ModelDir &d : env.modelDirs)
    if (env.fs->exists(d.path + "/python.yaml")) {
      modelPath = d.path + "/python.yaml";
      break;
    }
  if (modelPath.empty()) {
    note("no bundled model 'python' was found; the release has no matrix");
    return out;
  }
  Compilation comp(env, DiagnosticOptions());
  compat::Model model;
  if (!compat::loadModelFile(comp.getDiags(), modelPath, llvm::SMRange(),
                             model) ||
      !compat::finishModel(comp.getDiags(), model))
    return out;
  const compat::Axis *axis = model.axis("python");
  if (!axis)
    return out;
  std::set<std::string> ignored;
  for (const compat::Entry &e : axis->values) {
    if (!e.version || e.version->isPrerelease() || !e.released ||
        release < *e.released || (e.endOfLife && *e.endOfLife <= release))
      continue;
    if (!facts.classifierPythons.empty() &&
        !llvm::is_contained(facts.classifierPythons, *e.version))
      continue;
    if (facts.requiresPython &&
        !satisfies(*e.version, facts.requiresPython.value, ignored))
      continue;
    // Out by its date, but a prerelease by its status (the model's snapshot
    // may be older than the release): Sema wants it marked (Matrix.cpp).
    (e.isPrerelease() ? out.experimental : out.stable).push_back(*e.version);
  }
  for (const std::string &clause : ignored)
    note("requires-python: '" + clause + "' is not understood; ignored");
  return out;
}

std::string Init::projectText(bool matrix) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  std::string name = asName(facts.name.value);
  os << "// The release conventions of " << name
     << ", shared by every release.\n"
     << "// Written by relc init; docs/language.md says what each item means.\n"
     << "project " << name << " {\n";
  if (facts.python)
    os << "  compat \"python\";\n\n";
  os << "  repo {\n"
     << "    remote " << quote(facts.remote) << ";\n"
     << "    main_branch " << quote(facts.mainBranch) << ";\n";
  if (!facts.versionFile.empty())
    os << "    version_file " << quote(facts.versionFile) << ";\n";
  os << "    release_branch \"release/{major}.{minor}\";\n"
     << "    rc_tag \"" << facts.rcTag << "\";\n"
     << "    final_tag \"" << facts.finalTag << "\";\n"
     << "  }\n\n"
     // The test matrix ships nothing; a build that ships to a channel
     // needs the channel's upload target, which only the project knows.
     << "  // A build that ships to a channel ('build NAME channel test;') "
        "needs\n"
     << "  // the channel's upload target, such as TestPyPI's:\n"
     << "  //   test { upload \"https://test.pypi.org/legacy/\"; index "
        "\"https://test.pypi.org/simple/\"; }\n"
     << "  channels test > release;\n\n"
     << "  stage cut on schedule.branch_cut {\n"
     << "    git.branch release_branch from " << quote(facts.mainBranch)
     << ";\n";
  if (!facts.versionFileTemplate.empty()) {
    // The development version of the next minor, in the file's own words.
    std::string content = facts.versionFileTemplate;
    content.replace(content.find("{}"), 2, "{next_minor}.0.dev0");
    std::string value = quote(content);
    // The placeholder is the one part meant as a template.
    size_t at = value.find("{{next_minor}}");
    value.replace(at, 14, "{next_minor}");
    os << "    git.commit version_file = " << value << " on "
       << quote(facts.mainBranch) << ";\n";
  }
  os << "  }\n\n"
     << "  stage rc(n) after cut {\n"
     << "    git.tag rc_tag on release_branch annotated message \"" << name
     << " {version} RC {rc}\";\n";
  if (matrix)
    os << "    build tests;\n";
  os << "  }\n\n"
     << "  stage publish after rc on schedule.release {\n"
     << "    approve \"maintainers\";\n"
     << "    git.tag final_tag on release_branch annotated;\n"
     << "  }\n"
     << "}\n";
  return s;
}

std::string Init::releaseText(const Version &version, Date cut,
                              const Pythons &pythons) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "// The next release of " << asName(facts.name.value)
     << ". The dates are proposals: set the real ones.\n"
     << "release " << asName(facts.name.value) << " " << version.str() << " {\n"
     << "  schedule {\n"
     << "    branch_cut " << cut.str() << ";\n"
     << "    release branch_cut + 2w;\n"
     << "  }\n";
  if (!pythons.empty()) {
    // Each leg builds the package as its own build backend does and runs
    // its tests on the wheel, on the hosted runner of its system.
    os << "\n  matrix tests {\n    python " << pythons.axis();
    os << ";\n    os linux, macos, windows;\n"
       << "    runner = \"ubuntu-latest\" where os is linux;\n"
       << "    runner = \"macos-latest\" where os is macos;\n"
       << "    runner = \"windows-latest\" where os is windows;\n\n"
       << "    recipe build {\n"
       << "      runner \"{runner}\";\n"
       << "      env { PYTHON_VERSION: \"{python}\" };\n"
       << "      command \"python -m pip install build && python -m build\";\n"
       << "      artifacts \"dist/*\";\n"
       << "    }\n"
       << "    recipe test {\n"
       << "      runner \"{runner}\";\n"
       << "      env { PYTHON_VERSION: \"{python}\" };\n"
       << "      command \"python -m pip install dist/*.whl pytest && "
          "python -m pytest\";\n"
       << "    }\n"
       << "  }\n";
  }
  os << "}\n";
  return s;
}

/// Checks the two files as `relc check` would, in memory, before a byte is
/// written: relc init never leaves a plan that does not check.
bool Init::wouldCheck(const std::string &projectPath,
                      const std::string &project,
                      const std::string &releasePath,
                      const std::string &release) {
  auto mem = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  mem->addFile(projectPath, 0, llvm::MemoryBuffer::getMemBufferCopy(project));
  mem->addFile(releasePath, 0, llvm::MemoryBuffer::getMemBufferCopy(release));
  auto overlay =
      llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(env.fs);
  overlay->pushOverlay(mem);
  // Warnings are the user's to read from `relc check`; errors are relc's.
  std::string report;
  llvm::raw_string_ostream os(report);
  bool ok;
  {
    Compilation comp(overlay, os, DiagnosticOptions(), env.modelDirs);
    comp.check(projectPath);
    comp.check(releasePath);
    comp.getDiags().flush();
    ok = !comp.getDiags().hasErrors();
  }
  if (!ok)
    env.err << os.str();
  return ok;
}

/// Writes \p text to \p path atomically: a temporary file beside it, then a
/// rename (--force) or a hard link, which fails if \p path exists, so a file
/// made since relc init looked is not replaced either.
bool Init::write(const std::string &path, const std::string &text) {
  llvm::SmallString<256> tmp;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          path + ".relc-init-%%%%%%", fd, tmp)) {
    env.err << "relc init: error: cannot write " << shown(path) << ": "
            << ec.message() << "\n";
    return false;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
    os.flush();
    if (os.has_error()) {
      env.err << "relc init: error: cannot write " << path << ": "
              << os.error().message() << "\n";
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return false;
    }
  }
  std::error_code ec = opts.force ? llvm::sys::fs::rename(tmp, path)
                                  : llvm::sys::fs::create_hard_link(tmp, path);
  if (!opts.force)
    llvm::sys::fs::remove(tmp);
  if (ec) {
    llvm::sys::fs::remove(tmp);
    env.err << "relc init: error: cannot write " << path << ": " << ec.message()
            << "\n";
    return false;
  }
  return true;
}

int Init::run() {
  llvm::SmallString<256> here;
  if (std::error_code ec = llvm::sys::fs::current_path(here)) {
    env.err << "relc init: error: " << ec.message() << "\n";
    return 2;
  }
  cwd = here.str().str();
  std::optional<Date> today;
  if (!opts.today.empty()) {
    std::string why;
    if (!(today = Date::parse(opts.today, &why))) {
      env.err << "relc init: error: --today " << opts.today << ": " << why
              << "\n";
      return 2;
    }
  } else {
    std::time_t now = std::time(nullptr);
    std::tm utc;
    gmtime_r(&now, &utc);
    today = Date::fromYMD(utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
  }

  llvm::Expected<std::unique_ptr<git::Library>> lib = git::Library::load();
  if (!lib) {
    env.err << "relc init: error: " << llvm::toString(lib.takeError()) << "\n";
    return 2;
  }
  llvm::Expected<std::unique_ptr<git::Repository>> repo =
      git::Repository::open(cwd);
  if (!repo || !(*repo)->workdir()) {
    if (!repo)
      llvm::consumeError(repo.takeError());
    env.err << "relc init: error: " << cwd
            << " is not in a git repository with a work tree; relc init "
               "writes the plans of the repository it runs in (run 'git "
               "init' first)\n";
    return 2;
  }
  top = llvm::StringRef((*repo)->workdir()).rtrim('/').str();
  std::string branch = (*repo)->headBranch();
  if (!branch.empty())
    facts.mainBranch = branch;
  if (llvm::Expected<std::vector<std::string>> remotes = (*repo)->remotes()) {
    if (!remotes->empty() && !llvm::is_contained(*remotes, "origin"))
      facts.remote = remotes->front();
  } else {
    llvm::consumeError(remotes.takeError());
  }

  readPython();
  if (!facts.name)
    facts.name = {llvm::sys::path::filename(top).str(), "the directory name"};
  readVersionFiles();
  readTags(**repo);

  // The release to plan: the one a development or pre-release version leads
  // to, else the minor after the version already out.
  Version version = *Version::parse("0.1.0");
  std::string why = "no version found: the first release";
  if (facts.version) {
    Version found = *Version::parse(facts.version.value);
    std::string parts = std::to_string(found.major()) + "." +
                        std::to_string(found.minor()) + ".";
    if (found.isPrerelease()) {
      version = *Version::parse(parts + std::to_string(found.micro()));
      why = "the release " + facts.version.value + " leads to";
    } else {
      version = *Version::parse(std::to_string(found.major()) + "." +
                                std::to_string(found.minor() + 1) + ".0");
      why = "the minor after " + facts.version.value;
    }
    why += " (" + facts.version.from + ")";
  }
  Date cut = *today + Duration::days(28);
  Date release = cut + Duration::days(14);
  Pythons pys;
  if (facts.python)
    pys = pythons(release);

  llvm::SmallString<256> dir(opts.dir.empty() ? top + "/plans" : opts.dir);
  llvm::sys::fs::make_absolute(dir);
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  std::string projectPath = (dir + "/project.relplan").str();
  std::string releasePath = (dir + "/" + std::to_string(version.major()) + "." +
                             std::to_string(version.minor()) + ".relplan")
                                .str();
  // Both refused before either is written.
  bool exists = false;
  for (const std::string &p : {projectPath, releasePath})
    if (!opts.force && llvm::sys::fs::exists(p)) {
      env.err << "relc init: error: " << shown(p)
              << " exists; relc init does not replace it (--force does)\n";
      exists = true;
    }
  if (exists)
    return 2;

  std::string project = projectText(!pys.empty());
  std::string releaseFile = releaseText(version, cut, pys);
  if (!wouldCheck(projectPath, project, releasePath, releaseFile)) {
    env.err << "relc init: error: the plans relc init made do not check (a "
               "bug in relc); nothing was written\n";
    return 1;
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    env.err << "relc init: error: cannot create " << dir << ": " << ec.message()
            << "\n";
    return 2;
  }
  if (!write(projectPath, project) || !write(releasePath, releaseFile))
    return 2;

  llvm::raw_ostream &os = env.out;
  os << "project  " << asName(facts.name.value) << " (name from "
     << facts.name.from << ")\n"
     << "release  " << version.str() << ": " << why << "\n"
     << "schedule branch cut " << cut.str() << ", release " << release.str()
     << " (proposals)\n"
     << "version  "
     << (facts.versionFile.empty() ? std::string("no version file")
                                   : facts.versionFile)
     << "\n"
     << "tags     " << facts.finalTag << ", " << facts.rcTag << " ("
     << (facts.releaseTags ? std::to_string(facts.releaseTags) + " release tags"
                           : std::string("no release tags yet"))
     << ")\n";
  if (facts.python) {
    os << "python   " << (pys.empty() ? "none" : pys.axis());
    os << " (";
    if (facts.requiresPython)
      os << "requires-python " << facts.requiresPython.value << ", ";
    if (!facts.classifierPythons.empty())
      os << "classifiers, ";
    os << "model 'python' on " << release.str() << ")\n";
  }
  os << "wrote " << shown(projectPath) << "\nwrote " << shown(releasePath)
     << "\n";
  return 0;
}

} // namespace

int relc::runInit(const InitOptions &opts, const DriverEnv &env) {
  return Init(opts, env).run();
}
