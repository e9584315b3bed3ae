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

/// Runs \p tool (found on PATH; \p why names what relc uses it for) with
/// \p args, its output and errors kept.
llvm::Expected<Ran> runTool(llvm::StringRef tool, llvm::StringRef why,
                            std::vector<std::string> args) {
  llvm::ErrorOr<std::string> exe = llvm::sys::findProgramByName(tool);
  if (!exe)
    return llvm::createStringError(exe.getError(), "'%s' is not on PATH; %s",
                                   tool.str().c_str(), why.str().c_str());
  args.insert(args.begin(), tool.str());
  llvm::SmallString<128> out, err;
  int fdOut, fdErr;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("relc-tool", "out", fdOut, out))
    return llvm::errorCodeToError(ec);
  ::close(fdOut);
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("relc-tool", "err", fdErr, err))
    return llvm::errorCodeToError(ec);
  ::close(fdErr);
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  llvm::Optional<llvm::StringRef> redirects[] = {
      llvm::StringRef(""), llvm::StringRef(out), llvm::StringRef(err)};
  std::string failure;
  Ran r;
  r.code = llvm::sys::ExecuteAndWait(*exe, refs, llvm::None, redirects,
                                     /*SecondsToWait=*/600, 0, &failure);
  for (auto [path, into] : {std::pair(&out, &r.out), std::pair(&err, &r.err)}) {
    if (auto b = llvm::MemoryBuffer::getFile(*path))
      *into = (*b)->getBuffer().str();
    llvm::sys::fs::remove(*path);
  }
  if (r.code < 0)
    return llvm::createStringError(std::errc::io_error, "cannot run %s: %s",
                                   tool.str().c_str(), failure.c_str());
  return r;
}

/// Runs the AWS CLI with \p args (and `--endpoint-url` from
/// AWS_ENDPOINT_URL, which older CLIs do not read themselves).
llvm::Expected<Ran> aws(std::vector<std::string> args) {
  if (const char *e = getenv("AWS_ENDPOINT_URL"); e && *e) {
    args.push_back("--endpoint-url");
    args.push_back(e);
  }
  return runTool("aws", "S3 uploads use the AWS CLI", std::move(args));
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

/// The project a distribution file belongs to, normalised as the simple
/// API names it (PEP 503): `Tiny_Lib-1.0-py3-none-any.whl` -> `tiny-lib`.
static std::string projectOf(llvm::StringRef file) {
  llvm::StringRef name;
  if (file.endswith(".whl"))
    name = file.split('-').first;
  else
    name = file.rsplit('-').first; // An sdist: NAME-VERSION.tar.gz.
  std::string out;
  for (char c : name) {
    bool sep = c == '-' || c == '_' || c == '.';
    if (sep && !out.empty() && out.back() == '-')
      continue;
    out += sep ? '-' : llvm::toLower(c);
  }
  return out;
}

llvm::Expected<std::optional<std::string>>
exec::probeIndex(llvm::StringRef index, llvm::StringRef file) {
  std::string page = uploadUrl(index, projectOf(file)) + "/";
  llvm::SmallString<128> body;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("relc-index", "page", fd, body))
    return llvm::errorCodeToError(ec);
  ::close(fd);
  llvm::Expected<Ran> r = runTool(
      "curl", "uploads to a package index are probed with curl",
      {"--silent", "--show-error", "--location", "--max-time", "120",
       "--header", "Accept: application/vnd.pypi.simple.v1+json, text/html",
       "--output", std::string(body), "--write-out", "%{http_code}", page});
  auto text = llvm::MemoryBuffer::getFile(body);
  llvm::sys::fs::remove(body);
  if (!r)
    return r.takeError();
  llvm::StringRef status = llvm::StringRef(r->out).trim();
  if (r->code != 0 || !text)
    return llvm::createStringError(
        std::errc::io_error, "cannot probe %s: curl exited with %d: %s",
        page.c_str(), r->code, firstLine(r->err).c_str());
  if (status == "404")
    return std::nullopt; // No file of the project yet.
  if (status != "200")
    return llvm::createStringError(std::errc::io_error,
                                   "cannot probe %s: HTTP status %s",
                                   page.c_str(), status.str().c_str());
  llvm::StringRef page_ = (*text)->getBuffer();
  if (llvm::Expected<llvm::json::Value> doc = llvm::json::parse(page_)) {
    const llvm::json::Object *o = doc->getAsObject();
    const llvm::json::Array *files = o ? o->getArray("files") : nullptr;
    if (!files)
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s is JSON without 'files': not the "
                                     "simple API",
                                     page.c_str());
    for (const llvm::json::Value &f : *files) {
      const llvm::json::Object *fo = f.getAsObject();
      if (!fo || fo->getString("filename") != file)
        continue;
      const llvm::json::Object *hashes = fo->getObject("hashes");
      if (llvm::Optional<llvm::StringRef> d =
              hashes ? hashes->getString("sha256") : llvm::None)
        return std::optional<std::string>(d->lower());
      return llvm::createStringError(
          std::errc::invalid_argument,
          "%s lists %s with no sha256: relc cannot tell whether it is the "
          "same file",
          page.c_str(), file.str().c_str());
    }
    return std::nullopt;
  } else {
    llvm::consumeError(doc.takeError());
  }
  // PEP 503 HTML: <a href="...FILE#sha256=HEX" ...>FILE</a>.
  for (size_t at = page_.find("#sha256="); at != llvm::StringRef::npos;
       at = page_.find("#sha256=", at + 1)) {
    llvm::StringRef before = page_.take_front(at);
    size_t slash = before.find_last_of("/\"=");
    if (before.drop_front(slash + 1) != file)
      continue;
    return std::optional<std::string>(page_.substr(at + 8, 64).lower());
  }
  return std::nullopt;
}

llvm::Error exec::putIndex(llvm::StringRef path, llvm::StringRef url) {
  llvm::Expected<Ran> r =
      runTool("twine", "uploads to a package index use twine",
              {"upload", "--non-interactive", "--disable-progress-bar",
               "--repository-url", url.str(), path.str()});
  if (!r)
    return r.takeError();
  if (r->code != 0) {
    // twine says what the index answered on its last line.
    llvm::StringRef said = llvm::StringRef(r->err).trim();
    if (said.empty())
      said = llvm::StringRef(r->out).trim();
    std::string last = said.rsplit('\n').second.empty()
                           ? said.str()
                           : said.rsplit('\n').second.str();
    return llvm::createStringError(
        std::errc::io_error, "cannot upload %s to %s: twine exited with %d: %s",
        path.str().c_str(), url.str().c_str(), r->code, last.c_str());
  }
  return llvm::Error::success();
}
