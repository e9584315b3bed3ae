#!/usr/bin/python3
"""relc benchmark runner (bench/run.sh runs this).

Generates synthetic plans (bench/gen.py), then measures whole-process wall
time (median of N runs, with min and p90) and peak memory (max RSS, from
wait4) of relc commands at growing sizes, and prints Markdown tables with the
time per leg and per MB and the growth exponent between sizes.

Wall time comes from hyperfine when it is installed (and --harness is not
given), otherwise from this script's own harness: posix_spawn + wait4, the
child's stdout to /dev/null, one warm-up run, then N timed runs. Peak memory
always comes from wait4's ru_maxrss of each run of the own harness.
"""

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen  # noqa: E402

GOAL_STARTUP_MS = 5.0
GOAL_10MB_S, GOAL_10MB_RSS_MB = 3.0, 1536.0
GOAL_1M_JSON_S = 2.0
GOAL_EMIT_10K_S = 1.0
GOAL_CHECK_OVER_VERSION = 1.5   # `relc check 2.4.relplan` / `relc --version`
GOAL_INCUMBENT_SPEEDUP = 15.0   # the incumbent's Linux release matrix / relc's


# ------------------------------------------------------------------ running ---

class Result:
    def __init__(self, times, rss, rc, stderr, timed_out=False, source="harness"):
        self.times = times          # seconds, timed runs only
        self.rss = rss              # KiB per run (ru_maxrss)
        self.rc = rc                # exit status of the first run
        self.stderr = stderr        # stderr of the first run (truncated)
        self.timed_out = timed_out
        self.source = source

    def stat(self, q):
        t = sorted(self.times)
        if not t:
            return float("nan")
        if q == "median":
            n = len(t)
            return t[n // 2] if n % 2 else (t[n // 2 - 1] + t[n // 2]) / 2
        if q == "min":
            return t[0]
        if q == "p90":  # nearest rank
            return t[max(0, math.ceil(0.9 * len(t)) - 1)]
        raise ValueError(q)

    @property
    def max_rss_mb(self):
        return max(self.rss) / 1024.0 if self.rss else float("nan")

    def as_json(self):
        return {"times_s": self.times, "rss_kib": self.rss, "rc": self.rc,
                "stderr": self.stderr[:2000], "timed_out": self.timed_out, "source": self.source,
                "median_s": self.stat("median"), "min_s": self.stat("min"),
                "p90_s": self.stat("p90"), "max_rss_mb": self.max_rss_mb}


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def spawn_once(argv, timeout, wrap=False):
    """One run, stdout to /dev/null: (seconds, max RSS KiB, exit status,
    stderr text, timed out).

    Peak memory: Linux's ru_maxrss of a child counts the memory of the process
    it was forked from up to its exec (exec keeps the old mm's high-water
    mark), so a child of this Python process never reads below ~17 MB. With
    `wrap`, the run goes through GNU time (`/usr/bin/time -f %M`, a small C
    process: ~1 MB floor) and its figure is used instead.
    """
    err = tempfile.TemporaryFile()
    memfile = None
    run = argv
    if wrap and GNU_TIME:
        memfile = tempfile.NamedTemporaryFile(prefix="relc-bench-mem-", delete=False)
        memfile.close()
        run = [GNU_TIME, "-f", "%M", "-o", memfile.name] + list(argv)
    fa = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
          (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
          (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
    killed = []

    def kill(pid):
        killed.append(True)
        try:  # GNU time passes nothing on; kill its process group's child too
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    t0 = time.perf_counter()
    pid = os.posix_spawn(run[0], run, os.environ, file_actions=fa, setpgroup=0)
    timer = threading.Timer(timeout, kill, (pid,))
    timer.start()
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    timer.cancel()
    err.seek(0)
    text = err.read(20000).decode("utf-8", "replace")
    err.close()
    rc = os.waitstatus_to_exitcode(status)
    kib = ru.ru_maxrss
    if memfile:
        try:
            lines = open(memfile.name).read().split()
            kib = int(lines[-1])
        except (OSError, ValueError, IndexError):
            pass
        os.unlink(memfile.name)
    return t1 - t0, kib, rc, text, bool(killed)


def measure(argv, runs, budget, timeout, prepare=None, mem_runs=3):
    """Own harness.

    First `mem_runs` runs through GNU time: peak memory, exit status and
    stderr, and the warm-up. A cell whose first run takes a third of the
    budget or more is slow: its runs are all timed (the wrapper's ~1 ms is
    noise there) and taken while the budget lasts. Otherwise `runs` timed
    runs follow, spawned directly, after the memory runs.
    """
    times, rss, first = [], [], None

    def once(wrap):
        if prepare:
            prepare()
        return spawn_once(argv, timeout, wrap)

    t, kib, rc, err, killed = once(True)
    first = (rc, err)
    if killed:
        return Result(times, rss, rc, err, timed_out=True)
    rss.append(kib)
    if t >= budget / 3:
        times.append(t)
        total = t
        while len(times) < runs and total + t < budget:
            t, kib, _, _, killed = once(True)
            if killed:
                return Result(times, rss, rc, err, timed_out=True)
            rss.append(kib)
            times.append(t)
            total += t
        return Result(times, rss, first[0], first[1])
    for _ in range(mem_runs - 1):
        _, kib, _, _, _ = once(True)
        rss.append(kib)
    total = 0.0
    for _ in range(runs):
        t, _, _, _, killed = once(False)
        if killed:
            return Result(times, rss, rc, err, timed_out=True)
        times.append(t)
        total += t
        if total >= budget and len(times) >= 3:
            break
    return Result(times, rss, first[0], first[1])


def measure_hyperfine(argv, runs, budget, timeout, prepare_cmd=None):
    """Wall time from hyperfine (no shell); memory from three own runs."""
    prep = (lambda: subprocess.run(prepare_cmd)) if prepare_cmd else None
    probe = measure(argv, 1, budget, timeout, prepare=prep, mem_runs=1)
    if probe.timed_out or not probe.times:
        return probe
    first = probe.times[0]
    n = max(1, min(runs, int(budget / max(first, 1e-6))))
    if n < 3 and first < budget / 3:
        n = 3
    with tempfile.NamedTemporaryFile(suffix=".json") as js:
        cmd = ["hyperfine", "-N", "--style", "none", "--warmup", "1" if first < budget / 3 else "0",
               "--runs", str(n), "--export-json", js.name]
        if prepare_cmd:
            cmd += ["--prepare", " ".join(prepare_cmd)]
        cmd.append(" ".join(argv))
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        data = json.load(open(js.name))
    times = data["results"][0]["times"]
    return Result(times, probe.rss, probe.rc, probe.stderr, source="hyperfine")


def interleaved(cmds, rounds, timeout):
    """Wall times of commands run in turn, one run of each per round, so that
    every command sees the same load (a shared machine's load moves more
    than a fast command's own time). One untimed round first. Returns a list
    of Results, one per command, in the order given."""
    times = [[] for _ in cmds]
    status = [None] * len(cmds)
    for rnd in range(rounds + 1):
        for i, argv in enumerate(cmds):
            t, kib, rc, err, killed = spawn_once(argv, timeout)
            if status[i] is None:
                status[i] = (rc, err, kib, killed)
            if rnd:
                times[i].append(t)
    return [Result(ts, [st[2]], st[0], st[1], timed_out=st[3])
            for ts, st in zip(times, status)]


def output_bytes(argv, timeout):
    """Bytes the command writes to stdout (one untimed run, through a pipe)."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    n = 0
    while True:
        chunk = p.stdout.read(1 << 20)
        if not chunk:
            break
        n += len(chunk)
    p.wait()
    timer.cancel()
    return n


VALGRIND = shutil.which("valgrind")


def instructions(argv, timeout, env=None):
    """Instructions one run executes (callgrind's total Ir), or None without
    valgrind. Unlike wall time, this does not move with the machine's load."""
    if not VALGRIND:
        return None
    p = subprocess.run([VALGRIND, "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout * 50,
                       env=env)
    m = re.search(rb"Collected : (\d+)", p.stderr)
    return int(m.group(1)) if m else None


def fmt_ir(n):
    return "" if n is None else "%.2f" % (n / 1e6)


# ---------------------------------------------------------------- reporting ---

def fmt_ms(s):
    if s != s:  # nan
        return "--"
    ms = s * 1000
    return "%.2f" % ms if ms < 10 else "%.1f" % ms if ms < 100 else "%.0f" % ms


def fmt_num(x, digits=3):
    if x is None or x != x:
        return "--"
    if x == 0:
        return "0"
    mag = int(math.floor(math.log10(abs(x))))
    return ("%." + str(max(0, digits - 1 - mag)) + "f") % x


def human_bytes(n):
    for unit, f in (("MB", 1e6), ("KB", 1e3)):
        if n >= f:
            return "%s %s" % (fmt_num(n / f), unit)
    return "%d B" % n


def growth(prev, cur, xkey):
    """k in t ~ n^k between two rows of one command (1 = linear)."""
    if not prev or prev["median"] != prev["median"] or cur["median"] != cur["median"]:
        return None
    if prev[xkey] in (None, 0) or cur[xkey] in (None, 0) or prev[xkey] == cur[xkey]:
        return None
    return math.log(cur["median"] / prev["median"]) / math.log(cur[xkey] / prev[xkey])


def table(rows, cols):
    head = "| " + " | ".join(c[0] for c in cols) + " |"
    sep = "|" + "|".join("---:" if c[2] else "---" for c in cols) + "|"
    lines = [head, sep]
    for r in rows:
        lines.append("| " + " | ".join(c[1](r) for c in cols) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------- driver ---

def probe_subcommand(relc, name):
    """Does relc have subcommand `name`? `relc NAME --help` must exit 0 without
    LLVM's "Unknown command line argument" (LLVM prints the general help and
    exits 0 for --help even after an unknown subcommand), and mention NAME."""
    try:
        p = subprocess.run([relc, name, "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    text = p.stdout + p.stderr
    return (p.returncode == 0 and "Unknown command line argument" not in text
            and re.search(r"\b%s\b" % re.escape(name), p.stdout) is not None)


def machine_info(relc):
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run([relc, "--version"], capture_output=True, text=True).stdout.strip()
    build_type = "?"
    cache = os.path.join(os.path.dirname(os.path.dirname(relc)), "CMakeCache.txt")
    if os.path.exists(cache):
        m = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", open(cache).read(), re.M)
        build_type = m.group(1) if m else "?"
    head = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "python": platform.python_version(), "relc": relc, "relc_version": version,
            "build_type": build_type, "commit": head + ("+dirty" if dirty else ""),
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}


def main(argv=None):
    ap = argparse.ArgumentParser(description="relc benchmarks: prints Markdown tables.")
    ap.add_argument("--relc", default=os.path.join(REPO, "build", "bin", "relc"),
                    help="relc binary (default: build/bin/relc in the repository)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: small sizes, few runs")
    ap.add_argument("--out", default=os.path.join(HERE, "out"),
                    help="scratch and results directory (default: bench/out, git-ignored)")
    ap.add_argument("--series", default="startup,legs,size,releases,model",
                    help="comma-separated subset of startup,legs,size,releases,model")
    ap.add_argument("--legs", help="leg counts for the legs series (default 1e2..1e6)")
    ap.add_argument("--sizes", help="plan sizes for the size series (default 10KB..10MB)")
    ap.add_argument("--releases", help="release counts (default 1,10,100,1000,10000)")
    ap.add_argument("--models", help="model sizes (default 10KB..10MB)")
    ap.add_argument("--runs", type=int, help="timed runs per cell (default 10; quick 3)")
    ap.add_argument("--startup-runs", type=int, help="timed runs for start-up (default 60; quick 30)")
    ap.add_argument("--budget", type=float, default=20.0,
                    help="seconds per cell before fewer runs are taken (default 20)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="kill one relc run after this many seconds (default 600)")
    ap.add_argument("--seed", type=int, default=20240610)
    ap.add_argument("--harness", action="store_true",
                    help="use the built-in harness even if hyperfine is installed")
    ap.add_argument("--incumbent", metavar="SCRIPT",
                    help="pytorch/test-infra's tools/scripts/generate_binary_build_matrix.py: "
                         "time its Linux release matrix against relc's (skipped without it; "
                         "bench/README.md says how to get it)")
    ap.add_argument("--incumbent-python", default="/usr/bin/python3",
                    help="the Python that runs --incumbent (default /usr/bin/python3, Debian's)")
    ap.add_argument("--verify", action="store_true",
                    help="also run gen.py --verify (one `check --emit=plan` per case, and fmt --check)")
    args = ap.parse_args(argv)

    relc = os.path.abspath(args.relc)
    if not (os.path.isfile(relc) and os.access(relc, os.X_OK)):
        print("relc binary not found: %s (build it, or pass --relc PATH)" % relc, file=sys.stderr)
        return 2
    series = [s for s in args.series.split(",") if s]
    runs = args.runs or (3 if args.quick else 10)
    startup_runs = args.startup_runs or (30 if args.quick else 60)
    out = os.path.abspath(args.out)
    gen_dir = os.path.join(out, "gen")
    os.makedirs(out, exist_ok=True)

    hyperfine = None if args.harness else shutil.which("hyperfine")
    info = machine_info(relc)
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    log("relc: %s (%s, CMAKE_BUILD_TYPE=%s), commit %s" % (relc, info["relc_version"],
                                                        info["build_type"], info["commit"]))
    if info["build_type"] not in ("Release", "?"):
        log("warning: %s is a %s build; benchmark a Release build" % (relc, info["build_type"]))
    if hyperfine:
        log("wall time: %s; peak memory: own runs through GNU time" % hyperfine)
    else:
        log("wall time: own harness (posix_spawn + wait4). hyperfine is not installed; "
            "to time with it: apt-get install -y hyperfine")
    if not GNU_TIME:
        log("peak memory: wait4 ru_maxrss, which never reads below this Python's own RSS; "
            "for exact figures: apt-get install -y time")

    graph = probe_subcommand(relc, "graph")
    emit = probe_subcommand(relc, "emit")
    log("relc graph: %s; relc emit: %s" % ("yes" if graph else "not available",
                                           "yes" if emit else "not available"))

    # -- generate
    gen_series = [s for s in series if s in gen.SERIES]
    manifest = {"cases": []}
    if gen_series:
        gargs = ["--out", gen_dir, "--seed", str(args.seed), "--series", ",".join(gen_series)]
        for flag in ("legs", "sizes", "releases", "models"):
            if getattr(args, flag):
                gargs += ["--" + flag, getattr(args, flag)]
        if args.quick:
            gargs.append("--quick")
        if args.verify:
            gargs += ["--verify", relc]
        log("generating: bench/gen.py %s" % " ".join(gargs))
        t0 = time.time()
        if gen.main(gargs) != 0:
            log("generated plans do not check clean; stopping")
            return 1
        log("generated in %.1f s" % (time.time() - t0))
        manifest = json.load(open(os.path.join(gen_dir, "manifest.json")))

    def run_cell(argv, prepare_dir=None, single=False):
        n = 1 if single else runs
        prep = None
        if prepare_dir:
            prep = lambda: shutil.rmtree(prepare_dir, ignore_errors=True)  # noqa: E731
        if hyperfine:
            return measure_hyperfine(argv, n, args.budget, args.timeout,
                                     ["rm", "-rf", prepare_dir] if prepare_dir else None)
        return measure(argv, n, args.budget, args.timeout, prepare=prep)

    results = {"machine": info, "hyperfine": hyperfine, "graph": graph, "emit": emit,
               "runs": runs, "startup_runs": startup_runs, "budget_s": args.budget,
               "command": "bench/run.sh " + " ".join(argv if argv is not None else sys.argv[1:]),
               "startup": [], "series": {}}
    md = []
    problems = []

    md.append("## relc benchmarks\n")
    md.append("Machine: %s, %d cores, Linux %s; relc %s (%s), commit %s; %s; %s.\n" % (
        info["cpu"], info["cores"], info["kernel"], info["relc_version"].replace("relc ", ""),
        info["build_type"], info["commit"], info["date"],
        "wall time by hyperfine" if hyperfine else "own harness (posix_spawn + wait4)"))

    # -- start-up
    if "startup" in series:
        log("start-up (%d runs each)" % startup_runs)
        plan = os.path.join(REPO, "plans", "pytorch", "2.4.relplan")
        # relc keeps loaded models on disk (docs/compat-model.md): every
        # start-up run after the first reads them from this cache, as a
        # pre-commit hook does; the row below gives a run without it.
        os.environ["RELC_CACHE_DIR"] = os.path.join(out, "model-cache")
        rows = []
        cells = [("/bin/true (harness floor)", ["/bin/true"]),
                 ("relc --version", [relc, "--version"]),
                 ("relc check --parse-only 2.4.relplan", [relc, "check", "--parse-only", plan]),
                 ("relc matrix 2.4.relplan --format=json", [relc, "matrix", plan, "--format=json"]),
                 ("relc check 2.4.relplan", [relc, "check", plan])]
        for label, cmd in cells:
            if hyperfine:
                r = measure_hyperfine(cmd, startup_runs, 1e9, args.timeout)
            else:
                r = measure(cmd, startup_runs, 1e9, args.timeout)
            ir = instructions(cmd, args.timeout) if cmd[0] == relc else None
            rows.append({"what": label, "r": r, "ir": ir})
            results["startup"].append({"what": label, "argv": cmd, "instructions": ir,
                                       **r.as_json()})
            if r.rc != 0 and label != "/bin/true (harness floor)":
                problems.append("start-up: %s exited %d: %s" % (label, r.rc, r.stderr[:300]))
        cold = instructions([relc, "check", plan], args.timeout,
                            env=dict(os.environ, RELC_CACHE_DIR=""))
        results["startup_check_no_cache_instructions"] = cold
        md.append("### Start-up\n")
        md.append("`plans/pytorch/2.4.relplan` (with `project.relplan` and both YAML models, "
                  "55 legs); whole process, %d timed runs after %s.\n" % (
                      startup_runs, "hyperfine's warm-up" if hyperfine else
                      "3 warm-up runs through GNU time that give the peak memory"))
        md.append(table(rows, [
            ("command", lambda r: r["what"], False),
            ("median ms", lambda r: fmt_ms(r["r"].stat("median")), True),
            ("min ms", lambda r: fmt_ms(r["r"].stat("min")), True),
            ("p90 ms", lambda r: fmt_ms(r["r"].stat("p90")), True),
            ("max RSS MB", lambda r: fmt_num(r["r"].max_rss_mb), True),
            ("runs", lambda r: str(len(r["r"].times)), True),
            ("M instructions", lambda r: fmt_ir(r["ir"]), True)]))
        md.append("*M instructions*: callgrind's total Ir of one run (`valgrind --tool=callgrind`), "
                  "which, unlike wall time, does not depend on the machine's load%s. Runs read "
                  "the models from relc's model cache, warm after the first run; without it "
                  "`relc check 2.4.relplan` is %s M instructions.\n" % (
                      "" if VALGRIND else "; valgrind is not installed, so the column is empty",
                      fmt_ir(cold) or "?"))
        startup_check = rows[-1]["r"]
        results["startup_check_median_s"] = startup_check.stat("median")

        # The goal is relative: check within 1.5x of a process that only
        # starts. Measured in alternation, as the load changes both alike.
        pair = [("relc --version", [relc, "--version"]),
                ("relc check 2.4.relplan", [relc, "check", plan])]
        log("start-up against --version, interleaved (%d rounds)" % startup_runs)
        version, check = interleaved([c for _, c in pair], startup_runs, args.timeout)
        ratio = check.stat("median") / version.stat("median")
        results["check_over_version"] = {"version": version.as_json(), "check": check.as_json(),
                                         "ratio": ratio}
        md.append("**`relc check 2.4.relplan` against `relc --version`**, %d rounds of one "
                  "run each in turn: medians %s ms and %s ms (min %s and %s ms), ratio %.2f.\n" % (
                      startup_runs, fmt_ms(check.stat("median")), fmt_ms(version.stat("median")),
                      fmt_ms(check.stat("min")), fmt_ms(version.stat("min")), ratio))
        if check.rc != 0:
            problems.append("start-up: relc check exited %d: %s" % (check.rc, check.stderr[:300]))

    # -- against the incumbent: PyTorch's matrix generator, Linux, release
    if args.incumbent:
        script = os.path.abspath(args.incumbent)
        plan = os.path.join(REPO, "plans", "pytorch", "2.4.relplan")
        pair = [("incumbent: generate_binary_build_matrix.py --channel release "
                 "--operating-system linux",
                 [args.incumbent_python, script, "--channel", "release",
                  "--operating-system", "linux"]),
                ("relc matrix 2.4.relplan --channel release --where "
                 "\"platform in [linux-x86_64, linux-aarch64]\" --format=json",
                 [relc, "matrix", plan, "--channel", "release", "--where",
                  "platform in [linux-x86_64, linux-aarch64]", "--format=json"])]
        log("against the incumbent, interleaved (%d rounds)" % startup_runs)
        inc, mine = interleaved([c for _, c in pair], startup_runs, args.timeout)
        speedup = inc.stat("median") / mine.stat("median")
        results["incumbent"] = {"script": script, "python": args.incumbent_python,
                                "incumbent": inc.as_json(), "relc": mine.as_json(),
                                "speedup": speedup}
        md.append("### Against the incumbent\n")
        md.append("PyTorch's Linux release matrix: `%s` run by `%s`, and relc's, %d rounds of "
                  "one run each in turn.\n" % (os.path.basename(script), args.incumbent_python,
                                               startup_runs))
        md.append(table([{"what": label, "r": r} for (label, _), r in zip(pair, (inc, mine))], [
            ("command", lambda r: r["what"], False),
            ("median ms", lambda r: fmt_ms(r["r"].stat("median")), True),
            ("min ms", lambda r: fmt_ms(r["r"].stat("min")), True),
            ("p90 ms", lambda r: fmt_ms(r["r"].stat("p90")), True)]))
        md.append("relc is %.1fx faster (ratio of the medians).\n" % speedup)
        for (label, _), r in zip(pair, (inc, mine)):
            if r.rc != 0:
                problems.append("incumbent: %s exited %d: %s" % (label, r.rc, r.stderr[:300]))

    # -- series
    tmp_emit = tempfile.mkdtemp(prefix="relc-bench-emit-")
    titles = {
        "legs": ("Matrix size", "One release whose matrix `wheels` expands to exactly N legs "
                 "(axes python, platform, accel, compiler, blas, variant; an exclude and "
                 "includes that give the excluded legs back). Plan files are ~3 KB; the "
                 "work is the expansion, the model's rules on every leg and the output."),
        "size": ("Plan size", "A project and a release of the given total size: a long "
                 "schedule (10%), many small matrices (30%), named checks (12%), stages with "
                 "4-16 steps (40%), CI overlays (8%)."),
        "releases": ("Number of releases", "One project and N release files checked in one "
                     "invocation (`relc check DIR/*.relplan`); each release has one small matrix."),
        "model": ("Compatibility model size", "`relc check model.yaml` on a generated model: "
                  "a long version axis, platforms with overrides, a toolkit component with "
                  "supports lists and overrides, many require rules."),
    }
    for s in gen.SERIES:
        if s not in series:
            continue
        cases = [c for c in manifest["cases"] if c["series"] == s]
        if not cases:
            continue
        rows = []
        for c in cases:
            plans = [os.path.join(gen_dir, p) for p in c["plans"]]
            cmds = []
            if s == "model":
                cmds.append(("check", [relc, "check"] + plans, None))
            else:
                if s == "size":
                    cmds.append(("check --parse-only", [relc, "check", "--parse-only"] + plans, None))
                cmds.append(("check", [relc, "check"] + plans, None))
                cmds.append(("matrix --format=json", [relc, "matrix", "--format=json"] + plans, None))
                if s == "releases":
                    cmds.append(("matrix --format=markdown",
                                 [relc, "matrix", "--format=markdown"] + plans, None))
                # graph and emit take one release file.
                if graph and len(plans) == 1:
                    cmds.append(("graph --format=json", [relc, "graph", plans[0], "--format=json"], None))
                if emit and len(plans) == 1:
                    d = os.path.join(tmp_emit, "%s-%s" % (s, c["label"]))
                    cmds.append(("emit github", [relc, "emit", "github"] + plans + ["-o", d], d))
            for name, cmd, prep in cmds:
                log("%s/%s: relc %s" % (s, c["label"], name))
                r = run_cell(cmd, prepare_dir=prep)
                clean = r.rc == 0 and not r.timed_out and (name == "graph --format=json" or
                                                           name.startswith("emit") or not r.stderr)
                if not clean:
                    problems.append("%s/%s: relc %s: %s%s" % (
                        s, c["label"], name, "timed out after %g s" % args.timeout if r.timed_out
                        else "exit %d" % r.rc, (": " + r.stderr[:500]) if r.stderr else ""))
                outb = None
                # One more (untimed) run to count the output, unless runs are slow.
                if name.startswith(("matrix --format=json", "graph")) and clean and r.stat("median") < 30:
                    outb = output_bytes(cmd, args.timeout)
                if prep and clean:  # emit: the files the last run wrote
                    outb = sum(os.path.getsize(os.path.join(dp, f))
                               for dp, _, fs in os.walk(prep) for f in fs)
                    shutil.rmtree(prep, ignore_errors=True)
                row = {"series": s, "label": c["label"], "cmd": name, "r": r, "legs": c.get("legs"),
                       "bytes": c["bytes"], "n": c["n"], "out": outb, "clean": clean,
                       "median": r.stat("median")}
                rows.append(row)
                results["series"].setdefault(s, []).append(
                    {"label": c["label"], "cmd": name, "argv": cmd, "legs": c.get("legs"),
                     "bytes": c["bytes"], "n": c["n"], "out_bytes": outb, "clean": clean,
                     "stats": c.get("stats"), **r.as_json()})
        # Order by command, then size, so growth reads down the table.
        order = []
        for r in rows:
            if r["cmd"] not in order:
                order.append(r["cmd"])
        rows.sort(key=lambda r: (order.index(r["cmd"]), r["n"]))
        xkey = {"legs": "legs", "size": "bytes", "releases": "n", "model": "bytes"}[s]
        prev = None
        for r in rows:
            r["k"] = growth(prev, r, xkey) if prev and prev["cmd"] == r["cmd"] else None
            prev = r
        title, blurb = titles[s]
        md.append("### %s\n" % title)
        md.append(blurb + "\n")
        cols = [("size", lambda r: r["label"], False),
                ("command", lambda r: "`%s`" % r["cmd"], False)]
        if s != "model":
            cols.append(("legs", lambda r: "{:,}".format(r["legs"]) if r["legs"] else "--", True))
        cols += [("input", lambda r: human_bytes(r["bytes"]), True),
                 ("runs", lambda r: str(len(r["r"].times)) + ("" if r["clean"] else " FAIL"), True),
                 ("median ms", lambda r: "> %g s (killed)" % args.timeout if r["r"].timed_out
                  else fmt_ms(r["median"]), True),
                 ("min ms", lambda r: fmt_ms(r["r"].stat("min")), True),
                 ("p90 ms", lambda r: fmt_ms(r["r"].stat("p90")), True),
                 ("max RSS MB", lambda r: fmt_num(r["r"].max_rss_mb), True)]
        if s != "model":
            cols.append(("µs/leg", lambda r: fmt_num(r["median"] * 1e6 / r["legs"]) if r["legs"] else "--", True))
        if s != "legs":  # the legs plans are ~3 KB whatever their size
            cols.append(("ms/MB in", lambda r: fmt_num(r["median"] * 1e3 / (r["bytes"] / 1e6)), True))
        if s == "releases":
            cols.append(("ms/release", lambda r: fmt_num(r["median"] * 1e3 / r["n"]), True))
        if s in ("legs", "size"):
            cols.append(("out MB", lambda r: fmt_num(r["out"] / 1e6) if r["out"] else "", True))
        if s == "legs":
            cols.append(("ms/MB out", lambda r: fmt_num(r["median"] * 1e3 / (r["out"] / 1e6)) if r["out"] else "", True))
        cols.append(("growth k", lambda r: fmt_num(r["k"], 2) if r["k"] is not None else "", True))
        md.append(table(rows, cols))
        md.append("")
        results["series"][s + "_rows"] = [{"label": r["label"], "cmd": r["cmd"], "k": r["k"]}
                                          for r in rows]
    shutil.rmtree(tmp_emit, ignore_errors=True)

    # -- goals
    def find(s, label_n, cmd, key="n"):
        for row in results["series"].get(s, []):
            if row["cmd"] == cmd and row[key] == label_n:
                return row
        return None

    goals = []
    if "startup" in series:
        m = results["startup_check_median_s"] * 1000
        goals.append(("start-up: `relc check plans/pytorch/2.4.relplan`", "< %g ms median" % GOAL_STARTUP_MS,
                      "%.2f ms" % m, m < GOAL_STARTUP_MS))
    if "check_over_version" in results:
        r = results["check_over_version"]["ratio"]
        goals.append(("start-up: `relc check 2.4.relplan` against `relc --version`, interleaved",
                      "<= %gx" % GOAL_CHECK_OVER_VERSION, "%.2fx" % r, r <= GOAL_CHECK_OVER_VERSION))
    if "incumbent" in results:
        x = results["incumbent"]["speedup"]
        goals.append(("Linux release matrix against the incumbent, interleaved",
                      ">= %gx faster" % GOAL_INCUMBENT_SPEEDUP, "%.1fx" % x,
                      x >= GOAL_INCUMBENT_SPEEDUP))
    row = find("size", 10_000_000, "check")
    if row:
        t, mem = row["median_s"], row["max_rss_mb"]
        ok = row["clean"] and t < GOAL_10MB_S and mem < GOAL_10MB_RSS_MB
        goals.append(("10 MB plan: `relc check`", "< %g s, < %g GB peak" % (GOAL_10MB_S, GOAL_10MB_RSS_MB / 1024),
                      "%.2f s, %.0f MB" % (t, mem) if row["times_s"] else "timed out", ok))
    row = find("legs", 1_000_000, "matrix --format=json")
    if row:
        t = row["median_s"]
        goals.append(("1,000,000 legs: `relc matrix --format=json`", "< %g s" % GOAL_1M_JSON_S,
                      "%.2f s (%.0f MB of JSON)" % (t, (row["out_bytes"] or 0) / 1e6) if row["times_s"] else "timed out",
                      row["clean"] and t < GOAL_1M_JSON_S))
    if "legs" in series:
        row = find("legs", 10_000, "emit github")
        if row:
            t = row["median_s"]
            goals.append(("10,000 legs: `relc emit github`", "< %g s" % GOAL_EMIT_10K_S, "%.2f s" % t,
                          row["clean"] and t < GOAL_EMIT_10K_S))
        else:
            goals.append(("10,000 legs: `relc emit github`", "< %g s" % GOAL_EMIT_10K_S,
                          "`relc emit` not available" if not emit else "not measured", None))
    md.append("Columns: *median/min/p90 ms* whole-process wall time over *runs* timed runs; "
              "*max RSS MB* peak resident memory (GNU time's %M); *µs/leg*, *ms/MB in*, "
              "*ms/release*: the median divided by the legs, the input plan bytes, the releases; "
              "*out MB*: bytes written to stdout (sent to /dev/null when timed; counted in one more run "
              "unless a run takes over 30 s) or, for emit, the files written; *growth k*: "
              "t ∝ n^k between this row and the one above (n = legs, input bytes or releases): "
              "1 is linear, 2 quadratic; rows near the ~5 ms start-up read low.\n")
    if goals:
        md.append("### Goals\n")
        md.append(table([{"g": g} for g in goals], [
            ("goal", lambda r: r["g"][0], False), ("target", lambda r: r["g"][1], False),
            ("measured", lambda r: r["g"][2], True),
            ("", lambda r: {True: "met", False: "**missed**", None: "n/a"}[r["g"][3]], False)]))
        md.append("")
        results["goals"] = [{"goal": g[0], "target": g[1], "measured": g[2], "met": g[3]} for g in goals]

    md.append("Command: `%s`\n" % results["command"].strip())
    text = "\n".join(md)
    print(text)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in ("results.md", "results-%s.md" % stamp):
        with open(os.path.join(out, name), "w") as f:
            f.write(text + "\n")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    log("results: %s/results.md, results.json" % out)
    if problems:
        log("\nPROBLEMS:\n" + "\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
