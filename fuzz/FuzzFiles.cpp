//===- FuzzFiles.cpp - Fuzz inputs as files relc reads
//---------------------===//
//
// Errors here are the fuzz machine's, not relc's: they end the process with
// a message rather than being reported as findings.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace relc::fuzz;

[[noreturn]] static void fatal(const llvm::Twine &what, std::error_code ec) {
  llvm::errs() << "relc-fuzz: " << what << ": " << ec.message() << "\n";
  std::exit(2);
}

ScratchDir::ScratchDir(llvm::StringRef name) {
  llvm::SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("relc-fuzz-" + name, dir))
    fatal("cannot create a scratch directory", ec);
  root = std::string(dir);
}

ScratchDir::~ScratchDir() { llvm::sys::fs::remove_directories(root); }

std::string ScratchDir::path(llvm::StringRef rel) const {
  llvm::SmallString<128> p(root);
  llvm::sys::path::append(p, rel);
  return std::string(p);
}

void ScratchDir::write(llvm::StringRef rel, llvm::StringRef text) {
  std::string p = path(rel);
  if (std::error_code ec =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(p)))
    fatal("cannot create the directory of '" + p + "'", ec);
  std::error_code ec;
  llvm::raw_fd_ostream os(p, ec);
  if (ec)
    fatal("cannot write '" + p + "'", ec);
  os << text;
  written.push_back(p);
}

void ScratchDir::clear() {
  for (const std::string &p : written)
    llvm::sys::fs::remove(p);
  written.clear();
}

static std::string safeName(llvm::StringRef name) {
  std::string safe;
  for (char c : name.trim())
    safe += llvm::isAlnum(c) || c == '.' || c == '_' || c == '-' ? c : '_';
  if (safe.empty() || safe[0] == '.')
    safe.insert(safe.begin(), '_');
  return safe.substr(0, 64);
}

std::vector<std::pair<std::string, llvm::StringRef>>
relc::fuzz::splitInput(llvm::StringRef input, llvm::StringRef defaultName) {
  const llvm::StringRef marker = "#--- ";
  std::vector<std::pair<std::string, llvm::StringRef>> files;
  size_t at = 0;
  const char *bodyStart = nullptr;
  auto finish = [&](const char *end) {
    if (bodyStart)
      files.back().second = llvm::StringRef(bodyStart, end - bodyStart);
  };
  while (at < input.size()) {
    size_t eol = input.find('\n', at);
    size_t next = eol == llvm::StringRef::npos ? input.size() : eol + 1;
    llvm::StringRef line = input.slice(at, next);
    if (line.startswith(marker)) {
      finish(line.data());
      std::string name = safeName(line.drop_front(marker.size()));
      llvm::erase_if(files, [&](const auto &f) { return f.first == name; });
      files.emplace_back(name, llvm::StringRef());
      bodyStart = input.data() + next;
    }
    at = next;
  }
  finish(input.data() + input.size());
  if (files.empty())
    files.emplace_back(defaultName.str(), input);
  return files;
}
