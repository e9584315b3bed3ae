//===- Compilation.cpp - One run of relc over plans -----------------------===//
//
// The steps of the pipeline, in the order they run. Everything is read
// through the compilation's file system: the diagnostics engine carries it to
// loadSourceFile, which plans, models and the actions lock all go through.
//
//===----------------------------------------------------------------------===//
#include "Driver/Compilation.h"

#include "Basic/Suggest.h"
#include "Compat/Model.h"
#include "Sema/Plan.h"
#include "Sema/Sema.h"

#include "llvm/Support/Path.h"

#include <map>

using namespace relc;

Compilation::Compilation(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs,
                         llvm::raw_ostream &err, const DiagnosticOptions &opts,
                         std::vector<sema::ModelDir> modelDirs)
    : fs(std::move(fs)), diags(sm, err, opts.format), loader(diags),
      modelDirs(std::move(modelDirs)), skipInvalid(opts.skipInvalid) {
  diags.setFileSystem(*this->fs);
  diags.setErrorLimit(opts.errorLimit);
}

Compilation::Compilation(const DriverEnv &env, const DiagnosticOptions &opts)
    : Compilation(env.fs, env.diagStream(), opts, env.modelDirs) {
  if (!env.modelCacheDir.empty())
    models.disk.emplace(env.modelCacheDir, env.relcBuild);
}

std::string relc::buildStamp(llvm::StringRef executable) {
  llvm::sys::fs::file_status st;
  if (executable.empty() || llvm::sys::fs::status(executable, st))
    return "";
  return std::to_string(st.getSize()) + "@" +
         std::to_string(
             st.getLastModificationTime().time_since_epoch().count());
}

std::string relc::modelCacheDir() {
  if (const char *dir = std::getenv("RELC_CACHE_DIR"))
    return dir;
  llvm::SmallString<256> path;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    path = xdg;
  else if (const char *home = std::getenv("HOME"); home && *home)
    llvm::sys::path::append(path, home, ".cache");
  else
    return "";
  llvm::sys::path::append(path, "relc");
  return std::string(path);
}

std::vector<sema::ModelDir> relc::modelSearchPath(llvm::StringRef modelPath,
                                                  llvm::StringRef executable) {
  std::vector<sema::ModelDir> dirs;
  llvm::SmallVector<llvm::StringRef, 4> parts;
  modelPath.split(parts, ':', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef dir : parts)
    dirs.push_back({dir.str(), "RELC_MODEL_PATH"});
  if (!executable.empty()) {
    llvm::SmallString<256> dir(llvm::sys::path::parent_path(executable));
    llvm::sys::path::append(dir, "..", "share", "relc", "compat");
    llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
    dirs.push_back({std::string(dir), "beside relc"});
  }
  return dirs;
}

bool Compilation::isModelPath(llvm::StringRef path) {
  return path.endswith(".yaml") || path.endswith(".yml");
}

namespace {
/// Keeps the engine quiet while plans and models are read, if the command
/// skips invalid ones (--skip-invalid).
class QuietInputs {
public:
  QuietInputs(DiagnosticEngine &diags, bool skip)
      : diags(diags), was(diags.isQuiet()) {
    diags.setQuiet(was || skip);
  }
  ~QuietInputs() { diags.setQuiet(was); }

private:
  DiagnosticEngine &diags;
  bool was;
};
} // namespace

std::optional<LoadedPlan> Compilation::parse(llvm::StringRef path) {
  QuietInputs quiet(diags, skipInvalid);
  return loader.load(path);
}

const ast::File *Compilation::parseOnly(llvm::StringRef path) {
  QuietInputs quiet(diags, skipInvalid);
  return loader.parseOnly(path);
}

std::unique_ptr<sema::Plan> Compilation::analyze(const LoadedPlan &plan) {
  QuietInputs quiet(diags, skipInvalid);
  // The releases it goes with first, quietly: each has its own file to
  // `relc check`, and this one reports which does not check.
  auto checkAll = [&](llvm::ArrayRef<LoadedPlan> loaded) {
    std::vector<std::shared_ptr<const sema::Plan>> checked;
    for (const LoadedPlan &p : loaded) {
      QuietInputs partnerQuiet(diags, true);
      unsigned before = diags.errorCount();
      std::unique_ptr<sema::Plan> one = analyze(p);
      checked.push_back(diags.errorCount() == before ? std::move(one)
                                                     : nullptr);
    }
    return checked;
  };
  std::vector<std::shared_ptr<const sema::Plan>> partners =
      checkAll(plan.partners);
  std::vector<std::shared_ptr<const sema::Plan>> minorPartners;
  if (!plan.minorPlan.empty())
    minorPartners = checkAll(plan.minorPlan[0].partners);
  return sema::analyze(diags, *plan.file, *plan.project, modelDirs, &models,
                       plan.minor, partners, minorPartners);
}

bool Compilation::checkModel(llvm::StringRef path) {
  QuietInputs quiet(diags, skipInvalid);
  compat::Model model;
  return compat::loadModelFile(diags, path, llvm::SMRange(), model) &&
         compat::finishModel(diags, model);
}

std::unique_ptr<sema::Plan>
Compilation::check(llvm::StringRef path, bool parseOnly,
                   llvm::function_ref<void(const LoadedPlan &)> parsed) {
  // A model on its own: its authors need no plan to try it.
  if (isModelPath(path)) {
    checkModel(path);
    return nullptr;
  }
  std::optional<LoadedPlan> plan = parse(path);
  if (!plan)
    return nullptr;
  if (parsed)
    parsed(*plan);
  if (parseOnly)
    return nullptr;
  return analyze(*plan);
}

std::unique_ptr<sema::Plan> Compilation::loadRelease(llvm::StringRef path,
                                                     llvm::StringRef command) {
  std::optional<LoadedPlan> loaded = parse(path);
  if (!loaded)
    return nullptr;
  if (loaded->file->kind != ast::File::Kind::Release) {
    diags.report(DiagKind::MisplacedItem, loaded->file->unitRange.Start,
                 "'relc " + command + "' takes release files; this is the " +
                     "project");
    return nullptr;
  }
  return analyze(*loaded);
}

std::vector<std::unique_ptr<sema::Plan>>
Compilation::loadReleases(llvm::ArrayRef<std::string> paths,
                          llvm::StringRef command) {
  std::vector<std::unique_ptr<sema::Plan>> plans;
  // The first plan of each project and version, by index: a search through
  // the plans for each one would be quadratic in the files named.
  // Versions compare as PEP 440 says (1.0 is 1.0.0).
  std::map<std::pair<std::string, Version>, size_t> seen;
  for (const std::string &path : paths) {
    std::unique_ptr<sema::Plan> plan = loadRelease(path, command);
    if (!plan)
      continue;
    auto [at, fresh] = seen.emplace(
        std::make_pair(plan->project, *plan->version), plans.size());
    auto same = plans.begin() + at->second;
    if (fresh) {
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

bool Compilation::checkStageName(const sema::Plan &plan, llvm::StringRef file,
                                 llvm::StringRef stage) {
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

graph::Graph Compilation::lower(const sema::Plan &plan,
                                const graph::LowerOptions &opts,
                                llvm::StringRef displayPath) {
  return graph::lower(plan, opts, sm, displayPath);
}
