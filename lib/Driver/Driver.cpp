//===- Driver.cpp - The relc command line
//----------------------------------===//
//
// Subcommands and their options, declared with llvm::cl. The options are
// globals (llvm::cl registers them once, at start-up, which costs little);
// runDriver resets them before each parse so it can run more than once in a
// process, and answers --help and --version itself (lib/Driver/Help.h), as
// llvm::cl's answer goes to the process's standard output and ends it. This
// file is built without RTTI, as LLVM is.
//
//===----------------------------------------------------------------------===//
#include "Driver/Driver.h"
#include "Driver/Commands.h"
#include "Driver/Help.h"

#include "Basic/Config.h"

#include "Basic/SourceFiles.h"
#include "Basic/Suggest.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <istream>

using namespace relc;
namespace cl = llvm::cl;

static cl::OptionCategory relcCategory("relc options");

/// Where the option parsers report a bad value while runDriver parses: the
/// error stream it was given. (llvm::cl's own parsers write to llvm::errs().)
static llvm::raw_ostream *usageErrors = nullptr;

/// An option with what --help shows of its value, registered by its parser
/// as the option is made: llvm::cl gives no way from a cl::Option to its
/// parser. A list, not a map, so start-up allocates nothing.
class DescribedOption {
public:
  static OptionHelp find(const cl::Option &o) {
    for (const DescribedOption *d = all; d; d = d->next)
      if (d->option == &o)
        return d->help;
    return {};
  }

protected:
  explicit DescribedOption(const cl::Option &o) : option(&o), next(all) {
    all = this;
  }
  OptionHelp help;

private:
  const cl::Option *option;
  const DescribedOption *next;
  static inline const DescribedOption *all = nullptr;
};

/// llvm::cl's parser for T, with llvm::cl's words for a bad value, reporting
/// to usageErrors.
template <class T>
class Parser : public cl::parser<T>, private DescribedOption {
public:
  explicit Parser(cl::Option &o) : cl::parser<T>(o), DescribedOption(o) {
    if constexpr (std::is_enum_v<T>)
      help.values = this;
    else
      help.valueName = this->getValueName();
  }

  bool parse(cl::Option &o, llvm::StringRef name, llvm::StringRef arg,
             T &value) {
    if constexpr (std::is_enum_v<T>) {
      std::vector<std::string> names;
      for (const auto &v : this->Values) {
        if (v.Name == arg) {
          value = v.V.getValue();
          return false;
        }
        names.push_back(v.Name.str());
      }
      // Not didYouMean(): that also leaves the match for the next
      // diagnostic, and a usage error is not one.
      std::string near = closestMatch(arg, names);
      return bad(o, "'" + arg + "' is not one of " + llvm::join(names, ", ") +
                        (near.empty() ? "" : "; did you mean '" + near + "'?"));
    } else if constexpr (std::is_same_v<T, bool>) {
      if (arg.empty() || arg == "true" || arg == "TRUE" || arg == "True" ||
          arg == "1")
        value = true;
      else if (arg == "false" || arg == "FALSE" || arg == "False" || arg == "0")
        value = false;
      else
        return bad(o, "'" + arg + "' is not true or false");
      return false;
    } else if constexpr (std::is_same_v<T, unsigned>) {
      if (arg.getAsInteger(0, value))
        return bad(o, "'" + arg + "' is not a whole number");
      return false;
    } else {
      // An empty value is taken for none: `-o "$OUT"` with OUT unset would
      // otherwise write into the current directory. (A positional argument,
      // which has no name, is a file name, and reported as one.)
      if (!name.empty() && arg.empty())
        return bad(o, "it needs a value");
      return cl::parser<T>::parse(o, name, arg, value);
    }
  }

private:
  static bool bad(cl::Option &o, const llvm::Twine &message) {
    return o.error(message, llvm::StringRef(),
                   usageErrors ? *usageErrors : llvm::errs());
  }
};
template <class T> using Opt = cl::opt<T, false, Parser<T>>;
template <class T> using List = cl::list<T, bool, Parser<T>>;

static cl::SubCommand checkCmd("check",
                               "Parse plan files and the projects they use, "
                               "and report problems");
static List<std::string> checkFiles(cl::Positional, cl::OneOrMore,
                                    cl::desc("<plan files>"), cl::sub(checkCmd),
                                    cl::cat(relcCategory));
static Opt<CheckOptions::Emit> checkEmit(
    "emit", cl::desc("What to print after checking"),
    cl::init(CheckOptions::Emit::None),
    cl::values(clEnumValN(CheckOptions::Emit::None, "none", "nothing"),
               clEnumValN(CheckOptions::Emit::AST, "ast", "the syntax tree"),
               clEnumValN(CheckOptions::Emit::Plan, "plan",
                          "the checked plan")),
    cl::sub(checkCmd), cl::cat(relcCategory));
static Opt<bool> checkParseOnly(
    "parse-only",
    cl::desc("Only parse (and follow imports); check no names, dates or "
             "compatibility"),
    cl::sub(checkCmd), cl::cat(relcCategory));
static Opt<bool> checkNoLocations("no-locations",
                                  cl::desc("Leave line:col out of --emit=ast"),
                                  cl::sub(checkCmd), cl::cat(relcCategory));

static cl::SubCommand matrixCmd("matrix",
                                "Print the legs of release plans' matrices");
static List<std::string> matrixFiles(cl::Positional, cl::OneOrMore,
                                     cl::desc("<release files>"),
                                     cl::sub(matrixCmd), cl::cat(relcCategory));
static Opt<MatrixOptions::Format> matrixFormat(
    "format", cl::desc("Output format"), cl::init(MatrixOptions::Format::Table),
    cl::values(clEnumValN(MatrixOptions::Format::Table, "table",
                          "one line per leg"),
               clEnumValN(MatrixOptions::Format::Json, "json",
                          "every leg with its derived values"),
               clEnumValN(MatrixOptions::Format::Markdown, "markdown",
                          "the release compatibility table, one row per "
                          "release"),
               clEnumValN(MatrixOptions::Format::Include, "include",
                          "GitHub's {\"include\": [...]} of the matrices' "
                          "fields, one object per leg")),
    cl::sub(matrixCmd), cl::cat(relcCategory));
static Opt<std::string>
    matrixChannel("channel", cl::desc("Only legs built for this channel"),
                  cl::value_desc("name"), cl::sub(matrixCmd),
                  cl::cat(relcCategory));
static Opt<std::string>
    matrixExplain("explain",
                  cl::desc("Say why a leg (\"3.12, linux-x86_64, cuda 12.4\", "
                           "values in axis order) is built or not"),
                  cl::value_desc("leg"), cl::sub(matrixCmd),
                  cl::cat(relcCategory));
static Opt<std::string>
    matrixWhere("where",
                cl::desc("Only legs for which a condition holds, written as "
                         "in a plan (\"platform is linux-x86_64\")"),
                cl::value_desc("condition"), cl::sub(matrixCmd),
                cl::cat(relcCategory));
static Opt<std::string> matrixName("matrix", cl::desc("Only this matrix"),
                                   cl::value_desc("name"), cl::sub(matrixCmd),
                                   cl::cat(relcCategory));

static cl::SubCommand graphCmd("graph",
                               "Print the step graph a release plan lowers to");
static Opt<std::string> graphFile(cl::Positional, cl::Required,
                                  cl::desc("<release file>"), cl::sub(graphCmd),
                                  cl::cat(relcCategory));
static Opt<GraphOptions::Format> graphFormat(
    "format", cl::desc("Output format"), cl::init(GraphOptions::Format::Json),
    cl::values(clEnumValN(GraphOptions::Format::Json, "json",
                          "for programs (docs/step-graph.md)"),
               clEnumValN(GraphOptions::Format::Dot, "dot", "for graphviz"),
               clEnumValN(GraphOptions::Format::Mermaid, "mermaid",
                          "a Mermaid flowchart")),
    cl::sub(graphCmd), cl::cat(relcCategory));
static Opt<std::string> graphStage("stage", cl::desc("Only this stage"),
                                   cl::value_desc("name"), cl::sub(graphCmd),
                                   cl::cat(relcCategory));
static Opt<unsigned>
    graphRc("rc",
            cl::desc("The release candidate number ({rc} and the parameter "
                     "of a parameterised stage); without it, '{rc}' stays"),
            cl::value_desc("n"), cl::sub(graphCmd), cl::cat(relcCategory));

static cl::SubCommand emitCmd("emit",
                              "Generate CI configuration from a release plan");
static List<std::string> emitArgs(cl::Positional, cl::OneOrMore,
                                  cl::desc("github|gitlab <release file>"),
                                  cl::sub(emitCmd), cl::cat(relcCategory));
static Opt<std::string>
    emitOutput("o",
               cl::desc("Output: the workflows directory (github) or the "
                        "file (gitlab)"),
               cl::value_desc("path"), cl::sub(emitCmd), // Required.
               cl::cat(relcCategory));
static Opt<bool> emitCheck(
    "check",
    cl::desc("Write nothing; exit 1 with a diff if the output is stale"),
    cl::sub(emitCmd), cl::cat(relcCategory));
static Opt<std::string> emitLock(
    "lock",
    cl::desc("The actions lock, with the relc package jobs install "
             "(default: actions.lock.yaml beside the plan or in a directory "
             "above it)"),
    cl::value_desc("file"), cl::sub(emitCmd), cl::cat(relcCategory));
static Opt<bool> emitNoSplit(
    "no-split",
    cl::desc("Refuse a build over the backend's jobs-per-matrix limit "
             "instead of splitting it"),
    cl::sub(emitCmd), cl::cat(relcCategory));

static cl::SubCommand
    runCmd("run", "Run a stage of a release against its repository (a dry run "
                  "unless --execute)");
static Opt<std::string> runFile(cl::Positional, cl::Required,
                                cl::desc("<release file>"), cl::sub(runCmd),
                                cl::cat(relcCategory));
static Opt<std::string> runStage("stage", cl::desc("The stage to run"),
                                 cl::value_desc("name"), // Required.
                                 cl::sub(runCmd), cl::cat(relcCategory));
static Opt<unsigned> runRc(
    "rc",
    cl::desc("The release candidate number (default: RELC_RC, the RC tag CI "
             "runs for, an unfinished run, or one more than the highest RC "
             "tag on the remote)"),
    cl::value_desc("n"), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string>
    runStep("step", cl::desc("Run only this step (as a CI job does)"),
            cl::value_desc("id"), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string> runLeg(
    "leg",
    cl::desc("Build, test and upload only this leg of the stage's builds, "
             "named by its values (\"3.12, linux-x86_64, cpu\") or its name"),
    cl::value_desc("leg"), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string> runLegArtifacts(
    "built",
    cl::desc("Where a test or upload step finds its leg's artifacts when the "
             "build ran elsewhere (a CI job; default: the state directory)"),
    cl::value_desc("dir"), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string>
    runRepo("repo", cl::desc("The repository (default: the current directory)"),
            cl::value_desc("path"), cl::init("."), cl::sub(runCmd),
            cl::cat(relcCategory));
static Opt<std::string> runRemote(
    "remote",
    cl::desc("The remote: a name or a URL (default: the plan's repo.remote)"),
    cl::value_desc("name"), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<bool> runExecute(
    "execute",
    cl::desc("Act: create branches and tags, commit, push, run commands. "
             "Without it, change nothing and say what would be done"),
    cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string>
    runStateDir("state-dir",
                cl::desc("Where the journal and command logs go (default: "
                         ".git/relc/<project>-<version>)"),
                cl::value_desc("dir"), cl::sub(runCmd), cl::cat(relcCategory));
static List<std::string> runApprove("approve",
                                    cl::desc("Give the approval of this group"),
                                    cl::value_desc("group"), cl::sub(runCmd),
                                    cl::cat(relcCategory));
static List<std::string> runPartnerRemote(
    "partner-remote",
    cl::desc("Where a release this one goes with tags (`after pytorch.rc`): "
             "PROJECT=URL"),
    cl::value_desc("P=URL"), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string> runToday(
    "today",
    cl::desc("Take this date as today for `on DATE` waits (rehearsals, tests)"),
    cl::value_desc("YYYY-MM-DD"), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string>
    runArtifacts("artifacts",
                 cl::desc("Where artifact_size checks look (default: .)"),
                 cl::value_desc("dir"), cl::init("."), cl::sub(runCmd),
                 cl::cat(relcCategory));
static Opt<unsigned> runTimeout(
    "timeout",
    cl::desc("Seconds a command may run when its step sets no timeout"),
    cl::init(3600), cl::sub(runCmd), cl::cat(relcCategory));
static Opt<RunFormat> runFormat(
    "format", cl::desc("Output format"), cl::init(RunFormat::Text),
    cl::values(clEnumValN(RunFormat::Text, "text",
                          "a line per step and a summary"),
               clEnumValN(RunFormat::Json, "json", "one JSON document")),
    cl::sub(runCmd), cl::cat(relcCategory));
static Opt<std::string>
    runDebugKill("debug-kill",
                 cl::desc("Tests: SIGKILL relc after-step:N or after-act:N"),
                 cl::Hidden, cl::sub(runCmd));

static cl::SubCommand
    lspCmd("lsp", "Serve the Language Server Protocol on stdin and stdout (for "
                  "editors)");
static Opt<unsigned> lspMaxMessageSize(
    "max-message-size",
    cl::desc("The largest message body read, in bytes; a larger one is "
             "skipped and answered with an error"),
    cl::value_desc("bytes"), cl::init(LspOptions().maxMessageSize),
    cl::sub(lspCmd), cl::cat(relcCategory));

static cl::SubCommand
    calendarCmd("calendar",
                "Print the dated milestones of releases as a calendar");
static List<std::string> calendarFiles(cl::Positional, cl::OneOrMore,
                                       cl::desc("<release files>"),
                                       cl::sub(calendarCmd),
                                       cl::cat(relcCategory));
static Opt<CalendarOptions::Format> calendarFormat(
    "format", cl::desc("Output format"), cl::init(CalendarOptions::Format::ICS),
    cl::values(clEnumValN(CalendarOptions::Format::ICS, "ics",
                          "an iCalendar file to subscribe to (RFC 5545)"),
               clEnumValN(CalendarOptions::Format::Markdown, "markdown",
                          "the release cadence table, one row per release")),
    cl::sub(calendarCmd), cl::cat(relcCategory));

static cl::SubCommand
    docsCmd("docs",
            "Regenerate the relc regions of Markdown files (relc docs update)");
static List<std::string> docsArgs(cl::Positional, cl::OneOrMore,
                                  cl::desc("update <markdown files>"),
                                  cl::sub(docsCmd), cl::cat(relcCategory));
static Opt<bool> docsCheck(
    "check", cl::desc("Write nothing; exit 1 with a diff if a region is stale"),
    cl::sub(docsCmd), cl::cat(relcCategory));
static Opt<bool>
    docsWrite("write",
              cl::desc("Rewrite stale regions (the default; for pre-commit "
                       "hooks whose default is --check)"),
              cl::sub(docsCmd), cl::cat(relcCategory));

static cl::SubCommand fmtCmd("fmt", "Rewrite plan files in canonical layout");
static List<std::string> fmtFiles(cl::Positional, cl::OneOrMore,
                                  cl::desc("<plan files>"), cl::sub(fmtCmd),
                                  cl::cat(relcCategory));
static Opt<bool> fmtCheck(
    "check",
    cl::desc("Change nothing; list the files that are not formatted and "
             "exit 1 if there are any"),
    cl::sub(fmtCmd), cl::cat(relcCategory));
static Opt<bool>
    fmtWrite("write",
             cl::desc("Rewrite the files (the default; for pre-commit hooks "
                      "whose default is --check)"),
             cl::sub(fmtCmd), cl::cat(relcCategory));
static Opt<bool> fmtStdout("stdout",
                           cl::desc("Print the formatted text instead of "
                                    "rewriting the files"),
                           cl::sub(fmtCmd), cl::cat(relcCategory));
// What editors and pipes need: a buffer checked or formatted where it
// stands, before it is saved.
static Opt<std::string> stdinFilename(
    "stdin-filename",
    cl::desc("The file that '-' (standard input) stands for: diagnostics "
             "name it, and its project and models are found beside it "
             "(default: <stdin>)"),
    cl::value_desc("path"), cl::sub(checkCmd), cl::sub(fmtCmd),
    cl::cat(relcCategory));

static Opt<unsigned>
    errorLimit("error-limit",
               cl::desc("Stop reporting after this many errors (0: no limit)"),
               cl::init(20), cl::sub(checkCmd), cl::sub(fmtCmd),
               cl::sub(matrixCmd), cl::sub(graphCmd), cl::sub(emitCmd),
               cl::sub(runCmd), cl::sub(calendarCmd), cl::sub(docsCmd),
               cl::cat(relcCategory));

static const cl::ValuesClass diagFormats = cl::values(
    clEnumValN(DiagFormat::Text, "text",
               "file:line:col: error: message [kind], the line, a caret"),
    clEnumValN(DiagFormat::Json, "json", "one JSON object per line"),
    clEnumValN(DiagFormat::Sarif, "sarif",
               "a SARIF 2.1.0 log, for GitHub code scanning"),
    clEnumValN(DiagFormat::Github, "github",
               "GitHub Actions workflow commands (::error file=...::)"));
static Opt<DiagFormat> diagnosticsFormat(
    "diagnostics-format",
    cl::desc("How to print diagnostics: to standard error, or as json or "
             "sarif to standard output for check and fmt --check"),
    cl::init(DiagFormat::Text), diagFormats, cl::sub(checkCmd), cl::sub(fmtCmd),
    cl::sub(matrixCmd), cl::sub(graphCmd), cl::sub(emitCmd), cl::sub(runCmd),
    cl::sub(calendarCmd), cl::sub(docsCmd), cl::cat(relcCategory));
static Opt<std::string> diagnosticsOutput(
    "diagnostics-output",
    cl::desc("Write the diagnostics to this file (atomically, when the "
             "command is done) instead"),
    cl::value_desc("file"), cl::sub(checkCmd), cl::sub(fmtCmd),
    cl::sub(matrixCmd), cl::sub(graphCmd), cl::sub(emitCmd), cl::sub(runCmd),
    cl::sub(calendarCmd), cl::sub(docsCmd), cl::cat(relcCategory));
// For the pre-commit hooks that run beside relc-check: the errors of a plan
// are reported once, by relc-check, not again by each hook that reads it.
static Opt<bool> skipInvalid(
    "skip-invalid",
    cl::desc("Skip plans and models with errors, reporting nothing about "
             "them (relc check reports them)"),
    cl::sub(fmtCmd), cl::sub(emitCmd), cl::sub(docsCmd), cl::cat(relcCategory));
// matrix and graph have their own --format; the commands whose only other
// output is diagnostics take it as short for --diagnostics-format.
static Opt<DiagFormat> diagnosticsFormatShort(
    "format", cl::desc("The same as --diagnostics-format"),
    cl::init(DiagFormat::Text), diagFormats, cl::sub(checkCmd), cl::sub(fmtCmd),
    cl::sub(emitCmd), cl::cat(relcCategory));

static cl::SubCommand
    initCmd("init", "Write a project file and a first release file for the "
                    "git repository relc runs in");
static Opt<std::string>
    initDir("dir",
            cl::desc("Where to write them (default: plans/ at the top of the "
                     "work tree)"),
            cl::value_desc("dir"), cl::sub(initCmd), cl::cat(relcCategory));
static Opt<bool> initForce("force", cl::desc("Replace the files if they exist"),
                           cl::sub(initCmd), cl::cat(relcCategory));
static Opt<std::string> initToday(
    "today", cl::desc("Take this date as today for the proposed schedule"),
    cl::value_desc("YYYY-MM-DD"), cl::sub(initCmd), cl::cat(relcCategory));

static cl::SubCommand
    explainCmd("explain",
               "Explain a diagnostic kind: what it means, an example, the fix");
static Opt<std::string> explainKind(cl::Positional, cl::desc("<kind>"),
                                    cl::sub(explainCmd), cl::cat(relcCategory));
static Opt<bool>
    explainAll("all",
               cl::desc("Every kind; exit 2 if docs/diagnostics.md and the "
                        "registry of kinds disagree"),
               cl::sub(explainCmd), cl::cat(relcCategory));
static Opt<ExplainOptions::Format> explainFormat(
    "format", cl::desc("Output format"), cl::init(ExplainOptions::Format::Text),
    cl::values(clEnumValN(ExplainOptions::Format::Text, "text", "for reading"),
               clEnumValN(ExplainOptions::Format::Markdown, "markdown",
                          "the kind's row of docs/diagnostics.md")),
    cl::sub(explainCmd), cl::cat(relcCategory));

static DiagnosticOptions diagnosticOptions() {
  DiagnosticOptions opts;
  opts.format = diagnosticsFormat.getNumOccurrences() ? diagnosticsFormat
                                                      : diagnosticsFormatShort;
  opts.errorLimit = errorLimit;
  opts.skipInvalid = skipInvalid;
  return opts;
}

static const char overview[] =
    "relc: a declarative release-plan compiler\n\n"
    "  relc init [--force]               first plans for this git repository\n"
    "  relc check [--emit=ast] FILE...   parse and check plans\n"
    "  relc fmt [--check] FILE...        canonical layout\n"
    "  relc matrix [--format=F] FILE...  the legs of release matrices\n"
    "  relc graph [--format=F] FILE      the step graph of a release\n"
    "  relc emit github|gitlab FILE -o OUT  CI configuration\n"
    "  relc run FILE --stage S [--execute]  run a stage (dry by "
    "default)\n"
    "  relc calendar [--format=F] FILE...  release dates (iCalendar, "
    "Markdown)\n"
    "  relc docs update [--check] MD...  regenerate relc regions in "
    "Markdown\n"
    "  relc lsp                          a language server for "
    "editors\n"
    "  relc explain KIND                 what a diagnostic means, the "
    "fix\n\n"
    "Diagnostics go to standard error, as text or, with "
    "--diagnostics-format,\n"
    "as JSON Lines, SARIF or GitHub workflow commands; JSON and SARIF go to\n"
    "standard output for check and fmt --check, which print nothing else,\n"
    "and to a file with --diagnostics-output FILE.\n"
    "Exit codes: 0 clean, 1 the input has errors, 2 usage or I/O "
    "problems.\n";

static int runCommand(DriverEnv &env);

int relc::runDriver(llvm::ArrayRef<const char *> argv,
                    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs,
                    std::istream &in, llvm::raw_ostream &out,
                    llvm::raw_ostream &err) {
  DriverEnv env{std::move(fs), in, out, err, nullptr, {}, {}, {}};
  const char *modelPath = std::getenv("RELC_MODEL_PATH");
  std::string executable = llvm::sys::fs::getMainExecutable(
      argv.empty() ? "relc" : argv[0],
      reinterpret_cast<void *>(&relc::runDriver));
  env.modelDirs = modelSearchPath(modelPath ? modelPath : "", executable);
  env.modelCacheDir = modelCacheDir();
  env.relcBuild = buildStamp(executable);
  cl::ResetAllOptionOccurrences();
  // LLVM's own options stay out of help and suggestions: those of the
  // command argv names, or of the top level and every command when it
  // names none (walking them all was 1% of a small `relc check`).
  cl::SubCommand *commands[] = {&checkCmd,    &fmtCmd,  &matrixCmd, &graphCmd,
                                &emitCmd,     &runCmd,  &lspCmd,    &explainCmd,
                                &calendarCmd, &docsCmd, &initCmd};
  llvm::StringRef named = argv.size() > 1 ? argv[1] : "";
  bool known = llvm::any_of(
      commands, [&](cl::SubCommand *c) { return c->getName() == named; });
  if (!known)
    cl::HideUnrelatedOptions(relcCategory, *cl::TopLevelSubCommand);
  for (cl::SubCommand *c : commands)
    if (!known || c->getName() == named)
      cl::HideUnrelatedOptions(relcCategory, *c);

  if (argv.size() < 2) {
    err << "usage: relc <command> [options] <files>\n"
           "commands: init, check, fmt, matrix, graph, emit, run, calendar, "
           "docs, lsp, explain; 'relc --help' says more\n";
    return 2;
  }

  // Response files (`@args`) are read here, from the driver's file system;
  // llvm::cl would read them from the disk, and after --help was looked for.
  llvm::BumpPtrAllocator alloc;
  llvm::StringSaver saver(alloc);
  llvm::SmallVector<const char *, 32> args(argv.begin(), argv.end());
  if (llvm::any_of(argv.drop_front(),
                   [](const char *a) { return *a == '@'; })) {
    llvm::ErrorOr<std::string> cwd = env.fs->getCurrentWorkingDirectory();
    cl::ExpandResponseFiles(
        saver, cl::TokenizeGNUCommandLine, args,
        /*MarkEOLs=*/false, /*RelativeNames=*/false,
        /*ExpandBasePath=*/false,
        cwd ? llvm::Optional<llvm::StringRef>(*cwd) : llvm::None, *env.fs);
  }

  // llvm::cl picks the subcommand the same way: the first argument, if it
  // names one.
  cl::SubCommand *sub = &*cl::TopLevelSubCommand;
  if (args.size() >= 2 && args[1][0] != '-')
    for (cl::SubCommand *s : cl::getRegisteredSubcommands())
      if (!s->getName().empty() && s->getName() == args[1])
        sub = s;
  bool topLevel = sub == &*cl::TopLevelSubCommand;
  InfoRequest info = findInfoRequest(
      llvm::makeArrayRef(args).drop_front(topLevel ? 1 : 2), topLevel);
  if (info == InfoRequest::Version) {
    out << "relc " << RELC_VERSION << "\n";
    return 0;
  }
  if (info != InfoRequest::None) {
    printHelp(out, *sub, llvm::sys::path::filename(args[0]), overview, info,
              DescribedOption::find);
    return 0;
  }

  // What llvm::cl would report to llvm::errs() rather than to `err` is
  // reported here: an option that needs a value but ends the command line
  // (dropped, so llvm::cl does not see it), a bad value (Parser), a missing
  // required option (after parsing, where llvm::cl checks them).
  bool usageError = false;
  size_t first = topLevel ? 1 : 2;
  for (size_t i = first; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (arg == "--")
      break;
    // Not an option (an empty argument too, which has no first character).
    if (!arg.startswith("-"))
      continue;
    bool dashes = arg.startswith("--");
    llvm::StringRef name = arg.drop_front(dashes ? 2 : 1);
    if (name.empty() || name.contains('=') || (!dashes && name.size() != 1))
      continue;
    cl::Option *o = sub->OptionsMap.lookup(name);
    if (!o || o->getValueExpectedFlag() != cl::ValueRequired)
      continue;
    if (i + 1 < args.size()) {
      ++i; // Its value.
      continue;
    }
    // Not o->error(): llvm::cl knows the program's name only once parsing.
    err << llvm::sys::path::filename(args[0]) << ": for the "
        << (o->ArgStr.size() == 1 ? "-" : "--") << o->ArgStr
        << " option: it needs a value\n";
    args.erase(args.begin() + i);
    usageError = true;
  }
  usageErrors = &err;
  bool parsed = cl::ParseCommandLineOptions(args.size(), args.data(), overview,
                                            &err, nullptr,
                                            /*LongOptionsUseDoubleDash=*/true);
  usageErrors = nullptr;
  for (cl::Option *required : {static_cast<cl::Option *>(&emitOutput),
                               static_cast<cl::Option *>(&runStage)})
    if (llvm::is_contained(required->Subs, sub) &&
        !required->getNumOccurrences()) {
      required->error("'relc " + sub->getName() + "' needs it (" +
                          required->HelpStr + ")",
                      llvm::StringRef(), err);
      usageError = true;
    }
  if (!parsed || usageError)
    return 2;

  // Diagnostics for programs go to standard output when the command has no
  // output of its own (as ruff's and actionlint's do), or to a file written
  // once the command is done, so a reader never sees half a SARIF log.
  std::string buffered;
  llvm::raw_string_ostream bufferOs(buffered);
  DiagFormat format = diagnosticOptions().format;
  bool machine = format == DiagFormat::Json || format == DiagFormat::Sarif;
  bool ownOutput = checkCmd ? checkEmit != CheckOptions::Emit::None
                            : !(fmtCmd && fmtCheck && !fmtStdout);
  if (!diagnosticsOutput.empty())
    env.diagnostics = &bufferOs;
  else if (machine && !ownOutput)
    env.diagnostics = &out;
  int rc = runCommand(env);
  if (diagnosticsOutput.empty())
    return rc;
  if (llvm::Error e =
          writeFileAtomic(diagnosticsOutput, bufferOs.str(), "relc-diag")) {
    err << "relc: error: cannot write '" << diagnosticsOutput
        << "': " << llvm::toString(std::move(e)) << "\n";
    return 2;
  }
  return rc;
}

/// Puts the text of standard input where `-` is among \p files: in a layer
/// of memory over the file system, at the path --stdin-filename gives, so
/// that everything reads it as that file (and not the file on disk). False
/// after a usage error.
static bool takeStandardInput(DriverEnv &env, std::vector<std::string> &files) {
  size_t dashes = llvm::count(files, "-");
  if (dashes == 0 && stdinFilename.getNumOccurrences()) {
    env.err << "relc: error: --stdin-filename names the text read from '-', "
               "and no file is '-'\n";
    return false;
  }
  if (dashes == 0)
    return true;
  if (dashes > 1) {
    env.err << "relc: error: '-' (standard input) is named more than once\n";
    return false;
  }
  std::string name = stdinFilename.getNumOccurrences()
                         ? std::string(stdinFilename)
                         : std::string("<stdin>");
  // In blocks: a character at a time through std::cin's stdio buffer took
  // longer than parsing what it read.
  std::string text;
  char block[65536];
  while (env.in.read(block, sizeof block) || env.in.gcount())
    text.append(block, env.in.gcount());
  if (env.in.bad()) {
    env.err << "relc: error: cannot read standard input\n";
    return false;
  }
  llvm::SmallString<256> at(name);
  llvm::ErrorOr<std::string> cwd = env.fs->getCurrentWorkingDirectory();
  if (!cwd || env.fs->makeAbsolute(at)) {
    env.err << "relc: error: cannot place standard input at '" << name << "'\n";
    return false;
  }
  llvm::sys::path::remove_dots(at, /*remove_dot_dot=*/true);
  auto memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  memory->addFile(at, /*ModificationTime=*/0,
                  llvm::MemoryBuffer::getMemBufferCopy(text, name));
  auto overlay =
      llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(env.fs);
  overlay->pushOverlay(memory);
  // Relative paths resolve against the working directory, as before.
  overlay->setCurrentWorkingDirectory(*cwd);
  env.fs = overlay;
  std::replace(files.begin(), files.end(), std::string("-"), name);
  return true;
}

/// Runs the command llvm::cl parsed.
static int runCommand(DriverEnv &env) {
  llvm::raw_ostream &err = env.err;
  if (checkCmd) {
    CheckOptions opts;
    opts.files.assign(checkFiles.begin(), checkFiles.end());
    if (!takeStandardInput(env, opts.files))
      return 2;
    opts.emit = checkEmit;
    opts.locations = !checkNoLocations;
    opts.parseOnly = checkParseOnly;
    opts.diagnostics = diagnosticOptions();
    return runCheck(opts, env);
  }
  if (matrixCmd) {
    MatrixOptions opts;
    opts.files.assign(matrixFiles.begin(), matrixFiles.end());
    opts.format = matrixFormat;
    opts.channel = matrixChannel;
    opts.explain = matrixExplain;
    opts.matrix = matrixName;
    opts.where = matrixWhere;
    opts.diagnostics = diagnosticOptions();
    return runMatrix(opts, env);
  }
  if (graphCmd) {
    GraphOptions opts;
    opts.file = graphFile;
    opts.format = graphFormat;
    opts.stage = graphStage;
    opts.rc = graphRc.getNumOccurrences() ? int(graphRc) : -1;
    opts.diagnostics = diagnosticOptions();
    return runGraph(opts, env);
  }
  if (emitCmd) {
    if (emitArgs.size() != 2 ||
        (emitArgs[0] != "github" && emitArgs[0] != "gitlab")) {
      err << "relc emit: usage: relc emit github|gitlab PLAN -o OUTPUT\n";
      return 2;
    }
    EmitOptions opts;
    opts.backend = emitArgs[0];
    opts.file = emitArgs[1];
    opts.output = emitOutput;
    opts.lock = emitLock;
    opts.check = emitCheck;
    opts.split = !emitNoSplit;
    opts.diagnostics = diagnosticOptions();
    return runEmit(opts, env);
  }
  if (runCmd) {
    RunOptions opts;
    opts.file = runFile;
    opts.stage = runStage;
    if (runRc.getNumOccurrences())
      opts.rc = runRc;
    opts.step = runStep;
    opts.leg = runLeg;
    opts.legArtifacts = runLegArtifacts;
    opts.repo = runRepo;
    opts.remote = runRemote;
    opts.execute = runExecute;
    opts.stateDir = runStateDir;
    opts.approvals.assign(runApprove.begin(), runApprove.end());
    opts.partnerRemotes.assign(runPartnerRemote.begin(),
                               runPartnerRemote.end());
    opts.today = runToday;
    opts.artifacts = runArtifacts;
    opts.timeout = runTimeout;
    opts.format = runFormat;
    opts.debugKill = runDebugKill;
    opts.diagnostics = diagnosticOptions();
    return runRun(opts, env);
  }
  if (lspCmd) {
    LspOptions opts;
    opts.maxMessageSize = lspMaxMessageSize;
    return runLsp(opts, env);
  }
  if (explainCmd) {
    if (explainAll == !explainKind.empty()) {
      err << "relc explain: usage: relc explain KIND, or relc explain --all\n";
      return 2;
    }
    ExplainOptions opts;
    opts.kind = explainKind;
    opts.all = explainAll;
    opts.format = explainFormat;
    return runExplain(opts, env);
  }
  if (initCmd) {
    InitOptions opts;
    opts.dir = initDir;
    opts.force = initForce;
    opts.today = initToday;
    return runInit(opts, env);
  }
  if (calendarCmd) {
    CalendarOptions opts;
    opts.files.assign(calendarFiles.begin(), calendarFiles.end());
    opts.format = calendarFormat;
    if (const char *epoch = std::getenv("SOURCE_DATE_EPOCH"))
      opts.sourceDateEpoch = epoch;
    opts.diagnostics = diagnosticOptions();
    return runCalendar(opts, env);
  }
  if (docsCmd) {
    if (docsArgs.size() < 2 || docsArgs[0] != "update") {
      err << "relc docs: usage: relc docs update [--check] MARKDOWN...\n";
      return 2;
    }
    if (docsCheck && docsWrite) {
      err << "relc docs update: error: --check and --write exclude each "
             "other\n";
      return 2;
    }
    DocsOptions opts;
    opts.files.assign(docsArgs.begin() + 1, docsArgs.end());
    opts.check = docsCheck;
    opts.diagnostics = diagnosticOptions();
    return runDocsUpdate(opts, env);
  }
  if (fmtCmd) {
    if (fmtWrite && (fmtCheck || fmtStdout)) {
      err << "relc fmt: error: --write excludes --check and --stdout\n";
      return 2;
    }
    FmtOptions opts;
    opts.files.assign(fmtFiles.begin(), fmtFiles.end());
    bool fromStdin = llvm::is_contained(opts.files, "-");
    if (fromStdin && fmtWrite) {
      err << "relc fmt: error: standard input ('-') cannot be rewritten; its "
             "formatted text goes to standard output\n";
      return 2;
    }
    if (!takeStandardInput(env, opts.files))
      return 2;
    opts.check = fmtCheck;
    // There is no file to rewrite: the text goes where it came from.
    opts.toStdout = fmtStdout || (fromStdin && !fmtCheck);
    opts.listFiles = env.diagnostics != &env.out;
    opts.diagnostics = diagnosticOptions();
    return runFmt(opts, env);
  }
  err << "relc: error: no command given; commands: init, check, fmt, matrix, "
         "graph, emit, run, calendar, docs, lsp, explain\n";
  return 2;
}
