//===- ParserHealthTest.cpp - Every plan parses in the SLL stage alone ----===//
//
// The parser predicts with SLL and reparses with full LL only if SLL fails.
// SLL is exact on a text when none of its predictions meets a conflict that
// needs full context to settle; then the fast stage is the whole parse and
// gives LL's tree. Each bundled plan (plans/**/*.relplan) and each plan the
// test suite reads (test/**/*.relplan, and the *.relplan parts of split-file
// tests) is parsed with ANTLR's profiler, and must need no LL fallback.
//
// ANTLR's parser is asked for explicitly: relc parses well-formed plans with
// a written-out parser first (lib/Syntax/PlanParser.cpp).
//
// Excluded, and only those: inputs that do not parse, because they exist to
// test syntax errors (reporting them is the LL stage's job). The test holds
// them to that: each must be named fail_* or be part of a fail_* test.
//
//===----------------------------------------------------------------------===//

#include "Basic/Diagnostics.h"
#include "Syntax/Parser.h"

#include "SourceInputs.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

using test::Input;

std::vector<Input> plansUnder(llvm::StringRef dir) {
  return test::sourceInputs(dir, {".relplan"});
}

bool isErrorTest(llvm::StringRef name) {
  llvm::StringRef file = name.split(':').first;
  return llvm::sys::path::filename(file).startswith("fail_");
}

/// Parses each input with the profiler; returns how many SLL parsed.
size_t expectSLLSuffices(const std::vector<Input> &inputs) {
  size_t parsed = 0;
  for (const Input &in : inputs) {
    llvm::SourceMgr sm;
    std::string errors;
    llvm::raw_string_ostream os(errors);
    DiagnosticEngine diags(sm, os);
    unsigned id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(in.text, in.name), llvm::SMLoc());
    ParseOptions options;
    options.profile = true;
    // The grammar's health is ANTLR's parser's: not the written-out one.
    options.antlrOnly = true;
    ParseStats stats;
    std::unique_ptr<ast::File> file = parseBuffer(diags, id, options, &stats);
    diags.flush();
    if (!file) {
      EXPECT_TRUE(isErrorTest(in.name))
          << in.name << " does not parse, and is not a fail_* test:\n"
          << os.str();
    }
    EXPECT_FALSE(stats.writtenOut) << in.name;
    if (stats.usedFullLL) {
      EXPECT_FALSE(file) << in.name << ": SLL failed on well-formed text";
      continue; // A syntax error: the LL stage reported it.
    }
    EXPECT_EQ(stats.llFallbacks, 0u)
        << in.name << " needs full-context (LL) prediction "
        << stats.llFallbacks << " times, in rules "
        << llvm::join(stats.llFallbackRules, ", ");
    parsed += stats.tokens != 0;
  }
  return parsed;
}

TEST(ParserHealthTest, BundledPlansNeedNoLLFallback) {
  std::vector<Input> inputs = plansUnder("plans");
  ASSERT_GE(inputs.size(), 20u);
  EXPECT_EQ(expectSLLSuffices(inputs), inputs.size());
}

TEST(ParserHealthTest, TestInputsNeedNoLLFallback) {
  std::vector<Input> inputs = plansUnder("test");
  ASSERT_GE(inputs.size(), 100u);
  EXPECT_GE(expectSLLSuffices(inputs), inputs.size() * 3 / 4);
}

} // namespace
