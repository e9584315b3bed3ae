//===- Lexer.cpp - The plan lexer, written out
//-----------------------------===//
//
// ANTLR's generated lexer builds its DFA at run time, state by state, the
// first time it meets each character sequence: for the 3 KB of a typical
// plan that was about 10 M instructions per process, a fifth of `relc
// check`. This lexer gives the same tokens directly. The grammar stays the
// reference: each function below is one lexer rule of grammar/RelPlan.g4
// and returns the length of its longest match (0 for none); the token is
// the longest of them, the first rule in the grammar winning a tie, as
// ANTLR decides. test/unit/Syntax/LexerTest.cpp compares the two lexers'
// tokens on every plan in the repository.
//
// The tokens are plain values (Lexeme); the written-out parsers read them
// as they are, and only ANTLR's parser, when a plan needs it, gets them as
// ANTLR's token objects (PlanLexer). UTF-8 text is read byte by byte, with
// no UTF-32 copy, and its tokens say where they are in bytes.
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

#include "Basic/SourceFiles.h"

#include "RelPlanLexer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstring>

using namespace relc::syntax;
using L = RelPlanLexer;

namespace {

/// A code unit as a number: a byte of UTF-8 is 0 to 255, whatever the sign
/// of char.
char32_t unit(char c) { return static_cast<unsigned char>(c); }
char32_t unit(char32_t c) { return c; }

bool isDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool isLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isWord(char32_t c) { return isLetter(c) || isDigit(c) || c == '_'; }
bool isSep(char32_t c) { return c == '.' || c == '-' || c == '_'; }

/// The match of one rule at a position: the text from there on, in code
/// units of \p Char (char for ASCII text, char32_t otherwise).
template <typename Char> class Scan {
public:
  Scan(const Char *p, const Char *end) : p(p), end(end) {}

  char32_t at(size_t i) const { return i < size_t(end - p) ? unit(p[i]) : 0; }
  bool has(size_t i) const { return i < size_t(end - p); }
  bool lit(size_t i, const char *s) const {
    for (; *s; ++s, ++i)
      if (at(i) != char32_t(*s))
        return false;
    return true;
  }
  size_t digits(size_t i) const {
    while (isDigit(at(i)) && has(i))
      ++i;
    return i;
  }

  // Every run of digits or letters in these rules is followed by something
  // that cannot continue it, so taking it whole loses no longer match; the
  // optional parts can, so they are followed as sets of end positions.
  using Ends = llvm::SmallVector<size_t, 8>;
  static void add(Ends &e, size_t i) {
    if (!llvm::is_contained(e, i))
      e.push_back(i);
  }
  /// [.\-_]?
  Ends sepOpt(const Ends &in) const {
    Ends out = in;
    for (size_t i : in)
      if (isSep(at(i)) && has(i))
        add(out, i + 1);
    return out;
  }
  /// DIGITS?
  Ends digitsOpt(const Ends &in) const {
    Ends out = in;
    for (size_t i : in)
      add(out, digits(i));
    return out;
  }
  /// ([.\-_]? WORD [.\-_]? DIGITS?)? for each spelling of WORD.
  Ends tagOpt(const Ends &in, std::initializer_list<const char *> words) const {
    Ends mid;
    for (size_t i : sepOpt(in))
      for (const char *w : words)
        if (lit(i, w))
          add(mid, i + strlen(w));
    Ends out = in;
    for (size_t i : digitsOpt(sepOpt(mid)))
      add(out, i);
    return out;
  }

  size_t date() const {
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (!isDigit(at(i)))
        return 0;
    return at(4) == '-' && at(7) == '-' ? 10 : 0;
  }
  size_t size() const {
    size_t n = digits(0);
    if (n == 0)
      return 0;
    size_t best = 0;
    size_t frac = at(n) == '.' && isDigit(at(n + 1)) ? digits(n + 1) : n;
    for (size_t i : {n, frac}) {
      while (at(i) == ' ' || at(i) == '\t')
        ++i;
      if (!llvm::StringRef("KMGTB").contains(char(at(i))))
        continue;
      for (const char *unit :
           {"KiB", "MiB", "GiB", "TiB", "KB", "MB", "GB", "TB", "B"})
        if (lit(i, unit)) {
          best = std::max(best, i + strlen(unit));
          break;
        }
    }
    return best;
  }
  size_t duration() const {
    size_t n = digits(0);
    char32_t c = at(n);
    return n && (c == 'w' || c == 'd' || c == 'h' || c == 'm' || c == 's')
               ? n + 1
               : 0;
  }
  size_t integer() const { return digits(0); }
  size_t version() const {
    size_t n = digits(0);
    if (n == 0)
      return 0;
    // Most versions are dotted numbers that nothing below can go on from:
    // the optional parts all start with one of these characters, and only
    // at the last end of the dotted numbers (every other end is followed by
    // a dot and a digit).
    size_t dotted = n;
    while (at(dotted) == '.' && isDigit(at(dotted + 1)))
      dotted = digits(dotted + 1);
    if (!llvm::StringRef(".-_!+tabcdpr").contains(char(at(dotted))))
      return dotted;
    Ends e = {n};
    if (at(n) == '!' && isDigit(at(n + 1)))
      e.push_back(digits(n + 1)); // (DIGITS '!')? DIGITS
    // ('.' DIGITS)*
    for (size_t k = 0; k < e.size(); ++k)
      if (at(e[k]) == '.' && isDigit(at(e[k] + 1)))
        add(e, digits(e[k] + 1));
    e = tagOpt(e, {"alpha", "a", "beta", "b", "rc", "c", "preview", "pre"});
    e = tagOpt(e, {"post"});
    e = tagOpt(e, {"dev"});
    // ('+' [a-zA-Z0-9]+ ([.\-_] [a-zA-Z0-9]+)*)?
    auto alnums = [&](size_t i) {
      while (has(i) && (isLetter(at(i)) || isDigit(at(i))))
        ++i;
      return i;
    };
    for (size_t k = 0, n0 = e.size(); k < n0; ++k) {
      size_t i = e[k];
      if (at(i) != '+' || alnums(i + 1) == i + 1)
        continue;
      i = alnums(i + 1);
      while (isSep(at(i)) && alnums(i + 1) > i + 1)
        i = alnums(i + 1);
      add(e, i);
    }
    size_t best = 0;
    for (size_t i : e)
      best = std::max(best, at(i) == 't' ? i + 1 : i);
    return best;
  }
  size_t ident() const {
    if (!(isLetter(at(0)) || at(0) == '_'))
      return 0;
    size_t i = 1;
    for (;;) {
      while (isWord(at(i)))
        ++i;
      if (at(i) != '-' || !isWord(at(i + 1)))
        return i;
      ++i;
    }
  }
  /// The body of a string from after its quote: where it stops. STRING and
  /// UNTERMINATED_STRING both ask; the body is scanned once.
  size_t stringBody() const {
    if (body)
      return body;
    size_t i = 1;
    while (has(i)) {
      char32_t c = at(i);
      if (c == '"' || c == '\r' || c == '\n')
        break;
      if (c == '\\') {
        if (!has(i + 1) || p[i + 1] == '\r' || p[i + 1] == '\n')
          break;
        ++i;
      }
      ++i;
    }
    return body = i;
  }
  size_t string() const {
    if (at(0) != '"')
      return 0;
    size_t i = stringBody();
    return has(i) && p[i] == '"' ? i + 1 : 0;
  }
  size_t unterminatedString() const {
    if (at(0) != '"')
      return 0;
    size_t i = stringBody();
    return has(i) && p[i] == '\\' ? i + 1 : i;
  }
  size_t lineComment() const {
    if (!lit(0, "//"))
      return 0;
    size_t i = 2;
    while (has(i) && p[i] != '\r' && p[i] != '\n')
      ++i;
    return i;
  }
  /// Where the first `*/` after `/*` starts, or the text's length.
  /// BLOCK_COMMENT and UNTERMINATED_COMMENT both ask; it is found once.
  size_t commentClose() const {
    if (close)
      return close;
    size_t i = 2;
    while (has(i + 1) && !(p[i] == '*' && p[i + 1] == '/'))
      ++i;
    return close = has(i + 1) ? i : size_t(end - p);
  }
  size_t blockComment() const {
    if (!lit(0, "/*"))
      return 0;
    size_t i = commentClose();
    return has(i + 1) ? i + 2 : 0;
  }
  size_t unterminatedComment() const {
    if (!lit(0, "/*"))
      return 0;
    size_t i = commentClose();
    // Up to the `*` of `*/`, or to the end.
    return has(i + 1) ? i + 1 : i;
  }
  size_t ws() const {
    size_t i = 0;
    while (has(i) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
                      p[i] == '\n' || p[i] == '\f'))
      ++i;
    return i;
  }

private:
  const Char *p, *end;
  mutable size_t body = 0, close = 0; ///< 0 until found (never 0 after).
};

struct Literal {
  constexpr Literal(const char *text, size_t type)
      : text(text), type(type), size(std::char_traits<char>::length(text)) {}
  const char *text;
  size_t type;
  size_t size;
};

// In the grammar's order, which breaks ties.
const Literal keywords[] = {{"import", L::K_IMPORT},
                            {"project", L::K_PROJECT},
                            {"release", L::K_RELEASE},
                            {"compat", L::K_COMPAT},
                            {"repo", L::K_REPO},
                            {"channels", L::K_CHANNELS},
                            {"channel", L::K_CHANNEL},
                            {"check", L::K_CHECK},
                            {"patch", L::K_PATCH},
                            {"policy", L::K_POLICY},
                            {"schedule", L::K_SCHEDULE},
                            {"matrix", L::K_MATRIX},
                            {"stage", L::K_STAGE},
                            {"overlay", L::K_OVERLAY},
                            {"allow", L::K_ALLOW},
                            {"pin", L::K_PIN},
                            {"exclude", L::K_EXCLUDE},
                            {"include", L::K_INCLUDE},
                            {"where", L::K_WHERE},
                            {"and", L::K_AND},
                            {"or", L::K_OR},
                            {"not", L::K_NOT},
                            {"is", L::K_IS},
                            {"in", L::K_IN},
                            {"on", L::K_ON},
                            {"after", L::K_AFTER},
                            {"from", L::K_FROM},
                            {"until", L::K_UNTIL},
                            {"once", L::K_ONCE},
                            {"annotated", L::K_ANNOTATED},
                            {"build", L::K_BUILD},
                            {"require", L::K_REQUIRE},
                            {"approve", L::K_APPROVE},
                            {"run", L::K_RUN},
                            {"wait", L::K_WAIT},
                            {"git.branch", L::K_GIT_BRANCH},
                            {"git.tag", L::K_GIT_TAG},
                            {"git.commit", L::K_GIT_COMMIT},
                            {"recipe", L::K_RECIPE},
                            {"with", L::K_WITH},
                            {"git.pin", L::K_GIT_PIN},
                            {"record", L::K_RECORD},
                            {"..", L::RANGE},
                            {"=", L::ASSIGN},
                            {"+=", L::APPEND}};
/// The rules between the keywords and the punctuation, in the grammar's order,
/// each with the characters a match can start with.
template <typename Char> struct Rule {
  size_t (Scan<Char>::*match)() const;
  size_t type;
  bool (*first)(char32_t);
};
bool digitFirst(char32_t c) { return isDigit(c); }
bool identFirst(char32_t c) { return isLetter(c) || c == '_'; }
bool quoteFirst(char32_t c) { return c == '"'; }
bool slashFirst(char32_t c) { return c == '/'; }
bool spaceFirst(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}
template <typename Char>
const Rule<Char> rules[] = {
    {&Scan<Char>::date, L::DATE, digitFirst},
    {&Scan<Char>::size, L::SIZE, digitFirst},
    {&Scan<Char>::duration, L::DURATION, digitFirst},
    {&Scan<Char>::integer, L::INT, digitFirst},
    {&Scan<Char>::version, L::VERSION, digitFirst},
    {&Scan<Char>::ident, L::IDENT, identFirst},
    {&Scan<Char>::string, L::STRING, quoteFirst},
    {&Scan<Char>::unterminatedString, L::UNTERMINATED_STRING, quoteFirst},
    {&Scan<Char>::lineComment, L::LINE_COMMENT, slashFirst},
    {&Scan<Char>::blockComment, L::BLOCK_COMMENT, slashFirst},
    {&Scan<Char>::unterminatedComment, L::UNTERMINATED_COMMENT, slashFirst},
    {&Scan<Char>::ws, L::WS, spaceFirst}};
const Literal punctuation[] = {
    {";", L::SEMI},   {"{", L::LBRACE},   {"}", L::RBRACE},   {"(", L::LPAREN},
    {")", L::RPAREN}, {"[", L::LBRACKET}, {"]", L::RBRACKET}, {",", L::COMMA},
    {":", L::COLON},  {".", L::DOT},      {"+", L::PLUS},     {"-", L::MINUS},
    {"==", L::EQ},    {"!=", L::NE},      {"<=", L::LE},      {">=", L::GE},
    {"<", L::LT},     {">", L::GT}};

/// The keywords, rules and punctuation that can match text starting with a
/// character, in the order above. Trying all of them at every token was
/// most of the lexer's time; no rule starts with a character past ASCII.
template <typename Char> struct Candidates {
  llvm::SmallVector<const Literal *, 4> keywords;
  llvm::SmallVector<const Rule<Char> *, 4> rules;
  llvm::SmallVector<const Literal *, 2> punctuation;
};
template <typename Char> const Candidates<Char> &candidates(char32_t c) {
  static const std::vector<Candidates<Char>> table = [] {
    std::vector<Candidates<Char>> t(129);
    for (const Literal &k : keywords)
      t[k.text[0]].keywords.push_back(&k);
    for (char32_t ch = 0; ch < 128; ++ch)
      for (const Rule<Char> &r : rules<Char>)
        if (r.first(ch))
          t[ch].rules.push_back(&r);
    for (const Literal &k : punctuation)
      t[k.text[0]].punctuation.push_back(&k);
    return t;
  }();
  return table[std::min<char32_t>(c, 128)];
}

} // namespace

template <typename Char> void PlanScanner<Char>::step() {
  if (begin[pos++] == '\n') {
    ++line;
    column = 0;
  } else {
    ++column;
  }
}

template <typename Char> Lexeme PlanScanner<Char>::next() {
  // Whitespace (WS, which is skipped) first: no other rule starts with it,
  // and taking it here is a third of the time a plan takes to lex.
  while (pos < size_t(end - begin) && spaceFirst(unit(begin[pos])))
    step();
  size_t start = pos;
  startLine = line;
  startColumn = column;
  if (pos >= size_t(end - begin))
    return {antlr4::Token::EOF, pos, pos};
  Scan<Char> s(begin + pos, end);
  size_t best = 0, type = L::BAD_CHAR;
  auto consider = [&](size_t n, size_t t) {
    if (n > best) {
      best = n;
      type = t;
    }
  };
  char32_t first = unit(begin[pos]);
  const Candidates<Char> &c = candidates<Char>(first);
  if (identFirst(first)) {
    // Most tokens: the only rule is IDENT, and no punctuation starts with
    // a letter. A keyword shorter than the identifier's run loses to it, so
    // only those at least as long are spelled out; of those the longest
    // wins, the first in the grammar on a tie, and IDENT only if longer.
    size_t ident = s.ident();
    for (const Literal *k : c.keywords)
      if (k->size >= ident && s.lit(0, k->text))
        consider(k->size, k->type);
    consider(ident, L::IDENT);
  } else {
    for (const Literal *k : c.keywords)
      if (s.lit(0, k->text))
        consider(k->size, k->type);
    for (const Rule<Char> *r : c.rules)
      consider((s.*r->match)(), r->type);
    for (const Literal *k : c.punctuation)
      if (s.lit(0, k->text))
        consider(k->size, k->type);
    consider(1, L::BAD_CHAR);
  }
  // Past ASCII, bytes of UTF-8: a character outside a string or comment is
  // one BAD_CHAR token of all its bytes, as it is one code point.
  if (sizeof(Char) == 1 && first >= 0x80)
    while (pos + best < size_t(end - begin) &&
           (unit(begin[pos + best]) & 0xC0) == 0x80)
      ++best;

  // Only a block comment spans lines: a string or a line comment ends
  // before its line does.
  if (type == L::BLOCK_COMMENT || type == L::UNTERMINATED_COMMENT) {
    for (size_t stop = pos + best; pos < stop;)
      step();
  } else {
    pos += best;
    column += best;
  }
  return {type, start, pos};
}

template class relc::syntax::PlanScanner<char>;
template class relc::syntax::PlanScanner<char32_t>;

std::vector<Lexeme> relc::syntax::lex(llvm::StringRef text) {
  std::vector<Lexeme> out;
  // A token and the space after it are several bytes: room for most texts
  // without growing.
  out.reserve(text.size() / 8 + 1);
  auto all = [&](auto scanner) {
    do
      out.push_back(scanner.next());
    while (out.back().type != antlr4::Token::EOF);
  };
  if (firstInvalidUTF8(text) == text.size()) {
    // No rule looks past ASCII except at a string's or comment's content,
    // so the bytes of UTF-8 give the tokens its code points give.
    all(PlanScanner<char>(text.begin(), text.end()));
    return out;
  }
  // Not UTF-8 (a source file is checked first; a model's condition is
  // not): ANTLR's reading, replacement characters and all.
  CodePointStream input(text);
  const std::u32string &cp = input.codePoints();
  all(PlanScanner<char32_t>(cp.data(), cp.data() + cp.size()));
  TextMap map(text);
  for (Lexeme &t : out) {
    t.start = map.at(t.start) - text.data();
    t.end = map.at(t.end) - text.data();
  }
  return out;
}

PlanLexer::PlanLexer(CodePointStream &input)
    : input(&input),
      scanner(input.codePoints().data(),
              input.codePoints().data() + input.codePoints().size()) {}

std::unique_ptr<antlr4::Token> PlanLexer::nextToken() {
  Lexeme t = scanner.next();
  // What CommonTokenFactory::DEFAULT makes (it copies no text), without the
  // empty std::string it takes for the text at every token.
  auto token = std::make_unique<antlr4::CommonToken>(
      std::make_pair(this, input), t.type,
      t.hidden() ? antlr4::Token::HIDDEN_CHANNEL
                 : antlr4::Token::DEFAULT_CHANNEL,
      t.start, t.end - 1);
  token->setLine(scanner.tokenLine());
  token->setCharPositionInLine(scanner.tokenColumn());
  return token;
}
