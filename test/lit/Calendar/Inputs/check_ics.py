#!/usr/bin/python3
"""Validates an iCalendar file that `relc calendar` wrote, without relc's
writer: python3-icalendar parses it, the RFC 5545 rules relc promises are
checked on the raw bytes (CRLF line endings, content lines of at most 75
octets folded outside UTF-8 sequences), and the events are compared with
the milestones `relc check --emit=plan` prints for each plan.

usage: check_ics.py FILE.ics PLAN...
Prints one line per problem, then a summary line.
"""
import datetime
import subprocess
import sys

from icalendar import Calendar


def expected_events(plans):
    """(uid, date) of every milestone the plans schedule."""
    events = set()
    for plan in plans:
        out = subprocess.run(["relc", "check", "--emit=plan", plan],
                             check=True, capture_output=True, text=True).stdout
        project = version = minor = None
        for line in out.splitlines():
            words = line.split()
            if words[:1] == ["plan"]:
                project, version = words[1], words[2]
            elif words[:2] == ["patch", "of"]:
                # A patch release's events are its minor's: its general
                # availability is the minor's patch event.
                minor = words[2].rstrip(",")
            elif words[:1] == ["milestone"] and minor:
                name = (f"patch-{version}" if words[1] == "release"
                        else f"patch-{version}-{words[1]}")
                events.add((f"{project}-{minor}-{name}@relc",
                            datetime.date.fromisoformat(words[2])))
            elif words[:1] == ["milestone"]:
                events.add((f"{project}-{version}-{words[1]}@relc",
                            datetime.date.fromisoformat(words[2])))
            elif words[:1] == ["patch"]:
                events.add((f"{project}-{version}-patch-{words[1]}@relc",
                            datetime.date.fromisoformat(words[2])))
    return events


def main():
    path, plans = sys.argv[1], sys.argv[2:]
    raw = open(path, "rb").read()
    problems = []

    if not raw.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {n}: a bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {n}: {len(line)} octets, more than 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {n}: folded inside a UTF-8 sequence")

    cal = Calendar.from_ical(raw)
    if cal.name != "VCALENDAR":
        problems.append(f"the object is {cal.name}, not VCALENDAR")
    if str(cal.get("VERSION")) != "2.0":
        problems.append("VERSION is not 2.0")
    if not cal.get("PRODID"):
        problems.append("no PRODID")

    events = cal.walk("VEVENT")
    seen = set()
    dates = []
    for ev in events:
        uid = str(ev.get("UID", ""))
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if prop not in ev:
                problems.append(f"event {uid}: no {prop}")
        if uid in seen:
            problems.append(f"UID {uid} appears twice")
        start = ev.decoded("DTSTART")
        if isinstance(start, datetime.datetime):
            problems.append(f"event {uid}: DTSTART is a date-time, not a date")
        if "DTEND" in ev and ev.decoded("DTEND") != start + datetime.timedelta(days=1):
            problems.append(f"event {uid}: not a one-day event")
        stamp = ev.decoded("DTSTAMP")
        if not isinstance(stamp, datetime.datetime) or stamp.utcoffset() != datetime.timedelta(0):
            problems.append(f"event {uid}: DTSTAMP is not a UTC date-time")
        seen.add(uid)
        dates.append(start)
        version = uid.split("-")[1]
        if version not in str(ev["SUMMARY"]) and "patch" not in uid:
            problems.append(f"event {uid}: SUMMARY does not name {version}")
    if dates != sorted(dates):
        problems.append("events are not in date order")

    want = expected_events(plans)
    have = {(str(ev["UID"]), ev.decoded("DTSTART")) for ev in events}
    for uid, date in sorted(want - have):
        problems.append(f"missing: {uid} on {date}")
    for uid, date in sorted(have - want):
        problems.append(f"unexpected: {uid} on {date}")

    for p in problems:
        print(p)
    print(f"{len(events)} events from {len(plans)} plans, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
