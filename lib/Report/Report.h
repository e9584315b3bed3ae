//===- Report.h - Tables and calendars made from release plans -*- C++ -*-===//
//
// What people read about releases, generated from checked plans so that it
// is never written by hand: the release compatibility table (`relc matrix
// --format=markdown`, PyTorch's RELEASE.md table), and the release calendar
// (`relc calendar`): every dated milestone as an iCalendar file to
// subscribe to, or as a Markdown cadence table. `relc docs update` puts the
// Markdown forms into a project's documents. Output is deterministic: the
// same plans give the same bytes.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_REPORT_REPORT_H
#define RELC_REPORT_REPORT_H

#include "Sema/Plan.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace relc::report {

using Plans = llvm::ArrayRef<std::unique_ptr<sema::Plan>>;

/// Which legs a command shows, besides their channel (`--where`).
using LegFilter =
    std::function<bool(const sema::Plan &, const sema::Matrix &, size_t)>;

/// The legs of \p m built for channel \p channel (all when empty) that
/// \p keep keeps (all when it is empty).
std::vector<size_t> selectLegs(const sema::Plan &plan, const sema::Matrix &m,
                               llvm::StringRef channel,
                               const LegFilter &keep = {});

/// The matrices of \p plan named \p name (all, when it is empty).
std::vector<const sema::Matrix *> selectMatrices(const sema::Plan &plan,
                                                 llvm::StringRef name);

/// The plan in \p plans of the minor release \p plan (a patch) stands on,
/// or null: a patch is shown under its minor when its minor is shown.
const sema::Plan *minorIn(const sema::Plan &plan,
                          llvm::ArrayRef<const sema::Plan *> plans);

/// The release compatibility table: one row per minor release (a patch
/// builds its minor's matrix; one stands for its minor only when the minor
/// is not among \p plans, the latest such patch), newest first, with
/// the values each ships in its narrowest channel; one table per project,
/// headed by its name, separated by a blank line.
void printCompatTable(Plans plans, llvm::StringRef matrixName,
                      llvm::raw_ostream &os, const LegFilter &keep = {});

/// One dated milestone of a release: a schedule entry or a planned patch.
struct CalendarEvent {
  const sema::Plan *plan;
  std::string milestone; ///< `branch_cut`; `patch-2.4.1` for a patch.
  std::string version;   ///< The release's; the patch's for a patch.
  Date date;
  bool patch = false;
  /// `pytorch-2.4.0-branch_cut@relc`: the same milestone of the same
  /// release always has the same UID, so a calendar generated again
  /// updates its events instead of adding copies.
  std::string uid() const;
  /// `pytorch 2.4.0 branch cut`, `pytorch 2.4.1 patch release`.
  std::string summary() const;
};

/// Every dated milestone of \p plans, in date order (ties: in the order of
/// the plans' first dates, then of each schedule).
std::vector<CalendarEvent> calendarEvents(Plans plans);

struct ICalendarOptions {
  std::string relcVersion;
  /// DTSTAMP of every event, in seconds since 1970 (SOURCE_DATE_EPOCH).
  /// Without it, each event's is 00:00 UTC of the last date of its
  /// release's schedule: derived from the plans, never from the clock.
  std::optional<int64_t> timestamp;
};

/// An iCalendar (RFC 5545) file of \p plans' milestones: one all-day VEVENT
/// per milestone, CRLF line endings, lines folded at 75 octets.
void printICalendar(Plans plans, const ICalendarOptions &opts,
                    llvm::raw_ostream &os);

/// The release cadence table, in the shape of PyTorch's RELEASE.md: one row
/// per release in date order, a column per milestone, then as many patch
/// columns as the patch policy allows ("Not planned" where none is).
void printCadenceTable(Plans plans, llvm::raw_ostream &os);

/// A date as the cadence table writes it: `10 Jun 2024`.
std::string humanDate(Date d);

} // namespace relc::report

#endif // RELC_REPORT_REPORT_H
