//===- LspServer.cpp - relc lsp: the Language Server Protocol over stdio --===//
//
// JSON-RPC 2.0 with `Content-Length` framing on stdin/stdout, on LLVM's JSON.
// Each open document is kept as text, and the open documents are a file
// system of their own laid over the one the server was given, so what is
// read while checking (imports, projects, compatibility models) is what the
// editor shows, saved or not. Every open or change re-checks the document
// the way `relc check` would and publishes the diagnostics of every file
// involved, then re-checks the other open documents that read it (a release
// whose project or model changed). Documents are synced by ranged edits.
// Requests: formatting (`relc fmt`), document symbols (stages, checks,
// matrices and their axes), go-to-definition and rename of a check or
// stage name, completion and hover (LspFeatures.cpp), and a quick fix for
// every diagnostic that offers a near match.
//
// Positions: LSP lines are 0-based and characters count UTF-16 code units;
// relc's locations are 1-based byte columns. The conversions are here.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"
#include "Driver/LspContext.h"
#include "Driver/LspFeatures.h"

#include "AST/Formatter.h"
#include "Basic/Config.h"
#include "Basic/JsonWriter.h"
#include "Syntax/Parser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <istream>

using namespace relc;
namespace json = llvm::json;

namespace {

// ------------------------------------------------------------------ URIs

std::string uriToPath(llvm::StringRef uri) {
  if (!uri.consume_front("file://"))
    return uri.str();
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    unsigned v = 0;
    if (uri[i] == '%' && i + 2 < uri.size() + 0 &&
        !uri.substr(i + 1, 2).getAsInteger(16, v)) {
      out += char(v);
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

std::string pathToUri(llvm::vfs::FileSystem &fs, llvm::StringRef path) {
  llvm::SmallString<256> abs(path);
  fs.makeAbsolute(abs);
  llvm::sys::path::remove_dots(abs, /*remove_dot_dot=*/true);
  std::string out = "file://";
  for (unsigned char c : abs) {
    if (llvm::isAlnum(c) || llvm::StringRef("/-._~").contains(c))
      out += char(c);
    else
      out += "%" + llvm::utohexstr(c, false, 2);
  }
  return out;
}

// ------------------------------------------------------------- positions

json::Object position(const llvm::SourceMgr &sm, llvm::SMLoc loc) {
  auto [line, col] = sm.getLineAndColumn(loc);
  const char *start = loc.getPointer() - (col - 1);
  return json::Object{{"line", int64_t(line - 1)},
                      {"character", int64_t(lsp::utf16Length(
                                        llvm::StringRef(start, col - 1)))}};
}

json::Object range(const llvm::SourceMgr &sm, llvm::SMRange r) {
  llvm::SMLoc end = r.End.isValid() && r.End.getPointer() > r.Start.getPointer()
                        ? r.End
                        : llvm::SMLoc::getFromPointer(r.Start.getPointer() + 1);
  // An end past the buffer (a diagnostic at the end of file) stays on it.
  const llvm::MemoryBuffer *buf =
      sm.getMemoryBuffer(sm.FindBufferContainingLoc(r.Start));
  if (end.getPointer() > buf->getBufferEnd())
    end = llvm::SMLoc::getFromPointer(buf->getBufferEnd());
  return json::Object{{"start", position(sm, r.Start)},
                      {"end", position(sm, end)}};
}

/// A name a check or a stage can have: one the grammar takes there. Asked
/// of the parser, so the keywords it refuses as names (`pin`, `once`) are
/// refused here without a list of them.
bool isStageName(llvm::StringRef s) {
  if (s.empty() ||
      !llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return false;
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, llvm::nulls());
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          ("project p { stage " + s + " { } }").str(), "name"),
      llvm::SMLoc());
  std::unique_ptr<ast::File> file = parseBuffer(diags, id);
  return file && !diags.hasErrors() && file->items.size() == 1 &&
         file->items[0].name.text == s;
}

/// Where, in \p d's range or on its line, the word its suggestion would
/// replace is written; nullopt without a suggestion or such a place.
std::optional<json::Value> suggestionRange(const llvm::SourceMgr &sm,
                                           const Diagnostic &d) {
  if (!d.suggestion || !d.range.Start.isValid() || d.suggestion->word.empty())
    return std::nullopt;
  const llvm::MemoryBuffer *buf =
      sm.getMemoryBuffer(sm.FindBufferContainingLoc(d.range.Start));
  llvm::StringRef text = buf->getBuffer();
  size_t start = size_t(d.range.Start.getPointer() - buf->getBufferStart());
  size_t lineStart = text.rfind('\n', start);
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  size_t lineEnd = std::min(text.find('\n', start), text.size());
  size_t end = d.range.End.isValid()
                   ? size_t(d.range.End.getPointer() - buf->getBufferStart())
                   : start;
  end = std::min(std::max(end, lineEnd), text.size());
  llvm::StringRef word = d.suggestion->word;
  // The whole word: `cut` is not the start of `cutter`.
  auto at = [&](size_t from, size_t to) -> size_t {
    for (size_t i = text.find(word, from);
         i != llvm::StringRef::npos && i + word.size() <= to;
         i = text.find(word, i + 1)) {
      size_t j = i + word.size();
      if ((i == 0 || !lsp::isWordChar(text[i - 1]) ||
           !lsp::isWordChar(word.front())) &&
          (j == text.size() || !lsp::isWordChar(text[j]) ||
           !lsp::isWordChar(word.back())))
        return i;
    }
    return llvm::StringRef::npos;
  };
  size_t found = at(start, end);
  if (found == llvm::StringRef::npos)
    found = at(lineStart, lineEnd);
  if (found == llvm::StringRef::npos)
    return std::nullopt;
  return json::Value(
      json::Object{{"start", lsp::positionAt(text, found)},
                   {"end", lsp::positionAt(text, found + word.size())}});
}

// ---------------------------------------------------------------- server

class Server {
public:
  Server(const LspOptions &opts, const DriverEnv &env)
      : in(env.in), out(env.out), log(env.err), base(env.fs),
        modelDirs(env.modelDirs), maxMessageSize(opts.maxMessageSize) {}
  int run();

private:
  /// What reading one message gave: a body; one over the size limit,
  /// skipped; the end of the input between messages; or input that cannot
  /// be framed (a bad header, the end inside a message), which ends the
  /// session.
  enum class Frame { Message, TooLarge, End, Broken };
  Frame read(std::string &body);
  Frame truncated(uint64_t length, uint64_t got);
  void send(json::Value message);
  void reply(const json::Value &id, json::Value result);
  void error(const json::Value &id, int code, llvm::StringRef message);
  void handle(const json::Object &msg);

  /// The server's file system with the open documents laid over it.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> files();
  /// Checks \p path and publishes its diagnostics.
  void publish(const std::string &path);
  /// Publishes the open documents other than \p path whose last check read
  /// it.
  void publishReaders(const std::string &path);
  json::Value formatting(const std::string &path);
  json::Value symbols(const std::string &path);
  json::Value definition(const std::string &path, int64_t line,
                         int64_t character);
  /// Applies didChange's contentChanges to \p path; false (logged) at the
  /// first change that is not an edit of the document.
  bool applyChanges(const std::string &path, const json::Array &changes);
  /// The check or stage named at \p offset of \p path: where every file
  /// of its project writes it. Sets \p why if there is none.
  struct Occurrences {
    std::string name;
    /// Per file URI, the ranges of the name.
    std::map<std::string, std::vector<json::Value>> ranges;
    json::Value at = nullptr;       ///< The range at the offset.
    std::vector<std::string> taken; ///< The project's check and stage names.
  };
  std::optional<Occurrences> occurrences(const std::string &path, size_t offset,
                                         std::string &why);
  json::Value codeActions(const std::string &path, const json::Object &params);

  /// The quick fix of a diagnostic that offers a near match.
  struct Fix {
    json::Value diagnostic; ///< As published.
    json::Value edit;       ///< The range of the misspelt word.
    std::string replacement;
  };

  std::istream &in;
  llvm::raw_ostream &out, &log;
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> base;
  /// Where `compat "NAME";` finds models: the same places as the commands.
  std::vector<sema::ModelDir> modelDirs;
  llvm::StringMap<std::string> docs; ///< Open documents by real path.
  /// Files each open document last had diagnostics published for.
  llvm::StringMap<llvm::StringSet<>> published;
  /// Files (real paths) each open document's last check read.
  llvm::StringMap<llvm::StringSet<>> inputs;
  /// What each open document's checks knew last (completion, hover).
  llvm::StringMap<lsp::PlanFacts> facts;
  /// The quick fixes of the diagnostics last published for each file.
  llvm::StringMap<std::vector<Fix>> fixes;
  uint64_t maxMessageSize;
  /// The lifecycle of the LSP specification: `initialize` first, nothing
  /// but `exit` after `shutdown`.
  enum class State { Uninitialized, Running, ShutDown };
  State state = State::Uninitialized;
};

/// One header line, without its line break, into \p line. A header line
/// longer than any real one (LSP has two short headers) is not buffered:
/// false, with \p tooLong set.
static bool readHeaderLine(std::istream &in, std::string &line, bool &tooLong) {
  constexpr size_t maxHeaderLine = 4096;
  line.clear();
  std::streambuf &buf = *in.rdbuf();
  for (;;) {
    int c = buf.sbumpc();
    if (c == std::char_traits<char>::eof())
      return !line.empty();
    if (c == '\n')
      return true;
    if (line.size() == maxHeaderLine) {
      tooLong = true;
      return false;
    }
    line += char(c);
  }
}

Server::Frame Server::read(std::string &body) {
  body.clear();
  std::optional<uint64_t> length;
  bool headers = false, tooLong = false, badLength = false;
  std::string line;
  while (readHeaderLine(in, line, tooLong)) {
    llvm::StringRef l = llvm::StringRef(line).rtrim("\r");
    if (l.empty()) {
      if (!headers)
        continue; // Blank lines between messages.
      break;
    }
    headers = true;
    if (l.consume_front_insensitive("Content-Length:")) {
      uint64_t n = 0;
      // Digits only: no sign, no exponent; a value past 2^64 fails too.
      l = l.trim();
      if (l.empty() || !llvm::all_of(l, llvm::isDigit) || l.getAsInteger(10, n))
        badLength = true;
      else
        length = n;
    }
  }
  if (tooLong) {
    log << "relc lsp: error: a message header line is longer than 4096 "
           "bytes\n";
    return Frame::Broken;
  }
  if (!headers)
    return Frame::End;
  // Without a length the end of this message, and so the start of the next,
  // is unknown: there is no way to stay in step with the client.
  if (badLength || !length) {
    log << "relc lsp: error: a message header has no valid Content-Length "
           "(a decimal number of bytes)\n";
    return Frame::Broken;
  }
  if (*length > maxMessageSize) {
    // The declared bytes are read and dropped, not stored: the stream stays
    // in step and memory does not follow what a header claims. The client
    // gets an error (id null: the request's id is in the dropped body) and
    // the session goes on, as after a body that is not JSON.
    log << "relc lsp: error: a message of " << *length
        << " bytes is larger than --max-message-size=" << maxMessageSize
        << "; skipped\n";
    for (uint64_t left = *length; left > 0;) {
      std::streamsize step = std::streamsize(std::min<uint64_t>(left, 1 << 20));
      in.ignore(step);
      if (in.gcount() != step)
        return truncated(*length, *length - left + uint64_t(in.gcount()));
      left -= uint64_t(step);
    }
    return Frame::TooLarge;
  }
  // Read as it arrives, so memory follows the bytes received, not the
  // length a header declares.
  char chunk[1 << 16];
  while (body.size() < *length) {
    std::streamsize want = std::streamsize(
        std::min<uint64_t>(sizeof chunk, *length - body.size()));
    in.read(chunk, want);
    body.append(chunk, size_t(in.gcount()));
    if (in.gcount() != want)
      return truncated(*length, body.size());
  }
  return Frame::Message;
}

Server::Frame Server::truncated(uint64_t length, uint64_t got) {
  log << "relc lsp: error: the input ended inside a message (" << got << " of "
      << length << " bytes)\n";
  return Frame::Broken;
}

void Server::send(json::Value message) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << message;
  os.flush();
  out << "Content-Length: " << text.size() << "\r\n\r\n" << text;
  out.flush();
}

void Server::reply(const json::Value &id, json::Value result) {
  send(json::Object{
      {"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::error(const json::Value &id, int code, llvm::StringRef message) {
  send(json::Object{
      {"jsonrpc", "2.0"},
      {"id", id},
      {"error", json::Object{{"code", code}, {"message", message}}}});
}

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Server::files() {
  auto overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(base);
  auto open = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  // Pushed first, so relative paths resolve against the base's directory.
  overlay->pushOverlay(open);
  // The texts stay in `docs`, unchanged, while the file system is in use.
  for (const auto &doc : docs)
    open->addFile(
        doc.getKey(), /*ModificationTime=*/0,
        llvm::MemoryBuffer::getMemBuffer(doc.getValue(), doc.getKey()));
  return overlay;
}

void Server::publish(const std::string &path) {
  Compilation comp(files(), llvm::nulls(), {}, modelDirs);
  llvm::SourceMgr &sm = comp.getSourceMgr();
  DiagnosticEngine &diags = comp.getDiags();
  llvm::vfs::FileSystem &fs = comp.getFileSystem();
  lsp::PlanFacts known;
  std::unique_ptr<sema::Plan> plan =
      comp.check(path, false, [&](const LoadedPlan &loaded) {
        known.addNames(*loaded.file);
        if (loaded.project != loaded.file)
          known.addNames(*loaded.project);
      });
  // What is not known now (a plan that does not parse while it is typed)
  // stays as it was last known.
  lsp::PlanFacts &kept = facts[path];
  if (plan)
    known.model = plan->model;
  else if (!comp.getModels().byPaths.empty())
    known.model = comp.getModels().byPaths.begin()->second;
  if (!known.model)
    known.model = kept.model;
  if (!known.haveNames) {
    std::shared_ptr<const compat::Model> model = std::move(known.model);
    known = std::move(kept);
    known.model = std::move(model);
  }
  kept = std::move(known);
  std::map<std::string, std::vector<Fix>> fixed;
  llvm::StringSet<> &read = inputs[path];
  read.clear();
  for (unsigned id = 1; id <= sm.getNumBuffers(); ++id)
    read.insert(comp.realPath(sm.getMemoryBuffer(id)->getBufferIdentifier()));
  // Diagnostics by the file they are in; a problem with no location (a
  // model that cannot be read) is shown at the top of the document.
  std::map<std::string, json::Array> byFile;
  byFile[path];
  for (const Diagnostic &d : diags.diagnostics()) {
    json::Object lsp{{"severity", d.severity == Severity::Error     ? 1
                                  : d.severity == Severity::Warning ? 2
                                                                    : 3},
                     {"code", getDiagKindInfo(d.kind).id},
                     {"source", "relc"},
                     {"message", d.message}};
    std::string file = path;
    if (d.range.Start.isValid()) {
      file = comp.realPath(
          sm.getMemoryBuffer(sm.FindBufferContainingLoc(d.range.Start))
              ->getBufferIdentifier());
      lsp["range"] = range(sm, d.range);
    } else {
      lsp["range"] =
          json::Object{{"start", json::Object{{"line", 0}, {"character", 0}}},
                       {"end", json::Object{{"line", 0}, {"character", 0}}}};
    }
    json::Array related;
    for (const DiagNote &n : d.notes) {
      if (!n.loc.isValid())
        continue;
      related.push_back(json::Object{
          {"location",
           json::Object{
               {"uri", pathToUri(fs, sm.getMemoryBuffer(
                                           sm.FindBufferContainingLoc(n.loc))
                                         ->getBufferIdentifier())},
               {"range", range(sm, llvm::SMRange(n.loc, n.loc))}}},
          {"message", n.message}});
    }
    if (!related.empty())
      lsp["relatedInformation"] = std::move(related);
    if (std::optional<json::Value> edit = suggestionRange(sm, d)) {
      lsp["data"] = json::Object{{"replacement", d.suggestion->replacement},
                                 {"range", *edit}};
      fixed[file].push_back(
          {json::Value(json::Object(lsp)), *edit, d.suggestion->replacement});
    }
    byFile[file].push_back(std::move(lsp));
  }
  // Files that had diagnostics last time and have none now are cleared.
  llvm::StringSet<> &before = published[path];
  for (const auto &f : before)
    byFile[f.getKey().str()];
  before.clear();
  for (auto &[file, list] : byFile) {
    if (!list.empty())
      before.insert(file);
    fixes[file] = std::move(fixed[file]);
    send(json::Object{
        {"jsonrpc", "2.0"},
        {"method", "textDocument/publishDiagnostics"},
        {"params", json::Object{{"uri", pathToUri(fs, file)},
                                {"diagnostics", std::move(list)}}}});
  }
}

void Server::publishReaders(const std::string &path) {
  std::vector<std::string> readers;
  for (const auto &doc : docs)
    if (doc.getKey() != path && inputs[doc.getKey()].count(path))
      readers.push_back(doc.getKey().str());
  llvm::sort(readers);
  for (const std::string &reader : readers)
    publish(reader);
}

json::Value Server::formatting(const std::string &path) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, llvm::nulls());
  const std::string &text = docs[path];
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, path), llvm::SMLoc());
  std::unique_ptr<ast::File> file = parseBuffer(diags, id);
  if (!file || diags.hasErrors())
    return nullptr; // Nothing is formatted that does not parse.
  std::string formatted = ast::formatFile(*file);
  if (formatted == text)
    return json::Array();
  // One edit: the whole document.
  size_t lines = llvm::StringRef(text).count('\n');
  return json::Array{json::Object{
      {"range",
       json::Object{{"start", json::Object{{"line", 0}, {"character", 0}}},
                    {"end", json::Object{{"line", int64_t(lines + 1)},
                                         {"character", 0}}}}},
      {"newText", formatted}}};
}

json::Value Server::symbols(const std::string &path) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, llvm::nulls());
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(docs[path], path), llvm::SMLoc());
  std::unique_ptr<ast::File> file = parseBuffer(diags, id);
  json::Array out;
  if (!file)
    return out;
  // LSP SymbolKind: 6 method, 8 field, 12 function, 18 array.
  // json::Value keeps a StringRef without copying: names are copied here,
  // as the tree they point into is gone when the reply is sent.
  auto symbol = [&](std::string name, int kind, std::string detail,
                    llvm::SMRange whole, llvm::SMRange sel) {
    return json::Object{{"name", name},
                        {"detail", detail},
                        {"kind", kind},
                        {"range", range(sm, whole)},
                        {"selectionRange", range(sm, sel)}};
  };
  for (const ast::Item &it : file->items) {
    switch (it.kind) {
    case ast::Item::Kind::Stage:
      out.push_back(symbol(it.name.text, 12, "stage", it.range, it.name.range));
      break;
    case ast::Item::Kind::Check:
      out.push_back(symbol(it.name.text, 6, "check " + it.function.text,
                           it.range, it.name.range));
      break;
    case ast::Item::Kind::Matrix: {
      json::Object m =
          symbol(it.name.text, 18, "matrix", it.range, it.name.range);
      json::Array axes;
      for (const ast::MatrixEntry &e : it.matrix)
        if (e.kind == ast::MatrixEntry::Kind::Axis)
          axes.push_back(symbol(e.axis.text, 8, "axis", e.range, e.axis.range));
      m["children"] = std::move(axes);
      out.push_back(std::move(m));
      break;
    }
    default:
      break;
    }
  }
  return out;
}

json::Value Server::definition(const std::string &path, int64_t line,
                               int64_t character) {
  const std::string &text = docs[path];
  size_t at = lsp::offsetAt(text, line, character);
  auto isWord = [](char c) { return llvm::isAlnum(c) || c == '_'; };
  size_t begin = at, end = at;
  while (begin > 0 && isWord(text[begin - 1]))
    --begin;
  while (end < text.size() && isWord(text[end]))
    ++end;
  std::string word = text.substr(begin, end - begin);
  if (word.empty())
    return nullptr;
  Compilation comp(files(), llvm::nulls(), {}, modelDirs);
  std::optional<LoadedPlan> plan = comp.parse(path);
  if (!plan)
    return nullptr;
  // Checks and stages are defined in the project (or the file itself).
  for (const ast::File *f : {plan->file, plan->project})
    for (const ast::Item &it : f->items)
      if ((it.kind == ast::Item::Kind::Check ||
           it.kind == ast::Item::Kind::Stage) &&
          it.name.text == word)
        return json::Object{
            {"uri", pathToUri(comp.getFileSystem(), f->path)},
            {"range", range(comp.getSourceMgr(), it.name.range)}};
  return nullptr;
}

bool Server::applyChanges(const std::string &path, const json::Array &changes) {
  std::string &text = docs[path];
  for (const json::Value &c : changes) {
    const json::Object *change = c.getAsObject();
    llvm::Optional<llvm::StringRef> newText =
        change ? change->getString("text") : llvm::None;
    const json::Object *r = change ? change->getObject("range") : nullptr;
    std::string why;
    if (!newText) {
      why = "a content change without text";
    } else if (!r) {
      text = newText->str(); // The whole document.
      continue;
    }
    // Positions as LSP 3.17 defines them: a character past the end of its
    // line means the line's end; a line past the document's last is an
    // error (the editor and relc no longer agree on the text).
    int64_t lines = int64_t(llvm::StringRef(text).count('\n'));
    auto offset = [&](const json::Object *pos) -> std::optional<size_t> {
      llvm::Optional<int64_t> line = pos ? pos->getInteger("line") : llvm::None;
      llvm::Optional<int64_t> ch =
          pos ? pos->getInteger("character") : llvm::None;
      if (!line || !ch || *line < 0 || *ch < 0 || *line > lines)
        return std::nullopt;
      return lsp::offsetAt(text, *line, *ch);
    };
    std::optional<size_t> start, end;
    if (why.empty()) {
      start = offset(r->getObject("start"));
      end = offset(r->getObject("end"));
      if (!start || !end)
        why = "a range outside the document's " + std::to_string(lines + 1) +
              " lines";
      else if (*start > *end)
        why = "a range that ends before it starts";
    }
    if (!why.empty()) {
      std::string message = "relc lsp: error: didChange of " + path + ": " +
                            why + "; the remaining changes are dropped";
      log << message << "\n";
      send(json::Object{
          {"jsonrpc", "2.0"},
          {"method", "window/logMessage"},
          {"params", json::Object{{"type", 1}, {"message", message}}}});
      return false;
    }
    text.replace(*start, *end - *start, newText->str());
  }
  return true;
}

std::optional<Server::Occurrences>
Server::occurrences(const std::string &path, size_t offset, std::string &why) {
  lsp::Word word = lsp::wordAt(docs[path], offset);
  if (!isStageName(word.text)) {
    why = "no check or stage name at this position";
    return std::nullopt;
  }
  Compilation comp(files(), llvm::nulls(), {}, modelDirs);
  std::optional<LoadedPlan> plan = comp.parse(path);
  if (!plan) {
    why = "the plan does not parse";
    return std::nullopt;
  }
  // Which it is: checks and stages are defined in the project (or in the
  // file itself).
  std::optional<ast::Item::Kind> kind;
  Occurrences out;
  for (const ast::File *f : {plan->file, plan->project})
    for (const ast::Item &it : f->items)
      if (it.kind == ast::Item::Kind::Check ||
          it.kind == ast::Item::Kind::Stage) {
        out.taken.push_back(it.name.text);
        if (it.name.text == word.text)
          kind = it.kind;
      }
  if (!kind) {
    why = "'" + word.text.str() + "' is not a check or stage of this project";
    return std::nullopt;
  }
  // The project and every release beside it that takes it.
  std::vector<const ast::File *> filesOf{plan->project};
  if (plan->file != plan->project)
    filesOf.push_back(plan->file);
  llvm::vfs::FileSystem &fs = comp.getFileSystem();
  std::string projectPath = comp.realPath(plan->project->path);
  llvm::SmallString<256> dir(llvm::sys::path::parent_path(projectPath));
  std::error_code ec;
  std::vector<std::string> siblings;
  for (llvm::vfs::directory_iterator it = fs.dir_begin(dir, ec), end;
       !ec && it != end; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".relplan")
      siblings.push_back(comp.realPath(it->path()));
  // Open documents not yet saved are only in the overlay.
  for (const auto &doc : docs)
    if (llvm::sys::path::parent_path(doc.getKey()) == dir)
      siblings.push_back(doc.getKey().str());
  llvm::sort(siblings);
  siblings.erase(std::unique(siblings.begin(), siblings.end()), siblings.end());
  for (const std::string &sib : siblings) {
    if (sib == projectPath || sib == comp.realPath(plan->file->path))
      continue;
    std::optional<LoadedPlan> other = comp.parse(sib);
    if (other && other->project == plan->project)
      filesOf.push_back(other->file);
  }
  llvm::SourceMgr &sm = comp.getSourceMgr();
  out.name = word.text.str();
  auto add = [&](const ast::File &f, const ast::Name &n) {
    if (n.text != out.name)
      return;
    json::Value r = range(sm, n.range);
    out.ranges[pathToUri(fs, f.path)].push_back(r);
    if (comp.realPath(f.path) == path &&
        n.range.Start.getPointer() -
                sm.getMemoryBuffer(f.bufferId)->getBufferStart() ==
            ptrdiff_t(word.begin))
      out.at = r;
  };
  for (const ast::File *f : filesOf)
    for (const ast::Item &it : f->items) {
      if (it.kind == *kind)
        add(*f, it.name);
      if (it.kind != ast::Item::Kind::Stage)
        continue;
      if (*kind == ast::Item::Kind::Stage)
        for (const ast::StageTrigger &t : it.triggers)
          for (const ast::Name &n : t.stages)
            add(*f, n);
      if (*kind == ast::Item::Kind::Check)
        for (const ast::Step &st : it.steps)
          if (st.kind == ast::Step::Kind::Require)
            for (const ast::Name &n : st.names)
              add(*f, n);
    }
  if (out.at.kind() == json::Value::Null) {
    why = "no check or stage name at this position";
    return std::nullopt;
  }
  return out;
}

json::Value Server::codeActions(const std::string &path,
                                const json::Object &params) {
  // The fixes whose diagnostic overlaps the requested range.
  auto pos = [](const json::Object *p) {
    return std::make_pair(p ? p->getInteger("line").getValueOr(0) : 0,
                          p ? p->getInteger("character").getValueOr(0) : 0);
  };
  const json::Object *want = params.getObject("range");
  auto wantStart = pos(want ? want->getObject("start") : nullptr);
  auto wantEnd = want ? pos(want->getObject("end"))
                      : std::make_pair(int64_t(INT64_MAX), int64_t(0));
  std::string uri = pathToUri(*base, path);
  json::Array out;
  for (const Fix &f : fixes[path]) {
    const json::Object *r = f.diagnostic.getAsObject()->getObject("range");
    auto start = pos(r->getObject("start")), end = pos(r->getObject("end"));
    if (end < wantStart || wantEnd < start)
      continue;
    json::Object d = *f.diagnostic.getAsObject();
    out.push_back(json::Object{
        {"title", "Replace with '" + f.replacement + "'"},
        {"kind", "quickfix"},
        {"isPreferred", true},
        {"diagnostics", json::Array{json::Value(std::move(d))}},
        {"edit",
         json::Object{
             {"changes",
              json::Object{{uri, json::Array{json::Object{
                                     {"range", f.edit},
                                     {"newText", f.replacement}}}}}}}}});
  }
  return out;
}

void Server::handle(const json::Object &msg) {
  llvm::StringRef method = msg.getString("method").getValueOr("");
  static const json::Value none = nullptr;
  const json::Value *id = msg.get("id");
  const json::Value &rid = id ? *id : none;
  const json::Object *params = msg.getObject("params");
  if (!msg.get("method"))
    return; // A response: relc sends no requests.
  // The lifecycle (LSP 3.17, "Server lifecycle"): requests out of order are
  // answered with an error, notifications out of order are dropped.
  if (state == State::ShutDown) {
    if (id)
      error(rid, -32600, "the server is shut down: only exit is expected");
    return;
  }
  if (method == "initialize" && state == State::Running) {
    if (id)
      error(rid, -32600, "initialize was already received");
    return;
  }
  if (method != "initialize" && state == State::Uninitialized) {
    if (id)
      error(rid, -32002, "the server is not initialized: initialize first");
    return;
  }
  if (method.startswith("textDocument/") &&
      (!params || !params->getObject("textDocument"))) {
    if (id)
      error(rid, -32602, method.str() + " needs params.textDocument");
    return;
  }
  auto docPath = [&]() -> std::string {
    if (!params)
      return "";
    const json::Object *doc = params->getObject("textDocument");
    return doc ? realPathOf(*base,
                            uriToPath(doc->getString("uri").getValueOr("")))
               : "";
  };
  if (method == "initialize") {
    state = State::Running;
    reply(
        rid,
        json::Object{
            {"capabilities",
             json::Object{
                 // Incremental: ranged edits.
                 {"textDocumentSync",
                  json::Object{{"openClose", true}, {"change", 2}}},
                 {"documentFormattingProvider", true},
                 {"documentSymbolProvider", true},
                 {"definitionProvider", true},
                 {"completionProvider",
                  json::Object{{"triggerCharacters",
                                json::Array{" ", ".", "{", "(", ","}}}},
                 {"hoverProvider", true},
                 {"renameProvider", json::Object{{"prepareProvider", true}}},
                 {"codeActionProvider",
                  json::Object{{"codeActionKinds", json::Array{"quickfix"}}}}}},
            {"serverInfo",
             json::Object{{"name", "relc"}, {"version", RELC_VERSION}}}});
  } else if (method == "textDocument/didOpen") {
    std::string path = docPath();
    const json::Object *doc = params->getObject("textDocument");
    docs[path] = doc->getString("text").getValueOr("").str();
    publish(path);
    publishReaders(path);
  } else if (method == "textDocument/didChange") {
    std::string path = docPath();
    if (!docs.count(path)) {
      log << "relc lsp: error: didChange of a document that is not open: "
          << path << "\n";
      return;
    }
    if (const json::Array *changes = params->getArray("contentChanges"))
      applyChanges(path, *changes);
    publish(path);
    publishReaders(path);
  } else if (method == "textDocument/didClose") {
    std::string path = docPath();
    docs.erase(path);
    for (const auto &f : published[path]) {
      send(json::Object{
          {"jsonrpc", "2.0"},
          {"method", "textDocument/publishDiagnostics"},
          {"params", json::Object{{"uri", pathToUri(*base, f.getKey())},
                                  {"diagnostics", json::Array()}}}});
      fixes.erase(f.getKey()); // No diagnostic left to fix.
    }
    published.erase(path);
    inputs.erase(path);
    facts.erase(path);
    // Whoever read the unsaved text now reads the file.
    publishReaders(path);
  } else if (method == "textDocument/formatting" ||
             method == "textDocument/documentSymbol" ||
             method == "textDocument/definition" ||
             method == "textDocument/completion" ||
             method == "textDocument/hover" ||
             method == "textDocument/rename" ||
             method == "textDocument/prepareRename" ||
             method == "textDocument/codeAction") {
    std::string path = docPath();
    // A position anywhere (negative, past the end) is clamped to the text.
    const json::Object *pos = params->getObject("position");
    int64_t line = pos ? pos->getInteger("line").getValueOr(0) : 0;
    int64_t character = pos ? pos->getInteger("character").getValueOr(0) : 0;
    size_t offset =
        docs.count(path) ? lsp::offsetAt(docs[path], line, character) : 0;
    std::string why;
    if (!docs.count(path)) {
      error(rid, -32602, "document not open: " + path);
    } else if (method == "textDocument/formatting") {
      reply(rid, formatting(path));
    } else if (method == "textDocument/documentSymbol") {
      reply(rid, symbols(path));
    } else if (method == "textDocument/definition") {
      reply(rid, definition(path, line, character));
    } else if (method == "textDocument/completion") {
      reply(rid, json::Object{{"isIncomplete", false},
                              {"items", lsp::complete(docs[path], offset,
                                                      facts[path])}});
    } else if (method == "textDocument/hover") {
      // The legs of a matrix need the checked plan; a plan with errors
      // still has its model's facts.
      Compilation comp(files(), llvm::nulls(), {}, modelDirs);
      std::unique_ptr<sema::Plan> plan = comp.check(path);
      reply(rid, lsp::hover(docs[path], offset, facts[path], plan.get()));
    } else if (method == "textDocument/prepareRename") {
      std::optional<Occurrences> occ = occurrences(path, offset, why);
      reply(rid, occ ? json::Value(json::Object{{"range", occ->at},
                                                {"placeholder", occ->name}})
                     : json::Value(nullptr));
    } else if (method == "textDocument/rename") {
      std::string to = params->getString("newName").getValueOr("").str();
      std::optional<Occurrences> occ = occurrences(path, offset, why);
      if (occ && !isStageName(to))
        why = "'" + to +
              "' is not a name (letters, digits and '_', not a "
              "keyword)";
      else if (occ && to != occ->name && llvm::is_contained(occ->taken, to))
        why = "the project already has a check or stage '" + to + "'";
      if (!why.empty()) {
        error(rid, -32803, why); // RequestFailed.
      } else {
        json::Object changes;
        for (auto &[uri, ranges] : occ->ranges) {
          json::Array edits;
          for (json::Value &r : ranges)
            edits.push_back(
                json::Object{{"range", std::move(r)}, {"newText", to}});
          changes[uri] = std::move(edits);
        }
        reply(rid, json::Object{{"changes", std::move(changes)}});
      }
    } else {
      reply(rid, codeActions(path, *params));
    }
  } else if (method == "shutdown") {
    state = State::ShutDown;
    reply(rid, nullptr);
  } else if (id) {
    error(rid, -32601, "relc lsp does not handle " + method.str());
  }
  // Other notifications (initialized, $/cancelRequest, ...) need nothing.
}

int Server::run() {
  std::string body;
  for (;;) {
    switch (read(body)) {
    case Frame::End:
      return state == State::ShutDown ? 0 : 1; // The client went away.
    case Frame::Broken:
      return 1;
    case Frame::TooLarge:
      error(nullptr, -32600,
            "message larger than --max-message-size=" +
                std::to_string(maxMessageSize) + " bytes");
      continue;
    case Frame::Message:
      break;
    }
    // llvm::json::parse recurses once per level: a deep enough body would
    // overflow the stack before it could fail. Nothing relc reads nests
    // more than a few levels.
    constexpr unsigned maxNesting = 512;
    if (jsonNestsDeeper(body, maxNesting)) {
      log << "relc lsp: bad message: nested deeper than " << maxNesting
          << " levels\n";
      error(nullptr, -32700,
            "parse error: nested deeper than " + std::to_string(maxNesting) +
                " levels");
      continue;
    }
    llvm::Expected<json::Value> v = json::parse(body);
    if (!v) {
      log << "relc lsp: bad message: " << llvm::toString(v.takeError()) << "\n";
      error(nullptr, -32700, "parse error");
      continue;
    }
    const json::Object *msg = v->getAsObject();
    if (!msg) {
      error(nullptr, -32600, "a message must be a JSON object");
      continue;
    }
    if (msg->getString("method") == llvm::StringRef("exit"))
      return state == State::ShutDown ? 0 : 1;
    handle(*msg);
  }
}

} // namespace

int relc::runLsp(const LspOptions &opts, const DriverEnv &env) {
  Server server(opts, env);
  return server.run();
}
