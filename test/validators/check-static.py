#!/usr/bin/python3
# relc's own rules for the GitHub workflows it emits, which neither GitHub's
# parser nor the schema enforce because they are policy, not syntax:
#   - no `${{` in any step's `run:` (values go through `env:`; this stops
#     template injection and the one-template-per-script expression limit);
#   - top-level `permissions: {}`, and a `permissions` key on every job;
#   - every `uses:` (step or reusable-workflow job) is local (`./...`) or
#     pinned to a full commit SHA;
#   - every actions/checkout step sets `persist-credentials: false`.
#
#   check-static.py FILE...
#
# Prints `FILE: <json path>: <message>` per violation. Exit status: 0 clean,
# 1 violations, 2 usage error or unreadable file.
import argparse
import re
import sys

# Keep the source tree free of __pycache__ when tests import ci_yaml.
sys.dont_write_bytecode = True
try:
    import ci_yaml
except ImportError as e:
    print(f"check-static: {e}; install python3-yaml (scripts/setup.sh) "
          "and run with /usr/bin/python3", file=sys.stderr)
    sys.exit(2)

PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")


def check_uses(path, uses):
    if not isinstance(uses, str):
        return [(path, "'uses' is not a string")]
    if uses.startswith("./") or PINNED.match(uses):
        return []
    return [(path, f"'{uses}' is neither local (./...) nor pinned to a 40-hex commit SHA")]


def check_step(path, step):
    if not isinstance(step, dict):
        return []
    found = []
    run = step.get("run")
    if isinstance(run, str) and "${{" in run:
        found.append((f"{path}.run", "'${{' in a run script; pass the value through env:"))
    if "uses" in step:
        found += check_uses(f"{path}.uses", step["uses"])
        uses = step["uses"]
        if isinstance(uses, str) and uses.lower().startswith("actions/checkout@"):
            with_ = step.get("with")
            persist = with_.get("persist-credentials") if isinstance(with_, dict) else None
            if persist is not False and persist != "false":
                found.append((path, "actions/checkout without 'with: persist-credentials: false'"))
    return found


def check_workflow(doc):
    if not isinstance(doc, dict):
        return [("$", "a workflow must be a mapping")]
    found = []
    if "permissions" not in doc:
        found.append(("$", "no top-level 'permissions'; write 'permissions: {}' and grant per job"))
    elif doc["permissions"] != {}:
        found.append(("$.permissions", "top-level 'permissions' must be {}; grant per job"))
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict):
        return found + [("$", "no 'jobs' mapping")]
    for job_id, job in jobs.items():
        job_path = f"$.jobs.{job_id}"
        if not isinstance(job, dict):
            continue
        if "permissions" not in job:
            found.append((job_path, "job has no 'permissions'"))
        if "uses" in job:
            found += check_uses(f"{job_path}.uses", job["uses"])
        steps = job.get("steps")
        for i, step in enumerate(steps if isinstance(steps, list) else []):
            found += check_step(f"{job_path}.steps[{i}]", step)
    return found


def main():
    parser = argparse.ArgumentParser(description="Check relc's static rules on GitHub workflows.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()
    violations = 0
    for path in args.files:
        try:
            found = check_workflow(ci_yaml.load(path, github=True))
        except OSError as e:
            print(f"check-static: cannot read {path}: {e.strerror}", file=sys.stderr)
            return 2
        except ci_yaml.YAMLError as e:
            found = [("$", f"not valid YAML: {e}".replace("\n", " "))]
        for where, message in found:
            print(f"{path}: {where}: {message}")
        violations += len(found)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
