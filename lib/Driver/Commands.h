//===- Commands.h - What each subcommand does
//------------------------------===//
//
// One function per subcommand, taking its options as a struct (policy in
// option structs, not flags scattered through code) and the streams to write.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_COMMANDS_H
#define RELC_DRIVER_COMMANDS_H

#include "Basic/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace relc {

/// How a command reports problems; every command that reads plans has one.
struct DiagnosticOptions {
  DiagFormat format = DiagFormat::Text;
  unsigned errorLimit = 20; ///< 0: no limit.
};

struct CheckOptions {
  enum class Emit { None, AST, Plan };
  std::vector<std::string> files;
  Emit emit = Emit::None;
  bool locations = true;
  bool parseOnly = false; ///< Stop after parsing: no names, no model.
  DiagnosticOptions diagnostics;
};
int runCheck(const CheckOptions &opts, llvm::raw_ostream &out,
             llvm::raw_ostream &err);

struct MatrixOptions {
  enum class Format { Table, Json, Markdown };
  std::vector<std::string> files;
  std::string channel; ///< Only legs built for this channel.
  std::string matrix;  ///< Only this matrix (for --explain).
  std::string explain; ///< A leg to explain instead of listing.
  Format format = Format::Table;
  DiagnosticOptions diagnostics;
};
int runMatrix(const MatrixOptions &opts, llvm::raw_ostream &out,
              llvm::raw_ostream &err);

struct GraphOptions {
  enum class Format { Json, Dot, Mermaid };
  std::string file;
  std::string stage; ///< Only this stage.
  int rc = -1;       ///< The RC number; -1: left as `{rc}`.
  Format format = Format::Json;
  DiagnosticOptions diagnostics;
};
int runGraph(const GraphOptions &opts, llvm::raw_ostream &out,
             llvm::raw_ostream &err);

struct EmitOptions {
  std::string backend; ///< github or gitlab.
  std::string file;
  std::string output; ///< GitHub: a directory; GitLab: the file.
  std::string lock;   ///< The actions lock; empty: found beside the plans.
  bool check = false; ///< Compare, do not write.
  bool split = true;  ///< Split matrices over the limit, or refuse.
  DiagnosticOptions diagnostics;
};
int runEmit(const EmitOptions &opts, llvm::raw_ostream &out,
            llvm::raw_ostream &err);

enum class RunFormat { Text, Json };
struct RunOptions {
  std::string file, stage, step;
  std::optional<unsigned> rc;
  std::string repo = ".", remote, stateDir, artifacts = ".";
  bool execute = false;
  std::vector<std::string> approvals;
  std::string today; ///< YYYY-MM-DD; empty: the clock.
  unsigned timeout = 3600;
  RunFormat format = RunFormat::Text;
  std::string debugKill;
  DiagnosticOptions diagnostics;
};
int runRun(const RunOptions &opts, llvm::raw_ostream &out,
           llvm::raw_ostream &err);

/// A language server on stdin and \p out (JSON-RPC, LSP 3.17 subset);
/// \p err gets what is not for the client.
int runLsp(llvm::raw_ostream &out, llvm::raw_ostream &err);

struct CalendarOptions {
  enum class Format { ICS, Markdown };
  std::vector<std::string> files;
  Format format = Format::ICS;
  /// SOURCE_DATE_EPOCH, the DTSTAMP of every event; empty: from the plans.
  std::string sourceDateEpoch;
  DiagnosticOptions diagnostics;
};
int runCalendar(const CalendarOptions &opts, llvm::raw_ostream &out,
                llvm::raw_ostream &err);

struct DocsOptions {
  std::vector<std::string> files; ///< Markdown files.
  bool check = false;             ///< Compare and show a diff; write nothing.
  DiagnosticOptions diagnostics;
};
int runDocsUpdate(const DocsOptions &opts, llvm::raw_ostream &out,
                  llvm::raw_ostream &err);

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;    ///< Report, do not write.
  bool toStdout = false; ///< Print instead of rewriting.
  DiagnosticOptions diagnostics;
};
int runFmt(const FmtOptions &opts, llvm::raw_ostream &out,
           llvm::raw_ostream &err);

struct ExplainOptions {
  enum class Format { Text, Markdown };
  std::string kind; ///< Empty with `all`.
  bool all = false; ///< Every kind, and check the docs against the registry.
  Format format = Format::Text;
};
int runExplain(const ExplainOptions &opts, llvm::raw_ostream &out,
               llvm::raw_ostream &err);

} // namespace relc

#endif // RELC_DRIVER_COMMANDS_H
