//===- Transformer.cpp - Parse tree to AST
//---------------------------------===//
//
// One function per grammar rule, each turning a typed parse-tree context
// straight into AST nodes (no visitor, no antlrcpp::Any). This is also where
// literal text becomes values: a DATE token is checked against the calendar,
// a VERSION against PEP 440, a string's escapes and placeholders are
// resolved. Such errors are reported and the transform goes on, so one run
// shows them all.
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

#include "Basic/SourceFiles.h"

#include "llvm/ADT/StringExtras.h"

using namespace relc;
using namespace relc::ast;
using namespace relc::syntax;
using P = RelPlanParser;

TextMap::TextMap(llvm::StringRef text) : text(text) {
  size_t shift = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    i += asciiPrefix(text.substr(i));
    if (i == text.size())
      break;
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      continue;
    // A continuation byte: every code point after it starts one byte later.
    size_t next = i + 1 - ++shift;
    if (!shifts.empty() && shifts.back().codePoint == next)
      shifts.back().bytes = shift;
    else
      shifts.push_back({next, shift});
  }
}

llvm::SMRange TextMap::range(const antlr4::Token *token) const {
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  if (token->getType() == antlr4::Token::EOF || stop < start)
    return {loc(start), loc(start)};
  return {loc(start), loc(stop + 1)};
}

llvm::SMRange TextMap::range(antlr4::ParserRuleContext *ctx) const {
  llvm::SMRange first = range(ctx->getStart());
  const antlr4::Token *stop = ctx->getStop();
  if (!stop || stop->getTokenIndex() < ctx->getStart()->getTokenIndex())
    return first;
  return {first.Start, range(stop).End};
}

llvm::SMLoc TextMap::after(const antlr4::Token *token) const {
  return range(token).End;
}

namespace {

class Transformer {
public:
  Transformer(const TextMap &map, DiagnosticEngine &diags)
      : map(map), diags(diags) {}

  std::unique_ptr<File> file(P::PlanFileContext *ctx);
  ConditionPtr condition(P::ConditionContext *ctx);
  bool failed = false;

private:
  SMRange range(antlr4::ParserRuleContext *ctx) { return map.range(ctx); }
  SMRange range(antlr4::tree::TerminalNode *node) {
    return map.range(node->getSymbol());
  }
  void error(DiagKind kind, SMRange at, const llvm::Twine &message) {
    diags.report(kind, at, message);
    failed = true;
  }

  /// The text of a rule that matched one token. RuleContext::getText would
  /// build a std::stringstream for it, the largest cost of the Transformer.
  std::string text(antlr4::ParserRuleContext *ctx) {
    if (ctx->getStart() != ctx->getStop())
      return ctx->getText();
    SMRange r = range(ctx);
    return std::string(r.Start.getPointer(), r.End.getPointer());
  }
  Name name(P::NameContext *ctx) { return {text(ctx), range(ctx)}; }
  /// `pytorch.rc` stays one name: Sema tells a partner's by the dot.
  Name qualifiedName(P::QualifiedNameContext *ctx) {
    return {text(ctx), range(ctx)};
  }
  std::vector<Name> names(const std::vector<P::NameContext *> &ctxs) {
    std::vector<Name> out;
    for (auto *c : ctxs)
      out.push_back(name(c));
    return out;
  }
  Key key(P::KeyContext *ctx);
  /// Where the literals' conversions report their errors: to the engine.
  struct Reporter {
    Transformer *t;
    void operator()(DiagKind kind, SMRange at,
                    const llvm::Twine &message) const {
      t->error(kind, at, message);
    }
  } report{this};
  std::unique_ptr<StringExpr> string(antlr4::tree::TerminalNode *node) {
    return stringLiteral(range(node), report);
  }
  std::unique_ptr<VersionExpr> version(P::VersionContext *ctx) {
    return versionLiteral(range(ctx), report);
  }
  ExprPtr expr(P::ExprContext *ctx);
  ExprPtr term(P::TermContext *ctx);
  Value value(P::ValueContext *ctx);
  std::vector<Pin> pins(P::PinsContext *ctx);
  Attribute attribute(P::AttributeContext *ctx);
  std::vector<Attribute> attributes(const std::vector<P::AttributeContext *> &);
  ConditionPtr conjunction(P::ConjunctionContext *ctx);
  ConditionPtr negation(P::NegationContext *ctx);
  Setting setting(P::SettingContext *ctx);
  Item item(P::ItemContext *ctx);
  MatrixEntry matrixEntry(P::MatrixEntryContext *ctx);
  Step step(P::StepContext *ctx);
  std::optional<Name> buildChannel(P::StepOptionContext *o);

  const TextMap &map;
  DiagnosticEngine &diags;
};

} // namespace

std::unique_ptr<File> Transformer::file(P::PlanFileContext *ctx) {
  auto f = std::make_unique<File>();
  for (auto *imp : ctx->importDecl())
    f->imports.push_back({string(imp->STRING()), range(imp)});
  P::UnitDeclContext *unit = ctx->unitDecl();
  f->unitRange = range(unit);
  std::vector<P::ItemContext *> items;
  if (auto *p = dynamic_cast<P::ProjectUnitContext *>(unit)) {
    f->kind = File::Kind::Project;
    f->name = name(p->name());
    items = p->item();
    f->closeBrace = map.range(p->RBRACE()->getSymbol()).Start;
  } else {
    auto *r = static_cast<P::ReleaseUnitContext *>(unit);
    f->kind = File::Kind::Release;
    f->name = name(r->name());
    f->releaseVersion = version(r->version());
    items = r->item();
    f->closeBrace = map.range(r->RBRACE()->getSymbol()).Start;
  }
  for (auto *i : items)
    f->items.push_back(item(i));
  return f;
}

Key Transformer::key(P::KeyContext *ctx) {
  if (auto *n = ctx->name())
    return {text(n), false, range(ctx)};
  auto s = string(ctx->STRING());
  return {s ? s->value : std::string(), true, range(ctx)};
}

/// The first of \p a, \p b, \p c in \p s from \p from on, or s.size().
/// StringRef::find_first_of builds a 256-bit table at every call, more than
/// it then spends on a short string.
static size_t findAny(llvm::StringRef s, size_t from, char a, char b, char c) {
  for (size_t i = from; i < s.size(); ++i)
    if (s[i] == a || s[i] == b || s[i] == c)
      return i;
  return s.size();
}

// Resolves escapes and splits `{placeholder}`s. Placeholder names are
// identifiers, optionally dotted (`{schedule.release}`); `{{` and `}}` stand
// for literal braces.
std::unique_ptr<StringExpr> syntax::stringLiteral(SMRange whole,
                                                  LiteralError error) {
  llvm::StringRef raw = spelling(whole).drop_front().drop_back(); // quotes
  const char *base = raw.data();
  auto at = [&](size_t i, size_t n = 1) {
    return SMRange(SMLoc::getFromPointer(base + i),
                   SMLoc::getFromPointer(base + i + n));
  };

  std::string value;
  std::vector<StringExpr::Part> parts;
  std::string literal;
  size_t literalStart = 0;
  auto flushLiteral = [&](size_t end) {
    if (!literal.empty())
      parts.push_back(
          {false, std::move(literal), at(literalStart, end - literalStart)});
    literal.clear();
  };
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (literal.empty())
      literalStart = i;
    if (c != '\\' && c != '{' && c != '}') {
      // Most of a string is plain text: take the run up to the next escape
      // or brace at once, not a character at a time.
      size_t end = findAny(raw, i, '\\', '{', '}');
      literal.append(raw.data() + i, end - i);
      value.append(raw.data() + i, end - i);
      i = end - 1;
      continue;
    }
    if (c == '\\') {
      char e = i + 1 < raw.size() ? raw[i + 1] : '\0';
      char out;
      switch (e) {
      case '"':
        out = '"';
        break;
      case '\\':
        out = '\\';
        break;
      case 'n':
        out = '\n';
        break;
      case 't':
        out = '\t';
        break;
      default:
        error(DiagKind::InvalidEscape, at(i, 2),
              llvm::Twine("unknown escape sequence '\\") +
                  llvm::StringRef(raw.data() + i + 1, e ? 1 : 0) +
                  "' in string; escapes are \\\" \\\\ \\n \\t");
        out = e;
      }
      literal += out;
      value += out;
      ++i;
      continue;
    }
    if ((c == '{' || c == '}') && i + 1 < raw.size() && raw[i + 1] == c) {
      literal += c;
      value += c;
      value += c;
      ++i;
      continue;
    }
    if (c == '}') {
      error(DiagKind::InvalidPlaceholder, at(i),
            "unmatched '}' in string; write '}}' for a literal brace");
      continue;
    }
    size_t close = findAny(raw, i + 1, '{', '}', '"');
    if (close == raw.size() || raw[close] != '}') {
      error(DiagKind::InvalidPlaceholder, at(i),
            "unterminated placeholder in string; write '{{' for a literal "
            "brace");
      return nullptr;
    }
    llvm::StringRef ph = raw.slice(i + 1, close);
    // `name.key`, then filters a field may apply: `{python|underscores}`.
    auto word = [](llvm::StringRef w, bool dots) {
      if (w.empty() || !(llvm::isAlpha(w[0]) || w[0] == '_') || w.back() == '.')
        return false;
      for (size_t k = 0; k < w.size(); ++k) {
        char ch = w[k];
        bool dot = dots && ch == '.' && w[k - 1] != '.'; // Not `a..b`.
        if (!(llvm::isAlnum(ch) || ch == '_' || dot))
          return false;
      }
      return true;
    };
    llvm::SmallVector<llvm::StringRef, 4> pieces;
    ph.split(pieces, '|');
    bool valid = word(pieces[0], true);
    for (llvm::StringRef f : llvm::makeArrayRef(pieces).drop_front())
      valid &= word(f, false);
    if (!valid) {
      error(DiagKind::InvalidPlaceholder, at(i, close - i + 1),
            ph.empty() ? llvm::Twine("empty placeholder '{}' in string")
                       : "'" + ph + "' is not a placeholder name");
    }
    flushLiteral(i);
    parts.push_back({true, ph.str(), at(i, close - i + 1)});
    value += raw.slice(i, close + 1).str();
    i = close;
  }
  flushLiteral(raw.size());
  return std::make_unique<StringExpr>(whole, std::move(value),
                                      std::move(parts));
}

std::unique_ptr<VersionExpr> syntax::versionExpr(llvm::StringRef spelled,
                                                 SMRange r, std::string &err) {
  llvm::StringRef core = spelled;
  bool freeThreaded = core.size() > 1 && core.endswith("t") &&
                      llvm::isDigit(core[core.size() - 2]);
  if (freeThreaded)
    core = core.drop_back();
  std::optional<Version> v = Version::parse(core, &err);
  if (!v && err.empty())
    err = "invalid version";
  return std::make_unique<VersionExpr>(r, v ? std::move(*v) : Version(),
                                       freeThreaded);
}

std::unique_ptr<VersionExpr> syntax::versionLiteral(SMRange r,
                                                    LiteralError error) {
  llvm::StringRef spelled = spelling(r);
  std::string err;
  std::unique_ptr<VersionExpr> v = versionExpr(spelled, r, err);
  if (!err.empty())
    error(DiagKind::InvalidVersion, r,
          "'" + spelled + "' is not a PEP 440 version: " + err);
  return v;
}

namespace {
/// A literal whose type \p T parses its spelling; \p what names it.
template <typename T, typename Node>
ExprPtr parsedLiteral(SMRange r, LiteralError error, DiagKind kind,
                      const char *what) {
  std::string err;
  std::optional<T> v = T::parse(spelling(r), &err);
  if (!v)
    error(kind, r,
          llvm::Twine("invalid ") + what + " '" + spelling(r) + "': " + err);
  return std::make_unique<Node>(r, v.value_or(T()));
}
} // namespace

ExprPtr syntax::dateLiteral(SMRange r, LiteralError error) {
  return parsedLiteral<Date, DateExpr>(r, error, DiagKind::InvalidDate, "date");
}

ExprPtr syntax::durationLiteral(SMRange r, LiteralError error) {
  return parsedLiteral<Duration, DurationExpr>(
      r, error, DiagKind::InvalidDuration, "duration");
}

// The token may hold spaces or tabs between number and unit.
ExprPtr syntax::sizeLiteral(SMRange r, LiteralError error) {
  return parsedLiteral<Size, SizeExpr>(r, error, DiagKind::InvalidSize, "size");
}

ExprPtr Transformer::expr(P::ExprContext *ctx) {
  std::vector<P::TermContext *> terms = ctx->term();
  ExprPtr lhs = term(terms[0]);
  size_t ti = 1;
  // Children alternate term, op, term, ...; a RANGE token ends the chain.
  for (size_t ci = 1; ci < ctx->children.size(); ++ci) {
    auto *tok = dynamic_cast<antlr4::tree::TerminalNode *>(ctx->children[ci]);
    if (!tok)
      continue;
    size_t type = tok->getSymbol()->getType();
    ExprPtr rhs = term(terms[ti++]);
    SMRange r(lhs->getRange().Start, rhs->getRange().End);
    if (type == P::RANGE)
      lhs = std::make_unique<RangeExpr>(r, std::move(lhs), std::move(rhs));
    else
      lhs = std::make_unique<BinaryExpr>(r, type == P::PLUS ? '+' : '-',
                                         std::move(lhs), std::move(rhs));
  }
  return lhs;
}

ExprPtr Transformer::term(P::TermContext *ctx) {
  SMRange r = range(ctx);
  if (auto *s = dynamic_cast<P::StringTermContext *>(ctx)) {
    if (auto str = string(s->STRING()))
      return str;
    return std::make_unique<StringExpr>(r, "", std::vector<StringExpr::Part>());
  }
  if (dynamic_cast<P::DateTermContext *>(ctx))
    return dateLiteral(r, report);
  if (dynamic_cast<P::DurationTermContext *>(ctx))
    return durationLiteral(r, report);
  if (dynamic_cast<P::SizeTermContext *>(ctx))
    return sizeLiteral(r, report);
  if (auto *v = dynamic_cast<P::VersionTermContext *>(ctx))
    return version(v->version());
  if (auto *p = dynamic_cast<P::PathTermContext *>(ctx))
    return std::make_unique<PathExpr>(r, names(p->name()));
  if (auto *l = dynamic_cast<P::ListTermContext *>(ctx)) {
    std::vector<ExprPtr> elements;
    for (auto *e : l->expr())
      elements.push_back(expr(e));
    return std::make_unique<ListExpr>(r, std::move(elements));
  }
  if (auto *o = dynamic_cast<P::ObjectTermContext *>(ctx)) {
    std::vector<ObjectExpr::Field> fields;
    for (auto *f : o->object()->field())
      fields.push_back({key(f->key()), expr(f->expr())});
    return std::make_unique<ObjectExpr>(r, std::move(fields));
  }
  auto *paren = static_cast<P::ParenTermContext *>(ctx);
  return std::make_unique<ParenExpr>(r, expr(paren->expr()));
}

Value Transformer::value(P::ValueContext *ctx) {
  Value v;
  v.range = range(ctx);
  if (auto *ver = dynamic_cast<P::VersionValueContext *>(ctx)) {
    v.kind = Value::Kind::Version;
    v.version = version(ver->version());
  } else if (auto *named = dynamic_cast<P::NamedValueContext *>(ctx)) {
    v.kind = Value::Kind::Named;
    v.name = name(named->name());
    if (named->version())
      v.version = version(named->version());
  } else {
    v.kind = Value::Kind::String;
    v.string = string(static_cast<P::StringValueContext *>(ctx)->STRING());
    if (!v.string)
      v.string = std::make_unique<StringExpr>(v.range, "",
                                              std::vector<StringExpr::Part>());
  }
  return v;
}

std::vector<Pin> Transformer::pins(P::PinsContext *ctx) {
  std::vector<Pin> out;
  if (!ctx)
    return out;
  for (auto *p : ctx->pin())
    out.push_back({name(p->name()), version(p->version()), range(p)});
  return out;
}

Attribute Transformer::attribute(P::AttributeContext *ctx) {
  Attribute a;
  a.name = name(ctx->name());
  a.hasArgs = ctx->LPAREN() != nullptr;
  for (auto *e : ctx->expr())
    a.args.push_back(expr(e));
  a.range = range(ctx);
  return a;
}

std::vector<Attribute>
Transformer::attributes(const std::vector<P::AttributeContext *> &ctxs) {
  std::vector<Attribute> out;
  for (auto *c : ctxs)
    out.push_back(attribute(c));
  return out;
}

ConditionPtr Transformer::condition(P::ConditionContext *ctx) {
  std::vector<ConditionPtr> ops;
  for (auto *c : ctx->conjunction())
    ops.push_back(conjunction(c));
  if (ops.size() == 1)
    return std::move(ops[0]);
  return std::make_unique<LogicalCondition>(Condition::Kind::Or, range(ctx),
                                            std::move(ops));
}

ConditionPtr Transformer::conjunction(P::ConjunctionContext *ctx) {
  std::vector<ConditionPtr> ops;
  for (auto *n : ctx->negation())
    ops.push_back(negation(n));
  if (ops.size() == 1)
    return std::move(ops[0]);
  return std::make_unique<LogicalCondition>(Condition::Kind::And, range(ctx),
                                            std::move(ops));
}

ConditionPtr Transformer::negation(P::NegationContext *ctx) {
  SMRange r = range(ctx);
  if (auto *n = dynamic_cast<P::NotConditionContext *>(ctx))
    return std::make_unique<NotCondition>(r, negation(n->negation()));
  if (auto *p = dynamic_cast<P::ParenConditionContext *>(ctx))
    return std::make_unique<ParenCondition>(r, condition(p->condition()));
  if (auto *in = dynamic_cast<P::InConditionContext *>(ctx)) {
    std::vector<Value> values;
    for (auto *v : in->value())
      values.push_back(value(v));
    return std::make_unique<InCondition>(r, name(in->name()),
                                         std::move(values));
  }
  auto *c = static_cast<P::CompareConditionContext *>(ctx);
  P::ComparatorContext *cmp = c->comparator();
  using Op = CompareCondition::Op;
  Op op = cmp->K_IS() ? (cmp->K_NOT() ? Op::IsNot : Op::Is)
          : cmp->EQ() ? Op::Eq
          : cmp->NE() ? Op::Ne
          : cmp->LT() ? Op::Lt
          : cmp->LE() ? Op::Le
          : cmp->GT() ? Op::Gt
                      : Op::Ge;
  return std::make_unique<CompareCondition>(
      r, qualifiedName(c->qualifiedName()), op, value(c->value()));
}

Setting Transformer::setting(P::SettingContext *ctx) {
  Setting s;
  s.key = name(ctx->name());
  for (auto *e : ctx->expr())
    s.values.push_back(expr(e));
  s.range = range(ctx);
  return s;
}

MatrixEntry Transformer::matrixEntry(P::MatrixEntryContext *ctx) {
  MatrixEntry m;
  m.range = range(ctx);
  if (auto *a = dynamic_cast<P::AxisEntryContext *>(ctx)) {
    m.kind = MatrixEntry::Kind::Axis;
    m.axis = name(a->name());
    m.append = a->APPEND() != nullptr;
    for (auto *av : a->axisValue()) {
      AxisValue v;
      std::vector<P::ValueContext *> vals = av->value();
      v.value = value(vals[0]);
      if (vals.size() > 1)
        v.rangeEnd = value(vals[1]);
      v.pins = pins(av->pins());
      v.attributes = attributes(av->attribute());
      v.range = range(av);
      m.values.push_back(std::move(v));
    }
  } else if (auto *p = dynamic_cast<P::PinEntryContext *>(ctx)) {
    m.kind = MatrixEntry::Kind::Pin;
    m.pin = Pin{name(p->name()), version(p->version()), m.range};
  } else if (auto *e = dynamic_cast<P::ExcludeEntryContext *>(ctx)) {
    m.kind = MatrixEntry::Kind::Exclude;
    std::vector<P::ConditionContext *> conds = e->condition();
    m.condition = condition(conds[0]);
    if (conds.size() > 1)
      m.where = condition(conds[1]);
  } else if (auto *f = dynamic_cast<P::FieldEntryContext *>(ctx)) {
    m.kind = MatrixEntry::Kind::Field;
    m.axis = name(f->name());
    m.value = expr(f->expr());
    if (f->condition())
      m.where = condition(f->condition());
  } else if (auto *r = dynamic_cast<P::RecipeEntryContext *>(ctx)) {
    m.kind = MatrixEntry::Kind::Recipe;
    std::vector<Name> ns = names(r->name());
    m.axis = ns[0];
    if (ns.size() > 1)
      m.variant = ns[1];
    if (r->condition())
      m.where = condition(r->condition());
    m.hasBody = r->recipeBody()->LBRACE() != nullptr;
    for (auto *s : r->recipeBody()->setting())
      m.settings.push_back(setting(s));
  } else {
    auto *i = static_cast<P::IncludeEntryContext *>(ctx);
    m.kind = MatrixEntry::Kind::Include;
    for (auto *b : i->binding())
      m.bindings.push_back({name(b->name()), value(b->value()), pins(b->pins()),
                            attributes(b->attribute()), range(b)});
    if (i->condition())
      m.where = condition(i->condition());
  }
  return m;
}

/// The channel of a build step if \p o is `channel NAME`.
std::optional<Name> Transformer::buildChannel(P::StepOptionContext *o) {
  auto *named = dynamic_cast<P::NamedOptionContext *>(o);
  if (!named || !named->name()->K_CHANNEL())
    return std::nullopt;
  std::vector<P::TermContext *> terms = named->expr()->term();
  auto *path = dynamic_cast<P::PathTermContext *>(terms[0]);
  if (terms.size() != 1 || !path || path->name().size() != 1)
    return std::nullopt;
  return name(path->name(0));
}

Step Transformer::step(P::StepContext *ctx) {
  Step s;
  s.range = range(ctx);
  std::vector<P::StepOptionContext *> options;
  auto exprs = [&](const std::vector<P::ExprContext *> &es) {
    for (auto *e : es)
      s.operands.push_back(expr(e));
  };
  if (auto *b = dynamic_cast<P::BranchStepContext *>(ctx)) {
    s.kind = Step::Kind::Branch;
    exprs(b->expr());
    options = b->stepOption();
  } else if (auto *t = dynamic_cast<P::TagStepContext *>(ctx)) {
    s.kind = Step::Kind::Tag;
    exprs(t->expr());
    options = t->stepOption();
  } else if (auto *c = dynamic_cast<P::CommitStepContext *>(ctx)) {
    s.kind = Step::Kind::Commit;
    exprs(c->expr());
    options = c->stepOption();
  } else if (auto *pin = dynamic_cast<P::PinStepContext *>(ctx)) {
    s.kind = Step::Kind::Pin;
    exprs(pin->expr());
    options = pin->stepOption();
  } else if (auto *rec = dynamic_cast<P::RecordStepContext *>(ctx)) {
    s.kind = Step::Kind::Record;
    s.names.push_back(name(rec->name()));
    exprs(rec->expr());
    options = rec->stepOption();
  } else if (auto *bu = dynamic_cast<P::BuildStepContext *>(ctx)) {
    s.kind = Step::Kind::Build;
    s.names.push_back(name(bu->name()));
    options = bu->stepOption();
    // `channel NAME` right after the matrix is the build's channel (the
    // grammar reads it as an option, to stay unambiguous).
    if (std::optional<Name> channel =
            options.empty() ? std::nullopt : buildChannel(options[0])) {
      s.channel = std::move(channel);
      options.erase(options.begin());
    }
  } else if (auto *r = dynamic_cast<P::RequireStepContext *>(ctx)) {
    s.kind = Step::Kind::Require;
    s.names = names(r->name());
  } else if (auto *a = dynamic_cast<P::ApproveStepContext *>(ctx)) {
    s.kind = Step::Kind::Approve;
    if (auto str = string(a->STRING()))
      s.operands.push_back(std::move(str));
    options = a->stepOption();
  } else if (auto *run = dynamic_cast<P::RunStepContext *>(ctx)) {
    s.kind = Step::Kind::Run;
    if (auto str = string(run->STRING()))
      s.operands.push_back(std::move(str));
    options = run->stepOption();
  } else {
    auto *w = static_cast<P::WaitStepContext *>(ctx);
    s.kind = Step::Kind::Wait;
    s.operands.push_back(expr(w->expr()));
    options = w->stepOption();
  }
  for (auto *o : options) {
    StepOption opt;
    opt.range = range(o);
    if (auto *named = dynamic_cast<P::NamedOptionContext *>(o)) {
      opt.kind = StepOption::Kind::Named;
      opt.name = name(named->name());
      opt.value = expr(named->expr());
    } else {
      opt.kind = dynamic_cast<P::OnceOptionContext *>(o)
                     ? StepOption::Kind::Once
                     : StepOption::Kind::Annotated;
      opt.name = {text(o), opt.range};
    }
    s.options.push_back(std::move(opt));
  }
  return s;
}

Item Transformer::item(P::ItemContext *ctx) {
  Item it;
  it.range = range(ctx);
  if (auto *c = dynamic_cast<P::CompatItemContext *>(ctx)) {
    it.kind = Item::Kind::Compat;
    it.path = string(c->STRING());
  } else if (auto *r = dynamic_cast<P::RepoItemContext *>(ctx)) {
    it.kind = Item::Kind::Repo;
    if (r->name())
      it.name = name(r->name());
    for (auto *s : r->setting())
      it.settings.push_back(setting(s));
  } else if (auto *ch = dynamic_cast<P::ChannelsItemContext *>(ctx)) {
    it.kind = Item::Kind::Channels;
    it.channels = names(ch->name());
    P::ChannelsBodyContext *body = ch->channelsBody();
    it.channelsHaveBody = body->LBRACE() != nullptr;
    for (auto *e : body->channelException()) {
      std::vector<Name> ns = names(e->name());
      ChannelException ex{ns[0], value(e->value()), ns[1], nullptr, range(e)};
      if (e->STRING())
        ex.reason = string(e->STRING());
      it.exceptions.push_back(std::move(ex));
    }
    for (auto *t : body->channelTarget()) {
      ChannelTarget target{name(t->name()), {}, range(t)};
      for (auto *s : t->setting())
        target.settings.push_back(setting(s));
      it.targets.push_back(std::move(target));
    }
  } else if (auto *chk = dynamic_cast<P::CheckItemContext *>(ctx)) {
    it.kind = Item::Kind::Check;
    std::vector<Name> ns = names(chk->name());
    it.name = ns[0];
    it.function = ns[1];
    for (auto *a : chk->arg())
      it.args.push_back({name(a->name()), expr(a->expr())});
  } else if (auto *p = dynamic_cast<P::PolicyItemContext *>(ctx)) {
    it.kind = Item::Kind::Policy;
    for (auto *s : p->setting())
      it.settings.push_back(setting(s));
  } else if (auto *sch = dynamic_cast<P::ScheduleItemContext *>(ctx)) {
    it.kind = Item::Kind::Schedule;
    for (auto *e : sch->scheduleEntry()) {
      ScheduleEntry se;
      se.range = range(e);
      if (auto *pe = dynamic_cast<P::PatchEntryContext *>(e)) {
        se.isPatch = true;
        se.patchVersion = version(pe->version());
        se.when = expr(pe->expr());
      } else {
        auto *me = static_cast<P::MilestoneEntryContext *>(e);
        se.milestone = name(me->name());
        se.when = expr(me->expr());
      }
      it.schedule.push_back(std::move(se));
    }
  } else if (auto *m = dynamic_cast<P::MatrixItemContext *>(ctx)) {
    it.kind = Item::Kind::Matrix;
    std::vector<P::NameContext *> names = m->name();
    it.name = name(names[0]);
    if (names.size() > 1)
      it.base = name(names[1]);
    for (auto *e : m->matrixEntry())
      it.matrix.push_back(matrixEntry(e));
  } else if (auto *st = dynamic_cast<P::StageItemContext *>(ctx)) {
    it.kind = Item::Kind::Stage;
    it.name = name(st->name());
    if (auto *ps = st->stageParams())
      it.params = names(ps->name());
    for (auto *t : st->stageTrigger()) {
      StageTrigger tr;
      tr.range = range(t);
      if (auto *on = dynamic_cast<P::OnTriggerContext *>(t)) {
        tr.kind = StageTrigger::Kind::On;
        tr.date = expr(on->expr());
      } else {
        tr.kind = StageTrigger::Kind::After;
        // `pytorch.rc` stays one name: Sema tells a partner's stage by the
        // dot.
        for (auto *ref :
             static_cast<P::AfterTriggerContext *>(t)->qualifiedName())
          tr.stages.push_back(qualifiedName(ref));
      }
      it.triggers.push_back(std::move(tr));
    }
    for (auto *s : st->step())
      it.steps.push_back(step(s));
  } else if (auto *w = dynamic_cast<P::WithItemContext *>(ctx)) {
    it.kind = Item::Kind::With;
    it.name = name(w->name());
    it.version = version(w->version());
  } else {
    auto *o = static_cast<P::OverlayItemContext *>(ctx);
    it.kind = Item::Kind::Overlay;
    it.name = name(o->name());
    it.path = string(o->STRING());
    for (auto *e : o->overlayEntry()) {
      OverlayEntry oe;
      oe.range = range(e);
      if (auto *a = dynamic_cast<P::OverlayAllowContext *>(e)) {
        oe.allow = name(a->name());
        oe.reason = string(a->STRING());
      } else {
        auto *set = static_cast<P::OverlaySetContext *>(e);
        for (auto *k : set->key())
          oe.path.push_back(key(k));
        oe.append = set->APPEND() != nullptr;
        oe.value = expr(set->expr());
      }
      it.overlay.push_back(std::move(oe));
    }
  }
  return it;
}

std::unique_ptr<File> syntax::transform(P::PlanFileContext *tree,
                                        const TextMap &map,
                                        DiagnosticEngine &diags) {
  Transformer t(map, diags);
  std::unique_ptr<File> file = t.file(tree);
  if (t.failed)
    return nullptr;
  return file;
}

ConditionPtr syntax::transform(P::ConditionTextContext *tree,
                               const TextMap &map, DiagnosticEngine &diags) {
  Transformer t(map, diags);
  ConditionPtr c = t.condition(tree->condition());
  if (t.failed)
    return nullptr;
  return c;
}
