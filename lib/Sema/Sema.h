//===- Sema.h - Checking a plan against itself and the model ---*- C++ -*-===//
//
// Semantic analysis: resolves every name of a release file and its project,
// computes dates, loads the compatibility model, expands and checks the
// matrices, and enforces the rules of docs/language.md (schedule order,
// channel subsets, stage graph, irreversible steps). Each problem is a
// diagnostic of its own kind at the plan line, with a note at the model
// line it relies on where there is one.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_SEMA_SEMA_H
#define RELC_SEMA_SEMA_H

#include "Basic/Diagnostics.h"
#include "Compat/ModelCache.h"
#include "Sema/Plan.h"

#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace relc::sema {

/// A directory where `compat "NAME";` looks for NAME.yaml, and what put it
/// on the search path ("RELC_MODEL_PATH", "beside relc"): the diagnostic for
/// a name found nowhere lists every place it looked.
struct ModelDir {
  std::string path;
  std::string origin;
};

/// Compatibility models loaded and finished without errors, by the paths
/// they were read from, in order: one run over many releases of a project
/// (`relc check plans/*.relplan`) reads and checks its models once. A model
/// with errors is not kept, so each plan that names it reports them, as
/// without a cache.
struct ModelCache {
  std::map<std::vector<std::string>, std::shared_ptr<const compat::Model>>
      byPaths;
  /// Across runs: model sets that loaded without a diagnostic, on disk
  /// (compat::ModelDiskCache); none without a directory.
  std::optional<compat::ModelDiskCache> disk;
};

/// Checks \p file (a release, or a project on its own) with \p project and,
/// for a patch release, \p minor, the release file of the minor it stands on
/// (its schedule, and the matrices the patch does not redefine). \p partners
/// are the checked plans of the releases its `with` items name, in order
/// (null where one has errors); \p minorPartners those of its minor's.
/// Models named by name are searched in \p modelDirs, in order. Models
/// come from \p models when it holds them, and are added to it. Returns
/// the plan, or nullptr if there were errors (all reported).
std::unique_ptr<Plan>
analyze(DiagnosticEngine &diags, const ast::File &file,
        const ast::File &project, llvm::ArrayRef<ModelDir> modelDirs = {},
        ModelCache *models = nullptr, const ast::File *minor = nullptr,
        llvm::ArrayRef<std::shared_ptr<const Plan>> partners = {},
        llvm::ArrayRef<std::shared_ptr<const Plan>> minorPartners = {});

/// The names Sema knows by heart, for the language server's completion:
/// the settings of `repo` and of `patch policy`, the release placeholders
/// (`{version}`, ...) and the milestones whose order the schedule enforces.
llvm::ArrayRef<llvm::StringRef> repoSettingNames();
llvm::ArrayRef<llvm::StringRef> policySettingNames();
llvm::ArrayRef<llvm::StringRef> releasePlaceholderNames();
llvm::ArrayRef<llvm::StringRef> orderedMilestoneNames();

/// A `compat` string that names a bundled model rather than a file: no
/// slash and no extension (`compat "python";`).
bool isModelName(llvm::StringRef text);

/// Expands the matrices of \p plan (called by analyze); \p bases are the
/// project's matrices, which a release's matrix may take (`from NAME`).
bool expandMatrices(DiagnosticEngine &diags, Plan &plan,
                    const std::vector<const ast::Item *> &matrices,
                    const std::vector<const ast::Item *> &bases);

/// Compiles the fields a matrix declares (\p entries, in order) and checks
/// that each has exactly one value on every leg and channel (Fields.cpp).
/// Then compiles its recipes and, from the project's \p channels item (if
/// any), the channels' upload targets, and checks that exactly one build
/// recipe and at most one test recipe hold on each leg.
bool compileFields(DiagnosticEngine &diags, const Plan &plan, Matrix &m,
                   llvm::ArrayRef<const ast::MatrixEntry *> entries,
                   const compat::CondScope &scope,
                   const ast::Item *channels = nullptr);

/// Each leg of a matrix of \p plan lies within the matrix of the same name
/// (or the only matrix) of each release it goes with, on the axes the two
/// share: reported at the leg's value, with a note at the partner's matrix
/// (Partners.cpp). False if it reported.
bool checkPartnerMatrices(DiagnosticEngine &diags, const Plan &plan);

/// What the patch policy needs to know of one checked release, kept after
/// its plan is gone: `relc check` of many files keeps one of these each.
struct ReleaseFacts {
  std::string project;
  Version version;
  std::optional<Version> minor;     ///< Patch releases: the minor.
  std::optional<Milestone> release; ///< General availability.
  llvm::SMRange at;                 ///< The release's version, as written.
  std::vector<Patch> patches;       ///< Planned in its schedule.
  std::optional<unsigned> maxPerMinor;
  llvm::SMRange maxAt;
  bool onlyLatestMinor = false;
  llvm::SMRange latestAt;
};
ReleaseFacts releaseFacts(const Plan &plan);

/// The patch policy across releases of a project (each policy's own):
/// at most `max_per_minor` patch releases of a minor, counting those in
/// files of their own and those the minor's schedule plans; with
/// `only_latest_minor`, no patch of a minor on or after the release of a
/// later minor. Reports at the patch, with notes at the policy and at the
/// later minor; false if it reported.
bool checkPatchPolicy(DiagnosticEngine &diags,
                      llvm::ArrayRef<ReleaseFacts> releases);

/// `relc check --emit=plan`: the checked plan, one fact per line.
void printPlan(const Plan &plan, llvm::raw_ostream &os);

/// `relc matrix --explain`: why the leg \p spec ("3.12, linux-x86_64,
/// cuda 12.4", values in axis order) is in \p matrix or is not. False if
/// \p spec names no possible leg (reported).
bool explainLeg(DiagnosticEngine &diags, const Plan &plan, const Matrix &m,
                llvm::StringRef spec, llvm::raw_ostream &os);

} // namespace relc::sema

#endif // RELC_SEMA_SEMA_H
