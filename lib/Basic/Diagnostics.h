//===- Diagnostics.h - The one diagnostics engine
//--------------------------===//
//
// Every phase reports problems through a DiagnosticEngine: a kind from the
// registry in Diagnostics.def, a location in a buffer of the llvm::SourceMgr,
// a message written where the problem is found, and notes pointing at related
// places. The engine keeps what was reported (so commands can count) and
// prints it as
//
//   file:line:col: error: message [kind]
//     source line
//     ^~~~
//
// or in a format for programs: JSON Lines, SARIF 2.1.0 (GitHub code
// scanning), or GitHub Actions workflow commands (docs/diagnostics.md).
// Columns are 1-based byte offsets; the caret is placed under the character
// whatever multi-byte text stands before it.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_DIAGNOSTICS_H
#define RELC_BASIC_DIAGNOSTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
class raw_ostream;
namespace vfs {
class FileSystem;
} // namespace vfs
} // namespace llvm

namespace relc {

enum class DiagKind {
#define DIAG(Name, Id, Severity, Summary) Name,
#include "Basic/Diagnostics.def"
};

enum class Severity { Error, Warning, Note };

/// How diagnostics are printed: `--diagnostics-format`.
enum class DiagFormat {
  Text,   ///< `file:line:col: error: message [kind]`, source line, caret.
  Json,   ///< One JSON object per line.
  Sarif,  ///< One SARIF 2.1.0 log, written when the command is done.
  Github, ///< `::error file=...::message` workflow commands.
};

/// The registry entry of a kind.
struct DiagKindInfo {
  llvm::StringRef id;
  Severity severity;
  bool io; ///< Could not read the input at all: exit code 2.
  llvm::StringRef summary;
};
const DiagKindInfo &getDiagKindInfo(DiagKind kind);
llvm::ArrayRef<DiagKindInfo> allDiagKinds();

struct DiagNote {
  llvm::SMLoc loc;
  std::string message;
};

/// A near match a message offers ("did you mean 'x'?"): \p word, written
/// within the diagnostic's range, may be meant as \p replacement. Kept as
/// data so the language server's quick fix needs no message text.
struct Suggestion {
  std::string word, replacement;
};

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  llvm::SMRange range; ///< Start is the reported column; may be invalid.
  std::string message;
  std::vector<DiagNote> notes;
  /// Without a range: the file the command was working on, if any
  /// (setSubject), for the formats that must name a file.
  std::string subject;
  /// Where the input it is about was pulled in (pushContext), printed after
  /// its own notes.
  std::vector<DiagNote> context;
  /// The near match the message offers, if any (didYouMean, Suggest.h).
  std::optional<Suggestion> suggestion;
};

/// The match didYouMean last offered, until the next report() takes it.
Suggestion &pendingSuggestion();

class DiagnosticEngine {
public:
  DiagnosticEngine(llvm::SourceMgr &sm, llvm::raw_ostream &os,
                   DiagFormat format = DiagFormat::Text)
      : sm(sm), os(os), format(format) {}
  ~DiagnosticEngine() { finish(); }

  /// Reports a diagnostic of \p kind at \p range (an invalid range means no
  /// location: the message is prefixed with "relc:"). Notes may be added to
  /// the returned diagnostic until the next report() or flush().
  Diagnostic &report(DiagKind kind, llvm::SMRange range,
                     const llvm::Twine &message);
  Diagnostic &report(DiagKind kind, llvm::SMLoc loc,
                     const llvm::Twine &message) {
    return report(kind, llvm::SMRange(loc, loc), message);
  }
  void note(llvm::SMLoc loc, const llvm::Twine &message);

  /// Until the matching popContext(), every diagnostic ends with this note:
  /// the place that made relc read the input it is about (a `relc:` marker
  /// of a Markdown file naming a plan).
  void pushContext(llvm::SMLoc loc, const llvm::Twine &message) {
    context.push_back({loc, message.str()});
  }
  void popContext() { context.pop_back(); }

  /// Prints what is pending.
  void flush();
  /// Prints what is pending and ends the output (SARIF is one document,
  /// written here); the destructor calls it. Later reports are counted but
  /// not printed.
  void finish();

  /// The file named on the command line that is being worked on. Text output
  /// does not show it; the formats for programs give it as the file of
  /// diagnostics that have no position (a file that cannot be read, a stale
  /// generated file), since GitHub places every annotation in a file.
  void setSubject(llvm::StringRef path) { subject = path.str(); }

  /// While quiet, reports are counted (so a phase still sees it failed) but
  /// neither printed nor kept, and do not make the exit code.
  void setQuiet(bool q) { quiet = q; }
  bool isQuiet() const { return quiet; }

  unsigned errorCount() const { return errors; }
  unsigned warningCount() const { return warnings; }
  bool hasErrors() const { return errors != 0; }
  bool hasIoErrors() const { return ioErrors != 0; }
  /// Once this many errors have been printed, later ones are counted but not
  /// printed, and one too-many-errors line says so.
  void setErrorLimit(unsigned limit) { errorLimit = limit; }
  bool errorLimitExceeded() const { return errorLimit && errors > errorLimit; }

  /// 0 clean (warnings allowed), 1 the input has errors, 2 I/O problems.
  int exitCode() const { return ioErrors ? 2 : errors > quietErrors ? 1 : 0; }

  const std::vector<Diagnostic> &diagnostics() const { return all; }
  llvm::SourceMgr &getSourceMgr() { return sm; }

  /// Where the sources are read from (loadSourceFile): the file system the
  /// command was given, which owns it; the real one unless set.
  void setFileSystem(llvm::vfs::FileSystem &fs) { files = &fs; }
  llvm::vfs::FileSystem &getFileSystem() const;

private:
  void print(const Diagnostic &d);
  void emit(const Diagnostic &d);
  void printText(const Diagnostic &d);
  void printOne(Severity sev, llvm::SMRange range, llvm::StringRef message,
                llvm::StringRef kindId);
  // DiagnosticFormats.cpp.
  void printJson(const Diagnostic &d);
  void printGithub(const Diagnostic &d);
  void printSarif(llvm::ArrayRef<Diagnostic> shown);

  llvm::SourceMgr &sm;
  llvm::raw_ostream &os;
  DiagFormat format;
  llvm::vfs::FileSystem *files = nullptr;
  std::string subject;
  std::vector<Diagnostic> all;
  std::vector<Diagnostic> sarifResults; ///< What SARIF will show, in order.
  bool finished = false;
  bool quiet = false;
  std::vector<DiagNote> context;
  Diagnostic discarded; ///< What a quiet report() returns, and notes go to.
  bool lastDiscarded = false;
  unsigned quietErrors = 0;
  size_t printed = 0;
  unsigned errors = 0, warnings = 0, ioErrors = 0;
  unsigned errorLimit = 0;
  unsigned errorsSeen = 0; ///< Errors printed or suppressed so far.
  bool limitReported = false;
};

} // namespace relc

#endif // RELC_BASIC_DIAGNOSTICS_H
