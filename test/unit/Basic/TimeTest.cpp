//===- TimeTest.cpp - Tests for dates, durations and sizes ----------------===//
//
// Tests of relc::Date, relc::Duration and relc::Size: what each accepts and
// rejects (with the reason), leap years, day counts against known values and
// across the whole year range, date arithmetic over month and year
// boundaries, exact decimal sizes at the edge of 64 bits, and the canonical
// spellings printed back.
//
//===----------------------------------------------------------------------===//

#include "Basic/Time.h"

#include "gtest/gtest.h"

#include <tuple>

using namespace relc;

namespace {

//===----------------------------------------------------------------------===//
// Date
//===----------------------------------------------------------------------===//

Date date(const char *text) {
  std::string err;
  std::optional<Date> d = Date::parse(text, &err);
  EXPECT_TRUE(d.has_value()) << "'" << text << "' did not parse: " << err;
  return d.value_or(Date());
}

TEST(DateTest, Parse) {
  Date d = date("2024-06-10");
  EXPECT_EQ(d.year(), 2024);
  EXPECT_EQ(d.month(), 6);
  EXPECT_EQ(d.day(), 10);

  Date first = date("0001-01-01");
  EXPECT_EQ(first.year(), 1);
  EXPECT_EQ(first.month(), 1);
  EXPECT_EQ(first.day(), 1);

  Date last = date("9999-12-31");
  EXPECT_EQ(last.year(), 9999);
  EXPECT_EQ(last.month(), 12);
  EXPECT_EQ(last.day(), 31);
}

struct DateReject {
  const char *input;
  const char *error; // nullptr: any message will do, but there must be one.
};

TEST(DateTest, Rejected) {
  const DateReject cases[] = {
      {"", "expected a date of the form YYYY-MM-DD"},
      {"2024-6-10", "expected a date of the form YYYY-MM-DD"},
      {"24-06-10", "expected a date of the form YYYY-MM-DD"},
      {"02024-06-10", nullptr},
      {"2024-06-010", nullptr},
      {"2024/06/10", nullptr},
      {"2024/06-10", nullptr},
      {"2024-06/10", nullptr},
      {"20240-6-10", nullptr},
      {"2024-06-10 ", nullptr},
      {" 2024-06-10", nullptr},
      {"2024-06-1a", nullptr},
      {"+024-06-10", nullptr},
      {"2024-+6-10", nullptr},
      {"2024-06-10T00:00", nullptr},
      {"0000-01-01", "year 0 is out of range"},
      {"2024-00-10", "month 0 is out of range"},
      {"2024-13-01", "month 13 is out of range"},
      {"2024-01-00", "day 0 is out of range"},
      {"2024-01-32", "day 32 is out of range"},
      {"2023-02-29", "2023-02-29 is not a day (2023 is not a leap year)"},
      {"1900-02-29", "1900-02-29 is not a day (1900 is not a leap year)"},
      {"2024-02-30", "2024-02-30 is not a day (february 2024 has 29 days)"},
      {"2023-02-31", "2023-02-31 is not a day (february 2023 has 28 days)"},
      {"2024-04-31", "2024-04-31 is not a day (april has 30 days)"},
      {"2024-06-31", nullptr},
      {"2024-09-31", nullptr},
      {"2024-11-31", nullptr},
  };
  for (const DateReject &c : cases) {
    SCOPED_TRACE(std::string("'") + c.input + "'");
    std::string err;
    std::optional<Date> d = Date::parse(c.input, &err);
    EXPECT_FALSE(d.has_value()) << "parsed as " << d->str();
    EXPECT_FALSE(err.empty());
    if (c.error) {
      EXPECT_EQ(err, c.error);
    }
    EXPECT_FALSE(Date::parse(c.input).has_value());
  }
}

TEST(DateTest, LeapYears) {
  // Divisible by 4, except centuries, except those divisible by 400.
  for (const char *leap : {"2024-02-29", "2000-02-29", "1600-02-29",
                           "0004-02-29", "0400-02-29", "9996-02-29"})
    EXPECT_TRUE(Date::parse(leap).has_value()) << leap;
  for (const char *notLeap : {"2023-02-29", "1900-02-29", "2100-02-29",
                              "0001-02-29", "0100-02-29", "9999-02-29"})
    EXPECT_FALSE(Date::parse(notLeap).has_value()) << notLeap;
  // The day after February 28 depends on the year.
  EXPECT_EQ((date("2024-02-28") + Duration::days(1)).str(), "2024-02-29");
  EXPECT_EQ((date("2023-02-28") + Duration::days(1)).str(), "2023-03-01");
  EXPECT_EQ((date("2000-02-28") + Duration::days(1)).str(), "2000-02-29");
  EXPECT_EQ((date("1900-02-28") + Duration::days(1)).str(), "1900-03-01");
  // Leap years are 366 days long.
  EXPECT_EQ(date("2025-01-01").toDays() - date("2024-01-01").toDays(), 366);
  EXPECT_EQ(date("2024-01-01").toDays() - date("2023-01-01").toDays(), 365);
  EXPECT_EQ(date("2001-01-01").toDays() - date("2000-01-01").toDays(), 366);
  EXPECT_EQ(date("1901-01-01").toDays() - date("1900-01-01").toDays(), 365);
}

TEST(DateTest, FromYMD) {
  std::optional<Date> d = Date::fromYMD(2024, 2, 29);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->str(), "2024-02-29");
  EXPECT_FALSE(Date::fromYMD(2023, 2, 29).has_value());
  EXPECT_FALSE(Date::fromYMD(0, 1, 1).has_value());
  EXPECT_FALSE(Date::fromYMD(10000, 1, 1).has_value());
  EXPECT_FALSE(Date::fromYMD(-1, 1, 1).has_value());
  EXPECT_FALSE(Date::fromYMD(2024, 0, 1).has_value());
  EXPECT_FALSE(Date::fromYMD(2024, 13, 1).has_value());
  EXPECT_FALSE(Date::fromYMD(2024, 1, 0).has_value());
  EXPECT_FALSE(Date::fromYMD(2024, 4, 31).has_value());
  EXPECT_TRUE(Date::fromYMD(9999, 12, 31).has_value());
  EXPECT_TRUE(Date::fromYMD(1, 1, 1).has_value());
}

TEST(DateTest, ToDays) {
  // Known day counts (checked against Python's datetime.date).
  EXPECT_EQ(date("1970-01-01").toDays(), 0);
  EXPECT_EQ(date("1970-01-02").toDays(), 1);
  EXPECT_EQ(date("1969-12-31").toDays(), -1);
  EXPECT_EQ(date("2000-03-01").toDays(), 11017);
  EXPECT_EQ(date("2024-06-10").toDays(), 19884);
  EXPECT_EQ(date("1600-02-29").toDays(), -135081);
  EXPECT_EQ(date("0001-01-01").toDays(), -719162);
  EXPECT_EQ(date("9999-12-31").toDays(), 2932896);
  EXPECT_EQ(Date().toDays(), 0);
  EXPECT_EQ(Date().str(), "1970-01-01");

  EXPECT_EQ(Date::fromDays(0).str(), "1970-01-01");
  EXPECT_EQ(Date::fromDays(-1).str(), "1969-12-31");
  EXPECT_EQ(Date::fromDays(19884).str(), "2024-06-10");
  EXPECT_EQ(Date::fromDays(-135081).str(), "1600-02-29");
  EXPECT_EQ(Date::fromDays(-719162).str(), "0001-01-01");
  EXPECT_EQ(Date::fromDays(2932896).str(), "9999-12-31");
}

// Walks every day of years 1..9999: fromDays must give a valid date, one day
// after the previous one, and toDays must invert it.
TEST(DateTest, EveryDayRoundTrips) {
  int64_t first = date("0001-01-01").toDays();
  int64_t last = date("9999-12-31").toDays();
  Date prev = Date::fromDays(first);
  EXPECT_EQ(prev.str(), "0001-01-01");
  int failures = 0;
  for (int64_t n = first + 1; n <= last && failures < 5; ++n) {
    Date d = Date::fromDays(n);
    bool ok = d.toDays() == n &&
              Date::fromYMD(d.year(), d.month(), d.day()).has_value();
    if (d.day() == 1)
      ok =
          ok &&
          (d.month() == 1
               ? d.year() == prev.year() + 1 && prev.month() == 12 &&
                     prev.day() == 31
               : d.year() == prev.year() && d.month() == prev.month() + 1 &&
                     !Date::fromYMD(prev.year(), prev.month(), prev.day() + 1));
    else
      ok = ok && d.year() == prev.year() && d.month() == prev.month() &&
           d.day() == prev.day() + 1;
    if (!ok) {
      ADD_FAILURE() << "day " << n << " is " << d.str() << " after "
                    << prev.str();
      ++failures;
    }
    prev = d;
  }
  EXPECT_EQ(prev.str(), "9999-12-31");
}

TEST(DateTest, Arithmetic) {
  struct Case {
    const char *from;
    Duration by;
    const char *to;
  };
  const Case cases[] = {
      {"2024-06-10", Duration::days(0), "2024-06-10"},
      {"2024-06-10", Duration::days(1), "2024-06-11"},
      {"2024-01-31", Duration::days(1), "2024-02-01"},
      {"2024-04-30", Duration::days(1), "2024-05-01"},
      {"2024-02-29", Duration::days(1), "2024-03-01"},
      {"2023-12-31", Duration::days(1), "2024-01-01"},
      {"2024-06-10", Duration::days(14), "2024-06-24"},
      {"2024-12-20", Duration::days(21), "2025-01-10"},
      {"2024-01-01", Duration::days(366), "2025-01-01"},
      {"2023-01-01", Duration::days(365), "2024-01-01"},
      {"2024-01-31", Duration::days(30), "2024-03-01"},
      {"2023-01-31", Duration::days(30), "2023-03-02"},
      {"1999-12-31", Duration::days(1), "2000-01-01"},
      {"1969-12-31", Duration::days(2), "1970-01-02"},
      {"0001-01-01", Duration::days(365), "0002-01-01"},
      {"2024-06-10", Duration::days(-10), "2024-05-31"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string(c.from) + " + " + c.by.str());
    Date from = date(c.from), to = date(c.to);
    EXPECT_EQ((from + c.by).str(), c.to);
    EXPECT_EQ((to - c.by).str(), c.from);
  }
  // Sub-day parts are dropped (the checker rejects them before this).
  EXPECT_EQ((date("2024-06-10") + Duration::seconds(86399)).str(),
            "2024-06-10");
  EXPECT_EQ((date("2024-06-10") + *Duration::parse("2w")).str(), "2024-06-24");
  EXPECT_EQ((date("2024-03-01") - *Duration::parse("1d")).str(), "2024-02-29");
  EXPECT_EQ((date("2024-01-01") - *Duration::parse("1d")).str(), "2023-12-31");
  EXPECT_EQ((date("2025-01-06") - *Duration::parse("2w")).str(), "2024-12-23");
}

TEST(DateTest, Comparison) {
  EXPECT_TRUE(date("2024-06-10") == date("2024-06-10"));
  EXPECT_FALSE(date("2024-06-10") != date("2024-06-10"));
  EXPECT_TRUE(date("2024-06-10") != date("2024-06-11"));
  EXPECT_TRUE(date("2024-06-10") < date("2024-06-11"));
  EXPECT_TRUE(date("2023-12-31") < date("2024-01-01"));
  EXPECT_TRUE(date("2024-01-31") < date("2024-02-01"));
  EXPECT_FALSE(date("2024-06-11") < date("2024-06-10"));
  EXPECT_FALSE(date("2024-06-10") < date("2024-06-10"));
  EXPECT_TRUE(date("2024-06-10") <= date("2024-06-10"));
  EXPECT_FALSE(date("2024-06-11") <= date("2024-06-10"));
}

TEST(DateTest, StrRoundTrip) {
  for (const char *text :
       {"0001-01-01", "0009-09-09", "0999-10-31", "1970-01-01", "2024-06-10",
        "2024-12-01", "9999-12-31"}) {
    Date d = date(text);
    EXPECT_EQ(d.str(), text);
    std::optional<Date> again = Date::parse(d.str());
    ASSERT_TRUE(again.has_value()) << text;
    EXPECT_EQ(again->toDays(), d.toDays()) << text;
  }
}

//===----------------------------------------------------------------------===//
// Duration
//===----------------------------------------------------------------------===//

int64_t seconds(const char *text) {
  std::string err;
  std::optional<Duration> d = Duration::parse(text, &err);
  EXPECT_TRUE(d.has_value()) << "'" << text << "' did not parse: " << err;
  return d ? d->inSeconds() : -1;
}

TEST(DurationTest, Parse) {
  EXPECT_EQ(seconds("2w"), 2 * 7 * 86400);
  EXPECT_EQ(seconds("3d"), 3 * 86400);
  EXPECT_EQ(seconds("12h"), 12 * 3600);
  EXPECT_EQ(seconds("90m"), 90 * 60);
  EXPECT_EQ(seconds("45s"), 45);
  EXPECT_EQ(seconds("0s"), 0);
  EXPECT_EQ(seconds("0w"), 0);
  EXPECT_EQ(seconds("007d"), 7 * 86400);
  EXPECT_EQ(seconds("1000000w"), int64_t(1000000) * 7 * 86400);
  // The edges of int64_t seconds.
  EXPECT_EQ(seconds("9223372036854775807s"), INT64_MAX);
  EXPECT_EQ(seconds("15250284452471w"), int64_t(15250284452471) * 604800);
  EXPECT_EQ(seconds("106751991167300d"), int64_t(106751991167300) * 86400);
  EXPECT_EQ(seconds("153722867280912930m"), int64_t(153722867280912930) * 60);
  EXPECT_EQ(seconds("2562047788015215h"), int64_t(2562047788015215) * 3600);

  std::optional<Duration> d = Duration::parse("3d");
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->isWholeDays());
  EXPECT_EQ(d->inDays(), 3);
  EXPECT_TRUE(*d == Duration::days(3));
  EXPECT_TRUE(Duration::days(2) < *d);
  std::optional<Duration> h = Duration::parse("36h");
  ASSERT_TRUE(h.has_value());
  EXPECT_FALSE(h->isWholeDays());
  EXPECT_EQ(h->inDays(), 1);
}

TEST(DurationTest, Rejected) {
  struct Case {
    const char *input;
    const char *error; // nullptr: any message will do.
  };
  const Case cases[] = {
      {"", "empty duration"},
      {"d", "expected a number at the start of a duration"},
      {"-3d", "a duration has no sign"},
      {"+3d", "a duration has no sign"},
      {"3", "missing unit after 3 (expected w, d, h, m or s)"},
      {"3y", "unknown duration unit 'y' (expected w, d, h, m or s)"},
      {"3D", "unknown duration unit 'D' (expected w, d, h, m or s)"},
      {"3dd", "unknown duration unit 'dd' (expected w, d, h, m or s)"},
      {"3W", nullptr},
      {"3H", nullptr},
      {"3M", nullptr},
      {"3S", nullptr},
      {"3ms", nullptr},
      {"3 d", "unexpected ' ' in duration"},
      {"3d ", "unexpected ' ' in duration"},
      {" 3d", nullptr},
      {"3.5d", "unexpected '.' in duration"},
      {"1w2d", "unexpected '2' in duration"},
      {"9223372036854775808s", "duration is too long"},
      {"15250284452472w", "duration is too long"},
      {"106751991167301d", "duration is too long"},
      {"2562047788015216h", "duration is too long"},
      {"153722867280912931m", "duration is too long"},
      {"99999999999999999999999999d", "duration is too long"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string("'") + c.input + "'");
    std::string err;
    std::optional<Duration> d = Duration::parse(c.input, &err);
    EXPECT_FALSE(d.has_value()) << "parsed as " << d->str();
    EXPECT_FALSE(err.empty());
    if (c.error) {
      EXPECT_EQ(err, c.error);
    }
    EXPECT_FALSE(Duration::parse(c.input).has_value());
  }
}

TEST(DurationTest, Str) {
  struct Case {
    int64_t secs;
    const char *str;
  };
  const Case cases[] = {
      {0, "0s"},          {1, "1s"},
      {59, "59s"},        {60, "1m"},
      {61, "61s"},        {90 * 60, "90m"},
      {120 * 60, "2h"},   {36 * 3600, "36h"},
      {48 * 3600, "2d"},  {86400, "1d"},
      {6 * 86400, "6d"},  {7 * 86400, "1w"},
      {14 * 86400, "2w"}, {15 * 86400, "15d"},
      {-86400, "-1d"},    {INT64_MAX, "9223372036854775807s"},
  };
  for (const Case &c : cases) {
    Duration d = Duration::seconds(c.secs);
    EXPECT_EQ(d.str(), c.str) << c.secs;
    if (c.secs < 0)
      continue;
    std::optional<Duration> again = Duration::parse(d.str());
    ASSERT_TRUE(again.has_value()) << c.str;
    EXPECT_EQ(again->inSeconds(), c.secs);
  }
  EXPECT_EQ(Duration::parse("14d")->str(), "2w");
  EXPECT_EQ(Duration::parse("24h")->str(), "1d");
  EXPECT_EQ(Duration::parse("3600s")->str(), "1h");
  EXPECT_EQ(Duration::parse("0w")->str(), "0s");
}

//===----------------------------------------------------------------------===//
// Size
//===----------------------------------------------------------------------===//

uint64_t bytes(const char *text) {
  std::string err;
  std::optional<Size> s = Size::parse(text, &err);
  EXPECT_TRUE(s.has_value()) << "'" << text << "' did not parse: " << err;
  return s ? s->inBytes() : 0;
}

TEST(SizeTest, Parse) {
  const uint64_t Ki = 1024, K = 1000;
  EXPECT_EQ(bytes("12 B"), 12u);
  EXPECT_EQ(bytes("0 B"), 0u);
  EXPECT_EQ(bytes("1 KB"), K);
  EXPECT_EQ(bytes("500 MB"), 500 * K * K);
  EXPECT_EQ(bytes("3 GB"), 3 * K * K * K);
  EXPECT_EQ(bytes("2 TB"), 2 * K * K * K * K);
  EXPECT_EQ(bytes("1 KiB"), Ki);
  EXPECT_EQ(bytes("1 MiB"), Ki * Ki);
  EXPECT_EQ(bytes("1 GiB"), Ki * Ki * Ki);
  EXPECT_EQ(bytes("5 TiB"), 5 * Ki * Ki * Ki * Ki);
  // Spacing: none, spaces, tabs.
  EXPECT_EQ(bytes("1GiB"), Ki * Ki * Ki);
  EXPECT_EQ(bytes("1\tGiB"), Ki * Ki * Ki);
  EXPECT_EQ(bytes("1 \t  GiB"), Ki * Ki * Ki);
  // Decimal numbers, computed exactly.
  EXPECT_EQ(bytes("1.5 GiB"), 3 * Ki * Ki * Ki / 2);
  EXPECT_EQ(bytes("0.5 KB"), 500u);
  EXPECT_EQ(bytes("1.25 KiB"), 1280u);
  EXPECT_EQ(bytes("0.001 KB"), 1u);
  EXPECT_EQ(bytes("1.000 B"), 1u);
  EXPECT_EQ(bytes("0.0625 KiB"), 64u);
  EXPECT_EQ(bytes("2.5 TB"), 2500 * K * K * K);
  EXPECT_EQ(bytes("0.1 GB"), 100 * K * K);
  EXPECT_EQ(bytes("1.1 TB"), 1100 * K * K * K);
  EXPECT_EQ(bytes("007 B"), 7u);
  EXPECT_EQ(bytes("000000000000000000000000001 B"), 1u);
  EXPECT_EQ(bytes("1.000000000000000000000000000000000000000000000 B"), 1u);
  // 2^-40 TiB, written out in full, is one byte.
  EXPECT_EQ(bytes("0.0000000000009094947017729282379150390625 TiB"), 1u);
  // The edge of 64 bits.
  EXPECT_EQ(bytes("18446744073709551615 B"), UINT64_MAX);
  EXPECT_EQ(bytes("18446744073709551615.000 B"), UINT64_MAX);
  EXPECT_EQ(bytes("18446744.073709551615 TB"), UINT64_MAX);
  EXPECT_EQ(bytes("16777215 TiB"), UINT64_MAX - (Ki * Ki * Ki * Ki - 1));
  EXPECT_EQ(bytes("18446744073709551.615 KB"), UINT64_MAX);
}

TEST(SizeTest, Rejected) {
  struct Case {
    const char *input;
    const char *error; // nullptr: any message will do.
  };
  const Case cases[] = {
      {"", "empty size"},
      {"GiB", "expected a number at the start of a size"},
      {" 1 GiB", "expected a number at the start of a size"},
      {".5 GiB", "expected a number at the start of a size"},
      {"-1 GiB", "a size has no sign"},
      {"+1 GiB", "a size has no sign"},
      {"1", "missing unit after the number (expected B, KB, MB, GB, TB, KiB, "
            "MiB, GiB or TiB)"},
      {"1 ", nullptr},
      {"1. GiB", "expected digits after '.'"},
      {"1.GiB", "expected digits after '.'"},
      {"1 gib", "unknown size unit 'gib' (expected B, KB, MB, GB, TB, KiB, "
                "MiB, GiB or TiB)"},
      {"1 KIB", nullptr},
      {"1 kB", nullptr},
      {"1 Kb", nullptr},
      {"1 b", nullptr},
      {"1 PB", nullptr},
      {"1 PiB", nullptr},
      {"1 bytes", nullptr},
      {"1 GiB ", "unexpected ' ' in size"},
      {"1 G iB", nullptr},
      {"1,5 GiB", "unexpected ',' in size"},
      {"1.5.5 GiB", "unexpected '.' in size"},
      {"1e3 B", nullptr},
      {"1 GiB2", nullptr},
      // Not a whole number of bytes.
      {"1.5 B", "size is not a whole number of bytes"},
      {"0.1 B", "size is not a whole number of bytes"},
      {"0.0001 KB", "size is not a whole number of bytes"},
      {"0.3 KiB", "size is not a whole number of bytes"},
      {"1.0000000001 TiB", "size is not a whole number of bytes"},
      {"0.00000000000045474735088646411895751953125 TiB",
       "size is not a whole number of bytes"},
      {"0.00000000000000000000000000000000000000001 TiB",
       "size is not a whole number of bytes"},
      // Past 64 bits.
      {"18446744073709551616 B", "size does not fit in 64 bits"},
      {"18446744073709551615.5 KB", "size does not fit in 64 bits"},
      {"18446744.073709551616 TB", "size does not fit in 64 bits"},
      {"16777216 TiB", "size does not fit in 64 bits"},
      {"16777215.0000001 TiB", nullptr},
      {"100000000000000000000 B", "size does not fit in 64 bits"},
      {"99999999999999999999999999999999999999 TB",
       "size does not fit in 64 bits"},
      // Both too large and fractional: the fraction is reported.
      {"100000000000000000000.5 B", "size is not a whole number of bytes"},
      {"100000000000000000000.5 KB", "size does not fit in 64 bits"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string("'") + c.input + "'");
    std::string err;
    std::optional<Size> s = Size::parse(c.input, &err);
    EXPECT_FALSE(s.has_value()) << "parsed as " << s->str();
    EXPECT_FALSE(err.empty());
    if (c.error) {
      EXPECT_EQ(err, c.error);
    }
    EXPECT_FALSE(Size::parse(c.input).has_value());
  }
}

TEST(SizeTest, Str) {
  const uint64_t Ki = 1024, K = 1000;
  struct Case {
    uint64_t bytes;
    const char *str;
  };
  const Case cases[] = {
      {0, "0 B"},
      {1, "1 B"},
      {12, "12 B"},
      {1023, "1023 B"},
      {Ki, "1 KiB"},
      {K, "1 KB"},
      {3 * K, "3 KB"},
      {1536, "1536 B"}, // 1.5 KiB, 1.536 KB: neither unit divides it
      {Ki * Ki, "1 MiB"},
      {K * K, "1 MB"},
      {500 * K * K, "500 MB"},
      {Ki * Ki * Ki, "1 GiB"},
      {3 * Ki * Ki * Ki / 2, "1536 MiB"},
      {1000 * Ki, "1000 KiB"}, // KiB is the largest unit dividing 1.024 MB
      {K * K * K, "1 GB"},
      {3 * K * K * K, "3 GB"},
      // Round decimal sizes keep their unit although they are whole numbers
      // of KiB too: the largest dividing unit wins.
      {2 * K * K * K, "2 GB"},
      {K * K * K * K, "1 TB"},
      {Ki * Ki * Ki * Ki, "1 TiB"},
      {2048 * Ki * Ki * Ki * Ki, "2048 TiB"},
      {UINT64_MAX, "18446744073709551615 B"},
  };
  for (const Case &c : cases) {
    Size s = Size::bytes(c.bytes);
    EXPECT_EQ(s.str(), c.str) << c.bytes;
    std::optional<Size> again = Size::parse(s.str());
    ASSERT_TRUE(again.has_value()) << c.str;
    EXPECT_EQ(again->inBytes(), c.bytes) << c.str;
  }
  EXPECT_EQ(Size::parse("1.5 GiB")->str(), "1536 MiB");
  EXPECT_EQ(Size::parse("0.5 GB")->str(), "500 MB");
  EXPECT_EQ(Size::parse("1024 KiB")->str(), "1 MiB");
  EXPECT_EQ(Size::parse("1GiB")->str(), "1 GiB");
  EXPECT_TRUE(*Size::parse("1 KiB") == Size::bytes(1024));
  EXPECT_TRUE(*Size::parse("1 KB") < *Size::parse("1 KiB"));
}

} // namespace
