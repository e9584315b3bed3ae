//===- Plan.h - A checked release plan -------------------------*- C++ -*-===//
//
// What Sema makes of a release file and its project once every name is
// resolved and every rule holds: dates computed, matrix values tied to the
// compatibility model, legs expanded. Later phases (the step graph, CI
// generation, the executor) read this and never the AST's loose names.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_SEMA_PLAN_H
#define RELC_SEMA_PLAN_H

#include "AST/AST.h"
#include "Compat/Conditions.h"
#include "Compat/Model.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <variant>

namespace relc::sema {

using compat::ValueRef;

struct Milestone {
  std::string name;
  Date date;
  llvm::SMRange range;
};

struct Patch {
  Version version;
  Date date;
  llvm::SMRange range;
};

/// A value as one matrix uses it: the model value plus what the plan says
/// about it there (pins, attributes, channels).
struct LegValue {
  ValueRef ref;
  std::map<std::string, Version> pins; ///< Per-value pins.
  bool experimental = false;
  uint32_t channels = ~0u;         ///< Bit i: plan channel i.
  bool channelsRestricted = false; ///< Written with `only(...)`.
  /// Where the release compatibility table (from the project's own release
  /// notes) and what is built disagree: `unlisted`, built but not in the
  /// table; `listed`, in the table though not built for its narrowest
  /// channel.
  bool unlisted = false, listed = false;
  /// `archs(8.0, 9.0)`: a subset of a list property of the value.
  struct Subset {
    std::vector<std::string> items;
    llvm::SMRange range;
  };
  std::map<std::string, Subset> attributes;
  llvm::SMRange range; ///< Where the plan writes it.
};

struct MatrixAxis {
  std::string name;
  unsigned modelAxis;
  std::vector<LegValue> values; ///< Declared values first, then include's.
  unsigned declared = 0;        ///< How many of `values` the axis lists.
  llvm::SMRange range;
};

/// Why a leg exists: the product of the axes, or an include.
struct LegOrigin {
  int include = -1; ///< Index into Matrix::includes, or -1: the product.
};

/// A per-leg field the plan declares (`desired_cuda =
/// "cu{accel.version|nodots}" where accel is cuda;`): text over the leg's
/// values, their model properties, earlier fields, the channel and the release.
/// Exactly one variant holds on each leg and channel (Sema checks it).
struct LegField {
  enum class Filter { Underscores, NoDots };
  struct Piece {
    enum class Kind {
      Text,     ///< `text`.
      Value,    ///< `{accel}`: `cuda 12.6`.
      Name,     ///< `{accel.name}`: `cuda`.
      Version,  ///< `{accel.version}`: `12.6`, empty for `cpu`.
      Property, ///< `{accel.KEY}`: the model's property on this leg.
      Field,    ///< `{desired_cuda}`: an earlier field.
      Channel,  ///< `{channel}`.
      Release   ///< `{version}`, `{major}`, `{minor}`: `text` says which.
    };
    Kind kind = Kind::Text;
    std::string text;   ///< Text; Property: the key; Release: the name.
    unsigned index = 0; ///< The matrix axis, or the field.
    std::vector<Filter> filters;
  };
  struct Variant {
    std::vector<Piece> pieces;
    compat::CondPtr where; ///< Null: always.
    bool usesChannel = false;
    llvm::SMRange range;
  };
  std::string name;
  std::vector<Variant> variants;
  bool usesChannel = false; ///< Its value may differ between channels.
  /// `_index`: a step towards other fields, not printed.
  bool shown() const { return name.empty() || name[0] != '_'; }
};

/// Text per leg in a recipe or a channel target: pieces as a field's, over
/// the leg's values, their properties, every field, the channel and the
/// release.
struct LegText {
  std::vector<LegField::Piece> pieces;
  llvm::SMRange range;
  bool empty() const { return pieces.empty(); }
};

/// How the legs of a matrix are built, tested or published
/// (docs/language.md, "Recipes"): `recipe build where COND { ... }`. Exactly
/// one build recipe holds on each leg, at most one test recipe.
struct Recipe {
  enum class Phase { Build, Test, Upload };
  Phase phase = Phase::Build;
  bool none = false;     ///< `recipe test none`: the legs are not tested.
  compat::CondPtr where; ///< Null: every leg.
  LegText runner, image, command;
  std::vector<std::pair<std::string, LegText>> env;
  std::vector<LegText> artifacts;
  bool accelerator = false; ///< The runner has the leg's accelerator.
  bool submodules = false;  ///< The checkout has the repository's submodules.
  llvm::SMRange range;
  static llvm::StringRef phaseName(Phase p);
};

/// Where one channel's packages go (`channels ... { test { upload "..."; } }`).
struct ChannelTarget {
  LegText upload; ///< `s3://bucket/whl/test/{desired_cuda}/`, `file:///srv/`.
  std::string index; ///< Where users install from.
  std::string role;  ///< The cloud role the upload assumes (CI's OIDC).
  llvm::SMRange range;
};

struct Matrix {
  std::string name;
  llvm::SMRange range;
  std::vector<MatrixAxis> axes;
  std::map<std::string, Version> pins; ///< `pin cudnn X;`
  /// Legs, `axes.size()` value indices each, flattened; row-major.
  std::vector<uint32_t> legValues;
  std::vector<uint32_t> legChannels;
  std::vector<LegOrigin> legOrigins;
  std::vector<const ast::MatrixEntry *> excludes, includes;
  std::vector<LegField> fields; ///< In declaration order.
  std::vector<Recipe> recipes;  ///< In declaration order.
  /// The upload targets of the channels, by plan channel index; the upload
  /// text is per matrix since it may name the matrix's fields.
  std::map<int, ChannelTarget> targets;

  size_t legCount() const { return legChannels.size(); }
  const LegValue &value(size_t leg, size_t axis) const {
    return axes[axis].values[legValues[leg * axes.size() + axis]];
  }
  bool experimental(size_t leg) const {
    for (size_t a = 0; a < axes.size(); ++a)
      if (value(leg, a).experimental)
        return true;
    return false;
  }
};

/// The derived values of the legs of one matrix: pins in force and model
/// properties, by key. What a value brings (its entry's properties, its
/// pins) is rendered once, here; only the model's overrides depend on the
/// whole leg, so a leg costs their conditions and no allocation.
class DerivedValues {
public:
  /// \p projects: what `PROJECT.release` compares in the model's overrides
  /// (Plan::projectVersions).
  DerivedValues(const compat::Model &model, const Matrix &m,
                const Version &release,
                const compat::ProjectVersions *projects = nullptr);

  using KeyValue = std::pair<llvm::StringRef, llvm::StringRef>;
  /// The derived values of \p leg in key order; valid until the next call.
  llvm::ArrayRef<KeyValue> of(size_t leg);
  /// What the value \p leg has on matrix axis \p axis brings for \p key on
  /// this leg (its entries' properties and overrides, its pins); nullopt if
  /// nothing. Valid until the next call.
  std::optional<llvm::StringRef> property(size_t leg, size_t axis,
                                          llvm::StringRef key);

private:
  /// Keys set to texts, in order: always, or when an override holds.
  struct Step {
    const compat::Cond *when = nullptr;
    std::vector<std::pair<unsigned, unsigned>> sets; ///< Key, text.
  };
  using Program = std::vector<Step>;
  void set(Program &p, const std::string &key, std::string text,
           const compat::Cond *when = nullptr);
  void run(const Program &p);

  const Matrix &m;
  std::vector<std::string> keys, texts;
  llvm::StringMap<unsigned> keyIds;
  std::vector<unsigned> keyOrder;           ///< Key ids sorted by key.
  Program pins;                             ///< The matrix's own pins.
  std::vector<std::vector<Program>> values; ///< Per axis, per value.
  std::vector<const ValueRef *> byAxis;
  compat::LegView view;
  std::vector<int> slots; ///< Per key: its text in this leg, or -1.
  std::vector<KeyValue> out;
};

struct Plan;

/// Renders the fields of a matrix's legs.
class FieldValues {
public:
  FieldValues(const Plan &plan, const Matrix &m);

  /// Why a leg has no value for a field.
  struct Problem {
    enum class Kind { NoVariant, TwoVariants, NoProperty } kind;
    size_t field = 0;
    const LegField::Variant *variant = nullptr, *other = nullptr;
    const LegField::Piece *piece = nullptr;
    int channel = -1;
  };
  /// The fields of \p leg as built for \p channel (a plan channel index,
  /// or -1 when none is chosen: fields that depend on it are then empty),
  /// in declaration order; false, with each field that has no value (left
  /// empty) in \p problems, if there is one.
  bool render(size_t leg, int channel, std::vector<std::string> &out,
              std::vector<Problem> *problems = nullptr);
  /// The problems render() would give \p leg for \p channel, found
  /// without rendering: which variant holds, and whether the leg has each
  /// property the variant names. Only the fields that depend on the
  /// channel with \p channelFieldsOnly.
  void check(size_t leg, int channel, bool channelFieldsOnly,
             std::vector<Problem> &problems);
  /// The first of \p ps that names a property \p leg lacks, if one does.
  const LegField::Piece *missingProperty(size_t leg,
                                         llvm::ArrayRef<LegField::Piece> ps);
  /// \p t on \p leg, given the leg's \p fields from render(); the piece
  /// naming a property the leg lacks, if one does (Sema reports it, so
  /// after Sema this cannot happen).
  const LegField::Piece *text(size_t leg, int channel, const LegText &t,
                              llvm::ArrayRef<std::string> fields,
                              std::string &out);
  /// The build and the test recipes that hold on \p leg for \p channel.
  void recipes(size_t leg, int channel, std::vector<const Recipe *> &build,
               std::vector<const Recipe *> &test);
  /// Whether \p leg runs on an accelerator: one of its values says so in
  /// the model (`device: gpu`, docs/compat-model.md).
  bool hasAccelerator(size_t leg);
  /// Renders `{version}` as a nightly's `VERSION.devDATE` (a recurring
  /// stage's build; \p date is `YYYYMMDD`, or `{date}` until a run binds it).
  void setNightly(std::string date) {
    nightly = std::move(date);
    rendered = nullptr;
  }

private:
  const compat::LegView &view(size_t leg, int channel);
  const LegField::Piece *pieces(size_t leg, int channel,
                                llvm::ArrayRef<LegField::Piece> ps,
                                llvm::ArrayRef<std::string> fields,
                                std::string &out);

  std::optional<Problem> renderField(size_t leg, size_t field, int channel,
                                     const compat::LegView &view,
                                     std::vector<std::string> &out);
  /// The variant of \p field that holds on \p leg in \p view, or why none
  /// does. Null, with no problem, where the field is left empty (\p channel
  /// is -1 and the field depends on it).
  std::optional<Problem> choose(size_t leg, size_t field, int channel,
                                const compat::LegView &view,
                                const LegField::Variant *&chosen);
  std::optional<Problem> chooseAnew(size_t field, int channel,
                                    const compat::LegView &view,
                                    const LegField::Variant *&chosen);
  /// Which variant of a field holds depends only on the values of the axes
  /// its conditions name (and on the channel): legs that agree on them
  /// share the answer, found once.
  struct Choices {
    std::vector<unsigned> axes; ///< Matrix axes; empty with `usable` unset.
    bool usable = false;        ///< At most three axes, small indices.
    /// Small, as a field's legs agree on a few values at most: a problem
    /// (which stops the check) is only marked, and found again when asked.
    struct Choice {
      const LegField::Variant *chosen;
      bool problem;
    };
    llvm::SmallDenseMap<uint64_t, Choice, 8> seen;
  };
  std::vector<Choices> choices; ///< By field, made at first use.

  const Plan &plan;
  const Matrix &m;
  DerivedValues derived;
  std::vector<const ValueRef *> byAxis;
  compat::LegView legView;
  std::optional<std::string> nightly;
  /// What render() last filled, and for which leg: a caller renders each
  /// leg for its channels in turn, and only the fields that depend on the
  /// channel change between them.
  const std::vector<std::string> *rendered = nullptr;
  size_t renderedLeg = 0;
};

/// A leg's derived values: pins in force and model properties, by key.
std::map<std::string, std::string>
derivedValues(const compat::Model &model, const Matrix &m, size_t leg,
              const Version &release,
              const compat::ProjectVersions *projects = nullptr);

/// Text with every name resolved (repo settings, release placeholders,
/// milestones) except the RC number, which only a run knows: the pieces
/// between `{rc}` holes.
class Template {
public:
  Template() = default;
  explicit Template(std::string text) : pieces{std::move(text)} {}

  void append(llvm::StringRef text) { pieces.back() += text; }
  void append(const Template &other);
  void appendRc() { pieces.emplace_back(); }

  /// The text with \p rc filled in; unbound, the hole stays `{rc}`.
  std::string bind(std::optional<unsigned> rc) const;
  bool hasRc() const { return pieces.size() > 1; }
  bool empty() const { return pieces.size() == 1 && pieces[0].empty(); }
  /// The pieces around the holes: a name with one hole is prefix, suffix.
  llvm::ArrayRef<std::string> parts() const { return pieces; }

private:
  std::vector<std::string> pieces{std::string()};
};

/// The repository a project ships from: every `repo` setting resolved, the
/// defaults of those left out set here and nowhere else.
struct Repository {
  std::string remote = "origin";
  std::string mainBranch = "main";
  /// Another repository the project drives (`repo builder { ... }`): its
  /// name, empty for the main one. A run reaches it through the remote
  /// `remote` of the clone it runs in (default: the name) or, if the clone
  /// has no such remote, through `url`.
  std::string name, url;
  llvm::SMRange range; ///< Its name in the plan.
};

//===------------------------------------------------------------- checks ===//

/// The built-in check functions (docs/language.md section 4.4). Sema checks
/// calls against this table; the executor dispatches on the enum.
enum class CheckFunctionKind {
  CherryPicksPresent,
  Trailers,
  RevertsPropagated,
  ArtifactSize,
  FileContains,
  PatchPicks
};

/// What an argument takes.
enum class ParamType {
  Ref,      ///< A branch or tag name, or a commit id, on the remote.
  Range,    ///< `A..B`: the commits on B that are not on A.
  Text,     ///< A string.
  Names,    ///< A list of names (`patch.categories`, `[a, b]`).
  Path,     ///< A file, relative to the plan file that names it.
  TreePath, ///< A file in the repository's tree, from its top.
  Glob,     ///< A file name pattern.
  Size,     ///< `1 GiB`.
};
llvm::StringRef paramTypeName(ParamType t);

struct CheckParam {
  llvm::StringLiteral name;
  ParamType type;
  bool required;
  llvm::StringLiteral doc;
};

struct CheckFunction {
  CheckFunctionKind kind;
  llvm::StringLiteral name;
  llvm::ArrayRef<CheckParam> params;
  llvm::StringLiteral doc;
  const CheckParam *param(llvm::StringRef name) const;
};

/// Every check function, in documentation order.
llvm::ArrayRef<CheckFunction> checkFunctions();
const CheckFunction *findCheckFunction(llvm::StringRef name);

/// An argument of a check call, typed by its parameter.
struct CheckArg {
  const CheckParam *param;
  /// As text: a ref, a path as written, a glob, a key; a range `A..B`; a
  /// list joined by `,`; a size.
  Template text;
  Template lo, hi;                ///< Range.
  std::vector<std::string> items; ///< Names.
  Template path;                  ///< Path: resolved against the plan file.
  Size size;                      ///< Size.
  llvm::SMRange range;
};

struct Check {
  std::string name;
  const CheckFunction *function;
  std::vector<CheckArg> args; ///< In the order written.
  llvm::SMRange range;
  const CheckArg *arg(llvm::StringRef name) const;
};

//===------------------------------------------------------------- stages ===//

/// How a build over a CI system's jobs-per-matrix limit is handled.
enum class SplitPolicy { Jobs, Refuse };

struct BranchStep {
  Template name, from;
};
struct TagStep {
  Template name, on;
  bool annotated = false;
  Template message;
};
struct CommitStep {
  Template file, content, branch, message;
};
/// `git.pin FILE = REPO.SETTING on BRANCH;`: a commit on BRANCH setting FILE
/// to the name `ref` has in repository `of` or (`as commit`) the commit it
/// names there when the step runs.
struct PinStep {
  Template file, ref, branch, message;
  std::string of; ///< The repository `ref` is in ("" : the main one).
  bool commit = false;
};
/// `record NAME = FILE on BRANCH;`: reads FILE at the head of BRANCH and
/// records its first line as NAME; `as commit`: it must be a commit id.
struct RecordStep {
  std::string name;
  Template file, on;
  bool commit = false;
};
struct BuildStep {
  std::string matrix, channel;
  std::optional<Duration> timeout;
  std::optional<SplitPolicy> split; ///< As written; unset: the default.
};
struct RequireStep {
  std::vector<std::string> checks;
};
struct ApprovalStep {
  Template group;
  std::optional<Duration> timeout;
};
struct CommandStep {
  Template command;
  std::optional<Duration> timeout;
  Template cwd;
  std::map<std::string, Template> env;
};
struct WaitStep {
  std::optional<Date> date; ///< Unset in a project checked alone.
};

/// A step of a stage with its options checked and its names resolved.
struct Step {
  using Payload =
      std::variant<BranchStep, TagStep, CommitStep, BuildStep, RequireStep,
                   ApprovalStep, CommandStep, WaitStep, PinStep, RecordStep>;
  Payload payload;
  bool once = false;
  /// The repository a git step works on (`in builder`): a name of
  /// Plan::repositories; empty: the main repository.
  std::string repo;
  /// What names the step in node ids: the operand as written (a setting's
  /// name, `release_branch`) where it is a name, else its text.
  Template idName;
  llvm::SMRange range;

  template <class T> const T *as() const { return std::get_if<T>(&payload); }
};

/// `after pytorch.rc`: a stage of a release this one goes with, done when
/// the tag its first `git.tag` step makes (with RC 1) is on that project's
/// remote.
struct PartnerWait {
  std::string project, version, stage;
  std::string tag;    ///< `v2.4.0-rc1`.
  std::string remote; ///< The partner project's `remote` setting.
  llvm::SMRange range;
};

struct Stage {
  std::string name;
  std::vector<std::string> params;
  std::vector<std::string> after;
  std::vector<PartnerWait> partners; ///< `after pytorch.rc`.
  std::optional<Date> notBefore;
  /// A cron line (UTC) for a stage that recurs (`on "0 7 * * *"`): each run
  /// builds main as `{version}.devYYYYMMDD`.
  std::string cron;
  std::vector<Step> steps;
  llvm::SMRange range; ///< The stage's name.
};

//===----------------------------------------------------------- overlays ===//

/// A value an overlay sets: YAML's scalars, lists and mappings.
struct OverlayValue {
  enum class Kind { String, Bool, Number, List, Map };
  Kind kind = Kind::String;
  std::string text;
  bool flag = false;
  int64_t number = 0;
  std::vector<OverlayValue> items;
  std::vector<std::pair<std::string, OverlayValue>> fields;
};

struct OverlayEntry {
  std::vector<std::string> path;
  bool append = false; ///< `+=` rather than `=`.
  OverlayValue value;
  llvm::SMRange range;
};

/// The CI backends an overlay may name.
llvm::ArrayRef<llvm::StringLiteral> overlayBackends();

/// What an overlay may do only when it says why (`allow WHAT "reason";`):
/// `excessive-permissions` (grant a job more than relc does),
/// `ungated-job` (remove or change an approval's environment; on GitLab,
/// make a job relc starts by hand start by itself), `secrets-inherit`
/// (`secrets: inherit`), `template-injection` (`${{` in a `run:` script,
/// `$[[` in a GitLab script), `artipacked` (a checkout that keeps the token
/// in .git/config).
llvm::ArrayRef<llvm::StringLiteral> overlayAllowances();

/// `allow excessive-permissions "the docs job deploys GitHub Pages";`
struct OverlayAllow {
  std::string what, reason;
  llvm::SMRange range;
};

/// `overlay github "build-*" { ... }`: edits to the generated jobs whose
/// ids match the glob, project first, then release.
struct Overlay {
  std::string backend, glob;
  std::vector<OverlayEntry> entries;
  std::vector<OverlayAllow> allows;
  llvm::SMRange globRange;
  const OverlayAllow *allowance(llvm::StringRef what) const {
    for (const OverlayAllow &a : allows)
      if (a.what == what)
        return &a;
    return nullptr;
  }
};

/// What a patch release (`2.4.1`) stands on: its minor (`2.4.0`), whose
/// branch it ships from and whose final tag its history starts after.
struct PatchBase {
  Version minor;
  const ast::File *file = nullptr;
  std::optional<Milestone> release; ///< The minor's release date.
  Template finalTag;                ///< `v2.4.0`; empty without `final_tag`.
};

struct Plan;

/// A release of another project this one goes with (`with pytorch 2.4.0;`),
/// checked on its own: its milestones, version, matrices and stages are what
/// `pytorch.NAME` names.
struct Partner {
  std::string project;
  std::shared_ptr<const Plan> plan;
  llvm::SMRange range; ///< The `with` item.
};

struct Plan {
  std::string project;
  std::optional<Version> version; ///< Release files.
  std::optional<Version> nextMinor;
  const ast::File *file = nullptr, *projectFile = nullptr;
  /// Shared by the plans of one run that load the same models (ModelCache).
  std::shared_ptr<const compat::Model> model;
  std::map<std::string, std::string> repo; ///< Settings as written.
  Repository repository;
  /// The other repositories (`repo NAME { ... }`), in declaration order.
  std::vector<Repository> repositories;
  const Repository *repositoryNamed(llvm::StringRef name) const;
  /// Patch policy settings: `categories` -> its names; a number as text.
  std::map<std::string, std::vector<std::string>> policy;
  /// Where each patch policy setting is written (for notes).
  std::map<std::string, llvm::SMRange> policyAt;
  std::optional<PatchBase> base;     ///< Patch releases.
  std::vector<std::string> channels; ///< Widest first.
  std::vector<Milestone> milestones; ///< In date order.
  std::vector<Patch> patches;
  std::vector<Check> checks;
  std::vector<Stage> stages; ///< In dependency order.
  std::vector<Matrix> matrices;
  std::vector<Overlay> overlays;
  std::vector<Partner> partners;
  /// This release's project and version, then each partner's: what
  /// `PROJECT.release` compares in conditions.
  compat::ProjectVersions projectVersions;
  /// Positions in `milestones` and `matrices` by name, filled by Sema with
  /// them: a plan can have tens of thousands of milestones.
  llvm::StringMap<size_t> milestoneIndex, matrixIndex;

  const Milestone *milestone(llvm::StringRef name) const;
  const Matrix *matrix(llvm::StringRef name) const;
  int channelIndex(llvm::StringRef name) const;
  const Check *check(llvm::StringRef name) const;
  const Partner *partner(llvm::StringRef project) const;
};

/// `{pytorch.version}` (also `major`, `minor`, `micro`): the version of the
/// release of that project \p plan goes with; nullopt if \p name is none.
std::optional<std::string> partnerPlaceholder(const Plan &plan,
                                              llvm::StringRef name);

} // namespace relc::sema

#endif // RELC_SEMA_PLAN_H
