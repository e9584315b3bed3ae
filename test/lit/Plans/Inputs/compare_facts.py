"""Compares the release compatibility table that `relc matrix
--format=markdown` renders from the bundled plans with the facts compiled
from PyTorch's RELEASE.md (test/data/pytorch-release-facts.json).
Exits 1 listing every disagreement."""
import json
import re
import sys

facts_path, table_path = sys.argv[1], sys.argv[2]
facts = {r["pytorch"]: r for r in json.load(open(facts_path))["pytorch_releases"]
         if "stable_cuda" in r}

rows = {}
lines = [l for l in open(table_path) if l.startswith("|")]
header = [c.strip() for c in lines[0].strip().strip("|").split("|")]
for line in lines[2:]:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    rows[cells[0]] = dict(zip(header, cells))


def python_facts(r):
    """(min, max stable, experimental set) from the facts' strings:
    "X (Xt) experimental": X and Xt experimental; "X (Xt experimental)":
    X stable, Xt experimental; "X (Y experimental)": Y experimental."""
    lo = r["python_min"].lstrip(">=")
    mx = r["python_max"]
    m = re.fullmatch(r"([\d.]+) \(([\d.]+t)\) experimental", mx)
    if m:
        x = m.group(1)
        minor = int(x.split(".")[1])
        return lo, "3.%d" % (minor - 1), {x, m.group(2)}
    m = re.fullmatch(r"([\d.]+) \(([\d.t]+) experimental\)", mx)
    if m:
        return lo, m.group(1), {m.group(2)}
    return lo, mx, set()


def python_table(cell):
    m = re.fullmatch(r">=([\d.]+), <=([\d.]+)(?: \((.*) experimental\))?", cell)
    exp = set(m.group(3).split(", ")) if m.group(3) else set()
    return m.group(1), m.group(2), exp


def cuda_facts(entries):
    out = []
    for e in entries:
        s = "CUDA " + e["cuda"]
        if "cudnn" in e:
            s += " (CUDNN %s)" % e["cudnn"]
        if "nccl" in e:
            s += " (NCCL %s)" % e["nccl"]
        out.append(s)
    return ", ".join(out) or "--"


errors = []
for version, r in sorted(facts.items()):
    row = rows.get(version)
    if not row:
        errors.append("%s: no row in the table" % version)
        continue
    want = {
        "Python": python_facts(r),
        "Stable CUDA": cuda_facts(r["stable_cuda"]),
        "Experimental CUDA": cuda_facts(r["experimental_cuda"]),
        "Stable ROCm": "ROCm " + r["stable_rocm"],
        "C++": r["cxx_standard"],
    }
    got = {
        "Python": python_table(row["Python"]),
        # The table leaves out a column no release fills.
        "Stable CUDA": row.get("Stable CUDA", "--"),
        "Experimental CUDA": row.get("Experimental CUDA", "--"),
        "Stable ROCm": row.get("Stable ROCm", "--"),
        "C++": row.get("C++", "--"),
    }
    for key in want:
        if want[key] != got[key]:
            errors.append("%s %s: facts %r, table %r" % (version, key, want[key], got[key]))
for e in errors:
    print(e)
print("%d releases compared, %d disagreements" % (len(facts), len(errors)))
sys.exit(1 if errors else 0)
