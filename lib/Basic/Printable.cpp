//===- Printable.cpp - Text shown on one line, nothing hidden -------------===//
#include "Basic/Printable.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

bool relc::mustEscape(uint32_t c) {
  return c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad ||
         (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
         (c >= 0x2060 && c <= 0x206f) || c == 0xfeff ||
         (c >= 0xfff9 && c <= 0xfffb) || c == 0xfffe || c == 0xffff ||
         (c >= 0xe0000 && c <= 0xe007f);
}

std::string relc::printable(llvm::StringRef s) {
  std::string out;
  llvm::raw_string_ostream os(out);
  auto *p = reinterpret_cast<const llvm::UTF8 *>(s.begin());
  auto *end = reinterpret_cast<const llvm::UTF8 *>(s.end());
  while (p < end) {
    const llvm::UTF8 *start = p;
    llvm::UTF32 c = *p;
    if (c >= 0x80 &&
        llvm::convertUTF8Sequence(&p, end, &c, llvm::strictConversion) !=
            llvm::conversionOK) {
      os << "\\x" << llvm::format_hex_no_prefix(*start, 2, /*Upper=*/true);
      p = start + 1;
      continue;
    }
    if (c < 0x80)
      ++p;
    switch (c) {
    case '\\':
      os << "\\\\";
      continue;
    case '\n':
      os << "\\n";
      continue;
    case '\t':
      os << "\\t";
      continue;
    case '\r':
      os << "\\r";
      continue;
    }
    if (!mustEscape(c))
      os << llvm::StringRef(reinterpret_cast<const char *>(start), p - start);
    else if (c < 0x100)
      os << "\\x" << llvm::format_hex_no_prefix(c, 2, /*Upper=*/true);
    else
      os << "\\u" << llvm::format_hex_no_prefix(c, 4, /*Upper=*/true);
  }
  return os.str();
}
