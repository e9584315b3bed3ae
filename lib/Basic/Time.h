//===- Time.h - Calendar dates, durations and sizes -----------------------===//
//
// The literal types of release plans other than versions: schedule dates
// (`2024-06-10`), durations (`2w`, `3d`, `12h`), and artifact sizes
// (`1 GiB`). Each parses from the text the lexer matched and prints back in
// one canonical spelling, which is what `relc fmt` writes.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_TIME_H
#define RELC_BASIC_TIME_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace relc {

/// A span of time, kept in seconds. Units: w, d, h, m (minutes), s.
class Duration {
public:
  Duration() = default;
  static Duration seconds(int64_t s) { return Duration(s); }
  static Duration days(int64_t d) { return Duration(d * 86400); }
  /// Parses `<digits><unit>` with unit one of w d h m s; no sign, no spaces,
  /// no overflow past int64 seconds.
  static std::optional<Duration> parse(llvm::StringRef text,
                                       std::string *err = nullptr);
  int64_t inSeconds() const { return secs; }
  /// True when the duration is a whole number of days (usable on dates).
  bool isWholeDays() const { return secs % 86400 == 0; }
  int64_t inDays() const { return secs / 86400; }
  /// The largest unit that divides it exactly: 14d -> `2w`, 36h -> `36h`.
  std::string str() const;
  friend bool operator==(Duration a, Duration b) { return a.secs == b.secs; }
  friend bool operator<(Duration a, Duration b) { return a.secs < b.secs; }

private:
  explicit Duration(int64_t s) : secs(s) {}
  int64_t secs = 0;
};

/// A proleptic Gregorian calendar date, years 1..9999.
class Date {
public:
  Date() = default;
  /// Parses `YYYY-MM-DD`, rejecting impossible dates (2023-02-29, 2024-13-01).
  static std::optional<Date> parse(llvm::StringRef text,
                                   std::string *err = nullptr);
  static std::optional<Date> fromYMD(int year, int month, int day);
  /// Days since 1970-01-01 (negative before).
  int64_t toDays() const;
  static Date fromDays(int64_t days);
  int year() const { return y; }
  int month() const { return m; }
  int day() const { return d; }
  /// Adds whole days of \p dur (the checker rejects sub-day durations first).
  Date operator+(Duration dur) const {
    return fromDays(toDays() + dur.inDays());
  }
  Date operator-(Duration dur) const {
    return fromDays(toDays() - dur.inDays());
  }
  /// `YYYY-MM-DD`.
  std::string str() const;
  friend bool operator==(Date a, Date b) { return a.toDays() == b.toDays(); }
  friend bool operator!=(Date a, Date b) { return !(a == b); }
  friend bool operator<(Date a, Date b) { return a.toDays() < b.toDays(); }
  friend bool operator<=(Date a, Date b) { return a.toDays() <= b.toDays(); }

private:
  Date(int y, int m, int d) : y(y), m(m), d(d) {}
  int y = 1970, m = 1, d = 1;
};

/// A size in bytes. Units B, KB, MB, GB, TB (powers of 1000) and KiB, MiB,
/// GiB, TiB (powers of 1024); a decimal number is allowed (`1.5 GiB`).
class Size {
public:
  Size() = default;
  static Size bytes(uint64_t b) { return Size(b); }
  /// Parses `<number>[ \t]*<unit>`; the result must be a whole number of
  /// bytes and fit in 64 bits.
  static std::optional<Size> parse(llvm::StringRef text,
                                   std::string *err = nullptr);
  uint64_t inBytes() const { return n; }
  /// The largest unit of either kind that divides it exactly (`1 GiB`,
  /// `500 MB`, `2 GB`), else bytes (`12 B`).
  std::string str() const;
  friend bool operator==(Size a, Size b) { return a.n == b.n; }
  friend bool operator<(Size a, Size b) { return a.n < b.n; }

private:
  explicit Size(uint64_t n) : n(n) {}
  uint64_t n = 0;
};

} // namespace relc

#endif // RELC_BASIC_TIME_H
