"""kill.py RELC PLAN DIR: kill relc run (SIGKILL) at every step boundary of
the cut and rc stages in turn, after a step's effect reached the remote but
before the journal recorded it, and after it was recorded; then re-run and
check that the remote ends with exactly the intended refs and that no step
acted twice. Prints one line per case; exits 1 on the first wrong outcome."""
import json
import os
import subprocess
import sys

relc, plan, base = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def run(work, stage, *extra):
    return subprocess.run([relc, "run", plan, "--stage", stage, "--execute",
                           *extra], cwd=work, capture_output=True, text=True)


def journal(work):
    path = os.path.join(work, ".git", "relc", "demo-1.0.0", "journal.jsonl")
    entries = []
    with open(path) as f:
        for line in f:
            try:
                entries.append(json.loads(line))
            except ValueError:
                pass  # A line cut short by the kill.
    return entries


def check(case, ok, why):
    print(("ok   " if ok else "FAIL ") + case + ("" if ok else ": " + why))
    if not ok:
        sys.exit(1)


cases = [("cut", point, n) for n in range(1, 5)
         for point in ("after-act", "after-step")]
cases += [("rc", point, 1) for point in ("after-act", "after-step")]
cases += [("rc", "after-step", n) for n in (2, 12, 13)]
for stage, point, n in cases:
    d = os.path.join(base, "%s-%s-%d" % (stage, point, n))
    subprocess.run([os.path.join(here, "mkrepo.sh"), d], check=True)
    work, remote = os.path.join(d, "clone"), os.path.join(d, "remote.git")
    cut = git(remote, "rev-parse", "main")
    if stage == "rc":
        assert run(work, "cut").returncode == 0
    killed = run(work, stage, "--debug-kill=%s:%d" % (point, n))
    case = "%s %s:%d" % (stage, point, n)
    if point == "after-act" and stage == "cut" and n == 1:
        # The wait step acts on nothing: no kill point, the run completes.
        check(case, killed.returncode == 0, "exit %d" % killed.returncode)
    else:
        check(case + " killed", killed.returncode == -9,
              "exit %d: %s" % (killed.returncode, killed.stderr))
    again = run(work, stage)
    check(case + " re-run", again.returncode == 0,
          "exit %d: %s %s" % (again.returncode, again.stdout, again.stderr))
    refs = git(remote, "for-each-ref", "--format=%(refname)").split()
    if stage == "cut":
        want = ["refs/heads/main", "refs/heads/orig/release/1.0",
                "refs/heads/release/1.0"]
        check(case + " refs", refs == want, " ".join(refs))
        check(case + " cut point",
              git(remote, "rev-parse", "release/1.0") == cut and
              git(remote, "rev-parse", "orig/release/1.0") == cut and
              git(remote, "rev-parse", "main~1") == cut,
              "branches not at the cut point, or main bumped twice")
        check(case + " version", git(remote, "show", "main:version.txt") ==
              "1.1.0a0", "version.txt not bumped")
    else:
        check(case + " tags", "refs/tags/v1.0.0-rc1" in refs and
              not any(r.startswith("refs/tags/v1.0.0-rc2") for r in refs),
              " ".join(refs))
    acted = {}
    for e in journal(work):
        if e.get("event") == "step" and e.get("acted"):
            acted[e["key"]] = acted.get(e["key"], 0) + 1
    twice = [k for k, c in acted.items() if c > 1]
    check(case + " once each", not twice, "acted twice: %s" % twice)
