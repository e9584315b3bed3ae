//===- Parser.cpp - Lexing, two-stage parsing and syntax errors
//------------===//
//
// parseBuffer lexes the whole buffer first, so lexical errors (a stray
// character, an unterminated string or comment) and bracket nesting too deep
// for a recursive-descent parser are reported before parsing starts. Then
// the written-out parser (PlanParser.cpp) tries a plan's tokens. A file it
// declines goes to ANTLR's parser, with SLL and BailErrorStrategy; only if
// that fails does it reparse with full LL and RelcErrorStrategy, which turns
// ANTLR's error events into relc diagnostics in the plan's own terms.
//
//===----------------------------------------------------------------------===//
#include "Syntax/Parser.h"
#include "Syntax/SyntaxImpl.h"

#include "Basic/SourceFiles.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace relc;
using namespace relc::syntax;
using P = RelPlanParser;

namespace {

/// Thrown by RelcErrorStrategy once the engine's error limit is reached, so
/// a file of garbage does not keep the parser recovering for long.
struct TooManyErrors {};

//===------------------------------------------------- wording of errors ===//

std::string spaced(llvm::StringRef name) {
  std::string s = name.str();
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

/// "after the branch cut date": what the parser just finished, from the
/// innermost statement-like rule on the context stack.
std::string afterPhrase(antlr4::RuleContext *ctx) {
  for (; ctx; ctx = dynamic_cast<antlr4::RuleContext *>(ctx->parent)) {
    if (auto *m = dynamic_cast<P::MilestoneEntryContext *>(ctx))
      return m->name() ? "after the " + spaced(m->name()->getText()) + " date"
                       : "after the milestone date";
    if (dynamic_cast<P::PatchEntryContext *>(ctx))
      return "after the patch date";
    if (auto *s = dynamic_cast<P::SettingContext *>(ctx))
      return s->name() ? "after the '" + s->name()->getText() + "' setting"
                       : "after the setting";
    if (auto *a = dynamic_cast<P::AxisEntryContext *>(ctx))
      return a->name()
                 ? "after the values of axis '" + a->name()->getText() + "'"
                 : "after the axis values";
    if (dynamic_cast<P::PinEntryContext *>(ctx))
      return "after the pinned version";
    if (dynamic_cast<P::ExcludeEntryContext *>(ctx))
      return "after the exclude condition";
    if (dynamic_cast<P::IncludeEntryContext *>(ctx))
      return "after the include";
    if (auto *c = dynamic_cast<P::CheckItemContext *>(ctx))
      return c->name().empty() ? "after the check"
                               : "after check '" + c->name(0)->getText() + "'";
    if (dynamic_cast<P::CompatItemContext *>(ctx))
      return "after the compat path";
    if (dynamic_cast<P::ImportDeclContext *>(ctx))
      return "after the import path";
    if (dynamic_cast<P::ChannelExceptionContext *>(ctx))
      return "after the channel exception";
    if (dynamic_cast<P::ChannelsItemContext *>(ctx))
      return "after the channel order";
    if (auto *s = dynamic_cast<P::StepContext *>(ctx))
      return "after the '" + s->getStart()->getText() + "' step";
    if (dynamic_cast<P::OverlayEntryContext *>(ctx))
      return "after the overlay entry";
  }
  return "";
}

/// "in matrix 'wheels'": the innermost block being parsed.
std::string inPhrase(antlr4::RuleContext *ctx) {
  auto named = [](llvm::StringRef what, P::NameContext *n) {
    return n ? "in " + what.str() + " '" + n->getText() + "'"
             : "in the " + what.str();
  };
  for (; ctx; ctx = dynamic_cast<antlr4::RuleContext *>(ctx->parent)) {
    if (dynamic_cast<P::StepContext *>(ctx))
      return "in the step";
    if (dynamic_cast<P::ConditionContext *>(ctx))
      return "in the condition";
    if (dynamic_cast<P::ScheduleItemContext *>(ctx))
      return "in the schedule";
    if (auto *m = dynamic_cast<P::MatrixItemContext *>(ctx))
      return named("matrix", m->name().empty() ? nullptr : m->name(0));
    if (auto *s = dynamic_cast<P::StageItemContext *>(ctx))
      return named("stage", s->name());
    if (dynamic_cast<P::RepoItemContext *>(ctx))
      return "in the repo block";
    if (dynamic_cast<P::PolicyItemContext *>(ctx))
      return "in the patch policy";
    if (dynamic_cast<P::OverlayItemContext *>(ctx))
      return "in the overlay";
    if (dynamic_cast<P::ChannelsBodyContext *>(ctx))
      return "in the channel exceptions";
    if (auto *p = dynamic_cast<P::ProjectUnitContext *>(ctx))
      return named("project", p->name());
    if (auto *r = dynamic_cast<P::ReleaseUnitContext *>(ctx))
      return named("release", r->name());
  }
  return "at the top level";
}

} // namespace

bool syntax::isNameToken(size_t type) {
  switch (type) {
  case P::IDENT:
  case P::K_RELEASE:
  case P::K_PROJECT:
  case P::K_PATCH:
  case P::K_POLICY:
  case P::K_SCHEDULE:
  case P::K_REPO:
  case P::K_CHANNEL:
  case P::K_CHANNELS:
  case P::K_COMPAT:
  case P::K_MATRIX:
  case P::K_CHECK:
  case P::K_STAGE:
  case P::K_FROM:
  case P::K_IN:
  case P::K_ON:
  case P::K_AFTER:
  case P::K_UNTIL:
  case P::K_BUILD:
  case P::K_RUN:
  case P::K_WAIT:
  case P::K_APPROVE:
  case P::K_REQUIRE:
  case P::K_OVERLAY:
  case P::K_ALLOW:
  case P::K_IMPORT:
  case P::K_RECIPE:
  case P::K_WITH:
  case P::K_RECORD:
    return true;
  default:
    return false;
  }
}

namespace {

/// Describes what the parser would have accepted, grouping the token sets
/// that mean one thing to a plan author (every keyword that can start an
/// item is "an item", every token that can start a value is "a value").
std::string describeExpected(const antlr4::misc::IntervalSet &set,
                             const antlr4::dfa::Vocabulary &vocab) {
  std::vector<size_t> types;
  for (ssize_t t : set.toList())
    types.push_back(static_cast<size_t>(t)); // EOF is -1 here, as in Token.
  auto has = [&](size_t t) { return llvm::is_contained(types, t); };
  std::vector<std::string> parts;
  auto drop = [&](std::initializer_list<size_t> ts) {
    llvm::erase_if(types, [&](size_t t) { return llvm::is_contained(ts, t); });
  };

  if (has(P::K_GIT_BRANCH) && has(P::K_RUN) && has(P::K_APPROVE)) {
    parts.push_back("a step ('git.branch', 'git.tag', 'git.commit', "
                    "'git.pin', 'record', 'build', 'require', 'approve', "
                    "'run', 'wait until')");
    drop({P::K_GIT_BRANCH, P::K_GIT_TAG, P::K_GIT_COMMIT, P::K_GIT_PIN,
          P::K_RECORD, P::K_BUILD, P::K_REQUIRE, P::K_APPROVE, P::K_RUN,
          P::K_WAIT});
  }
  if (has(P::STRING) && has(P::DATE) && has(P::VERSION) && has(P::IDENT)) {
    parts.push_back("a value");
    drop({P::STRING, P::DATE, P::DURATION, P::SIZE, P::VERSION, P::INT,
          P::LBRACKET, P::LBRACE, P::LPAREN});
    llvm::erase_if(types, isNameToken);
  }
  if (has(P::IDENT)) {
    parts.push_back("a name");
    llvm::erase_if(types, isNameToken);
  }
  if (has(P::K_SCHEDULE) && has(P::K_MATRIX) && has(P::K_STAGE)) {
    parts.push_back("an item ('compat', 'repo', 'channels', 'check', "
                    "'patch policy', 'schedule', 'matrix', 'stage', "
                    "'overlay', 'with')");
    drop({P::K_COMPAT, P::K_REPO, P::K_CHANNELS, P::K_CHECK, P::K_PATCH,
          P::K_SCHEDULE, P::K_MATRIX, P::K_STAGE, P::K_OVERLAY, P::K_WITH});
  }
  if (has(P::VERSION) || has(P::INT)) {
    parts.push_back("a version");
    drop({P::VERSION, P::INT});
  }
  // Tokens that stand for a kind of literal are named by that kind; the rest
  // by their spelling.
  static const std::pair<size_t, const char *> kinds[] = {
      {antlr4::Token::EOF, "end of file"},
      {P::STRING, "a string"},
      {P::DATE, "a date"},
      {P::DURATION, "a duration"},
      {P::SIZE, "a size"}};
  for (size_t t : types) {
    const auto *kind =
        llvm::find_if(kinds, [&](auto &k) { return k.first == t; });
    if (kind != std::end(kinds)) {
      parts.push_back(kind->second);
      continue;
    }
    std::string lit = vocab.getLiteralName(t);
    parts.push_back(lit.empty() ? vocab.getSymbolicName(t) : lit);
  }
  if (parts.empty())
    return "something else";
  std::string out = parts[0];
  for (size_t i = 1; i < parts.size(); ++i)
    out += (i + 1 == parts.size() ? " or " : ", ") + parts[i];
  return out;
}

std::string describeToken(const antlr4::Token *t) {
  if (t->getType() == antlr4::Token::EOF)
    return "end of file";
  std::string text = t->getText();
  if (text.size() > 24)
    text = text.substr(0, 21) + "...";
  return "'" + text + "'";
}

//===------------------------------------------------------- the strategy ===//

class RelcErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  RelcErrorStrategy(DiagnosticEngine &diags, const TextMap &map)
      : diags(diags), map(map) {}

protected:
  void
  reportNoViableAlternative(antlr4::Parser *p,
                            const antlr4::NoViableAltException &e) override {
    report(p, e.getOffendingToken(), e.getExpectedTokens());
  }
  void reportInputMismatch(antlr4::Parser *p,
                           const antlr4::InputMismatchException &e) override {
    report(p, e.getOffendingToken(), e.getExpectedTokens());
  }
  void reportUnwantedToken(antlr4::Parser *p) override {
    if (inErrorRecoveryMode(p))
      return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p));
  }
  void reportMissingToken(antlr4::Parser *p) override {
    if (inErrorRecoveryMode(p))
      return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p));
  }

private:
  void report(antlr4::Parser *p, antlr4::Token *offending,
              const antlr4::misc::IntervalSet &expected) {
    const antlr4::dfa::Vocabulary &vocab = p->getVocabulary();
    antlr4::Token *prev =
        offending->getTokenIndex() > 0
            ? p->getTokenStream()->get(offending->getTokenIndex() - 1)
            : nullptr;
    // Skip back over hidden comments to the last real token.
    while (prev && prev->getChannel() != antlr4::Token::DEFAULT_CHANNEL)
      prev = prev->getTokenIndex() > 0
                 ? p->getTokenStream()->get(prev->getTokenIndex() - 1)
                 : nullptr;
    antlr4::RuleContext *ctx = p->getContext();

    // After an error, recovery may stumble once more on the same line; the
    // first error there is the one worth reading.
    size_t line = offending->getLine();
    if (line == lastErrorLine)
      return;
    lastErrorLine = line;

    if (expected.contains(static_cast<size_t>(P::SEMI)) && prev) {
      // A forgotten ';' is by far the most common slip; point just past
      // what it should follow, as compilers do.
      std::string after = afterPhrase(ctx);
      diags.report(DiagKind::ExpectedToken, map.after(prev),
                   "expected ';'" + (after.empty() ? "" : " " + after));
    } else if (offending->getType() == antlr4::Token::EOF) {
      diags.report(DiagKind::ExpectedToken, prev ? map.after(prev) : map.loc(0),
                   "unexpected end of file " + inPhrase(ctx) + "; expected " +
                       describeExpected(expected, vocab));
    } else {
      diags.report(DiagKind::UnexpectedToken, map.range(offending),
                   "unexpected " + describeToken(offending) + " " +
                       inPhrase(ctx) + "; expected " +
                       describeExpected(expected, vocab));
    }
    if (diags.errorLimitExceeded())
      throw TooManyErrors();
  }

  DiagnosticEngine &diags;
  const TextMap &map;
  size_t lastErrorLine = 0;
};

//===--------------------------------------------------------- lexing ===//

} // namespace

CodePointStream::CodePointStream(llvm::StringRef text) {
  _data.resize(text.size());
  // Source files are valid UTF-8 (checked when they are read). A plan with
  // one non-ASCII character in a comment is still nearly all ASCII: copy
  // that, and convert only where it is not, a character a call (14 KB of
  // PyTorch's project took 1 M instructions through one conversion). The
  // result is the whole conversion's: a call with room for one code point
  // stops before the next, except that it also writes the replacement for a
  // sequence cut short by the end of the text, for which _data, a code point
  // per byte, has room.
  const auto *src = text.bytes_begin(), *srcEnd = text.bytes_end();
  auto *begin = reinterpret_cast<llvm::UTF32 *>(&_data[0]), *dst = begin;
  while (src != srcEnd) {
    size_t ascii = asciiPrefix(
        llvm::StringRef(reinterpret_cast<const char *>(src), srcEnd - src));
    dst = std::copy(src, src + ascii, dst);
    src += ascii;
    if (src == srcEnd)
      break;
    const auto *before = src;
    llvm::ConvertUTF8toUTF32(&src, srcEnd, &dst, dst + 1,
                             llvm::lenientConversion);
    if (src == before) { // Cannot happen when lenient; never loop forever.
      *dst++ = 0xFFFD;
      ++src;
    }
  }
  _data.resize(dst - begin);
}

namespace {

/// Reports lexical errors and nesting too deep; true if there were none.
bool checkTokens(llvm::ArrayRef<Lexeme> tokens, llvm::StringRef text,
                 DiagnosticEngine &diags, const ParseOptions &options) {
  bool ok = true;
  unsigned depth = 0;
  for (const Lexeme &t : tokens) {
    switch (t.type) {
    case P::BAD_CHAR: {
      llvm::SMRange r = t.range(text);
      llvm::StringRef ch(r.Start.getPointer(),
                         r.End.getPointer() - r.Start.getPointer());
      std::string shown;
      if (ch.size() == 1 && llvm::isPrint(ch[0]))
        shown = "'" + ch.str() + "'";
      else {
        llvm::UTF32 cp = 0;
        const llvm::UTF8 *src = reinterpret_cast<const llvm::UTF8 *>(ch.data());
        llvm::UTF32 *dst = &cp;
        llvm::ConvertUTF8toUTF32(&src, src + ch.size(), &dst, dst + 1,
                                 llvm::strictConversion);
        shown = "U+" + llvm::utohexstr(cp, /*LowerCase=*/false, 4);
        if (ch.size() > 1)
          shown = "'" + ch.str() + "' (" + shown + ")";
      }
      diags.report(DiagKind::InvalidCharacter, r,
                   "unexpected character " + shown + " in plan");
      ok = false;
      break;
    }
    case P::UNTERMINATED_STRING:
      diags.report(DiagKind::UnterminatedString, t.range(text).Start,
                   "unterminated string; a string must end with '\"' on the "
                   "line it starts");
      ok = false;
      break;
    case P::UNTERMINATED_COMMENT:
      diags.report(DiagKind::UnterminatedComment, t.range(text).Start,
                   "unterminated '/*' comment; it runs to the end of the file");
      ok = false;
      break;
    case P::LBRACE:
    case P::LPAREN:
    case P::LBRACKET:
      if (++depth > options.maxNesting && ok) {
        diags.report(DiagKind::NestingTooDeep, t.range(text),
                     "brackets nested more than " +
                         llvm::Twine(options.maxNesting) + " deep");
        return false;
      }
      break;
    case P::RBRACE:
    case P::RPAREN:
    case P::RBRACKET:
      if (depth)
        --depth;
      break;
    default:
      break;
    }
    if (diags.errorLimitExceeded())
      return false;
  }
  return ok;
}

std::vector<ast::Comment> collectComments(llvm::ArrayRef<Lexeme> tokens,
                                          llvm::StringRef text) {
  std::vector<ast::Comment> out;
  for (const Lexeme &t : tokens) {
    if (!t.hidden())
      continue;
    llvm::SMRange r = t.range(text);
    const char *p = r.Start.getPointer();
    bool ownLine = true;
    while (p > text.data() && p[-1] != '\n') {
      --p;
      if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\f') {
        ownLine = false;
        break;
      }
    }
    std::string body(r.Start.getPointer(),
                     r.End.getPointer() - r.Start.getPointer());
    // A line comment of a CRLF file ends before the '\r'.
    while (!body.empty() &&
           (body.back() == '\r' || body.back() == ' ' || body.back() == '\t'))
      body.pop_back();
    out.push_back({std::move(body), r, ownLine});
  }
  return out;
}

/// Parses \p tokens (well formed) again from \p rule in full LL mode with
/// ANTLR's profiler: each prediction first tries SLL, and falls back to
/// full-context prediction only where SLL meets a conflict.
template <typename Rule>
void countLLFallbacks(antlr4::CommonTokenStream &tokens, Rule rule,
                      ParseStats &stats) {
  tokens.seek(0);
  P parser(&tokens);
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.setProfile(true);
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::LL);
  (parser.*rule)();
  for (const antlr4::atn::DecisionInfo &d :
       parser.getParseInfo().getDecisionInfo()) {
    if (!d.LL_Fallback)
      continue;
    stats.llFallbacks += d.LL_Fallback;
    size_t r = parser.getATN().decisionToState[d.decision]->ruleIndex;
    stats.llFallbackRules.push_back(parser.getRuleNames()[r]);
  }
}

/// Lexes \p text and parses it: with \p writtenOut, a parser that gives a
/// result only for text it takes (null otherwise, reporting nothing); then,
/// if it did not, from ANTLR's start rule \p rule: SLL with
/// BailErrorStrategy, then, only if that fails, full LL with relc's error
/// reporting. Calls \p build with the tree when the text is well formed;
/// returns what it returns, or a null result after reporting.
template <typename Result, typename Rule, typename WrittenOut, typename Build>
Result parseText(DiagnosticEngine &diags, llvm::StringRef text,
                 const ParseOptions &options, ParseStats *stats,
                 llvm::StringRef expected, WrittenOut writtenOut, Rule rule,
                 Build build) {
  TextMap map(text);
  std::vector<Lexeme> lexemes = lex(text);
  if (stats)
    stats->tokens = lexemes.size();
  if (!checkTokens(lexemes, text, diags, options))
    return nullptr;
  bool empty = llvm::all_of(lexemes, [](const Lexeme &t) {
    return t.type == antlr4::Token::EOF || t.hidden();
  });
  if (empty) { // Nothing but whitespace and comments.
    diags.report(DiagKind::EmptyFile, map.loc(0), expected);
    return nullptr;
  }
  if (!options.antlrOnly && !options.profile) {
    if (Result result = writtenOut(lexemes)) {
      if (stats)
        stats->writtenOut = true;
      return result;
    }
  }

  // ANTLR's parser reads ANTLR's tokens: the same again, as objects.
  CodePointStream input(text);
  PlanLexer lexer(input);
  antlr4::CommonTokenStream tokens(&lexer);
  P parser(&tokens);
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  decltype((parser.*rule)()) tree = nullptr;
  try {
    tree = (parser.*rule)();
  } catch (antlr4::ParseCancellationException &) {
    if (stats)
      stats->usedFullLL = true;
    unsigned errorsBefore = diags.errorCount();
    tokens.seek(0);
    parser.reset();
    parser.setErrorHandler(std::make_shared<RelcErrorStrategy>(diags, map));
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    try {
      tree = (parser.*rule)();
    } catch (TooManyErrors &) {
      return nullptr;
    }
    if (diags.errorCount() != errorsBefore)
      return nullptr;
  }
  if (options.profile && stats)
    countLLFallbacks(tokens, rule, *stats);
  return build(tree, map, lexemes);
}

} // namespace

std::unique_ptr<ast::File> relc::parseBuffer(DiagnosticEngine &diags,
                                             unsigned bufferId,
                                             const ParseOptions &options,
                                             ParseStats *stats) {
  llvm::SourceMgr &sm = diags.getSourceMgr();
  llvm::StringRef text = sourceText(sm, bufferId);
  auto finish = [&](std::unique_ptr<ast::File> file,
                    llvm::ArrayRef<Lexeme> tokens) {
    if (!file)
      return file;
    file->path = sm.getMemoryBuffer(bufferId)->getBufferIdentifier().str();
    file->bufferId = bufferId;
    file->comments = collectComments(tokens, text);
    return file;
  };
  auto writtenOut = [&](llvm::ArrayRef<Lexeme> tokens) {
    return finish(parseWrittenOutPlan(tokens, text), tokens);
  };
  auto build = [&](P::PlanFileContext *tree, const TextMap &map,
                   llvm::ArrayRef<Lexeme> tokens) {
    return finish(transform(tree, map, diags), tokens);
  };
  return parseText<std::unique_ptr<ast::File>>(
      diags, text, options, stats,
      "empty plan; expected 'project' or 'release'", writtenOut, &P::planFile,
      build);
}

ast::ConditionPtr syntax::parseConditionWithANTLR(DiagnosticEngine &diags,
                                                  llvm::StringRef text) {
  auto build = [&](P::ConditionTextContext *tree, const TextMap &map,
                   llvm::ArrayRef<Lexeme>) {
    return transform(tree, map, diags);
  };
  // parseCondition has tried the written-out condition parser already.
  auto none = [](llvm::ArrayRef<Lexeme>) { return ast::ConditionPtr(); };
  return parseText<ast::ConditionPtr>(diags, text, ParseOptions(), nullptr,
                                      "empty condition", none,
                                      &P::conditionText, build);
}

ast::ConditionPtr relc::parseCondition(DiagnosticEngine &diags,
                                       llvm::StringRef text) {
  if (ast::ConditionPtr simple = parseSimpleCondition(text))
    return simple;
  return parseConditionWithANTLR(diags, text);
}
