//===- FastYaml.cpp - A strict reader of the YAML that models use ---------===//
//
// A recursive reader over the bytes, line by line for block collections.
// Every function returns false as soon as it meets something outside the
// subset (FastYaml.h); being unsure is always a reason to give up, because
// yaml-cpp then reads the file exactly as before. Where yaml-cpp places a
// node (Mark::pos): a scalar at its first byte (a quote or `>` included), a
// block mapping at its first key, a block sequence at its first `-`, a flow
// collection at its bracket.
//
//===----------------------------------------------------------------------===//
#include "Compat/FastYaml.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace relc::compat::fastyaml;
using llvm::StringRef;

namespace {
const std::string plainTag = "?", quotedTag = "!";
const std::string noScalar;
} // namespace

const std::string &Node::Scalar() const {
  return IsScalar() ? data->scalar : noScalar;
}

const std::string &Node::Tag() const {
  return IsScalar() && !data->plain ? quotedTag : plainTag;
}

YAML::Mark Node::Mark() const {
  YAML::Mark m;
  if (data)
    m.pos = static_cast<int>(data->pos);
  return m;
}

size_t Node::size() const {
  if (IsMap())
    return data->children.size() / 2;
  return IsSequence() ? data->children.size() : 0;
}

Node::iterator Node::begin() const { return iterator(data, 0); }

Node::iterator Node::end() const {
  return iterator(data, (IsMap() || IsSequence()) ? data->children.size() : 0);
}

Item Node::iterator::operator*() const {
  if (parent->type == YAML::NodeType::Map)
    return Item(Node(), Node(parent->children[index]),
                Node(parent->children[index + 1]));
  return Item(Node(parent->children[index]), Node(), Node());
}

namespace relc::compat::fastyaml {

class Reader {
public:
  Reader(StringRef text, Document &doc) : t(text), doc(doc) {}
  bool read();

private:
  static constexpr size_t end = StringRef::npos;
  static constexpr unsigned maxDepth = 64;

  char at(size_t p) const { return p < t.size() ? t[p] : '\0'; }
  NodeData &make(YAML::NodeType::value type, size_t pos) {
    NodeData &n = doc.nodes.emplace_back();
    n.type = type;
    n.pos = pos;
    return n;
  }
  /// A collection at \p pos, one level deeper; nullptr if too deep.
  NodeData *enter(YAML::NodeType::value type, size_t pos,
                  const NodeData *&out) {
    if (++depth > maxDepth)
      return nullptr;
    NodeData &n = make(type, pos);
    out = &n;
    return &n;
  }
  static bool printable(char c) { return c >= 0x20 && c < 0x7f; }
  static bool keyChar(char c) {
    return llvm::isAlnum(c) || c == '_' || c == '-' || c == '.';
  }
  static bool isNullWord(StringRef s) {
    return s == "~" || s == "null" || s == "Null" || s == "NULL";
  }
  size_t lineStart(size_t p) const {
    size_t nl = t.rfind('\n', p == 0 ? 0 : p - 1);
    return p == 0 ? 0 : (nl == end ? 0 : nl + 1);
  }
  size_t column(size_t p) const { return p - lineStart(p); }
  size_t indentAt(size_t line) const {
    size_t p = line;
    while (at(p) == ' ')
      ++p;
    return p - line;
  }
  size_t nextLine(size_t p) const {
    size_t nl = t.find('\n', p);
    return nl == end ? t.size() : nl + 1;
  }
  /// The start of the first line from \p line on that holds more than
  /// spaces and a comment; t.size() if none.
  size_t nextContent(size_t line) const {
    while (line < t.size()) {
      size_t p = line + indentAt(line);
      if (p < t.size() && t[p] != '\n' && t[p] != '#')
        return line;
      line = nextLine(line);
    }
    return t.size();
  }
  bool isEntry(size_t p) const {
    return at(p) == '-' && (at(p + 1) == ' ' || at(p + 1) == '\n');
  }
  /// The end of a block mapping key at \p p (its `:`), or `end`.
  size_t keyEnd(size_t p) const {
    if (!(llvm::isAlnum(at(p)) || at(p) == '_'))
      return end;
    size_t e = p;
    while (keyChar(at(e)))
      ++e;
    if (at(e) == ':' &&
        (e + 1 == t.size() || at(e + 1) == ' ' || at(e + 1) == '\n'))
      return e;
    return end;
  }
  /// After a value on one line: spaces and a comment up to the line's end.
  bool lineRest(size_t p, size_t &next) const {
    size_t q = p;
    while (at(q) == ' ')
      ++q;
    if (at(q) == '#' && (q == 0 || t[q - 1] != ' '))
      return false; // A comment needs a space before it.
    if (at(q) != '#' && at(q) != '\n' && q < t.size())
      return false;
    next = nextLine(q);
    return true;
  }

  /// After an item of a block mapping or sequence at \p indent: where the
  /// next item starts, or `end` when the collection has ended or the text
  /// is outside the subset (then `gaveUp` is set).
  size_t nextItem(size_t indent, bool seq) {
    if (cur == t.size())
      return end;
    size_t ind = indentAt(cur);
    if (ind < indent || (seq && ind == indent && !isEntry(cur + ind)))
      return end;
    gaveUp = ind > indent;
    return gaveUp ? end : cur + ind;
  }

  bool blockMap(size_t indent, size_t first, const NodeData *&out);
  bool blockSeq(size_t indent, size_t first, const NodeData *&out);
  bool value(size_t parentIndent, bool inMap, size_t p, const NodeData *&out);
  bool blockScalar(size_t parentIndent, size_t p, const NodeData *&out);
  bool quoted(size_t p, size_t &after, const NodeData *&out);
  bool flow(size_t parentIndent, size_t p, size_t &after, const NodeData *&out);
  bool flowPlain(size_t p, size_t &after, const NodeData *&out);
  bool flowSpace(size_t parentIndent, size_t &p) const;

  StringRef t;
  Document &doc;
  size_t cur = 0; ///< After a block node: the next content line.
  unsigned depth = 0;
  bool gaveUp = false;
};

} // namespace relc::compat::fastyaml

bool Reader::read() {
  if (t.empty() || static_cast<unsigned char>(t[0]) >= 0x80)
    return false; // A byte-order mark, or another encoding.
  for (size_t line = 0; line < t.size(); line = nextLine(line)) {
    StringRef l = t.substr(line, 3);
    if (l.startswith("---") || l.startswith("...") || l.startswith("%"))
      return false;
  }
  // Control characters, tabs and carriage returns anywhere; other bytes
  // outside ASCII are refused where scalars are read.
  for (char c : t)
    if ((c != '\n' && static_cast<unsigned char>(c) < 0x20) || c == 0x7f)
      return false;
  size_t line = nextContent(0);
  if (line == t.size())
    return false;
  size_t indent = indentAt(line);
  if (keyEnd(line + indent) == end)
    return false;
  if (!blockMap(indent, line + indent, doc.rootNode))
    return false;
  return cur == t.size();
}

bool Reader::blockMap(size_t indent, size_t first, const NodeData *&out) {
  NodeData *map = enter(YAML::NodeType::Map, first, out);
  if (!map)
    return false;
  for (size_t p = first; p != end; p = nextItem(indent, false)) {
    size_t e = keyEnd(p);
    if (e == end || isNullWord(t.slice(p, e)))
      return false;
    NodeData &key = make(YAML::NodeType::Scalar, p);
    key.scalar = t.slice(p, e).str();
    const NodeData *val = nullptr;
    if (!value(indent, true, e + 1, val))
      return false;
    map->children.push_back(&key);
    map->children.push_back(val);
  }
  --depth;
  return !gaveUp;
}

bool Reader::blockSeq(size_t indent, size_t first, const NodeData *&out) {
  NodeData *seq = enter(YAML::NodeType::Sequence, first, out);
  if (!seq)
    return false;
  for (size_t d = first; d != end; d = nextItem(indent, true)) {
    size_t q = d + 1;
    while (at(q) == ' ')
      ++q;
    const NodeData *item = nullptr;
    if (isEntry(q))
      return false; // `- - x`
    if (keyEnd(q) != end) {
      if (!blockMap(column(q), q, item))
        return false;
    } else if (!value(indent, false, d + 1, item)) {
      return false;
    }
    seq->children.push_back(item);
  }
  --depth;
  return !gaveUp;
}

/// The value after a key's `:` or an entry's `-` at \p p; leaves `cur` at
/// the next content line, which must not be indented past the collection.
bool Reader::value(size_t parentIndent, bool inMap, size_t p,
                   const NodeData *&out) {
  size_t q = p;
  while (at(q) == ' ')
    ++q;
  char c = at(q);
  if (c == '\n' || c == '#' || q >= t.size()) {
    if (c == '#' && q == p)
      return false;
    size_t line = nextContent(nextLine(q));
    if (line == t.size())
      return false; // An empty value: yaml-cpp says where it is.
    size_t ind = indentAt(line);
    size_t s = line + ind;
    if (isEntry(s) && (ind > parentIndent || (inMap && ind == parentIndent)))
      return blockSeq(ind, s, out);
    if (ind > parentIndent && keyEnd(s) != end)
      return blockMap(ind, s, out);
    return false;
  }
  size_t after = 0;
  if (c == '>' || c == '|')
    return blockScalar(parentIndent, q, out);
  if (c == '"' || c == '\'') {
    if (!quoted(q, after, out))
      return false;
  } else if (c == '[' || c == '{') {
    if (!flow(parentIndent, q, after, out))
      return false;
  } else {
    // A plain scalar: up to a comment or the line's end.
    if (llvm::StringRef("-?:,[]{}#&*!|>'\"%@`").contains(c))
      return false;
    size_t e = q;
    while (e < t.size() && t[e] != '\n' && !(t[e] == '#' && t[e - 1] == ' ')) {
      if (!printable(t[e]) ||
          (t[e] == ':' && (at(e + 1) == ' ' || at(e + 1) == '\n')))
        return false;
      ++e;
    }
    after = e;
    while (t[e - 1] == ' ')
      --e;
    StringRef s = t.slice(q, e);
    if (isNullWord(s) || s.endswith(":"))
      return false;
    NodeData &n = make(YAML::NodeType::Scalar, q);
    n.scalar = s.str();
    out = &n;
  }
  size_t next = 0;
  if (!lineRest(after, next))
    return false;
  cur = nextContent(next);
  // More indented text after it would continue a plain scalar or be an
  // error; either way yaml-cpp's business.
  return cur == t.size() || indentAt(cur) <= parentIndent;
}

bool Reader::blockScalar(size_t parentIndent, size_t p, const NodeData *&out) {
  bool folded = t[p] == '>';
  size_t q = p + 1;
  bool strip = at(q) == '-';
  if (strip)
    ++q;
  size_t next = 0;
  if (at(q) != ' ' && at(q) != '\n')
    return false; // `+` keep, an indentation indicator, or junk.
  if (!lineRest(q, next) || next >= t.size())
    return false;
  size_t m = indentAt(next);
  if (at(next + m) == '\n' || next + m >= t.size() || m <= parentIndent)
    return false;
  std::string text;
  size_t line = next;
  while (line < t.size()) {
    size_t ind = indentAt(line);
    if (at(line + ind) == '\n' || line + ind >= t.size()) {
      // A blank line inside would be folded by rules not worth copying;
      // blank lines at the end go with chomping.
      size_t after = line;
      while (after < t.size() && (at(after + indentAt(after)) == '\n' ||
                                  after + indentAt(after) >= t.size()))
        after = nextLine(after);
      if (after < t.size() && indentAt(after) >= m)
        return false;
      break;
    }
    if (ind < m)
      break;
    if (ind > m)
      return false;
    size_t eol = t.find('\n', line);
    if (eol == end)
      return false; // The last line without its line break.
    StringRef content = t.slice(line + m, eol);
    if (!llvm::all_of(content, printable) || content.endswith(" "))
      return false;
    if (!text.empty())
      text += folded ? ' ' : '\n';
    text += content;
    line = eol + 1;
  }
  if (!strip)
    text += '\n';
  NodeData &n = make(YAML::NodeType::Scalar, p);
  n.plain = false;
  n.scalar = std::move(text);
  out = &n;
  cur = nextContent(line);
  return cur == t.size() || indentAt(cur) <= parentIndent;
}

bool Reader::quoted(size_t p, size_t &after, const NodeData *&out) {
  char q = t[p];
  std::string s;
  size_t e = p + 1;
  for (;; ++e) {
    char c = at(e);
    if (e >= t.size() || c == '\n' || c == '\\' || !printable(c))
      return false;
    if (c != q) {
      s += c;
      continue;
    }
    if (q == '\'' && at(e + 1) == '\'') {
      s += '\'';
      ++e;
      continue;
    }
    break;
  }
  NodeData &n = make(YAML::NodeType::Scalar, p);
  n.plain = false;
  n.scalar = std::move(s);
  out = &n;
  after = e + 1;
  return true;
}

/// Skips spaces, line breaks and comments inside a flow collection; a line
/// it continues on must be indented past the block it is in.
bool Reader::flowSpace(size_t parentIndent, size_t &p) const {
  for (;;) {
    char c = at(p);
    if (c == ' ') {
      ++p;
    } else if (c == '#' && p > 0 && (t[p - 1] == ' ' || t[p - 1] == '\n')) {
      p = t.find('\n', p);
      if (p == end)
        return false;
    } else if (c == '\n') {
      ++p;
      if (indentAt(p) <= parentIndent && at(p + indentAt(p)) != '\n')
        return false;
    } else {
      return p < t.size();
    }
  }
}

bool Reader::flowPlain(size_t p, size_t &after, const NodeData *&out) {
  if (StringRef("-?:,[]{}#&*!|>'\"%@`").contains(at(p)))
    return false;
  size_t e = p;
  while (e < t.size() && printable(t[e]) &&
         !StringRef(" ,[]{}:#\"'").contains(t[e]))
    ++e;
  StringRef s = t.slice(p, e);
  // yaml-cpp's flow scanner reads indicators inside a plain scalar as
  // tokens of their own (`b?0` is an error there): such text is its call.
  if (s.empty() || isNullWord(s) || s.find_first_of("?&*!|>%@`") != s.npos)
    return false;
  NodeData &n = make(YAML::NodeType::Scalar, p);
  n.scalar = s.str();
  out = &n;
  after = e;
  return true;
}

bool Reader::flow(size_t parentIndent, size_t p, size_t &after,
                  const NodeData *&out) {
  bool isMap = t[p] == '{';
  char close = isMap ? '}' : ']';
  NodeData *n =
      enter(isMap ? YAML::NodeType::Map : YAML::NodeType::Sequence, p, out);
  if (!n)
    return false;
  ++p;
  if (!flowSpace(parentIndent, p))
    return false;
  if (at(p) == close) {
    after = p + 1;
    --depth;
    return true;
  }
  for (;;) {
    if (isMap) {
      const NodeData *key = nullptr;
      if (!flowPlain(p, p, key) || at(p) != ':' || at(p + 1) != ' ')
        return false;
      n->children.push_back(key);
      ++p;
      if (!flowSpace(parentIndent, p))
        return false;
    }
    const NodeData *item = nullptr;
    char c = at(p);
    bool ok = c == '"' || c == '\''  ? quoted(p, p, item)
              : c == '[' || c == '{' ? flow(parentIndent, p, p, item)
                                     : flowPlain(p, p, item);
    if (!ok || !flowSpace(parentIndent, p))
      return false;
    n->children.push_back(item);
    if (at(p) == close)
      break;
    if (at(p) != ',')
      return false;
    ++p;
    if (!flowSpace(parentIndent, p) || at(p) == close)
      return false; // A trailing comma.
  }
  after = p + 1;
  --depth;
  return true;
}

std::unique_ptr<Document> relc::compat::fastyaml::parse(StringRef text) {
  auto doc = std::make_unique<Document>();
  Reader reader(text, *doc);
  if (!reader.read())
    return nullptr;
  return doc;
}
