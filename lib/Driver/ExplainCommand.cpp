//===- ExplainCommand.cpp - relc explain KIND -----------------------------===//
//
// Prints what docs/diagnostics.md says about a diagnostic kind: its meaning,
// an example and the fix, from the copy of the file built into relc. With
// --all it prints every kind and checks the docs against the registry, so
// a kind without an entry fails the test suite.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"

#include "Basic/DiagnosticDocs.h"
#include "Basic/Diagnostics.h"
#include "Basic/Suggest.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

/// \p text in lines of at most \p width columns, each indented by two.
static void printWrapped(llvm::raw_ostream &os, llvm::StringRef text,
                         size_t width = 78) {
  size_t column = 0;
  llvm::SmallVector<llvm::StringRef, 32> words;
  text.split(words, ' ', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef w : words) {
    if (column && column + 1 + w.size() > width) {
      os << '\n';
      column = 0;
    }
    os << (column ? " " : "  ") << w;
    column += (column ? 1 : 2) + w.size();
  }
  os << '\n';
}

static void printText(llvm::raw_ostream &os, const DiagKindInfo &info,
                      const DiagDoc &doc) {
  const char *severity = info.io ? "error, exit 2"
                         : info.severity == Severity::Warning
                             ? "warning, exit 0 if alone"
                             : "error, exit 1";
  os << info.id << " (" << severity << "): " << info.summary << "\n\n";
  os << "Meaning\n";
  printWrapped(os, doc.meaning);
  os << "\nExample\n";
  printWrapped(os, doc.example);
  os << "\nFix\n";
  printWrapped(os, doc.fix);
  os << "\nFrom docs/diagnostics.md, \"" << doc.section << "\".\n";
}

static void print(llvm::raw_ostream &os, const ExplainOptions &opts,
                  const DiagKindInfo &info, const DiagDoc &doc) {
  if (opts.format == ExplainOptions::Format::Markdown)
    os << doc.row << '\n';
  else
    printText(os, info, doc);
}

int relc::runExplain(const ExplainOptions &opts, const DriverEnv &env) {
  llvm::raw_ostream &out = env.out;
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, env.err);
  if (opts.all) {
    bool first = true;
    for (const DiagKindInfo &info : allDiagKinds()) {
      const DiagDoc *doc = findDiagDoc(info.id);
      if (!doc)
        continue;
      if (!first && opts.format == ExplainOptions::Format::Text)
        out << '\n';
      first = false;
      print(out, opts, info, *doc);
    }
    for (const std::string &problem : checkDiagDocs(diagDocs()))
      diags.report(DiagKind::InternalError, llvm::SMRange(), problem);
    diags.flush();
    return diags.exitCode();
  }

  // `[schedule-order]` as copied from a message is fine too.
  llvm::StringRef kind = opts.kind;
  if (kind.startswith("[") && kind.endswith("]"))
    kind = kind.drop_front().drop_back();
  std::vector<std::string> ids;
  for (const DiagKindInfo &info : allDiagKinds()) {
    if (info.id != kind) {
      ids.push_back(info.id.str());
      continue;
    }
    const DiagDoc *doc = findDiagDoc(info.id);
    if (!doc) {
      diags.report(DiagKind::InternalError, llvm::SMRange(),
                   "docs/diagnostics.md has no entry for '" + kind + "'");
      return diags.exitCode();
    }
    print(out, opts, info, *doc);
    return 0;
  }
  diags.report(DiagKind::UnknownName, llvm::SMRange(),
               "no diagnostic kind '" + kind + "'" + didYouMean(kind, ids) +
                   " ('relc explain --all' lists them)");
  return diags.exitCode();
}
