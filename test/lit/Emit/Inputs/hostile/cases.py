"""cases.py CORPUS RELC WORKDIR VALIDATORS MODEL: puts every string of CORPUS, in turn, at
every place of a plan (and of its files) from which text reaches the CI
files relc generates, and checks what relc does with it. Each case must be
either refused (exit 1, with an error at a file:line:col, or naming the
path it comes from) or emitted as files that every reader reads, whose
structure (ci-shape.py: jobs, needs, steps, `uses:`, `run:`, permissions,
triggers, gates, keys) is exactly the clean plan's, that hold no raw line
break or control character anywhere, that pass the security audit
(audit.py), and where the text shows unchanged wherever the place puts it
into a value. Prints one line per place and a total; each failure on its
own line first. VALIDATORS is test/validators, MODEL a compatibility model
the plans name. Exit status: 0 if no case failed."""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
VALIDATORS, MODEL = sys.argv[4:6]
sys.path.insert(0, VALIDATORS)
import ci_yaml  # noqa: E402


def load_module(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(VALIDATORS, file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ci_shape = load_module("ci_shape", "ci-shape.py")
audit = load_module("audit", "audit.py")

PROJECT = """project demo {{
  compat "{compat}";
  repo {{
    release_branch "{release_branch}";
    rc_tag "{rc_tag}";
    final_tag "{final_tag}";
  }}
  stage cut {{
    git.branch release_branch from "{branch_from}";
    git.commit "{commit_file}" = "1.1.0" on "main";
  }}
  stage rc(n) after cut {{
    git.tag rc_tag on release_branch annotated message "{message}";
    run "{run_command}";
  }}
  stage publish after rc {{
    approve "{approval}";
    git.tag final_tag on release_branch;
    git.tag "{tag_operand}" on release_branch;
    run "./publish.sh" once;
  }}
  overlay github "*" {{ env."{overlay_key}" = "{overlay_value}"; }}
  overlay github "approve-*" {{
    allow excessive-permissions "{allow_reason}";
    permissions.packages = "write";
  }}
  overlay gitlab "*" {{ variables."{overlay_key}" = "{overlay_value}"; }}
}}
"""
RELEASE = """import "project.relplan";
release demo 1.0.0 {
  schedule { branch_cut 2026-01-05; release 2026-02-02; }
}
"""
LOCK = """actions:
  actions/checkout:
    version: {version}
    sha: 11bd71901bbe5b1630ceea73d27597364c9af683
"""

# Place -> (text before the string, text after it, in the plan's own syntax
# where the place is plan text; whether the text must show in a value of
# the files relc writes).
PLACES = {
    "compat_path": ("py-", ".yaml", False),
    "release_branch": ("release/", "", True),
    "rc_tag": ("v{version}-", "-rc{rc}", False),
    "final_tag": ("v{version}-", "", True),
    "branch_from": ("main-", "", False),
    "commit_file": ("version-", ".txt", True),
    "message": ("RC ", "", False),
    "run_command": ("./build.sh ", "", True),
    "approval": ("release-managers-", "", True),
    "tag_operand": ("extra-", "", True),
    "overlay_key": ("KEY_", "", True),
    "overlay_value": ("value ", "", True),
    "allow_reason": ("reason ", "", False),
    "plan_path": ("plans-", "", True),
    "lock_version": ("v4.2.2-", "", False),
}
# Places whose text only GitHub's files show (as step names).
GITHUB_ONLY = {"release_branch", "final_tag", "commit_file", "run_command", "tag_operand"}

LOCATED = re.compile(r"^.+:\d+:\d+: error: .*\[[a-z0-9-]+\]$", re.M)
PATH_ERROR = re.compile(r"^relc: error: .*\[expression-in-data\]$", re.M)
GITLAB_SCRIPT = re.compile(r"^RELC_STEP='[A-Za-z0-9._/-]+'; relc run \"\$RELC_PLAN\" --stage "
                           r"[a-z]+ --step \"\$RELC_STEP\"( --approve \"\$RELC_APPROVE\")? --execute$")
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\u202e\u200b]")


def plan_text(s):
    """s as the inside of a plan string, or None if a plan cannot say it."""
    out = []
    for ch in s:
        if ch in "\r\0":
            return None
        out.append({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t",
                    "{": "{{", "}": "}}"}.get(ch, ch))
    return "".join(out)


def full_text(place, value):
    """The text the place holds, as git and CI see it (placeholders bound)."""
    head, tail, _ = PLACES[place]

    def bind(t):
        return t.replace("{version}", "1.0.0").replace("{rc}", "1")
    return bind(head) + value + bind(tail)


def make(root, place, value):
    """Writes the plan with `value` at `place` and "clean" everywhere else;
    returns the plan's path relative to root, or None if the plan, or the
    file system, cannot hold it."""
    fields = {}
    for p, (head, tail, _) in PLACES.items():
        text = plan_text(value if p == place else "clean")
        if text is None:
            return None
        fields[p] = head + text + tail
    file_value = {p: (value if p == place else "clean") for p in ("compat_path", "plan_path")}
    plans = PLACES["plan_path"][0] + file_value["plan_path"]
    compat = PLACES["compat_path"][0] + file_value["compat_path"] + PLACES["compat_path"][1]
    if any(c in name for name in (plans, compat) for c in "/\0"):
        return None
    d = os.path.join(root, plans)
    try:
        os.makedirs(d)
        shutil.copy(MODEL, os.path.join(d, compat))
    except OSError:
        return None
    fields["compat"] = fields.pop("compat_path")
    for unused in ("plan_path", "lock_version"):
        fields.pop(unused)
    with open(os.path.join(d, "project.relplan"), "w", encoding="utf-8") as f:
        f.write(PROJECT.format(**fields))
    with open(os.path.join(d, "1.0.relplan"), "w", encoding="utf-8") as f:
        f.write(RELEASE)
    version = full_text("lock_version", value if place == "lock_version" else "clean")
    with open(os.path.join(root, "actions.lock.yaml"), "w", encoding="utf-8") as f:
        f.write(LOCK.format(version=json.dumps(version)))
    return os.path.join(plans, "1.0.relplan")


def run(relc, root, *args):
    r = subprocess.run([relc, *args], cwd=root, capture_output=True)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def rename_keys(node, old, new):
    if isinstance(node, dict):
        return {(new if k == old else k): rename_keys(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [rename_keys(v, old, new) for v in node]
    return node


def normalise_gitlab(doc, problems):
    for key, job in (doc.items() if isinstance(doc, dict) else []):
        if not isinstance(job, dict) or not isinstance(job.get("script"), list):
            continue
        for i, line in enumerate(job["script"]):
            if not isinstance(line, str) or not GITLAB_SCRIPT.match(line):
                problems.append(f"script line {line!r} is not relc's")
            else:
                job["script"][i] = re.sub(r"RELC_STEP='[^']*'", "RELC_STEP=<step>", line)
    return doc


def strings(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)
    elif isinstance(node, str):
        yield node


def emitted(root, backend):
    """The shape of what relc wrote, the documents, and problems found."""
    files = (sorted(os.path.join(root, "wf", f) for f in os.listdir(os.path.join(root, "wf")))
             if backend == "github" else [os.path.join(root, "gl.yml")])
    shapes, docs, problems = [], [], []
    for path in files:
        with open(path, encoding="utf-8", errors="strict") as f:
            raw = f.read()
        bad = UNSAFE.search(raw)
        if bad:
            problems.append(f"{os.path.basename(path)} holds U+{ord(bad.group()):04X} raw")
        try:
            doc = ci_yaml.load(path, github=backend == "github")
        except ci_yaml.YAMLError as e:
            problems.append(f"{os.path.basename(path)} is not YAML: {str(e).splitlines()[0]}")
            continue
        findings = audit.audit_github(doc) if backend == "github" else audit.audit_gitlab(doc)
        problems += [f"audit: {where}: {kind}" for where, kind, _ in findings]
        docs.append(doc)
    return docs, problems


def shape_of(docs, backend, place, text):
    out = []
    for doc in docs:
        if place == "overlay_key":
            doc = rename_keys(doc, text, full_text(place, "clean"))
        out.append(ci_shape.shape(json.loads(json.dumps(doc)), backend))
    return out


def attempt(relc, root, place, value):
    """Runs one case; returns ("refused" | "emitted" | "skipped", problems)."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    plan = make(root, place, value)
    if plan is None:
        return "skipped", []
    text = full_text(place, value)
    outcomes, problems = [], []
    for backend, args in (("check", ["check", plan]),
                          ("github", ["emit", "github", plan, "-o", "wf", "--lock",
                                      "actions.lock.yaml"]),
                          ("gitlab", ["emit", "gitlab", plan, "-o", "gl.yml"])):
        code, err = run(relc, root, *args)
        if code == 1:
            if not (LOCATED.search(err) or (place == "plan_path" and PATH_ERROR.search(err))):
                problems.append(f"{backend}: exit 1 without a located error: {err[:300]!r}")
            outcomes.append("refused")
            continue
        if code != 0:
            problems.append(f"{backend}: exit {code}: {err[:300]!r}")
            continue
        outcomes.append("emitted")
        if backend == "check":
            continue
        docs, found = emitted(root, backend)
        problems += [f"{backend}: {p}" for p in found]
        if backend == "gitlab":
            docs = [normalise_gitlab(d, problems) for d in docs]
        if shape_of(docs, backend, place, text) != CLEAN[backend]:
            problems.append(f"{backend}: the structure differs from the clean plan's")
        if not PLACES[place][2] or (backend == "gitlab" and place in GITHUB_ONLY):
            continue
        shown = text + "/1.0.relplan" if place == "plan_path" else text
        if not any(shown in s for d in docs for s in strings(d)):
            problems.append(f"{backend}: {shown!r} does not show unchanged")
    return ("refused" if "refused" in outcomes else "emitted"), problems


CLEAN = {}


def main():
    corpus, relc, work = sys.argv[1:4]
    relc = os.path.abspath(relc)
    values = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                values.append(json.loads(line))
    values.append("x" * 1100)  # Longer than a YAML implicit key may be.

    clean = os.path.join(work, "clean")
    shutil.rmtree(clean, ignore_errors=True)
    os.makedirs(clean)
    plan = make(clean, "none", "clean")
    for backend, args in (("github", ["emit", "github", plan, "-o", "wf", "--lock",
                                      "actions.lock.yaml"]),
                          ("gitlab", ["emit", "gitlab", plan, "-o", "gl.yml"])):
        code, err = run(relc, clean, *args)
        if code != 0:
            print(f"the clean plan does not emit ({backend}): {err}")
            return 1
        docs, problems = emitted(clean, backend)
        if problems:
            print(f"the clean plan's {backend} files: {problems}")
            return 1
        if backend == "gitlab":
            docs = [normalise_gitlab(d, problems) for d in docs]
        CLEAN[backend] = shape_of(docs, backend, "none", "clean")

    failed = 0
    total = {"refused": 0, "emitted": 0, "skipped": 0}
    for place in PLACES:
        counts = {"refused": 0, "emitted": 0, "skipped": 0}
        for value in values:
            outcome, problems = attempt(relc, os.path.join(work, "case"), place, value)
            counts[outcome] += 1
            for p in problems:
                failed += 1
                print(f"FAILED {place} {json.dumps(value)[:80]}: {p}")
        for k in total:
            total[k] += counts[k]
        print(f"{place}: {counts['emitted']} emitted, {counts['refused']} refused, "
              f"{counts['skipped']} not expressible")
    print(f"{sum(total.values())} cases: {total['emitted']} emitted, {total['refused']} refused, "
          f"{total['skipped']} not expressible; {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
