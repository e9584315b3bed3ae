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

#include "llvm/ADT/StringMap.h"

#include <map>

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
  DerivedValues(const compat::Model &model, const Matrix &m,
                const Version &release);

  using KeyValue = std::pair<llvm::StringRef, llvm::StringRef>;
  /// The derived values of \p leg in key order; valid until the next call.
  llvm::ArrayRef<KeyValue> of(size_t leg);

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

/// A leg's derived values: pins in force and model properties, by key.
std::map<std::string, std::string> derivedValues(const compat::Model &model,
                                                 const Matrix &m, size_t leg,
                                                 const Version &release);

struct Check {
  std::string name, function;
  const ast::Item *item;
};

struct Stage {
  std::string name;
  std::vector<std::string> params;
  std::vector<std::string> after;
  std::optional<Date> notBefore;
  const ast::Item *item;
};

struct Plan {
  std::string project;
  std::optional<Version> version; ///< Release files.
  std::optional<Version> nextMinor;
  const ast::File *file = nullptr, *projectFile = nullptr;
  std::unique_ptr<compat::Model> model;
  std::map<std::string, std::string> repo; ///< Settings as written.
  /// Patch policy settings: `categories` -> its names; a number as text.
  std::map<std::string, std::vector<std::string>> policy;
  std::vector<std::string> channels; ///< Widest first.
  std::vector<Milestone> milestones; ///< In date order.
  std::vector<Patch> patches;
  std::vector<Check> checks;
  std::vector<Stage> stages; ///< In dependency order.
  std::vector<Matrix> matrices;
  /// Positions in `milestones` and `matrices` by name, filled by Sema with
  /// them: a plan can have tens of thousands of milestones.
  llvm::StringMap<size_t> milestoneIndex, matrixIndex;

  const Milestone *milestone(llvm::StringRef name) const;
  const Matrix *matrix(llvm::StringRef name) const;
  int channelIndex(llvm::StringRef name) const;
};

} // namespace relc::sema

#endif // RELC_SEMA_PLAN_H
