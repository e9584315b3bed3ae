//===- Calendar.cpp - Release milestones as iCalendar and Markdown -------===//
//
// `relc calendar`: the dated milestones of one or more releases, as an
// iCalendar file (RFC 5545) that people subscribe to, or as the Markdown
// cadence table of PyTorch's RELEASE.md. Both are byte-stable: the UIDs come
// from project, version and milestone, and no field reads the clock.
//
//===----------------------------------------------------------------------===//
#include "Report/Report.h"

#include "Basic/Words.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <map>

using namespace relc;
using namespace relc::report;

namespace {

/// `branch_cut` -> `branch cut`, `final_rc` -> `final RC`.
std::string milestoneWords(llvm::StringRef name) {
  llvm::SmallVector<llvm::StringRef, 4> words;
  name.split(words, '_', -1, /*KeepEmpty=*/false);
  std::vector<std::string> out;
  for (llvm::StringRef w : words)
    out.push_back(w.equals_insensitive("rc") ? "RC" : w.str());
  return llvm::join(out, " ");
}

/// `final RC` -> `Final RC`: a column title.
std::string capitalized(std::string s) {
  if (!s.empty())
    s[0] = llvm::toUpper(s[0]);
  return s;
}

/// The plans in date order: by the first date of each schedule, then by
/// version, so that a glob's file order does not matter.
std::vector<const sema::Plan *> inDateOrder(Plans plans) {
  std::vector<const sema::Plan *> sorted;
  for (const auto &p : plans)
    sorted.push_back(p.get());
  auto first = [](const sema::Plan *p) {
    return p->milestones.empty() ? Date() : p->milestones.front().date;
  };
  std::stable_sort(sorted.begin(), sorted.end(), [&](auto *a, auto *b) {
    if (first(a) != first(b))
      return first(a) < first(b);
    if (a->project != b->project)
      return a->project < b->project;
    return *a->version < *b->version;
  });
  return sorted;
}

/// The plan of patch \p v of \p minor among \p plans, or null.
const sema::Plan *patchPlan(const Version &v, const sema::Plan &minor,
                            llvm::ArrayRef<const sema::Plan *> plans) {
  for (const sema::Plan *p : plans)
    if (p->base && p->project == minor.project && *p->version == v)
      return p;
  return nullptr;
}

/// The last date a release's schedule names (its last patch, usually).
Date lastDate(const sema::Plan &plan) {
  Date last;
  for (const sema::Milestone &m : plan.milestones)
    last = std::max(last, m.date);
  for (const sema::Patch &p : plan.patches)
    last = std::max(last, p.date);
  return last;
}

/// `20240610`: an iCalendar DATE.
std::string compactDate(Date d) {
  std::string s;
  llvm::raw_string_ostream(s)
      << llvm::format("%04d%02d%02d", d.year(), d.month(), d.day());
  return s;
}

/// RFC 5545 3.3.11: TEXT escapes backslash, semicolon, comma and newline.
std::string escapeText(llvm::StringRef s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

/// Writes one content line: CRLF-terminated, folded so that no line is
/// longer than 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence.
void contentLine(llvm::raw_ostream &os, llvm::StringRef line) {
  size_t limit = 75;
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
      --cut;
    os << line.take_front(cut) << "\r\n ";
    line = line.drop_front(cut);
    limit = 74; // The leading space counts.
  }
  os << line << "\r\n";
}

/// The schedule of a release on one line, for each event's DESCRIPTION.
std::string scheduleText(const sema::Plan &plan) {
  std::vector<std::string> parts;
  for (const sema::Milestone &m : plan.milestones)
    parts.push_back(milestoneWords(m.name) + " " + m.date.str());
  for (const sema::Patch &p : plan.patches)
    parts.push_back("patch " + p.version.str() + " " + p.date.str());
  return plan.project + " " + plan.version->str() +
         " schedule: " + llvm::join(parts, ", ") + ".";
}

/// `20240610T000000Z`: an iCalendar DATE-TIME in UTC.
std::string utcStamp(int64_t secs) {
  int64_t days = secs / 86400 - (secs % 86400 < 0); // Floor, before 1970.
  int64_t rest = secs - days * 86400;
  std::string s = compactDate(Date::fromDays(days));
  llvm::raw_string_ostream(s) << llvm::format(
      "T%02d%02d%02dZ", int(rest / 3600), int(rest / 60 % 60), int(rest % 60));
  return s;
}

} // namespace

std::string CalendarEvent::uid() const {
  // A patch's events are its minor's, as when the minor's schedule alone
  // planned it: a calendar made again after the patch gets its own file
  // updates the event rather than adding a second.
  if (plan->base)
    return plan->project + "-" + plan->base->minor.str() + "-" +
           (patch ? milestone : "patch-" + version + "-" + milestone) + "@relc";
  return plan->project + "-" + plan->version->str() + "-" + milestone + "@relc";
}

std::string CalendarEvent::summary() const {
  if (patch)
    return plan->project + " " + version + " patch release";
  return plan->project + " " + version + " " + milestoneWords(milestone);
}

std::vector<CalendarEvent> report::calendarEvents(Plans plans) {
  std::vector<CalendarEvent> events;
  std::vector<const sema::Plan *> sorted = inDateOrder(plans);
  for (const sema::Plan *plan : sorted) {
    std::string version = plan->version->str();
    // A patch's general availability is its patch release.
    for (const sema::Milestone &m : plan->milestones)
      if (plan->base && m.name == "release")
        events.push_back({plan, "patch-" + version, version, m.date, true});
      else
        events.push_back({plan, m.name, version, m.date, false});
    // A patch planned in its own file is that file's.
    for (const sema::Patch &p : plan->patches)
      if (!patchPlan(p.version, *plan, sorted))
        events.push_back(
            {plan, "patch-" + p.version.str(), p.version.str(), p.date, true});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const CalendarEvent &a, const CalendarEvent &b) {
                     return a.date < b.date;
                   });
  return events;
}

void report::printICalendar(Plans plans, const ICalendarOptions &opts,
                            llvm::raw_ostream &os) {
  std::vector<std::string> projects;
  for (const auto &p : plans)
    if (!llvm::is_contained(projects, p->project))
      projects.push_back(p->project);
  llvm::sort(projects);
  std::string name = llvm::join(projects, ", ") + " releases";

  contentLine(os, "BEGIN:VCALENDAR");
  contentLine(os, "VERSION:2.0");
  contentLine(os, "PRODID:-//relc//relc " + opts.relcVersion + "//EN");
  contentLine(os, "CALSCALE:GREGORIAN");
  contentLine(os, "X-WR-CALNAME:" + escapeText(name));
  contentLine(os, "X-WR-CALDESC:" +
                      escapeText("Branch cuts, RCs, releases and patches of " +
                                 llvm::join(projects, ", ") +
                                 ", generated by relc from release plans"));
  // Subscribers refetch daily (RFC 7986 and the older Apple/Google name).
  contentLine(os, "REFRESH-INTERVAL;VALUE=DURATION:P1D");
  contentLine(os, "X-PUBLISHED-TTL:P1D");
  for (const CalendarEvent &e : calendarEvents(plans)) {
    int64_t stamp =
        opts.timestamp ? *opts.timestamp : lastDate(*e.plan).toDays() * 86400;
    contentLine(os, "BEGIN:VEVENT");
    contentLine(os, "UID:" + e.uid());
    contentLine(os, "DTSTAMP:" + utcStamp(stamp));
    contentLine(os, "DTSTART;VALUE=DATE:" + compactDate(e.date));
    contentLine(os, "DTEND;VALUE=DATE:" +
                        compactDate(Date::fromDays(e.date.toDays() + 1)));
    contentLine(os, "SUMMARY:" + escapeText(e.summary()));
    contentLine(os, "DESCRIPTION:" + escapeText(scheduleText(*e.plan)));
    contentLine(os, "CATEGORIES:" + escapeText(e.plan->project));
    // A milestone is a date to know, not time taken: it shows as free.
    contentLine(os, "TRANSP:TRANSPARENT");
    contentLine(os, "END:VEVENT");
  }
  contentLine(os, "END:VCALENDAR");
}

std::string report::humanDate(Date d) {
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
  return std::to_string(d.day()) + " " + months[d.month() - 1] + " " +
         std::to_string(d.year());
}

void report::printCadenceTable(Plans plans, llvm::raw_ostream &os) {
  std::vector<const sema::Plan *> all = inDateOrder(plans), sorted;
  // A patch is a cell of its minor's row.
  for (const sema::Plan *p : all)
    if (!minorIn(*p, all))
      sorted.push_back(p);
  // Each row's patches: its schedule's, with the dates of those planned in
  // files of their own.
  auto patchesOf = [&](const sema::Plan &plan) {
    std::map<Version, Date> dates;
    for (const sema::Patch &p : plan.patches)
      dates[p.version] = p.date;
    for (const sema::Plan *p : all)
      if (minorIn(*p, all) == &plan)
        if (const sema::Milestone *ga = p->milestone("release"))
          dates[*p->version] = ga->date;
    std::vector<Date> out;
    for (const auto &[v, d] : dates)
      out.push_back(d);
    return out;
  };
  // Milestone columns: each schedule's names merged in the order they
  // come, a name new to the columns placed after the one before it.
  std::vector<std::string> columns;
  for (const sema::Plan *plan : sorted) {
    size_t at = 0;
    for (const sema::Milestone &m : plan->milestones) {
      auto it = llvm::find(columns, m.name);
      if (it == columns.end())
        it = columns.insert(columns.begin() + at, m.name);
      at = std::max<size_t>(at, it - columns.begin() + 1);
    }
  }
  // As many patch columns as a policy allows, or as any release plans.
  // A cell past what its release's policy allows is "--", not "Not
  // planned".
  auto allowed = [](const sema::Plan &plan) -> std::optional<size_t> {
    auto max = plan.policy.find("max_per_minor");
    unsigned n;
    if (max == plan.policy.end() || max->second.size() != 1 ||
        llvm::StringRef(max->second[0]).getAsInteger(10, n))
      return std::nullopt;
    return n;
  };
  size_t patches = 0;
  for (const sema::Plan *plan : sorted)
    patches = std::max(
        {patches, patchesOf(*plan).size(), allowed(*plan).value_or(0)});
  bool oneProject = llvm::all_of(sorted, [&](const sema::Plan *p) {
    return p->project == sorted.front()->project;
  });

  os << "| " << (oneProject ? "Minor" : "Release");
  for (const std::string &c : columns)
    os << " | " << capitalized(milestoneWords(c));
  for (size_t i = 1; i <= patches; ++i)
    os << " | " << ordinal(i) << " patch";
  os << " |\n| ---";
  for (size_t i = 0; i < columns.size() + patches; ++i)
    os << " | ---";
  os << " |\n";
  for (const sema::Plan *plan : sorted) {
    const Version &v = *plan->version;
    std::string label =
        v.release().size() <= 3 && v.micro() == 0 && !v.isPrerelease()
            ? std::to_string(v.major()) + "." + std::to_string(v.minor())
            : v.str();
    os << "| " << (oneProject ? "" : plan->project + " ") << label;
    for (const std::string &c : columns) {
      const sema::Milestone *m = plan->milestone(c);
      os << " | " << (m ? humanDate(m->date) : "--");
    }
    std::optional<size_t> limit = allowed(*plan);
    std::vector<Date> dates = patchesOf(*plan);
    for (size_t i = 0; i < patches; ++i)
      os << " | "
         << (i < dates.size()       ? humanDate(dates[i])
             : limit && i >= *limit ? "--"
                                    : "Not planned");
    os << " |\n";
  }
}
