//===- Journal.h - What relc run has done, append-only ------------*- C++
//-*-===//
//
// One JSON object per line, appended and fsync'ed before the run goes on, so
// a run killed at any point leaves a journal that says exactly what it had
// finished. A last line cut short by the kill is ignored when read back.
// The journal is a record and a resume aid: steps that change git probe the
// remote whatever it says, so losing it never makes a step run twice.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EXEC_JOURNAL_H
#define RELC_EXEC_JOURNAL_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <string>
#include <vector>

namespace relc::exec {

class Journal {
public:
  /// Reads the journal at \p path (none yet is an empty journal). With
  /// \p writable, creates its directory and opens it for appending.
  static llvm::Expected<std::unique_ptr<Journal>> open(llvm::StringRef path,
                                                       bool writable);
  ~Journal();

  const std::vector<llvm::json::Object> &entries() const { return all; }
  /// Appends \p entry (with the time added) and waits for it to reach the
  /// disk. A read-only journal (a dry run) only keeps it in memory.
  llvm::Error append(llvm::json::Object entry);
  const std::string &path() const { return file; }
  unsigned ignoredLines() const { return torn; }

private:
  Journal() = default;
  std::string file;
  int fd = -1;
  std::vector<llvm::json::Object> all;
  unsigned torn = 0;
};

/// `2026-11-24T09:30:00Z`, for journal entries and approval records.
std::string timestamp();

/// An error if \p path, or a directory of it below \p root, is a symbolic
/// link: relc's state is written where it says, never through a link
/// someone planted there. A path that does not exist yet is fine.
llvm::Error refuseLinks(llvm::StringRef root, llvm::StringRef path);

} // namespace relc::exec

#endif // RELC_EXEC_JOURNAL_H
