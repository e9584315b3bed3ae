//===- JsonWriter.cpp - Streaming JSON for large outputs -----------------===//
//
// Quoting as llvm::json does it: invalid UTF-8 is repaired first (U+FFFD),
// '"' and '\' get a backslash, \t \n \r their short escapes and the other
// control characters \u00xx; every other byte is copied.
//
//===----------------------------------------------------------------------===//
#include "Basic/JsonWriter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/NativeFormatting.h"

#include <array>

using namespace relc;

/// Bytes that a string cannot simply be copied with: those to escape, and
/// any beyond ASCII, whose UTF-8 must be valid.
static constexpr std::array<bool, 256> special = [] {
  std::array<bool, 256> t{};
  for (unsigned c = 0; c < 256; ++c)
    t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
  return t;
}();

void JsonWriter::quote(llvm::StringRef s) {
  if (llvm::none_of(s, [](unsigned char c) { return special[c]; })) {
    os << '"' << s << '"';
    return;
  }
  std::string fixed;
  if (!llvm::json::isUTF8(s))
    s = fixed = llvm::json::fixUTF8(s);
  os << '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\')
      os << '\\';
    if (c >= 0x20) {
      os << c;
      continue;
    }
    os << '\\';
    switch (c) {
    case '\t':
      os << 't';
      break;
    case '\n':
      os << 'n';
      break;
    case '\r':
      os << 'r';
      break;
    default:
      os << 'u';
      llvm::write_hex(os, c, llvm::HexPrintStyle::Lower, 4);
      break;
    }
  }
  os << '"';
}

bool relc::jsonNestsDeeper(llvm::StringRef text, unsigned limit) {
  unsigned depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit)
        return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}
