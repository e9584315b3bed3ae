//===- Diagnostics.cpp - Printing diagnostics with source and caret
//--------===//
//
// The text form of a diagnostic: `file:line:col: severity: message [kind]`,
// then the source line and a caret line. The caret line is built from the
// source line itself (tabs kept, each other character replaced by as many
// spaces as it is wide), so it lines up under non-ASCII text too.
//
//===----------------------------------------------------------------------===//
#include "Basic/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Unicode.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

#define DIAG_SEVERITY_Io Severity::Error
#define DIAG_SEVERITY_Error Severity::Error
#define DIAG_SEVERITY_Warning Severity::Warning
#define DIAG_IS_IO_Io true
#define DIAG_IS_IO_Error false
#define DIAG_IS_IO_Warning false
static const DiagKindInfo kindInfos[] = {
#define DIAG(Name, Id, Sev, Summary)                                           \
  {Id, DIAG_SEVERITY_##Sev, DIAG_IS_IO_##Sev, Summary},
#include "Basic/Diagnostics.def"
};

const DiagKindInfo &relc::getDiagKindInfo(DiagKind kind) {
  return kindInfos[static_cast<size_t>(kind)];
}

llvm::ArrayRef<DiagKindInfo> relc::allDiagKinds() { return kindInfos; }

llvm::vfs::FileSystem &DiagnosticEngine::getFileSystem() const {
  // getRealFileSystem() hands out a reference to one shared instance.
  return files ? *files : *llvm::vfs::getRealFileSystem();
}

Suggestion &relc::pendingSuggestion() {
  thread_local Suggestion pending;
  return pending;
}

Diagnostic &DiagnosticEngine::report(DiagKind kind, llvm::SMRange range,
                                     const llvm::Twine &message) {
  flush();
  // The match didYouMean left is this diagnostic's only if its message
  // offers it: one computed for a message that was never reported (or for
  // a note) must not reach a later diagnostic.
  std::optional<Suggestion> suggestion;
  Suggestion &pending = pendingSuggestion();
  std::string text = message.str();
  if (!pending.replacement.empty() &&
      llvm::StringRef(text).contains("did you mean '" + pending.replacement +
                                     "'"))
    suggestion = std::move(pending);
  pending = {};
  const DiagKindInfo &info = getDiagKindInfo(kind);
  lastDiscarded = quiet;
  if (quiet) {
    if (info.severity == Severity::Error) {
      ++errors;
      ++quietErrors;
    }
    discarded = {kind, info.severity, range, text, {}, {}, {}, {}};
    return discarded;
  }
  if (info.severity == Severity::Error)
    ++errors;
  else if (info.severity == Severity::Warning)
    ++warnings;
  if (info.io)
    ++ioErrors;
  all.push_back({kind,
                 info.severity,
                 range,
                 std::move(text),
                 {},
                 range.Start.isValid() ? std::string() : subject,
                 context,
                 std::move(suggestion)});
  return all.back();
}

void DiagnosticEngine::note(llvm::SMLoc loc, const llvm::Twine &message) {
  if (lastDiscarded)
    return;
  if (!all.empty())
    all.back().notes.push_back({loc, message.str()});
}

void DiagnosticEngine::flush() {
  if (finished)
    return;
  for (; printed < all.size(); ++printed) {
    Diagnostic &d = all[printed];
    llvm::append_range(d.notes, d.context);
    d.context.clear();
    print(d);
  }
  os.flush();
}

void DiagnosticEngine::finish() {
  flush();
  if (finished)
    return;
  finished = true;
  if (format == DiagFormat::Sarif) {
    printSarif(sarifResults);
    os.flush();
  }
}

void DiagnosticEngine::print(const Diagnostic &d) {
  if (d.severity == Severity::Error && errorLimit) {
    if (++errorsSeen > errorLimit) {
      if (!limitReported) {
        limitReported = true;
        emit({DiagKind::TooManyErrors,
              Severity::Error,
              {},
              "too many errors; stopped reporting after " +
                  std::to_string(errorLimit),
              {},
              subject,
              {},
              {}});
      }
      return;
    }
  }
  emit(d);
}

void DiagnosticEngine::emit(const Diagnostic &d) {
  switch (format) {
  case DiagFormat::Text:
    printText(d);
    break;
  case DiagFormat::Json:
    printJson(d);
    break;
  case DiagFormat::Github:
    printGithub(d);
    break;
  case DiagFormat::Sarif:
    sarifResults.push_back(d);
    break;
  }
}

void DiagnosticEngine::printText(const Diagnostic &d) {
  printOne(d.severity, d.range, d.message, getDiagKindInfo(d.kind).id);
  for (const DiagNote &n : d.notes)
    printOne(Severity::Note, llvm::SMRange(n.loc, n.loc), n.message, "");
}

// The caret line for a source line: whitespace that keeps the columns of
// \p line up to byte \p from, then '^' under the character there and '~'
// under the rest of the range, up to byte \p to.
static std::string caretLine(llvm::StringRef line, size_t from, size_t to) {
  std::string out;
  auto codePointLength = [&](size_t i) {
    unsigned len = llvm::getNumBytesForUTF8(line[i]);
    return len == 0 || i + len > line.size() ? 1u : len;
  };
  auto columns = [&](size_t i, unsigned len) {
    int w = llvm::sys::unicode::columnWidthUTF8(line.substr(i, len));
    return w > 0 ? unsigned(w) : 1u;
  };
  size_t i = 0;
  for (; i < from && i < line.size(); i += codePointLength(i)) {
    if (line[i] == '\t')
      out += '\t';
    else
      out.append(columns(i, codePointLength(i)), ' ');
  }
  out += '^';
  if (i < line.size()) {
    unsigned len = codePointLength(i);
    out.append(columns(i, len) - 1, '~');
    i += len;
  }
  for (; i < to && i < line.size(); i += codePointLength(i))
    out.append(line[i] == '\t' ? 1 : columns(i, codePointLength(i)), '~');
  return out;
}

void DiagnosticEngine::printOne(Severity sev, llvm::SMRange range,
                                llvm::StringRef message,
                                llvm::StringRef kindId) {
  const char *sevName = sev == Severity::Error     ? "error"
                        : sev == Severity::Warning ? "warning"
                                                   : "note";
  unsigned bufId =
      range.Start.isValid() ? sm.FindBufferContainingLoc(range.Start) : 0;
  if (!bufId) {
    os << "relc: " << sevName << ": " << message;
    if (!kindId.empty())
      os << " [" << kindId << "]";
    os << '\n';
    return;
  }
  const llvm::MemoryBuffer *buf = sm.getMemoryBuffer(bufId);
  const char *bufStart = buf->getBufferStart();
  const char *bufEnd = buf->getBufferEnd();
  const char *pos = range.Start.getPointer();
  const char *lineStart = pos;
  while (lineStart > bufStart && lineStart[-1] != '\n')
    --lineStart;
  const char *lineEnd = pos;
  while (lineEnd < bufEnd && *lineEnd != '\n' && *lineEnd != '\r')
    ++lineEnd;
  unsigned lineNo = sm.FindLineNumber(range.Start, bufId);
  size_t col = pos - lineStart;

  os << buf->getBufferIdentifier() << ':' << lineNo << ':' << col + 1 << ": "
     << sevName << ": " << message;
  if (!kindId.empty())
    os << " [" << kindId << "]";
  os << '\n';

  llvm::StringRef line(lineStart, lineEnd - lineStart);
  // Very long lines (a 1 MB single-line file) are cut around the column.
  constexpr size_t maxShown = 160;
  size_t from = col, to = col + 1;
  if (range.End.isValid() && range.End.getPointer() > pos &&
      range.End.getPointer() <= lineEnd)
    to = range.End.getPointer() - lineStart;
  if (line.size() > maxShown) {
    size_t start = col > maxShown / 2 ? col - maxShown / 2 : 0;
    while (start > 0 &&
           (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80)
      --start;
    size_t end = std::min(line.size(), start + maxShown);
    while (end < line.size() &&
           (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80)
      ++end;
    line = line.slice(start, end);
    from -= start;
    to = std::min(to - start, line.size());
  }
  if (!line.empty())
    os << line << '\n' << caretLine(line, from, to) << '\n';
}
