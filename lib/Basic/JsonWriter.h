//===- JsonWriter.h - Streaming JSON for large outputs ---------*- C++ -*-===//
//
// What `relc matrix --format=json` and `relc graph --format=json` print: a
// million legs is close to a gigabyte of JSON. The text is byte for byte
// that of llvm::json::OStream with the same indent (a unit test holds the
// two side by side), for the subset relc writes: objects, arrays, strings,
// booleans and integers. OStream quotes strings one character at a time and
// checks their UTF-8 twice (once making a json::Value); at a million legs
// that was two thirds of the command. Here a string with nothing to escape,
// nearly every one, is copied out whole.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_JSONWRITER_H
#define RELC_BASIC_JSONWRITER_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <type_traits>

namespace relc {

class JsonWriter {
public:
  using Block = llvm::function_ref<void()>;

  /// \p indent spaces per level; 0 writes everything on one line.
  explicit JsonWriter(llvm::raw_ostream &os, unsigned indent = 0)
      : os(os), indentSize(indent) {
    stack.push_back({Context::Singleton, false});
  }

  void value(llvm::StringRef s) {
    valueBegin();
    quote(s);
  }
  void value(const char *s) { value(llvm::StringRef(s)); }
  void value(const std::string &s) { value(llvm::StringRef(s)); }
  void value(bool b) {
    valueBegin();
    os << (b ? "true" : "false");
  }
  template <typename Int>
  std::enable_if_t<std::is_integral<Int>::value> value(Int n) {
    valueBegin();
    os << int64_t(n);
  }

  void array(Block contents) {
    begin(Context::Array, '[');
    contents();
    end(']');
  }
  void object(Block contents) {
    begin(Context::Object, '{');
    contents();
    end('}');
  }

  template <typename T> void attribute(llvm::StringRef key, const T &v) {
    attributeBegin(key);
    value(v);
    stack.pop_back();
  }
  void attributeArray(llvm::StringRef key, Block contents) {
    attributeBegin(key);
    array(contents);
    stack.pop_back();
  }
  void attributeObject(llvm::StringRef key, Block contents) {
    attributeBegin(key);
    object(contents);
    stack.pop_back();
  }

private:
  enum class Context { Singleton, Array, Object };
  struct Level {
    Context context;
    bool hasValue;
  };

  void newline() {
    if (indentSize) {
      os << '\n';
      os.indent(depth);
    }
  }
  void valueBegin() {
    Level &top = stack.back();
    if (top.hasValue)
      os << ',';
    if (top.context == Context::Array)
      newline();
    top.hasValue = true;
  }
  void begin(Context c, char open) {
    valueBegin();
    stack.push_back({c, false});
    depth += indentSize;
    os << open;
  }
  void end(char close) {
    depth -= indentSize;
    if (stack.back().hasValue)
      newline();
    os << close;
    stack.pop_back();
  }
  void attributeBegin(llvm::StringRef key) {
    Level &top = stack.back();
    if (top.hasValue)
      os << ',';
    newline();
    top.hasValue = true;
    stack.push_back({Context::Singleton, false});
    quote(key);
    os << (indentSize ? ": " : ":");
  }
  void quote(llvm::StringRef s);

  llvm::raw_ostream &os;
  unsigned indentSize, depth = 0;
  llvm::SmallVector<Level, 16> stack;
};

/// Whether the JSON text \p text nests arrays and objects deeper than
/// \p limit: a linear scan that skips strings. llvm::json::parse recurses
/// once per level, so text from outside is measured with this first.
bool jsonNestsDeeper(llvm::StringRef text, unsigned limit);

} // namespace relc

#endif // RELC_BASIC_JSONWRITER_H
