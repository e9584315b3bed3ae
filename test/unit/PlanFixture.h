//===- PlanFixture.h - Plan text to a checked plan, for unit tests -*- C++
//-*-===//
//
// The tests of Sema, Graph, Emit and Exec start from plan text, not from
// files: this puts the text into a SourceMgr buffer, parses it, and runs
// Sema, the way PlanLoader does for files, with diagnostics kept in memory
// so a test can assert on their kinds and messages. Buffers are named as
// files (`/plans/project.relplan` by default) because Sema resolves paths
// (compat models, trackers) against the directory of the plan that names
// them.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_TEST_UNIT_PLANFIXTURE_H
#define RELC_TEST_UNIT_PLANFIXTURE_H

#include "Basic/Diagnostics.h"
#include "Sema/Plan.h"
#include "Sema/Sema.h"
#include "Syntax/Parser.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace relc::test {

/// The compatibility model plans with a matrix name: `compat "<this>";`.
inline std::string pythonModel() {
  return RELC_SOURCE_DIR "/plans/compat/python.yaml";
}

/// A release of the demo project the tests share: a matrix of four Pythons
/// (one experimental, test channel only) on two systems, each leg built by
/// one recipe (a matrix a build step builds must say how).
inline std::string demoRelease() {
  return R"(release demo 1.0.0 {
  compat ")" +
         pythonModel() + R"(";
  schedule { branch_cut 2026-11-02; release 2026-11-18; }
  matrix wheels {
    python 3.11 .. 3.14, 3.15 experimental only(test);
    os linux, macos;
    recipe build { runner "ubuntu-24.04"; command "make wheel"; artifacts "dist/*.whl"; }
  }
})";
}

/// The channels of the demo project, each with the upload target a build
/// that ships to it needs. A literal, to sit inside a project's raw string.
#define RELC_DEMO_CHANNELS                                                     \
  "channels test > release {\n"                                                \
  "    test { upload \"s3://wheels/test/\"; }\n"                               \
  "    release { upload \"s3://wheels/release/\"; }\n"                         \
  "  }\n"

/// One plan, checked in memory. Owns everything the plan points into (the
/// SourceMgr, the ASTs), so it must outlive what it returns.
class PlanFixture {
public:
  PlanFixture() : os(out), diags(sm, os) {}

  /// Checks a project file on its own.
  const sema::Plan *checkProject(llvm::StringRef project,
                                 llvm::StringRef projectPath = defaultProject) {
    const ast::File *p = parse(project, projectPath);
    if (!p)
      return nullptr;
    plan = sema::analyze(diags, *p, *p);
    return plan.get();
  }

  /// Checks a release file with its project.
  const sema::Plan *checkRelease(llvm::StringRef release,
                                 llvm::StringRef project,
                                 llvm::StringRef projectPath = defaultProject) {
    const ast::File *p = parse(project, projectPath);
    llvm::SmallString<128> releasePath(
        llvm::sys::path::parent_path(projectPath));
    llvm::sys::path::append(releasePath, "release.relplan");
    const ast::File *r = parse(release, releasePath);
    if (!p || !r)
      return nullptr;
    plan = sema::analyze(diags, *r, *p);
    return plan.get();
  }

  /// The ids of the errors and warnings reported so far, in order.
  std::vector<std::string> kinds() const {
    std::vector<std::string> ids;
    for (const Diagnostic &d : diags.diagnostics())
      if (d.severity != Severity::Note)
        ids.push_back(getDiagKindInfo(d.kind).id.str());
    return ids;
  }

  /// What the engine printed (for failure messages).
  std::string printed() {
    diags.flush();
    return os.str();
  }

  static constexpr llvm::StringLiteral defaultProject =
      "/plans/project.relplan";

  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os;
  DiagnosticEngine diags;
  std::vector<std::unique_ptr<ast::File>> files;
  std::unique_ptr<sema::Plan> plan;

private:
  const ast::File *parse(llvm::StringRef text, llvm::StringRef path) {
    unsigned id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, path), llvm::SMLoc());
    std::unique_ptr<ast::File> file = parseBuffer(diags, id);
    files.push_back(std::move(file));
    return files.back().get();
  }
};

/// A directory made for one test and removed after it.
class TempDir {
public:
  explicit TempDir(llvm::StringRef prefix = "relc-unit") {
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory(prefix, dir)) {
      dir.clear();
      return;
    }
    llvm::SmallString<256> real;
    if (!llvm::sys::fs::real_path(dir, real))
      dir = real;
  }
  ~TempDir() {
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  std::string path() const { return std::string(dir); }
  std::string path(llvm::StringRef name) const {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }
  /// Writes \p text to \p name under the directory.
  bool write(llvm::StringRef name, llvm::StringRef text) const {
    std::error_code ec;
    llvm::raw_fd_ostream f(path(name), ec);
    if (ec)
      return false;
    f << text;
    return true;
  }

private:
  llvm::SmallString<256> dir;
};

} // namespace relc::test

#endif // RELC_TEST_UNIT_PLANFIXTURE_H
