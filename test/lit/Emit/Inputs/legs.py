"""legs.py WORKFLOW...: checks what the generated GitHub jobs of PyTorch's
wheel legs promise, leg by leg, reading only the YAML:
- a build runs on a runner of the leg's platform (Linux x86_64 on `linux.`
  labels that are not arm64, aarch64 on `linux.arm64.`, macOS arm64 on
  `macos-14`.. or `macos-m1`, macOS x86_64 on `macos-12-`/`macos-13-`,
  Windows on `windows`), in a container only on Linux;
- every CUDA, ROCm or XPU leg that has a test job runs it on a runner with
  that accelerator (a label naming a GPU or XPU), and the legs without one
  are the ones the plan says are not tested;
- a leg's test job and upload job need the jobs holding its build (and
  test), and take its artifacts by the leg's name, which its build keeps;
- only upload jobs may ask for an OIDC token.
Prints a summary line; exits 1 with one line per broken promise."""
import re
import sys

import yaml

PLATFORM = {
    "linux-x86_64": r"^linux\.(?!arm64)",
    "linux-aarch64": r"^linux\.arm64\.",
    "macos-arm64": r"^macos-(1[4-9]|m1)",
    "macos-x86_64": r"^macos-1[23]-",
    "windows-x86_64": r"^windows[.-]",
    "windows-arm64": r"^windows-11-arm64",
}
GPU = r"(gpu|xpu|g4dn|g5)"
UNTESTED = {("linux-aarch64", "cuda"), ("macos-arm64", "cpu"),
            ("macos-x86_64", "cpu"), ("windows-x86_64", "xpu")}

problems = []
legs = builds = tests = uploads = 0
for path in sys.argv[1:]:
    with open(path) as f:
        wf = yaml.safe_load(f)
    jobs = wf["jobs"]
    phase_of = {}  # (phase, leg name) -> job id
    for job_id, job in jobs.items():
        perms = job.get("permissions") or {}
        phase = job_id.split("-")[0]
        if perms.get("id-token") == "write" and phase != "upload":
            problems.append("%s asks for an id token" % job_id)
        for leg in (job.get("strategy") or {}).get("matrix", {}).get("include") or []:
            if "name" not in leg or phase not in ("build", "test", "upload"):
                continue
            phase_of[(phase, leg["name"])] = job_id
            platform, _, accel = leg["leg"].split(", ")[0:3]
            accel = accel.split(" ")[0]
            if phase == "build":
                builds += 1
                if not re.search(PLATFORM[platform], leg["runner"]):
                    problems.append("%s builds on %s" % (leg["leg"], leg["runner"]))
                if "container" in job and not platform.startswith("linux"):
                    problems.append("%s builds in a container" % leg["leg"])
            elif phase == "test":
                tests += 1
                if accel != "cpu" and not re.search(GPU, leg["runner"]):
                    problems.append("%s is tested on %s" % (leg["leg"], leg["runner"]))
            else:
                uploads += 1
    for (phase, name), job_id in phase_of.items():
        if phase == "build":
            legs += 1
            continue
        build = phase_of.get(("build", name))
        needs = jobs[job_id].get("needs") or []
        if build not in needs and not (
                phase == "upload" and phase_of.get(("test", name)) in needs):
            problems.append("%s of %s does not need its build" % (phase, name))
        if phase == "upload" and ("test", name) in phase_of and \
                phase_of[("test", name)] not in needs:
            problems.append("upload of %s does not need its test" % name)
        steps = jobs[job_id]["steps"]
        if not any(s.get("uses", "").startswith("actions/download-artifact@")
                   and s["with"]["name"] == "${{ matrix.name }}" for s in steps):
            problems.append("%s of %s does not take the artifacts" % (phase, name))
    for (phase, name), job_id in phase_of.items():
        if phase != "build":
            continue
        platform, accel = name.split("-")[0] + "-" + name.split("-")[1], name.split("-")[3]
        if accel != "cpu" and ("test", name) not in phase_of and \
                (platform, accel) not in UNTESTED:
            problems.append("%s is not tested" % name)
for p in problems:
    print("legs: " + p)
print("%d legs: %d builds, %d tests, %d uploads, %d problems" %
      (legs, builds, tests, uploads, len(problems)))
sys.exit(1 if problems else 0)
