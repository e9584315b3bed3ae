"""ci_replay.py WORKFLOW WORKDIR: runs the `run:` scripts of a workflow that
relc emit github generated, job by job in file order (which is `needs`
order) and matrix leg by leg, with the step's `env:` and the workflow's, in
WORKDIR, the way a runner would after checking out the repository; the
artifact actions of the legs' jobs are played as leg_replay.py plays them,
with a store of this replay's own. Prints one line per step; exits with the
first failing script's status."""
import os
import subprocess
import sys
import tempfile

import yaml

from replay_actions import artifact, expand

workflow, workdir = sys.argv[1:3]
with open(workflow) as f:
    wf = yaml.safe_load(f)
base = dict(os.environ)
for key, value in (wf.get("env") or {}).items():
    if key == "RELC_RC":
        continue  # `${{ inputs.rc }}`: the caller's RELC_RC stands for it.
    base[key] = str(value)
store = tempfile.mkdtemp()
for name, job in wf["jobs"].items():
    legs = (job.get("strategy") or {}).get("matrix", {}).get("include") or [{}]
    for leg in legs:
        for step in job["steps"]:
            with_ = {k: expand(v, leg)
                     for k, v in (step.get("with") or {}).items()}
            handled, ok, did = artifact(step.get("uses", ""), with_, workdir,
                                        store)
            if not ok:
                print("%s %s: %s" % (name, leg.get("step"), did))
                sys.exit(1)
            if "run" not in step:
                continue
            env = dict(base)
            for key, value in (step.get("env") or {}).items():
                value = expand(value, leg)
                if "${{" in value:
                    continue  # Secrets: a local remote needs none.
                env[key] = value
            r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workdir,
                               env=env, capture_output=True, text=True)
            print("%s %s: exit %d" % (name, env.get("RELC_STEP", leg.get("step")),
                                      r.returncode))
            if r.returncode:
                sys.stdout.write(r.stdout + r.stderr)
                sys.exit(r.returncode)
