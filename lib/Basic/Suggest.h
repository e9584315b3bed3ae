//===- Suggest.h - Did-you-mean for misspelt names -------------*- C++ -*-===//
//
// Most unknown names in plans and models are typos of a known one
// (`linux-x86-64` for `linux-x86_64`), so messages offer the closest.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_SUGGEST_H
#define RELC_BASIC_SUGGEST_H

#include "Basic/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace relc {

/// The candidate nearest to \p word if it is near enough to be a likely
/// typo (edit distance at most a third of the word, and at least 1 or 2 for
/// short words); empty otherwise.
inline std::string closestMatch(llvm::StringRef word,
                                llvm::ArrayRef<std::string> candidates) {
  unsigned limit = std::max<unsigned>(2, word.size() / 3);
  unsigned best = limit + 1;
  std::string found;
  for (const std::string &c : candidates) {
    unsigned d = word.edit_distance(c, /*AllowReplacements=*/true, limit);
    if (d < best && d < word.size()) {
      best = d;
      found = c;
    }
  }
  return found;
}

/// "; did you mean 'x'?", or nothing when no candidate is near. The match
/// is also left for the diagnostic whose message this becomes: the next
/// report() keeps it as the diagnostic's Suggestion, so every did-you-mean
/// gets a quick fix without its call site changing.
inline std::string didYouMean(llvm::StringRef word,
                              llvm::ArrayRef<std::string> candidates) {
  std::string m = closestMatch(word, candidates);
  if (m.empty())
    return std::string();
  pendingSuggestion() = {word.str(), m};
  return "; did you mean '" + m + "'?";
}

} // namespace relc

#endif // RELC_BASIC_SUGGEST_H
