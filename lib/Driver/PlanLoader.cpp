//===- PlanLoader.cpp - Reading a plan and the files it depends on
//---------===//
//
// Files are keyed by their real path, so a project reached through two
// spellings of its path is read once, and a cycle is seen as the file being
// entered again while it is still loading.
//
//===----------------------------------------------------------------------===//
#include "Driver/PlanLoader.h"

#include "Basic/SourceFiles.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

using namespace relc;

std::string relc::realPathOf(llvm::vfs::FileSystem &fs, llvm::StringRef path) {
  llvm::SmallString<256> real;
  if (fs.getRealPath(path, real))
    return path.str();
  return std::string(real);
}

const std::string &PlanLoader::realPath(llvm::StringRef path) {
  auto [it, fresh] = realPaths.try_emplace(path);
  if (fresh)
    it->second = realPathOf(diags.getFileSystem(), path);
  return it->second;
}

/// Whether \p file is the minor release \p patch stands on.
static bool isMinorOf(const ast::File &file, const ast::File &patch) {
  return file.kind == ast::File::Kind::Release &&
         patch.kind == ast::File::Kind::Release && patch.releaseVersion &&
         file.releaseVersion && patch.releaseVersion->value.isPatch() &&
         file.name.text == patch.name.text &&
         file.releaseVersion->value ==
             patch.releaseVersion->value.minorRelease();
}

/// Whether \p file is a release that \p release goes with (`with NAME V;`).
static bool isPartnerOf(const ast::File &file, const ast::File &release) {
  if (file.kind != ast::File::Kind::Release || !file.releaseVersion)
    return false;
  for (const ast::Item &it : release.items)
    if (it.kind == ast::Item::Kind::With && it.name.text == file.name.text &&
        it.version->value == file.releaseVersion->value)
      return true;
  return false;
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
  std::string key = realPath(path);
  if (loading.lookup(key)) {
    diags.report(DiagKind::ImportCycle, importedAt,
                 "'" + path + "' imports itself through this import");
    return nullptr;
  }
  auto it = files.find(key);
  if (it != files.end())
    return it->second.get();

  unsigned id = loadSourceFile(diags, path, importedAt);
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
    // A patch release may import the minor it stands on, any release the
    // releases it goes with.
    if (imported->kind != ast::File::Kind::Project &&
        !isMinorOf(*imported, *file) && !isPartnerOf(*imported, *file)) {
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
  bool importsProject = false;
  for (const ast::Import &imp : release.imports) {
    const ast::File *p = loadFile(importTarget(dir, imp), imp.path->getRange());
    importsProject |= !p || p->kind == ast::File::Kind::Project;
    if (p && p->kind == ast::File::Kind::Project && p->name.text == name)
      return p;
  }
  // A patch that imports its minor has the minor's project.
  for (const ast::Import &imp : release.imports) {
    const ast::File *p = loadFile(importTarget(dir, imp), imp.path->getRange());
    if (p && isMinorOf(*p, release))
      return findProject(*p);
  }
  // Imports of the releases it goes with leave the project to be found.
  if (importsProject) {
    diags.report(DiagKind::ProjectMismatch, release.name.range,
                 "release of '" + name + "' imports no project of that name");
    return nullptr;
  }
  for (std::string candidate :
       {name + ".relplan", std::string("project.relplan")}) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, candidate);
    llvm::vfs::FileSystem &fs = diags.getFileSystem();
    if (!fs.exists(path) || realPath(path) == realPath(release.path))
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

const ast::File *PlanLoader::findMinor(const ast::File &patch) {
  const Version &v = patch.releaseVersion->value;
  Version minor = v.minorRelease();
  llvm::StringRef dir = llvm::sys::path::parent_path(patch.path);
  for (const ast::Import &imp : patch.imports) {
    const ast::File *p = loadFile(importTarget(dir, imp), imp.path->getRange());
    if (p && isMinorOf(*p, patch))
      return p;
  }
  std::string mm = std::to_string(v.major()) + "." + std::to_string(v.minor());
  for (std::string candidate : {mm + ".relplan", mm + ".0.relplan"}) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, candidate);
    if (!diags.getFileSystem().exists(path))
      continue;
    const ast::File *p = loadFile(path, patch.releaseVersion->getRange());
    if (!p)
      return nullptr;
    if (isMinorOf(*p, patch))
      return p;
  }
  diags.report(DiagKind::MinorNotFound, patch.releaseVersion->getRange(),
               "patch release " + v.str() + " stands on " + minor.str() +
                   ", and relc cannot find it; import its release file, or "
                   "put it in '" +
                   mm + ".relplan' beside this file");
  return nullptr;
}

const ast::File *PlanLoader::findPartner(const ast::File &release,
                                         const ast::Item &with) {
  const Version &v = with.version->value;
  std::string what = with.name.text + " " + v.str();
  llvm::StringRef dir = llvm::sys::path::parent_path(release.path);
  for (const ast::Import &imp : release.imports) {
    const ast::File *p = loadFile(importTarget(dir, imp), imp.path->getRange());
    if (p && p->kind == ast::File::Kind::Release &&
        p->name.text == with.name.text && p->releaseVersion->value == v)
      return p;
  }
  // Projects sit side by side (plans/pytorch, plans/torchvision), each
  // release in a file named after its minor, or after the whole version.
  llvm::SmallString<256> sibling(dir);
  llvm::sys::path::append(sibling, "..", with.name.text);
  llvm::sys::path::remove_dots(sibling, /*remove_dot_dot=*/true);
  std::string mm = std::to_string(v.major()) + "." + std::to_string(v.minor());
  std::vector<std::string> candidates;
  if (!v.isPatch())
    candidates.push_back(mm + ".relplan");
  candidates.push_back(v.str() + ".relplan");
  for (const std::string &candidate : candidates) {
    llvm::SmallString<256> path(sibling);
    llvm::sys::path::append(path, candidate);
    if (!diags.getFileSystem().exists(path))
      continue;
    const ast::File *p = loadFile(path, with.name.range);
    if (!p)
      return nullptr;
    if (p->kind == ast::File::Kind::Release && p->name.text == with.name.text &&
        p->releaseVersion->value == v)
      return p;
  }
  diags.report(DiagKind::PartnerNotFound, with.name.range,
               "cannot find release " + what + "; import its release file, " +
                   "or put it in '../" + with.name.text + "/" +
                   candidates.front() + "' beside this file's directory");
  return nullptr;
}

std::optional<LoadedPlan> PlanLoader::loadRelease(const ast::File *file) {
  LoadedPlan plan{file, file};
  if (file->kind != ast::File::Kind::Release)
    return plan;
  plan.project = findProject(*file);
  if (!plan.project)
    return std::nullopt;
  if (file->releaseVersion && file->releaseVersion->value.isPatch()) {
    plan.minor = findMinor(*file);
    if (!plan.minor)
      return std::nullopt;
  }
  std::string key = realPath(file->path);
  partnering[key] = true;
  if (plan.minor) {
    std::optional<LoadedPlan> minor = loadRelease(plan.minor);
    if (!minor)
      return std::nullopt;
    plan.minorPlan.push_back(std::move(*minor));
  }
  bool ok = true;
  for (const ast::Item &it : file->items) {
    if (it.kind != ast::Item::Kind::With)
      continue;
    const ast::File *p = findPartner(*file, it);
    if (p && partnering.lookup(realPath(p->path))) {
      diags.report(DiagKind::PartnerNotFound, it.name.range,
                   "release " + it.name.text + " " + it.version->str() +
                       " goes with this release through this 'with'; "
                       "releases cannot go with each other in a cycle");
      p = nullptr;
    }
    std::optional<LoadedPlan> partner;
    if (p)
      partner = loadRelease(p);
    if (!partner) {
      ok = false;
      continue;
    }
    plan.partners.push_back(std::move(*partner));
  }
  partnering[key] = false;
  if (!ok)
    return std::nullopt;
  return plan;
}

std::optional<LoadedPlan> PlanLoader::load(llvm::StringRef path) {
  const ast::File *file = loadFile(path, {});
  if (!file)
    return std::nullopt;
  return loadRelease(file);
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
