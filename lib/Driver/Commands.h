//===- Commands.h - What each subcommand does
//------------------------------===//
//
// One function per subcommand, taking its options as a struct (policy in
// option structs, not flags scattered through code) and the world it runs in:
// the file system it reads and the streams it reads and writes.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_COMMANDS_H
#define RELC_DRIVER_COMMANDS_H

#include "Basic/Diagnostics.h"
#include "Sema/Sema.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace relc {

class Compilation;

/// What a command reads and writes besides its options (Carbon's DriverEnv):
/// tools/relc/main.cpp passes the real file system and the standard streams,
/// tests an in-memory file system and strings. Inputs (plans, models, the
/// actions lock, Markdown documents) are read through \c fs; what commands
/// write (emit's output, fmt --write, docs update, run's journal) goes to the
/// real disk.
struct DriverEnv {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs;
  std::istream &in; ///< `relc lsp`'s requests.
  llvm::raw_ostream &out;
  llvm::raw_ostream &err;
  /// Where diagnostics go when not to \c err: \c out for the formats for
  /// programs of a command with no output of its own, a buffer for
  /// --diagnostics-output.
  llvm::raw_ostream *diagnostics = nullptr;
  /// Where `compat "NAME";` looks for NAME.yaml, in order.
  std::vector<sema::ModelDir> modelDirs;
  /// Where loaded models are kept across runs (modelCacheDir()); empty:
  /// nowhere.
  std::string modelCacheDir;
  /// This relc's build, as the model cache tells builds apart
  /// (buildStamp()).
  std::string relcBuild;

  llvm::raw_ostream &diagStream() const {
    return diagnostics ? *diagnostics : err;
  }
};

/// The places relc looks for the models plans name by name: each directory
/// of \p modelPath (RELC_MODEL_PATH, colon-separated), then share/relc/compat
/// beside the directory of \p executable, where `cmake --install` and the
/// Debian package put the bundled models and where the build tree links them.
std::vector<sema::ModelDir> modelSearchPath(llvm::StringRef modelPath,
                                            llvm::StringRef executable);

/// Set by relc's main() only (not by the language server, tests or fuzz
/// targets): the process ends when the command returns, so a command may
/// leave what it built to the operating system rather than free it piece by
/// piece (the ASTs and the plan: 5% of checking a small plan).
extern bool processEndsAfterCommand;

/// Ends a command: frees \p plans and then \p comp, or, when the process
/// ends after the command, finishes the diagnostics and leaves the memory
/// to the operating system.
void endCommand(std::unique_ptr<Compilation> comp,
                std::vector<std::unique_ptr<sema::Plan>> plans = {});

/// The directory of relc's model cache: RELC_CACHE_DIR if set (set and
/// empty: no cache), else relc under XDG_CACHE_HOME, else ~/.cache/relc.
std::string modelCacheDir();

/// The size and modification time of relc's \p executable: a rebuilt or
/// reinstalled relc has another. Empty if it cannot be read.
std::string buildStamp(llvm::StringRef executable);

/// How a command reports problems; every command that reads plans has one.
struct DiagnosticOptions {
  DiagFormat format = DiagFormat::Text;
  unsigned errorLimit = 20; ///< 0: no limit.
  /// Plans and models with errors are skipped without a word (the
  /// pre-commit hooks other than relc-check: it reports them).
  bool skipInvalid = false;
};

struct CheckOptions {
  enum class Emit { None, AST, Plan };
  std::vector<std::string> files;
  Emit emit = Emit::None;
  bool locations = true;
  bool parseOnly = false; ///< Stop after parsing: no names, no model.
  DiagnosticOptions diagnostics;
};
int runCheck(const CheckOptions &opts, const DriverEnv &env);

struct MatrixOptions {
  enum class Format { Table, Json, Markdown, Include };
  std::vector<std::string> files;
  std::string channel; ///< Only legs built for this channel.
  std::string where;   ///< Only legs for which this condition holds.
  std::string matrix;  ///< Only this matrix (for --explain).
  std::string explain; ///< A leg to explain instead of listing.
  Format format = Format::Table;
  DiagnosticOptions diagnostics;
};
int runMatrix(const MatrixOptions &opts, const DriverEnv &env);

struct GraphOptions {
  enum class Format { Json, Dot, Mermaid };
  std::string file;
  std::string stage; ///< Only this stage.
  int rc = -1;       ///< The RC number; -1: left as `{rc}`.
  Format format = Format::Json;
  DiagnosticOptions diagnostics;
};
int runGraph(const GraphOptions &opts, const DriverEnv &env);

struct EmitOptions {
  std::string backend; ///< github or gitlab.
  std::string file;
  std::string output; ///< GitHub: a directory; GitLab: the file.
  std::string lock;   ///< The actions lock; empty: found beside the plans.
  bool check = false; ///< Compare, do not write.
  bool split = true;  ///< Split matrices over the limit, or refuse.
  DiagnosticOptions diagnostics;
};
int runEmit(const EmitOptions &opts, const DriverEnv &env);

enum class RunFormat { Text, Json };
struct RunOptions {
  std::string file, stage, step;
  std::string leg, legArtifacts; ///< exec::RunOptions says what they mean.
  std::optional<unsigned> rc;
  std::string repo = ".", remote, stateDir, artifacts = ".";
  bool execute = false;
  std::vector<std::string> approvals;
  /// `--partner-remote pytorch=URL`, as given.
  std::vector<std::string> partnerRemotes;
  std::string today; ///< YYYY-MM-DD; empty: the clock.
  unsigned timeout = 3600;
  RunFormat format = RunFormat::Text;
  std::string debugKill;
  DiagnosticOptions diagnostics;
};
int runRun(const RunOptions &opts, const DriverEnv &env);

struct LspOptions {
  /// The largest message body read; a larger one is skipped unread.
  uint64_t maxMessageSize = 64 << 20;
};
/// A language server reading requests from \c env.in and answering on
/// \c env.out (JSON-RPC, LSP 3.17 subset); \c env.err gets what is not for
/// the client.
int runLsp(const LspOptions &opts, const DriverEnv &env);

struct CalendarOptions {
  enum class Format { ICS, Markdown };
  std::vector<std::string> files;
  Format format = Format::ICS;
  /// SOURCE_DATE_EPOCH, the DTSTAMP of every event; empty: from the plans.
  std::string sourceDateEpoch;
  DiagnosticOptions diagnostics;
};
int runCalendar(const CalendarOptions &opts, const DriverEnv &env);

struct DocsOptions {
  std::vector<std::string> files; ///< Markdown files.
  bool check = false;             ///< Compare and show a diff; write nothing.
  DiagnosticOptions diagnostics;
};
int runDocsUpdate(const DocsOptions &opts, const DriverEnv &env);

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;    ///< Report, do not write.
  bool toStdout = false; ///< Print instead of rewriting.
  /// With check: name each file that would change on the output; off when
  /// the diagnostics, which name them too, go there.
  bool listFiles = true;
  DiagnosticOptions diagnostics;
};
int runFmt(const FmtOptions &opts, const DriverEnv &env);

struct InitOptions {
  std::string dir;    ///< Where the files go; empty: plans/ at the top.
  bool force = false; ///< Replace existing files.
  std::string today;  ///< YYYY-MM-DD the schedule starts from; empty: today.
};
/// Writes a project file and a first release file for the git repository
/// relc runs in (lib/Driver/InitCommand.cpp).
int runInit(const InitOptions &opts, const DriverEnv &env);

struct ExplainOptions {
  enum class Format { Text, Markdown };
  std::string kind; ///< Empty with `all`.
  bool all = false; ///< Every kind, and check the docs against the registry.
  Format format = Format::Text;
};
int runExplain(const ExplainOptions &opts, const DriverEnv &env);

} // namespace relc

#endif // RELC_DRIVER_COMMANDS_H
