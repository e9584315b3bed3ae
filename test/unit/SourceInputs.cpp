//===- SourceInputs.cpp - Inputs of the source tree for unit tests --------===//
#include "SourceInputs.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

using namespace relc;

std::vector<test::Input>
test::sourceInputs(llvm::StringRef dir,
                   llvm::ArrayRef<llvm::StringRef> extensions) {
  auto wanted = [&](llvm::StringRef name) {
    return llvm::any_of(extensions,
                        [&](llvm::StringRef e) { return name.endswith(e); });
  };
  llvm::SmallString<256> root(RELC_SOURCE_DIR);
  llvm::sys::path::append(root, dir);
  std::vector<std::string> paths;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef path = it->path();
    if ((wanted(path) || path.endswith(".test")) &&
        !path.contains("/Golden/") &&
        it->type() != llvm::sys::fs::file_type::directory_file)
      paths.push_back(path.str());
  }
  EXPECT_FALSE(ec) << root.str().str() << ": " << ec.message();
  llvm::sort(paths);

  std::vector<Input> inputs;
  for (const std::string &path : paths) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer) {
      ADD_FAILURE() << path << ": " << buffer.getError().message();
      continue;
    }
    llvm::StringRef text = (*buffer)->getBuffer();
    if (!llvm::StringRef(path).endswith(".test")) {
      inputs.push_back({path, text.str()});
      continue;
    }
    llvm::StringRef part;
    std::string body;
    auto finish = [&] {
      if (wanted(part))
        inputs.push_back({path + ":" + part.str(), body});
      body.clear();
    };
    for (llvm::StringRef rest = text; !rest.empty();) {
      llvm::StringRef line;
      std::tie(line, rest) = rest.split('\n');
      if (line.startswith("#--- ")) {
        finish();
        part = line.drop_front(5).trim();
        continue;
      }
      body += line.str() + "\n";
    }
    finish();
  }
  return inputs;
}

std::string test::randomText(std::mt19937 &rng,
                             llvm::ArrayRef<const char *> pieces,
                             size_t maxPieces) {
  std::string text;
  for (size_t n = rng() % maxPieces + 1; n; --n)
    text += pieces[rng() % pieces.size()];
  return text;
}
