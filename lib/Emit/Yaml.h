//===- Yaml.h - A small YAML tree and a deterministic writer ----*- C++ -*-===//
//
// Generated CI files must be byte-identical for the same input and must
// mean exactly what relc intends to any YAML 1.1 or 1.2 reader. Keys keep
// the order relc inserts them in; a scalar is written plain only when no
// reader could take it for anything but that string (`3.10` is quoted, or
// it would become the float 3.1; `on`, `yes`, `null` are quoted); scripts
// with newlines are literal blocks.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EMIT_YAML_H
#define RELC_EMIT_YAML_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace relc::yaml {

struct Node {
  enum class Kind { Scalar, Map, Seq };
  Kind kind = Kind::Map;
  std::string text;
  bool raw = false;    ///< A number or boolean, written as is.
  std::string comment; ///< ` # v4.2.2` after a scalar.
  std::vector<std::pair<std::string, Node>> map;
  std::vector<Node> seq;

  static Node str(std::string s, std::string comment = "");
  static Node boolean(bool b);
  static Node number(long long n);
  static Node mapping() { return Node(); }
  static Node sequence();

  /// The value of \p key, added (as an empty map) if missing.
  Node &operator[](llvm::StringRef key);
  const Node *find(llvm::StringRef key) const;
  Node &set(llvm::StringRef key, Node value);
  Node &push(Node value);
  bool empty() const { return map.empty() && seq.empty() && text.empty(); }
};

/// Writes \p root (a map) as a YAML document.
void write(const Node &root, llvm::raw_ostream &os);

/// True if \p s can be written without quotes and read back as that string
/// by YAML 1.1 and 1.2 readers alike.
bool isPlainSafe(llvm::StringRef s);

} // namespace relc::yaml

#endif // RELC_EMIT_YAML_H
