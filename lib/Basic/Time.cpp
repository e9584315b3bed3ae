//===- Time.cpp - Calendar dates, durations and sizes ---------------------===//
//
// Parsing and canonical printing of dates, durations and sizes. Dates convert
// to and from a day count with Howard Hinnant's days_from_civil and
// civil_from_days algorithms; durations and sizes are parsed with exact
// integer arithmetic (sizes through llvm::APInt, so `1.5 GiB` is computed
// without rounding) and every overflow is an error, never a wrap.
//
//===----------------------------------------------------------------------===//

#include "Basic/Time.h"
#include "Basic/Words.h"

#include "llvm/ADT/ArrayRef.h"

#include "llvm/ADT/APInt.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <cassert>
#include <cstdint>
#include <cstdio>

using namespace relc;
using llvm::StringRef;

namespace {

std::optional<uint64_t> parseDigits(StringRef digits) {
  uint64_t value = 0;
  for (char c : digits) {
    unsigned d = c - '0';
    if (value > (UINT64_MAX - d) / 10)
      return std::nullopt;
    value = value * 10 + d;
  }
  return value;
}

std::optional<Duration> failDuration(std::string *err, std::string msg) {
  if (err)
    *err = std::move(msg);
  return std::nullopt;
}

std::optional<Date> failDate(std::string *err, std::string msg) {
  if (err)
    *err = std::move(msg);
  return std::nullopt;
}

std::optional<Size> failSize(std::string *err, std::string msg) {
  if (err)
    *err = std::move(msg);
  return std::nullopt;
}

bool isLeapYear(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int daysInMonth(int64_t y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeapYear(y) ? 29 : days[m - 1];
}

const char *const monthNames[] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

std::string formatYMD(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
  return buf;
}

/// Checks a year, month and day; on failure returns why.
std::optional<std::string> checkYMD(int y, int m, int d) {
  if (y < 1 || y > 9999)
    return "year " + std::to_string(y) + " is out of range";
  if (m < 1 || m > 12)
    return "month " + std::to_string(m) + " is out of range";
  if (d < 1 || d > 31)
    return "day " + std::to_string(d) + " is out of range";
  int last = daysInMonth(y, m);
  if (d <= last)
    return std::nullopt;
  std::string date = formatYMD(y, m, d);
  if (m == 2 && d == 29)
    return date + " is not a day (" + std::to_string(y) +
           " is not a leap year)";
  std::string month = monthNames[m - 1];
  if (m == 2)
    month += " " + std::to_string(y);
  return date + " is not a day (" + month + " has " + std::to_string(last) +
         " days)";
}

/// A size unit and the number of bytes in it.
struct SizeUnit {
  StringRef name;
  uint64_t bytes;
};

constexpr uint64_t power(uint64_t base, unsigned exp) {
  return exp == 0 ? 1 : base * power(base, exp - 1);
}

// Largest first: binary units are preferred when printing, then decimal.
const SizeUnit binaryUnits[] = {{"TiB", power(1024, 4)},
                                {"GiB", power(1024, 3)},
                                {"MiB", power(1024, 2)},
                                {"KiB", 1024}};
const SizeUnit decimalUnits[] = {{"TB", power(1000, 4)},
                                 {"GB", power(1000, 3)},
                                 {"MB", power(1000, 2)},
                                 {"KB", 1000},
                                 {"B", 1}};

std::optional<uint64_t> sizeUnitBytes(StringRef name) {
  for (const SizeUnit &u : binaryUnits)
    if (u.name == name)
      return u.bytes;
  for (const SizeUnit &u : decimalUnits)
    if (u.name == name)
      return u.bytes;
  return std::nullopt;
}

} // namespace

//===----------------------------------------------------------------------===//
// Duration
//===----------------------------------------------------------------------===//

std::optional<Duration> Duration::parse(StringRef text, std::string *err) {
  if (text.empty())
    return failDuration(err, "empty duration");
  StringRef digits = text.take_while(llvm::isDigit);
  if (digits.empty()) {
    if (text[0] == '+' || text[0] == '-')
      return failDuration(err, "a duration has no sign");
    return failDuration(err, "expected a number at the start of a duration");
  }
  StringRef rest = text.drop_front(digits.size());
  StringRef unit = rest.take_while(llvm::isAlpha);
  if (unit.empty()) {
    if (rest.empty())
      return failDuration(err, "missing unit after " + digits.str() +
                                   " (expected w, d, h, m or s)");
    return failDuration(err,
                        "unexpected " + quoteChar(rest[0]) + " in duration");
  }
  int64_t factor = llvm::StringSwitch<int64_t>(unit)
                       .Case("w", 7 * 86400)
                       .Case("d", 86400)
                       .Case("h", 3600)
                       .Case("m", 60)
                       .Case("s", 1)
                       .Default(0);
  if (!factor)
    return failDuration(err, "unknown duration unit '" + unit.str() +
                                 "' (expected w, d, h, m or s)");
  rest = rest.drop_front(unit.size());
  if (!rest.empty())
    return failDuration(err,
                        "unexpected " + quoteChar(rest[0]) + " in duration");
  std::optional<uint64_t> count = parseDigits(digits);
  if (!count || *count > static_cast<uint64_t>(INT64_MAX / factor))
    return failDuration(err, "duration is too long");
  return Duration(static_cast<int64_t>(*count) * factor);
}

std::string Duration::str() const {
  static const std::pair<int64_t, char> units[] = {
      {7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}};
  if (secs != 0)
    for (const auto &u : units)
      if (secs % u.first == 0)
        return std::to_string(secs / u.first) + u.second;
  return std::to_string(secs) + "s";
}

//===----------------------------------------------------------------------===//
// Date
//===----------------------------------------------------------------------===//

std::optional<Date> Date::parse(StringRef text, std::string *err) {
  auto digitsAt = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i)
      if (!llvm::isDigit(text[i]))
        return false;
    return true;
  };
  if (text.size() != 10 || !digitsAt(0, 4) || text[4] != '-' ||
      !digitsAt(5, 2) || text[7] != '-' || !digitsAt(8, 2))
    return failDate(err, "expected a date of the form YYYY-MM-DD");
  int y = 0, m = 0, d = 0;
  // Cannot fail: the fields are all digits and short.
  text.substr(0, 4).getAsInteger(10, y);
  text.substr(5, 2).getAsInteger(10, m);
  text.substr(8, 2).getAsInteger(10, d);
  if (std::optional<std::string> why = checkYMD(y, m, d))
    return failDate(err, *why);
  return Date(y, m, d);
}

std::optional<Date> Date::fromYMD(int year, int month, int day) {
  if (checkYMD(year, month, day))
    return std::nullopt;
  return Date(year, month, day);
}

// days_from_civil, from http://howardhinnant.github.io/date_algorithms.html:
// shift the year to start in March so the leap day comes last, then count
// whole 400-year eras, years of the era and days of the year.
int64_t Date::toDays() const {
  int64_t year = static_cast<int64_t>(y) - (m <= 2);
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t yoe = year - era * 400;                                // [0, 399]
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; // [0, 365]
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

// civil_from_days, the inverse of the above. A day count outside years
// 1..9999 gives a date outside them too (operator+ and operator- do not
// check), so callers that do date arithmetic must check the range.
Date Date::fromDays(int64_t days) {
  // Keeps every intermediate, and the year, well inside its type.
  assert(days > -(int64_t(1) << 40) && days < (int64_t(1) << 40) &&
         "day count out of range");
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097; // [0, 146096]
  int64_t yoe =
      (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);     // [0, 365]
  int64_t mp = (5 * doy + 2) / 153;                          // [0, 11]
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);  // [1, 31]
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);   // [1, 12]
  int64_t year = yoe + era * 400 + (month <= 2);
  return Date(static_cast<int>(year), month, day);
}

std::string Date::str() const { return formatYMD(y, m, d); }

//===----------------------------------------------------------------------===//
// Size
//===----------------------------------------------------------------------===//

std::optional<Size> Size::parse(StringRef text, std::string *err) {
  if (text.empty())
    return failSize(err, "empty size");
  StringRef whole = text.take_while(llvm::isDigit);
  if (whole.empty()) {
    if (text[0] == '+' || text[0] == '-')
      return failSize(err, "a size has no sign");
    return failSize(err, "expected a number at the start of a size");
  }
  StringRef rest = text.drop_front(whole.size());
  StringRef fraction;
  if (rest.consume_front(".")) {
    fraction = rest.take_while(llvm::isDigit);
    if (fraction.empty())
      return failSize(err, "expected digits after '.'");
    rest = rest.drop_front(fraction.size());
  }
  rest = rest.ltrim(" \t");
  StringRef unitName = rest.take_while(llvm::isAlpha);
  if (unitName.empty()) {
    if (rest.empty())
      return failSize(err, "missing unit after the number (expected B, KB, "
                           "MB, GB, TB, KiB, MiB, GiB or TiB)");
    return failSize(err, "unexpected " + quoteChar(rest[0]) + " in size");
  }
  std::optional<uint64_t> unit = sizeUnitBytes(unitName);
  if (!unit)
    return failSize(err, "unknown size unit '" + unitName.str() +
                             "' (expected B, KB, MB, GB, TB, KiB, MiB, GiB "
                             "or TiB)");
  rest = rest.drop_front(unitName.size());
  if (!rest.empty())
    return failSize(err, "unexpected " + quoteChar(rest[0]) + " in size");

  // The value is whole * unit + fraction * unit / 10^f, f the number of
  // fraction digits. Leading zeros of the whole part and trailing zeros of
  // the fraction do not change it; once they are gone, a fraction ending in
  // a non-zero digit d gives whole bytes only when 10^f divides
  // fraction * unit, so when 2^f does (d odd; a unit has at most 2^40) or 5^f
  // does (d even, so not a multiple of 5; a unit has at most 5^12): f <= 40.
  // A whole part of more than 20 digits is at least 10^20 > 2^64. Within
  // those bounds everything fits in 256 bits.
  whole = whole.ltrim('0');
  fraction = fraction.rtrim('0');
  if (fraction.size() > 40)
    return failSize(err, "size is not a whole number of bytes");
  const unsigned bits = 256;
  auto decimal = [&](StringRef digits) {
    llvm::APInt value(bits, 0);
    for (char c : digits)
      value = value * 10 + (c - '0');
    return value;
  };
  llvm::APInt scale(bits, 1);
  for (size_t i = 0; i < fraction.size(); ++i)
    scale *= 10;
  llvm::APInt fractionBytes(bits, 0), remainder(bits, 0);
  llvm::APInt::udivrem(decimal(fraction) * *unit, scale, fractionBytes,
                       remainder);
  if (remainder != 0)
    return failSize(err, "size is not a whole number of bytes");
  if (whole.size() > 20)
    return failSize(err, "size does not fit in 64 bits");
  llvm::APInt total = decimal(whole) * *unit + fractionBytes;
  if (total.getActiveBits() > 64)
    return failSize(err, "size does not fit in 64 bits");
  return Size(total.getZExtValue());
}

std::string Size::str() const {
  // The largest unit of either kind that divides exactly, so `2 GB` stays
  // `2 GB` and `1 GiB` stays `1 GiB`; binary wins a tie of equal size.
  const SizeUnit *best = nullptr;
  auto consider = [&](llvm::ArrayRef<SizeUnit> units) {
    for (const SizeUnit &u : units)
      if (n != 0 && n % u.bytes == 0 && (!best || u.bytes > best->bytes))
        best = &u;
  };
  consider(binaryUnits);
  consider(decimalUnits);
  if (!best)
    return std::to_string(n) + " B";
  return std::to_string(n / best->bytes) + " " + best->name.str();
}
