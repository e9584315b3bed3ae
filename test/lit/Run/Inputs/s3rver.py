"""s3rver.py DATA COMMAND...: runs COMMAND (through bash) while s3rver, an
S3-compatible server (test/validators' npm packages), serves DATA on a free
loopback port with a bucket `whl`. COMMAND gets AWS_ENDPOINT_URL and keys
s3rver accepts; DATA keeps the objects from one call to the next. Exits
with COMMAND's status."""
import os
import socket
import subprocess
import sys
import time

data, command = sys.argv[1], " ".join(sys.argv[2:])
here = os.path.dirname(os.path.abspath(__file__))
# test/lit/Run/Inputs -> test/validators
server = os.path.normpath(os.path.join(
    here, "../../../validators/node_modules/.bin/s3rver"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
os.makedirs(data, exist_ok=True)
proc = subprocess.Popen([server, "--directory", data, "--address", "127.0.0.1",
                         "--port", str(port), "--configure-bucket", "whl",
                         "--silent"], stdout=subprocess.DEVNULL)
try:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                sys.exit("s3rver exited with %d" % proc.returncode)
            time.sleep(0.1)
    else:
        sys.exit("s3rver did not listen on port %d" % port)
    env = dict(os.environ, AWS_ENDPOINT_URL="http://127.0.0.1:%d" % port,
               AWS_ACCESS_KEY_ID="S3RVER", AWS_SECRET_ACCESS_KEY="S3RVER",
               AWS_DEFAULT_REGION="us-east-1")
    sys.exit(subprocess.run(["bash", "-e", "-c", command], env=env).returncode)
finally:
    proc.terminate()
    proc.wait()
