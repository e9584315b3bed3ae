//===- DriverTest.cpp - Whole relc command lines, in memory ---------------===//
//
// Each test runs runDriver as tools/relc/main.cpp does, but on an in-memory
// file system holding a small project (a compatibility model, a project and
// its releases, after plans/tinylib and plans/compat/python.yaml) and with
// strings for streams; nothing is on disk under /src. Several runs in one
// process must behave as separate processes would.
//
//===----------------------------------------------------------------------===//
#include "Driver/Driver.h"

#include "Basic/Config.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <sstream>

using namespace relc;

namespace {

const char model[] = R"(# A small model after plans/compat/python.yaml.
format: 1
name: python
axes:
  python:
    kind: version
    title: Python
    values:
      - version: "3.12"
        status: bugfix
        released: 2023-10-02
        end_of_life: 2028-10-01
        properties: {pep: 693}
      - version: "3.13"
        status: bugfix
        released: 2024-10-07
        end_of_life: 2029-10-01
        properties: {pep: 719}
  os:
    kind: name
    values:
      - name: linux
        properties: {wheel_tag: manylinux}
      - name: macos
        properties: {wheel_tag: macosx}
)";

/// The model without Python 3.12, which the release builds for.
std::string modelWithout312() {
  std::string text = model;
  size_t from = text.find("      - version: \"3.12\"");
  size_t to = text.find("      - version: \"3.13\"");
  return text.erase(from, to - from);
}

const char project[] = R"(project tinylib {
  compat "../compat/python.yaml";
  channels test > release;
}
)";

const char release[] = R"(import "project.relplan";

release tinylib 1.0.0 {
  schedule { branch_cut 2025-01-06; release 2025-01-20; }
  matrix wheels {
    python 3.12 .. 3.13;
    os linux, macos;
    exclude python == 3.12 where os is macos;
  }
}
)";

const char badRelease[] = R"(import "project.relplan";

release tinylib 1.0.0 {
  schedule { branch_cut 2025-01-06; release 2025-01-01; }
}
)";

struct Result {
  int code = -1;
  std::string out, err;
  bool operator==(const Result &o) const {
    return code == o.code && out == o.out && err == o.err;
  }
  friend void PrintTo(const Result &r, std::ostream *os) {
    *os << "exit " << r.code << ", out \"" << r.out << "\", err \"" << r.err
        << "\"";
  }
};

class DriverTest : public ::testing::Test {
protected:
  DriverTest() {
    fs->setCurrentWorkingDirectory("/src");
    add("compat/python.yaml", model);
    add("tinylib/project.relplan", project);
    add("tinylib/1.0.relplan", release);
    add("tinylib/bad.relplan", badRelease);
  }

  void add(llvm::StringRef path, llvm::StringRef text) {
    ASSERT_TRUE(
        fs->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(text, path)));
  }

  /// Runs `relc ARGS...` with \p input as standard input.
  Result run(std::vector<const char *> args, const std::string &input = "") {
    args.insert(args.begin(), "relc");
    std::istringstream in(input);
    Result r;
    llvm::raw_string_ostream out(r.out), err(r.err);
    r.code = runDriver(args, fs, in, out, err);
    out.flush();
    err.flush();
    return r;
  }

  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> fs =
      llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
};

TEST_F(DriverTest, CheckOfACleanPlanSaysNothing) {
  Result r = run({"check", "tinylib/1.0.relplan"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST_F(DriverTest, CheckReportsAnErrorAtItsLineAndColumnWithItsKind) {
  Result r = run({"check", "tinylib/bad.relplan"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "tinylib/bad.relplan:4:37: error: 'release' (2025-01-01) must "
            "come after 'branch_cut' (2025-01-06) [schedule-order]\n"
            "  schedule { branch_cut 2025-01-06; release 2025-01-01; }\n"
            "                                    ^~~~~~~~~~~~~~~~~~~\n"
            "tinylib/bad.relplan:4:14: note: 'branch_cut' is set here\n"
            "  schedule { branch_cut 2025-01-06; release 2025-01-01; }\n"
            "             ^\n");
}

TEST_F(DriverTest, FilesThatAreNotThereOrNotFilesAreIoErrors) {
  Result r = run({"check", "tinylib/none.relplan", "tinylib"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "relc: error: cannot open 'tinylib/none.relplan': No such "
                   "file or directory [file-not-found]\n"
                   "relc: error: 'tinylib' is a directory, not a plan file "
                   "[file-unreadable]\n");
}

TEST_F(DriverTest, AModelIsCheckedOnItsOwn) {
  Result r = run({"check", "compat/python.yaml"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
}

TEST_F(DriverTest, TheModelIsReadFromTheFileSystemToo) {
  fs = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  fs->setCurrentWorkingDirectory("/src");
  add("compat/python.yaml", modelWithout312());
  add("tinylib/project.relplan", project);
  add("tinylib/1.0.relplan", release);
  Result r = run({"check", "tinylib/1.0.relplan"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "tinylib/1.0.relplan:6:12: error: unknown python '3.12'; did you "
            "mean '3.13'? [unknown-value]");
  EXPECT_NE(r.err.find("tinylib/../compat/python.yaml:5:3: note: the python "
                       "values the model lists"),
            std::string::npos)
      << r.err;
}

// A model named by name is looked for through the driver's file system too,
// in the directories of RELC_MODEL_PATH first.
TEST_F(DriverTest, AModelByNameIsFoundOnTheModelPath) {
  add("/models/python.yaml", modelWithout312());
  std::string byName = project;
  llvm::StringRef path = "\"../compat/python.yaml\"";
  byName.replace(byName.find(path.str()), path.size(), "\"python\"");
  add("named/project.relplan", byName);
  add("named/1.0.relplan", release);
  const char *saved = std::getenv("RELC_MODEL_PATH");
  std::string restore = saved ? saved : "";
  setenv("RELC_MODEL_PATH", "/nowhere:/models", 1);
  Result r = run({"check", "named/1.0.relplan"});
  setenv("RELC_MODEL_PATH", "/nowhere", 1);
  Result missing = run({"check", "named/1.0.relplan"});
  if (saved)
    setenv("RELC_MODEL_PATH", restore.c_str(), 1);
  else
    unsetenv("RELC_MODEL_PATH");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/models/python.yaml:5:3: note: the python values the "
                       "model lists"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no compatibility model named 'python'; looked "
                             "for python.yaml in '/nowhere' "
                             "(RELC_MODEL_PATH), '"),
            std::string::npos)
      << missing.err;
}

TEST_F(DriverTest, VersionPrintsToOutAndReturns) {
  Result r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "relc " RELC_VERSION "\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(DriverTest, HelpPrintsToOutAndReturns) {
  Result r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.rfind("OVERVIEW: relc: a declarative release-plan "
                        "compiler\n",
                        0),
            0u);
  EXPECT_NE(r.out.find("\nUSAGE: relc [subcommand] [options]\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("\n  check    - Parse plan files"), std::string::npos);
  EXPECT_EQ(run({"-h"}), r);

  Result check = run({"check", "--help"});
  EXPECT_EQ(check.code, 0);
  EXPECT_NE(check.out.find("\nUSAGE: relc check [options] <plan files>\n"),
            std::string::npos);
  EXPECT_NE(check.out.find("\n  --emit=<value>  "), std::string::npos);
  EXPECT_NE(check.out.find("\n    =ast  "), std::string::npos);
  // No command runs, even with files named.
  EXPECT_EQ(run({"check", "tinylib/bad.relplan", "--help"}), check);
}

TEST_F(DriverTest, UsageErrorsExitTwo) {
  Result unknown = run({"check", "--no-such-flag", "tinylib/1.0.relplan"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err.rfind("relc: Unknown command line argument "
                              "'--no-such-flag'.  Try: 'relc --help'\n",
                              0),
            0u)
      << unknown.err;

  Result none = run({});
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.err.rfind("usage: relc <command>", 0), 0u);
  EXPECT_EQ(run({"frobnicate"}).code, 2);
  // --version belongs to relc, not to its subcommands.
  EXPECT_EQ(run({"check", "--version", "tinylib/1.0.relplan"}).code, 2);

  // What llvm::cl would write to the process's standard error goes to err,
  // in relc's words: the values an option takes, the nearest to a typo.
  EXPECT_EQ(run({"matrix", "--format=xml", "tinylib/1.0.relplan"}),
            Result({2, "",
                    "relc: for the --format option: 'xml' is not one of "
                    "table, json, markdown, include\n"}));
  EXPECT_EQ(run({"matrix", "--format=jsn", "tinylib/1.0.relplan"}),
            Result({2, "",
                    "relc: for the --format option: 'jsn' is not one of "
                    "table, json, markdown, include; did you mean 'json'?\n"}));
  EXPECT_EQ(run({"graph", "--rc=one", "tinylib/1.0.relplan"}),
            Result({2, "",
                    "relc: for the --rc option: 'one' is not a whole "
                    "number\n"}));
  EXPECT_EQ(run({"emit", "gitlab", "tinylib/1.0.relplan"}),
            Result({2, "",
                    "relc: for the -o option: 'relc emit' needs it (Output: "
                    "the workflows directory (github) or the file "
                    "(gitlab))\n"}));
  EXPECT_EQ(run({"emit", "gitlab", "tinylib/1.0.relplan", "-o"}),
            Result({2, "",
                    "relc: for the -o option: it needs a value\n"
                    "relc: for the -o option: 'relc emit' needs it (Output: "
                    "the workflows directory (github) or the file "
                    "(gitlab))\n"}));
  EXPECT_EQ(
      run({"run", "tinylib/1.0.relplan"})
          .err.rfind("relc: for the --stage option: 'relc run' needs it (", 0),
      0u);
  // An empty value is none: `-o "$OUT"` with OUT unset must not write into
  // the current directory, nor `--diagnostics-output=` go to the terminal.
  Result emptyOutput = run({"emit", "gitlab", "tinylib/1.0.relplan", "-o", ""});
  EXPECT_EQ(emptyOutput.code, 2);
  EXPECT_EQ(
      emptyOutput.err.rfind("relc: for the -o option: it needs a value\n", 0),
      0u)
      << emptyOutput.err;
  EXPECT_EQ(run({"check", "--diagnostics-output=", "tinylib/1.0.relplan"}),
            Result({2, "",
                    "relc: for the --diagnostics-output option: it needs a "
                    "value\n"}));
  // A file named by an empty argument is still a file that is not there.
  EXPECT_EQ(run({"check", ""}).code, 2);
}

TEST_F(DriverTest, MatrixAsJson) {
  Result r = run({"matrix", "--format=json", "tinylib/1.0.relplan"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  auto leg = [](const char *python, const char *os, const char *pep,
                const char *tag) {
    return llvm::json::Object{
        {"values", llvm::json::Object{{"python", python}, {"os", os}}},
        {"experimental", false},
        {"channels", llvm::json::Array{"test", "release"}},
        {"derived", llvm::json::Object{{"pep", pep}, {"wheel_tag", tag}}}};
  };
  llvm::json::Value expected = llvm::json::Object{
      {"project", "tinylib"},
      {"release", "1.0.0"},
      {"matrices", llvm::json::Array{llvm::json::Object{
                       {"name", "wheels"},
                       {"axes", llvm::json::Array{"python", "os"}},
                       {"legCount", 3},
                       {"legs", llvm::json::Array{
                                    leg("3.12", "linux", "693", "manylinux"),
                                    leg("3.13", "linux", "719", "manylinux"),
                                    leg("3.13", "macos", "719", "macosx")}}}}}};
  llvm::Expected<llvm::json::Value> actual = llvm::json::parse(r.out);
  ASSERT_TRUE(bool(actual)) << llvm::toString(actual.takeError());
  EXPECT_EQ(*actual, expected) << r.out;
  // Pretty-printed, two spaces, one document and a newline.
  EXPECT_EQ(r.out.rfind("{\n  \"project\": \"tinylib\",\n", 0), 0u);
  EXPECT_EQ(r.out.back(), '\n');
}

TEST_F(DriverTest, ASecondRunInTheProcessIsLikeTheFirst) {
  Result first = run({"check", "tinylib/bad.relplan"});
  EXPECT_EQ(run({"check", "tinylib/bad.relplan"}), first);

  // Options of one run do not carry over into the next.
  Result ast = run({"check", "--emit=ast", "tinylib/1.0.relplan"});
  EXPECT_EQ(ast.code, 0);
  EXPECT_NE(ast.out, "");
  EXPECT_EQ(run({"check", "tinylib/1.0.relplan"}), Result({0, "", ""}));
  Result json = run({"matrix", "--format=json", "tinylib/1.0.relplan"});
  Result table = run({"matrix", "tinylib/1.0.relplan"});
  EXPECT_EQ(table.out.rfind("# tinylib 1.0.0, matrix wheels: 3 legs\n", 0), 0u)
      << table.out;
  EXPECT_NE(json.out, table.out);
  EXPECT_EQ(run({"--version"}).out, "relc " RELC_VERSION "\n");
  EXPECT_EQ(run({"check", "tinylib/bad.relplan"}), first);
}

// ------------------------------------------------------------------ docs

TEST_F(DriverTest, DocsRegionsOutsideARepositoryReadOnlyBelowTheDocument) {
  // No `.git` anywhere under /src: the document's directory is the limit.
  add("tinylib/docs/inside.md", "<!-- relc:matrix ../1.0.relplan -->\n"
                                "<!-- relc:end -->\n");
  Result r = run({"docs", "update", "--check", "tinylib/docs/inside.md"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("'../1.0.relplan' leads out of /src/tinylib/docs, the "
                       "repository of this document [docs-path]"),
            std::string::npos)
      << r.err;
  // With a repository around it, the plan beside the docs is in reach.
  add("tinylib/.git/HEAD", "ref: refs/heads/main\n");
  r = run({"docs", "update", "--check", "tinylib/docs/inside.md"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is stale"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("docs-path"), std::string::npos) << r.err;
}

// ------------------------------------------------------------------- lsp

class LspTest : public DriverTest {
protected:
  /// Runs `relc lsp` on \p messages; what it sent, in order.
  std::vector<llvm::json::Object>
  session(const std::vector<llvm::json::Value> &messages, int &code) {
    std::string input;
    for (const llvm::json::Value &m : messages) {
      std::string body;
      llvm::raw_string_ostream os(body);
      os << m;
      os.flush();
      input +=
          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    Result r = run({"lsp"}, input);
    code = r.code;
    EXPECT_EQ(r.err, "");
    std::vector<llvm::json::Object> sent;
    llvm::StringRef rest = r.out;
    while (!rest.empty()) {
      auto [head, after] = rest.split("\r\n\r\n");
      size_t length = 0;
      EXPECT_FALSE(head.split(':').second.trim().getAsInteger(10, length));
      llvm::Expected<llvm::json::Value> v =
          llvm::json::parse(after.take_front(length));
      if (!v) {
        ADD_FAILURE() << llvm::toString(v.takeError());
        break;
      }
      sent.push_back(std::move(*v->getAsObject()));
      rest = after.drop_front(length);
    }
    return sent;
  }
};

llvm::json::Value notification(llvm::StringRef method,
                               llvm::json::Object params) {
  return llvm::json::Object{
      {"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

llvm::json::Value open(llvm::StringRef uri, llvm::StringRef text) {
  return notification(
      "textDocument/didOpen",
      llvm::json::Object{
          {"textDocument",
           llvm::json::Object{{"uri", uri}, {"version", 1}, {"text", text}}}});
}

llvm::json::Value change(llvm::StringRef uri, llvm::StringRef text) {
  return notification(
      "textDocument/didChange",
      llvm::json::Object{
          {"textDocument", llvm::json::Object{{"uri", uri}, {"version", 2}}},
          {"contentChanges",
           llvm::json::Array{llvm::json::Object{{"text", text}}}}});
}

TEST_F(LspTest, APlanIsCheckedAgainstTheUnsavedTextOfItsModel) {
  const char planUri[] = "file:///src/tinylib/1.0.relplan";
  const char modelUri[] = "file:///src/compat/python.yaml";
  int code = -1;
  std::vector<llvm::json::Object> sent =
      session({llvm::json::Object{{"jsonrpc", "2.0"},
                                  {"id", 1},
                                  {"method", "initialize"},
                                  {"params", llvm::json::Object{}}},
               open(planUri, release), open(modelUri, modelWithout312()),
               change(modelUri, model),
               notification(
                   "textDocument/didClose",
                   llvm::json::Object{{"textDocument",
                                       llvm::json::Object{{"uri", modelUri}}}}),
               llvm::json::Object{
                   {"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}},
               notification("exit", {})},
              code);
  EXPECT_EQ(code, 0);

  // Each publication as `file: kind kind ...`.
  std::vector<std::string> published;
  for (const llvm::json::Object &m : sent) {
    if (m.getString("method") !=
        llvm::StringRef("textDocument/publishDiagnostics"))
      continue;
    const llvm::json::Object *params = m.getObject("params");
    std::string line = params->getString("uri")->str() + ":";
    for (const llvm::json::Value &d : *params->getArray("diagnostics")) {
      const llvm::json::Object *o = d.getAsObject();
      line +=
          " " + o->getString("code")->str() + "@" +
          std::to_string(
              *o->getObject("range")->getObject("start")->getInteger("line") +
              1);
    }
    published.push_back(line);
  }
  std::vector<std::string> expected = {
      // The plan as saved, with the model as saved: clean.
      std::string(planUri) + ":",
      // The model opened without 3.12: the model is fine, the plan is not.
      std::string(modelUri) + ":",
      std::string(planUri) + ": unknown-value@6",
      // The model changed back, then closed: the plan is clean again.
      std::string(modelUri) + ":",
      std::string(planUri) + ":",
      std::string(planUri) + ":",
  };
  EXPECT_EQ(published, expected);
}

} // namespace
