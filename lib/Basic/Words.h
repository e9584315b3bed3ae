//===- Words.h - Counts and ordinals in messages -----------------*- C++
//-*-===//
//
// Diagnostics and listings are read by people: "1 leg", "3 legs", "3rd",
// "unexpected 'x'".
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_WORDS_H
#define RELC_BASIC_WORDS_H

#include "llvm/ADT/StringExtras.h"

#include <string>

namespace relc {

/// "1 leg", "0 legs", "2 legs" (\p noun is singular; English -s plural).
inline std::string countOf(size_t n, const std::string &noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st".
inline std::string ordinal(size_t n) {
  const char *suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1)
      suffix = "st";
    else if (n % 10 == 2)
      suffix = "nd";
    else if (n % 10 == 3)
      suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

/// One character of the input as an error message shows it: `'x'`, or
/// `character 0x07` for one that does not print.
inline std::string quoteChar(char c) {
  if (llvm::isPrint(c))
    return std::string("'") + c + "'";
  unsigned char u = static_cast<unsigned char>(c);
  return std::string("character 0x") + llvm::hexdigit(u >> 4, true) +
         llvm::hexdigit(u & 15, true);
}

} // namespace relc

#endif // RELC_BASIC_WORDS_H
