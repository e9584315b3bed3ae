"""Compares `relc matrix --format=include` on the bundled PyTorch plans with
the incumbent's matrix generator (test/data/testinfra/, see its README) for
each channel and platform: the legs as sets of field values, so neither leg
nor key order matters. Prints one line per case; for a difference, the
build names of the legs only one side has."""
import json
import subprocess
import sys

relc, root = sys.argv[1], sys.argv[2]
# The plan test-infra's snapshot builds on each channel.
PLANS = {"nightly": "2.15", "test": "2.14", "release": "2.13"}
PLATFORMS = {"linux": "linux-x86_64", "linux-aarch64": "linux-aarch64",
             "macos-arm64": "macos-arm64", "windows": "windows-x86_64",
             "windows-arm64": "windows-arm64"}


def legs(include):
    return {frozenset(leg.items()): leg["build_name"] for leg in include}


status = 0
for channel, release in PLANS.items():
    for os_name, platform in PLATFORMS.items():
        out = subprocess.run(
            [relc, "matrix", "--format=include", "--channel", channel,
             "--where", "platform is " + platform,
             "%s/plans/pytorch/%s.relplan" % (root, release)],
            capture_output=True, text=True)
        if out.returncode:
            print("%s %s: relc failed: %s" % (channel, os_name, out.stderr))
            status = 1
            continue
        ours = legs(json.loads(out.stdout)["include"])
        with open("%s/test/data/testinfra/%s-%s.json" % (root, channel,
                                                         os_name)) as f:
            theirs = legs(json.load(f)["include"])
        only_ours = sorted(ours[k] for k in ours.keys() - theirs.keys())
        only_theirs = sorted(theirs[k] for k in theirs.keys() - ours.keys())
        if not only_ours and not only_theirs:
            print("%s %s: %d legs, equal" % (channel, os_name, len(ours)))
            continue
        print("%s %s: relc %d legs, incumbent %d; only relc: %s; only the "
              "incumbent: %s" % (channel, os_name, len(ours), len(theirs),
                                 " ".join(only_ours) or "-",
                                 " ".join(only_theirs) or "-"))
sys.exit(status)
