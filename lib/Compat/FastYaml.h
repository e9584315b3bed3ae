//===- FastYaml.h - A strict reader of the YAML that models use -*- C++ -*-===//
//
// yaml-cpp spends about 1,000 instructions per byte of a model (its scanner
// matches every character against regular expressions and builds a node
// graph), which made reading the two bundled models half of a `relc check`.
// This reader understands only the YAML that models are written in: block
// mappings and sequences, flow mappings and sequences, plain, quoted and
// folded scalars, comments. On anything else (anchors, tags, multi-line plain
// scalars, empty values, escapes, document markers, tabs, non-ASCII text
// outside comments...) it gives up, and the model is read by yaml-cpp
// instead, which also words every syntax error. So a file it accepts gives
// the very tree yaml-cpp would give: the same node kinds, scalars, tags and
// byte offsets (test/unit/Compat/FastYamlTest.cpp compares them on every
// model in the repository, and the model fuzz target on every input).
//
// Nodes offer the part of YAML::Node's interface the model loader uses, so
// one loader walks either tree.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_COMPAT_FASTYAML_H
#define RELC_COMPAT_FASTYAML_H

#include "llvm/ADT/StringRef.h"

#include "yaml-cpp/mark.h"
#include "yaml-cpp/node/type.h"

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace relc::compat::fastyaml {

struct NodeData {
  YAML::NodeType::value type = YAML::NodeType::Undefined;
  bool plain = true; ///< A scalar written without quotes or `>`/`|`.
  size_t pos = 0;    ///< Byte offset, as YAML::Mark::pos.
  std::string scalar;
  /// A sequence's items; a mapping's keys and values, alternating.
  std::vector<const NodeData *> children;
};

class Item;

/// A handle on a node, with YAML::Node's accessors.
class Node {
public:
  Node() = default;
  explicit Node(const NodeData *data) : data(data) {}

  YAML::NodeType::value Type() const {
    return data ? data->type : YAML::NodeType::Undefined;
  }
  bool IsNull() const { return Type() == YAML::NodeType::Null; }
  bool IsScalar() const { return Type() == YAML::NodeType::Scalar; }
  bool IsSequence() const { return Type() == YAML::NodeType::Sequence; }
  bool IsMap() const { return Type() == YAML::NodeType::Map; }
  const std::string &Scalar() const;
  /// "!" for a quoted or block scalar, "?" otherwise, as yaml-cpp says.
  const std::string &Tag() const;
  YAML::Mark Mark() const;
  /// Items of a sequence, pairs of a mapping.
  size_t size() const;

  class iterator;
  iterator begin() const;
  iterator end() const;

  const NodeData *get() const { return data; }

private:
  const NodeData *data = nullptr;
};

/// What iterating yields: an item of a sequence, or the pair of a mapping as
/// `first` and `second` (yaml-cpp's iterator_value does the same).
class Item : public Node, public std::pair<Node, Node> {
public:
  Item(Node item, Node key, Node value)
      : Node(item), std::pair<Node, Node>(key, value) {}
};

class Node::iterator {
public:
  iterator(const NodeData *parent, size_t index)
      : parent(parent), index(index) {}
  Item operator*() const;
  iterator &operator++() {
    index += parent->type == YAML::NodeType::Map ? 2 : 1;
    return *this;
  }
  bool operator!=(const iterator &o) const { return index != o.index; }

private:
  const NodeData *parent;
  size_t index;
};

/// The nodes of one document; they live as long as it does.
class Document {
public:
  Node root() const { return Node(rootNode); }

private:
  friend class Reader;
  std::deque<NodeData> nodes;
  const NodeData *rootNode = nullptr;
};

/// The tree of \p text if it is a block mapping written in the subset this
/// reader understands (see the file comment), else nullptr: then yaml-cpp
/// must read it.
std::unique_ptr<Document> parse(llvm::StringRef text);

/// The tree under \p n as text: kind, tag, offset and scalar of every
/// node, so that tests and the model fuzz target can compare this reader's
/// tree with yaml-cpp's (\p N is either node type).
template <class N> void dumpTree(const N &n, std::string &out) {
  out += std::to_string(static_cast<int>(n.Type())) + " " + n.Tag() + " @" +
         std::to_string(n.Mark().pos);
  if (n.IsScalar())
    out += " '" + n.Scalar() + "'";
  out += "\n";
  if (n.IsMap() || n.IsSequence()) {
    out += "(\n";
    for (const auto &item : n) {
      if (n.IsMap()) {
        dumpTree(item.first, out);
        dumpTree(item.second, out);
      } else {
        dumpTree(static_cast<const N &>(item), out);
      }
    }
    out += ")\n";
  }
}

} // namespace relc::compat::fastyaml

#endif // RELC_COMPAT_FASTYAML_H
