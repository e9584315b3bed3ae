//===- Commands.cpp - check and fmt
//----------------------------------------===//
//
// `check` loads each file with the project it belongs to and reports (a
// compatibility model, `.yaml` or `.yml`, is loaded and checked on its own);
// `fmt` reformats each file on its own, refusing to write anything unless the
// formatted text parses back to the same tree, and writes atomically (a
// temporary file beside the target, then a rename), so a plan is never left
// half-written.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"

#include "AST/Formatter.h"
#include "AST/Printer.h"
#include "Basic/SourceFiles.h"
#include "Sema/Sema.h"

#include "llvm/Support/BuryPointer.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

bool relc::processEndsAfterCommand = false;

void relc::endCommand(std::unique_ptr<Compilation> comp,
                      std::vector<std::unique_ptr<sema::Plan>> plans) {
  if (!processEndsAfterCommand) {
    plans.clear(); // Before the Compilation whose models they point into.
    comp.reset();
    return;
  }
  // Everything is said (finish() ends a SARIF log); the rest is memory.
  comp->getDiags().finish();
  for (std::unique_ptr<sema::Plan> &plan : plans)
    llvm::BuryPointer(std::move(plan));
  llvm::BuryPointer(std::move(comp));
}

int relc::runCheck(const CheckOptions &opts, const DriverEnv &env) {
  auto owned = std::make_unique<Compilation>(env, opts.diagnostics);
  Compilation &comp = *owned;
  DiagnosticEngine &diags = comp.getDiags();
  std::unique_ptr<sema::Plan> last;
  // What the patch policy needs of each release, checked across them all
  // at the end: a patch's file and its minor's may be given in any order.
  std::vector<sema::ReleaseFacts> releases;
  for (const std::string &path : opts.files) {
    diags.setSubject(path);
    std::unique_ptr<sema::Plan> checked =
        comp.check(path, opts.parseOnly, [&](const LoadedPlan &plan) {
          if (opts.emit == CheckOptions::Emit::AST)
            ast::printAST(*plan.file, comp.getSourceMgr(), env.out,
                          opts.locations);
        });
    if (checked && opts.emit == CheckOptions::Emit::Plan)
      sema::printPlan(*checked, env.out);
    if (checked && checked->version)
      releases.push_back(sema::releaseFacts(*checked));
    last = std::move(checked);
  }
  sema::checkPatchPolicy(diags, releases);
  diags.flush();
  int code = diags.exitCode();
  std::vector<std::unique_ptr<sema::Plan>> built;
  built.push_back(std::move(last));
  endCommand(std::move(owned), std::move(built));
  return code;
}

/// The AST dump without locations: equal for two texts that differ only in
/// layout and comments.
static std::string shape(const ast::File &file, const llvm::SourceMgr &sm) {
  std::string s;
  llvm::raw_string_ostream os(s);
  ast::printAST(file, sm, os, /*withLocations=*/false);
  return os.str();
}

int relc::runFmt(const FmtOptions &opts, const DriverEnv &env) {
  Compilation comp(env, opts.diagnostics);
  llvm::SourceMgr &sm = comp.getSourceMgr();
  DiagnosticEngine &diags = comp.getDiags();
  llvm::raw_ostream &out = env.out;
  for (const std::string &path : opts.files) {
    diags.setSubject(path);
    const ast::File *file = comp.parseOnly(path);
    if (!file)
      continue;
    std::string formatted = ast::formatFile(*file);

    // The formatter must never change what a plan means.
    unsigned id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(formatted, path + " (formatted)"),
        llvm::SMLoc());
    std::string scratchErrs;
    llvm::raw_string_ostream scratchOs(scratchErrs);
    DiagnosticEngine scratch(sm, scratchOs);
    std::unique_ptr<ast::File> again = parseBuffer(scratch, id);
    if (!again || shape(*again, sm) != shape(*file, sm)) {
      scratch.flush();
      diags.report(DiagKind::InternalError, llvm::SMRange(),
                   "formatting '" + path +
                       "' would change its meaning; left unchanged\n" +
                       scratchOs.str());
      continue;
    }

    llvm::StringRef original = sm.getMemoryBuffer(file->bufferId)->getBuffer();
    if (opts.toStdout) {
      out << formatted;
      continue;
    }
    if (original == formatted)
      continue;
    if (opts.check) {
      if (opts.listFiles)
        out << path << "\n";
      // Point at the first line that would change.
      size_t at = 0;
      while (at < original.size() && at < formatted.size() &&
             original[at] == formatted[at])
        ++at;
      while (at > 0 && original[at - 1] != '\n')
        --at;
      diags.report(DiagKind::NotFormatted,
                   llvm::SMLoc::getFromPointer(original.data() + at),
                   "not in canonical layout from this line on; run 'relc fmt " +
                       path + "'");
      continue;
    }
    if (llvm::Error e = writeFileAtomic(path, formatted, "relc-fmt"))
      diags.report(DiagKind::FileWriteFailed, llvm::SMRange(),
                   "cannot write '" + path +
                       "': " + llvm::toString(std::move(e)));
  }
  diags.flush();
  return diags.exitCode();
}
