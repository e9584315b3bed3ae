//===- CalendarCommand.cpp - relc calendar --------------------------------===//
//
// Prints the dated milestones of the release files given as one iCalendar
// file or one Markdown cadence table, in date order. SOURCE_DATE_EPOCH (the
// reproducible-builds convention) sets every event's DTSTAMP; without it the
// stamps come from the plans, so the output depends on nothing else.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Compilation.h"

#include "Basic/Config.h"
#include "Report/Report.h"

#include "llvm/Support/raw_ostream.h"

using namespace relc;

int relc::runCalendar(const CalendarOptions &opts, const DriverEnv &env) {
  report::ICalendarOptions ics;
  ics.relcVersion = RELC_VERSION;
  if (!opts.sourceDateEpoch.empty()) {
    int64_t secs;
    if (llvm::StringRef(opts.sourceDateEpoch).getAsInteger(10, secs) ||
        secs < 0 || secs > 253402300799) { // 9999-12-31T23:59:59Z
      env.err << "relc calendar: error: SOURCE_DATE_EPOCH is '"
              << opts.sourceDateEpoch
              << "'; it must be a number of seconds since 1970-01-01\n";
      return 2;
    }
    ics.timestamp = secs;
  }
  Compilation comp(env, opts.diagnostics);
  std::vector<std::unique_ptr<sema::Plan>> plans =
      comp.loadReleases(opts.files, "calendar");
  DiagnosticEngine &diags = comp.getDiags();
  diags.flush();
  if (diags.hasErrors())
    return diags.exitCode();
  if (opts.format == CalendarOptions::Format::ICS)
    report::printICalendar(plans, ics, env.out);
  else
    report::printCadenceTable(plans, env.out);
  return 0;
}
