//===- LspContext.cpp - What surrounds a position in a plan's text --------===//
//
// One forward scan from the start of the text to the offset, with the
// lexer's notions of comments and strings and nothing of the grammar, so
// that half-typed plans give as much context as whole ones.
//
//===----------------------------------------------------------------------===//
#include "Driver/LspContext.h"

#include "llvm/ADT/StringExtras.h"

using namespace relc;
using namespace relc::lsp;

bool lsp::isWordChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '.' || c == '-';
}

llvm::StringRef CursorContext::block() const {
  if (blocks.empty() || blocks.back().empty())
    return "";
  return blocks.back().front();
}

llvm::StringRef CursorContext::back(size_t fromEnd) const {
  if (fromEnd >= tokens.size())
    return "";
  return tokens[tokens.size() - 1 - fromEnd];
}

CursorContext lsp::contextAt(llvm::StringRef text, size_t offset) {
  CursorContext ctx;
  offset = std::min(offset, text.size());
  std::vector<std::string> &tokens = ctx.tokens;
  size_t placeholderStart = 0;
  size_t i = 0;
  while (i < offset) {
    char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      size_t nl = text.find('\n', i);
      if (nl == llvm::StringRef::npos || nl >= offset) {
        ctx.inComment = true;
        return ctx;
      }
      i = nl + 1;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t close = text.find("*/", i + 2);
      if (close == llvm::StringRef::npos || close + 2 > offset) {
        ctx.inComment = true;
        return ctx;
      }
      i = close + 2;
    } else if (c == '"') {
      // A string ends at its quote or, unterminated, at the line's end.
      bool placeholder = false;
      size_t j = i + 1;
      for (; j < offset && text[j] != '"' && text[j] != '\n'; ++j) {
        if (text[j] == '\\') {
          ++j;
        } else if (text[j] == '{' && !placeholder) {
          if (j + 1 < text.size() && text[j + 1] == '{')
            ++j; // `{{`: a literal brace.
          else {
            placeholder = true;
            placeholderStart = j + 1;
          }
        } else if (text[j] == '}') {
          placeholder = false;
        }
      }
      if (j >= offset) {
        ctx.inString = true;
        ctx.inPlaceholder = placeholder && placeholderStart <= offset;
        if (ctx.inPlaceholder) {
          ctx.prefixStart = placeholderStart;
          ctx.prefix = text.slice(placeholderStart, offset).str();
        }
        return ctx;
      }
      tokens.push_back("\"");
      i = j + 1;
    } else if (isWordChar(c)) {
      size_t j = i;
      while (j < offset && isWordChar(text[j]) &&
             !(text[j] == '.' && j + 1 < text.size() && text[j + 1] == '.'))
        ++j;
      if (j == i) { // `..`
        tokens.push_back("..");
        i += 2;
        continue;
      }
      if (j == offset) {
        ctx.prefixStart = i;
        ctx.prefix = text.slice(i, j).str();
        return ctx;
      }
      tokens.push_back(text.slice(i, j).str());
      i = j;
    } else if (c == '{') {
      ctx.blocks.push_back(std::move(tokens));
      tokens.clear();
      ++i;
    } else if (c == '}') {
      if (!ctx.blocks.empty())
        ctx.blocks.pop_back();
      tokens.clear();
      ++i;
    } else if (c == ';') {
      tokens.clear();
      ++i;
    } else if (llvm::isSpace(c)) {
      ++i;
    } else {
      // Operators: `==`, `!=`, `<=`, `>=`, `+=` are one token.
      if (i + 1 < offset && text[i + 1] == '=' &&
          llvm::StringRef("=!<>+").contains(c)) {
        tokens.push_back(text.substr(i, 2).str());
        i += 2;
      } else {
        tokens.push_back(std::string(1, c));
        ++i;
      }
    }
  }
  ctx.prefixStart = offset;
  return ctx;
}

Word lsp::wordAt(llvm::StringRef text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t begin = offset, end = offset;
  while (begin > 0 && isWordChar(text[begin - 1]))
    --begin;
  while (end < text.size() && isWordChar(text[end]))
    ++end;
  // `frozen_branch..release_branch` is two words.
  llvm::StringRef w = text.slice(begin, end);
  size_t dots;
  while ((dots = w.find("..")) != llvm::StringRef::npos) {
    if (begin + dots + 2 <= offset) {
      begin += dots + 2;
      w = text.slice(begin, end);
    } else {
      end = begin + dots;
      w = text.slice(begin, end);
    }
  }
  // A sentence's full stop is not part of the word.
  while (!w.empty() && (w.back() == '.' || w.back() == '-')) {
    --end;
    w = text.slice(begin, end);
  }
  return {begin, end, w};
}
