//===- WordsTest.cpp - Tests for counts and ordinals in messages ----------===//
//
// The teens are the trap: 11th, 12th, 13th, but 21st, 22nd, 23rd, 111th.
//
//===----------------------------------------------------------------------===//

#include "Basic/Words.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

TEST(WordsTest, CountOf) {
  EXPECT_EQ(countOf(0, "leg"), "0 legs");
  EXPECT_EQ(countOf(1, "leg"), "1 leg");
  EXPECT_EQ(countOf(2, "more leg"), "2 more legs");
}

TEST(WordsTest, Ordinal) {
  const std::pair<size_t, const char *> cases[] = {
      {1, "1st"},     {2, "2nd"},     {3, "3rd"},     {4, "4th"},
      {10, "10th"},   {11, "11th"},   {12, "12th"},   {13, "13th"},
      {21, "21st"},   {22, "22nd"},   {23, "23rd"},   {101, "101st"},
      {111, "111th"}, {112, "112th"}, {113, "113th"}, {1002, "1002nd"}};
  for (const auto &[n, spelled] : cases)
    EXPECT_EQ(ordinal(n), spelled) << n;
}

} // namespace
