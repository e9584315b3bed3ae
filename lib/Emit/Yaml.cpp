//===- Yaml.cpp - A small YAML tree and a deterministic writer ------------===//
#include "Emit/Yaml.h"

#include "llvm/ADT/StringExtras.h"
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

Node Node::boolean(bool b) {
  Node n = str(b ? "true" : "false");
  n.raw = true;
  return n;
}

Node Node::number(long long v) {
  Node n = str(std::to_string(v));
  n.raw = true;
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

Node &Node::set(llvm::StringRef key, Node value) {
  kind = Kind::Map;
  return (*this)[key] = std::move(value);
}

Node &Node::push(Node value) {
  kind = Kind::Seq;
  return seq.emplace_back(std::move(value));
}

bool yaml::isPlainSafe(llvm::StringRef s) {
  if (s.empty())
    return false;
  // YAML 1.1 booleans and nulls, in any of their spellings.
  static const char *special[] = {"y",   "n",    "yes",   "no",   "on",
                                  "off", "true", "false", "null", "~"};
  for (const char *w : special)
    if (s.equals_insensitive(w))
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

static void scalar(const Node &n, llvm::raw_ostream &os) {
  if (n.raw || isPlainSafe(n.text)) {
    os << n.text;
  } else {
    os << '"';
    for (char c : n.text) {
      switch (c) {
      case '"':
        os << "\\\"";
        break;
      case '\\':
        os << "\\\\";
        break;
      case '\n':
        os << "\\n";
        break;
      case '\t':
        os << "\\t";
        break;
      default:
        os << c;
      }
    }
    os << '"';
  }
  if (!n.comment.empty())
    os << " # " << n.comment;
}

static bool multiline(const Node &n) {
  return n.kind == Node::Kind::Scalar && !n.raw &&
         llvm::StringRef(n.text).contains('\n');
}

static void block(const Node &n, unsigned indent, llvm::raw_ostream &os);

/// Keys are written plain when they look like names, as workflows always
/// write `on:` (GitHub reads it as the string, whatever YAML 1.1 says).
static void key(llvm::StringRef k, llvm::raw_ostream &os) {
  bool name = !k.empty() && (llvm::isAlpha(k[0]) || k[0] == '_') &&
              llvm::all_of(k, [](char c) {
                return llvm::isAlnum(c) || c == '_' || c == '-';
              });
  if (name)
    os << k;
  else
    scalar(Node::str(k.str()), os);
  os << ":";
}

/// Writes \p v after `key:` or `- `, on this line if it is a scalar or an
/// empty collection.
static void value(const Node &v, unsigned indent, llvm::raw_ostream &os) {
  if (multiline(v)) {
    os << " |\n";
    llvm::SmallVector<llvm::StringRef, 8> lines;
    llvm::StringRef(v.text).rtrim('\n').split(lines, '\n');
    for (llvm::StringRef l : lines) {
      if (!l.empty())
        os.indent(indent + 2) << l;
      os << "\n";
    }
    return;
  }
  if (v.kind == Node::Kind::Scalar) {
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
      os.indent(indent);
      key(k, os);
      value(v, indent, os);
    }
    return;
  }
  for (const Node &item : n.seq) {
    os.indent(indent) << "-";
    if (item.kind == Node::Kind::Map && !item.map.empty()) {
      // `- key: value` then the other keys aligned under the first.
      bool first = true;
      for (const auto &[k, v] : item.map) {
        if (first)
          os << " ";
        else
          os.indent(indent + 2);
        first = false;
        key(k, os);
        value(v, indent + 2, os);
      }
      continue;
    }
    value(item, indent, os);
  }
}

void yaml::write(const Node &root, llvm::raw_ostream &os) {
  block(root, 0, os);
}
