//===- DiagnosticFormatsTest.cpp - Diagnostics for programs ---------------===//
//
// The engine run in memory on a small buffer: what each format says about
// a range, a note, a diagnostic with no position, text that needs escaping,
// and the error limit. The lit tests in test/lit/Diagnostics run the same
// formats through the commands.
//
//===----------------------------------------------------------------------===//

#include "Basic/Diagnostics.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

std::string str(const llvm::json::Object &o, llvm::StringRef key) {
  llvm::Optional<llvm::StringRef> s = o.getString(key);
  return s ? s->str() : "<no " + key.str() + ">";
}

int64_t num(const llvm::json::Object &o, llvm::StringRef key) {
  llvm::Optional<int64_t> n = o.getInteger(key);
  return n ? *n : -1;
}

class DiagnosticFormatsTest : public ::testing::Test {
protected:
  // "é" is two bytes: byte columns and code-point columns differ after it.
  DiagnosticFormatsTest() {
    sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy("release demo 1.0.0 {\n"
                                             "  final_rc \"é\" final_rc;\n"
                                             "}\n",
                                             "dir/plan.relplan"),
        llvm::SMLoc());
  }

  llvm::SMLoc at(size_t offset) {
    return llvm::SMLoc::getFromPointer(sm.getMemoryBuffer(1)->getBufferStart() +
                                       offset);
  }
  llvm::SMRange range(size_t from, size_t to) { return {at(from), at(to)}; }

  /// Reports the second `final_rc` (bytes 16..24 of line 2) with a note at
  /// the first, as a duplicate definition.
  std::string run(DiagFormat format) {
    std::string s;
    llvm::raw_string_ostream os(s);
    {
      DiagnosticEngine diags(sm, os, format);
      diags.report(DiagKind::DuplicateDefinition, range(37, 45),
                   "milestone 'final_rc' is defined twice");
      diags.note(at(23), "first defined here");
    }
    return os.str();
  }

  llvm::SourceMgr sm;
};

TEST_F(DiagnosticFormatsTest, TextIsUnchanged) {
  EXPECT_EQ(run(DiagFormat::Text),
            "dir/plan.relplan:2:17: error: milestone 'final_rc' is defined "
            "twice [duplicate-definition]\n"
            "  final_rc \"é\" final_rc;\n"
            "               ^~~~~~~~\n"
            "dir/plan.relplan:2:3: note: first defined here\n"
            "  final_rc \"é\" final_rc;\n"
            "  ^\n");
}

TEST_F(DiagnosticFormatsTest, JsonLine) {
  std::string out = run(DiagFormat::Json);
  ASSERT_EQ(llvm::StringRef(out).count('\n'), 1u) << out;
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(out);
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  const llvm::json::Object &o = *v->getAsObject();
  EXPECT_EQ(str(o, "kind"), "duplicate-definition");
  EXPECT_EQ(str(o, "severity"), "error");
  EXPECT_EQ(str(o, "message"), "milestone 'final_rc' is defined twice");
  EXPECT_EQ(str(o, "file"), "dir/plan.relplan");
  EXPECT_EQ(num(o, "line"), 2);
  EXPECT_EQ(num(o, "column"), 17); // Bytes, as in the text form.
  EXPECT_EQ(num(o, "endLine"), 2);
  EXPECT_EQ(num(o, "endColumn"), 25);
  const llvm::json::Array &notes = *o.getArray("notes");
  ASSERT_EQ(notes.size(), 1u);
  const llvm::json::Object &n = *notes[0].getAsObject();
  EXPECT_EQ(str(n, "file"), "dir/plan.relplan");
  EXPECT_EQ(num(n, "line"), 2);
  EXPECT_EQ(num(n, "column"), 3);
  EXPECT_EQ(str(n, "message"), "first defined here");
}

TEST_F(DiagnosticFormatsTest, JsonWithoutPosition) {
  std::string s;
  llvm::raw_string_ostream os(s);
  {
    DiagnosticEngine diags(sm, os, DiagFormat::Json);
    diags.report(DiagKind::FileNotFound, llvm::SMRange(), "no \"such\"\nfile");
    diags.setSubject("a.relplan");
    diags.report(DiagKind::EmptyMatrix, llvm::SMRange(), "warned");
  }
  llvm::SmallVector<llvm::StringRef, 2> lines;
  llvm::StringRef(os.str()).trim().split(lines, '\n');
  ASSERT_EQ(lines.size(), 2u) << os.str();
  llvm::Expected<llvm::json::Value> first = llvm::json::parse(lines[0]);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  EXPECT_EQ(str(*first->getAsObject(), "message"), "no \"such\"\nfile");
  EXPECT_FALSE(first->getAsObject()->get("file"));
  EXPECT_FALSE(first->getAsObject()->get("line"));
  llvm::Expected<llvm::json::Value> second = llvm::json::parse(lines[1]);
  ASSERT_TRUE(bool(second)) << llvm::toString(second.takeError());
  EXPECT_EQ(str(*second->getAsObject(), "severity"), "warning");
  EXPECT_EQ(str(*second->getAsObject(), "file"), "a.relplan");
  EXPECT_FALSE(second->getAsObject()->get("line"));
}

TEST_F(DiagnosticFormatsTest, JsonErrorLimit) {
  std::string s;
  llvm::raw_string_ostream os(s);
  {
    DiagnosticEngine diags(sm, os, DiagFormat::Json);
    diags.setErrorLimit(1);
    for (int i = 0; i < 3; ++i)
      diags.report(DiagKind::UnknownName, at(2), "unknown");
  }
  EXPECT_EQ(llvm::StringRef(os.str()).count("\"kind\":\"unknown-name\""), 1u);
  EXPECT_EQ(llvm::StringRef(os.str()).count("\"kind\":\"too-many-errors\""),
            1u);
}

TEST_F(DiagnosticFormatsTest, Github) {
  EXPECT_EQ(run(DiagFormat::Github),
            "::error file=dir/plan.relplan,line=2,col=17,endLine=2,"
            "endColumn=25,title=duplicate-definition::milestone 'final_rc' "
            "is defined twice\n"
            "::notice file=dir/plan.relplan,line=2,col=3,endLine=2,"
            "endColumn=4,title=duplicate-definition::first defined here\n");
}

TEST_F(DiagnosticFormatsTest, GithubEscapes) {
  std::string s;
  llvm::raw_string_ostream os(s);
  {
    DiagnosticEngine diags(sm, os, DiagFormat::Github);
    diags.setSubject("odd,name:100%.relplan");
    diags.report(DiagKind::InternalError, llvm::SMRange(),
                 "100% wrong: a, b\r\nnext line");
    // A range over two lines has no columns.
    diags.report(DiagKind::EmptyMatrix, range(2, 25), "two lines");
  }
  EXPECT_EQ(os.str(),
            "::error file=odd%2Cname%3A100%25.relplan,title=internal-error::"
            "100%25 wrong: a, b%0D%0Anext line\n"
            "::warning file=dir/plan.relplan,line=1,endLine=2,"
            "title=empty-matrix::two lines\n");
}

TEST_F(DiagnosticFormatsTest, Sarif) {
  std::string out = run(DiagFormat::Sarif);
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(out);
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  const llvm::json::Object &log = *v->getAsObject();
  EXPECT_EQ(str(log, "version"), "2.1.0");
  const llvm::json::Object &first = *(*log.getArray("runs"))[0].getAsObject();
  EXPECT_EQ(str(first, "columnKind"), "unicodeCodePoints");
  const llvm::json::Object &driver =
      *first.getObject("tool")->getObject("driver");
  EXPECT_EQ(str(driver, "name"), "relc");
  const llvm::json::Array &rules = *driver.getArray("rules");
  ASSERT_EQ(rules.size(), 1u);
  const llvm::json::Object &rule = *rules[0].getAsObject();
  EXPECT_EQ(str(rule, "id"), "duplicate-definition");
  EXPECT_EQ(str(*rule.getObject("shortDescription"), "text"),
            "two definitions of one name");
  EXPECT_TRUE(rule.getObject("fullDescription")); // From the docs.
  EXPECT_TRUE(rule.getObject("help"));

  const llvm::json::Array &results = *first.getArray("results");
  ASSERT_EQ(results.size(), 1u);
  const llvm::json::Object &r = *results[0].getAsObject();
  EXPECT_EQ(str(r, "ruleId"), "duplicate-definition");
  EXPECT_EQ(num(r, "ruleIndex"), 0);
  EXPECT_EQ(str(r, "level"), "error");
  const llvm::json::Object &loc =
      *(*r.getArray("locations"))[0].getAsObject()->getObject(
          "physicalLocation");
  EXPECT_EQ(str(*loc.getObject("artifactLocation"), "uri"), "dir/plan.relplan");
  const llvm::json::Object &region = *loc.getObject("region");
  EXPECT_EQ(num(region, "startLine"), 2);
  EXPECT_EQ(num(region, "startColumn"), 16); // "é" is one code point.
  EXPECT_EQ(num(region, "endLine"), 2);
  EXPECT_EQ(num(region, "endColumn"), 24);
  const llvm::json::Object &related =
      *(*r.getArray("relatedLocations"))[0].getAsObject();
  EXPECT_EQ(str(*related.getObject("message"), "text"), "first defined here");
  EXPECT_EQ(num(*related.getObject("physicalLocation")->getObject("region"),
                "startColumn"),
            3);
}

TEST_F(DiagnosticFormatsTest, SarifWithoutPosition) {
  std::string s;
  llvm::raw_string_ostream os(s);
  {
    DiagnosticEngine diags(sm, os, DiagFormat::Sarif);
    diags.report(DiagKind::FileWriteFailed, llvm::SMRange(), "nowhere");
    diags.setSubject("/abs/my plan.relplan");
    diags.report(DiagKind::EmitStale, llvm::SMRange(), "stale");
  }
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(os.str());
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  const llvm::json::Array &results =
      *(*v->getAsObject()->getArray("runs"))[0].getAsObject()->getArray(
          "results");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0].getAsObject()->get("locations"));
  const llvm::json::Object &loc =
      *(*results[1].getAsObject()->getArray("locations"))[0]
           .getAsObject()
           ->getObject("physicalLocation");
  EXPECT_EQ(str(*loc.getObject("artifactLocation"), "uri"),
            "file:///abs/my%20plan.relplan");
  EXPECT_EQ(num(*loc.getObject("region"), "startLine"), 1);
  EXPECT_FALSE(loc.getObject("region")->get("startColumn"));
}

// GitHub code scanning refuses a whole log if one result has no location;
// the line saying where the error limit cut is placed at the file too.
TEST_F(DiagnosticFormatsTest, SarifErrorLimit) {
  std::string s;
  llvm::raw_string_ostream os(s);
  {
    DiagnosticEngine diags(sm, os, DiagFormat::Sarif);
    diags.setErrorLimit(1);
    diags.setSubject("dir/plan.relplan");
    for (int i = 0; i < 3; ++i)
      diags.report(DiagKind::UnknownName, at(2), "unknown");
  }
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(os.str());
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  const llvm::json::Array &results =
      *(*v->getAsObject()->getArray("runs"))[0].getAsObject()->getArray(
          "results");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(str(*results[1].getAsObject(), "ruleId"), "too-many-errors");
  EXPECT_TRUE(results[1].getAsObject()->getArray("locations"));
}

TEST_F(DiagnosticFormatsTest, SarifWhenClean) {
  std::string s;
  llvm::raw_string_ostream os(s);
  { DiagnosticEngine diags(sm, os, DiagFormat::Sarif); }
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(os.str());
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  const llvm::json::Object &first =
      *(*v->getAsObject()->getArray("runs"))[0].getAsObject();
  EXPECT_TRUE(first.getArray("results")->empty());
}

} // namespace
