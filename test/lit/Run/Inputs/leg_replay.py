"""leg_replay.py WORKFLOW WORKDIR STORE LEG: runs, job by job in file order
(which is `needs` order), the jobs of a workflow relc emit github generated
that hold leg LEG (`3.12, linux`) in their matrix, the way a runner would:
`${{ matrix.X }}` from the leg's include entry, the step's and the
workflow's `env:`, `run:` scripts in WORKDIR (a checkout of the repository).
The actions they use are played by what they do: upload-artifact copies the
files its `path` globs match into STORE/NAME, download-artifact copies them
back into its `path`, checkout and configure-aws-credentials are the test's
own setup (WORKDIR is checked out, the environment has the S3 keys), and
installing relc is having it on PATH. Prints one line per step; exits with
the first failing step's status."""
import os
import subprocess
import sys

import yaml

from replay_actions import artifact, expand

workflow, workdir, store, want = sys.argv[1:5]
with open(workflow) as f:
    wf = yaml.safe_load(f)
base = dict(os.environ)
for key, value in (wf.get("env") or {}).items():
    if not str(value).startswith("${{"):
        base[key] = str(value)


for job_id, job in wf["jobs"].items():
    include = (job.get("strategy") or {}).get("matrix", {}).get("include") or []
    legs = [leg for leg in include if leg.get("leg") == want]
    if not legs:
        continue
    leg = legs[0]
    for step in job["steps"]:
        uses = step.get("uses", "")
        with_ = {k: expand(v, leg) for k, v in (step.get("with") or {}).items()}
        name = "%s %s" % (job_id, step.get("name"))
        handled, ok, did = artifact(uses, with_, workdir, store)
        if handled:
            print("%s: %s" % (name, did))
            if not ok:
                sys.exit(1)
        elif uses:
            print("%s: %s" % (name, uses.split("@")[0]))
        elif "run" in step:
            env = dict(base)
            for key, value in (step.get("env") or {}).items():
                value = expand(value, leg)
                if "${{" in value:
                    continue  # Secrets: a local remote needs none.
                env[key] = value
            r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workdir,
                               env=env, capture_output=True, text=True)
            print("%s: exit %d" % (name, r.returncode))
            sys.stdout.write(r.stdout)
            if r.returncode:
                sys.stdout.write(r.stderr)
                sys.exit(r.returncode)
