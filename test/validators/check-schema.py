#!/usr/bin/python3
# Validates files relc writes against the published JSON Schemas kept in
# test/data (copied unchanged; test/data/README.md names their sources), as a
# check that owes nothing to relc's code: CI files (SchemaStore's GitHub
# workflow schema, GitLab's own CI schema) and SARIF logs
# (`--diagnostics-format=sarif`, OASIS's SARIF 2.1.0 schema). Uses Debian's
# python3-jsonschema (draft-07) and python3-yaml, so run it with /usr/bin/python3:
#
#   check-schema.py --schema github|gitlab|sarif [--schema-dir DIR] FILE...
#
# Prints `FILE: <json path>: <message>` per error. Exit status: 0 valid,
# 1 errors, 2 usage error or unreadable file.
import argparse
import json
import os
import sys

# Keep the source tree free of __pycache__ when tests import ci_yaml.
sys.dont_write_bytecode = True
try:
    import jsonschema

    import ci_yaml
except ImportError as e:
    print(f"check-schema: {e}; install python3-jsonschema and python3-yaml "
          "(scripts/setup.sh) and run with /usr/bin/python3", file=sys.stderr)
    sys.exit(2)

SCHEMA_FILES = {"github": "github-workflow.schema.json", "gitlab": "gitlab-ci.schema.json",
                "sarif": "sarif-2.1.0.schema.json"}
DEFAULT_SCHEMA_DIR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "data")


def leaves(error):
    """The errors worth printing for one top-level error. An anyOf/oneOf
    failure says only "not valid under any of the given schemas"; descend into
    the branch that got furthest (deepest errors, then fewest) instead."""
    if not error.context:
        return [error]
    branches = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    best = min(branches.values(),
               key=lambda errs: (-max(len(e.relative_path) for e in errs), len(errs)))
    return [leaf for sub in best for leaf in leaves(sub)]


def document_order(document, path):
    """A sort key putting errors in the order their places appear in the file."""
    key, node = [], document
    for step in path:
        if isinstance(node, dict) and step in node:
            key.append(list(node).index(step))
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            key.append(step)
            node = node[step]
        else:
            key.append(-1)
            node = None
    return key


def text(error):
    # Messages quote the whole failing value; a 201-entry matrix would make a
    # line nobody can read.
    quoted = repr(error.instance)
    if len(quoted) <= 60:
        return error.message
    if isinstance(error.instance, list):
        short = f"[{len(error.instance)} items]"
    elif isinstance(error.instance, dict):
        short = "{" + ", ".join(f"{k!r}: ..." for k in error.instance) + "}"
    else:
        short = quoted[:57] + "..."
    return error.message.replace(quoted, short)


def main():
    parser = argparse.ArgumentParser(
        description="Validate CI files (YAML) or SARIF logs (JSON) against their JSON Schema.")
    parser.add_argument("--schema", required=True, choices=sorted(SCHEMA_FILES))
    parser.add_argument("--schema-dir", default=DEFAULT_SCHEMA_DIR)
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()

    schema_path = os.path.join(args.schema_dir, SCHEMA_FILES[args.schema])
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print(f"check-schema: cannot read schema {schema_path}: {e}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft7Validator(schema)

    errors = 0
    for path in args.files:
        try:
            if args.schema == "sarif":
                with open(path, encoding="utf-8") as f:
                    document = json.load(f)
            else:
                document = ci_yaml.load(path, github=args.schema == "github")
        except OSError as e:
            print(f"check-schema: cannot read {path}: {e.strerror}", file=sys.stderr)
            return 2
        except (ci_yaml.YAMLError, ValueError) as e:  # ValueError: JSON, UTF-8
            kind = "JSON" if args.schema == "sarif" else "YAML"
            print(f"{path}: $: not valid {kind}: {e}".replace("\n", " "))
            errors += 1
            continue
        found = [leaf for error in validator.iter_errors(document) for leaf in leaves(error)]
        found.sort(key=lambda e: document_order(document, e.absolute_path))
        for error in found:
            print(f"{path}: {error.json_path}: {text(error)}")
        errors += len(found)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
