"""frames.py write|read ...: crafted byte streams for `relc lsp`.

`frames.py write ITEM...` writes one frame per ITEM to stdout:
  init, initialized, shutdown, exit  the lifecycle messages (requests get
                                     ids 1, 2, ... in order);
  req:METHOD / note:METHOD           a request / notification of METHOD;
  open:PATH                          textDocument/didOpen of PATH's text;
  deep-array:N, deep-object:N        a request nested N levels deep;
  notjson                            a body that is not JSON;
  header:TEXT                        TEXT as is, with \\r and \\n escapes.
`frames.py read` reads what the server sent on stdin and prints one line per
message: `ID result`, `ID error CODE MESSAGE`, or `publish FILE N`.
"""
import json
import os
import sys


def frame(body):
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def message(**fields):
    return frame(json.dumps(dict(jsonrpc="2.0", **fields)).encode())


def write(items):
    out = sys.stdout.buffer
    next_id = 1
    for item in items:
        kind, _, arg = item.partition(":")
        if kind in ("init", "shutdown", "req"):
            method = {"init": "initialize", "shutdown": "shutdown"}.get(kind, arg)
            out.write(message(id=next_id, method=method, params={}))
            next_id += 1
        elif kind in ("initialized", "exit", "note"):
            out.write(message(method=arg or kind, params={}))
        elif kind == "open":
            path = os.path.abspath(arg)
            with open(path) as f:
                text = f.read()
            out.write(message(method="textDocument/didOpen", params={
                "textDocument": {"uri": "file://" + path, "version": 1,
                                 "text": text}}))
        elif kind == "deep-array":
            out.write(frame(b"[" * int(arg)))
        elif kind == "deep-object":
            out.write(frame(b'{"a":' * int(arg)))
        elif kind == "notjson":
            out.write(frame(b"{not json"))
        elif kind == "header":
            out.write(arg.replace("\\r", "\r").replace("\\n", "\n").encode())
        else:
            sys.exit("frames.py: unknown item " + item)


def unframe(data):
    """The messages of a byte stream the server wrote, in order."""
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(head.split(b":")[1])
        yield json.loads(rest[:length])
        data = rest[length:]


def read():
    for m in unframe(sys.stdin.buffer.read()):
        if m.get("method") == "textDocument/publishDiagnostics":
            p = m["params"]
            print("publish %s %d" % (os.path.basename(p["uri"]),
                                     len(p["diagnostics"])))
        elif "error" in m:
            print("%s error %d %s" % (json.dumps(m["id"]), m["error"]["code"],
                                      m["error"]["message"]))
        else:
            print("%s result" % json.dumps(m["id"]))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2:])
    else:
        read()
