"""index.py DATA COMMAND...: runs COMMAND (through bash) while a Python
package index serves DATA on a free loopback port, and exits with COMMAND's
status. No package index server is packaged for Debian or npm, so this is a
small one, doing what relc and twine use of PyPI's: the upload API
(`POST /legacy/`, multipart form `:action=file_upload` with `content` and
`sha256_digest`, basic auth `__token__` with the one token it knows; a
file name taken once, as PyPI never takes the same
file name twice, `400 File already exists`) and the simple API
(`GET /simple/PROJECT/`: PEP 691 JSON when asked for, PEP 503 HTML
otherwise; 404 for a project with no file). COMMAND gets TWINE_USERNAME,
TWINE_PASSWORD, RELC_TEST_INDEX (the server's base URL) and the files in
DATA/files persist from one call to the next."""
import base64
import email.parser
import email.policy
import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import threading

data, command = sys.argv[1], " ".join(sys.argv[2:])
files = os.path.join(data, "files")
os.makedirs(files, exist_ok=True)
TOKEN = "pypi-test-token"


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def project_of(filename):
    if filename.endswith(".whl"):
        return normalise(filename.split("-")[0])
    return normalise(filename.rsplit("-", 1)[0])


class Index(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body, kind="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        m = re.fullmatch(r"/simple/([^/]+)/", self.path)
        if not m:
            return self.reply(404, "not found")
        project = normalise(m.group(1))
        listed = sorted(f for f in os.listdir(files) if project_of(f) == project)
        if not listed:
            return self.reply(404, "not found")
        digests = {f: hashlib.sha256(open(os.path.join(files, f), "rb").read()).hexdigest()
                   for f in listed}
        if "application/vnd.pypi.simple.v1+json" in self.headers.get("Accept", ""):
            doc = {"meta": {"api-version": "1.0"}, "name": project,
                   "files": [{"filename": f, "url": "/files/" + f,
                              "hashes": {"sha256": digests[f]}} for f in listed]}
            return self.reply(200, json.dumps(doc), "application/vnd.pypi.simple.v1+json")
        links = "".join(f'<a href="/files/{f}#sha256={digests[f]}">{f}</a>\n' for f in listed)
        return self.reply(200, f"<!DOCTYPE html><html><body>\n{links}</body></html>",
                          "text/html")

    def do_POST(self):
        if self.path.rstrip("/") != "/legacy":
            return self.reply(404, "not found")
        auth = self.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"__token__:{TOKEN}".encode()).decode()
        if auth != expected:
            return self.reply(403, "Invalid or non-existent authentication information.")
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
        form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        fields, content, filename = {}, None, None
        for part in form.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name == "content":
                filename = part.get_filename()
                content = part.get_payload(decode=True)
            else:
                fields[name] = part.get_content().strip()
        if fields.get(":action") != "file_upload" or content is None or not filename:
            return self.reply(400, "not a file upload")
        if os.path.basename(filename) != filename:
            return self.reply(400, "bad file name")
        if hashlib.sha256(content).hexdigest() != fields.get("sha256_digest"):
            return self.reply(400, "The digest supplied does not match a digest calculated "
                                   "from the uploaded file.")
        path = os.path.join(files, filename)
        if os.path.exists(path):
            return self.reply(400, "File already exists.")
        with open(path + ".part", "wb") as f:
            f.write(content)
        os.rename(path + ".part", path)
        return self.reply(200, "OK")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Index)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d" % server.server_address[1]
env = dict(os.environ, RELC_TEST_INDEX=base, TWINE_USERNAME="__token__",
           TWINE_PASSWORD=TOKEN)
try:
    sys.exit(subprocess.run(["bash", "-e", "-c", command], env=env).returncode)
finally:
    server.shutdown()
