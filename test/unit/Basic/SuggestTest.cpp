//===- SuggestTest.cpp - Did-you-mean as data -----------------------------===//
//
// A diagnostic whose message offers a near match carries the match as data
// (the language server's quick fix replaces the word with it); a match
// computed for a message that was never reported does not reach a later
// diagnostic.
//
//===----------------------------------------------------------------------===//

#include "Basic/Suggest.h"
#include "Basic/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

TEST(SuggestTest, DiagnosticKeepsTheMatch) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, llvm::nulls());
  std::vector<std::string> stages = {"cut", "rc", "promote"};
  Diagnostic &d =
      diags.report(DiagKind::UnknownName, llvm::SMLoc(),
                   "unknown stage 'cutt'" + didYouMean("cutt", stages));
  ASSERT_TRUE(d.suggestion.has_value());
  EXPECT_EQ(d.suggestion->word, "cutt");
  EXPECT_EQ(d.suggestion->replacement, "cut");
}

TEST(SuggestTest, NoMatchNoSuggestion) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, llvm::nulls());
  Diagnostic &d = diags.report(DiagKind::UnknownName, llvm::SMLoc(),
                               "unknown stage 'zzzzzz'" +
                                   didYouMean("zzzzzz", {"cut", "rc"}));
  EXPECT_FALSE(d.suggestion.has_value());
}

TEST(SuggestTest, AnUnreportedMatchDoesNotLeak) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, llvm::nulls());
  std::string unused = didYouMean("cutt", {"cut"});
  ASSERT_FALSE(unused.empty());
  Diagnostic &d =
      diags.report(DiagKind::UnknownName, llvm::SMLoc(), "unknown stage 'x'");
  EXPECT_FALSE(d.suggestion.has_value());
  // Taken by that report: the next one does not get it either.
  Diagnostic &e = diags.report(DiagKind::UnknownName, llvm::SMLoc(),
                               "unknown stage 'x'; did you mean 'cut'?");
  EXPECT_FALSE(e.suggestion.has_value());
}

} // namespace
