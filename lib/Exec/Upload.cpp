//===- Upload.cpp - Putting a leg's artifacts where its channel ships ----===//
#include "Exec/Upload.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"

#include <cerrno>
#include <unistd.h>

using namespace relc;

llvm::Expected<std::string> exec::sha256File(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> b =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!b)
    return llvm::createStringError(b.getError(), "cannot read %s: %s",
                                   path.str().c_str(),
                                   b.getError().message().c_str());
  llvm::SHA256 h;
  h.update(llvm::arrayRefFromStringRef((*b)->getBuffer()));
  return llvm::toHex(h.final(), /*LowerCase=*/true);
}

std::string exec::uploadUrl(llvm::StringRef target, llvm::StringRef name) {
  std::string url = target.str();
  if (!llvm::StringRef(url).endswith("/"))
    url += "/";
  return url + name.str();
}

namespace {

/// `s3://bucket/key/of/it` -> {bucket, key/of/it}.
std::pair<std::string, std::string> s3Parts(llvm::StringRef url) {
  auto [bucket, key] = url.drop_front(strlen("s3://")).split('/');
  return {bucket.str(), key.str()};
}

struct Ran {
  int code = -1;
  std::string out, err;
};

/// Runs the AWS CLI with \p args (and `--endpoint-url` from
/// AWS_ENDPOINT_URL, which older CLIs do not read themselves).
llvm::Expected<Ran> aws(std::vector<std::string> args) {
  llvm::ErrorOr<std::string> exe = llvm::sys::findProgramByName("aws");
  if (!exe)
    return llvm::createStringError(
        exe.getError(),
        "the AWS CLI ('aws') is not on PATH; S3 uploads use it");
  args.insert(args.begin(), "aws");
  if (const char *e = getenv("AWS_ENDPOINT_URL"); e && *e) {
    args.push_back("--endpoint-url");
    args.push_back(e);
  }
  llvm::SmallString<128> out, err;
  int fdOut, fdErr;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("relc-aws", "out", fdOut, out))
    return llvm::errorCodeToError(ec);
  ::close(fdOut);
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("relc-aws", "err", fdErr, err))
    return llvm::errorCodeToError(ec);
  ::close(fdErr);
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  llvm::Optional<llvm::StringRef> redirects[] = {
      llvm::StringRef(""), llvm::StringRef(out), llvm::StringRef(err)};
  std::string why;
  Ran r;
  r.code = llvm::sys::ExecuteAndWait(*exe, refs, llvm::None, redirects,
                                     /*SecondsToWait=*/600, 0, &why);
  for (auto [path, into] : {std::pair(&out, &r.out), std::pair(&err, &r.err)}) {
    if (auto b = llvm::MemoryBuffer::getFile(*path))
      *into = (*b)->getBuffer().str();
    llvm::sys::fs::remove(*path);
  }
  if (r.code < 0)
    return llvm::createStringError(std::errc::io_error, "cannot run aws: %s",
                                   why.c_str());
  return r;
}

std::string firstLine(llvm::StringRef s) {
  return s.trim().split('\n').first.str();
}

} // namespace

llvm::Expected<std::optional<std::string>>
exec::probeUpload(llvm::StringRef url) {
  if (url.startswith("file://")) {
    std::string path = url.drop_front(strlen("file://")).str();
    if (!llvm::sys::fs::exists(path))
      return std::nullopt;
    llvm::Expected<std::string> d = sha256File(path);
    if (!d)
      return d.takeError();
    return std::optional<std::string>(*d);
  }
  auto [bucket, key] = s3Parts(url);
  llvm::Expected<Ran> r =
      aws({"s3api", "head-object", "--bucket", bucket, "--key", key});
  if (!r)
    return r.takeError();
  if (r->code != 0) {
    // head-object has no body: a missing object is a bare 404.
    if (llvm::StringRef(r->err).contains("404") ||
        llvm::StringRef(r->err).contains("Not Found"))
      return std::nullopt;
    return llvm::createStringError(
        std::errc::io_error, "cannot probe %s: aws exited with %d: %s",
        url.str().c_str(), r->code, firstLine(r->err).c_str());
  }
  llvm::Expected<llvm::json::Value> doc = llvm::json::parse(r->out);
  if (!doc)
    return doc.takeError();
  const llvm::json::Object *o = doc->getAsObject();
  const llvm::json::Object *meta = o ? o->getObject("Metadata") : nullptr;
  llvm::Optional<llvm::StringRef> digest =
      meta ? meta->getString("sha256") : llvm::None;
  if (!digest)
    return llvm::createStringError(
        std::errc::invalid_argument,
        "%s exists and records no sha256: relc cannot tell whether it is the "
        "same file; compare it by hand and delete it or leave the leg out",
        url.str().c_str());
  return std::optional<std::string>(digest->str());
}

llvm::Error exec::putUpload(llvm::StringRef path, llvm::StringRef url,
                            llvm::StringRef digest) {
  if (url.startswith("file://")) {
    std::string dest = url.drop_front(strlen("file://")).str();
    std::string dir = llvm::sys::path::parent_path(dest).str();
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return llvm::createStringError(ec, "cannot create %s: %s", dir.c_str(),
                                     ec.message().c_str());
    std::string tmp = dest + ".relc-upload";
    llvm::sys::fs::remove(tmp);
    if (std::error_code ec = llvm::sys::fs::copy_file(path, tmp))
      return llvm::createStringError(ec, "cannot copy %s to %s: %s",
                                     path.str().c_str(), tmp.c_str(),
                                     ec.message().c_str());
    // link() fails if the name exists: a file that appeared since the
    // probe is never replaced.
    int rc = ::link(tmp.c_str(), dest.c_str());
    int err = errno;
    llvm::sys::fs::remove(tmp);
    if (rc != 0)
      return llvm::createStringError(
          std::error_code(err, std::generic_category()), "cannot put %s: %s",
          dest.c_str(), strerror(err));
    return llvm::Error::success();
  }
  llvm::Expected<Ran> r =
      aws({"s3", "cp", "--only-show-errors", path.str(), url.str(),
           "--metadata", "sha256=" + digest.str()});
  if (!r)
    return r.takeError();
  if (r->code != 0)
    return llvm::createStringError(
        std::errc::io_error, "cannot upload to %s: aws exited with %d: %s",
        url.str().c_str(), r->code, firstLine(r->err).c_str());
  return llvm::Error::success();
}
