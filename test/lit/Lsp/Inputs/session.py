"""session.py RELC PROJECT: a scripted editor session with `relc lsp`:
initialize; open PROJECT with an error in it; change it to the file's own
(correct but badly laid out) text; format; list symbols; go to the
definition of a check from a `require`; shut down and exit. Prints one line
per message the server sent, for FileCheck."""
import json
import os
import subprocess
import sys

relc, project = sys.argv[1:3]
uri = "file://" + os.path.abspath(project)
with open(project) as f:
    good = f.read()
# The error: a stage that runs after one that does not exist.
bad = good.replace("stage rc(n) after cut", "stage rc(n) after cutt", 1)
# Correct, but not in canonical layout.
messy = good.replace("  channels test > release;", "channels   test>release ;", 1)
req_line = next(i for i, l in enumerate(messy.splitlines())
                if "require picks_landed" in l)
req_char = messy.splitlines()[req_line].index("picks_landed") + 3

messages = [
    {"id": 1, "method": "initialize", "params": {"capabilities": {}}},
    {"method": "initialized", "params": {}},
    {"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "relplan", "version": 1, "text": bad}}},
    {"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": messy}]}},
    {"id": 2, "method": "textDocument/formatting", "params": {
        "textDocument": {"uri": uri},
        "options": {"tabSize": 2, "insertSpaces": True}}},
    {"id": 3, "method": "textDocument/documentSymbol",
     "params": {"textDocument": {"uri": uri}}},
    {"id": 4, "method": "textDocument/definition", "params": {
        "textDocument": {"uri": uri},
        "position": {"line": req_line, "character": req_char}}},
    {"id": 5, "method": "textDocument/signatureHelp", "params": {
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}},
    {"id": 6, "method": "shutdown"},
    {"method": "exit"},
]
stdin = b""
for m in messages:
    body = json.dumps(dict(jsonrpc="2.0", **m)).encode()
    stdin += b"Content-Length: %d\r\n\r\n" % len(body) + body
p = subprocess.run([relc, "lsp"], input=stdin, capture_output=True, timeout=60)
out = p.stdout
replies = []
while out:
    head, _, rest = out.partition(b"\r\n\r\n")
    length = int(head.split(b":")[1])
    replies.append(json.loads(rest[:length]))
    out = rest[length:]

fmt = subprocess.run([relc, "fmt", "--stdout", project], capture_output=True,
                     text=True).stdout
for r in replies:
    if r.get("method") == "textDocument/publishDiagnostics":
        ds = r["params"]["diagnostics"]
        print("publish %s: %d" % (os.path.basename(r["params"]["uri"]), len(ds)))
        for d in ds:
            s = d["range"]["start"]
            print("  %d %s %d:%d %s" % (d["severity"], d["code"], s["line"] + 1,
                                       s["character"] + 1, d["message"]))
        continue
    if "error" in r:
        print("%s error %d %s" % (r["id"], r["error"]["code"], r["error"]["message"]))
        continue
    result = r["result"]
    if r["id"] == 1:
        caps = result["capabilities"]
        print("1 capabilities " + " ".join("%s=%s" % kv for kv in sorted(caps.items())))
        info = result.get("serverInfo", {})
        print("1 serverInfo %s %s" % (info.get("name"), info.get("version")))
    elif r["id"] == 2:
        print("2 edits %d, the text of relc fmt: %s" % (
            len(result), len(result) == 1 and result[0]["newText"] == fmt))
    elif r["id"] == 3:
        print("3 symbols " + ", ".join(
            "%s %s%s" % (s["detail"], s["name"],
                         "(" + ",".join(c["name"] for c in s.get("children", [])) + ")"
                         if s.get("children") else "")
            for s in result))
    elif r["id"] == 4:
        s = result["range"]["start"]
        print("4 definition %s %d:%d" % (os.path.basename(result["uri"]),
                                         s["line"] + 1, s["character"] + 1))
    else:
        print("%d result %s" % (r["id"], json.dumps(result)))
print("exit", p.returncode)
