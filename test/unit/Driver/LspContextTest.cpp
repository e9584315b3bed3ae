//===- LspContextTest.cpp - What surrounds a position in a plan -----------===//
//
// The language server's scan of half-typed text: the enclosing blocks and
// the statement's words before the cursor, strings, placeholders and
// comments; and no offset of any text (every prefix of a plan, cut
// anywhere) makes it fail.
//
//===----------------------------------------------------------------------===//

#include "Driver/LspContext.h"
#include "Driver/LspFeatures.h"

#include "gtest/gtest.h"

using namespace relc;
using namespace relc::lsp;

namespace {

const char plan[] = "project demo {\n"
                    "  // a comment { with a brace\n"
                    "  repo { rc_tag \"v{version}-rc{rc}\"; }\n"
                    "  stage rc(n) after cut {\n"
                    "    require picks_landed, pi\n"
                    "  }\n"
                    "  matrix wheels {\n"
                    "    exclude accel is cuda where platform is ma\n"
                    "    python 3.11 .. 3.1\n"
                    "  }\n"
                    "}\n";

size_t at(llvm::StringRef text, llvm::StringRef marker) {
  return text.find(marker) + marker.size();
}

TEST(LspContextTest, StageStatement) {
  CursorContext c = contextAt(plan, at(plan, "picks_landed, pi"));
  ASSERT_EQ(c.blocks.size(), 2u);
  EXPECT_EQ(c.block(), "stage");
  EXPECT_EQ(c.prefix, "pi");
  EXPECT_EQ(c.tokens,
            (std::vector<std::string>{"require", "picks_landed", ","}));
}

TEST(LspContextTest, ConditionAndRange) {
  CursorContext c = contextAt(plan, at(plan, "platform is ma"));
  EXPECT_EQ(c.block(), "matrix");
  EXPECT_EQ(c.back(), "is");
  EXPECT_EQ(c.back(1), "platform");
  EXPECT_EQ(c.prefix, "ma");
  c = contextAt(plan, at(plan, "3.11 .. 3.1"));
  EXPECT_EQ(c.back(), "..");
  EXPECT_EQ(c.prefix, "3.1");
}

TEST(LspContextTest, StringsPlaceholdersComments) {
  CursorContext c = contextAt(plan, at(plan, "\"v{vers"));
  EXPECT_TRUE(c.inString);
  EXPECT_TRUE(c.inPlaceholder);
  EXPECT_EQ(c.prefix, "vers");
  c = contextAt(plan, at(plan, "\"v{version}-"));
  EXPECT_TRUE(c.inString);
  EXPECT_FALSE(c.inPlaceholder);
  c = contextAt(plan, at(plan, "a comment {"));
  EXPECT_TRUE(c.inComment);
  // The brace in the comment opened no block.
  c = contextAt(plan, at(plan, "-rc{rc}\"; }\n"));
  EXPECT_EQ(c.blocks.size(), 1u);
}

TEST(LspContextTest, WordAt) {
  llvm::StringRef t = "range: frozen_branch..release_branch, linux-x86_64.";
  EXPECT_EQ(wordAt(t, t.find("zen")).text, "frozen_branch");
  EXPECT_EQ(wordAt(t, t.find("lease")).text, "release_branch");
  EXPECT_EQ(wordAt(t, t.find("x86")).text, "linux-x86_64");
  EXPECT_EQ(wordAt(t, t.size()).text, "linux-x86_64");
  EXPECT_EQ(wordAt("a  b", 2).text, "");
}

TEST(LspContextTest, AnyOffsetOfAnyPrefix) {
  llvm::StringRef text = plan;
  PlanFacts none;
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    llvm::StringRef part = text.take_front(cut);
    for (size_t off = 0; off <= cut + 1; ++off) {
      contextAt(part, off);
      wordAt(part, off);
      complete(part, off, none);
      hover(part, off, none, nullptr);
    }
  }
}

TEST(LspContextTest, Positions) {
  // "é" is one UTF-16 unit in two bytes; "𝄞" two units in four.
  llvm::StringRef t = "a\né𝄞x\n";
  EXPECT_EQ(offsetAt(t, 1, 0), 2u);
  EXPECT_EQ(offsetAt(t, 1, 1), 4u);
  EXPECT_EQ(offsetAt(t, 1, 3), 8u);
  EXPECT_EQ(offsetAt(t, 1, 99), 9u); // The line's end.
  EXPECT_EQ(offsetAt(t, 99, 0), t.size());
  EXPECT_EQ(offsetAt(t, -1, -1), 0u);
  llvm::json::Object p = positionAt(t, 8);
  EXPECT_EQ(p.getInteger("line").getValueOr(-1), 1);
  EXPECT_EQ(p.getInteger("character").getValueOr(-1), 3);
}

} // namespace
