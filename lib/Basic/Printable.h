//===- Printable.h - Text shown on one line, nothing hidden -----*- C++ -*-===//
//
// Text from plans, models, locks and paths ends up in places that must stay
// one line and show what they hold: comments of generated CI files,
// diagnostics, progress lines. A line break there ends the comment early; a
// right-to-left override hides what a reviewer reads. This writes such text
// with every line break, control and invisible character (and every byte
// that is not UTF-8) as an escape.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_PRINTABLE_H
#define RELC_BASIC_PRINTABLE_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace relc {

/// True for a character no generated text holds raw: C0 and C1 controls and
/// DEL, the line breaks of YAML 1.1 (U+0085, U+2028, U+2029), and the
/// characters that are invisible or reorder text (U+00A0, U+00AD, U+200B to
/// U+200F, U+202A to U+202E, U+2060 to U+206F, U+FEFF, U+FFF9 to U+FFFB,
/// U+FFFE, U+FFFF, the tag characters U+E0000 to U+E007F).
bool mustEscape(uint32_t c);

/// \p s with `\` as `\\`, tab, line feed and carriage return as `\t`, `\n`,
/// `\r`, other characters that mustEscape as `\xHH` or `\uHHHH`, and bytes
/// that are not UTF-8 as `\xHH`.
std::string printable(llvm::StringRef s);

} // namespace relc

#endif // RELC_BASIC_PRINTABLE_H
