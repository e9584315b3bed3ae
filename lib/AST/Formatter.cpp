//===- Formatter.cpp - The canonical layout of a plan
//----------------------===//
//
// Two parts: toSource() spells one construct on one line, and FileFormatter
// lays statements out, weaving the file's comments back in by source
// position: comments before a statement go on their own lines above it, a
// comment on the same line after a statement stays at the end of its line,
// and a comment inside a statement moves to the end of that statement. The
// output depends only on the AST, the comments and where blank lines were,
// so formatting formatted text changes nothing.
//
//===----------------------------------------------------------------------===//
#include "AST/Formatter.h"

#include "llvm/ADT/STLExtras.h"

using namespace relc;
using namespace relc::ast;

//===----------------------------------------------------- constructs ===//

std::string ast::quote(llvm::StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      out += c;
    }
  }
  return out + "\"";
}

static std::string keySource(const Key &k) {
  return k.quoted ? quote(k.text) : k.text;
}

template <typename T, typename F>
static std::string join(const std::vector<T> &items, llvm::StringRef sep,
                        F &&each) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i)
      out += sep;
    out += each(items[i]);
  }
  return out;
}

std::string ast::toSource(const Expr &e) {
  switch (e.getKind()) {
  case Expr::Kind::String:
    return quote(llvm::cast<StringExpr>(e).value);
  case Expr::Kind::Date:
    return llvm::cast<DateExpr>(e).value.str();
  case Expr::Kind::Duration:
    return llvm::cast<DurationExpr>(e).value.str();
  case Expr::Kind::Size:
    return llvm::cast<SizeExpr>(e).value.str();
  case Expr::Kind::Version:
    return llvm::cast<VersionExpr>(e).str();
  case Expr::Kind::Path:
    return llvm::cast<PathExpr>(e).str();
  case Expr::Kind::List:
    return "[" +
           join(llvm::cast<ListExpr>(e).elements, ", ",
                [](const ExprPtr &x) { return toSource(*x); }) +
           "]";
  case Expr::Kind::Object: {
    const auto &o = llvm::cast<ObjectExpr>(e);
    if (o.fields.empty())
      return "{}";
    return "{ " +
           join(o.fields, ", ",
                [](const ObjectExpr::Field &f) {
                  return keySource(f.key) + ": " + toSource(*f.value);
                }) +
           " }";
  }
  case Expr::Kind::Binary: {
    const auto &b = llvm::cast<BinaryExpr>(e);
    return toSource(*b.lhs) + " " + b.op + " " + toSource(*b.rhs);
  }
  case Expr::Kind::Range: {
    const auto &r = llvm::cast<RangeExpr>(e);
    return toSource(*r.lo) + ".." + toSource(*r.hi);
  }
  case Expr::Kind::Paren:
    return "(" + toSource(*llvm::cast<ParenExpr>(e).inner) + ")";
  }
  return "";
}

std::string ast::toSource(const Value &v) {
  if (v.kind == Value::Kind::String)
    return quote(v.string->value);
  return v.str();
}

static std::string pinsSource(const std::vector<Pin> &pins) {
  if (pins.empty())
    return "";
  return " (" +
         join(pins, ", ",
              [](const Pin &p) {
                return p.component.text + " " + p.version->str();
              }) +
         ")";
}

static std::string attributesSource(const std::vector<Attribute> &attrs) {
  std::string out;
  for (const Attribute &a : attrs) {
    out += " " + a.name.text;
    if (a.hasArgs)
      out += "(" +
             join(a.args, ", ", [](const ExprPtr &x) { return toSource(*x); }) +
             ")";
  }
  return out;
}

std::string ast::toSource(const AxisValue &v) {
  std::string out = toSource(v.value);
  if (v.rangeEnd)
    out += " .. " + toSource(*v.rangeEnd);
  return out + pinsSource(v.pins) + attributesSource(v.attributes);
}

std::string ast::toSource(const Binding &b) {
  return b.axis.text + " " + toSource(b.value) + pinsSource(b.pins) +
         attributesSource(b.attributes);
}

std::string ast::toSource(const Condition &c) {
  switch (c.getKind()) {
  case Condition::Kind::Or:
  case Condition::Kind::And:
    return join(llvm::cast<LogicalCondition>(c).operands,
                c.getKind() == Condition::Kind::Or ? " or " : " and ",
                [](const ConditionPtr &x) { return toSource(*x); });
  case Condition::Kind::Not:
    return "not " + toSource(*llvm::cast<NotCondition>(c).operand);
  case Condition::Kind::Paren:
    return "(" + toSource(*llvm::cast<ParenCondition>(c).inner) + ")";
  case Condition::Kind::Compare: {
    const auto &cmp = llvm::cast<CompareCondition>(c);
    return cmp.axis.text + " " + CompareCondition::spelling(cmp.op).str() +
           " " + toSource(cmp.value);
  }
  case Condition::Kind::In: {
    const auto &in = llvm::cast<InCondition>(c);
    return in.axis.text + " in [" +
           join(in.values, ", ", [](const Value &v) { return toSource(v); }) +
           "]";
  }
  }
  return "";
}

static std::string exprList(const std::vector<ExprPtr> &exprs) {
  return join(exprs, ", ", [](const ExprPtr &x) { return toSource(*x); });
}

static std::string settingSource(const Setting &s) {
  return s.key.text + (s.values.empty() ? "" : " " + exprList(s.values)) + ";";
}

static std::string stepSource(const Step &s) {
  std::string out = Step::keyword(s.kind).str();
  auto operand = [&](size_t i) {
    return i < s.operands.size() ? toSource(*s.operands[i]) : std::string();
  };
  switch (s.kind) {
  case Step::Kind::Branch:
    out += " " + operand(0) + " from " + operand(1);
    break;
  case Step::Kind::Tag:
    out += " " + operand(0) + " on " + operand(1);
    break;
  case Step::Kind::Commit:
  case Step::Kind::Pin:
    out += " " + operand(0) + " = " + operand(1) + " on " + operand(2);
    break;
  case Step::Kind::Record:
    out += " " + s.names[0].text + " = " + operand(0) + " on " + operand(1);
    break;
  case Step::Kind::Build:
    out += " " + s.names[0].text;
    if (s.channel)
      out += " channel " + s.channel->text;
    break;
  case Step::Kind::Require:
    out += " " + join(s.names, ", ", [](const Name &n) { return n.text; });
    break;
  case Step::Kind::Approve:
  case Step::Kind::Run:
  case Step::Kind::Wait:
    out += " " + operand(0);
    break;
  }
  for (const StepOption &o : s.options) {
    out += " " + o.name.text;
    if (o.value)
      out += " " + toSource(*o.value);
  }
  return out + ";";
}

//===--------------------------------------------------------- layout ===//

namespace {

class FileFormatter {
public:
  explicit FileFormatter(const File &file) : file(file) {}
  std::string run();

private:
  /// Writes one statement line (with the comments around it).
  void statement(SMRange range, const std::string &text);
  /// Writes `header {`, then \p body, then the closing brace at \p close.
  template <typename F>
  void block(SMRange range, const std::string &header, SMLoc close, F &&body);
  void item(const Item &it);

  /// Writes the comments that start before \p before (all if null).
  void leadingComments(const char *before);
  void trailingComments(const char *lineOf, const char *limit);
  void blankLineIfSourceHad(const char *next);
  void writeLine(const std::string &text);

  const File &file;
  std::string out;
  unsigned indent = 0;
  size_t nextComment = 0;
  const char *lastEnd = nullptr; ///< Source end of what was last written.
  bool atBlockStart = true;
};

} // namespace

void FileFormatter::writeLine(const std::string &text) {
  out.append(indent * 2, ' ');
  out += text;
  out += '\n';
  atBlockStart = false;
}

static bool sameLine(const char *a, const char *b) {
  if (a > b)
    std::swap(a, b);
  return std::find(a, b, '\n') == b;
}

void FileFormatter::blankLineIfSourceHad(const char *next) {
  if (atBlockStart || !lastEnd || next <= lastEnd)
    return;
  if (std::count(lastEnd, next, '\n') >= 2)
    out += '\n';
}

void FileFormatter::leadingComments(const char *before) {
  const auto &cs = file.comments;
  while (nextComment < cs.size() &&
         (!before || cs[nextComment].range.Start.getPointer() < before)) {
    const Comment &c = cs[nextComment++];
    const char *start = c.range.Start.getPointer();
    if (!c.ownLine && lastEnd && sameLine(lastEnd, start) && !out.empty() &&
        !atBlockStart) {
      out.pop_back(); // the '\n'
      out += " " + c.text + "\n";
    } else {
      blankLineIfSourceHad(start);
      writeLine(c.text);
    }
    lastEnd = c.range.End.getPointer();
  }
}

void FileFormatter::trailingComments(const char *lineOf, const char *limit) {
  const auto &cs = file.comments;
  while (nextComment < cs.size()) {
    const Comment &c = cs[nextComment];
    const char *start = c.range.Start.getPointer();
    if (c.ownLine || start >= limit || !sameLine(lineOf, start))
      break;
    out.pop_back();
    out += " " + c.text + "\n";
    lastEnd = c.range.End.getPointer();
    ++nextComment;
  }
}

void FileFormatter::statement(SMRange range, const std::string &text) {
  const char *start = range.Start.getPointer();
  const char *end = range.End.getPointer();
  leadingComments(start);
  blankLineIfSourceHad(start);
  writeLine(text);
  lastEnd = end;
  // Comments written inside the statement follow it.
  const auto &cs = file.comments;
  bool first = true;
  while (nextComment < cs.size() &&
         cs[nextComment].range.Start.getPointer() < end) {
    const Comment &c = cs[nextComment++];
    if (first) {
      out.pop_back();
      out += " " + c.text + "\n";
    } else {
      writeLine(c.text);
    }
    first = false;
  }
  trailingComments(end - 1, file.closeBrace.getPointer() + 1);
}

template <typename F>
void FileFormatter::block(SMRange range, const std::string &header, SMLoc close,
                          F &&body) {
  const char *start = range.Start.getPointer();
  leadingComments(start);
  blankLineIfSourceHad(start);
  size_t headerAt = out.size();
  writeLine(header + " {");
  lastEnd = start;
  trailingComments(start, close.getPointer());
  ++indent;
  atBlockStart = true;
  body();
  leadingComments(close.getPointer());
  --indent;
  if (atBlockStart && out.size() > headerAt &&
      out.compare(out.size() - 3, 3, " {\n") == 0) {
    out.resize(out.size() - 3);
    out += " {}\n"; // empty block, no comments inside
  } else {
    writeLine("}");
  }
  atBlockStart = false;
  lastEnd = close.getPointer() + 1;
  trailingComments(close.getPointer(), file.closeBrace.getPointer() + 1);
}

/// A block's range ends with its '}'.
static SMLoc closeOf(SMRange r) {
  return SMLoc::getFromPointer(r.End.getPointer() - 1);
}

void FileFormatter::item(const Item &it) {
  SMRange r = it.range;
  SMLoc close = closeOf(r);
  switch (it.kind) {
  case Item::Kind::Compat:
    statement(r, "compat " + toSource(*it.path) + ";");
    return;
  case Item::Kind::With:
    statement(r, "with " + it.name.text + " " + it.version->str() + ";");
    return;
  case Item::Kind::Check: {
    std::string args = join(it.args, ", ", [](const Arg &a) {
      return a.name.text + ": " + toSource(*a.value);
    });
    statement(r, "check " + it.name.text + " = " + it.function.text + "(" +
                     args + ");");
    return;
  }
  case Item::Kind::Channels: {
    std::string order =
        "channels " +
        join(it.channels, " > ", [](const Name &n) { return n.text; });
    if (!it.channelsHaveBody) {
      statement(r, order + ";");
      return;
    }
    block(r, order, close, [&] {
      // Exceptions and targets in the order written.
      size_t t = 0;
      auto targetsBefore = [&](const char *limit) {
        for (; t < it.targets.size() &&
               it.targets[t].range.Start.getPointer() < limit;
             ++t) {
          const ChannelTarget &target = it.targets[t];
          block(target.range, target.channel.text, closeOf(target.range), [&] {
            for (const Setting &s : target.settings)
              statement(s.range, settingSource(s));
          });
        }
      };
      for (const ChannelException &e : it.exceptions) {
        targetsBefore(e.range.Start.getPointer());
        statement(e.range, "allow " + e.axis.text + " " + toSource(e.value) +
                               " in " + e.channel.text +
                               (e.reason ? " " + toSource(*e.reason) : "") +
                               ";");
      }
      targetsBefore(close.getPointer());
    });
    return;
  }
  case Item::Kind::Repo:
  case Item::Kind::Policy:
    block(r,
          Item::keyword(it.kind).str() +
              (it.name.text.empty() ? "" : " " + it.name.text),
          close, [&] {
            for (const Setting &s : it.settings)
              statement(s.range, settingSource(s));
          });
    return;
  case Item::Kind::Schedule:
    block(r, "schedule", close, [&] {
      for (const ScheduleEntry &e : it.schedule)
        statement(e.range,
                  e.isPatch ? "patch " + e.patchVersion->str() + " on " +
                                  toSource(*e.when) + ";"
                            : e.milestone.text + " " + toSource(*e.when) + ";");
    });
    return;
  case Item::Kind::Matrix:
    block(r,
          "matrix " + it.name.text +
              (it.base ? " from " + it.base->text : std::string()),
          close, [&] {
            for (const MatrixEntry &e : it.matrix) {
              std::string text;
              switch (e.kind) {
              case MatrixEntry::Kind::Axis:
                text = e.axis.text + (e.append ? " += " : " ") +
                       join(e.values, ", ",
                            [](const AxisValue &v) { return toSource(v); });
                break;
              case MatrixEntry::Kind::Pin:
                text = "pin " + e.pin->component.text + " " +
                       e.pin->version->str();
                break;
              case MatrixEntry::Kind::Exclude:
                text = "exclude " + toSource(*e.condition);
                if (e.where)
                  text += " where " + toSource(*e.where);
                break;
              case MatrixEntry::Kind::Include:
                text = "include " +
                       join(e.bindings, ", ",
                            [](const Binding &b) { return toSource(b); });
                if (e.where)
                  text += " where " + toSource(*e.where);
                break;
              case MatrixEntry::Kind::Field:
                text = e.axis.text + " = " + toSource(*e.value);
                if (e.where)
                  text += " where " + toSource(*e.where);
                break;
              case MatrixEntry::Kind::Recipe:
                text = "recipe " + e.axis.text +
                       (e.variant ? " " + e.variant->text : std::string());
                if (e.where)
                  text += " where " + toSource(*e.where);
                if (e.hasBody) {
                  block(e.range, text, closeOf(e.range), [&] {
                    for (const Setting &s : e.settings)
                      statement(s.range, settingSource(s));
                  });
                  continue;
                }
                break;
              }
              statement(e.range, text + ";");
            }
          });
    return;
  case Item::Kind::Stage: {
    std::string header = "stage " + it.name.text;
    if (!it.params.empty())
      header += "(" +
                join(it.params, ", ", [](const Name &n) { return n.text; }) +
                ")";
    for (const StageTrigger &t : it.triggers)
      header += t.kind == StageTrigger::Kind::On
                    ? " on " + toSource(*t.date)
                    : " after " + join(t.stages, ", ",
                                       [](const Name &n) { return n.text; });
    block(r, header, close, [&] {
      for (const Step &s : it.steps)
        statement(s.range, stepSource(s));
    });
    return;
  }
  case Item::Kind::Overlay:
    block(r, "overlay " + it.name.text + " " + toSource(*it.path), close, [&] {
      for (const OverlayEntry &e : it.overlay)
        statement(
            e.range,
            e.allow
                ? "allow " + e.allow->text + " " + toSource(*e.reason) + ";"
                : join(e.path, ".", [](const Key &k) { return keySource(k); }) +
                      (e.append ? " += " : " = ") + toSource(*e.value) + ";");
    });
    return;
  }
}

/// One-line items of one kind stay together; blocks are set apart.
static bool isBlockItem(const Item &it) {
  return it.kind != Item::Kind::Compat && it.kind != Item::Kind::Check &&
         it.kind != Item::Kind::With &&
         !(it.kind == Item::Kind::Channels && !it.channelsHaveBody);
}

std::string FileFormatter::run() {
  for (const Import &imp : file.imports)
    statement(imp.range, "import " + toSource(*imp.path) + ";");
  if (!file.imports.empty())
    atBlockStart = false, lastEnd = nullptr, out += '\n';

  std::string header =
      file.kind == File::Kind::Project
          ? "project " + file.name.text
          : "release " + file.name.text + " " + file.releaseVersion->str();
  SMRange unit = file.unitRange;
  block(unit, header, file.closeBrace, [&] {
    const Item *prev = nullptr;
    for (const Item &it : file.items) {
      // Block items, and items of a different kind, are always set apart.
      bool isBlock = isBlockItem(it);
      bool prevBlock = prev && isBlockItem(*prev);
      if (prev && (isBlock || prevBlock || prev->kind != it.kind)) {
        out += '\n';
        lastEnd = nullptr;
      }
      item(it);
      prev = &it;
    }
  });
  // Comments after the unit's closing brace.
  lastEnd = file.closeBrace.getPointer() + 1;
  leadingComments(nullptr);
  return out;
}

std::string ast::formatFile(const File &file) {
  return FileFormatter(file).run();
}
