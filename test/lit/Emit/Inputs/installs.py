"""Checks that every generated CI job that runs relc installs it first.

Usage: installs.py github|gitlab FILE...

GitHub: a job with a step whose `run` calls `relc` must have the
"Install relc" step before that step. GitLab: a job whose script calls
`relc` must download, check and unpack the package, and put it on PATH,
before that line. Jobs that never run relc (a leg's build or test, which
runs the recipe's command) must not install it. Prints one line per job
and the number of problems; exits 1 if there are any.
"""
import re
import sys

import yaml

RUNS_RELC = re.compile(r"(^|[;&|\s])relc run ")
INSTALL_LINES = [
    "RELC_HOME=$(mktemp -d)",
    'curl -fsSL --retry 3 -o "$RELC_HOME/relc.deb" "$RELC_DEB_URL"',
    'echo "$RELC_DEB_SHA256  $RELC_HOME/relc.deb" | sha256sum -c -',
    'dpkg-deb -x "$RELC_HOME/relc.deb" "$RELC_HOME/relc"',
    'export PATH="$RELC_HOME/relc/usr/bin:$PATH"',
]


def github_jobs(doc):
    for name, job in (doc.get("jobs") or {}).items():
        steps = job.get("steps") or []
        first_run = next((i for i, s in enumerate(steps)
                          if RUNS_RELC.search(s.get("run", ""))), None)
        install = next((i for i, s in enumerate(steps)
                        if str(s.get("name", "")).startswith("Install relc")),
                       None)
        yield name, first_run, install


def gitlab_jobs(doc):
    for name, job in doc.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        script = job["script"]
        first_run = next((i for i, l in enumerate(script)
                          if RUNS_RELC.search(l)), None)
        install = None
        for i in range(len(script) - len(INSTALL_LINES) + 1):
            if script[i:i + len(INSTALL_LINES)] == INSTALL_LINES:
                install = i
                break
        yield name, first_run, install


def main():
    backend, files = sys.argv[1], sys.argv[2:]
    problems = runs = 0
    for path in files:
        with open(path) as f:
            doc = yaml.safe_load(f)
        jobs = github_jobs(doc) if backend == "github" else gitlab_jobs(doc)
        for name, first_run, install in jobs:
            if first_run is not None:
                runs += 1
            if first_run is not None and (install is None
                                          or install > first_run):
                print(f"{path}: {name}: runs relc before installing it")
                problems += 1
            elif first_run is None and install is not None:
                print(f"{path}: {name}: installs relc but never runs it")
                problems += 1
    print(f"{runs} jobs run relc, {problems} problems")
    return 1 if problems or not runs else 0


if __name__ == "__main__":
    sys.exit(main())
