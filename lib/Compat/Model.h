//===- Model.h - The compatibility model -----------------------*- C++ -*-===//
//
// What exists in the world a plan builds for: the values of each matrix axis
// (Python versions, platforms, accelerators), the versioned components they
// use (CUDA toolkits, ROCm, cuDNN) and the rules between them. The model is
// data, loaded from YAML (docs/compat-model.md); relc has no fact about
// Python, CUDA or PyTorch in its code. Every entry remembers where it was
// written, so a diagnostic about a plan can add a note at the model line it
// relies on.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_COMPAT_MODEL_H
#define RELC_COMPAT_MODEL_H

#include "AST/AST.h"
#include "Basic/Time.h"
#include "Basic/Version.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace relc {
class DiagnosticEngine;
}

namespace relc::compat {

using llvm::SMLoc;

/// Where a value's life stands (the `status` of python-releases.toml).
enum class Status { Unknown, Feature, Prerelease, Bugfix, Security, EndOfLife };
llvm::StringRef statusName(Status s);

/// A property: a scalar or a list of scalars, kept as text.
struct Property {
  std::vector<std::string> items;
  bool isList = false;
  SMLoc loc;
  std::string str() const; ///< `a` or `a;b;c`.
};
using Properties = std::map<std::string, Property>;

/// A compiled condition (Conditions.h); shared so the model can hold one
/// without seeing its definition.
struct Cond;
using SharedCond = std::shared_ptr<const Cond>;

struct Override {
  ast::ConditionPtr when;
  llvm::StringRef whenText; ///< Its bytes in the model's buffer.
  SharedCond compiledWhen;  ///< Set by finishModel.
  Properties properties;
  SMLoc loc;
};

/// A version a value works with: `supports: {cudnn: ["9.1.0.70"]}`.
struct Supported {
  Version version;
  SMLoc loc;
};

/// One value of an axis or one version of a component.
struct Entry {
  // Move-only, said out loud: Version's move may throw, so without these a
  // growing std::vector<Entry> would try to copy, which `overrides` cannot.
  Entry() = default;
  Entry(Entry &&) = default;
  Entry &operator=(Entry &&) = default;

  std::string name;               ///< Name entries.
  std::optional<Version> version; ///< Version entries.
  SMLoc loc;                      ///< Of the identity (`name:`/`version:`).
  std::string title;              ///< How tables show it (`ROCm`).
  std::string versionsFrom;       ///< `versions: cuda`: `cuda X` values.
  SMLoc versionsLoc;
  Status status = Status::Unknown;
  SMLoc statusLoc;
  std::optional<Date> released, endOfBugfix, endOfLife;
  SMLoc releasedLoc, endOfLifeLoc;
  bool freeThreaded = false;
  SMLoc freeThreadedLoc;
  std::map<std::string, std::vector<Supported>> supports;
  std::map<std::string, SMLoc> supportsLoc; ///< Of each component's list.
  Properties properties;
  std::vector<Override> overrides;

  /// `3.12` or `linux-x86_64`.
  std::string label() const { return version ? version->str() : name; }
  bool isPrerelease() const {
    return status == Status::Feature || status == Status::Prerelease;
  }
};

struct Axis {
  enum class Kind { Version, Name };
  std::string name;
  std::string title; ///< How tables show it (`Python`).
  Kind kind = Kind::Name;
  SMLoc loc;
  std::vector<Entry> values;
  const Entry *find(llvm::StringRef name) const;
  const Entry *find(const Version &v) const;
};

struct Component {
  std::string name;
  std::string title; ///< How tables name it (`C++`); empty: the name.
  SMLoc loc;
  /// Some entry lists versions of it under `supports` (cuDNN with CUDA), so
  /// a matrix-wide pin of it concerns only legs with such an entry; a
  /// component no entry pairs with (the C++ standard) concerns every leg.
  bool paired = false;
  std::vector<Entry> versions; ///< Ascending.
  const Entry *find(const Version &v) const;
};

/// A compiled condition: axes resolved to model axis indices and values to
/// model entries, so a leg is tested without looking anything up.

struct Rule {
  enum class Kind { Require, Window };
  std::string id;
  Kind kind = Kind::Require;
  SMLoc loc;
  std::string why;
  ast::ConditionPtr when, require; ///< Require.
  ast::ConditionPtr window;        ///< Window: which values count.
  /// The bytes of each condition in the model's buffer, for the on-disk
  /// cache (ModelCache.h), which keeps where a condition is, not its tree.
  llvm::StringRef whenText, requireText, windowText;
  std::string per; ///< Window: `major`.
  SMLoc perLoc;
  unsigned max = 0; ///< Window.
  SMLoc maxLoc;
  SharedCond compiledWhen, compiledRequire, compiledWindow;
  std::vector<unsigned> axes; ///< Model axes it names (not `release`).
};

/// The merged model of every `compat` file a plan names.
struct Model {
  std::vector<std::string> names; ///< One per loaded file.
  std::vector<std::string> paths;
  std::vector<Axis> axes;
  std::vector<Component> components;
  std::vector<Rule> rules;

  const Axis *axis(llvm::StringRef name) const;
  int axisIndex(llvm::StringRef name) const;
  const Component *component(llvm::StringRef name) const;
  /// Names a did-you-mean can choose from.
  std::vector<std::string> axisNames() const;
};

/// How a model's YAML is read: by the strict fast reader (FastYaml.h) when
/// it understands the file and by yaml-cpp otherwise, or by yaml-cpp only
/// (for tests that compare the two).
enum class ModelReader { Fast, YamlCpp };

/// Reads the YAML model at \p path into \p model, merging with what is
/// already there. \p namedAt is the plan's `compat` line (invalid for a file
/// named on the command line). Returns false after reporting.
bool loadModelFile(DiagnosticEngine &diags, llvm::StringRef path,
                   llvm::SMRange namedAt, Model &model,
                   ModelReader reader = ModelReader::Fast);

/// loadModelFile for a file already in the SourceMgr, as buffer \p id.
bool loadModelBuffer(DiagnosticEngine &diags, unsigned id, llvm::StringRef path,
                     Model &model, ModelReader reader = ModelReader::Fast);

/// Once every file is loaded: resolves and compiles the rules and checks
/// that everything a rule or an entry names exists. False after reporting.
bool finishModel(DiagnosticEngine &diags, Model &model);

} // namespace relc::compat

#endif // RELC_COMPAT_MODEL_H
