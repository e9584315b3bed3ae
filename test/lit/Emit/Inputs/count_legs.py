"""Prints each job of a generated GitHub workflow with its number of matrix
legs and its needs, in file order."""
import sys
import yaml

wf = yaml.safe_load(open(sys.argv[1]))
for name, job in wf["jobs"].items():
    legs = job.get("strategy", {}).get("matrix", {}).get("include")
    needs = ", ".join(job.get("needs", []))
    if legs is not None:
        print("%s: %d legs, needs %s" % (name, len(legs), needs))
    else:
        print("%s: needs %s" % (name, needs))
