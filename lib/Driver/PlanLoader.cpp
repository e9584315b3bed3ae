//===- PlanLoader.cpp - Reading a plan and the files it depends on
//---------===//
//
// Files are keyed by their real path, so a project reached through two
// spellings of its path is read once, and a cycle is seen as the file being
// entered again while it is still loading.
//
//===----------------------------------------------------------------------===//
#include "Driver/PlanLoader.h"

#include "AST/Formatter.h"
#include "Basic/SourceFiles.h"
#include "Basic/Suggest.h"
#include "Sema/Plan.h"
#include "Sema/Sema.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace relc;

std::string relc::realPathOf(llvm::StringRef path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real))
    return path.str();
  return std::string(real);
}

/// An import's path is relative to the directory of the importing file.
static std::string importTarget(llvm::StringRef dir, const ast::Import &imp) {
  llvm::SmallString<256> target(imp.path->value);
  if (!llvm::sys::path::is_absolute(target)) {
    target = dir;
    llvm::sys::path::append(target, imp.path->value);
  }
  return std::string(target);
}

const ast::File *PlanLoader::loadFile(llvm::StringRef path,
                                      llvm::SMRange importedAt) {
  std::string key = realPathOf(path);
  if (loading.lookup(key)) {
    diags.report(DiagKind::ImportCycle, importedAt,
                 "'" + path + "' imports itself through this import");
    return nullptr;
  }
  auto it = files.find(key);
  if (it != files.end())
    return it->second.get();

  unsigned id = 0;
  auto open = overlay ? overlay->find(key)
                      : llvm::StringMap<std::string>::const_iterator();
  if (overlay && open != overlay->end()) {
    id = diags.getSourceMgr().AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(open->second, path),
        importedAt.Start);
    if (!checkSourceText(diags, id))
      id = 0;
  } else {
    id = loadSourceFile(diags, path, importedAt);
  }
  if (!id)
    return nullptr;
  std::unique_ptr<ast::File> file = parseBuffer(diags, id, options);
  if (!file)
    return nullptr;

  loading[key] = true;
  bool ok = true;
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  for (const ast::Import &imp : file->imports) {
    const ast::File *imported =
        loadFile(importTarget(dir, imp), imp.path->getRange());
    if (!imported) {
      ok = false;
      continue;
    }
    if (imported->kind != ast::File::Kind::Project) {
      diags.report(DiagKind::ImportNotProject, imp.path->getRange(),
                   "'" + imp.path->value +
                       "' is a release file; only project files can be "
                       "imported");
      ok = false;
    }
  }
  loading[key] = false;
  if (!ok)
    return nullptr;
  const ast::File *result = file.get();
  files[key] = std::move(file);
  return result;
}

const ast::File *PlanLoader::findProject(const ast::File &release) {
  const std::string &name = release.name.text;
  // An explicit import wins; it must be the project the release names.
  llvm::StringRef dir = llvm::sys::path::parent_path(release.path);
  for (const ast::Import &imp : release.imports) {
    const ast::File *p = loadFile(importTarget(dir, imp), imp.path->getRange());
    if (p && p->name.text == name)
      return p;
  }
  if (!release.imports.empty()) {
    diags.report(DiagKind::ProjectMismatch, release.name.range,
                 "release of '" + name + "' imports no project of that name");
    return nullptr;
  }
  for (std::string candidate :
       {name + ".relplan", std::string("project.relplan")}) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, candidate);
    if (!llvm::sys::fs::exists(path) ||
        realPathOf(path) == realPathOf(release.path))
      continue;
    const ast::File *p = loadFile(path, release.name.range);
    if (!p)
      return nullptr;
    if (p->kind == ast::File::Kind::Project && p->name.text == name)
      return p;
  }
  diags.report(DiagKind::ProjectNotFound, release.name.range,
               "cannot find project '" + name +
                   "'; import its file, or put "
                   "it in '" +
                   name +
                   ".relplan' or 'project.relplan' beside "
                   "this file");
  return nullptr;
}

std::optional<LoadedPlan> PlanLoader::load(llvm::StringRef path) {
  const ast::File *file = loadFile(path, {});
  if (!file)
    return std::nullopt;
  LoadedPlan plan{file, file};
  if (file->kind == ast::File::Kind::Release) {
    plan.project = findProject(*file);
    if (!plan.project)
      return std::nullopt;
  }
  return plan;
}

const ast::File *PlanLoader::parseOnly(llvm::StringRef path) {
  unsigned id = loadSourceFile(diags, path);
  if (!id)
    return nullptr;
  std::unique_ptr<ast::File> file = parseBuffer(diags, id, options);
  const ast::File *result = file.get();
  if (file)
    unlinked.push_back(std::move(file));
  return result;
}

std::unique_ptr<sema::Plan> relc::loadRelease(PlanLoader &loader,
                                              DiagnosticEngine &diags,
                                              llvm::StringRef path,
                                              llvm::StringRef command) {
  std::optional<LoadedPlan> loaded = loader.load(path);
  if (!loaded)
    return nullptr;
  if (loaded->file->kind != ast::File::Kind::Release) {
    diags.report(DiagKind::MisplacedItem, loaded->file->unitRange.Start,
                 "'relc " + command + "' takes release files; this is the " +
                     "project");
    return nullptr;
  }
  return sema::analyze(diags, *loaded->file, *loaded->project);
}

bool relc::checkStageName(DiagnosticEngine &diags, const sema::Plan &plan,
                          llvm::StringRef file, llvm::StringRef stage) {
  std::vector<std::string> names;
  for (const sema::Stage &s : plan.stages)
    names.push_back(s.name);
  if (llvm::is_contained(names, stage))
    return true;
  diags.report(DiagKind::UnknownName, llvm::SMRange(),
               "plan " + file + " has no stage '" + stage + "'" +
                   didYouMean(stage, names));
  return false;
}

std::vector<std::unique_ptr<sema::Plan>>
relc::loadReleases(PlanLoader &loader, DiagnosticEngine &diags,
                   llvm::ArrayRef<std::string> paths, llvm::StringRef command) {
  std::vector<std::unique_ptr<sema::Plan>> plans;
  for (const std::string &path : paths) {
    std::unique_ptr<sema::Plan> plan =
        loadRelease(loader, diags, path, command);
    if (!plan)
      continue;
    auto same = llvm::find_if(plans, [&](const auto &p) {
      return p->project == plan->project && *p->version == *plan->version;
    });
    if (same == plans.end()) {
      plans.push_back(std::move(plan));
    } else if ((*same)->file != plan->file) {
      diags.report(DiagKind::DuplicateDefinition, plan->file->unitRange.Start,
                   "release " + plan->project + " " + plan->version->str() +
                       " is planned twice");
      diags.note((*same)->file->unitRange.Start, "also planned here");
    }
  }
  return plans;
}
