//===- FastYamlTest.cpp - The fast model reader agrees with yaml-cpp ------===//
//
// lib/Compat/FastYaml reads the YAML subset models are written in and gives
// up on anything else, leaving the file to yaml-cpp. On every YAML file of
// the repository (the bundled models, the lit tests' models and their
// split-file parts: the model fuzz target's seeds), a file it accepts must
// give yaml-cpp's tree node for node, and loading the model either way must
// give the same model and the same diagnostics.
//
//===----------------------------------------------------------------------===//
#include "Compat/FastYaml.h"
#include "Basic/Diagnostics.h"
#include "Compat/Model.h"

#include "ModelDump.h"
#include "SourceInputs.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "yaml-cpp/yaml.h"
#include "gtest/gtest.h"

using namespace relc;
using namespace relc::compat;

namespace {

std::vector<test::Input> yamlInputs() {
  std::vector<test::Input> inputs;
  for (llvm::StringRef dir : {"plans", "test/lit"})
    for (test::Input &in : test::sourceInputs(dir, {".yaml", ".yml"}))
      inputs.push_back(std::move(in));
  return inputs;
}

/// yaml-cpp's tree of \p text, or "" if it refuses the text.
std::string yamlCppTree(const std::string &text) {
  try {
    std::string out;
    fastyaml::dumpTree(YAML::Load(text), out);
    return out;
  } catch (const YAML::Exception &) {
    return "";
  }
}

/// The model and the diagnostics of loading \p text with \p reader.
std::string load(const std::string &text, ModelReader reader) {
  auto fs = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  fs->addFile("/m/model.yaml", 0, llvm::MemoryBuffer::getMemBufferCopy(text));
  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os(out);
  Model model;
  {
    DiagnosticEngine diags(sm, os);
    diags.setFileSystem(*fs);
    bool ok = loadModelFile(diags, "/m/model.yaml", {}, model, reader);
    os << "loaded: " << ok << "\n";
  }
  return os.str() + test::dumpModel(model, sm);
}

TEST(FastYamlTest, SameTreeAsYamlCppWhereverItReads) {
  std::vector<test::Input> inputs = yamlInputs();
  ASSERT_GE(inputs.size(), 50u);
  size_t accepted = 0;
  for (const test::Input &in : inputs) {
    std::unique_ptr<fastyaml::Document> doc = fastyaml::parse(in.text);
    if (!doc)
      continue;
    ++accepted;
    std::string fast;
    fastyaml::dumpTree(doc->root(), fast);
    EXPECT_EQ(fast, yamlCppTree(in.text)) << in.name;
  }
  // Most inputs are ordinary models; the rest test yaml-cpp's errors.
  EXPECT_GE(accepted, inputs.size() / 2);
}

TEST(FastYamlTest, ReadsTheBundledModels) {
  std::vector<test::Input> inputs =
      test::sourceInputs("plans/compat", {".yaml"});
  ASSERT_GE(inputs.size(), 2u);
  for (const test::Input &in : inputs)
    EXPECT_TRUE(fastyaml::parse(in.text)) << in.name;
}

TEST(FastYamlTest, SameModelAndDiagnosticsEitherWay) {
  for (const test::Input &in : yamlInputs())
    EXPECT_EQ(load(in.text, ModelReader::Fast),
              load(in.text, ModelReader::YamlCpp))
        << in.name;
}

/// Texts the reader must leave to yaml-cpp: each is outside the subset, and
/// most are YAML whose meaning a careless reader would get wrong.
TEST(FastYamlTest, GivesUpOutsideTheSubset) {
  const char *texts[] = {
      "a: &x 1\nb: *x\n",   // anchors and aliases
      "a: !!str 1\n",       // tags
      "a: b\n  c\n",        // a plain scalar on two lines
      "a:\n",               // an empty value
      "a: ~\n",             // null
      "a: \"x\\ty\"\n",     // escapes
      "---\na: 1\n",        // document markers
      "a: 1\n...\n",        //
      "a:\t1\n",            // tabs
      "a: >+\n  x\n\n",     // kept line breaks
      "a: >\n  x\n\n  y\n", // a blank line inside a folded scalar
      "a: >\n  x\n    y\n", // a more indented line
      "a: [1, 2,]\n",       // a trailing comma
      "a: {b}\n",           // a flow key without value
      "? a\n: 1\n",         // a complex key
      "- a\n",              // not a mapping at the top
      "\"a\": 1\n",         // a quoted key
      "a: caf\xc3\xa9\n",   // text outside ASCII
      "a: 1\n b: 2\n",      // bad indentation
      "a: [1,\n2]\n",       // a flow line not indented past its key
      "a: >\n  x",          // no final line break in a block scalar
      "a: [{b: c?0}]\n",    // an indicator inside a flow scalar (fuzzed)
      "a: [b&c, d]\n",      //
  };
  for (const char *t : texts)
    EXPECT_FALSE(fastyaml::parse(t)) << t;
}

/// The constructs models use, each compared with yaml-cpp.
TEST(FastYamlTest, ReadsTheSubsetAsYamlCppDoes) {
  const char *texts[] = {
      "a: 1\nb: two words # comment\n# c\nc: 'it''s'\nd: \"q\"\n",
      "a:\n  - x\n  - y: 1\n    z: [1, \"2\", {k: v}]\n  -\n    w: 3\n",
      "a:\n- x\n- y\nb: 2\n",
      "a: >-\n  one\n  two\nb: |\n  three\n  four\n\nc: >\n  five\n",
      "a: {x: 1, y: [ ]}\nb: { }\nc: [\"gfx900\", \"gfx906\",\n    "
      "\"gfx908\"]\n",
      "  a: 1\n  b:\n      c: 2\n",
      "a: http://example.com/x#y\nb: x:y\n",
  };
  for (const char *t : texts) {
    std::unique_ptr<fastyaml::Document> doc = fastyaml::parse(t);
    ASSERT_TRUE(doc) << t;
    std::string fast;
    fastyaml::dumpTree(doc->root(), fast);
    EXPECT_EQ(fast, yamlCppTree(t)) << t;
  }
}

} // namespace
