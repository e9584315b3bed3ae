//===- Upload.h - Putting a leg's artifacts where its channel ships -*- C++
//-*-===//
//
// An upload is probed before it acts, like every step relc runs: the same
// file with the same SHA-256 already at the target is done, a different one
// is a contradiction (a channel never gets two files under one name), and
// only a missing one is uploaded. Targets are `s3://BUCKET/PREFIX/`, through
// the AWS CLI (`AWS_ENDPOINT_URL` names an S3-compatible server), and
// `file:///DIRECTORY/`, and a Python package index's upload API, through
// twine. S3 objects carry their digest as the metadata key `sha256`, which
// is what the probe reads; an index lists each file's digest.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EXEC_UPLOAD_H
#define RELC_EXEC_UPLOAD_H

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace relc::exec {

/// The lowercase hex SHA-256 of the file at \p path.
llvm::Expected<std::string> sha256File(llvm::StringRef path);

/// Where \p name goes under \p target: the target with the name appended.
std::string uploadUrl(llvm::StringRef target, llvm::StringRef name);

/// The SHA-256 of what is at \p url, or nullopt if nothing is. An S3 object
/// that records no digest is an error: relc cannot tell whether it is the
/// same file.
llvm::Expected<std::optional<std::string>> probeUpload(llvm::StringRef url);

/// Puts the file at \p path at \p url, recording \p digest; a file target
/// is written atomically and never replaces a file that appeared meanwhile.
llvm::Error putUpload(llvm::StringRef path, llvm::StringRef url,
                      llvm::StringRef digest);

/// The SHA-256 the package index at \p index (`https://pypi.org/simple/`)
/// lists for the distribution file \p file, or nullopt if it lists none:
/// the project's page in the JSON simple API (PEP 691), or its HTML
/// (PEP 503), whose links carry `#sha256=`.
llvm::Expected<std::optional<std::string>> probeIndex(llvm::StringRef index,
                                                      llvm::StringRef file);

/// Uploads the distribution at \p path to the index's upload API \p url
/// with twine; credentials come from TWINE_USERNAME and TWINE_PASSWORD (in
/// CI, a token that trusted publishing minted).
llvm::Error putIndex(llvm::StringRef path, llvm::StringRef url);

} // namespace relc::exec

#endif // RELC_EXEC_UPLOAD_H
