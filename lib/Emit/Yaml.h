//===- Yaml.h - A small YAML tree and a deterministic writer ----*- C++ -*-===//
//
// Generated CI files must be byte-identical for the same input and must
// mean exactly what relc intends to any YAML 1.1 or 1.2 reader, whatever
// text a plan, a model, a lock file or a path brings. So the writer cannot
// be broken out of:
//   - every string that carries data is double-quoted, with every character
//     either version treats as a line break or control (\n, \r, U+0085,
//     U+2028, U+2029, C0 and C1 controls, DEL, the BOM, the invisible
//     format characters) written as an escape, never raw;
//   - only relc's own words (`read`, `ubuntu-latest`) are written plain, and
//     only when no reader could take them for anything but that string
//     (`3.10` would be the float 3.1; `on`, `yes`, `null` are not strings);
//   - a key is plain only when it is a name, else quoted the same way (and
//     written as an explicit `? key` when too long for an implicit one);
//   - comments are escaped too: no raw line break ever ends one early.
// Multi-line scripts relc or an overlay writes are literal blocks, only
// when every line is printable ASCII that a block cannot misread.
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
  /// Where a scalar's text comes from, which decides how it may be written
  /// and whether CI may evaluate it.
  enum class Origin {
    Data,       ///< From a plan, model, lock or path: quoted, never evaluated.
    Word,       ///< relc's own keyword: plain when that is safe.
    Raw,        ///< A number or boolean, written as is.
    Expression, ///< CI may evaluate it: relc's `${{ matrix.step }}`, an
                ///< overlay's value. Quoted like data.
  };
  Kind kind = Kind::Map;
  Origin origin = Origin::Data;
  std::string text;
  std::string comment; ///< ` # v4.2.2` after a scalar, or after `key:`.
  /// Comment lines written above the key or item that holds this node.
  std::vector<std::string> notes;
  std::vector<std::pair<std::string, Node>> map;
  std::vector<Node> seq;

  /// Text from a plan, model, lock or path.
  static Node str(std::string s, std::string comment = "");
  /// A keyword of relc's own (`read`, `ubuntu-latest`, `completed`).
  static Node word(std::string s);
  /// Text CI may evaluate (`${{ secrets.GITHUB_TOKEN }}`).
  static Node expression(std::string s);
  static Node boolean(bool b);
  static Node number(long long n);
  static Node mapping() { return Node(); }
  static Node sequence();

  /// The value of \p key, added (as an empty map) if missing.
  Node &operator[](llvm::StringRef key);
  const Node *find(llvm::StringRef key) const;
  Node *find(llvm::StringRef key);
  Node &set(llvm::StringRef key, Node value);
  Node &push(Node value);
  bool empty() const { return map.empty() && seq.empty() && text.empty(); }
  bool isScalar() const { return kind == Kind::Scalar; }
};

/// Writes \p root (a map) as a YAML document. The top-level key `on` is
/// written plain, as every GitHub workflow writes it.
void write(const Node &root, llvm::raw_ostream &os);

/// True if \p s can be written without quotes and read back as that string
/// by YAML 1.1 and 1.2 readers alike.
bool isPlainSafe(llvm::StringRef s);

/// \p s as the inside of a double-quoted YAML scalar: printable characters
/// as they are, everything else (and `"`, `\`) as an escape.
std::string escapeQuoted(llvm::StringRef s);

/// \p s as text of a `#` comment: printable characters as they are, line
/// breaks, controls, invisible characters and bytes that are not UTF-8 as
/// `\n`, `\u2028`, `\xff`, and `\` as `\\`.
std::string escapeComment(llvm::StringRef s);

} // namespace relc::yaml

#endif // RELC_EMIT_YAML_H
