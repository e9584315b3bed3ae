//===- DiagnosticDocsTest.cpp - docs/diagnostics.md against the registry --===//
//
// Every kind in Diagnostics.def has one row in docs/diagnostics.md (the copy
// relc is built with), with a meaning, an example and a fix; and the checks
// that say so catch what they should.
//
//===----------------------------------------------------------------------===//

#include "Basic/DiagnosticDocs.h"
#include "Basic/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

TEST(DiagnosticDocsTest, EveryKindHasItsRow) {
  std::vector<std::string> problems = checkDiagDocs(diagDocs());
  EXPECT_TRUE(problems.empty()) << llvm::join(problems, "\n");
  for (const DiagKindInfo &k : allDiagKinds()) {
    const DiagDoc *d = findDiagDoc(k.id);
    ASSERT_TRUE(d) << k.id.str();
    EXPECT_FALSE(d->section.empty()) << k.id.str();
  }
}

TEST(DiagnosticDocsTest, Parse) {
  const char *md = "# title\n"
                   "\n"
                   "## Section A\n"
                   "\n"
                   "| kind | meaning | example | fix |\n"
                   "|---|---|---|---|\n"
                   "| `file-not-found` (exit 2) | gone | `a \\| b` | look |\n"
                   "| `empty-matrix` (warning) | m | e | f |\n"
                   "\n"
                   "| field | what |\n"
                   "|---|---|\n"
                   "| `kind` | not a kinds table |\n";
  std::vector<DiagDoc> docs = parseDiagDocs(md);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].id, "file-not-found");
  EXPECT_EQ(docs[0].marks, "exit 2");
  EXPECT_EQ(docs[0].meaning, "gone");
  EXPECT_EQ(docs[0].example, "`a | b`"); // `\|` is a pipe in the cell.
  EXPECT_EQ(docs[0].fix, "look");
  EXPECT_EQ(docs[0].section, "Section A");
  EXPECT_EQ(docs[0].line, 7u);
  EXPECT_EQ(docs[0].cells, 4u);
  EXPECT_EQ(docs[1].marks, "warning");
}

TEST(DiagnosticDocsTest, ProblemsAreFound) {
  const char *md = "| kind | meaning | example | fix |\n"
                   "|---|---|---|---|\n"
                   "| `file-not-found` | gone | | look |\n"
                   "| `no-such-kind` | m | e | f |\n"
                   "| `empty-file` | a | b | c | d |\n"
                   "| `empty-file` | a | b | c |\n";
  std::string all = llvm::join(checkDiagDocs(parseDiagDocs(md)), "\n");
  EXPECT_NE(all.find("docs/diagnostics.md:3: the row of 'file-not-found' has "
                     "no mark, but Diagnostics.def asks for '(exit 2)'"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("docs/diagnostics.md:3: the row of 'file-not-found' has "
                     "no example"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("docs/diagnostics.md:4: 'no-such-kind' is not a kind"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("docs/diagnostics.md:5: the row of 'empty-file' has 5 "
                     "cells, not 4"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("docs/diagnostics.md:6: kind 'empty-file' has a second "
                     "row"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("kind 'schedule-order' has no row"), std::string::npos)
      << all;
}

} // namespace
