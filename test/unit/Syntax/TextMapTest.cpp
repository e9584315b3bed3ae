//===- TextMapTest.cpp - Code points to bytes -----------------------------===//
//
// TextMap keeps one entry per non-ASCII character instead of one per
// character; on plans of the repository and random texts of ASCII, UTF-8
// and stray bytes, it must give every code point index the byte a table of
// every character's offset gives (the code points counted as the bytes that
// are not 10xxxxxx).
//
//===----------------------------------------------------------------------===//
#include "Syntax/SyntaxImpl.h"

#include "Basic/SourceFiles.h"

#include "SourceInputs.h"

#include "gtest/gtest.h"

#include <random>

using namespace relc;
using namespace relc::syntax;

namespace {

void expectSameOffsets(const std::string &text) {
  std::vector<size_t> offsets; // Of every code point, then of the end.
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      offsets.push_back(i);
  offsets.push_back(text.size());
  TextMap map(text);
  for (size_t i = 0; i < offsets.size() + 3; ++i)
    ASSERT_EQ(map.at(i) - text.data(),
              ptrdiff_t(offsets[std::min(i, offsets.size() - 1)]))
        << "code point " << i << " of '" << text << "'";
}

TEST(TextMapTest, SameOffsetsAsATableOfEveryCharacter) {
  for (const char *t : {"", "a", "abc", "caf\xc3\xa9", "\xc3\xa9",
                        "\xe2\x8a\x86 x \xe2\x8a\x86", "\xf0\x9f\x98\x80",
                        "\x80\x80", "a\xa9\xa9z", "\xc3", "x\xe2\x8a"})
    expectSameOffsets(t);
  for (const test::Input &in : test::sourceInputs("plans", {".relplan"}))
    expectSameOffsets(in.text);
  const char *pieces[] = {"a",    "bcdefghij", " ",    "\xc3", "\xa9",
                          "\xe2", "\x8a",      "\x86", "\xf0", "\xff"};
  std::mt19937 rng(20240910);
  for (int i = 0; i < 3000; ++i) {
    expectSameOffsets(test::randomText(rng, pieces, 12));
    if (::testing::Test::HasFatalFailure())
      return;
  }
}

TEST(TextMapTest, AsciiPrefix) {
  std::mt19937 rng(20240911);
  for (int i = 0; i < 3000; ++i) {
    std::string t(rng() % 40, 'a');
    if (rng() % 4)
      t += char(0x80 + rng() % 128);
    t += std::string(rng() % 20, 'b');
    // From every start, so that the words read are not all aligned.
    for (size_t from = 0; from <= t.size(); ++from) {
      size_t expected = 0;
      while (from + expected < t.size() &&
             static_cast<unsigned char>(t[from + expected]) < 0x80)
        ++expected;
      ASSERT_EQ(asciiPrefix(llvm::StringRef(t).substr(from)), expected)
          << t << " from " << from;
    }
  }
}

} // namespace
