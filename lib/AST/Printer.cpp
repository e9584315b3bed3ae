//===- Printer.cpp - Dumping the AST
//---------------------------------------===//
//
// A node is printed as `Kind detail <line:col>`, its children one level
// deeper. Expressions and conditions are printed as trees too, so a test can
// see how `branch_cut + 2w` or `a or b and c` grouped.
//
//===----------------------------------------------------------------------===//
#include "AST/Printer.h"
#include "AST/Formatter.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;
using namespace relc::ast;

namespace {

class Printer {
public:
  Printer(const llvm::SourceMgr &sm, llvm::raw_ostream &os, bool locs)
      : sm(sm), os(os), locs(locs) {}

  void file(const File &f);

private:
  /// Starts a node line; children printed until the matching pop() are
  /// indented under it.
  void node(llvm::StringRef kind, const llvm::Twine &detail, SMRange r) {
    os.indent(depth * 2) << kind;
    std::string d = detail.str();
    if (!d.empty())
      os << ' ' << d;
    if (locs && r.Start.isValid()) {
      auto lc = sm.getLineAndColumn(r.Start);
      os << " <" << lc.first << ':' << lc.second << '>';
    }
    os << '\n';
  }
  struct Nest {
    Printer &p;
    explicit Nest(Printer &p) : p(p) { ++p.depth; }
    ~Nest() { --p.depth; }
  };

  void expr(const Expr &e);
  void cond(const Condition &c);
  /// A matrix entry's `where COND`, if it has one.
  void where(const ConditionPtr &w) {
    if (!w)
      return;
    node("Where", "", w->getRange());
    Nest k(*this);
    cond(*w);
  }
  void value(llvm::StringRef kind, const Value &v);
  void name(llvm::StringRef kind, const Name &n) {
    node(kind, n.text, n.range);
  }
  void pins(const std::vector<Pin> &ps);
  void settings(const std::vector<Setting> &ss) {
    for (const Setting &s : ss) {
      node("Setting", s.key.text, s.range);
      Nest m(*this);
      for (const ExprPtr &x : s.values)
        expr(*x);
    }
  }
  void attributes(const std::vector<Attribute> &as);
  void item(const Item &it);
  void step(const Step &s);

  const llvm::SourceMgr &sm;
  llvm::raw_ostream &os;
  bool locs;
  unsigned depth = 0;
};

} // namespace

void Printer::expr(const Expr &e) {
  SMRange r = e.getRange();
  switch (e.getKind()) {
  case Expr::Kind::String: {
    const auto &s = llvm::cast<StringExpr>(e);
    node("String", quote(s.value), r);
    Nest n(*this);
    if (s.hasPlaceholders())
      for (const StringExpr::Part &p : s.parts)
        if (p.isPlaceholder)
          node("Placeholder", p.text, p.range);
    return;
  }
  case Expr::Kind::Date:
    return node("Date", toSource(e), r);
  case Expr::Kind::Duration:
    return node("Duration", toSource(e), r);
  case Expr::Kind::Size:
    return node("Size",
                toSource(e) + " (" +
                    llvm::Twine(llvm::cast<SizeExpr>(e).value.inBytes()).str() +
                    " bytes)",
                r);
  case Expr::Kind::Version:
    return node("Version", toSource(e), r);
  case Expr::Kind::Path:
    return node("Path", toSource(e), r);
  case Expr::Kind::List: {
    node("List", "", r);
    Nest n(*this);
    for (const ExprPtr &x : llvm::cast<ListExpr>(e).elements)
      expr(*x);
    return;
  }
  case Expr::Kind::Object: {
    node("Object", "", r);
    Nest n(*this);
    for (const ObjectExpr::Field &f : llvm::cast<ObjectExpr>(e).fields) {
      node("Field", f.key.quoted ? quote(f.key.text) : f.key.text, f.key.range);
      Nest m(*this);
      expr(*f.value);
    }
    return;
  }
  case Expr::Kind::Binary: {
    const auto &b = llvm::cast<BinaryExpr>(e);
    node("Binary", llvm::Twine("'") + llvm::Twine(b.op) + "'", r);
    Nest n(*this);
    expr(*b.lhs);
    expr(*b.rhs);
    return;
  }
  case Expr::Kind::Range: {
    const auto &rg = llvm::cast<RangeExpr>(e);
    node("Range", "", r);
    Nest n(*this);
    expr(*rg.lo);
    expr(*rg.hi);
    return;
  }
  case Expr::Kind::Paren: {
    node("Paren", "", r);
    Nest n(*this);
    expr(*llvm::cast<ParenExpr>(e).inner);
    return;
  }
  }
}

void Printer::cond(const Condition &c) {
  SMRange r = c.getRange();
  switch (c.getKind()) {
  case Condition::Kind::Or:
  case Condition::Kind::And: {
    node(c.getKind() == Condition::Kind::Or ? "Or" : "And", "", r);
    Nest n(*this);
    for (const ConditionPtr &x : llvm::cast<LogicalCondition>(c).operands)
      cond(*x);
    return;
  }
  case Condition::Kind::Not: {
    node("Not", "", r);
    Nest n(*this);
    cond(*llvm::cast<NotCondition>(c).operand);
    return;
  }
  case Condition::Kind::Paren: {
    node("Paren", "", r);
    Nest n(*this);
    cond(*llvm::cast<ParenCondition>(c).inner);
    return;
  }
  case Condition::Kind::Compare: {
    const auto &cmp = llvm::cast<CompareCondition>(c);
    node("Compare", "'" + CompareCondition::spelling(cmp.op) + "'", r);
    Nest n(*this);
    name("Axis", cmp.axis);
    value("Value", cmp.value);
    return;
  }
  case Condition::Kind::In: {
    const auto &in = llvm::cast<InCondition>(c);
    node("In", "", r);
    Nest n(*this);
    name("Axis", in.axis);
    for (const Value &v : in.values)
      value("Value", v);
    return;
  }
  }
}

void Printer::value(llvm::StringRef kind, const Value &v) {
  node(kind, toSource(v), v.range);
}

void Printer::pins(const std::vector<Pin> &ps) {
  for (const Pin &p : ps)
    node("Pin", p.component.text + " " + p.version->str(), p.range);
}

void Printer::attributes(const std::vector<Attribute> &as) {
  for (const Attribute &a : as) {
    node("Attribute", a.name.text, a.range);
    Nest n(*this);
    for (const ExprPtr &x : a.args)
      expr(*x);
  }
}

void Printer::step(const Step &s) {
  node("Step", Step::keyword(s.kind), s.range);
  Nest n(*this);
  for (const ExprPtr &x : s.operands)
    expr(*x);
  for (const Name &nm : s.names)
    name("Name", nm);
  if (s.channel)
    name("Channel", *s.channel);
  for (const StepOption &o : s.options) {
    node("Option", o.name.text, o.range);
    Nest m(*this);
    if (o.value)
      expr(*o.value);
  }
}

void Printer::item(const Item &it) {
  switch (it.kind) {
  case Item::Kind::With:
    node("With", it.name.text + " " + it.version->str(), it.range);
    return;
  case Item::Kind::Compat: {
    node("Compat", "", it.range);
    Nest n(*this);
    expr(*it.path);
    return;
  }
  case Item::Kind::Repo:
  case Item::Kind::Policy: {
    node(it.kind == Item::Kind::Repo ? "Repo" : "PatchPolicy", it.name.text,
         it.range);
    Nest n(*this);
    settings(it.settings);
    return;
  }
  case Item::Kind::Channels: {
    std::string order;
    for (const Name &c : it.channels)
      order += (order.empty() ? "" : " > ") + c.text;
    node("Channels", order, it.range);
    Nest n(*this);
    for (const ChannelException &e : it.exceptions) {
      node("Allow",
           e.axis.text + " " + toSource(e.value) + " in " + e.channel.text,
           e.range);
      Nest m(*this);
      if (e.reason)
        expr(*e.reason);
    }
    for (const ChannelTarget &t : it.targets) {
      node("Target", t.channel.text, t.range);
      Nest m(*this);
      settings(t.settings);
    }
    return;
  }
  case Item::Kind::Check: {
    node("Check", it.name.text + " = " + it.function.text, it.range);
    Nest n(*this);
    for (const Arg &a : it.args) {
      name("Arg", a.name);
      Nest m(*this);
      expr(*a.value);
    }
    return;
  }
  case Item::Kind::Schedule: {
    node("Schedule", "", it.range);
    Nest n(*this);
    for (const ScheduleEntry &e : it.schedule) {
      if (e.isPatch)
        node("Patch", e.patchVersion->str(), e.range);
      else
        node("Milestone", e.milestone.text, e.range);
      Nest m(*this);
      expr(*e.when);
    }
    return;
  }
  case Item::Kind::Matrix: {
    node("Matrix", it.name.text + (it.base ? " from " + it.base->text : ""),
         it.range);
    Nest n(*this);
    for (const MatrixEntry &e : it.matrix) {
      switch (e.kind) {
      case MatrixEntry::Kind::Axis: {
        node(e.append ? "AxisAppend" : "Axis", e.axis.text, e.range);
        Nest m(*this);
        for (const AxisValue &v : e.values) {
          value("Value", v.value);
          Nest k(*this);
          if (v.rangeEnd)
            value("RangeEnd", *v.rangeEnd);
          pins(v.pins);
          attributes(v.attributes);
        }
        break;
      }
      case MatrixEntry::Kind::Pin:
        node("PinAll", e.pin->component.text + " " + e.pin->version->str(),
             e.range);
        break;
      case MatrixEntry::Kind::Exclude: {
        node("Exclude", "", e.range);
        Nest m(*this);
        cond(*e.condition);
        where(e.where);
        break;
      }
      case MatrixEntry::Kind::Field: {
        node("Field", e.axis.text, e.range);
        Nest m(*this);
        expr(*e.value);
        where(e.where);
        break;
      }
      case MatrixEntry::Kind::Recipe: {
        node("Recipe",
             e.axis.text + (e.variant ? " " + e.variant->text : std::string()),
             e.range);
        Nest m(*this);
        where(e.where);
        settings(e.settings);
        break;
      }
      case MatrixEntry::Kind::Include: {
        node("Include", "", e.range);
        Nest m(*this);
        for (const Binding &b : e.bindings) {
          node("Binding", b.axis.text + " " + toSource(b.value), b.range);
          Nest k(*this);
          pins(b.pins);
          attributes(b.attributes);
        }
        where(e.where);
        break;
      }
      }
    }
    return;
  }
  case Item::Kind::Stage: {
    node("Stage", it.name.text, it.range);
    Nest n(*this);
    for (const Name &p : it.params)
      name("Param", p);
    for (const StageTrigger &t : it.triggers) {
      if (t.kind == StageTrigger::Kind::On) {
        node("On", "", t.range);
        Nest m(*this);
        expr(*t.date);
      } else {
        node("After", "", t.range);
        Nest m(*this);
        for (const Name &s : t.stages)
          name("Stage", s);
      }
    }
    for (const Step &s : it.steps)
      step(s);
    return;
  }
  case Item::Kind::Overlay: {
    node("Overlay", it.name.text, it.range);
    Nest n(*this);
    expr(*it.path);
    for (const OverlayEntry &e : it.overlay) {
      if (e.allow) {
        node("Allow", e.allow->text, e.range);
        Nest m(*this);
        expr(*e.reason);
        continue;
      }
      std::string path;
      for (const Key &k : e.path)
        path += (path.empty() ? "" : ".") + (k.quoted ? quote(k.text) : k.text);
      node(e.append ? "Append" : "Set", path, e.range);
      Nest m(*this);
      expr(*e.value);
    }
    return;
  }
  }
}

void Printer::file(const File &f) {
  for (const Import &imp : f.imports) {
    node("Import", "", imp.range);
    Nest n(*this);
    expr(*imp.path);
  }
  if (f.kind == File::Kind::Project)
    node("Project", f.name.text, f.unitRange);
  else
    node("Release", f.name.text + " " + f.releaseVersion->str(), f.unitRange);
  Nest n(*this);
  for (const Item &it : f.items)
    item(it);
}

void ast::printAST(const File &file, const llvm::SourceMgr &sm,
                   llvm::raw_ostream &os, bool withLocations) {
  Printer(sm, os, withLocations).file(file);
}
