//===- DocsCommand.cpp - relc docs update ---------------------------------===//
//
// Keeps the tables in a project's Markdown documents generated from its
// plans. A region is a marker line, what relc generates, and an end line:
//
//   <!-- relc:matrix ../plans/pytorch/2.*.relplan -->
//   | pytorch | Python | ... (relc matrix --format=markdown FILES)
//   <!-- relc:end -->
//
// `relc:calendar FILES` holds the cadence table (relc calendar
// --format=markdown). Paths and globs are relative to the Markdown file and
// confined to its repository (the git work tree holding it, else its own
// directory): a document comes from anyone who can open a pull request, and
// its markers must not read `/etc` or `/dev/stderr`.
// Markers inside fenced code blocks are text, so documents can show them.
// With --check nothing is written: a stale region is an error, with a
// unified diff. Otherwise the file is rewritten atomically, and only when
// something changed.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"

#include "Basic/Diff.h"
#include "Basic/SourceFiles.h"
#include "Basic/Suggest.h"
#include "Report/Report.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

namespace {

const std::string regionKinds[] = {"matrix", "calendar"};

/// A `<!-- relc:KIND ARGS -->` line, as views into the document's buffer
/// (so diagnostics can point at them).
struct Marker {
  llvm::StringRef kind;
  std::vector<llvm::StringRef> args;
};

/// A region: its marker, and the lines of the marker and of its end.
struct Region {
  Marker marker;
  size_t begin, end;
};

/// Leading spaces of \p line if there are at most 3 (deeper is an indented
/// code block in Markdown), else npos.
size_t indentOf(llvm::StringRef line) {
  size_t n = line.find_first_not_of(' ');
  return n <= 3 ? n : llvm::StringRef::npos;
}

/// A code fence (``` or ~~~, three or more) at the start of \p line: its
/// character and length; 0 when the line is not one.
size_t fenceOf(llvm::StringRef line, char &ch) {
  size_t indent = indentOf(line);
  if (indent == llvm::StringRef::npos)
    return 0;
  line = line.drop_front(indent);
  if (line.empty() || (line[0] != '`' && line[0] != '~'))
    return 0;
  ch = line[0];
  size_t n = line.find_first_not_of(ch);
  n = n == llvm::StringRef::npos ? line.size() : n;
  return n >= 3 ? n : 0;
}

/// True for `*`, `?` or `[` in \p s: a glob, not a plain path.
bool isGlob(llvm::StringRef s) { return s.find_first_of("*?[") != s.npos; }

/// The regular files of \p fs that \p pattern (relative to \p base unless
/// absolute) names, sorted; `*`, `?` and `[...]` match within one path
/// component as in the shell (and, as there, not a leading dot unless the
/// pattern has one).
std::vector<std::string> expandPath(llvm::vfs::FileSystem &fs,
                                    llvm::StringRef base,
                                    llvm::StringRef pattern) {
  llvm::SmallString<256> full;
  if (!llvm::sys::path::is_absolute(pattern))
    full = base;
  llvm::sys::path::append(full, pattern);
  llvm::sys::path::remove_dots(full, /*remove_dot_dot=*/true);
  std::vector<std::string> paths = {""};
  for (auto it = llvm::sys::path::begin(full), end = llvm::sys::path::end(full);
       it != end; ++it) {
    llvm::StringRef part = *it;
    std::vector<std::string> next;
    llvm::Expected<llvm::GlobPattern> glob = llvm::GlobPattern::create(part);
    if (!isGlob(part) || !glob) {
      llvm::consumeError(glob.takeError());
      for (std::string &p : paths) {
        llvm::SmallString<256> q(p);
        llvm::sys::path::append(q, part);
        next.push_back(std::string(q));
      }
    } else {
      for (const std::string &dir : paths) {
        std::error_code ec;
        for (llvm::vfs::directory_iterator
                 d = fs.dir_begin(dir.empty() ? "." : dir, ec),
                 e;
             !ec && d != e; d.increment(ec)) {
          llvm::StringRef name = llvm::sys::path::filename(d->path());
          if (name.startswith(".") && !part.startswith("."))
            continue;
          if (!glob->match(name))
            continue;
          llvm::SmallString<256> q(dir);
          llvm::sys::path::append(q, name);
          next.push_back(std::string(q));
        }
      }
    }
    paths = std::move(next);
  }
  llvm::erase_if(paths, [&](const std::string &p) {
    llvm::ErrorOr<llvm::vfs::Status> status = fs.status(p);
    return !status || !status->isRegularFile();
  });
  llvm::sort(paths);
  return paths;
}

/// The directory a document's regions may read: the git work tree holding
/// the directory \p docDir (absolute, without dots) names the document in (a
/// directory with `.git`, a directory or a worktree's file), else \p docDir.
std::string confinementRoot(llvm::vfs::FileSystem &fs, llvm::StringRef docDir) {
  for (llvm::StringRef d = docDir; !d.empty();
       d = llvm::sys::path::parent_path(d)) {
    llvm::SmallString<256> git(d);
    llvm::sys::path::append(git, ".git");
    if (fs.exists(git))
      return d.str();
  }
  return docDir.str();
}

/// True if the absolute, dot-free \p path is \p root or inside it.
bool isWithin(llvm::StringRef root, llvm::StringRef path) {
  if (!path.consume_front(root))
    return false;
  return path.empty() || llvm::sys::path::is_separator(path[0]) ||
         llvm::sys::path::is_separator(root.back());
}

/// Reads a marker from \p line: nullopt when the line is no marker, an
/// empty kind (after reporting) when it is a malformed one.
std::optional<Marker> parseMarker(DiagnosticEngine &diags,
                                  llvm::StringRef line) {
  size_t indent = indentOf(line);
  if (indent == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = line.drop_front(indent);
  if (!rest.consume_front("<!--"))
    return std::nullopt;
  rest = rest.ltrim();
  if (!rest.consume_front("relc:"))
    return std::nullopt;
  Marker m;
  llvm::StringRef body = rest.rtrim();
  if (!body.consume_back("-->")) {
    diags.report(DiagKind::DocsRegion,
                 llvm::SMLoc::getFromPointer(line.data() + indent),
                 "a relc marker is one line: <!-- relc:KIND FILES... -->");
    return m;
  }
  llvm::SmallVector<llvm::StringRef, 8> words;
  body.split(words, ' ', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef w : words)
    if (!(w = w.trim()).empty())
      m.args.push_back(w);
  if (m.args.empty()) {
    diags.report(DiagKind::DocsRegion, llvm::SMLoc::getFromPointer(rest.data()),
                 "a relc marker names its kind: <!-- relc:KIND FILES... -->");
    return m;
  }
  m.kind = m.args.front();
  m.args.erase(m.args.begin());
  return m;
}

/// The lines of \p text, each with its line ending.
std::vector<llvm::StringRef> linesOf(llvm::StringRef text) {
  std::vector<llvm::StringRef> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    size_t len = nl == text.npos ? text.size() : nl + 1;
    lines.push_back(text.take_front(len));
    text = text.drop_front(len);
  }
  return lines;
}

llvm::StringRef withoutEol(llvm::StringRef line) {
  line.consume_back("\n");
  line.consume_back("\r");
  return line;
}

/// Finds the regions of a document; false after reporting a bad marker.
bool findRegions(DiagnosticEngine &diags,
                 const std::vector<llvm::StringRef> &lines,
                 std::vector<Region> &regions) {
  bool ok = true;
  std::optional<Region> open;
  char fenceChar = 0;
  size_t fenceLen = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::StringRef line = withoutEol(lines[i]);
    if (!open) {
      char ch;
      size_t len = fenceOf(line, ch);
      if (fenceLen) {
        if (len >= fenceLen && ch == fenceChar &&
            line.trim().find_first_not_of(ch) == llvm::StringRef::npos)
          fenceLen = 0;
        continue;
      }
      if (len) {
        fenceChar = ch;
        fenceLen = len;
        continue;
      }
    }
    std::optional<Marker> m = parseMarker(diags, line);
    if (!m)
      continue;
    if (m->kind.empty()) {
      ok = false;
      continue;
    }
    llvm::SMLoc at = llvm::SMLoc::getFromPointer(m->kind.data());
    if (m->kind == "end") {
      if (!open) {
        diags.report(DiagKind::DocsRegion, at,
                     "'relc:end' with no region open");
        ok = false;
        continue;
      }
      open->end = i;
      regions.push_back(*open);
      open.reset();
      continue;
    }
    if (open) {
      diags.report(DiagKind::DocsRegion,
                   llvm::SMLoc::getFromPointer(open->marker.kind.data()),
                   "region 'relc:" + open->marker.kind +
                       "' has no <!-- relc:end --> before the next marker");
      diags.note(at, "the next marker");
      ok = false;
      open.reset();
    }
    if (!llvm::is_contained(regionKinds, m->kind)) {
      diags.report(DiagKind::DocsRegion, at,
                   "unknown region 'relc:" + m->kind +
                       "'; regions are relc:matrix and relc:calendar" +
                       didYouMean(m->kind, regionKinds));
      ok = false;
    }
    // Opened even when unknown, so that its end is not reported as well.
    open = Region{*m, i, 0};
  }
  if (open) {
    diags.report(DiagKind::DocsRegion,
                 llvm::SMLoc::getFromPointer(open->marker.kind.data()),
                 "region 'relc:" + open->marker.kind +
                     "' has no <!-- relc:end -->");
    ok = false;
  }
  return ok;
}

/// What relc generates for \p region of the document \p docPath; nullopt
/// after reporting.
std::optional<std::string> generate(Compilation &comp, const Region &region,
                                    llvm::StringRef docPath) {
  DiagnosticEngine &diags = comp.getDiags();
  const Marker &m = region.marker;
  if (m.args.empty()) {
    diags.report(
        DiagKind::DocsRegion, llvm::SMLoc::getFromPointer(m.kind.data()),
        "'relc:" + m.kind + "' needs release files, relative to this file");
    return std::nullopt;
  }
  llvm::vfs::FileSystem &fs = comp.getFileSystem();
  llvm::StringRef base = llvm::sys::path::parent_path(docPath);
  // Paths are relative to the document as named (a link's directory, for a
  // linked document), and checked twice: as written, before anything is
  // listed, and by real path once found, so a link cannot lead out either.
  llvm::SmallString<256> docDir(base);
  fs.makeAbsolute(docDir);
  llvm::sys::path::remove_dots(docDir, /*remove_dot_dot=*/true);
  std::string root = confinementRoot(fs, docDir);
  std::string realRoot = realPathOf(fs, root);
  std::vector<std::string> paths;
  bool ok = true;
  for (llvm::StringRef arg : m.args) {
    llvm::SMLoc at = llvm::SMLoc::getFromPointer(arg.data());
    if (arg.startswith("-")) {
      diags.report(DiagKind::DocsRegion, at,
                   "'relc:" + m.kind + "' takes release files, not options");
      ok = false;
      continue;
    }
    // Refused before anything is read or listed.
    if (llvm::sys::path::is_absolute(arg)) {
      diags.report(DiagKind::DocsPath, at,
                   "'" + arg +
                       "' is an absolute path; files are relative to this "
                       "document, inside " +
                       root);
      ok = false;
      continue;
    }
    llvm::SmallString<256> full(docDir);
    llvm::sys::path::append(full, arg);
    llvm::sys::path::remove_dots(full, /*remove_dot_dot=*/true);
    if (!isWithin(root, full)) {
      diags.report(DiagKind::DocsPath, at,
                   "'" + arg + "' leads out of " + root +
                       ", the repository of this document");
      ok = false;
      continue;
    }
    std::vector<std::string> found = expandPath(fs, base, arg);
    if (found.empty()) {
      // A glob passes over what is not a regular file; a path names it.
      if (!isGlob(arg) && fs.exists(full))
        diags.report(DiagKind::DocsPath, at,
                     "'" + arg + "' is not a regular file");
      else
        diags.report(DiagKind::DocsRegion, at,
                     isGlob(arg) ? "'" + arg + "' matches no file"
                                 : "no file '" + arg + "'");
      ok = false;
    }
    // A link in the tree may still lead out of it.
    for (const std::string &f : found) {
      std::string real = realPathOf(fs, f);
      if (isWithin(realRoot, real)) {
        paths.push_back(f);
        continue;
      }
      diags.report(DiagKind::DocsPath, at,
                   "'" + f + "' (from '" + arg + "') is a link to " + real +
                       ", outside " + root);
      ok = false;
    }
  }
  if (!ok)
    return std::nullopt;
  unsigned errors = diags.errorCount();
  // An error in a plan is reported in the plan, and the marker that named it
  // is noted, so the reader sees which region it stops.
  diags.pushContext(llvm::SMLoc::getFromPointer(m.kind.data()),
                    "in a file the region 'relc:" + m.kind + "' reads");
  std::vector<std::unique_ptr<sema::Plan>> plans =
      comp.loadReleases(paths, "docs update");
  diags.popContext();
  if (diags.errorCount() != errors)
    return std::nullopt;
  std::string text;
  llvm::raw_string_ostream os(text);
  if (m.kind == "matrix")
    report::printCompatTable(plans, "", os);
  else
    report::printCadenceTable(plans, os);
  return os.str();
}

/// Updates or checks one document; the exit code.
int updateDocument(Compilation &comp, const DocsOptions &opts,
                   const std::string &path, llvm::raw_ostream &out) {
  DiagnosticEngine &diags = comp.getDiags();
  unsigned id = loadSourceFile(diags, path, {}, SourceKind::Markdown);
  if (!id)
    return diags.exitCode();
  llvm::StringRef text = comp.getSourceMgr().getMemoryBuffer(id)->getBuffer();
  std::vector<llvm::StringRef> lines = linesOf(text);
  std::vector<Region> regions;
  if (!findRegions(diags, lines, regions))
    return 1;
  std::vector<std::optional<std::string>> generated;
  for (const Region &r : regions)
    generated.push_back(generate(comp, r, path));
  // With --skip-invalid, a region that reads a plan with errors leaves the
  // document alone without a word: relc check reports them.
  if (llvm::any_of(generated, [](const auto &g) { return !g; }))
    return opts.diagnostics.skipInvalid ? diags.exitCode()
                                        : std::max(diags.exitCode(), 1);

  // A document with CRLF line endings gets CRLF in its regions too.
  bool crlf = !lines.empty() && lines[0].endswith("\r\n");
  std::string updated;
  size_t next = 0;
  std::vector<const Region *> stale;
  for (size_t k = 0; k < regions.size(); ++k) {
    const Region &r = regions[k];
    for (; next <= r.begin; ++next)
      updated += lines[next];
    if (!updated.empty() && updated.back() != '\n')
      updated += crlf ? "\r\n" : "\n";
    std::string body = *generated[k];
    if (crlf)
      body = llvm::join(llvm::split(body, '\n'), "\r\n");
    std::string old;
    for (size_t i = r.begin + 1; i < r.end; ++i)
      old += lines[i];
    if (old != body)
      stale.push_back(&r);
    updated += body;
    next = r.end;
  }
  for (; next < lines.size(); ++next)
    updated += lines[next];
  if (stale.empty())
    return 0;
  if (opts.check) {
    for (const Region *r : stale)
      diags.report(DiagKind::DocsStale,
                   llvm::SMLoc::getFromPointer(r->marker.kind.data()),
                   "region 'relc:" + r->marker.kind +
                       "' is stale; run 'relc docs update " + path + "'");
    out << unifiedDiff(text, updated, path, path + " (updated)");
    return 1;
  }
  if (llvm::Error e = writeFileAtomic(path, updated, "relc-docs")) {
    diags.report(DiagKind::FileWriteFailed, llvm::SMRange(),
                 "cannot write '" + path +
                     "': " + llvm::toString(std::move(e)));
    return 2;
  }
  return 0;
}

} // namespace

int relc::runDocsUpdate(const DocsOptions &opts, const DriverEnv &env) {
  Compilation comp(env, opts.diagnostics);
  int code = 0;
  for (const std::string &path : opts.files) {
    code = std::max(code, updateDocument(comp, opts, path, env.out));
    comp.getDiags().flush();
  }
  return std::max(code, comp.getDiags().exitCode());
}
