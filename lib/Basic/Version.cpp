//===- Version.cpp - PEP 440 versions -------------------------------------===//
//
// A hand-written recogniser for the PEP 440 version grammar (the regular
// expression of its appendix B, matched greedily and case-insensitively), the
// normalised spelling, and the PEP 440 total order. Numbers are kept as
// uint64_t and any that do not fit are rejected; local labels are kept as
// their normalised text and compared segment by segment.
//
//===----------------------------------------------------------------------===//

#include "Basic/Version.h"
#include "Basic/Words.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <tuple>
#include <utility>

using namespace relc;
using llvm::StringRef;

namespace {

bool isSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

bool startsWithDigit(StringRef s) { return !s.empty() && llvm::isDigit(s[0]); }

/// Label spellings, each list ordered so that a label comes before any of
/// its prefixes (`preview` before `pre`).
const StringRef preSpellings[] = {"preview", "alpha", "beta", "pre",
                                  "rc",      "a",     "b",    "c"};
const Version::PreKind preKinds[] = {
    Version::PreKind::RC,   Version::PreKind::Alpha, Version::PreKind::Beta,
    Version::PreKind::RC,   Version::PreKind::RC,    Version::PreKind::Alpha,
    Version::PreKind::Beta, Version::PreKind::RC};
const StringRef postSpellings[] = {"post", "rev", "r"};
const StringRef devSpellings[] = {"dev"};

/// A cursor over the lowercased text; positions map one-to-one onto the
/// original text, which error messages quote.
class Parser {
public:
  Parser(StringRef text, StringRef lowercased, std::string *errOut)
      : rest(lowercased), original(text), lowered(lowercased), err(errOut) {}

  /// What is left to parse, lowercased.
  StringRef rest;

  size_t offset() const { return lowered.size() - rest.size(); }
  char originalAt(size_t i) const { return original[i]; }

  bool fail(const std::string &msg) {
    if (err)
      *err = msg;
    return false;
  }

  /// Consumes a run of digits into \p out; fails on overflow. The caller has
  /// checked that a digit comes next.
  bool number(uint64_t &out) {
    StringRef digits = rest.take_while(llvm::isDigit);
    uint64_t value = 0;
    for (char c : digits) {
      unsigned d = c - '0';
      if (value > (UINT64_MAX - d) / 10)
        return fail("number " + digits.str() + " is too large");
      value = value * 10 + d;
    }
    rest = rest.drop_front(digits.size());
    out = value;
    return true;
  }

  /// After a label: `[-_.]?[0-9]*`, the number defaulting to 0. As in PEP
  /// 440's regular expression, the separator may be there without the
  /// number (`1.0rc.`, `1.0.post-.dev`).
  bool labelNumber(uint64_t &out) {
    out = 0;
    if (!rest.empty() && isSeparator(rest[0]))
      rest = rest.drop_front();
    return !startsWithDigit(rest) || number(out);
  }

  /// `[-_.]?` followed by one of \p spellings: on a match, consumes both and
  /// returns the spelling's index, else consumes nothing.
  std::optional<size_t> label(llvm::ArrayRef<StringRef> spellings) {
    StringRef s = rest;
    if (!s.empty() && isSeparator(s[0]))
      s = s.drop_front();
    for (size_t i = 0; i < spellings.size(); ++i) {
      if (s.startswith(spellings[i])) {
        rest = s.drop_front(spellings[i].size());
        return i;
      }
    }
    return std::nullopt;
  }

  /// Reports the text left over after the longest valid prefix.
  bool trailing() {
    if (rest.size() == 1 && isSeparator(rest[0]))
      return fail("trailing " + quoteChar(original[offset()]) + " in version");
    // A separator followed by something that is not a valid continuation:
    // the something is what is wrong.
    size_t at = offset();
    if (rest.size() >= 2 && isSeparator(rest[0]))
      ++at;
    return fail("unexpected " + quoteChar(original[at]) + " in version");
  }

private:
  StringRef original, lowered;
  std::string *err;
};

/// Appends a local label segment in normal form (numbers lose leading zeros).
void appendLocalSegment(std::string &out, StringRef segment) {
  if (!out.empty())
    out += '.';
  if (llvm::all_of(segment, llvm::isDigit)) {
    segment = segment.ltrim('0');
    if (segment.empty())
      segment = "0";
  }
  out += segment.str();
}

template <typename T> int threeWay(const T &a, const T &b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

/// PEP 440 local label order: segment by segment, numeric segments by value
/// and after alphanumeric ones, and a label that runs out first sorts first.
/// Both labels are in normal form, so numeric segments have no leading zeros.
int compareLocal(StringRef a, StringRef b) {
  while (!a.empty() && !b.empty()) {
    StringRef sa, sb;
    std::tie(sa, a) = a.split('.');
    std::tie(sb, b) = b.split('.');
    bool na = llvm::all_of(sa, llvm::isDigit);
    bool nb = llvm::all_of(sb, llvm::isDigit);
    int c;
    if (na != nb)
      c = na ? 1 : -1;
    else if (na)
      c = sa.size() != sb.size() ? threeWay(sa.size(), sb.size())
                                 : sa.compare(sb);
    else
      c = sa.compare(sb);
    if (c)
      return c;
  }
  return threeWay(!a.empty(), !b.empty());
}

} // namespace

std::optional<Version> Version::parse(StringRef text, std::string *err) {
  if (text.empty()) {
    if (err)
      *err = "empty version";
    return std::nullopt;
  }
  std::string lowered = text.lower();
  Parser p(text, lowered, err);
  Version v;

  if (p.rest.consume_front("v") && p.rest.empty()) {
    p.fail("expected a number after '" + text.substr(0, 1).str() + "'");
    return std::nullopt;
  }
  if (!startsWithDigit(p.rest)) {
    p.fail("unexpected " + quoteChar(text[p.offset()]) + " in version");
    return std::nullopt;
  }

  // Epoch and release: `([0-9]+!)?[0-9]+(\.[0-9]+)*`.
  uint64_t n;
  if (!p.number(n))
    return std::nullopt;
  if (p.rest.consume_front("!")) {
    v.epochNum = n;
    if (!startsWithDigit(p.rest)) {
      p.fail("expected a release number after '!'");
      return std::nullopt;
    }
    if (!p.number(n))
      return std::nullopt;
  }
  v.releaseNums.push_back(n);
  while (p.rest.size() >= 2 && p.rest[0] == '.' && llvm::isDigit(p.rest[1])) {
    p.rest = p.rest.drop_front();
    if (!p.number(n))
      return std::nullopt;
    v.releaseNums.push_back(n);
  }

  // Pre-release: `[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*`.
  if (auto i = p.label(preSpellings)) {
    v.pre = preKinds[*i];
    if (!p.labelNumber(v.preNum))
      return std::nullopt;
  }

  // Post-release: `-[0-9]+` or `[-_.]?(post|rev|r)[-_.]?[0-9]*`.
  if (p.rest.size() >= 2 && p.rest[0] == '-' && llvm::isDigit(p.rest[1])) {
    p.rest = p.rest.drop_front();
    if (!p.number(n))
      return std::nullopt;
    v.postNum = n;
  } else if (p.label(postSpellings)) {
    if (!p.labelNumber(n))
      return std::nullopt;
    v.postNum = n;
  }

  // Dev release: `[-_.]?dev[-_.]?[0-9]*`.
  if (p.label(devSpellings)) {
    if (!p.labelNumber(n))
      return std::nullopt;
    v.devNum = n;
  }

  // Local label: `\+[a-z0-9]+([-_.][a-z0-9]+)*`.
  if (p.rest.consume_front("+")) {
    char after = '+';
    while (true) {
      StringRef segment = p.rest.take_while(llvm::isAlnum);
      if (segment.empty()) {
        if (p.rest.empty() || isSeparator(p.rest[0])) {
          p.fail(std::string("expected a local label segment after '") + after +
                 "'");
          return std::nullopt;
        }
        break; // Reported below.
      }
      appendLocalSegment(v.localLabel, segment);
      p.rest = p.rest.drop_front(segment.size());
      if (p.rest.empty() || !isSeparator(p.rest[0]))
        break;
      after = p.originalAt(p.offset());
      p.rest = p.rest.drop_front();
    }
  }

  if (!p.rest.empty()) {
    p.trailing();
    return std::nullopt;
  }
  return v;
}

uint64_t Version::component(size_t i) const {
  return i < releaseNums.size() ? releaseNums[i] : 0;
}

std::string Version::str() const {
  std::string out;
  if (epochNum)
    out += std::to_string(epochNum) + "!";
  if (releaseNums.empty())
    out += "0";
  for (size_t i = 0; i < releaseNums.size(); ++i) {
    if (i)
      out += '.';
    out += std::to_string(releaseNums[i]);
  }
  switch (pre) {
  case PreKind::None:
    break;
  case PreKind::Alpha:
    out += "a" + std::to_string(preNum);
    break;
  case PreKind::Beta:
    out += "b" + std::to_string(preNum);
    break;
  case PreKind::RC:
    out += "rc" + std::to_string(preNum);
    break;
  }
  if (postNum)
    out += ".post" + std::to_string(*postNum);
  if (devNum)
    out += ".dev" + std::to_string(*devNum);
  if (!localLabel.empty())
    out += "+" + localLabel;
  return out;
}

int Version::compare(const Version &other) const {
  if (int c = threeWay(epochNum, other.epochNum))
    return c;
  size_t len = std::max(releaseNums.size(), other.releaseNums.size());
  for (size_t i = 0; i < len; ++i)
    if (int c = threeWay(component(i), other.component(i)))
      return c;

  // The sort keys of packaging.version: a dev release of a final release
  // (no pre, no post) comes before all its pre-releases, and a final or post
  // release after them; no post release comes before any post release; no
  // dev release comes after any dev release.
  auto preKey = [](const Version &v) -> std::pair<int, uint64_t> {
    if (v.pre != PreKind::None)
      return {static_cast<int>(v.pre), v.preNum};
    if (!v.postNum && v.devNum)
      return {-1, 0};
    return {static_cast<int>(PreKind::RC) + 1, 0};
  };
  if (int c = threeWay(preKey(*this), preKey(other)))
    return c;
  auto postKey = [](const Version &v) {
    return std::make_pair(v.postNum.has_value(), v.postNum.value_or(0));
  };
  if (int c = threeWay(postKey(*this), postKey(other)))
    return c;
  auto devKey = [](const Version &v) {
    return std::make_pair(!v.devNum.has_value(), v.devNum.value_or(0));
  };
  if (int c = threeWay(devKey(*this), devKey(other)))
    return c;
  return compareLocal(localLabel, other.localLabel);
}

Version Version::minorRelease() const {
  Version v;
  v.epochNum = epochNum;
  v.releaseNums = {major(), minor(), 0};
  return v;
}
