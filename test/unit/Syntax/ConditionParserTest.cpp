//===- ConditionParserTest.cpp - The condition parser gives ANTLR's trees -===//
//
// lib/Syntax/ConditionParser.cpp parses the common conditions of models
// without ANTLR's parser, which stays the reference. On the conditions of
// every model and plan of the repository, on corners and on random texts
// made of the grammar's pieces: where the written-out parser gives a tree,
// the reference gives the same one (kinds, operators, names, values and
// every range); and where the reference parses a text without strings, the
// written-out parser does too, so the models' conditions take the fast path.
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

#include "SourceInputs.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <random>

using namespace relc;
using namespace relc::ast;

namespace {

/// A condition and every range in it, as offsets into \p text.
class Describe {
public:
  explicit Describe(llvm::StringRef text) : base(text.data()) {}

  std::string operator()(const Condition &c) {
    out.clear();
    condition(c);
    return out;
  }

private:
  void range(llvm::SMRange r) {
    out += "@" + std::to_string(r.Start.getPointer() - base) + "-" +
           std::to_string(r.End.getPointer() - base) + " ";
  }
  void name(const Name &n) {
    out += "name '" + n.text + "'";
    range(n.range);
  }
  void value(const Value &v) {
    out += "value " + std::to_string(int(v.kind));
    range(v.range);
    if (v.kind == Value::Kind::Named)
      name(v.name);
    if (v.version) {
      out += "version " + v.version->str();
      range(v.version->getRange());
    }
    if (v.string)
      out += "string '" + v.string->value + "' ";
  }
  void condition(const Condition &c) {
    out += "(" + std::to_string(int(c.getKind()));
    range(c.getRange());
    if (auto *l = llvm::dyn_cast<LogicalCondition>(&c))
      for (const ConditionPtr &o : l->operands)
        condition(*o);
    else if (auto *n = llvm::dyn_cast<NotCondition>(&c))
      condition(*n->operand);
    else if (auto *p = llvm::dyn_cast<ParenCondition>(&c))
      condition(*p->inner);
    else if (auto *cmp = llvm::dyn_cast<CompareCondition>(&c)) {
      name(cmp->axis);
      out += "op " + std::to_string(int(cmp->op)) + " ";
      value(cmp->value);
    } else if (auto *in = llvm::dyn_cast<InCondition>(&c)) {
      name(in->axis);
      for (const Value &v : in->values)
        value(v);
    }
    out += ")";
  }

  const char *base;
  std::string out;
};

/// Parses \p text with both parsers and compares them. Returns whether the
/// written-out parser took it.
bool compare(const std::string &text) {
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(text, "cond"),
                        llvm::SMLoc());
  llvm::StringRef buffer = sm.getMemoryBuffer(1)->getBuffer();
  std::string diagText;
  llvm::raw_string_ostream os(diagText);
  ConditionPtr reference, simple;
  {
    DiagnosticEngine diags(sm, os);
    reference = syntax::parseConditionWithANTLR(diags, buffer);
    simple = syntax::parseSimpleCondition(buffer);
  }
  if (simple) {
    EXPECT_TRUE(reference) << text << "\n" << diagText;
    if (reference) {
      EXPECT_EQ(Describe(buffer)(*reference), Describe(buffer)(*simple))
          << text;
    }
  } else if (reference) {
    EXPECT_TRUE(buffer.contains('"')) << "not taken: " << text;
  }
  return simple != nullptr;
}

TEST(ConditionParserTest, SameTreesOnEveryModelAndPlan) {
  std::vector<std::string> conditions;
  // A model's `when`, `require` and `window`; a plan's exclude and where.
  llvm::Regex model("(when|require|window): *\"?([^\"\n]*)");
  llvm::Regex plan("(exclude|where) +([^;{]*)");
  for (llvm::StringRef dir : {"plans", "test"}) {
    for (const test::Input &in :
         test::sourceInputs(dir, {".yaml", ".relplan"})) {
      llvm::Regex &re =
          llvm::StringRef(in.name).endswith(".yaml") ? model : plan;
      llvm::StringRef rest = in.text;
      llvm::SmallVector<llvm::StringRef, 3> m;
      while (re.match(rest, &m)) {
        conditions.push_back(m[2].str());
        rest = rest.substr(m[0].data() + m[0].size() - rest.data());
      }
    }
  }
  ASSERT_GE(conditions.size(), 100u);
  size_t taken = 0;
  for (const std::string &c : conditions)
    taken += compare(c);
  EXPECT_GE(taken, 100u);
}

TEST(ConditionParserTest, SameTreesOnCorners) {
  const std::string texts[] = {
      "platform is linux-aarch64",
      "release < 2.6",
      "platform in [macos-arm64, macos-x86_64]",
      "accel is cuda and platform != linux-x86_64",
      "not (accel is cuda 12.4 or python is 3.13t) and release >= 2.4.0rc1",
      "python is not 3.8",
      "a == b or c != d or e <= 1 and f >= 2 and g > 3 or h < 4",
      "not not not x is y",
      "in in [in, from 1, release 2.4]",
      "release is 01.2",
      "  (  ( a is b ) )  // trailing comment",
      "/* c */ a is b",
      "x is \"s\"",
      "x is 1.0.0.dev1.post2",
      "x is 1.0foo",
      "x is 1.x",
      "x is",
      "is x",
      "x is y z",
      "(x is y",
      "x in []",
      "x in [a,]",
      "x is y and",
      "caf\xc3\xa9 is y",
      "x is y ;",
      "",
      "  ",
  };
  for (const std::string &t : texts)
    compare(t);
  // Nesting within the written-out parser's depth is taken; deeper is left
  // to ANTLR's path, which reports what is too deep for it.
  auto nested = [](size_t n) {
    return std::string(n, '(').append("a is b").append(n, ')');
  };
  EXPECT_TRUE(compare(nested(30)));
  EXPECT_EQ(syntax::parseSimpleCondition(nested(40)), nullptr);
  EXPECT_EQ(syntax::parseSimpleCondition(nested(400)), nullptr);
  EXPECT_TRUE(compare("platform in [macos-arm64, macos-x86_64]"));
  EXPECT_FALSE(compare("x is \"s\""));
  // A partner's value, dotted with spaces and comments around the dot: the
  // name is its parts joined by '.', as ANTLR's path gives it.
  EXPECT_TRUE(compare("pytorch.release < 2.3"));
  EXPECT_TRUE(compare("pytorch . release < 2.3"));
  EXPECT_TRUE(compare("pytorch /* p */ .release >= 2.4"));
}

/// A random condition of the grammar, with spacing, comments and the
/// occasional value ANTLR's path must take (a string, a version that is not
/// PEP 440).
std::string randomCondition(std::mt19937 &rng, int depth) {
  auto pick = [&](std::initializer_list<const char *> list) {
    return std::string(list.begin()[rng() % list.size()]);
  };
  auto space = [&] { return pick({" ", " ", "  ", "\n", " /* c */ "}); };
  auto value = [&] {
    return pick({"linux-x86_64", "cuda", "cuda 12.4", "3.12", "3.13t", "2",
                 "1.0rc1", "release 2.4", "in", "from", "1.x", "\"s\""});
  };
  auto axis = [&] { return pick({"platform", "accel", "release", "in"}); };
  switch (depth > 3 ? rng() % 2 : rng() % 6) {
  case 0:
    return axis() + space() +
           pick({"is", "is not", "==", "!=", "<", "<=", ">", ">="}) + space() +
           value();
  case 1: {
    std::string s = axis() + space() + "in" + space() + "[" + value();
    for (size_t n = rng() % 3; n; --n)
      s += "," + space() + value();
    return s + "]";
  }
  case 2:
    return "not" + space() + randomCondition(rng, depth + 1);
  case 3:
    return "(" + randomCondition(rng, depth + 1) + ")";
  default:
    return randomCondition(rng, depth + 1) + space() + pick({"and", "or"}) +
           space() + randomCondition(rng, depth + 1);
  }
}

TEST(ConditionParserTest, SameTreesOnRandomConditions) {
  std::mt19937 rng(20240724);
  size_t taken = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text = randomCondition(rng, 0);
    // Every tenth one loses a character somewhere, to make errors.
    if (i % 10 == 0)
      text.erase(rng() % text.size(), 1);
    taken += compare(text);
    if (::testing::Test::HasFailure())
      return;
  }
  EXPECT_GE(taken, 1000u);
}

TEST(ConditionParserTest, SameTreesOnRandomTexts) {
  const char *pieces[] = {
      "platform", "accel", "release", "in",    "from",   "linux-x86_64", "cuda",
      "3.12",     "12.4",  "3.13t",   "2",     "1.0rc1", "1.x",          " is ",
      " is not ", " == ",  " != ",    " < ",   " <= ",   " > ",          " >= ",
      " in [",    "]",     ", ",      " and ", " or ",   "not ",         "(",
      ")",        "\"s\"", " ",       "//",    "\n"};
  std::mt19937 rng(20240610);
  for (int i = 0; i < 5000; ++i) {
    compare(test::randomText(rng, pieces, 10));
    if (::testing::Test::HasFailure())
      return;
  }
}

} // namespace
