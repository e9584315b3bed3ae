#!/usr/bin/env python3
"""Checks the ```relplan code blocks of Markdown files with `relc check`
(and the ```yaml blocks marked as compatibility models).

usage: relplan_blocks.py --relc RELC --root REPO FILE.md...

docs/tools.md ("Plan examples in Markdown that are checked") describes the
conventions this script follows:

- A block is a whole plan file and must check with exit 0, unless the last
  non-blank line before it is a directive, an HTML comment:
  - `<!-- relplan: expect KIND -->`: `relc check` must exit 1 and report a
    diagnostic of kind KIND (the `[KIND]` of its message);
  - `<!-- relplan: fragment of PATH -->`: the block holds items (a `stage`,
    a `matrix`, ...), not a file. They are put into a copy of PATH, a plan
    of the repository: each replaces the item of the same kind and name, or
    is added at the end. A matrix without recipes keeps how the matrix it
    replaces builds its legs (its recipes, or the project's matrix it takes
    them from): the example leaves that out, the plan says it. The copy is
    checked, and when PATH is a project, so is every release file beside
    it.
  Both may be given, separated by `;`.
- Every document's whole blocks are written into one scratch tree that
  starts as a copy of the repository's plans/ directory. A block whose first
  line is a comment naming a path (`// tinylib/project.relplan`) is written
  there, so blocks can import each other and releases find their project;
  another block gets a file of its own. A ```yaml block after
  `<!-- relplan: model -->` is a compatibility model whose first line is a
  comment naming its path (`# plans/demo/compat.yaml`): it is written there
  and checked too. Other YAML blocks are left alone.

Prints one line per block that fails and a summary; exits 1 if any block
fails or if no block was found.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(relplan|yaml)\s*$")
DIRECTIVE = re.compile(r"^<!--\s*relplan:\s*(.*?)\s*-->$")
PATH_COMMENT = re.compile(r"^//\s*([\w./-]+\.relplan)\s*$")
MODEL_COMMENT = re.compile(r"^#\s*([\w./-]+\.ya?ml)\s*$")


class Block:
    def __init__(self, doc, line, text, directive):
        self.doc, self.line, self.text = doc, line, text
        self.expect = None
        self.fragment_of = None
        self.model = False
        self.error = None
        for part in filter(None, (p.strip() for p in directive.split(";"))):
            words = part.split()
            if words[0] == "expect" and len(words) == 2:
                self.expect = words[1]
            elif words == ["model"]:
                self.model = True
            elif words[:2] == ["fragment", "of"] and len(words) == 3:
                self.fragment_of = words[2]
            else:
                self.error = "unknown relplan directive '%s'" % part

    def where(self):
        return "%s:%d" % (self.doc, self.line)


def blocks(path, shown):
    """The ```relplan blocks of a Markdown file, with their directives."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    i = 0
    while i < len(lines):
        if not FENCE.match(lines[i]):
            i += 1
            continue
        start = i
        model = FENCE.match(lines[i]).group(1) == "yaml"
        directive = ""
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0:
            m = DIRECTIVE.match(lines[j].strip())
            if m:
                directive = m.group(1)
        i += 1
        body = []
        while i < len(lines) and lines[i].rstrip() != "```":
            body.append(lines[i])
            i += 1
        if i == len(lines):
            b = Block(shown, start + 1, "", "")
            b.error = "unterminated relplan block"
            out.append(b)
            break
        i += 1
        block = Block(shown, start + 1, "\n".join(body) + "\n", directive)
        # A YAML block is checked only when marked as a model.
        if model != block.model:
            if not model:
                block.error = "a model is a ```yaml block"
            else:
                continue
        elif model and not (body and MODEL_COMMENT.match(body[0].strip())):
            block.error = "a model block starts with a comment naming its file"
        out.append(block)
    return out


def split_items(text, depth_of_items):
    """Splits plan text into (start, end, key) per item at depth
    depth_of_items, by lines; braces in strings and comments do not count."""
    items = []
    depth = 0
    current = None
    lines = text.split("\n")
    for n, line in enumerate(lines):
        code = strip_strings_and_comments(line)
        stripped = code.strip()
        if depth == depth_of_items and current is None and stripped:
            current = [n, None, item_key(stripped)]
        depth += code.count("{") - code.count("}")
        if current is not None and depth == depth_of_items and (
                stripped.endswith(";") or stripped.endswith("}")):
            current[1] = n
            items.append(tuple(current))
            current = None
    return items, lines


def strip_strings_and_comments(line):
    out = []
    i = 0
    while i < len(line):
        c = line[i]
        if c == '"':
            i += 1
            while i < len(line) and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            out.append('""')
        elif line.startswith("//", i):
            break
        else:
            out.append(c)
        i += 1
    return "".join(out)


def item_key(code):
    words = re.findall(r'"[^"]*"|[\w.-]+', code)
    if not words:
        return code
    kind = words[0]
    if kind in ("check", "matrix", "stage"):
        return " ".join(words[:2])
    # `repo {` is the main repository, `repo builder {` another one.
    if kind == "repo":
        named = re.match(r"\s*repo\s+([\w-]+)\s*\{", code)
        return "repo " + named.group(1) if named else "repo"
    if kind == "overlay":
        return " ".join(words[:3])
    if kind == "patch":
        return "patch policy"
    if kind == "compat":
        return code  # Models add up: a compat line never replaces another.
    return kind


def insert_fragment(host_text, fragment):
    """host_text with the fragment's items replacing or joining its own."""
    host_items, lines = split_items(host_text, 1)
    frag_items, frag_lines = split_items(fragment, 0)
    if not frag_items:
        return None
    by_key = {key: (s, e) for s, e, key in host_items}
    replace = {}
    added = []
    for s, e, key in frag_items:
        text = ["  " + l if l.strip() else l for l in frag_lines[s:e + 1]]
        if key in by_key:
            if key.startswith("matrix "):
                text = with_recipes(text, lines[by_key[key][0]:
                                                 by_key[key][1] + 1])
            replace[by_key[key]] = text
        else:
            added.append(text)
    out = []
    skip_to = -1
    spans = {s: (s, e) for (s, e) in replace}
    for n, line in enumerate(lines):
        if n <= skip_to:
            continue
        if n in spans:
            out.extend(replace[spans[n]])
            skip_to = spans[n][1]
            continue
        out.append(line)
    # Added items go before the unit's closing brace, the last `}` line.
    close = max(i for i, l in enumerate(out) if l.strip() == "}")
    for text in added:
        out[close:close] = [""] + text
        close += len(text) + 1
    return "\n".join(out)


def with_recipes(matrix, host_matrix):
    """The lines of matrix, building its legs as host_matrix does if it
    says nothing of that itself."""
    def recipes(text_lines):
        items, inner = split_items("\n".join(text_lines[1:-1]), 0)
        return [inner[s:e + 1] for s, e, key in items if key == "recipe"]
    taken = re.search(r"\bfrom\s+[\w-]+", host_matrix[0])
    if recipes(matrix) or " from " in matrix[0]:
        return matrix
    if taken:
        return [matrix[0].replace("{", taken.group(0) + " {", 1)] + matrix[1:]
    kept = [l for r in recipes(host_matrix) for l in r]
    return matrix[:-1] + kept + matrix[-1:]


def run_check(relc, files, cwd):
    p = subprocess.run([relc, "check"] + files, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    return p.returncode, p.stdout


def judge(block, code, output):
    """None if the block did what it says, else why not."""
    if block.expect:
        if code != 1 or ("[%s]" % block.expect) not in output:
            return "expected a [%s] error (exit 1), got exit %d" % (
                block.expect, code)
        return None
    if code != 0:
        return "does not check (exit %d)" % code
    return None


def check_fragment(args, block, scratch):
    host = os.path.join(args.root, block.fragment_of)
    if not os.path.isfile(host):
        return "fragment of %s: no such file" % block.fragment_of
    tree = os.path.join(scratch, "fragment-%d" % block.line)
    shutil.copytree(os.path.join(args.root, "plans"), os.path.join(tree, "plans"))
    rel = os.path.relpath(host, args.root)
    if not rel.startswith("plans" + os.sep):
        return "fragment of %s: the host must be under plans/" % rel
    copy = os.path.join(tree, rel)
    with open(copy, encoding="utf-8") as f:
        text = insert_fragment(f.read(), block.text)
    if text is None:
        return "fragment holds no item"
    with open(copy, "w", encoding="utf-8") as f:
        f.write(text)
    files = [copy]
    if re.search(r"^project\s", text, re.M):
        d = os.path.dirname(copy)
        files += sorted(os.path.join(d, n) for n in os.listdir(d)
                        if n.endswith(".relplan") and os.path.join(d, n) != copy)
    code, output = run_check(args.relc, files, tree)
    why = judge(block, code, output)
    return why and why + "\n" + indent(output)



def indent(text):
    text = text.rstrip("\n")
    return "".join("    " + l + "\n" for l in text.split("\n")) if text else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relc", required=True)
    ap.add_argument("--root", required=True,
                    help="the repository (its plans/ seed the scratch trees)")
    ap.add_argument("--scratch", help="an empty directory to work in "
                    "(default: a temporary one, removed afterwards)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    args.relc = os.path.abspath(args.relc)
    keep = args.scratch is not None
    if keep:
        os.makedirs(args.scratch)
    scratch = args.scratch if keep else tempfile.mkdtemp(prefix="relplan-blocks-")
    try:
        total = 0
        failures = []  # (document, line, message), printed in text order
        for n, doc in enumerate(args.files):
            shown = os.path.relpath(doc, args.root)
            tree = os.path.join(scratch, "doc-%d" % n)
            shutil.copytree(os.path.join(args.root, "plans"),
                            os.path.join(tree, "plans"))
            whole = []
            found = blocks(doc, shown)
            total += len(found)
            for block in found:
                why = block.error
                if not why and block.fragment_of:
                    why = check_fragment(args, block, scratch)
                elif not why:
                    first = block.text.split("\n", 1)[0].strip()
                    m = PATH_COMMENT.match(first) or MODEL_COMMENT.match(first)
                    name = m.group(1) if m else "block-%d.relplan" % block.line
                    if os.path.isabs(name) or ".." in name.split("/"):
                        why = "the path comment must be relative, without '..'"
                    else:
                        path = os.path.join(tree, name)
                        os.makedirs(os.path.dirname(path), exist_ok=True)
                        with open(path, "w", encoding="utf-8") as f:
                            f.write(block.text)
                        whole.append((block, path))
                if why:
                    failures.append((n, block.line, why))
            # Checked once all are written: a release may come before its
            # project in the text.
            for block, path in whole:
                code, output = run_check(args.relc, [path], tree)
                why = judge(block, code, output)
                if why:
                    failures.append((n, block.line, why + "\n" + indent(output)))
        for n, line, why in sorted(failures):
            print("%s:%d: relplan block %s" % (
                os.path.relpath(args.files[n], args.root), line,
                why.rstrip("\n")))
        failed = len(failures)
        print("%d relplan blocks in %d files, %d failed" %
              (total, len(args.files), failed))
        return 1 if failed or not total else 0
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
