"""Summarises a step graph (relc graph JSON): node and build-leg counts,
whether every need names a node listed earlier (topological order, hence
acyclic), and how many legs the RC stage's checks wait for (through each
leg's last node)."""
import json
import sys

g = json.load(open(sys.argv[1]))
seen = set()
ordered = True
for n in g["nodes"]:
    ordered &= all(d in seen for d in n["needs"])
    seen.add(n["id"])
phases = {"build": 0, "test": 0, "upload": 0}
for n in g["nodes"]:
    if n["kind"] == "build":
        phases[n["fields"]["phase"]] += 1
check = next(n for n in g["nodes"] if n["id"] == "rc/check-picks_landed")
# A leg's last node is its upload (or test, or build when there is none).
waits = sum(1 for d in check["needs"]
            if d.split("/")[1].split("-")[0] in phases)
print("nodes %d, build legs %d (tests %d, uploads %d), needs defined before "
      "use: %s, rc checks wait for %d legs" %
      (len(g["nodes"]), phases["build"], phases["test"], phases["upload"],
       "yes" if ordered else "no", waits))
