#!/usr/bin/python3
# A security audit of CI files, after zizmor's audits of the same names
# (https://docs.zizmor.sh/audits/), written here so that it runs offline on
# every file relc generates. It owes nothing to relc's code: it reads the
# YAML as the CI system would (ci_yaml) and reports
#
#   template-injection     `${{` in a `run:` script or an actions/github-script
#                          `script` (GitHub), `$[[` in a `script` (GitLab);
#   excessive-permissions  top-level grants (anything but `permissions: {}`),
#                          a job without `permissions` (it gets the
#                          repository's default), `write-all` / `read-all`;
#   unpinned-uses          a `uses:` that is neither local (`./`) nor pinned
#                          to a full commit SHA (`docker://` to a digest);
#   dangerous-triggers     `pull_request_target` or `workflow_run`;
#   artipacked             actions/checkout without `persist-credentials:
#                          false` (the token stays in .git/config);
#   secrets-inherit        a reusable-workflow call with `secrets: inherit`;
#   ungated-deployment     (GitLab) a job in an environment with `action:`
#                          access, prepare or verify (no deployment, so
#                          deployment approvals do not hold), or one that
#                          is not `when: manual` (it starts by itself), or
#                          whose `rules:` start it by themselves.
#
#   audit.py --backend github|gitlab FILE...
#
# Prints `FILE: <json path>: <audit>: <message>` per finding. Exit status:
# 0 none, 1 findings, 2 usage error or a file that is not YAML.
import argparse
import re
import sys

sys.dont_write_bytecode = True
try:
    import ci_yaml
except ImportError as e:
    print(f"audit: {e}; install python3-yaml (scripts/setup.sh) and run with "
          "/usr/bin/python3", file=sys.stderr)
    sys.exit(2)

SHA = re.compile(r"@[0-9a-f]{40}$")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
DANGEROUS = ("pull_request_target", "workflow_run")


def triggers(on):
    if isinstance(on, str):
        return [on]
    if isinstance(on, list):
        return [t for t in on if isinstance(t, str)]
    if isinstance(on, dict):
        return [t for t in on if isinstance(t, str)]
    return []


def check_uses(path, uses):
    if not isinstance(uses, str):
        return [(path, "unpinned-uses", "'uses' is not a string")]
    if uses.startswith("./"):
        return []
    if uses.startswith("docker://"):
        if DIGEST.search(uses):
            return []
        return [(path, "unpinned-uses", f"'{uses}' is not pinned to an image digest")]
    if SHA.search(uses):
        return []
    return [(path, "unpinned-uses", f"'{uses}' is not pinned to a full commit SHA")]


def check_permissions(path, permissions):
    if isinstance(permissions, str):
        if permissions in ("write-all", "read-all"):
            return [(path, "excessive-permissions",
                     f"'{permissions}' grants every scope; grant only what the job needs")]
    return []


def audit_github(doc):
    found = []
    if not isinstance(doc, dict):
        return [("$", "parse", "a workflow must be a mapping")]
    for t in triggers(doc.get("on")):
        if t in DANGEROUS:
            found.append(("$.on", "dangerous-triggers",
                          f"'{t}' runs with the default branch's secrets and write token "
                          "for events others can cause"))
    if "permissions" not in doc:
        found.append(("$", "excessive-permissions",
                      "no top-level 'permissions': every job gets the repository's default"))
    elif doc["permissions"] != {}:
        found.append(("$.permissions", "excessive-permissions",
                      "top-level grants reach every job; write 'permissions: {}' and grant per job"))
        found += check_permissions("$.permissions", doc["permissions"])
    jobs = doc.get("jobs")
    for job_id, job in (jobs.items() if isinstance(jobs, dict) else []):
        jp = f"$.jobs.{job_id}"
        if not isinstance(job, dict):
            continue
        if "permissions" not in job:
            found.append((jp, "excessive-permissions",
                          "no 'permissions': the job gets the repository's default"))
        else:
            found += check_permissions(f"{jp}.permissions", job["permissions"])
        if "uses" in job:
            found += check_uses(f"{jp}.uses", job["uses"])
        if job.get("secrets") == "inherit":
            found.append((f"{jp}.secrets", "secrets-inherit",
                          "'secrets: inherit' passes every secret to the called workflow"))
        steps = job.get("steps")
        for i, step in enumerate(steps if isinstance(steps, list) else []):
            sp = f"{jp}.steps[{i}]"
            if not isinstance(step, dict):
                continue
            run = step.get("run")
            if isinstance(run, str) and "${{" in run:
                found.append((f"{sp}.run", "template-injection",
                              "'${{' in a script: the value becomes code; pass it through env:"))
            uses = step.get("uses")
            if uses is None:
                continue
            found += check_uses(f"{sp}.uses", uses)
            with_ = step.get("with") if isinstance(step.get("with"), dict) else {}
            name = uses.split("@")[0].lower() if isinstance(uses, str) else ""
            if name == "actions/github-script":
                script = with_.get("script")
                if isinstance(script, str) and "${{" in script:
                    found.append((f"{sp}.with.script", "template-injection",
                                  "'${{' in a github-script: the value becomes code"))
            if name == "actions/checkout":
                persist = with_.get("persist-credentials")
                if persist is not False and persist != "false":
                    found.append((sp, "artipacked",
                                  "actions/checkout keeps the token in .git/config; "
                                  "set 'persist-credentials: false'"))
    return found


GITLAB_GLOBALS = {"stages", "variables", "default", "workflow", "include", "image",
                  "services", "before_script", "after_script", "cache"}


def audit_gitlab(doc):
    found = []
    if not isinstance(doc, dict):
        return [("$", "parse", "a pipeline must be a mapping")]
    for job_id, job in doc.items():
        if job_id in GITLAB_GLOBALS or not isinstance(job, dict):
            continue
        jp = f"$.{job_id}"
        for key in ("script", "before_script", "after_script"):
            lines = job.get(key)
            for i, line in enumerate(lines if isinstance(lines, list) else [lines]):
                if isinstance(line, str) and "$[[" in line:
                    found.append((f"{jp}.{key}[{i}]", "template-injection",
                                  "'$[[' in a script: the input becomes code"))
        env = job.get("environment")
        if env is None:
            continue
        action = env.get("action") if isinstance(env, dict) else None
        if action in ("access", "prepare", "verify"):
            found.append((f"{jp}.environment.action", "ungated-deployment",
                          f"'action: {action}' makes no deployment: deployment approvals "
                          "of the environment do not hold"))
        # By hand: `when: manual`, or (with `rules:`) every rule that can
        # add the job manual.
        rules = job.get("rules")
        if "when" not in job and isinstance(rules, list) and rules:
            for k, rule in enumerate(rules):
                when = rule.get("when", "on_success") if isinstance(rule, dict) else None
                if when not in ("manual", "never"):
                    found.append((f"{jp}.rules[{k}]", "ungated-deployment",
                                  "a job in an environment that a rule starts by itself "
                                  f"('when: {when}'); start it by hand"))
        elif job.get("when") != "manual":
            found.append((f"{jp}.when", "ungated-deployment",
                          "a job in an environment that starts by itself "
                          f"('when: {job.get('when', 'on_success')}'); start it by hand"))
    return found


def main():
    parser = argparse.ArgumentParser(description="Audit CI files for security problems.")
    parser.add_argument("--backend", choices=["github", "gitlab"], required=True)
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()
    findings = 0
    for path in args.files:
        try:
            doc = ci_yaml.load(path, github=args.backend == "github")
        except OSError as e:
            print(f"audit: cannot read {path}: {e.strerror}", file=sys.stderr)
            return 2
        except ci_yaml.YAMLError as e:
            print(f"{path}: $: parse: not valid YAML: " + str(e).replace("\n", " "))
            return 2
        found = audit_github(doc) if args.backend == "github" else audit_gitlab(doc)
        for where, audit, message in found:
            print(f"{path}: {where}: {audit}: {message}")
        findings += len(found)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
