"""drive.py RELC SCRIPT DIR: an editor session with `relc lsp`, scripted.

SCRIPT is a test file; its lines that start with `#> ` are the session, one
request or notification a line, on the files of DIR (after initialize):

  open FILE                     didOpen with FILE's text on disk
  change FILE POS POS TEXT      an incremental didChange replacing POS..POS
                                with TEXT (Python string escapes, \\n)
  change FILE full TEXT         a didChange with the whole text
  raw-change FILE JSON          a didChange whose contentChanges are JSON
  complete FILE POS             textDocument/completion
  hover FILE POS                textDocument/hover
  prepare FILE POS              textDocument/prepareRename
  rename FILE POS NAME          textDocument/rename
  actions FILE [POS POS]        textDocument/codeAction (the whole file)
  definition FILE POS           textDocument/definition

POS is LINE:CHAR (0-based, UTF-16, as LSP sends) or /BEFORE|AFTER/: the
place between BEFORE and AFTER at their first occurrence in the current
text (the script keeps its own copy of every document, edits applied);
`\\n` in a marker is a line break.

Prints one line per result for FileCheck: completion items as
`label | detail`, hover text lines with `hover:` first, edits as
`FILE L:C-L:C -> TEXT`, errors as `error CODE MESSAGE`, diagnostics as
`publish FILE N` and `  CODE L:C message`, log messages as `log: TEXT`;
then the server's standard error, `stderr: ` a line, and its exit code.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frames  # noqa: E402 (beside this file)

relc, script, root = sys.argv[1:4]
texts = {}
messages = [{"id": 0, "method": "initialize", "params": {"capabilities": {}}},
            {"method": "initialized", "params": {}}]
labels = {}  # Request id -> what to print.


def uri(name):
    return "file://" + os.path.abspath(os.path.join(root, name))


def position(name, spec):
    if spec.startswith("/"):
        before, _, after = spec[1:-1].partition("|")
        # `\n` in a marker is a line break.
        before, after = before.replace("\\n", "\n"), after.replace("\\n", "\n")
        text = texts[name]
        if before + after not in text:
            sys.exit("drive.py: no %r in %s" % (before + after, name))
        at = text.index(before + after) + len(before)
        line = text.count("\n", 0, at)
        start = text.rfind("\n", 0, at) + 1
        units = len(text[start:at].encode("utf-16-le")) // 2
        return {"line": line, "character": units}
    line, char = spec.split(":")
    return {"line": int(line), "character": int(char)}


def offset(name, pos):
    lines = texts[name].split("\n")
    line = lines[pos["line"]]
    units = 0
    for i, c in enumerate(line):
        if units >= pos["character"]:
            return sum(len(l) + 1 for l in lines[:pos["line"]]) + i
        units += len(c.encode("utf-16-le")) // 2
    return sum(len(l) + 1 for l in lines[:pos["line"]]) + len(line)


def doc(name):
    return {"textDocument": {"uri": uri(name)}}


def split(line, n):
    """The first n words of line, then the rest as one."""
    parts = line.split(None, n)
    return parts + [""] * (n + 1 - len(parts))


def take_pos(line):
    """The POS that line starts with (a /marker/ may hold spaces), and the
    rest."""
    line = line.lstrip()
    if line.startswith("/"):
        end = line.index("/", line.index("|"))
        return line[:end + 1], line[end + 1:].lstrip()
    word, rest = split(line, 1)
    return word, rest


next_id = 1
for line in open(script):
    if not line.startswith("#> "):
        continue
    line = line[3:].rstrip("\n")
    op, name, rest = split(line, 2)
    rid = next_id
    if op == "open":
        with open(os.path.join(root, name)) as f:
            texts[name] = f.read()
        messages.append({"method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri(name), "languageId": "relplan",
                             "version": 1, "text": texts[name]}}})
        continue
    if op == "change":
        start, more = take_pos(rest)
        if start == "full":
            text = json.loads('"' + more + '"')
            texts[name] = text
            change = {"text": text}
        else:
            end, text = take_pos(more)
            text = json.loads('"' + text + '"')
            s, e = position(name, start), position(name, end)
            # An edit the server must refuse leaves the copy as it is.
            lines = texts[name].count("\n")
            if s["line"] <= lines and e["line"] <= lines and \
                    min(s["line"], s["character"], e["line"], e["character"]) >= 0 and \
                    offset(name, s) <= offset(name, e):
                a, b = offset(name, s), offset(name, e)
                texts[name] = texts[name][:a] + text + texts[name][b:]
            change = {"range": {"start": s, "end": e}, "text": text}
        messages.append({"method": "textDocument/didChange", "params": dict(
            doc(name), contentChanges=[change])})
        continue
    if op == "raw-change":
        messages.append({"method": "textDocument/didChange", "params": dict(
            doc(name), contentChanges=json.loads(rest))})
        continue
    next_id += 1
    if op in ("complete", "hover", "prepare", "definition"):
        method = {"complete": "completion", "prepare": "prepareRename"}.get(op, op)
        params = dict(doc(name), position=position(name, rest))
    elif op == "rename":
        pos, new = take_pos(rest)
        method = "rename"
        params = dict(doc(name), position=position(name, pos), newName=new)
    elif op == "actions":
        method = "codeAction"
        if rest:
            s, more = take_pos(rest)
            e, _ = take_pos(more)
            r = {"start": position(name, s), "end": position(name, e)}
        else:
            r = {"start": {"line": 0, "character": 0},
                 "end": {"line": 100000, "character": 0}}
        params = dict(doc(name), range=r, context={"diagnostics": []})
    else:
        sys.exit("drive.py: unknown operation " + op)
    labels[rid] = line
    messages.append({"id": rid, "method": "textDocument/" + method,
                     "params": params})
messages += [{"id": next_id, "method": "shutdown"}, {"method": "exit"}]

stdin = b"".join(frames.message(**m) for m in messages)
p = subprocess.run([relc, "lsp"], input=stdin, capture_output=True, timeout=120)


def where(r):
    s, e = r["start"], r["end"]
    return "%d:%d-%d:%d" % (s["line"], s["character"], e["line"], e["character"])


def edits(changes):
    for u in sorted(changes):
        for e in changes[u]:
            print("  %s %s -> %s" % (os.path.basename(u), where(e["range"]),
                                     e["newText"]))


for m in frames.unframe(p.stdout):
    if m.get("method") == "textDocument/publishDiagnostics":
        ds = m["params"]["diagnostics"]
        print("publish %s %d" % (os.path.basename(m["params"]["uri"]), len(ds)))
        for d in ds:
            print("  %s %s %s" % (d["code"], where(d["range"]), d["message"]))
        continue
    if m.get("method") == "window/logMessage":
        print("log: " + m["params"]["message"].replace(root + "/", ""))
        continue
    if m.get("id") in (0, next_id):
        continue
    print(labels[m["id"]])
    if "error" in m:
        print("  error %d %s" % (m["error"]["code"], m["error"]["message"]))
        continue
    result = m["result"]
    op = labels[m["id"]].split()[0]
    if result is None:
        print("  null")
    elif op == "complete":
        for item in result["items"]:
            print("  %s | %s" % (item["label"], item.get("detail", "")))
        if not result["items"]:
            print("  (none)")
    elif op == "hover":
        print("  range " + where(result["range"]))
        for l in result["contents"]["value"].splitlines():
            print("  hover: " + l)
    elif op == "prepare":
        print("  %s %s" % (where(result["range"]), result["placeholder"]))
    elif op == "rename":
        edits(result["changes"])
    elif op == "actions":
        for a in result:
            print("  %s [%s] for %s" % (a["title"], a["kind"],
                                        a["diagnostics"][0]["code"]))
            edits(a["edit"]["changes"])
        if not result:
            print("  (none)")
    elif op == "definition":
        print("  %s %s" % (os.path.basename(result["uri"]), where(result["range"])))
for l in p.stderr.decode().splitlines():
    print("stderr: " + l.replace(root + "/", ""))
print("exit", p.returncode)
