//===- SourceFiles.cpp - Loading plan files into the SourceMgr
//-------------===//
//
// Stats and reads a file through the diagnostics engine's file system (the
// real one, or the one a test or the language server gives), then validates
// its bytes. The order matters: a directory or a FIFO must be refused before
// reading, or reading would fail obscurely or block. writeFileAtomic is the
// other direction: how every command that rewrites a file replaces it.
//
//===----------------------------------------------------------------------===//
#include "Basic/SourceFiles.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace relc;

namespace {
/// How messages name a kind of file, its text, and the rule for its bytes.
struct KindWords {
  const char *file, *text, *utf8;
};
KindWords wordsFor(SourceKind kind) {
  switch (kind) {
  case SourceKind::Plan:
    return {"a plan file", "plan text", "plan files must be UTF-8"};
  case SourceKind::Model:
    return {"a compatibility model", "model text",
            "compatibility models must be UTF-8"};
  case SourceKind::ActionsLock:
    return {"an actions lock", "the actions lock",
            "the actions lock must be UTF-8"};
  case SourceKind::Markdown:
    return {"a Markdown file", "Markdown text", "Markdown files must be UTF-8"};
  }
  llvm_unreachable("every kind of file has its words");
}
} // namespace

unsigned relc::loadSourceFile(DiagnosticEngine &diags, llvm::StringRef path,
                              llvm::SMRange importedAt, SourceKind kind) {
  bool imported = importedAt.Start.isValid();
  llvm::vfs::FileSystem &fs = diags.getFileSystem();
  llvm::ErrorOr<llvm::vfs::Status> status = fs.status(path);
  if (!status) {
    diags.report(imported ? DiagKind::ImportNotFound : DiagKind::FileNotFound,
                 importedAt,
                 "cannot open '" + path + "': " + status.getError().message());
    return 0;
  }
  if (status->getType() != llvm::sys::fs::file_type::regular_file) {
    llvm::StringRef what =
        status->isDirectory() ? "a directory" : "not a regular file";
    diags.report(imported ? DiagKind::ImportNotFile : DiagKind::FileUnreadable,
                 importedAt,
                 "'" + path + "' is " + what + ", not " + wordsFor(kind).file);
    return 0;
  }
  auto bufOrErr = fs.getBufferForFile(path, /*FileSize=*/-1,
                                      /*RequiresNullTerminator=*/true);
  if (!bufOrErr) {
    diags.report(imported ? DiagKind::ImportNotFound : DiagKind::FileUnreadable,
                 importedAt,
                 "cannot read '" + path +
                     "': " + bufOrErr.getError().message());
    return 0;
  }
  std::unique_ptr<llvm::MemoryBuffer> buf = std::move(*bufOrErr);
  // Diagnostics name the file, and imports and models are found beside it,
  // by the buffer's name. The real file system names it by the path asked
  // for; an in-memory one by the path it was stored under.
  if (buf->getBufferIdentifier() != path)
    buf = llvm::MemoryBuffer::getMemBufferCopy(buf->getBuffer(), path);
  unsigned id =
      diags.getSourceMgr().AddNewSourceBuffer(std::move(buf), importedAt.Start);
  return checkSourceText(diags, id, kind) ? id : 0;
}

size_t relc::firstInvalidUTF8(llvm::StringRef text) {
  // Checked a sequence at a time where the text is not ASCII: a comment
  // with one non-ASCII character does not send the whole text through the
  // UTF-8 checker.
  const auto *p = text.bytes_begin(), *e = text.bytes_end();
  while (p != e) {
    p += asciiPrefix(llvm::StringRef(reinterpret_cast<const char *>(p), e - p));
    if (p != e && !llvm::isLegalUTF8String(
                      &p, std::min(e, p + llvm::getNumBytesForUTF8(*p))))
      break;
  }
  return p - text.bytes_begin();
}

bool relc::checkSourceText(DiagnosticEngine &diags, unsigned bufferId,
                           SourceKind kind) {
  const llvm::MemoryBuffer *buf =
      diags.getSourceMgr().getMemoryBuffer(bufferId);
  const char *begin = buf->getBufferStart();
  const char *end = buf->getBufferEnd();
  if (const void *nul = std::memchr(begin, 0, end - begin)) {
    diags.report(DiagKind::NulByte,
                 llvm::SMLoc::getFromPointer(static_cast<const char *>(nul)),
                 llvm::Twine("NUL byte in ") + wordsFor(kind).text);
    return false;
  }
  size_t at = firstInvalidUTF8(llvm::StringRef(begin, end - begin));
  if (at != size_t(end - begin)) {
    const char *bad = begin + at;
    char hex[8];
    snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(*bad));
    diags.report(DiagKind::InvalidUtf8, llvm::SMLoc::getFromPointer(bad),
                 llvm::Twine("invalid UTF-8 byte ") + hex + "; " +
                     wordsFor(kind).utf8);
    return false;
  }
  return true;
}

llvm::StringRef relc::sourceText(llvm::SourceMgr &sm, unsigned bufferId) {
  llvm::StringRef text = sm.getMemoryBuffer(bufferId)->getBuffer();
  if (text.startswith("\xEF\xBB\xBF"))
    text = text.drop_front(3);
  return text;
}

std::string relc::locationString(const llvm::SourceMgr &sm, llvm::SMLoc loc) {
  unsigned buf = sm.FindBufferContainingLoc(loc);
  if (!buf)
    return "?";
  auto [line, col] = sm.getLineAndColumn(loc, buf);
  return (sm.getMemoryBuffer(buf)->getBufferIdentifier() + ":" +
          llvm::Twine(line) + ":" + llvm::Twine(col))
      .str();
}

// Not llvm::writeFileAtomically: its errors say only which step failed
// ("failed_to_create_uniq_file"), not why, and the why (a directory that is
// missing or is a file, a full disk) is what the user needs.
llvm::Error relc::writeFileAtomic(llvm::StringRef path, llvm::StringRef text,
                                  llvm::StringRef tag) {
  llvm::SmallString<256> target;
  // A path that does not exist yet is written as given.
  if (llvm::sys::fs::real_path(path, target))
    target = path;
  llvm::SmallString<256> tmp;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          target + "." + tag + "-%%%%%%", fd, tmp))
    return llvm::createStringError(ec, ec.message());
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
    os.close();
    if (os.has_error()) {
      ec = os.error();
      os.clear_error();
    }
  }
  if (!ec)
    ec = llvm::sys::fs::rename(tmp, target);
  if (!ec)
    return llvm::Error::success();
  llvm::sys::fs::remove(tmp);
  return llvm::createStringError(ec, ec.message());
}
