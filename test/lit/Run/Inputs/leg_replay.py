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
import glob
import os
import re
import shutil
import subprocess
import sys

import yaml

workflow, workdir, store, want = sys.argv[1:5]
with open(workflow) as f:
    wf = yaml.safe_load(f)
base = dict(os.environ)
for key, value in (wf.get("env") or {}).items():
    if not str(value).startswith("${{"):
        base[key] = str(value)


def expand(value, leg):
    """`${{ matrix.name }}`, `${{ matrix.env.PY }}` from the leg; anything
    else stays, and is refused where it matters."""
    def one(m):
        path = m.group(1).split(".")
        if path[0] != "matrix":
            return m.group(0)
        v = leg
        for p in path[1:]:
            v = (v or {}).get(p, "")
        return str(v)
    return re.sub(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}", one, str(value))


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
        if uses.startswith("actions/upload-artifact@"):
            dest = os.path.join(store, with_["name"])
            files = []
            for pattern in with_["path"].splitlines():
                files += glob.glob(os.path.join(workdir, pattern))
            if not files and with_.get("if-no-files-found") == "error":
                print("%s: no files" % name)
                sys.exit(1)
            os.makedirs(dest, exist_ok=True)
            for path in files:
                shutil.copy(path, dest)
            print("%s: kept %s" % (name, " ".join(sorted(
                os.path.basename(p) for p in files))))
        elif uses.startswith("actions/download-artifact@"):
            dest = os.path.join(workdir, with_["path"])
            shutil.copytree(os.path.join(store, with_["name"]), dest,
                            dirs_exist_ok=True)
            print("%s: took %s" % (name, " ".join(sorted(os.listdir(dest)))))
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
