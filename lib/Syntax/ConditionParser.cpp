//===- ConditionParser.cpp - Conditions without ANTLR's parser ------------===//
//
// A compatibility model's rules hold conditions (`platform is linux-aarch64`),
// each parsed on its own when the model loads. Through ANTLR's parser each
// one cost about 45,000 instructions, most of it setting up the parser and
// its prediction for a text of a few tokens: 0.9 M of the 10 M of `relc
// check` on PyTorch's plan. The grammar's conditions are LL(1), so this
// recursive-descent parser of grammar/RelPlan.g4's `conditionText` rule is
// short. It takes only what it can give exactly as the reference would:
// well-formed ASCII text whose values are names and valid versions. Anything
// else (an error to word, a string value, nesting deep enough to need
// Parser.cpp's limit) it leaves to ANTLR's parser by returning nullptr.
// test/unit/Syntax/ConditionParserTest.cpp holds both parsers to the same
// trees and ranges.
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

#include "llvm/ADT/StringExtras.h"

using namespace relc;
using namespace relc::ast;
using namespace relc::syntax;
using P = RelPlanParser;

namespace {

class ConditionParser {
public:
  explicit ConditionParser(llvm::StringRef text) : text(text) {}

  ConditionPtr parse() {
    // Token indices count code points; in ASCII text they are bytes.
    if (!llvm::isASCII(text))
      return nullptr;
    PlanScanner<char> scanner(text.begin(), text.end());
    for (;;) {
      Lexeme t = scanner.next();
      if (t.type == antlr4::Token::EOF)
        break;
      // Lexical errors are on the default channel: no parse accepts them.
      if (!t.hidden())
        tokens.push_back(t);
    }
    ConditionPtr c = condition();
    return pos == tokens.size() ? std::move(c) : nullptr;
  }

private:
  size_t type() const {
    return pos < tokens.size() ? tokens[pos].type : size_t(antlr4::Token::EOF);
  }
  bool accept(size_t t) {
    if (type() != t)
      return false;
    ++pos;
    return true;
  }
  /// From the start of token \p first to the end of the last one taken.
  llvm::SMRange since(size_t first) const {
    return {llvm::SMLoc::getFromPointer(text.data() + tokens[first].start),
            llvm::SMLoc::getFromPointer(text.data() + tokens[pos - 1].end)};
  }

  ConditionPtr condition() { return chain(P::K_OR, Condition::Kind::Or); }

  /// `a OP b OP c`: one operand alone, or a LogicalCondition of them all.
  ConditionPtr chain(size_t op, Condition::Kind kind) {
    size_t first = pos;
    std::vector<ConditionPtr> ops;
    do {
      ConditionPtr c = kind == Condition::Kind::Or
                           ? chain(P::K_AND, Condition::Kind::And)
                           : negation();
      if (!c)
        return nullptr;
      ops.push_back(std::move(c));
    } while (accept(op));
    if (ops.size() == 1)
      return std::move(ops[0]);
    return std::make_unique<LogicalCondition>(kind, since(first),
                                              std::move(ops));
  }

  ConditionPtr negation() {
    // Parser.cpp limits bracket nesting before ANTLR's parser recurses.
    if (++depth > 32)
      return nullptr;
    ConditionPtr c = negationBody();
    --depth;
    return c;
  }

  ConditionPtr negationBody() {
    size_t first = pos;
    if (accept(P::K_NOT)) {
      ConditionPtr operand = negation();
      if (!operand)
        return nullptr;
      return std::make_unique<NotCondition>(since(first), std::move(operand));
    }
    if (accept(P::LPAREN)) {
      ConditionPtr inner = condition();
      if (!inner || !accept(P::RPAREN))
        return nullptr;
      return std::make_unique<ParenCondition>(since(first), std::move(inner));
    }
    std::optional<Name> axis = name();
    if (!axis)
      return nullptr;
    if (accept(P::K_IN)) {
      if (!accept(P::LBRACKET))
        return nullptr;
      std::vector<Value> values;
      do {
        std::optional<Value> v = value();
        if (!v)
          return nullptr;
        values.push_back(std::move(*v));
      } while (accept(P::COMMA));
      if (!accept(P::RBRACKET))
        return nullptr;
      return std::make_unique<InCondition>(since(first), std::move(*axis),
                                           std::move(values));
    }
    // A comparison may name a partner's value (`pytorch.release`): one
    // dotted name, as the grammar's qualifiedName.
    if (accept(P::DOT)) {
      std::optional<Name> member = name();
      if (!member)
        return nullptr;
      // The parts joined by '.', whatever spacing or comment is around
      // the dot, as ANTLR's path names it.
      axis->range.End = member->range.End;
      axis->text += "." + member->text;
    }
    std::optional<CompareCondition::Op> op = comparator();
    if (!op)
      return nullptr;
    std::optional<Value> v = value();
    if (!v)
      return nullptr;
    return std::make_unique<CompareCondition>(since(first), std::move(*axis),
                                              *op, std::move(*v));
  }

  std::optional<CompareCondition::Op> comparator() {
    std::optional<CompareCondition::Op> op = comparatorOp(type());
    if (!op)
      return std::nullopt;
    ++pos;
    return *op == CompareCondition::Op::Is && accept(P::K_NOT)
               ? CompareCondition::Op::IsNot
               : *op;
  }

  std::optional<Name> name() {
    if (!isNameToken(type()))
      return std::nullopt;
    ++pos;
    llvm::SMRange r = since(pos - 1);
    return Name{std::string(r.Start.getPointer(), r.End.getPointer()), r};
  }

  bool atVersion() const { return type() == P::VERSION || type() == P::INT; }

  /// Null for a version that is not PEP 440: ANTLR's path reports it.
  std::unique_ptr<VersionExpr> version() {
    ++pos;
    llvm::SMRange r = since(pos - 1);
    std::string err;
    std::unique_ptr<VersionExpr> v =
        versionExpr(llvm::StringRef(r.Start.getPointer(),
                                    r.End.getPointer() - r.Start.getPointer()),
                    r, err);
    return err.empty() ? std::move(v) : nullptr;
  }

  std::optional<Value> value() {
    size_t first = pos;
    Value v;
    if (atVersion()) {
      v.kind = Value::Kind::Version;
      if (!(v.version = version()))
        return std::nullopt;
    } else if (std::optional<Name> n = name()) {
      v.kind = Value::Kind::Named;
      v.name = std::move(*n);
      if (atVersion() && !(v.version = version()))
        return std::nullopt;
    } else {
      return std::nullopt;
    }
    v.range = since(first);
    return v;
  }

  llvm::StringRef text;
  std::vector<Lexeme> tokens;
  size_t pos = 0;
  unsigned depth = 0;
};

} // namespace

std::optional<CompareCondition::Op> syntax::comparatorOp(size_t type) {
  using Op = CompareCondition::Op;
  static const std::pair<size_t, Op> ops[] = {
      {P::K_IS, Op::Is}, {P::EQ, Op::Eq}, {P::NE, Op::Ne}, {P::LT, Op::Lt},
      {P::LE, Op::Le},   {P::GT, Op::Gt}, {P::GE, Op::Ge}};
  for (auto [token, op] : ops)
    if (type == token)
      return op;
  return std::nullopt;
}

ConditionPtr syntax::parseSimpleCondition(llvm::StringRef text) {
  return ConditionParser(text).parse();
}
