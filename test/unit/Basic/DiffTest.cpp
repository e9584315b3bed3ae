//===- DiffTest.cpp - Tests for unified diffs -----------------------------===//
//
// The diffs `--check` prints are read by people and by `patch`: hunks with
// three lines of context, old lines before new, nothing for equal texts, and
// ends of files as GNU diff writes them (Emit/check_diff_patch.test applies
// relc's diffs with patch).
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
  // Lines 15-20: the file ends there, with no empty line after it.
  EXPECT_NE(d.find("@@ -15,6 +15,6 @@\n"), std::string::npos) << d;
}

// The text's final newline ends its last line; it is not an empty line
// after it, which patch would look for and not find.
TEST(DiffTest, AddedAtEnd) {
  EXPECT_EQ(unifiedDiff("a\n", "a\nb\n", "x", "y"),
            "--- x\n+++ y\n@@ -1,1 +1,2 @@\n a\n+b\n");
}

TEST(DiffTest, RemovedAtEnd) {
  EXPECT_EQ(unifiedDiff("a\nb\n", "a\n", "x", "y"),
            "--- x\n+++ y\n@@ -1,2 +1,1 @@\n a\n-b\n");
}

TEST(DiffTest, LastLineWithoutNewline) {
  EXPECT_EQ(unifiedDiff("a\nb", "a\nb\n", "x", "y"),
            "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end "
            "of file\n+b\n");
  EXPECT_EQ(unifiedDiff("a\nb\n", "a\nc", "x", "y"),
            "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at "
            "end of file\n");
}

// An empty range starts at the line before it: 0 for an empty file.
TEST(DiffTest, FromAndToEmpty) {
  EXPECT_EQ(unifiedDiff("", "a\n", "x", "y"),
            "--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n");
  EXPECT_EQ(unifiedDiff("a\n", "", "x", "y"),
            "--- x\n+++ y\n@@ -1,1 +0,0 @@\n-a\n");
}

} // namespace
