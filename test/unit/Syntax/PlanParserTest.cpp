//===- PlanParserTest.cpp - The plan parser gives ANTLR's trees -----------===//
//
// lib/Syntax/PlanParser.cpp parses plan files without ANTLR's parser, which
// stays the reference. On every plan of the repository, on truncations and
// on random token-level mutations of a few of them: where the written-out
// parser takes a text, ANTLR's path parses it too, without a diagnostic, to
// the same AST (every node, every field, every range, compared as a complete
// dump); where it declines, parseBuffer's result and its diagnostics are
// ANTLR's. And it takes every bundled plan, or relc's start-up would quietly
// go back to ANTLR's parser.
//
//===----------------------------------------------------------------------===//
#include "Syntax/Parser.h"
#include "Syntax/SyntaxImpl.h"

#include "SourceInputs.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <random>

using namespace relc;
using namespace relc::ast;

namespace {

/// Every field of a File, each range as byte offsets into its buffer.
class Dump {
public:
  explicit Dump(const char *base) : base(base) {}

  std::string operator()(const File &f) {
    line("File " + std::to_string(int(f.kind)) + " " + f.path + " " +
         std::to_string(f.bufferId));
    name("name", f.name);
    version("releaseVersion", f.releaseVersion.get());
    range("unit", f.unitRange);
    loc("closeBrace", f.closeBrace);
    for (const Import &i : f.imports) {
      range("Import", i.range);
      Nest n(*this);
      expr(i.path.get());
    }
    for (const Comment &c : f.comments)
      range("Comment " + c.text + (c.ownLine ? " own" : ""), c.range);
    for (const Item &it : f.items)
      item(it);
    return out;
  }

private:
  struct Nest {
    Dump &d;
    explicit Nest(Dump &d) : d(d) { ++d.depth; }
    ~Nest() { --d.depth; }
  };
  std::string offset(SMLoc l) {
    return l.isValid() ? std::to_string(l.getPointer() - base) : "-";
  }
  void line(const std::string &s) {
    out.append(depth * 2, ' ');
    out += s + "\n";
  }
  void loc(const std::string &what, SMLoc l) { line(what + " @" + offset(l)); }
  void range(const std::string &what, SMRange r) {
    line(what + " @" + offset(r.Start) + "-" + offset(r.End));
  }
  void name(const std::string &what, const Name &n) {
    range(what + " '" + n.text + "'", n.range);
  }
  void name(const std::string &what, const std::optional<Name> &n) {
    if (n)
      name(what, *n);
  }
  void names(const std::string &what, const std::vector<Name> &ns) {
    for (const Name &n : ns)
      name(what, n);
  }
  void version(const std::string &what, const VersionExpr *v) {
    if (v)
      range(what + " " + v->str() + (v->freeThreaded ? " ft" : ""),
            v->getRange());
  }
  void key(const Key &k) {
    range("Key '" + k.text + "'" + (k.quoted ? " quoted" : ""), k.range);
  }

  void expr(const Expr *e) {
    if (!e)
      return line("null");
    std::string head = "Expr " + std::to_string(int(e->getKind()));
    if (auto *s = llvm::dyn_cast<StringExpr>(e)) {
      range(head + " '" + s->value + "'", e->getRange());
      Nest n(*this);
      for (const StringExpr::Part &p : s->parts)
        range(std::string(p.isPlaceholder ? "ph" : "lit") + " '" + p.text + "'",
              p.range);
      return;
    }
    if (auto *d = llvm::dyn_cast<DateExpr>(e))
      head += " " + d->value.str();
    else if (auto *d = llvm::dyn_cast<DurationExpr>(e))
      head += " " + std::to_string(d->value.inSeconds());
    else if (auto *s = llvm::dyn_cast<SizeExpr>(e))
      head += " " + std::to_string(s->value.inBytes());
    else if (auto *v = llvm::dyn_cast<VersionExpr>(e))
      head += " " + v->str() + (v->freeThreaded ? " ft" : "");
    else if (auto *b = llvm::dyn_cast<BinaryExpr>(e))
      head += std::string(" ") + b->op;
    range(head, e->getRange());
    Nest n(*this);
    if (auto *p = llvm::dyn_cast<PathExpr>(e))
      names("part", p->parts);
    else if (auto *l = llvm::dyn_cast<ListExpr>(e))
      for (const ExprPtr &x : l->elements)
        expr(x.get());
    else if (auto *o = llvm::dyn_cast<ObjectExpr>(e))
      for (const ObjectExpr::Field &f : o->fields) {
        key(f.key);
        expr(f.value.get());
      }
    else if (auto *b = llvm::dyn_cast<BinaryExpr>(e)) {
      expr(b->lhs.get());
      expr(b->rhs.get());
    } else if (auto *r = llvm::dyn_cast<RangeExpr>(e)) {
      expr(r->lo.get());
      expr(r->hi.get());
    } else if (auto *p = llvm::dyn_cast<ParenExpr>(e))
      expr(p->inner.get());
  }

  void value(const std::string &what, const Value &v) {
    range(what + " " + std::to_string(int(v.kind)), v.range);
    Nest n(*this);
    name("name", v.name);
    version("version", v.version.get());
    if (v.string)
      expr(v.string.get());
  }
  void pins(const std::vector<Pin> &ps) {
    for (const Pin &p : ps) {
      range("Pin", p.range);
      Nest n(*this);
      name("component", p.component);
      version("version", p.version.get());
    }
  }
  void attributes(const std::vector<Attribute> &as) {
    for (const Attribute &a : as) {
      range(std::string("Attribute") + (a.hasArgs ? " args" : ""), a.range);
      Nest n(*this);
      name("name", a.name);
      for (const ExprPtr &x : a.args)
        expr(x.get());
    }
  }
  void cond(const std::string &what, const Condition *c) {
    if (!c)
      return;
    std::string head = what + " " + std::to_string(int(c->getKind()));
    if (auto *cmp = llvm::dyn_cast<CompareCondition>(c))
      head += " op " + std::to_string(int(cmp->op));
    range(head, c->getRange());
    Nest n(*this);
    if (auto *l = llvm::dyn_cast<LogicalCondition>(c))
      for (const ConditionPtr &o : l->operands)
        cond("operand", o.get());
    else if (auto *no = llvm::dyn_cast<NotCondition>(c))
      cond("operand", no->operand.get());
    else if (auto *p = llvm::dyn_cast<ParenCondition>(c))
      cond("inner", p->inner.get());
    else if (auto *cmp = llvm::dyn_cast<CompareCondition>(c)) {
      name("axis", cmp->axis);
      value("value", cmp->value);
    } else if (auto *in = llvm::dyn_cast<InCondition>(c)) {
      name("axis", in->axis);
      for (const Value &v : in->values)
        value("value", v);
    }
  }
  void settings(const std::vector<Setting> &ss) {
    for (const Setting &s : ss) {
      range("Setting", s.range);
      Nest n(*this);
      name("key", s.key);
      for (const ExprPtr &x : s.values)
        expr(x.get());
    }
  }

  void matrixEntry(const MatrixEntry &m) {
    range("Entry " + std::to_string(int(m.kind)) + (m.append ? " append" : "") +
              (m.hasBody ? " body" : ""),
          m.range);
    Nest n(*this);
    name("axis", m.axis);
    for (const AxisValue &v : m.values) {
      range("AxisValue", v.range);
      Nest k(*this);
      value("value", v.value);
      if (v.rangeEnd)
        value("rangeEnd", *v.rangeEnd);
      pins(v.pins);
      attributes(v.attributes);
    }
    expr(m.value.get());
    if (m.pin) {
      range("Pin", m.pin->range);
      Nest k(*this);
      name("component", m.pin->component);
      version("version", m.pin->version.get());
    }
    cond("condition", m.condition.get());
    cond("where", m.where.get());
    for (const Binding &b : m.bindings) {
      range("Binding", b.range);
      Nest k(*this);
      name("axis", b.axis);
      value("value", b.value);
      pins(b.pins);
      attributes(b.attributes);
    }
    name("variant", m.variant);
    settings(m.settings);
  }

  void step(const Step &s) {
    range("Step " + std::to_string(int(s.kind)), s.range);
    Nest n(*this);
    for (const ExprPtr &x : s.operands)
      expr(x.get());
    names("name", s.names);
    name("channel", s.channel);
    for (const StepOption &o : s.options) {
      range("Option " + std::to_string(int(o.kind)), o.range);
      Nest k(*this);
      name("name", o.name);
      expr(o.value.get());
    }
  }

  void item(const Item &it) {
    range("Item " + std::to_string(int(it.kind)) +
              (it.channelsHaveBody ? " body" : ""),
          it.range);
    Nest n(*this);
    name("name", it.name);
    if (it.path)
      expr(it.path.get());
    settings(it.settings);
    names("channel", it.channels);
    for (const ChannelException &e : it.exceptions) {
      range("Exception", e.range);
      Nest k(*this);
      name("axis", e.axis);
      value("value", e.value);
      name("channel", e.channel);
      if (e.reason)
        expr(e.reason.get());
    }
    for (const ChannelTarget &t : it.targets) {
      range("Target", t.range);
      Nest k(*this);
      name("channel", t.channel);
      settings(t.settings);
    }
    name("function", it.function);
    for (const Arg &a : it.args) {
      name("arg", a.name);
      expr(a.value.get());
    }
    for (const ScheduleEntry &e : it.schedule) {
      range(std::string("Schedule") + (e.isPatch ? " patch" : ""), e.range);
      Nest k(*this);
      name("milestone", e.milestone);
      version("patchVersion", e.patchVersion.get());
      expr(e.when.get());
    }
    for (const MatrixEntry &m : it.matrix)
      matrixEntry(m);
    name("base", it.base);
    names("param", it.params);
    for (const StageTrigger &t : it.triggers) {
      range("Trigger " + std::to_string(int(t.kind)), t.range);
      Nest k(*this);
      if (t.date)
        expr(t.date.get());
      names("stage", t.stages);
    }
    for (const Step &s : it.steps)
      step(s);
    for (const OverlayEntry &e : it.overlay) {
      range(std::string("Overlay") + (e.append ? " append" : ""), e.range);
      Nest k(*this);
      for (const Key &k : e.path)
        key(k);
      if (e.value)
        expr(e.value.get());
      name("allow", e.allow);
      if (e.reason)
        expr(e.reason.get());
    }
    version("version", it.version.get());
  }

  const char *base;
  std::string out;
  unsigned depth = 0;
};

/// One parse of \p text through parseBuffer: its dump (empty if it failed),
/// its diagnostics, and whether the written-out parser gave it.
struct Parse {
  std::string dump, diagnostics;
  bool writtenOut = false;
};

Parse parse(const std::string &text, bool antlrOnly) {
  llvm::SourceMgr sm;
  Parse p;
  llvm::raw_string_ostream os(p.diagnostics);
  DiagnosticEngine diags(sm, os);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "plan.relplan"),
      llvm::SMLoc());
  ParseOptions options;
  options.antlrOnly = antlrOnly;
  ParseStats stats;
  std::unique_ptr<File> file = parseBuffer(diags, id, options, &stats);
  diags.flush();
  os.flush();
  if (file)
    p.dump = Dump(sm.getMemoryBuffer(id)->getBufferStart())(*file);
  p.writtenOut = stats.writtenOut;
  return p;
}

/// Holds the two parsers to each other on \p text; true if the written-out
/// one took it.
bool expectSame(const std::string &text, const std::string &what) {
  Parse fast = parse(text, false), reference = parse(text, true);
  EXPECT_FALSE(reference.writtenOut);
  if (fast.writtenOut) {
    EXPECT_TRUE(reference.diagnostics.empty())
        << what << ": the written-out parser took a text ANTLR's path "
        << "reports:\n"
        << reference.diagnostics << "\n--- text:\n"
        << text;
    EXPECT_FALSE(fast.dump.empty()) << what;
  }
  EXPECT_EQ(fast.diagnostics, reference.diagnostics) << what;
  EXPECT_EQ(fast.dump, reference.dump) << what << "\n--- text:\n" << text;
  return fast.writtenOut;
}

std::vector<test::Input> plans(llvm::StringRef dir) {
  return test::sourceInputs(dir, {".relplan"});
}

TEST(PlanParserTest, TakesEveryBundledPlanAsANTLRParsesIt) {
  std::vector<test::Input> inputs = plans("plans");
  ASSERT_GE(inputs.size(), 20u);
  for (const test::Input &in : inputs)
    EXPECT_TRUE(expectSame(in.text, in.name))
        << in.name << ": the written-out parser declined a bundled plan";
}

TEST(PlanParserTest, AgreesOnEveryTestInput) {
  std::vector<test::Input> inputs = plans("test");
  ASSERT_GE(inputs.size(), 100u);
  size_t taken = 0;
  for (const test::Input &in : inputs)
    taken += expectSame(in.text, in.name);
  // The rest are syntax errors and bad literals, for ANTLR's path to word.
  EXPECT_GE(taken, inputs.size() / 2);
}

const test::Input &bundled(llvm::StringRef name) {
  static const std::vector<test::Input> inputs = plans("plans");
  for (const test::Input &in : inputs)
    if (llvm::StringRef(in.name).endswith(name))
      return in;
  static const test::Input none{"", ""};
  ADD_FAILURE() << "no bundled plan " << name.str();
  return none;
}

TEST(PlanParserTest, AgreesOnTruncations) {
  // Every byte of a release; every line of the project (each parse of a
  // 16 KB text with an error costs ANTLR's full-LL reparse).
  const test::Input &release = bundled("pytorch/2.4.relplan");
  for (size_t n = 0; n < release.text.size(); ++n)
    expectSame(release.text.substr(0, n),
               release.name + " cut at byte " + std::to_string(n));
  const test::Input &project = bundled("pytorch/project.relplan");
  for (size_t n = project.text.find('\n'); n != std::string::npos;
       n = project.text.find('\n', n + 1))
    expectSame(project.text.substr(0, n),
               project.name + " cut at byte " + std::to_string(n));
}

/// The tokens of \p text, as [start, end) byte offsets (ASCII text).
std::vector<std::pair<size_t, size_t>> tokenSpans(const std::string &text) {
  syntax::CodePointStream input(text);
  syntax::PlanLexer lexer(input);
  std::vector<std::pair<size_t, size_t>> out;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    if (t->getType() == antlr4::Token::EOF)
      return out;
    out.push_back({t->getStartIndex(), t->getStopIndex() + 1});
  }
}

TEST(PlanParserTest, AgreesOnRandomMutations) {
  // Pieces a mutation may put in: what the grammar tells apart on more than
  // one token, and literals the Transformer refuses.
  static const char *const pieces[] = {"recipe",
                                       "allow",
                                       "patch",
                                       "in",
                                       "on",
                                       "after",
                                       "channel",
                                       "not",
                                       "where",
                                       "policy",
                                       "{",
                                       "}",
                                       "(",
                                       ")",
                                       "[",
                                       "]",
                                       ",",
                                       ";",
                                       ".",
                                       "..",
                                       "=",
                                       "+=",
                                       "+",
                                       "-",
                                       "is",
                                       "==",
                                       "<=",
                                       "2.4.1",
                                       "3",
                                       "2w",
                                       "1 GiB",
                                       "2024-02-30",
                                       "2024-06-10",
                                       "\"a{b}\"",
                                       "\"{x\"",
                                       "\"\\q\"",
                                       "1.2.3.4rc1.post",
                                       "once",
                                       "annotated",
                                       "with",
                                       "a.b",
                                       "or",
                                       "and"};
  std::mt19937 rng(20240610);
  size_t taken = 0, total = 0;
  for (llvm::StringRef name :
       {"pytorch/2.4.relplan", "pytorch/project.relplan"}) {
    const std::string &text = bundled(name).text;
    std::vector<std::pair<size_t, size_t>> spans = tokenSpans(text);
    ASSERT_FALSE(spans.empty());
    // The project's parses are dearer; fewer of them.
    size_t rounds = name.startswith("pytorch/2") ? 2500 : 400;
    for (size_t round = 0; round < rounds; ++round) {
      auto [start, end] = spans[rng() % spans.size()];
      auto [oStart, oEnd] = spans[rng() % spans.size()];
      std::string other = text.substr(oStart, oEnd - oStart);
      std::string piece = pieces[rng() % std::size(pieces)];
      std::string mutated;
      switch (rng() % 4) {
      case 0: // drop a token
        mutated = text.substr(0, start) + text.substr(end);
        break;
      case 1: // a token for another of the text
        mutated = text.substr(0, start) + other + text.substr(end);
        break;
      case 2: // a piece before a token
        mutated = text.substr(0, start) + piece + " " + text.substr(start);
        break;
      default: // a piece for a token
        mutated = text.substr(0, start) + piece + text.substr(end);
        break;
      }
      ++total;
      taken += expectSame(mutated,
                          name.str() + " mutation " + std::to_string(round));
      if (::testing::Test::HasFailure())
        return; // One disagreement is enough to read.
    }
  }
  // Many mutations leave a well-formed plan: the written-out parser must
  // still take those.
  EXPECT_GE(taken, total / 10);
}

TEST(PlanParserTest, LeavesAmbiguousRecipesToANTLR) {
  // `recipe build;` is a recipe and an axis named `recipe`.
  const char *text = "project p { matrix m { recipe build; } }";
  EXPECT_FALSE(expectSame(text, "ambiguous recipe"));
  EXPECT_TRUE(expectSame("project p { matrix m { recipe build where a is b; "
                         "recipe test none { x 1; } } }",
                         "recipes"));
}

TEST(PlanParserTest, DeclinesDeepNestingWithoutRecursingFar) {
  std::string deep = "project p { repo { x ";
  for (int i = 0; i < 200; ++i)
    deep += "[";
  for (int i = 0; i < 200; ++i)
    deep += "]";
  deep += "; } }";
  EXPECT_FALSE(expectSame(deep, "200 brackets"));
  std::string nots = "project p { matrix m { exclude ";
  for (int i = 0; i < 100; ++i)
    nots += "not ";
  nots += "a is b; } }";
  Parse fast = parse(nots, false);
  EXPECT_FALSE(fast.writtenOut);
}

} // namespace
