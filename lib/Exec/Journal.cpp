//===- Journal.cpp - Append-only, fsync'ed run records --------------------===//
#include "Exec/Journal.h"

#include "Basic/JsonWriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

using namespace relc;
using namespace relc::exec;

std::string exec::timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

static llvm::Error ioError(const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 what + ": " + std::strerror(errno));
}

llvm::Error exec::refuseLinks(llvm::StringRef root, llvm::StringRef path) {
  llvm::SmallString<256> at(path);
  while (at.size() > root.size() && llvm::StringRef(at).startswith(root)) {
    llvm::sys::fs::file_status st;
    if (!llvm::sys::fs::status(at, st, /*follow=*/false) &&
        st.type() == llvm::sys::fs::file_type::symlink_file)
      return llvm::createStringError(
          std::errc::too_many_symbolic_link_levels,
          "refusing to use %s: it is a symbolic link, and relc writes its "
          "state only to files and directories of its own",
          at.c_str());
    llvm::sys::path::remove_filename(at);
  }
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<Journal>> Journal::open(llvm::StringRef path,
                                                       bool writable) {
  std::unique_ptr<Journal> j(new Journal());
  j->file = path.str();
  if (llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
          llvm::MemoryBuffer::getFile(path)) {
    llvm::StringRef rest = (*buf)->getBuffer();
    while (!rest.empty()) {
      auto [line, tail] = rest.split('\n');
      bool complete = line.size() < rest.size();
      rest = tail;
      if (line.trim().empty())
        continue;
      // relc's entries are flat; a deeply nested line is not one of them,
      // and would take the parser's recursion past the stack.
      if (jsonNestsDeeper(line, 8)) {
        ++j->torn;
        continue;
      }
      llvm::Expected<llvm::json::Value> v = llvm::json::parse(line);
      if (v && v->getAsObject() && complete) {
        j->all.push_back(std::move(*v->getAsObject()));
        continue;
      }
      if (!v)
        llvm::consumeError(v.takeError());
      ++j->torn; // Cut short by a kill while it was being written.
    }
  } else if (buf.getError() != std::errc::no_such_file_or_directory) {
    return llvm::createStringError(buf.getError(), "cannot read journal %s",
                                   j->file.c_str());
  }
  if (!writable)
    return j;
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(ec, "cannot create %s", dir.str().c_str());
  j->fd = ::open(j->file.c_str(),
                 O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (j->fd < 0)
    return ioError("cannot open journal " + j->file);
  // A torn last line must not glue itself to the next entry.
  if (j->torn && ::write(j->fd, "\n", 1) != 1)
    return ioError("cannot write journal " + j->file);
  return j;
}

Journal::~Journal() {
  if (fd >= 0)
    ::close(fd);
}

llvm::Error Journal::append(llvm::json::Object entry) {
  entry["time"] = timestamp();
  std::string line;
  llvm::raw_string_ostream os(line);
  os << llvm::json::Value(llvm::json::Object(entry)) << "\n";
  os.flush();
  all.push_back(std::move(entry));
  if (fd < 0)
    return llvm::Error::success();
  const char *p = line.data();
  size_t left = line.size();
  while (left) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return ioError("cannot write journal " + file);
    p += n;
    left -= size_t(n);
  }
  if (::fsync(fd) != 0)
    return ioError("cannot sync journal " + file);
  return llvm::Error::success();
}
