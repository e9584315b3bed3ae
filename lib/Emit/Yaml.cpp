//===- Yaml.cpp - A small YAML tree and a deterministic writer ------------===//
#include "Emit/Yaml.h"

#include "Basic/Printable.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;
using namespace relc::yaml;

Node Node::str(std::string s, std::string comment) {
  Node n;
  n.kind = Kind::Scalar;
  n.text = std::move(s);
  n.comment = std::move(comment);
  return n;
}

Node Node::word(std::string s) {
  Node n = str(std::move(s));
  n.origin = Origin::Word;
  return n;
}

Node Node::expression(std::string s) {
  Node n = str(std::move(s));
  n.origin = Origin::Expression;
  return n;
}

Node Node::boolean(bool b) {
  Node n = str(b ? "true" : "false");
  n.origin = Origin::Raw;
  return n;
}

Node Node::number(long long v) {
  Node n = str(std::to_string(v));
  n.origin = Origin::Raw;
  return n;
}

Node Node::sequence() {
  Node n;
  n.kind = Kind::Seq;
  return n;
}

Node &Node::operator[](llvm::StringRef key) {
  for (auto &[k, v] : map)
    if (k == key)
      return v;
  return map.emplace_back(key.str(), Node()).second;
}

const Node *Node::find(llvm::StringRef key) const {
  for (const auto &[k, v] : map)
    if (k == key)
      return &v;
  return nullptr;
}

Node *Node::find(llvm::StringRef key) {
  for (auto &[k, v] : map)
    if (k == key)
      return &v;
  return nullptr;
}

Node &Node::set(llvm::StringRef key, Node value) {
  kind = Kind::Map;
  return (*this)[key] = std::move(value);
}

Node &Node::push(Node value) {
  kind = Kind::Seq;
  return seq.emplace_back(std::move(value));
}

/// YAML 1.1 booleans and nulls, in any of their spellings.
static bool isSpecialWord(llvm::StringRef s) {
  static const char *special[] = {"y",   "n",    "yes",   "no",   "on",
                                  "off", "true", "false", "null", "~"};
  for (const char *w : special)
    if (s.equals_insensitive(w))
      return true;
  return false;
}

bool yaml::isPlainSafe(llvm::StringRef s) {
  if (s.empty() || isSpecialWord(s))
    return false;
  // Anything number-like (`3.10`, `1e3`, `2024-06-10`) stays a string only
  // in quotes; so does anything that starts with an indicator (`@`, `-`).
  if (!(llvm::isAlpha(s[0]) || s[0] == '_' || s[0] == '/'))
    return false;
  for (char c : s)
    if (!(llvm::isAlnum(c) || llvm::StringRef("_-./@+=()").contains(c)))
      return false;
  return true;
}

/// Calls \p onCodePoint for each character of \p s, or \p onBadByte for a
/// byte that does not start a well-formed UTF-8 sequence.
template <class F, class G>
static void eachCodePoint(llvm::StringRef s, F onCodePoint, G onBadByte) {
  auto *p = reinterpret_cast<const llvm::UTF8 *>(s.begin());
  auto *end = reinterpret_cast<const llvm::UTF8 *>(s.end());
  while (p < end) {
    const llvm::UTF8 *start = p;
    llvm::UTF32 c;
    if (*p < 0x80) {
      onCodePoint(llvm::UTF32(*p), llvm::StringRef(s.data() + (p - start), 0));
      ++p;
      continue;
    }
    if (llvm::convertUTF8Sequence(&p, end, &c, llvm::strictConversion) !=
        llvm::conversionOK) {
      onBadByte(*start);
      p = start + 1;
      continue;
    }
    onCodePoint(
        c, llvm::StringRef(reinterpret_cast<const char *>(start), p - start));
  }
}

static void hexEscape(llvm::raw_ostream &os, llvm::UTF32 c) {
  if (c < 0x100)
    os << "\\x" << llvm::format_hex_no_prefix(c, 2, /*Upper=*/true);
  else if (c < 0x10000)
    os << "\\u" << llvm::format_hex_no_prefix(c, 4, /*Upper=*/true);
  else
    os << "\\U" << llvm::format_hex_no_prefix(c, 8, /*Upper=*/true);
}

std::string yaml::escapeQuoted(llvm::StringRef s) {
  std::string out;
  llvm::raw_string_ostream os(out);
  eachCodePoint(
      s,
      [&](llvm::UTF32 c, llvm::StringRef bytes) {
        switch (c) {
        case '"':
          os << "\\\"";
          return;
        case '\\':
          os << "\\\\";
          return;
        case '\n':
          os << "\\n";
          return;
        case '\t':
          os << "\\t";
          return;
        case '\r':
          os << "\\r";
          return;
        }
        if (mustEscape(c))
          hexEscape(os, c);
        else if (c < 0x80)
          os << char(c);
        else
          os << bytes;
      },
      // Not text: no YAML reader would read the file. Sources are checked
      // for UTF-8 before they get here; this keeps the output readable.
      [&](unsigned char) { os << "\\uFFFD"; });
  return os.str();
}

std::string yaml::escapeComment(llvm::StringRef s) { return printable(s); }

/// A script written as a literal block reads back unchanged only if every
/// line is printable ASCII, the first does not start with a space (it would
/// set the block's indentation) and the text ends in exactly one line
/// break.
static bool blockSafe(const Node &n) {
  if (n.origin == Node::Origin::Data || n.origin == Node::Origin::Raw)
    return false;
  llvm::StringRef t = n.text;
  if (!t.endswith("\n") || t.endswith("\n\n") || t.startswith("\n"))
    return false;
  llvm::SmallVector<llvm::StringRef, 8> lines;
  t.drop_back().split(lines, '\n');
  if (lines.front().startswith(" "))
    return false;
  for (llvm::StringRef l : lines) {
    for (char c : l)
      if (c < 0x20 || c > 0x7e)
        return false;
  }
  return true;
}

static void notes(const Node &n, unsigned indent, llvm::raw_ostream &os) {
  for (const std::string &line : n.notes)
    os.indent(indent) << "# " << escapeComment(line) << "\n";
  // A comment on a collection or a block goes above it, on a line of its
  // own.
  if (!n.comment.empty() && (!n.isScalar() || blockSafe(n)))
    os.indent(indent) << "# " << escapeComment(n.comment) << "\n";
}

static void scalar(const Node &n, llvm::raw_ostream &os) {
  bool plain = n.origin == Node::Origin::Raw ||
               (n.origin == Node::Origin::Word && isPlainSafe(n.text));
  if (plain)
    os << n.text;
  else
    os << '"' << escapeQuoted(n.text) << '"';
  if (!n.comment.empty())
    os << " # " << escapeComment(n.comment);
}

static void block(const Node &n, unsigned indent, llvm::raw_ostream &os);

/// Keys are written plain when they are names no reader takes for a
/// boolean or null; the top-level `on:` stays plain, as workflows always
/// write it (GitHub reads it as the string, whatever YAML 1.1 says).
/// Longer keys than an implicit key may be (1024 characters) are explicit.
static void key(llvm::StringRef k, unsigned indent, llvm::raw_ostream &os) {
  bool name = !k.empty() && (llvm::isAlpha(k[0]) || k[0] == '_') &&
              llvm::all_of(k, [](char c) {
                return llvm::isAlnum(c) || c == '_' || c == '-';
              });
  if (name && k.size() <= 1000 &&
      (!isSpecialWord(k) || (indent == 0 && k == "on"))) {
    os << k << ":";
    return;
  }
  std::string quoted = "\"" + escapeQuoted(k) + "\"";
  if (quoted.size() <= 1000) {
    os << quoted << ":";
    return;
  }
  os << "? " << quoted << "\n";
  os.indent(indent) << ":";
}

/// Writes \p v after `key:` or `-`, on this line if it is a scalar or an
/// empty collection.
static void value(const Node &v, unsigned indent, llvm::raw_ostream &os) {
  if (v.isScalar() && v.origin != Node::Origin::Raw &&
      llvm::StringRef(v.text).contains('\n') && blockSafe(v)) {
    os << " |\n";
    llvm::SmallVector<llvm::StringRef, 8> lines;
    llvm::StringRef(v.text).drop_back().split(lines, '\n');
    for (llvm::StringRef l : lines) {
      if (!l.empty())
        os.indent(indent + 2) << l;
      os << "\n";
    }
    return;
  }
  if (v.isScalar()) {
    os << " ";
    scalar(v, os);
    os << "\n";
    return;
  }
  if (v.map.empty() && v.seq.empty()) {
    os << (v.kind == Node::Kind::Map ? " {}\n" : " []\n");
    return;
  }
  os << "\n";
  block(v, indent + 2, os);
}

static void block(const Node &n, unsigned indent, llvm::raw_ostream &os) {
  if (n.kind == Node::Kind::Map) {
    for (const auto &[k, v] : n.map) {
      notes(v, indent, os);
      os.indent(indent);
      key(k, indent, os);
      value(v, indent, os);
    }
    return;
  }
  for (const Node &item : n.seq) {
    notes(item, indent, os);
    if (item.kind == Node::Kind::Map && !item.map.empty()) {
      // `- key: value` then the other keys aligned under the first. The
      // first entry's notes go above the dash.
      notes(item.map.front().second, indent, os);
      os.indent(indent) << "- ";
      bool first = true;
      for (const auto &[k, v] : item.map) {
        if (!first) {
          notes(v, indent + 2, os);
          os.indent(indent + 2);
        }
        first = false;
        key(k, indent + 2, os);
        value(v, indent + 2, os);
      }
      continue;
    }
    os.indent(indent) << "-";
    value(item, indent, os);
  }
}

void yaml::write(const Node &root, llvm::raw_ostream &os) {
  block(root, 0, os);
}
