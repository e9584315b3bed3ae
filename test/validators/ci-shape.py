#!/usr/bin/python3
# The shape of CI files relc generates: what runs, where and with which
# rights, without the text that only names or describes things. Two files
# with the same shape do the same: the same jobs in the same order, needing
# the same jobs, with the same steps (`uses:` and `run:` verbatim), the same
# permissions, triggers, gates (`environment`, `when`) and the same keys
# everywhere. A value that only names something (a step name, a tag
# pattern, an environment's name) shows as its type; job ids, which are
# made from plan text, show as their position. Reads files as the tests'
# other checkers do (ci_yaml, PyYAML's YAML 1.1 reader):
#
#   ci-shape.py --backend github|gitlab FILE...
#
# Prints one line per fact, FILE by FILE. Exit status: 0, or 2 for a file
# that cannot be read or is not YAML (printed with the reader's message).
import argparse
import json
import sys

sys.dont_write_bytecode = True
try:
    import ci_yaml
except ImportError as e:
    print(f"ci-shape: {e}; install python3-yaml (scripts/setup.sh) and run "
          "with /usr/bin/python3", file=sys.stderr)
    sys.exit(2)

# Keys whose whole value decides what runs or with which rights.
VERBATIM = {"uses", "run", "permissions", "runs-on", "if", "when", "action",
            "shell", "secrets", "cancel-in-progress", "fail-fast", "cron",
            "persist-credentials", "resource_group", "expand"}
# GitLab's top-level keys that are not jobs.
GITLAB_GLOBALS = {"stages", "variables", "default", "workflow", "include",
                  "image", "services", "before_script", "after_script", "cache"}


def value_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    return type(v).__name__


def walk(node, path, out, jobs):
    if isinstance(node, dict):
        out.append(f"{path}: map {len(node)}")
        for key, value in node.items():
            name = key if isinstance(key, str) else f"<{value_type(key)} {key!r}>"
            if key in VERBATIM:
                out.append(f"{path}.{name} = {json.dumps(value, sort_keys=True)}")
            elif key == "needs":
                needs = value if isinstance(value, list) else [value]
                out.append(f"{path}.needs = " + json.dumps(
                    [jobs.get(n, f"unknown {n!r}") if isinstance(n, str) else n
                     for n in needs]))
            elif key == "script" and isinstance(value, list):
                out.append(f"{path}.script = {json.dumps(value)}")
            else:
                walk(value, f"{path}.{name}", out, jobs)
    elif isinstance(node, list):
        out.append(f"{path}: list {len(node)}")
        for i, item in enumerate(node):
            walk(item, f"{path}[{i}]", out, jobs)
    else:
        out.append(f"{path}: {value_type(node)}")


def shape(doc, backend):
    out = []
    if not isinstance(doc, dict):
        return [f"$: {value_type(doc)}"]
    if backend == "github":
        jobs = doc.get("jobs") if isinstance(doc.get("jobs"), dict) else {}
        ids = {job_id: f"job{i}" for i, job_id in enumerate(jobs)}
        doc = {k: ({ids[j]: job for j, job in v.items()} if k == "jobs" and v is jobs else v)
               for k, v in doc.items()}
    else:
        job_ids = [k for k in doc if k not in GITLAB_GLOBALS]
        ids = {job_id: f"job{i}" for i, job_id in enumerate(job_ids)}
        doc = {ids.get(k, k): v for k, v in doc.items()}
    walk(doc, "$", out, ids)
    return out


def main():
    parser = argparse.ArgumentParser(description="Print the shape of CI files.")
    parser.add_argument("--backend", choices=["github", "gitlab"], required=True)
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()
    status = 0
    for path in args.files:
        try:
            doc = ci_yaml.load(path, github=args.backend == "github")
        except OSError as e:
            print(f"ci-shape: cannot read {path}: {e.strerror}", file=sys.stderr)
            return 2
        except ci_yaml.YAMLError as e:
            print(f"{path}: not valid YAML: " + str(e).replace("\n", " "))
            status = 2
            continue
        print(f"file {path}")
        for line in shape(doc, args.backend):
            print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
