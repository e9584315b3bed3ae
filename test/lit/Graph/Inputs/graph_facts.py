"""Summarises a step graph (relc graph JSON): node and build-leg counts,
whether every need names a node listed earlier (topological order, hence
acyclic), and how many legs the RC stage's checks wait for."""
import json
import sys

g = json.load(open(sys.argv[1]))
seen = set()
ordered = True
for n in g["nodes"]:
    ordered &= all(d in seen for d in n["needs"])
    seen.add(n["id"])
builds = [n for n in g["nodes"] if n["kind"] == "build"]
check = next(n for n in g["nodes"] if n["id"] == "rc/check-picks_landed")
waits = sum(1 for d in check["needs"] if d.startswith("rc/build-"))
print("nodes %d, build legs %d, needs defined before use: %s, "
      "rc checks wait for %d legs" % (len(g["nodes"]), len(builds),
                                      "yes" if ordered else "no", waits))
