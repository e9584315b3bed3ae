//===- PlanParser.cpp - Plan files without ANTLR's parser -----------------===//
//
// Through ANTLR's parser, its prediction and the parse tree, then the
// Transformer, PyTorch's 16 KB project cost most of `relc check`'s start-up.
// Apart from one corner (below), grammar/RelPlan.g4's parser rules decide
// each alternative on at most three tokens, so this recursive-descent parser
// of its `planFile` rule is short, and builds the AST the Transformer builds
// straight from the written-out lexer's tokens, with the same ranges and the
// same conversions of literals (Transformer.cpp's stringLiteral and the
// others). It takes only what it can give exactly as the reference would:
// at the first token it did not expect, a literal the Transformer would
// report, or nesting past its own bound, it declines the whole file, and
// parseBuffer parses it again with ANTLR's parser, which words every error.
// So it never reports anything, and error messages stay ANTLR's path's.
//
// The corner left to ANTLR: `recipe NAME;` and `recipe NAME NAME;` in a
// matrix are both a recipe without conditions and an axis named `recipe`
// (`recipe` is also a name); the grammar does not say which.
//
// test/unit/Syntax/PlanParserTest.cpp holds both parsers to the same trees.
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

using namespace relc;
using namespace relc::ast;
using namespace relc::syntax;
using P = RelPlanParser;

namespace {

/// Thrown where the parser declines a file, caught at its entry: a decline
/// can come from any depth, and unwinding frees what was built so far.
struct NotMine {};

class PlanParser {
public:
  PlanParser(llvm::ArrayRef<Lexeme> all, llvm::StringRef text) {
    tokens.reserve(all.size());
    for (const Lexeme &t : all)
      if (!t.hidden())
        tokens.push_back({t.type, t.range(text)});
  }

  std::unique_ptr<File> parse() {
    try {
      return file();
    } catch (NotMine &) {
      return nullptr;
    }
  }

private:
  struct Tok {
    size_t type;
    SMRange range;
  };

  /// Recursion (expressions in expressions, conditions in conditions) past
  /// this depth is left to ANTLR's path, which has its own bound.
  static constexpr unsigned maxDepth = 64;

  [[noreturn]] static void decline() { throw NotMine(); }

  size_t type(size_t ahead = 0) const {
    size_t i = pos + ahead;
    return i < tokens.size() ? tokens[i].type : size_t(antlr4::Token::EOF);
  }
  bool at(size_t t) const { return type() == t; }
  bool atVersion() const { return at(P::VERSION) || at(P::INT); }
  bool accept(size_t t) {
    if (!at(t))
      return false;
    ++pos;
    return true;
  }
  /// Takes a token of type \p t; its range.
  SMRange expect(size_t t) {
    if (!at(t))
      decline();
    return tokens[pos++].range;
  }
  /// From the start of token \p first to the end of the last one taken: the
  /// range ANTLR gives a rule that matched them.
  SMRange since(size_t first) const {
    return {tokens[first].range.Start, tokens[pos - 1].range.End};
  }

  /// Depth of the recursion, held while an instance lives.
  class Nested {
  public:
    explicit Nested(PlanParser &p) : p(p) {
      if (++p.depth > maxDepth)
        decline();
    }
    ~Nested() { --p.depth; }

  private:
    PlanParser &p;
  };

  /// What the literals' conversions report: this parser declines instead.
  struct Declines {
    void operator()(DiagKind, SMRange, const llvm::Twine &) const { decline(); }
  } declines;

  //===------------------------------------------------------ leaves ===//

  Name name() {
    if (!isNameToken(type()))
      decline();
    SMRange r = tokens[pos++].range;
    return {spelling(r).str(), r};
  }
  /// `pytorch.rc` stays one name, as the Transformer gives it.
  Name qualifiedName() {
    Name n = name();
    if (accept(P::DOT)) {
      Name member = name();
      n.text += "." + member.text;
      n.range.End = member.range.End;
    }
    return n;
  }
  /// `x (',' x)*`, each x what \p element takes.
  template <typename Element> auto commaList(Element element) {
    std::vector<decltype(element())> out;
    do
      out.push_back(element());
    while (accept(P::COMMA));
    return out;
  }
  /// `'{' x* '}'`, each x what \p element takes.
  template <typename Element> auto block(Element element) {
    expect(P::LBRACE);
    std::vector<decltype(element())> out;
    while (!accept(P::RBRACE))
      out.push_back(element());
    return out;
  }
  std::vector<Name> nameList() {
    return commaList([&] { return name(); });
  }
  std::vector<ExprPtr> exprList() {
    return commaList([&] { return expr(); });
  }
  std::unique_ptr<StringExpr> string() {
    std::unique_ptr<StringExpr> s = stringLiteral(expect(P::STRING), declines);
    if (!s)
      decline();
    return s;
  }
  std::unique_ptr<VersionExpr> version() {
    if (!atVersion())
      decline();
    return versionLiteral(tokens[pos++].range, declines);
  }
  Key key() {
    if (at(P::STRING)) {
      SMRange r = tokens[pos].range;
      return {string()->value, true, r};
    }
    Name n = name();
    return {std::move(n.text), false, n.range};
  }

  //===------------------------------------------------- expressions ===//

  ExprPtr expr() {
    Nested nested(*this);
    ExprPtr lhs = term();
    while (at(P::PLUS) || at(P::MINUS)) {
      char op = at(P::PLUS) ? '+' : '-';
      ++pos;
      ExprPtr rhs = term();
      SMRange r(lhs->getRange().Start, rhs->getRange().End);
      lhs = std::make_unique<BinaryExpr>(r, op, std::move(lhs), std::move(rhs));
    }
    if (accept(P::RANGE)) {
      ExprPtr rhs = term();
      SMRange r(lhs->getRange().Start, rhs->getRange().End);
      lhs = std::make_unique<RangeExpr>(r, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  /// `(x (',' x)* ','?)? CLOSE` after the opening bracket, as list and
  /// object terms have it.
  template <typename Element>
  void trailingCommaList(size_t close, Element element) {
    if (accept(close))
      return;
    do {
      if (at(close))
        break;
      element();
    } while (accept(P::COMMA));
    expect(close);
  }

  ExprPtr term() {
    size_t first = pos;
    switch (type()) {
    case P::STRING:
      return string();
    case P::DATE:
      return dateLiteral(tokens[pos++].range, declines);
    case P::DURATION:
      return durationLiteral(tokens[pos++].range, declines);
    case P::SIZE:
      return sizeLiteral(tokens[pos++].range, declines);
    case P::VERSION:
    case P::INT:
      return version();
    case P::LBRACKET: {
      ++pos;
      std::vector<ExprPtr> elements;
      trailingCommaList(P::RBRACKET, [&] { elements.push_back(expr()); });
      return std::make_unique<ListExpr>(since(first), std::move(elements));
    }
    case P::LBRACE: {
      ++pos;
      std::vector<ObjectExpr::Field> fields;
      trailingCommaList(P::RBRACE, [&] {
        Key k = key();
        expect(P::COLON);
        fields.push_back({std::move(k), expr()});
      });
      return std::make_unique<ObjectExpr>(since(first), std::move(fields));
    }
    case P::LPAREN: {
      ++pos;
      ExprPtr inner = expr();
      expect(P::RPAREN);
      return std::make_unique<ParenExpr>(since(first), std::move(inner));
    }
    default: {
      std::vector<Name> parts;
      do
        parts.push_back(name());
      while (accept(P::DOT));
      return std::make_unique<PathExpr>(since(first), std::move(parts));
    }
    }
  }

  //===-------------------------------------------- values, conditions ===//

  Value value() {
    size_t first = pos;
    Value v;
    if (atVersion()) {
      v.kind = Value::Kind::Version;
      v.version = version();
    } else if (at(P::STRING)) {
      v.kind = Value::Kind::String;
      v.string = string();
    } else {
      v.kind = Value::Kind::Named;
      v.name = name();
      if (atVersion())
        v.version = version();
    }
    v.range = since(first);
    return v;
  }

  std::vector<Pin> pins() {
    std::vector<Pin> out;
    if (!accept(P::LPAREN))
      return out;
    do {
      size_t first = pos;
      Name component = name();
      std::unique_ptr<VersionExpr> v = version();
      out.push_back({std::move(component), std::move(v), since(first)});
    } while (accept(P::COMMA));
    expect(P::RPAREN);
    return out;
  }

  std::vector<Attribute> attributes() {
    std::vector<Attribute> out;
    while (isNameToken(type())) {
      size_t first = pos;
      Attribute a;
      a.name = name();
      if ((a.hasArgs = accept(P::LPAREN)) && !accept(P::RPAREN)) {
        a.args = exprList();
        expect(P::RPAREN);
      }
      a.range = since(first);
      out.push_back(std::move(a));
    }
    return out;
  }

  /// `a OP b OP c`: one operand alone, or a LogicalCondition of them all.
  ConditionPtr condition(Condition::Kind kind = Condition::Kind::Or) {
    size_t first = pos;
    std::vector<ConditionPtr> ops;
    bool isOr = kind == Condition::Kind::Or;
    do
      ops.push_back(isOr ? condition(Condition::Kind::And) : negation());
    while (accept(isOr ? P::K_OR : P::K_AND));
    if (ops.size() == 1)
      return std::move(ops[0]);
    return std::make_unique<LogicalCondition>(kind, since(first),
                                              std::move(ops));
  }

  ConditionPtr negation() {
    Nested nested(*this);
    size_t first = pos;
    if (accept(P::K_NOT)) {
      ConditionPtr operand = negation();
      return std::make_unique<NotCondition>(since(first), std::move(operand));
    }
    if (accept(P::LPAREN)) {
      ConditionPtr inner = condition();
      expect(P::RPAREN);
      return std::make_unique<ParenCondition>(since(first), std::move(inner));
    }
    if (isNameToken(type()) && type(1) == P::K_IN) {
      Name axis = name();
      ++pos;
      expect(P::LBRACKET);
      std::vector<Value> values = commaList([&] { return value(); });
      expect(P::RBRACKET);
      return std::make_unique<InCondition>(since(first), std::move(axis),
                                           std::move(values));
    }
    Name axis = qualifiedName();
    CompareCondition::Op op = comparator();
    Value v = value();
    return std::make_unique<CompareCondition>(since(first), std::move(axis), op,
                                              std::move(v));
  }

  CompareCondition::Op comparator() {
    std::optional<CompareCondition::Op> op = comparatorOp(type());
    if (!op)
      decline();
    ++pos;
    if (*op == CompareCondition::Op::Is && accept(P::K_NOT))
      return CompareCondition::Op::IsNot;
    return *op;
  }

  //===------------------------------------------------------- items ===//

  /// `{ setting* }`.
  std::vector<Setting> settingsBlock() {
    return block([&] {
      size_t first = pos;
      Setting s;
      s.key = name();
      if (!at(P::SEMI))
        s.values = exprList();
      expect(P::SEMI);
      s.range = since(first);
      return s;
    });
  }

  std::unique_ptr<File> file() {
    auto f = std::make_unique<File>();
    while (at(P::K_IMPORT)) {
      size_t first = pos++;
      std::unique_ptr<StringExpr> path = string();
      expect(P::SEMI);
      f->imports.push_back({std::move(path), since(first)});
    }
    size_t first = pos;
    if (accept(P::K_PROJECT)) {
      f->kind = File::Kind::Project;
      f->name = name();
    } else {
      expect(P::K_RELEASE);
      f->kind = File::Kind::Release;
      f->name = name();
      f->releaseVersion = version();
    }
    expect(P::LBRACE);
    while (!at(P::RBRACE))
      f->items.push_back(item());
    f->closeBrace = expect(P::RBRACE).Start;
    f->unitRange = since(first);
    expect(antlr4::Token::EOF);
    return f;
  }

  Item item() {
    size_t first = pos;
    Item it;
    using K = Item::Kind;
    // Each item's keyword, which tells them apart.
    static const std::pair<size_t, K> keywords[] = {
        {P::K_COMPAT, K::Compat},     {P::K_REPO, K::Repo},
        {P::K_CHANNELS, K::Channels}, {P::K_CHECK, K::Check},
        {P::K_PATCH, K::Policy},      {P::K_SCHEDULE, K::Schedule},
        {P::K_MATRIX, K::Matrix},     {P::K_STAGE, K::Stage},
        {P::K_OVERLAY, K::Overlay},   {P::K_WITH, K::With}};
    const auto *keyword = llvm::find_if(
        keywords, [&](const auto &k) { return k.first == type(); });
    if (keyword == std::end(keywords))
      decline();
    ++pos;
    it.kind = keyword->second;
    switch (it.kind) {
    case K::Compat:
      it.path = string();
      expect(P::SEMI);
      break;
    case K::Repo:
      if (!at(P::LBRACE))
        it.name = name();
      it.settings = settingsBlock();
      break;
    case K::Channels:
      channels(it);
      break;
    case K::Check:
      it.name = name();
      expect(P::ASSIGN);
      it.function = name();
      expect(P::LPAREN);
      if (!accept(P::RPAREN)) {
        it.args = commaList([&] {
          Name n = name();
          expect(P::COLON);
          return Arg{std::move(n), expr()};
        });
        expect(P::RPAREN);
      }
      expect(P::SEMI);
      break;
    case K::Policy:
      expect(P::K_POLICY);
      it.settings = settingsBlock();
      break;
    case K::Schedule:
      it.schedule = block([&] { return scheduleEntry(); });
      break;
    case K::Matrix:
      it.name = name();
      if (accept(P::K_FROM))
        it.base = name();
      it.matrix = block([&] { return matrixEntry(); });
      break;
    case K::Stage:
      stage(it);
      break;
    case K::Overlay:
      it.name = name();
      it.path = string();
      it.overlay = block([&] { return overlayEntry(); });
      break;
    case K::With:
      it.name = name();
      it.version = version();
      expect(P::SEMI);
      break;
    }
    it.range = since(first);
    return it;
  }

  void channels(Item &it) {
    do
      it.channels.push_back(name());
    while (accept(P::GT));
    if (accept(P::SEMI))
      return;
    expect(P::LBRACE);
    it.channelsHaveBody = true;
    while (!accept(P::RBRACE)) {
      size_t first = pos;
      // `allow` also names a channel: `allow { ... }` is its target.
      if (at(P::K_ALLOW) && isNameToken(type(1))) {
        ++pos;
        Name axis = name();
        Value v = value();
        expect(P::K_IN);
        Name channel = name();
        std::unique_ptr<StringExpr> reason;
        if (at(P::STRING))
          reason = string();
        expect(P::SEMI);
        it.exceptions.push_back({std::move(axis), std::move(v),
                                 std::move(channel), std::move(reason),
                                 since(first)});
        continue;
      }
      Name channel = name();
      std::vector<Setting> settings = settingsBlock();
      it.targets.push_back(
          {std::move(channel), std::move(settings), since(first)});
    }
  }

  ScheduleEntry scheduleEntry() {
    size_t first = pos;
    ScheduleEntry se;
    // `patch` is also a milestone's name; only a patch has `on` after its
    // version.
    if (at(P::K_PATCH) && (type(1) == P::VERSION || type(1) == P::INT) &&
        type(2) == P::K_ON) {
      ++pos;
      se.isPatch = true;
      se.patchVersion = version();
      ++pos;
    } else {
      se.milestone = name();
    }
    se.when = expr();
    expect(P::SEMI);
    se.range = since(first);
    return se;
  }

  /// Whether a matrix entry starting with `recipe` is a recipe rather than
  /// an axis named `recipe`; declines where either could be meant.
  bool isRecipe() const {
    if (!isNameToken(type(1)))
      return false;
    size_t next = isNameToken(type(2)) ? 3 : 2;
    if (type(next) == P::K_WHERE || type(next) == P::LBRACE)
      return true;
    if (type(next) == P::SEMI)
      decline();
    return false;
  }

  MatrixEntry matrixEntry() {
    size_t first = pos;
    MatrixEntry m;
    if (accept(P::K_PIN)) {
      m.kind = MatrixEntry::Kind::Pin;
      Name component = name();
      std::unique_ptr<VersionExpr> v = version();
      expect(P::SEMI);
      m.range = since(first);
      m.pin = Pin{std::move(component), std::move(v), m.range};
      return m;
    }
    if (accept(P::K_EXCLUDE)) {
      m.kind = MatrixEntry::Kind::Exclude;
      m.condition = condition();
    } else if (accept(P::K_INCLUDE)) {
      m.kind = MatrixEntry::Kind::Include;
      do {
        size_t b = pos;
        Name axis = name();
        Value v = value();
        std::vector<Pin> ps = pins();
        std::vector<Attribute> as = attributes();
        m.bindings.push_back({std::move(axis), std::move(v), std::move(ps),
                              std::move(as), since(b)});
      } while (accept(P::COMMA));
    } else if (at(P::K_RECIPE) && isRecipe()) {
      ++pos;
      m.kind = MatrixEntry::Kind::Recipe;
      m.axis = name();
      if (isNameToken(type()))
        m.variant = name();
      if (accept(P::K_WHERE))
        m.where = condition();
      if (!accept(P::SEMI)) {
        m.hasBody = true;
        m.settings = settingsBlock();
      }
      m.range = since(first);
      return m;
    } else {
      m.axis = name();
      if (accept(P::ASSIGN)) {
        m.kind = MatrixEntry::Kind::Field;
        m.value = expr();
      } else {
        m.kind = MatrixEntry::Kind::Axis;
        m.append = accept(P::APPEND);
        m.values = commaList([&] { return axisValue(); });
      }
    }
    if (m.kind != MatrixEntry::Kind::Axis && accept(P::K_WHERE))
      m.where = condition();
    expect(P::SEMI);
    m.range = since(first);
    return m;
  }

  AxisValue axisValue() {
    size_t first = pos;
    AxisValue v;
    v.value = value();
    if (accept(P::RANGE))
      v.rangeEnd = value();
    v.pins = pins();
    v.attributes = attributes();
    v.range = since(first);
    return v;
  }

  void stage(Item &it) {
    it.name = name();
    if (accept(P::LPAREN)) {
      it.params = nameList();
      expect(P::RPAREN);
    }
    while (at(P::K_ON) || at(P::K_AFTER)) {
      size_t first = pos;
      StageTrigger tr;
      if (accept(P::K_ON)) {
        tr.kind = StageTrigger::Kind::On;
        tr.date = expr();
      } else {
        ++pos;
        tr.kind = StageTrigger::Kind::After;
        tr.stages = commaList([&] { return qualifiedName(); });
      }
      tr.range = since(first);
      it.triggers.push_back(std::move(tr));
    }
    it.steps = block([&] { return step(); });
  }

  Step step() {
    size_t first = pos;
    Step s;
    // `A K B`: the operands of the git steps, around their keyword.
    auto operands = [&](size_t keyword) {
      s.operands.push_back(expr());
      expect(keyword);
      s.operands.push_back(expr());
    };
    switch (type()) {
    case P::K_GIT_BRANCH:
      ++pos;
      s.kind = Step::Kind::Branch;
      operands(P::K_FROM);
      break;
    case P::K_GIT_TAG:
      ++pos;
      s.kind = Step::Kind::Tag;
      operands(P::K_ON);
      break;
    case P::K_GIT_COMMIT:
    case P::K_GIT_PIN:
      s.kind = at(P::K_GIT_PIN) ? Step::Kind::Pin : Step::Kind::Commit;
      ++pos;
      operands(P::ASSIGN);
      expect(P::K_ON);
      s.operands.push_back(expr());
      break;
    case P::K_RECORD:
      ++pos;
      s.kind = Step::Kind::Record;
      s.names.push_back(name());
      expect(P::ASSIGN);
      operands(P::K_ON);
      break;
    case P::K_BUILD:
      ++pos;
      s.kind = Step::Kind::Build;
      s.names.push_back(name());
      break;
    case P::K_REQUIRE:
      ++pos;
      s.kind = Step::Kind::Require;
      s.names = nameList();
      expect(P::SEMI);
      s.range = since(first);
      return s;
    case P::K_APPROVE:
    case P::K_RUN:
      s.kind = at(P::K_RUN) ? Step::Kind::Run : Step::Kind::Approve;
      ++pos;
      s.operands.push_back(string());
      break;
    case P::K_WAIT:
      ++pos;
      s.kind = Step::Kind::Wait;
      expect(P::K_UNTIL);
      s.operands.push_back(expr());
      break;
    default:
      decline();
    }
    while (!accept(P::SEMI))
      s.options.push_back(stepOption());
    s.range = since(first);
    // `channel NAME` right after the matrix is the build's channel, as the
    // Transformer takes it out of the options.
    if (s.kind == Step::Kind::Build && !s.options.empty()) {
      StepOption &o = s.options.front();
      auto *path = llvm::dyn_cast_or_null<PathExpr>(o.value.get());
      if (o.kind == StepOption::Kind::Named && o.name.text == "channel" &&
          path && path->parts.size() == 1) {
        s.channel = std::move(path->parts[0]);
        s.options.erase(s.options.begin());
      }
    }
    return s;
  }

  StepOption stepOption() {
    size_t first = pos;
    StepOption o;
    if (at(P::K_ONCE) || at(P::K_ANNOTATED)) {
      o.kind =
          at(P::K_ONCE) ? StepOption::Kind::Once : StepOption::Kind::Annotated;
      SMRange r = tokens[pos++].range;
      o.name = {spelling(r).str(), r};
    } else {
      o.kind = StepOption::Kind::Named;
      o.name = name();
      o.value = expr();
    }
    o.range = since(first);
    return o;
  }

  OverlayEntry overlayEntry() {
    size_t first = pos;
    OverlayEntry oe;
    // `allow` is also a key; only the allowance has a name after it.
    if (at(P::K_ALLOW) && isNameToken(type(1))) {
      ++pos;
      oe.allow = name();
      oe.reason = string();
    } else {
      do
        oe.path.push_back(key());
      while (accept(P::DOT));
      if (!accept(P::ASSIGN)) {
        expect(P::APPEND);
        oe.append = true;
      }
      oe.value = expr();
    }
    expect(P::SEMI);
    oe.range = since(first);
    return oe;
  }

  std::vector<Tok> tokens; ///< The default channel's, EOF last.
  size_t pos = 0;
  unsigned depth = 0;
};

} // namespace

std::unique_ptr<File> syntax::parseWrittenOutPlan(llvm::ArrayRef<Lexeme> tokens,
                                                  llvm::StringRef text) {
  return PlanParser(tokens, text).parse();
}
