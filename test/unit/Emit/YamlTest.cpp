//===- YamlTest.cpp - The YAML writer cannot be broken out of -------------===//
//
// Whatever text a plan, a model, a lock file or a path brings, the YAML
// relc writes must read back as exactly the tree relc built: same keys, same
// values, nothing added. These tests write trees of hostile and random
// strings (line breaks of YAML 1.1 and 1.2, controls, quotes, indicators,
// invisible characters, long keys) as values, keys and comments, then read
// the text back with yaml-cpp (YAML 1.2) here and with PyYAML (YAML 1.1,
// `yaml.safe_load`, what actionlint's and most tools' readers follow) in a
// child process, and compare with the tree as JSON.
//
//===----------------------------------------------------------------------===//

#include "Emit/Yaml.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <yaml-cpp/yaml.h>

#include <random>
#include <set>

using namespace relc;
using yaml::Node;

namespace {

/// Strings that broke, or could break, a YAML writer.
const char *const hostile[] = {
    "",
    " ",
    "plain",
    "\n      - uses: evil/action@main",
    "a\nb",
    "a\r\nb",
    "a\rb",
    "trailing\n",
    "\n\nleading",
    "a\xc2\x85"
    "b", // U+0085 NEL
    "a\xe2\x80\xa8"
    "b", // U+2028 LINE SEPARATOR
    "a\xe2\x80\xa9"
    "b", // U+2029 PARAGRAPH SEPARATOR
    "\xef\xbb\xbf"
    "bom", // U+FEFF
    "rlo\xe2\x80\xae"
    "txt", // U+202E RIGHT-TO-LEFT OVERRIDE
    "nbsp\xc2\xa0"
    "x", // U+00A0
    "c1\xc2\x9b"
    "x", // U+009B CSI
    "\x01\x02\x1b[31m\x7f",
    "tab\there",
    "\"quoted\"",
    "'single'",
    "back\\slash\\n",
    "# comment",
    "a # b",
    "key: value",
    "- item",
    "? key",
    "[a, b]",
    "{a: b}",
    "&anchor",
    "*alias",
    "!!python/object:os.system",
    "!tag",
    "|",
    ">",
    "%YAML 1.1",
    "---",
    "...",
    "@at",
    "`tick",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "~",
    "null",
    "true",
    "3.10",
    "1e3",
    "0x1F",
    "0o17",
    "2024-06-10",
    "12:30:00",
    ".inf",
    "-.NaN",
    "${{ github.event.issue.title }}",
    "$[[ inputs.x ]]",
    "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80",
    "\xf3\xa0\x80\x81"
    "tag", // U+E0001 LANGUAGE TAG
};

/// A character from a pool that favours what YAML treats specially.
llvm::UTF32 randomCodePoint(std::mt19937 &rng) {
  static const llvm::UTF32 pool[] = {
      '\n', '\r',   '\t',   0,      1,      0x1b,   0x7f,   0x85, 0x9f,
      0xa0, 0x2028, 0x2029, 0xfeff, 0x202e, 0x200b, 0xfffe, '"',  '\'',
      '\\', '#',    ':',    '-',    '?',    '[',    ']',    '{',  '}',
      ',',  '&',    '*',    '!',    '|',    '>',    '%',    '@',  '`',
      '$',  ' ',    '.',    '/',    0xe9,   0x4e2d, 0x1f600};
  std::uniform_int_distribution<int> pick(0, 2);
  if (pick(rng) == 0) {
    std::uniform_int_distribution<int> letter('a', 'z');
    return llvm::UTF32(letter(rng));
  }
  std::uniform_int_distribution<size_t> at(0, std::size(pool) - 1);
  return pool[at(rng)];
}

std::string randomString(std::mt19937 &rng, size_t maxLength) {
  std::uniform_int_distribution<size_t> length(0, maxLength);
  std::string s;
  for (size_t n = length(rng); n > 0; --n) {
    char buf[4];
    char *p = buf;
    llvm::ConvertCodePointToUTF8(randomCodePoint(rng), p);
    s.append(buf, p);
  }
  return s;
}

/// The tree relc wrote, as the JSON both readers must give back.
llvm::json::Value toJson(const Node &n) {
  switch (n.kind) {
  case Node::Kind::Scalar:
    if (n.origin == Node::Origin::Raw) {
      if (n.text == "true" || n.text == "false")
        return n.text == "true";
      return std::stoll(n.text);
    }
    return n.text;
  case Node::Kind::Seq: {
    llvm::json::Array a;
    for (const Node &x : n.seq)
      a.push_back(toJson(x));
    return a;
  }
  case Node::Kind::Map: {
    llvm::json::Object o;
    for (const auto &[k, v] : n.map)
      o[k] = toJson(v);
    return o;
  }
  }
  return nullptr;
}

/// What yaml-cpp reads, as JSON of strings (it has no implicit types
/// without a schema; relc's numbers and booleans come back as their text).
llvm::json::Value fromYamlCpp(const YAML::Node &n) {
  if (n.IsSequence()) {
    llvm::json::Array a;
    for (const YAML::Node &x : n)
      a.push_back(fromYamlCpp(x));
    return a;
  }
  if (n.IsMap()) {
    llvm::json::Object o;
    for (const auto &kv : n)
      o[kv.first.as<std::string>()] = fromYamlCpp(kv.second);
    return o;
  }
  if (n.IsNull())
    return nullptr;
  return n.as<std::string>();
}

/// toJson with numbers and booleans as text, as yaml-cpp gives them.
llvm::json::Value asText(const Node &n) {
  if (n.isScalar())
    return n.text;
  if (n.kind == Node::Kind::Seq) {
    llvm::json::Array a;
    for (const Node &x : n.seq)
      a.push_back(asText(x));
    return a;
  }
  llvm::json::Object o;
  for (const auto &[k, v] : n.map)
    o[k] = asText(v);
  return o;
}

std::string written(const Node &root) {
  std::string text;
  llvm::raw_string_ostream os(text);
  yaml::write(root, os);
  return os.str();
}

/// Reads \p text with PyYAML's safe_load and compares it with \p expected;
/// the empty string if they are equal, else what the child said.
std::string pyyamlMismatch(const std::string &text,
                           const llvm::json::Value &expected) {
  llvm::SmallString<128> yamlPath, jsonPath, outPath;
  EXPECT_FALSE(
      llvm::sys::fs::createTemporaryFile("relc-yaml", "yml", yamlPath));
  EXPECT_FALSE(
      llvm::sys::fs::createTemporaryFile("relc-yaml", "json", jsonPath));
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("relc-yaml", "out", outPath));
  {
    std::error_code ec;
    llvm::raw_fd_ostream y(yamlPath, ec);
    y << text;
    llvm::raw_fd_ostream j(jsonPath, ec);
    j << expected;
  }
  // Compared in Python, so that a difference is reported by the reader
  // that found it.
  const char *script =
      "import json, sys, yaml\n"
      "with open(sys.argv[1], 'rb') as f: got = yaml.safe_load(f)\n"
      // YAML 1.1 reads the plain key `on` as true; relc writes it so on
      // purpose, at the top level only, as every workflow does.
      "got = {('on' if k is True else k): v for k, v in got.items()}\n"
      "with open(sys.argv[2], encoding='utf-8') as f: want = json.load(f)\n"
      "if got != want:\n"
      "    print('read back:', ascii(got)); print('written:  ', ascii(want))\n"
      "    sys.exit(1)\n";
  std::string python = "/usr/bin/python3";
  llvm::StringRef args[] = {python, "-c", script, yamlPath, jsonPath};
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::None, outPath.str(),
                                                 outPath.str()};
  std::string err;
  int rc = llvm::sys::ExecuteAndWait(python, llvm::makeArrayRef(args),
                                     llvm::None, redirects, 60, 0, &err);
  std::string out;
  if (auto b = llvm::MemoryBuffer::getFile(outPath))
    out = (*b)->getBuffer().str();
  llvm::sys::fs::remove(yamlPath);
  llvm::sys::fs::remove(jsonPath);
  llvm::sys::fs::remove(outPath);
  if (rc == 0)
    return "";
  return "python3 (python3-yaml) exited " + std::to_string(rc) + " " + err +
         ":\n" + out;
}

/// Every byte of \p text is printable or a line feed: no other line break,
/// control or invisible character, raw, anywhere (comments included).
std::string rawUnsafeCharacter(const std::string &text) {
  auto *p = reinterpret_cast<const llvm::UTF8 *>(text.data());
  auto *end = p + text.size();
  while (p < end) {
    llvm::UTF32 c;
    const llvm::UTF8 *start = p;
    if (*p < 0x80) {
      c = *p++;
    } else if (llvm::convertUTF8Sequence(&p, end, &c, llvm::strictConversion) !=
               llvm::conversionOK) {
      return "a byte that is not UTF-8 at offset " +
             std::to_string(start -
                            reinterpret_cast<const llvm::UTF8 *>(text.data()));
    }
    bool bad = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0xa0) ||
               c == 0x2028 || c == 0x2029 || c == 0xfeff || c == 0x202e;
    if (bad)
      return "U+" + llvm::utohexstr(c) + " raw at offset " +
             std::to_string(start -
                            reinterpret_cast<const llvm::UTF8 *>(text.data()));
  }
  return "";
}

/// A document with \p strings as values, keys, comments and notes, in
/// maps, sequences and maps inside sequences, next to relc's own words,
/// numbers and booleans.
Node documentOf(const std::vector<std::string> &strings) {
  Node root;
  root.set("name", Node::word("relc"));
  root.set("on", Node::mapping())["workflow_dispatch"] = Node::mapping();
  root.set("values", Node::sequence());
  root.set("keys", Node::mapping());
  root.set("steps", Node::sequence());
  // References only now: adding a key may move the others.
  Node &values = *root.find("values");
  Node &byKey = *root.find("keys");
  Node &steps = *root.find("steps");
  std::set<std::string> seen;
  for (size_t i = 0; i < strings.size(); ++i) {
    const std::string &s = strings[i];
    values.push(Node::str(s, /*comment=*/s));
    Node expression = Node::expression(s);
    expression.notes.push_back(s);
    values.push(std::move(expression));
    if (seen.insert(s).second)
      byKey.set(s, Node::str(s));
    Node step;
    step.set(s.empty() ? "empty" : s, Node::str(s));
    step.set("n", Node::number(static_cast<long long>(i)));
    step.set("flag", Node::boolean(i % 2));
    Node inner = Node::sequence();
    inner.push(Node::str(s));
    inner.comment = s;
    step.set("list", std::move(inner));
    step.map.front().second.notes.push_back(s);
    steps.push(std::move(step));
  }
  root.set("empty-map", Node::mapping());
  root.set("empty-list", Node::sequence());
  return root;
}

/// The start of \p text, for failure messages.
std::string excerpt(const std::string &text) {
  return text.size() <= 4000 ? text : text.substr(0, 4000) + "\n[...]";
}

void expectRoundTrip(const std::vector<std::string> &strings) {
  Node root = documentOf(strings);
  std::string text = written(root);
  EXPECT_EQ(rawUnsafeCharacter(text), "") << excerpt(text);

  // yaml-cpp: YAML 1.2.
  llvm::json::Value want = asText(root);
  try {
    YAML::Node read = YAML::Load(text);
    EXPECT_TRUE(fromYamlCpp(read) == want) << excerpt(text);
  } catch (const YAML::Exception &e) {
    ADD_FAILURE() << "yaml-cpp cannot read what relc wrote: " << e.what()
                  << "\n"
                  << excerpt(text);
  }

  // PyYAML: YAML 1.1.
  std::string mismatch = pyyamlMismatch(text, toJson(root));
  EXPECT_EQ(mismatch, "") << excerpt(text);
}

} // namespace

TEST(YamlWriter, HostileStringsReadBackUnchanged) {
  std::vector<std::string> strings;
  for (const char *s : hostile)
    strings.push_back(s);
  strings.push_back(std::string("nul\0x", 5));
  expectRoundTrip(strings);
}

TEST(YamlWriter, RandomStringsReadBackUnchanged) {
  std::mt19937 rng(20240610);
  for (int round = 0; round < 8; ++round) {
    std::vector<std::string> strings;
    for (int i = 0; i < 60; ++i)
      strings.push_back(randomString(rng, 24));
    SCOPED_TRACE("round " + std::to_string(round));
    expectRoundTrip(strings);
  }
}

TEST(YamlWriter, LongKeysAreExplicit) {
  std::vector<std::string> strings{std::string(1500, 'k'),
                                   std::string(600, '\n') + "x",
                                   std::string(2000, '"')};
  std::string text = written(documentOf(strings));
  EXPECT_NE(text.find("? \"kkkk"), std::string::npos);
  expectRoundTrip(strings);
}

TEST(YamlWriter, DataIsAlwaysQuotedWordsArePlainWhenSafe) {
  Node root;
  root.set("data", Node::str("ubuntu-latest"));
  root.set("word", Node::word("ubuntu-latest"));
  root.set("unsafe-word", Node::word("3.10"));
  root.set("yes", Node::word("yes"));
  root.set("version", Node::str("actions/checkout@abc", "v4\n- run: evil"));
  EXPECT_EQ(written(root), "data: \"ubuntu-latest\"\n"
                           "word: ubuntu-latest\n"
                           "unsafe-word: \"3.10\"\n"
                           "\"yes\": \"yes\"\n"
                           "version: \"actions/checkout@abc\" # v4\\n- run: "
                           "evil\n");
}

TEST(YamlWriter, EscapesEveryLineBreakAndControl) {
  EXPECT_EQ(yaml::escapeQuoted("a\nb\rc\td\"e\\f"), "a\\nb\\rc\\td\\\"e\\\\f");
  EXPECT_EQ(yaml::escapeQuoted("\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf"),
            "\\x85\\u2028\\u2029\\uFEFF");
  EXPECT_EQ(yaml::escapeQuoted(std::string("\0\x1b\x7f", 3)),
            "\\x00\\x1B\\x7F");
  EXPECT_EQ(yaml::escapeQuoted("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(yaml::escapeQuoted("bad\xff"), "bad\\uFFFD");
  EXPECT_EQ(yaml::escapeComment("path\n/x\xc2\x85y\xff"),
            "path\\n/x\\x85y\\xFF");
}

TEST(YamlWriter, ScriptsAreLiteralBlocksOnlyWhenSafe) {
  Node root;
  root.set("run", Node::word("relc run \"$RELC_PLAN\" --execute\n"));
  root.set("data", Node::str("line one\nline two\n"));
  root.set("indented", Node::expression(" one\ntwo\n"));
  root.set("nel", Node::expression("one\xc2\x85two\n"));
  EXPECT_EQ(written(root), "run: |\n"
                           "  relc run \"$RELC_PLAN\" --execute\n"
                           "data: \"line one\\nline two\\n\"\n"
                           "indented: \" one\\ntwo\\n\"\n"
                           "nel: \"one\\x85two\\n\"\n");
}
