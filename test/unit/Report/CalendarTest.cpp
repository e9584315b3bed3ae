//===- CalendarTest.cpp - Tests for the iCalendar writer ------------------===//
//
// What plans written in relc's grammar cannot reach: text that needs
// escaping, and folding next to multi-byte UTF-8 characters, which must
// never be split (RFC 5545 section 3.1).
//
//===----------------------------------------------------------------------===//

#include "Report/Report.h"

#include "llvm/ADT/StringExtras.h"

#include "gtest/gtest.h"

using namespace relc;

namespace {

std::unique_ptr<sema::Plan> plan(std::string project, const char *version) {
  auto p = std::make_unique<sema::Plan>();
  p->project = std::move(project);
  p->version = Version::parse(version);
  p->milestones.push_back({"branch_cut", *Date::fromYMD(2026, 1, 5), {}});
  p->milestones.push_back({"release", *Date::fromYMD(2026, 2, 2), {}});
  return p;
}

std::string ics(report::Plans plans, std::optional<int64_t> stamp = {}) {
  std::string s;
  llvm::raw_string_ostream os(s);
  report::printICalendar(plans, {"9.9.9", stamp}, os);
  return os.str();
}

TEST(CalendarTest, FoldsOutsideUtf8Sequences) {
  std::vector<std::unique_ptr<sema::Plan>> plans;
  // 2-byte characters from the start: a fold at octet 75 would split one.
  plans.push_back(plan(std::string(60, 'x') +
                           "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                           "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                       "1.0.0"));
  std::string text = ics(plans);
  llvm::SmallVector<llvm::StringRef, 0> lines;
  llvm::StringRef(text).split(lines, "\r\n");
  ASSERT_EQ(lines.back(), "");
  bool folded = false;
  for (llvm::StringRef line : llvm::makeArrayRef(lines).drop_back()) {
    EXPECT_LE(line.size(), 75u) << line.str();
    EXPECT_TRUE(line.find('\n') == llvm::StringRef::npos);
    // No line starts or ends inside a sequence: its first byte is not a
    // continuation byte, and it ends on a complete character.
    if (line.startswith(" ")) {
      folded = true;
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80) << line.str();
    }
    EXPECT_NE(static_cast<unsigned char>(line.back()) & 0xE0, 0xC0)
        << line.str();
  }
  EXPECT_TRUE(folded);
}

TEST(CalendarTest, EscapesText) {
  std::vector<std::unique_ptr<sema::Plan>> plans;
  plans.push_back(plan("a,b;c\\d", "1.0.0"));
  std::string text = ics(plans);
  EXPECT_NE(text.find("SUMMARY:a\\,b\\;c\\\\d 1.0.0 branch cut\r\n"),
            std::string::npos)
      << text;
}

TEST(CalendarTest, SourceDateEpochSetsEveryStamp) {
  std::vector<std::unique_ptr<sema::Plan>> plans;
  plans.push_back(plan("demo", "1.0.0"));
  std::string text = ics(plans, 0);
  EXPECT_NE(text.find("DTSTAMP:19700101T000000Z\r\n"), std::string::npos);
  text = ics(plans);
  EXPECT_NE(text.find("DTSTAMP:20260202T000000Z\r\n"), std::string::npos);
}

TEST(CalendarTest, EventsInDateOrderAcrossReleases) {
  std::vector<std::unique_ptr<sema::Plan>> plans;
  plans.push_back(plan("demo", "2.0.0"));
  plans.push_back(plan("demo", "1.0.0"));
  plans[1]->milestones[0].date = *Date::fromYMD(2025, 12, 1);
  std::vector<std::string> uids;
  for (const report::CalendarEvent &e : report::calendarEvents(plans))
    uids.push_back(e.uid());
  EXPECT_EQ(uids, (std::vector<std::string>{"demo-1.0.0-branch_cut@relc",
                                            "demo-2.0.0-branch_cut@relc",
                                            "demo-1.0.0-release@relc",
                                            "demo-2.0.0-release@relc"}));
}

TEST(CalendarTest, HumanDate) {
  EXPECT_EQ(report::humanDate(*Date::fromYMD(2024, 6, 10)), "10 Jun 2024");
  EXPECT_EQ(report::humanDate(*Date::fromYMD(2026, 9, 2)), "2 Sep 2026");
}

} // namespace
