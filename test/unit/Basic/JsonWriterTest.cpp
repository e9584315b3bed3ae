//===- JsonWriterTest.cpp - JsonWriter writes what llvm::json writes ------===//
//
// Each document is written twice, through JsonWriter and through
// llvm::json::OStream, and the texts must be equal: escapes, UTF-8, empty
// containers, nesting, a top-level array, pretty and compact.
//
//===----------------------------------------------------------------------===//

#include "Basic/JsonWriter.h"

#include "llvm/Support/JSON.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

const char *const strings[] = {"",
                               "plain",
                               "quote \" and backslash \\",
                               "tab\tnewline\nreturn\r",
                               "bell\a and \x01\x1f end",
                               "delete \x7f stays",
                               "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80",
                               "{rc}/linux-x86_64"};

/// Writes one document through \p W (JsonWriter or json::OStream).
template <typename W> std::string document(unsigned indent) {
  std::string out;
  llvm::raw_string_ostream os(out);
  W j(os, indent);
  j.object([&] {
    j.attribute("project", "pytorch");
    j.attribute("legCount", int64_t(3));
    j.attribute("version", 1);
    j.attribute("experimental", true);
    j.attribute("once", false);
    j.attributeArray("empty", [] {});
    j.attributeObject("none", [] {});
    j.attributeArray("strings", [&] {
      for (const char *s : strings)
        j.value(s);
    });
    j.attributeObject("keys", [&] {
      for (const char *s : strings)
        j.attribute(s, std::string(s));
    });
    j.attributeArray("nested", [&] {
      j.array([&] {
        j.object([&] { j.attribute("a", llvm::StringRef("b")); });
        j.object([] {});
        j.array([] {});
      });
      j.value(std::string("last"));
    });
  });
  return os.str();
}

template <typename W> std::string topLevelArray() {
  std::string out;
  llvm::raw_string_ostream os(out);
  W j(os, 2);
  j.array([&] {
    for (int i = 0; i < 3; ++i)
      j.object([&] { j.attribute("i", i); });
  });
  return os.str();
}

TEST(JsonWriterTest, PrettySameAsLLVM) {
  EXPECT_EQ(document<JsonWriter>(2), document<llvm::json::OStream>(2));
}

TEST(JsonWriterTest, CompactSameAsLLVM) {
  EXPECT_EQ(document<JsonWriter>(0), document<llvm::json::OStream>(0));
}

TEST(JsonWriterTest, TopLevelArraySameAsLLVM) {
  EXPECT_EQ(topLevelArray<JsonWriter>(), topLevelArray<llvm::json::OStream>());
}

// llvm::json asserts on invalid UTF-8 (in builds with assertions) and
// repairs it otherwise; JsonWriter repairs it the same way.
TEST(JsonWriterTest, RepairsInvalidUTF8) {
  const char bad[] = "bad \xc3 utf-8 \xff\xfe end";
  std::string mine, theirs;
  llvm::raw_string_ostream m(mine), t(theirs);
  JsonWriter(m, 2).value(bad);
  llvm::json::OStream(t, 2).value(llvm::json::fixUTF8(bad));
  EXPECT_EQ(m.str(), t.str());
  EXPECT_NE(mine.find("\xef\xbf\xbd"), std::string::npos); // U+FFFD
}

} // namespace
