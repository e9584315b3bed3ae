//===- AST.h - The syntax tree of a release plan file
//----------------------===//
//
// What the parser makes of one .relplan file. Every node carries the source
// range it was written at, and owns its strings: once Syntax returns, the
// ANTLR parse tree and token stream are gone. Literal values are parsed here
// already (a DateExpr holds a Date), so later phases never re-lex text.
// The tree is plain data; the printer, the formatter and Sema walk it.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_AST_AST_H
#define RELC_AST_AST_H

#include "Basic/Time.h"
#include "Basic/Version.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace relc::ast {

using llvm::SMLoc;
using llvm::SMRange;

/// An identifier as written, with where it was written.
struct Name {
  std::string text;
  SMRange range;
  SMLoc loc() const { return range.Start; }
};

//===-------------------------------------------------------- expressions ===//

class Expr {
public:
  enum class Kind {
    String,
    Date,
    Duration,
    Size,
    Version,
    Path,
    List,
    Object,
    Binary,
    Range,
    Paren
  };
  Expr(Kind kind, SMRange range) : kind(kind), range(range) {}
  virtual ~Expr();
  Kind getKind() const { return kind; }
  SMRange getRange() const { return range; }
  SMLoc getLoc() const { return range.Start; }

private:
  Kind kind;
  SMRange range;
};
using ExprPtr = std::unique_ptr<Expr>;

/// A string with its escapes resolved and split into literal text and
/// `{placeholder}` references (`{{` and `}}` are literal braces).
class StringExpr : public Expr {
public:
  struct Part {
    bool isPlaceholder;
    std::string text; ///< Literal text, or the placeholder's name.
    SMRange range;
  };
  StringExpr(SMRange range, std::string value, std::vector<Part> parts)
      : Expr(Kind::String, range), value(std::move(value)),
        parts(std::move(parts)) {}
  /// Unescaped text, placeholders left as `{name}` and literal braces
  /// still doubled (`{{`), so that the two stay apart.
  std::string value;
  std::vector<Part> parts;
  bool hasPlaceholders() const {
    for (const Part &p : parts)
      if (p.isPlaceholder)
        return true;
    return false;
  }
  static bool classof(const Expr *e) { return e->getKind() == Kind::String; }
};

class DateExpr : public Expr {
public:
  DateExpr(SMRange range, Date value) : Expr(Kind::Date, range), value(value) {}
  Date value;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Date; }
};

class DurationExpr : public Expr {
public:
  DurationExpr(SMRange range, Duration value)
      : Expr(Kind::Duration, range), value(value) {}
  Duration value;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Duration; }
};

class SizeExpr : public Expr {
public:
  SizeExpr(SMRange range, Size value) : Expr(Kind::Size, range), value(value) {}
  Size value;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Size; }
};

/// A PEP 440 version; `freeThreaded` is the `t` of `3.13t`, which names a
/// build variant of Python and is not part of the version.
class VersionExpr : public Expr {
public:
  VersionExpr(SMRange range, Version value, bool freeThreaded)
      : Expr(Kind::Version, range), value(std::move(value)),
        freeThreaded(freeThreaded) {}
  Version value;
  bool freeThreaded;
  std::string str() const { return value.str() + (freeThreaded ? "t" : ""); }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Version; }
};

/// `release_branch`, `schedule.branch_cut`, `patch.categories`.
class PathExpr : public Expr {
public:
  PathExpr(SMRange range, std::vector<Name> parts)
      : Expr(Kind::Path, range), parts(std::move(parts)) {}
  std::vector<Name> parts;
  std::string str() const;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Path; }
};

class ListExpr : public Expr {
public:
  ListExpr(SMRange range, std::vector<ExprPtr> elements)
      : Expr(Kind::List, range), elements(std::move(elements)) {}
  std::vector<ExprPtr> elements;
  static bool classof(const Expr *e) { return e->getKind() == Kind::List; }
};

/// A key of an object or of an overlay path: a name or a quoted string.
struct Key {
  std::string text;
  bool quoted = false;
  SMRange range;
};

class ObjectExpr : public Expr {
public:
  struct Field {
    Key key;
    ExprPtr value;
  };
  ObjectExpr(SMRange range, std::vector<Field> fields)
      : Expr(Kind::Object, range), fields(std::move(fields)) {}
  std::vector<Field> fields;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Object; }
};

/// `branch_cut + 2w`: date arithmetic, the only arithmetic there is.
class BinaryExpr : public Expr {
public:
  BinaryExpr(SMRange range, char op, ExprPtr lhs, ExprPtr rhs)
      : Expr(Kind::Binary, range), op(op), lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  char op; ///< '+' or '-'.
  ExprPtr lhs, rhs;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Binary; }
};

/// `frozen_branch..release_branch`.
class RangeExpr : public Expr {
public:
  RangeExpr(SMRange range, ExprPtr lo, ExprPtr hi)
      : Expr(Kind::Range, range), lo(std::move(lo)), hi(std::move(hi)) {}
  ExprPtr lo, hi;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Range; }
};

class ParenExpr : public Expr {
public:
  ParenExpr(SMRange range, ExprPtr inner)
      : Expr(Kind::Paren, range), inner(std::move(inner)) {}
  ExprPtr inner;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Paren; }
};

//===------------------------------------------------------------ settings ===//

/// `remote "origin";`, `only_latest_minor;`, `categories a, b;`
struct Setting {
  Name key;
  std::vector<ExprPtr> values;
  SMRange range;
};

/// `from: frozen_branch` in a check call.
struct Arg {
  Name name;
  ExprPtr value;
};

//===-------------------------------------------------------------- matrix ===//

/// A matrix value: `3.12`, `linux-x86_64`, `cuda 12.4`, `"custom"`.
struct Value {
  enum class Kind { Version, Named, String };
  Kind kind = Kind::Named;
  Name name;                            ///< Named: the name (`cuda`).
  std::unique_ptr<VersionExpr> version; ///< Version, or Named with a version.
  std::unique_ptr<StringExpr> string;   ///< String.
  SMRange range;
  std::string str() const;
};

/// `cudnn 9.1.0.70` inside a value's parentheses, or `pin cudnn 9.1.0.70;`.
struct Pin {
  Name component;
  std::unique_ptr<VersionExpr> version;
  SMRange range;
};

/// `experimental`, `only(nightly, test)`.
struct Attribute {
  Name name;
  bool hasArgs = false;
  std::vector<ExprPtr> args;
  SMRange range;
};

/// One entry of an axis: a value or a range of values, with pins and
/// attributes.
struct AxisValue {
  Value value;
  std::optional<Value> rangeEnd; ///< `3.8 .. 3.12`
  std::vector<Pin> pins;
  std::vector<Attribute> attributes;
  SMRange range;
};

class Condition {
public:
  enum class Kind { Or, And, Not, Compare, In, Paren };
  Condition(Kind kind, SMRange range) : kind(kind), range(range) {}
  virtual ~Condition();
  Kind getKind() const { return kind; }
  SMRange getRange() const { return range; }

private:
  Kind kind;
  SMRange range;
};
using ConditionPtr = std::unique_ptr<Condition>;

/// `a or b or c` / `a and b`.
class LogicalCondition : public Condition {
public:
  LogicalCondition(Kind kind, SMRange range, std::vector<ConditionPtr> operands)
      : Condition(kind, range), operands(std::move(operands)) {}
  std::vector<ConditionPtr> operands;
  static bool classof(const Condition *c) {
    return c->getKind() == Kind::Or || c->getKind() == Kind::And;
  }
};

class NotCondition : public Condition {
public:
  NotCondition(SMRange range, ConditionPtr operand)
      : Condition(Kind::Not, range), operand(std::move(operand)) {}
  ConditionPtr operand;
  static bool classof(const Condition *c) { return c->getKind() == Kind::Not; }
};

class ParenCondition : public Condition {
public:
  ParenCondition(SMRange range, ConditionPtr inner)
      : Condition(Kind::Paren, range), inner(std::move(inner)) {}
  ConditionPtr inner;
  static bool classof(const Condition *c) {
    return c->getKind() == Kind::Paren;
  }
};

/// `platform != linux-x86_64`, `accel is cuda`, `python >= 3.13`; the axis
/// may be qualified (`pytorch.release`): one name, dotted.
class CompareCondition : public Condition {
public:
  enum class Op { Is, IsNot, Eq, Ne, Lt, Le, Gt, Ge };
  CompareCondition(SMRange range, Name axis, Op op, Value value)
      : Condition(Kind::Compare, range), axis(std::move(axis)), op(op),
        value(std::move(value)) {}
  Name axis;
  Op op;
  Value value;
  static llvm::StringRef spelling(Op op);
  static bool classof(const Condition *c) {
    return c->getKind() == Kind::Compare;
  }
};

/// `platform in [linux-x86_64, linux-aarch64]`.
class InCondition : public Condition {
public:
  InCondition(SMRange range, Name axis, std::vector<Value> values)
      : Condition(Kind::In, range), axis(std::move(axis)),
        values(std::move(values)) {}
  Name axis;
  std::vector<Value> values;
  static bool classof(const Condition *c) { return c->getKind() == Kind::In; }
};

/// `python 3.13t experimental` in an include.
struct Binding {
  Name axis;
  Value value;
  std::vector<Pin> pins;
  std::vector<Attribute> attributes;
  SMRange range;
};

struct MatrixEntry {
  enum class Kind { Axis, Pin, Exclude, Include, Field, Recipe };
  Kind kind;
  SMRange range;
  // Axis: `python 3.10 .. 3.14;`, or `python += 3.15;` (append: adds to the
  // axis of the matrix a release takes).
  Name axis;
  std::vector<AxisValue> values;
  bool append = false;
  // Field: `build_name = "..." where COND;` (the name is in `axis`).
  ExprPtr value;
  // Pin
  std::optional<Pin> pin;
  // Exclude and include
  ConditionPtr condition;        ///< Exclude: what to drop.
  ConditionPtr where;            ///< Exclude and include: where it applies.
  std::vector<Binding> bindings; ///< Include: the leg's values.
  // Recipe: `recipe test none where COND;` or `recipe build where COND {
  // runner "..."; ... }`: the phase in `axis`, `none` in `variant`, the
  // condition in `where`, the body in `settings`.
  std::optional<Name> variant;
  std::vector<Setting> settings;
  bool hasBody = false;
};

//===-------------------------------------------------------------- stages ===//

struct StepOption {
  enum class Kind { Once, Annotated, Named };
  Kind kind;
  Name name; ///< The keyword for flags, the option's name otherwise.
  ExprPtr value;
  SMRange range;
};

struct Step {
  enum class Kind {
    Branch,
    Tag,
    Commit,
    Build,
    Require,
    Approve,
    Run,
    Wait,
    Pin,
    Record
  };
  Kind kind;
  SMRange range;
  /// Branch: name, from. Tag: tag, on. Commit and Pin: file, content, on.
  /// Record: file, on. Approve: group. Run: command. Wait: date.
  std::vector<ExprPtr> operands;
  /// Build: matrix (and channel in `channel`). Require: check names.
  /// Record: the name it records under.
  std::vector<Name> names;
  std::optional<Name> channel;
  std::vector<StepOption> options;
  static llvm::StringRef keyword(Kind kind);
};

struct StageTrigger {
  enum class Kind { On, After };
  Kind kind;
  ExprPtr date; ///< On.
  /// After: stage names; `pytorch.rc` (a stage of a partner release) is one
  /// name, dotted, ranging over both parts.
  std::vector<Name> stages;
  SMRange range;
};

//===--------------------------------------------------------------- items ===//

struct ScheduleEntry {
  bool isPatch = false;
  Name milestone;                            ///< Not for patches.
  std::unique_ptr<VersionExpr> patchVersion; ///< Patches only.
  ExprPtr when;
  SMRange range;
};

/// `test { index "..."; upload "s3://..."; role "..."; }` in `channels`:
/// where the channel's packages go and who may put them there.
struct ChannelTarget {
  Name channel;
  std::vector<Setting> settings;
  SMRange range;
};

struct ChannelException {
  Name axis;
  Value value;
  Name channel;
  std::unique_ptr<StringExpr> reason;
  SMRange range;
};

/// `key.path = value;`, `key += value;`, or `allow WHAT "reason";`.
struct OverlayEntry {
  std::vector<Key> path;
  bool append = false; ///< `+=` rather than `=`.
  ExprPtr value;
  /// `allow WHAT "reason"`: an edit of this overlay that relc's policy
  /// refuses without one (no path, no value).
  std::optional<Name> allow;
  std::unique_ptr<StringExpr> reason;
  SMRange range;
};

struct Item {
  enum class Kind {
    Compat,
    Repo,
    Channels,
    Check,
    Policy,
    Schedule,
    Matrix,
    Stage,
    Overlay,
    With
  };
  Kind kind;
  SMRange range;
  /// Check, matrix, stage; overlay: the backend; with: the project; repo:
  /// the repository's name, empty for the main repository (`repo { ... }`).
  Name name;
  std::unique_ptr<StringExpr> path; ///< Compat path; overlay job selector.
  std::vector<Setting> settings;    ///< Repo, policy.
  // Channels
  std::vector<Name> channels;
  bool channelsHaveBody = false;
  std::vector<ChannelException> exceptions;
  std::vector<ChannelTarget> targets;
  // Check
  Name function;
  std::vector<Arg> args;
  // Schedule
  std::vector<ScheduleEntry> schedule;
  // Matrix
  std::vector<MatrixEntry> matrix;
  std::optional<Name> base; ///< `matrix wheels from NAME`: the project's.
  // Stage
  std::vector<Name> params;
  std::vector<StageTrigger> triggers;
  std::vector<Step> steps;
  // Overlay
  std::vector<OverlayEntry> overlay;
  // With: `with pytorch 2.4.0;`, the partner's version.
  std::unique_ptr<VersionExpr> version;

  static llvm::StringRef keyword(Kind kind);
};

struct Import {
  std::unique_ptr<StringExpr> path;
  SMRange range;
};

/// A comment, kept for the formatter.
struct Comment {
  std::string text; ///< With its `//` or `/* */`.
  SMRange range;
  bool ownLine; ///< Nothing but whitespace before it on its line.
};

/// One parsed .relplan file.
struct File {
  enum class Kind { Project, Release };
  std::string path;
  unsigned bufferId = 0;
  std::vector<Import> imports;
  Kind kind = Kind::Project;
  Name name;                                   ///< Project name.
  std::unique_ptr<VersionExpr> releaseVersion; ///< Release files.
  std::vector<Item> items;
  SMRange unitRange;
  SMLoc closeBrace; ///< The `}` closing the unit (for trailing comments).
  std::vector<Comment> comments;
};

} // namespace relc::ast

#endif // RELC_AST_AST_H
