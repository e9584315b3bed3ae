//===- Conditions.h - Values and conditions against the model --*- C++ -*-===//
//
// Plans and models write values (`3.12`, `linux-x86_64`, `cuda 12.4`) and
// conditions on them (`accel is cuda and platform != linux-x86_64`) in one
// syntax. This file gives both one meaning: a value is resolved to the model
// entries it names, and a condition is compiled once to a tree over model
// axis indices, so testing it on each of a million legs compares pointers.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_COMPAT_CONDITIONS_H
#define RELC_COMPAT_CONDITIONS_H

#include "Compat/Model.h"

#include "llvm/ADT/STLExtras.h"

#include <functional>

namespace relc::compat {

/// A value of an axis, resolved: `python 3.13t` is the entry 3.13 with
/// freeThreaded; `cuda 12.4` is the entry `cuda` with the component version
/// 12.4; a bare `cuda` (only in conditions) has no component version and
/// matches any.
struct ValueRef {
  const Axis *axis = nullptr;
  const Entry *entry = nullptr;
  const Entry *componentVersion = nullptr;
  bool freeThreaded = false;

  std::string str() const;
  /// The version that orders this value: the entry's, or the component's.
  const Version *version() const {
    if (componentVersion)
      return &*componentVersion->version;
    return entry->version ? &*entry->version : nullptr;
  }
  /// `accel is cuda`: same entry, any version unless the pattern names one.
  /// `python is 3.13` holds for both builds of 3.13; `python is 3.13t` only
  /// for the free-threaded one, so an exclude aimed at it spares 3.13.
  bool matchedBy(const ValueRef &pattern) const {
    return entry == pattern.entry &&
           (!pattern.componentVersion ||
            componentVersion == pattern.componentVersion) &&
           (!pattern.freeThreaded || freeThreaded);
  }
  friend bool operator==(const ValueRef &a, const ValueRef &b) {
    return a.entry == b.entry && a.componentVersion == b.componentVersion &&
           a.freeThreaded == b.freeThreaded;
  }
  friend bool operator!=(const ValueRef &a, const ValueRef &b) {
    return !(a == b);
  }
};

/// How a value may be written where it is resolved.
enum class ValueUse {
  Leg,    ///< An axis value or include binding: `cuda` needs its version.
  Pattern ///< In a condition: a bare `cuda` means any version of it.
};

/// Resolves \p value against \p axis, reporting unknown values with the
/// nearest known one. Returns nullopt after reporting.
std::optional<ValueRef> resolveValue(DiagnosticEngine &diags,
                                     const Model &model, const Axis &axis,
                                     const ast::Value &value, ValueUse use);

/// The values of \p axis between \p lo and \p hi inclusive (`3.8 .. 3.12`,
/// `cuda 11.8 .. cuda 12.4`), in model order. Reports an empty or reversed
/// range; nullopt after reporting.
std::optional<std::vector<ValueRef>>
resolveRange(DiagnosticEngine &diags, const Model &model, const Axis &axis,
             const ast::Value &lo, const ast::Value &hi, llvm::SMRange range);

struct Cond;
using CondPtr = std::unique_ptr<Cond>;

/// A compiled condition.
struct Cond {
  enum class Kind { Or, And, Not, Match, Equal, Compare, In, Release, Channel };
  Kind kind;
  std::vector<CondPtr> operands;  ///< Or, And, Not.
  int axis = -1;                  ///< Model axis index.
  bool negated = false;           ///< `is not`, `!=`.
  ast::CompareCondition::Op op{}; ///< Compare, Release.
  std::vector<ValueRef> values;   ///< Match, Equal, In; Compare's bound.
  /// Release: the bound. Apart, as few conditions have one: a Cond is one of
  /// many small blocks, a Version large.
  std::unique_ptr<Version> release;
  /// Release: whose version, `pytorch` in `pytorch.release`; empty: the
  /// release being checked.
  std::string project;
  uint32_t channels = 0; ///< Channel: bit i, plan channel i.
};

/// The version of each project a check knows of: the release's own and
/// those of the releases it goes with (`with pytorch 2.4.0;`).
using ProjectVersions = std::vector<std::pair<std::string, Version>>;

/// A leg as conditions see it: the value of each model axis (null where the
/// matrix has no such axis), and the release version.
struct LegView {
  llvm::ArrayRef<const ValueRef *> byAxis;
  const Version *release = nullptr;
  int channel = -1; ///< The channel a field is rendered for, or -1.
  /// What `PROJECT.release` compares; a project not in it has no version,
  /// and no comparison of it holds.
  const ProjectVersions *projects = nullptr;
};

bool evaluate(const Cond &cond, const LegView &leg);

/// Where a condition is written decides which axes it may name.
struct CondScope {
  /// Maps an axis name to a model axis index, or -1 if it may not be named
  /// here. Names offered as suggestions come from \p candidates.
  std::function<int(llvm::StringRef)> lookup;
  std::vector<std::string> candidates;
  llvm::StringRef where; ///< "matrix 'wheels'", "model rule 'x'".
  /// The plan's channels, widest first, where `channel is NAME` may be
  /// written (a field's variants); empty elsewhere.
  llvm::ArrayRef<std::string> channels = {};
};

/// Compiles \p cond, resolving axes and values; nullptr after reporting.
/// Appends each model axis it names to \p axesUsed if given.
CondPtr compileCondition(DiagnosticEngine &diags, const Model &model,
                         const ast::Condition &cond, const CondScope &scope,
                         std::vector<unsigned> *axesUsed = nullptr);

} // namespace relc::compat

#endif // RELC_COMPAT_CONDITIONS_H
