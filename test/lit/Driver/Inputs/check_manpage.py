#!/usr/bin/python3
"""Checks that the hand-written manual page documents the command line relc
has: every subcommand `relc --help` lists, in the SYNOPSIS and in a section
of its own (`.SS "relc NAME"`); every option and option value `relc NAME
--help` lists, in that section (an option every subcommand takes may be
documented once, anywhere); and --help and --version.

usage: check_manpage.py RELC PAGE
"""
import re
import subprocess
import sys


def help_text(relc, *args):
    return subprocess.run([relc, *args, "--help"], check=True,
                          capture_output=True, text=True).stdout


def subcommands(relc):
    text = help_text(relc)
    block = text.split("SUBCOMMANDS:", 1)[1].split("Type ", 1)[0]
    return re.findall(r"^  (\w+) +- ", block, re.M)


def options(relc, sub):
    """{option: [values]} from the 'relc options:' part of SUB --help."""
    parts = help_text(relc, sub).split("relc options:", 1)
    if len(parts) < 2:
        return {}  # A subcommand without options (relc lsp).
    text = parts[1]
    opts = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^  (--?[\w-]+)", line)
        if m:
            current = m.group(1)
            opts[current] = []
            continue
        m = re.match(r"^    =([\w-]+)", line)
        if m and current:
            opts[current].append(m.group(1))
    return opts


def plain(troff):
    """The page's text with comments, font changes and escapes removed."""
    lines = [l for l in troff.splitlines() if not l.startswith('.\\"')]
    text = "\n".join(lines)
    text = re.sub(r"\\f[BIRP]", "", text)
    return text.replace("\\-", "-").replace("\\(dq", '"')


def main():
    relc, page = sys.argv[1], sys.argv[2]
    text = plain(open(page, encoding="utf-8").read())
    sections = {}
    for m in re.finditer(r'^\.SS "relc ([\w ]+)"\n(.*?)(?=^\.S[SH] |\Z)', text,
                         re.M | re.S):
        sections[m.group(1).split()[0]] = m.group(2)
    synopsis = text.split(".SH SYNOPSIS", 1)[1].split(".SH ", 1)[0]

    missing = []
    subs = subcommands(relc)
    all_opts = {s: options(relc, s) for s in subs}
    # Options several subcommands share (--error-limit,
    # --diagnostics-format) are documented once, under OPTIONS.
    counts = {}
    for o in all_opts.values():
        for opt in o:
            counts[opt] = counts.get(opt, 0) + 1
    common = {opt for opt, n in counts.items() if n > 1 and opt != "--format"}
    checked = 0

    def present(word, where):
        return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", where)

    for sub in subs:
        if not re.search(r"^\.B " + re.escape(sub) + r"\b", synopsis, re.M):
            missing.append(f"relc {sub}: not in the SYNOPSIS")
        section = sections.get(sub)
        if section is None:
            missing.append(f'relc {sub}: no section .SS "relc {sub}"')
            continue
        for opt, values in all_opts[sub].items():
            checked += 1
            where = text if opt in common else section
            if not present(opt, where):
                missing.append(f"relc {sub} {opt}: not documented")
            for v in values:
                if not present(v, section if opt not in common else text):
                    missing.append(f"relc {sub} {opt}={v}: not documented")
    for opt in ("--help", "--version"):
        if not present(opt, text):
            missing.append(f"relc {opt}: not documented")

    for m in missing:
        print(m)
    print(f"{len(subs)} subcommands, {checked} options, {len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
