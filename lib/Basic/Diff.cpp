//===- Diff.cpp - Unified diffs of two texts --------------------------===//
//
// The diff is the one GNU diff -u writes, so that `patch` applies it: a
// hunk's ranges count real lines, a last line without a newline is marked
// "\ No newline at end of file", an empty range starts at the line before.
//
//===----------------------------------------------------------------------===//
#include "Basic/Diff.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace relc;

std::string relc::unifiedDiff(llvm::StringRef a, llvm::StringRef b,
                              llvm::StringRef aName, llvm::StringRef bName) {
  if (a == b)
    return "";
  // Lines with their newline, so a last line without one differs from the
  // same line with one, and an empty text has no lines.
  auto lines = [](llvm::StringRef text) {
    llvm::SmallVector<llvm::StringRef, 0> out;
    while (!text.empty()) {
      size_t nl = text.find('\n');
      size_t len = nl == llvm::StringRef::npos ? text.size() : nl + 1;
      out.push_back(text.take_front(len));
      text = text.drop_front(len);
    }
    return out;
  };
  llvm::SmallVector<llvm::StringRef, 0> x = lines(a), y = lines(b);
  // Longest common subsequence by dynamic programming: generated files are
  // a few thousand lines at most.
  size_t n = x.size(), m = y.size();
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1
                               : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Line {
    char op;
    llvm::StringRef text;
    size_t ai, bi;
  };
  std::vector<Line> ops;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] == y[j]) {
      ops.push_back({' ', x[i], i, j});
      ++i, ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // On a tie, old lines go first: a changed line reads `-old` `+new`.
      ops.push_back({'-', x[i], i, j});
      ++i;
    } else {
      ops.push_back({'+', y[j], i, j});
      ++j;
    }
  }
  std::string out;
  llvm::raw_string_ostream os(out);
  os << "--- " << aName << "\n+++ " << bName << "\n";
  // Hunks: runs of changes less than 2 * context unchanged lines apart,
  // each with up to `context` unchanged lines around it.
  const size_t context = 3;
  for (size_t k = 0; k < ops.size();) {
    if (ops[k].op == ' ') {
      ++k;
      continue;
    }
    size_t last = k; // The hunk's last change.
    for (size_t q = k + 1; q < ops.size() && q <= last + 2 * context; ++q)
      if (ops[q].op != ' ')
        last = q;
    size_t start = k >= context ? k - context : 0;
    size_t end = std::min(ops.size(), last + 1 + context);
    size_t aCount = 0, bCount = 0;
    for (size_t q = start; q < end; ++q) {
      aCount += ops[q].op != '+';
      bCount += ops[q].op != '-';
    }
    // A range of no lines starts at the line before it (`-0,0` for an empty
    // file), as diff writes it and patch reads it.
    os << "@@ -" << ops[start].ai + (aCount ? 1 : 0) << "," << aCount << " +"
       << ops[start].bi + (bCount ? 1 : 0) << "," << bCount << " @@\n";
    for (size_t q = start; q < end; ++q) {
      os << ops[q].op << ops[q].text;
      if (!ops[q].text.endswith("\n"))
        os << "\n\\ No newline at end of file\n";
    }
    k = end;
  }
  return os.str();
}
