//===- WriteFileAtomicTest.cpp - Tests for writeFileAtomic ----------------===//
//
// Every file relc writes (fmt --write, docs update, emit, the diagnostics
// output, the model cache) goes through writeFileAtomic: the whole text or
// nothing, never a temporary file left behind, and a failure that says what
// the system said, so a user can act on it.
//
//===----------------------------------------------------------------------===//

#include "Basic/SourceFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <vector>

using namespace relc;

namespace {

class WriteFileAtomicTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("relc-write-atomic", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string in(llvm::StringRef name) const {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }
  std::string read(llvm::StringRef name) const {
    auto buf = llvm::MemoryBuffer::getFile(in(name));
    return buf ? (*buf)->getBuffer().str() : "<unreadable>";
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec))
      out.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(out.begin(), out.end());
    return out;
  }

  llvm::SmallString<256> dir;
};

TEST_F(WriteFileAtomicTest, WritesANewFileAndReplacesAnOldOne) {
  ASSERT_FALSE(llvm::errorToBool(writeFileAtomic(in("a.txt"), "one", "t")));
  EXPECT_EQ(read("a.txt"), "one");
  ASSERT_FALSE(llvm::errorToBool(writeFileAtomic(in("a.txt"), "two", "t")));
  EXPECT_EQ(read("a.txt"), "two");
  EXPECT_EQ(names(), std::vector<std::string>{"a.txt"});
}

TEST_F(WriteFileAtomicTest, FollowsASymbolicLink) {
  ASSERT_FALSE(llvm::errorToBool(writeFileAtomic(in("real"), "old", "t")));
  ASSERT_FALSE(llvm::sys::fs::create_link(in("real"), in("link")));
  ASSERT_FALSE(llvm::errorToBool(writeFileAtomic(in("link"), "new", "t")));
  EXPECT_EQ(read("real"), "new");
  EXPECT_TRUE(llvm::sys::fs::is_symlink_file(in("link")));
}

// The reason is the system's own words: the LLVM helper relc used before
// said only "failed_to_create_uniq_file", whatever the cause.
TEST_F(WriteFileAtomicTest, AFailureSaysWhy) {
  ASSERT_FALSE(llvm::errorToBool(writeFileAtomic(in("file"), "x", "t")));
  std::string inFile =
      llvm::toString(writeFileAtomic(in("file") + "/under.txt", "text", "t"));
  EXPECT_EQ(inFile, "Not a directory");
  std::string missing =
      llvm::toString(writeFileAtomic(in("no/such/dir/x.txt"), "text", "t"));
  EXPECT_EQ(missing, "No such file or directory");
  // The target is a directory: the temporary file is made, then the rename
  // fails, and the temporary file goes too.
  ASSERT_FALSE(llvm::sys::fs::create_directory(in("d")));
  std::string ontoDir = llvm::toString(writeFileAtomic(in("d"), "text", "t"));
  EXPECT_EQ(ontoDir, "Is a directory");
  EXPECT_EQ(names(), (std::vector<std::string>{"d", "file"}));
}

} // namespace
