//===- ModelCacheTest.cpp - A cached model is the model -------------------===//
//
// lib/Compat/ModelCache keeps loaded models on disk. For every model of the
// repository that loads cleanly (the bundled ones, the lit tests' models),
// the model read back from its saved form must be the model loaded from the
// YAML, every location and condition included. A saved form cut short or
// altered must be refused or read without harm, and an entry on disk is
// found only for exactly the bytes it was made from.
//
//===----------------------------------------------------------------------===//
#include "Compat/ModelCache.h"
#include "Basic/Diagnostics.h"
#include "Basic/SourceFiles.h"
#include "Compat/Model.h"

#include "ModelDump.h"
#include "SourceInputs.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <fstream>
#include <random>

using namespace relc;
using namespace relc::compat;

namespace {

/// Model files loaded into one SourceMgr, as Sema loads them.
struct Loaded {
  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os{out};
  DiagnosticEngine diags{sm, os};
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> fs =
      llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  std::vector<std::string> paths;
  std::vector<CachedFile> files;
  Model model;
  bool ok = true;

  explicit Loaded(const std::vector<std::string> &texts) {
    diags.setFileSystem(*fs);
    for (size_t i = 0; i < texts.size(); ++i) {
      paths.push_back("/m/model" + std::to_string(i) + ".yaml");
      fs->addFile(paths.back(), 0,
                  llvm::MemoryBuffer::getMemBufferCopy(texts[i]));
    }
    for (const std::string &path : paths) {
      ok &= loadModelFile(diags, path, {}, model);
      unsigned id = sm.getNumBuffers();
      files.push_back({llvm::sys::path::filename(path), sourceText(sm, id)});
    }
    ok &= diags.errorCount() == 0 && diags.warningCount() == 0;
  }

  /// The model read back from \p saved, dumped; "" if refused.
  std::string restored(llvm::StringRef saved) {
    Model back;
    back.paths = paths;
    if (!restoreModel(sm, saved, files, back))
      return "";
    return test::dumpModel(back, sm);
  }
};

std::vector<std::string> bundledModels() {
  std::vector<std::string> texts;
  for (test::Input &in : test::sourceInputs("plans/compat", {".yaml"}))
    texts.push_back(std::move(in.text));
  return texts;
}

TEST(ModelCacheTest, TheBundledModelsReadBackWhole) {
  Loaded l(bundledModels());
  ASSERT_TRUE(l.ok) << l.out;
  ASSERT_EQ(l.files.size(), 2u);
  std::optional<std::string> saved = saveModel(l.model, l.files);
  ASSERT_TRUE(saved);
  std::string fresh = test::dumpModel(l.model, l.sm);
  EXPECT_EQ(l.restored(*saved), fresh);
  // The dump holds what a cache that dropped things would lose.
  EXPECT_NE(fresh.find("when=\""), std::string::npos);
  EXPECT_NE(fresh.find("override@"), std::string::npos);
  EXPECT_NE(fresh.find("supports cudnn@"), std::string::npos);
}

TEST(ModelCacheTest, EveryCleanModelOfTheRepositoryReadsBackWhole) {
  size_t checked = 0;
  for (const test::Input &in : test::sourceInputs("test/lit", {".yaml"})) {
    Loaded l({in.text});
    if (!l.ok)
      continue;
    ++checked;
    std::optional<std::string> saved = saveModel(l.model, l.files);
    ASSERT_TRUE(saved) << in.name;
    EXPECT_EQ(l.restored(*saved), test::dumpModel(l.model, l.sm)) << in.name;
  }
  EXPECT_GE(checked, 20u);
}

TEST(ModelCacheTest, ASavedFormCutShortIsRefused) {
  Loaded l(bundledModels());
  ASSERT_TRUE(l.ok);
  std::string saved = *saveModel(l.model, l.files);
  for (size_t n = 0; n < saved.size(); n += 1 + n / 64)
    EXPECT_EQ(l.restored(llvm::StringRef(saved).take_front(n)), "") << n;
}

TEST(ModelCacheTest, AnAlteredSavedFormIsReadWithoutHarm) {
  // Altered bytes may still read as some model (the entry's hash is what
  // refuses them on disk); here they must only never crash or hang, which
  // the sanitized build checks.
  Loaded l(bundledModels());
  ASSERT_TRUE(l.ok);
  std::string saved = *saveModel(l.model, l.files);
  std::mt19937 rng(7);
  size_t read = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bad = saved;
    for (int k = 0; k < 1 + trial % 4; ++k)
      bad[rng() % bad.size()] = static_cast<char>(rng());
    Model back;
    back.paths = l.paths;
    if (!restoreModel(l.sm, bad, l.files, back))
      continue;
    ++read;
    // What Sema does next with a restored model.
    std::string ignored;
    llvm::raw_string_ostream os(ignored);
    DiagnosticEngine quiet(l.sm, os);
    (void)finishModel(quiet, back);
    (void)test::dumpModel(back, l.sm);
  }
  // Most changes fall on bytes of text (names, titles), which still read.
  EXPECT_GT(read, 0u);
}

class ModelDiskCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("relc-model-cache", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }
  llvm::SmallString<128> dir;
};

/// What \p cache holds for \p files, or "(none)".
std::string payloadOf(const ModelDiskCache &cache,
                      llvm::ArrayRef<CachedFile> files) {
  std::optional<SavedModel> saved = cache.read(files);
  return saved ? saved->payload.str() : "(none)";
}

TEST_F(ModelDiskCacheTest, FindsAnEntryOnlyForTheSameBytes) {
  ModelDiskCache cache(std::string(dir.str()));
  std::vector<CachedFile> files = {{"python.yaml", "format: 1\nname: a\n"}};
  EXPECT_FALSE(cache.read(files));
  cache.write(files, "payload");
  EXPECT_EQ(payloadOf(cache, files), "payload");
  // One byte more, another name: another entry, none yet.
  std::vector<CachedFile> edited = {{"python.yaml", "format: 1\nname: b\n"}};
  EXPECT_FALSE(cache.read(edited));
  std::vector<CachedFile> renamed = {{"other.yaml", "format: 1\nname: a\n"}};
  EXPECT_FALSE(cache.read(renamed));
  // Another build of relc finds none of this one's entries.
  ModelDiskCache rebuilt(std::string(dir.str()), "another build");
  EXPECT_FALSE(rebuilt.read(files));
  rebuilt.write(files, "its own");
  EXPECT_EQ(payloadOf(rebuilt, files), "its own");
  EXPECT_EQ(payloadOf(cache, files), "payload");
}

TEST_F(ModelDiskCacheTest, ACorruptEntryReadsAsNone) {
  ModelDiskCache cache(std::string(dir.str()));
  std::vector<CachedFile> files = {{"m.yaml", "format: 1\n"}};
  cache.write(files, "some saved model");
  std::string path = cache.entryPath(files);
  std::string whole;
  {
    auto buf = llvm::MemoryBuffer::getFile(path);
    ASSERT_TRUE(buf);
    whole = (*buf)->getBuffer().str();
  }
  auto put = [&](const std::string &bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  };
  for (size_t n = 0; n < whole.size(); ++n) {
    put(whole.substr(0, n));
    EXPECT_FALSE(cache.read(files)) << "cut to " << n;
    std::string flipped = whole;
    flipped[n] = static_cast<char>(flipped[n] ^ 0x20);
    put(flipped);
    EXPECT_FALSE(cache.read(files)) << "byte " << n << " changed";
  }
  put(whole + "x");
  EXPECT_FALSE(cache.read(files));
  put(whole);
  EXPECT_TRUE(cache.read(files));
}

TEST_F(ModelDiskCacheTest, KeepsTheNewestEntries) {
  ModelDiskCache cache(std::string(dir.str()));
  std::vector<std::string> texts;
  for (size_t i = 0; i < ModelDiskCache::maxEntries + 5; ++i)
    texts.push_back("name: m" + std::to_string(i) + "\n");
  for (const std::string &t : texts) {
    std::vector<CachedFile> files = {{"m.yaml", t}};
    cache.write(files, "payload");
    // The newest entry stays.
    EXPECT_TRUE(cache.read(files));
  }
  size_t count = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    ++count;
  EXPECT_EQ(count, ModelDiskCache::maxEntries);
}

TEST_F(ModelDiskCacheTest, ADirectoryThatCannotBeMadeIsNoCache) {
  llvm::SmallString<128> file(dir);
  llvm::sys::path::append(file, "file");
  std::ofstream(std::string(file.str())) << "x";
  llvm::SmallString<128> under(file);
  llvm::sys::path::append(under, "cache");
  ModelDiskCache cache(std::string(under.str()));
  std::vector<CachedFile> files = {{"m.yaml", "format: 1\n"}};
  cache.write(files, "payload");
  EXPECT_FALSE(cache.read(files));
}

} // namespace
