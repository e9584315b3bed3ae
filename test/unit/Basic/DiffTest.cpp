//===- DiffTest.cpp - Tests for unified diffs -----------------------------===//
//
// The diffs `--check` prints are read by people and by `patch`: hunks with
// three lines of context, old lines before new, nothing for equal texts.
//
//===----------------------------------------------------------------------===//

#include "Basic/Diff.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

TEST(DiffTest, EqualTextsHaveNoDiff) {
  EXPECT_EQ(unifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
}

TEST(DiffTest, ChangedLineWithContext) {
  EXPECT_EQ(
      unifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n",
                  "old", "new"),
      "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n "
      "8\n");
}

TEST(DiffTest, DistantChangesMakeTwoHunks) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  std::string d = unifiedDiff(a, b, "a", "b");
  EXPECT_NE(d.find("@@ -1,5 +1,5 @@\n"), std::string::npos) << d;
  EXPECT_NE(d.find("@@ -15,7 +15,7 @@\n"), std::string::npos) << d;
}

TEST(DiffTest, AddedAtEnd) {
  EXPECT_EQ(unifiedDiff("a\n", "a\nb\n", "x", "y"),
            "--- x\n+++ y\n@@ -1,2 +1,3 @@\n a\n+b\n \n");
}

} // namespace
