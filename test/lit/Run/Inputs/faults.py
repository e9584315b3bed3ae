"""faults.py RELC BASE: fault injection for `relc run --execute`.

Releases the demo project (cut, rc, promote) over and over against real
bare remotes under BASE, and interrupts it:

  kill-step   SIGKILL at step boundaries (--debug-kill after-step:N and
              after-act:N), then the same stage again and the rest;
  kill-time   SIGKILL after a seeded random delay, to relc alone (its git
              children finish) or to its whole process group (they die too);
  race        2 to 4 runs of one stage at once: one clone or several, one
              git identity or several; then re-runs and the rest;
  reject      a pre-receive hook that refuses pushes, and a git daemon that
              does not serve receive-pack: relc fails, changes nothing, and
              completes once the hook is gone;
  gone        the remote disappears (its directory renamed, or the git
              daemon killed) between stages or in the middle of one;
  journal-*   the journal truncated mid-line, full of garbage, read-only,
              on a full file system;
  symlink     symlinks at state paths (the journal, the logs directory, a
              log file): relc must refuse rather than write through them.

After every trial the release must end with exactly the intended refs on the
remote (release/1.0 and orig/release/1.0 at the cut point, main's
version.txt bumped once, v1.0.0-rc1 on the release branch, v1.0.0, the once
marker saying done), no *.lock file in the remote, the once command run
exactly once, and every other command run once: it may run a second time
only when the run that ran it was cut off before the journal recorded it
(docs/running.md: only a journal record stops a command from running again).
The plan's commands append to counter files outside the repositories.

One line per trial: `ok   KIND DETAIL`, `FAIL KIND DETAIL: WHAT`, or
`XFAIL KIND DETAIL: WHAT` for a kind listed in XFAIL below (not counted);
the last line is `N passed, N failed`.

Environment (CI defaults in brackets):
  RELC_FAULT_SEED     the seed of every random choice [1]
  RELC_FAULT_KILLS    kill trials, at step boundaries and timed [210]
  RELC_FAULT_RACES    concurrent-run trials [24]
  RELC_FAULT_MIDRUN   trials that take the remote away mid-run [8]
  RELC_FAULT_TRUNC    journal truncation trials [6]
  RELC_FAULT_JOBS     trials run side by side [2]
  RELC_FAULT_TIMEOUT  seconds any one subprocess may take [60]
  RELC_FAULT_BUDGET   seconds for the whole suite; past it no trial starts [600]
  RELC_FAULT_ONLY     a regular expression: run only the trials whose
                      `KIND DETAIL` it matches (to reproduce one) [all]
"""
import json
import os
import queue
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

RELC, BASE = (os.path.abspath(a) for a in sys.argv[1:3])
HERE = os.path.dirname(os.path.abspath(__file__))
MKREPO = os.path.join(HERE, "mkrepo.sh")
DEMO = os.path.join(HERE, "demo")


def env_int(name, default):
    return int(os.environ.get(name, default))


SEED = env_int("RELC_FAULT_SEED", 1)
KILLS = env_int("RELC_FAULT_KILLS", 210)
RACES = env_int("RELC_FAULT_RACES", 24)
MIDRUN = env_int("RELC_FAULT_MIDRUN", 8)
TRUNC = env_int("RELC_FAULT_TRUNC", 6)
JOBS = max(1, env_int("RELC_FAULT_JOBS", 2))
TIMEOUT = float(os.environ.get("RELC_FAULT_TIMEOUT", 60))
BUDGET = float(os.environ.get("RELC_FAULT_BUDGET", 600))
ONLY = re.compile(os.environ.get("RELC_FAULT_ONLY", ""))

# Kinds that cannot pass until relc changes: reported as XFAIL, not counted.
XFAIL = {}

STAGES = ["cut", "rc", "promote"]
TODAY = "2026-11-20"  # After both schedule dates, whatever the clock says.
STATE = os.path.join(".git", "relc", "demo-1.0.0")
CMD_STAGE = {"cut": "cut", "rc1": "rc", "published": "promote"}
ONCE = {"published"}
# Each command's journal key (`relc graph`).
CMD_KEY = {
    "cut": 'run cut echo cut >> "$RELC_COUNT"',
    "rc1": 'run rc echo rc$RELC_RC >> "$RELC_COUNT" rc1',
    "published": 'run promote echo published >> "$RELC_COUNT"',
}
PLAN = os.path.join(BASE, "plan", "1.0.relplan")
IS_ROOT = os.geteuid() == 0
START = time.monotonic()


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def one_line(text, limit=600):
    text = " | ".join(l.strip() for l in str(text).strip().splitlines()
                      if l.strip())
    return text if len(text) <= limit else text[:limit] + "..."


# ------------------------------------------------------------ processes


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def why(self):
        return "exit %d: %s" % (self.code, one_line(self.err or self.out))


def spawn(args, cwd=None, env=None, preexec_fn=None):
    return subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            encoding="utf-8", errors="replace",
                            start_new_session=True, preexec_fn=preexec_fn,
                            restore_signals=preexec_fn is None)


def finish(p, timeout=None):
    try:
        out, err = p.communicate(timeout=timeout or TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.communicate()
        raise Fail("%s timed out after %ds" % (
            " ".join(p.args if isinstance(p.args, list) else [p.args])[:200],
            timeout or TIMEOUT))
    return Result(p.returncode, out, err)


def run(args, **kw):
    timeout = kw.pop("timeout", None)
    return finish(spawn(args, **kw), timeout)


def group_alive(pgid):
    """Processes (not zombies) left in process group PGID."""
    left = []
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        try:
            os.killpg(pgid, 0)
            return [pgid]
        except ProcessLookupError:
            return []
    for pid in pids:
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            left.append(int(pid))
    return left


def group_commands(pgid):
    """The command names of the processes in group PGID but its leader."""
    names = set()
    for pid in group_alive(pgid):
        if pid == pgid:
            continue
        try:
            with open("/proc/%d/comm" % pid) as f:
                names.add(f.read().strip())
        except OSError:
            pass
    return names


def wait_group(pgid, timeout=15):
    """Waits for what relc left running (its git push) to end."""
    deadline = time.monotonic() + timeout
    while group_alive(pgid):
        if time.monotonic() > deadline:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            raise Fail("processes of a killed run still running after %ds"
                       % timeout)
        time.sleep(0.01)


def wait_git(remote, timeout=15):
    """Waits for a git push a killed run started to end: relc runs git in a
    process group of its own, so a kill of relc's group lets it finish (and
    release the ref locks it holds) rather than leave them behind."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = False
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if (remote in cmd or os.path.dirname(remote) in cmd) and (
                    "push" in cmd or "receive-pack" in cmd):
                busy = True
                break
        if not busy:
            return
        time.sleep(0.01)
    raise Fail("a git push of a killed run still running after %ds" % timeout)


def wait_served(ctx, timeout=15):
    """Waits for the daemon's processes serving CTX's remote (a push whose
    client was killed) to end: a re-run must not race them."""
    deadline = time.monotonic() + timeout
    while DAEMON and DAEMON.proc:
        busy = []
        for pid in group_alive(DAEMON.proc.pid):
            try:
                cwd = os.readlink("/proc/%d/cwd" % pid)
            except OSError:
                continue
            if cwd == ctx.remote or cwd.startswith(ctx.remote + "/"):
                busy.append(pid)
        if not busy:
            return
        if time.monotonic() > deadline:
            raise Fail("the daemon still serves a killed run after %ds"
                       % timeout)
        time.sleep(0.01)


def base_env():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") and k not in (
               "RELC_RC", "GITHUB_REF_TYPE", "GITHUB_REF_NAME",
               "CI_COMMIT_TAG", "RELC_GIT_TOKEN")}
    env.update(HOME=os.path.join(BASE, "home"), GIT_CONFIG_NOSYSTEM="1",
               LC_ALL="C.UTF-8", GIT_TERMINAL_PROMPT="0")
    return env


def git(repo, *args, check_ok=True):
    r = run(["git", "-C", repo, *args], env=base_env())
    if check_ok and r.code != 0:
        raise Fail("git %s: %s" % (" ".join(args), r.why()))
    return r.out.strip()


def git_out(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, check=True).stdout.strip()


def harness(what):
    print("error: " + what, flush=True)
    sys.exit(2)


# ------------------------------------------------------------ the daemon


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Daemon:
    """git daemon on loopback serving every repository under BASE."""

    def __init__(self):
        self.port = free_port()
        self.proc = None
        self.groups = []  # Every daemon started: killed at the end.
        self.log = os.path.join(BASE, "daemon.log")
        # `git daemon` runs git-daemon as a child: the listener is that.
        self.exe = os.path.join(git_out("--exec-path"), "git-daemon")

    def start(self, receive_pack=True):
        args = [self.exe, "--export-all", "--base-path=" + BASE,
                "--port=%d" % self.port, "--listen=127.0.0.1", "--reuseaddr",
                "--informative-errors", "--init-timeout=10", "--timeout=30"]
        if receive_pack:
            args.append("--enable=receive-pack")
        deadline = time.monotonic() + 15
        while True:
            with open(self.log, "a") as log:
                self.proc = subprocess.Popen(
                    args, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                    env=base_env(), start_new_session=True)
            self.groups.append(self.proc.pid)
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", self.port),
                                             0.2).close()
                    return
                except OSError:
                    time.sleep(0.05)
            self.stop()
            # The port is still held (a child of the last daemon): retry.
            if time.monotonic() > deadline:
                raise Fail("git daemon did not start on port %d" % self.port)
            time.sleep(0.2)

    def stop(self, group=True):
        """Kills the daemon; with group=False only the listener (the
        connections it is serving go on)."""
        if not self.proc:
            return
        try:
            if group:
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:
                self.proc.kill()
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.proc = None

    def url(self, slot_dir):
        return "git://127.0.0.1:%d/%s/remote.git" % (
            self.port, os.path.relpath(slot_dir, BASE))


DAEMON = None

# ------------------------------------------------------------ slots


def remove_tree(path):
    if not os.path.lexists(path):
        return
    try:
        shutil.rmtree(path)
    except OSError:
        subprocess.run(["chattr", "-R", "-i", path], capture_output=True)
        subprocess.run(["chmod", "-R", "u+rwx", path], capture_output=True)
        shutil.rmtree(path)


class Ctx:
    """A release under slot directory DIR: a bare remote.git and clones
    clone, clone2, clone3, clone4, each with its own counter file countN and
    identity. Snapshots of it before each stage are built in place and
    copied back for every trial, so the paths in the journals hold."""

    def __init__(self, index):
        self.dir = os.path.join(BASE, "slot%d" % index)
        self.name = "slot%d" % index
        self.snaps = {}
        self.remote_kind = "path"
        self.homes = {}  # clone -> HOME with a .gitconfig identity

    @property
    def remote(self):
        return os.path.join(self.dir, "remote.git")

    def url(self, kind=None):
        kind = kind or self.remote_kind
        return self.remote if kind == "path" else DAEMON.url(self.dir)

    def work(self, clone=1):
        return os.path.join(self.dir, "clone" if clone == 1 else
                            "clone%d" % clone)

    def state(self, clone=1):
        return os.path.join(self.work(clone), STATE)

    def journal_path(self, clone=1):
        return os.path.join(self.state(clone), "journal.jsonl")

    def env(self, clone=1, home=None):
        env = base_env()
        env["RELC_COUNT"] = os.path.join(self.dir, "count%d" % clone)
        env["TMPDIR"] = os.path.join(self.dir, "tmp")
        home = home or self.homes.get(clone)
        if home:
            env["HOME"] = home
        return env

    def relc_args(self, stage, extra=()):
        args = [RELC, "run", PLAN, "--stage", stage, "--execute", "--today",
                TODAY]
        if stage == "promote":
            args += ["--approve", "release-managers"]
        return args + list(extra)

    def start(self, stage, clone=1, extra=(), home=None, preexec_fn=None):
        return spawn(self.relc_args(stage, extra), cwd=self.work(clone),
                     env=self.env(clone, home), preexec_fn=preexec_fn)

    def relc(self, stage, clone=1, extra=(), home=None, preexec_fn=None):
        p = self.start(stage, clone, extra, home, preexec_fn)
        r = finish(p)
        wait_group(p.pid)
        wait_git(self.remote)
        return r

    # Building and restoring.
    def build(self, kind):
        """Snapshots before each stage, with the remote as a path or served
        by the daemon."""
        remove_tree(self.dir)
        r = run([MKREPO, self.dir], env=base_env())
        if r.code:
            harness("mkrepo.sh: " + r.why())
        for c in (2, 3, 4):
            git(self.dir, "clone", "-q", "remote.git", self.work(c))
        for c in (1, 2, 3, 4):
            git(self.work(c), "config", "user.name", "Rel Eng")
            git(self.work(c), "config", "user.email", "releng@example.com")
            git(self.work(c), "remote", "set-url", "origin", self.url(kind))
        os.makedirs(os.path.join(self.dir, "tmp"))
        self.cut_point = git(self.remote, "rev-parse", "main")
        for stage in STAGES:
            snap = os.path.join(BASE, "snap", "%s-%s-%s" % (self.name, kind,
                                                             stage))
            remove_tree(snap)
            shutil.copytree(self.dir, snap, symlinks=True)
            self.snaps[(kind, stage)] = snap
            r = self.relc(stage)
            if r.code:
                harness("%s (%s remote) does not run: %s" % (stage, kind,
                                                             r.why()))

    def calibrate(self):
        """How long each stage takes here, with the slots busy at once:
        timed kills land within that."""
        took = {}
        for kind in ("path", "daemon"):
            for stage in STAGES:
                for _ in range(3):
                    self.restore(kind, stage)
                    t = time.monotonic()
                    r = self.relc(stage)
                    took.setdefault((kind, stage), []).append(
                        time.monotonic() - t)
                    if r.code:
                        harness("%s (%s remote) does not run: %s" % (
                            stage, kind, r.why()))
        return took

    def restore(self, kind, stage):
        remove_tree(self.dir)
        shutil.copytree(self.snaps[(kind, stage)], self.dir, symlinks=True)
        self.remote_kind = kind
        self.homes = {}

    # Reading the world.
    def refs(self):
        out = git(self.remote, "for-each-ref",
                  "--format=%(refname) %(objectname) %(objecttype)")
        return {l.split()[0]: tuple(l.split()[1:]) for l in out.splitlines()}

    def locks(self):
        found = []
        for root, dirs, files in os.walk(self.remote):
            found += [os.path.relpath(os.path.join(root, f), self.remote)
                      for f in files + dirs if f.endswith(".lock")]
        return found

    def counts(self, clone=None):
        total = Counter()
        for c in ([clone] if clone else (1, 2, 3, 4)):
            try:
                with open(os.path.join(self.dir, "count%d" % c)) as f:
                    total.update(l.strip() for l in f if l.strip())
            except FileNotFoundError:
                pass
        return total

    def journal(self, clone=1):
        entries = []
        try:
            with open(self.journal_path(clone), "rb") as f:
                data = f.read()
        except OSError:
            return entries
        for line in data.split(b"\n"):
            try:
                e = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(e, dict):
                entries.append(e)
        return entries

    def done_keys(self, clone=1):
        url = self.url()
        return {e.get("key") for e in self.journal(clone)
                if e.get("event") == "step" and e.get("status") == "done"
                and e.get("remote") == url}

    def marker_state(self):
        r = run(["git", "-C", self.remote, "show", MARKER + ":state"],
                env=base_env())
        return r.out.splitlines()[0] if r.code == 0 and r.out else None


MARKER = "refs/relc/once/demo/1.0.0/promote/run-echo-published-RELC_COUNT"

# ------------------------------------------------------------ invariants


def check_release(ctx, rc_tags=1, marker="state: done", acted_clones=(1,)):
    """The remote holds exactly the finished release."""
    refs = ctx.refs()
    # Every stage of this plan runs a command, which leaves nothing in git:
    # each finished stage says so on the remote (docs/running.md).
    want = {"refs/heads/main", "refs/heads/orig/release/1.0",
            "refs/heads/release/1.0", "refs/tags/v1.0.0", MARKER}
    # A promote stopped at its once step (cut off after its claim; a person
    # decides) is not complete, and says nothing.
    done = ("cut", "rc", "promote") if marker == "state: done" else ("cut",
                                                                     "rc")
    want |= {"refs/relc/stages/demo/1.0.0/" + s for s in done}
    want |= {"refs/tags/v1.0.0-rc%d" % n for n in range(1, rc_tags + 1)}
    check(set(refs) == want, "refs on the remote: extra %s, missing %s" % (
        sorted(set(refs) - want), sorted(want - set(refs))))
    cut = ctx.cut_point
    rel = refs["refs/heads/release/1.0"][0]
    check(rel == cut and refs["refs/heads/orig/release/1.0"][0] == cut,
          "release/1.0 at %s, orig/release/1.0 at %s, not both at the cut "
          "point %s" % (rel[:12], refs["refs/heads/orig/release/1.0"][0][:12],
                        cut[:12]))
    main = refs["refs/heads/main"][0]
    check(git(ctx.remote, "rev-parse", main + "~1") == cut and
          git(ctx.remote, "rev-list", "--count", main) == "3",
          "main is not the cut point plus one commit: %s" %
          one_line(git(ctx.remote, "log", "--oneline", main)))
    check(git(ctx.remote, "show", main + ":version.txt") == "1.1.0a0",
          "version.txt on main is not 1.1.0a0")
    for n in range(1, rc_tags + 1):
        name = "refs/tags/v1.0.0-rc%d" % n
        kind = refs[name][1]
        check(kind == "commit" and refs[name][0] == rel,
              "%s is a %s at %s, not on release/1.0 (%s)" % (
                  name, kind, refs[name][0][:12], rel[:12]))
    check(refs["refs/tags/v1.0.0"][1] == "tag" and
          git(ctx.remote, "rev-parse", "v1.0.0^{commit}") == rel,
          "v1.0.0 is not an annotated tag of release/1.0")
    state = ctx.marker_state()
    check(state == marker, "the once marker says %r, not %r" % (state, marker))
    locks = ctx.locks()
    check(not locks, "lock files left in the remote: %s" % locks)
    for c in acted_clones:
        acted = Counter(e.get("key") for e in ctx.journal(c)
                        if e.get("event") == "step" and e.get("acted") is True)
        twice = sorted(k for k, n in acted.items() if n > 1)
        check(not twice, "the journal of clone%s says these acted twice: %s" %
              ("" if c == 1 else c, twice))


def check_commands(counts, interrupted=None, notes=None):
    """Every command ran once; the once command exactly once. INTERRUPTED:
    command -> (count when the run was cut off, whether the journal
    recorded it done then): such a command may have run again on the
    re-run only if the journal had not recorded it."""
    interrupted = interrupted or {}
    extra = set(counts) - set(CMD_STAGE)
    check(not extra, "unexpected commands ran: %s" % sorted(extra))
    for cmd in CMD_STAGE:
        n = counts[cmd]
        if cmd in ONCE or cmd not in interrupted:
            check(n == 1, "%s ran %d times" % (cmd, n))
            continue
        before, recorded = interrupted[cmd]
        check(before <= 1, "%s ran %d times before the re-run" % (cmd, before))
        want = 1 if recorded else before + 1
        check(n == want,
              "%s ran %d times (%d before the re-run, %s)" % (
                  cmd, n, before, "recorded done in the journal" if recorded
                  else "not recorded done"))
        if n == 2 and notes is not None:
            notes.append("%s ran again: the run that ran it was cut off "
                         "before the journal recorded it" % cmd)


def rerun_and_finish(ctx, stage, notes, clone=1):
    """Re-runs STAGE to completion, then the stages after it. Returns the
    once marker's expected state: `state: done`, or `state: claimed` when
    the once command was cut off after its claim and ran (relc then
    refuses to run it again, as documented, and a person decides)."""
    marker = "state: done"
    if stage == "rc" and finished_rc(ctx, clone):
        # The run recorded its end (it finished, or died just after): the
        # stage is done, and running it again would cut rc2.
        notes.append("the rc run had recorded its end")
        stage = "promote"
    r = ctx.relc(stage, clone)
    # Cut off around its claim, a run leaves a claim the re-run cannot tell
    # from another run's: the marker was there when it looked ("started
    # before"), or a push of the killed run landed while it claimed
    # ("claimed by another run"). Either way relc refuses, as documented.
    if r.code and stage == "promote" and (
            "was started before and did not finish" in r.err or
            "was claimed by another run" in r.err):
        state = ctx.marker_state()
        check(state == "state: claimed",
              "re-run refused the once step but the marker says %r" % state)
        ran = ctx.counts()["published"]
        check(ran <= 1, "the once command ran %d times" % ran)
        if ran:
            notes.append("once step cut off after its claim: ran once, the "
                         "re-run refused it")
            marker = "state: claimed"
        else:
            # What a person does once sure it took no effect.
            git(ctx.work(clone), "push", "-q", "origin", "--delete", MARKER)
            r = ctx.relc(stage, clone)
            notes.append("once step claimed but never ran: marker cleared")
    check(r.code == 0 or marker != "state: done",
          "re-run of %s: %s" % (stage, r.why()))
    for later in STAGES[STAGES.index(stage) + 1:]:
        r = ctx.relc(later, clone)
        check(r.code == 0, "%s after the re-run: %s" % (later, r.why()))
    return marker


def finished_rc(ctx, clone=1):
    url = ctx.url()
    return any(e.get("event") == "end" and e.get("stage") == "rc" and
               e.get("result") == "ok" and e.get("remote") == url
               for e in ctx.journal(clone))


def snapshot_interrupt(ctx, clone=1):
    """Counts and journal records when a run was cut off."""
    counts, done = ctx.counts(), ctx.done_keys(clone)
    return {cmd: (counts[cmd], CMD_KEY[cmd] in done) for cmd in CMD_STAGE}


# ------------------------------------------------------------ trials


class Trial:
    """EXCLUSIVE trials run alone: they stop the shared daemon, or set
    resource limits in a forked child (not safe beside threads)."""

    def __init__(self, kind, detail, fn, exclusive=False, **args):
        self.kind, self.detail, self.fn, self.args = kind, detail, fn, args
        self.exclusive = exclusive


def kill_trial(ctx, remote, stage, mode, point=None, n=None, at=None,
               group=None):
    """AT: when to kill, as a fraction of the kill window."""
    ctx.restore(remote, stage)
    notes = []
    if mode == "time":
        delay = at * WINDOWS[(remote, stage)]
        notes.append("after %d ms" % (1000 * delay))
    if mode == "step":
        r = ctx.relc(stage, extra=["--debug-kill=%s:%d" % (point, n)])
        landed = r.code == -signal.SIGKILL
    else:
        p = ctx.start(stage)
        time.sleep(delay)
        landed = p.poll() is None
        if landed:
            children = group_commands(p.pid)
            if any(c.startswith("git") for c in children):
                notes.append("git push in flight")
                with PRINT_LOCK:
                    STATS["in-push"][mode] += 1
            elif "sh" in children:
                notes.append("command in flight")
            try:
                if group:
                    os.killpg(p.pid, signal.SIGKILL)
                else:
                    os.kill(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        r = finish(p)
        wait_group(p.pid)
        wait_git(ctx.remote)
        landed = r.code == -signal.SIGKILL
    if remote == "daemon":
        wait_served(ctx)
    check(r.code in (0, -signal.SIGKILL), "the killed run: " + r.why())
    with PRINT_LOCK:
        STATS["killed" if landed else "completed"][mode] += 1
    interrupted = snapshot_interrupt(ctx) if landed else {}
    marker = rerun_and_finish(ctx, stage, notes)
    check_release(ctx, marker=marker)
    check_commands(ctx.counts(), interrupted, notes)
    if not landed:
        notes.append("ran to completion before the kill")
    leaked = [f for f in os.listdir(os.path.join(ctx.dir, "tmp"))
              if f.startswith("relc-push")]
    if leaked:
        with PRINT_LOCK:
            STATS["leaked"][mode] += 1
        notes.append("left %d temporary file(s) relc-push-*" % len(leaked))
    return notes


def race_trial(ctx, remote, stage, clones, idents, k):
    ctx.restore(remote, stage)
    notes = []
    runs = []  # (clone, home)
    for i in range(1, k + 1):
        clone = 1 if clones == "one" else i
        home = None
        if idents == "many":
            if clones == "one":
                home = os.path.join(ctx.dir, "homes", "h%d" % i)
                os.makedirs(home, exist_ok=True)
                with open(os.path.join(home, ".gitconfig"), "w") as f:
                    f.write("[user]\n\tname = Rel Eng %d\n\temail = "
                            "releng%d@example.com\n" % (i, i))
            else:
                git(ctx.work(clone), "config", "user.name", "Rel Eng %d" % i)
                git(ctx.work(clone), "config", "user.email",
                    "releng%d@example.com" % i)
        runs.append((clone, home))
    if idents == "many" and clones == "one":
        git(ctx.work(1), "config", "--unset", "user.name")
        git(ctx.work(1), "config", "--unset", "user.email")
        ctx.homes[1] = runs[0][1]
    procs = [ctx.start(stage, c, home=h) for c, h in runs]
    results = [finish(p) for p in procs]
    for p in procs:
        wait_group(p.pid)
        wait_git(ctx.remote)
    rerun_rcs = []
    for (c, h), r in zip(runs, results):
        check(r.code in (0, 1, 2), "a racing run: " + r.why())
        if r.code:
            check("error:" in r.err, "a racing run failed without a "
                  "diagnostic: " + r.why())
            again = ctx.relc(stage, c, home=h)
            check(again.code == 0, "re-run after a lost race: " + again.why())
            m = re.search(r"stage rc (rc\d+)", again.out)
            if m:
                rerun_rcs.append("clone%s %s" % ("" if c == 1 else c,
                                                m.group(1)))
    won = sum(r.code == 0 for r in results)
    notes.append("%d of %d won" % (won, k))
    if stage != "rc":
        # Everything is done: once more changes nothing.
        r = ctx.relc(stage, 1, extra=["--format=json"])
        check(r.code == 0, "final re-run: " + r.why())
        acted = [s["id"] for s in json.loads(r.out)["steps"] if s["acted"]]
        check(not acted, "final re-run acted again: %s" % acted)
    for later in STAGES[STAGES.index(stage) + 1:]:
        r = ctx.relc(later, 1)
        check(r.code == 0, "%s after the race: %s" % (later, r.why()))
    tags = sorted(int(m.group(1)) for m in
                  (re.fullmatch(r"refs/tags/v1\.0\.0-rc(\d+)", ref)
                   for ref in ctx.refs()) if m)
    check(tags == list(range(1, len(tags) + 1)) and tags,
          "RC tags %s are not rc1..rcN" % tags)
    # Each run that won cut at most one RC; one that lost goes on with its
    # RC when re-run (docs/running.md: an unfinished run of a parameterised
    # stage keeps its RC number), and cuts no other of the same commit.
    if stage == "rc":
        check(len(tags) <= max(1, won), "%d RC tags of one commit, %d rc "
              "runs won the race; the re-runs after a lost race ran %s" % (
                  len(tags), won, ", ".join(rerun_rcs)))
    else:
        check(len(tags) == 1, "RC tags %s" % tags)
    if len(tags) > 1:
        notes.append("%d RCs" % len(tags))
    clones_used = sorted({c for c, h in runs} | {1})
    check_release(ctx, rc_tags=len(tags), acted_clones=())
    total = ctx.counts()
    check(total["published"] == 1, "the once command ran %d times" %
          total["published"])
    for c in clones_used:
        counts = ctx.counts(c)
        twice = sorted(cmd for cmd, n in counts.items()
                       if n > 1 and cmd not in ONCE)
        check(not twice, "commands ran more than once with one journal "
              "(clone%s): %s" % (c, {cmd: counts[cmd] for cmd in twice}))
    return notes


PRE_RECEIVE = {
    "all": 'echo "relc-fault: pushes are frozen" >&2; exit 1',
    "once": 'while read old new ref; do case "$ref" in refs/relc/once/*) '
            'echo "relc-fault: no markers" >&2; exit 1;; esac; done',
    "orig": 'while read old new ref; do case "$ref" in refs/heads/orig/*) '
            'echo "relc-fault: no frozen branch" >&2; exit 1;; esac; done',
}


def reject_trial(ctx, remote, stage, hook):
    ctx.restore(remote, stage)
    notes = []
    hook_path = os.path.join(ctx.remote, "hooks", "pre-receive")
    if hook == "no-receive-pack":
        DAEMON.stop()
        DAEMON.start(receive_pack=False)
    else:
        with open(hook_path, "w") as f:
            f.write("#!/bin/sh\n" + PRE_RECEIVE[hook] + "\n")
        os.chmod(hook_path, 0o755)
    refs, counts = ctx.refs(), ctx.counts()
    try:
        r = ctx.relc(stage)
    finally:
        if hook == "no-receive-pack":
            DAEMON.stop()
            DAEMON.start()
    check(r.code in (1, 2), "with the push refused: " + r.why())
    check("error:" in r.err and re.search(
        r"reject|declined|denied|not enabled|access", r.err, re.I),
        "no diagnostic of the refusal: " + r.why())
    notes.append(one_line(re.search(r"error: .*", r.err).group(0), 120))
    check(not ctx.locks(), "lock files left: %s" % ctx.locks())
    now = ctx.refs()
    if hook == "orig":
        # release/1.0 went through; the frozen branch did not.
        check(now.get("refs/heads/release/1.0", ("",))[0] == ctx.cut_point and
              "refs/heads/orig/release/1.0" not in now and
              now["refs/heads/main"] == refs["refs/heads/main"],
              "refs after the refusal: %s" % sorted(now))
    elif hook == "once":
        check(MARKER not in now, "the once marker is on the remote")
    else:
        check(now == refs, "the refused run changed refs: %s" % sorted(
            set(now.items()) ^ set(refs.items())))
    check(ctx.counts() == counts, "a command ran although the push was "
          "refused: %s" % dict(ctx.counts() - counts))
    if hook != "no-receive-pack":
        os.remove(hook_path)
    marker = rerun_and_finish(ctx, stage, notes)
    check_release(ctx, marker=marker)
    check_commands(ctx.counts())
    return notes


def clear_stale_locks(ctx, notes):
    """Removes the ref locks a push left in the remote when its directory
    was renamed under it: git's receive-pack holds the lock by its absolute
    path, so it can neither commit nor remove it once the path is gone, and
    the remote keeps the lock when it comes back. No git process runs on it
    any more; removing the file is what git's own message asks a person to
    do, and the re-run must then finish the release."""
    locks = [os.path.join(ctx.remote, "packed-refs.lock")]
    for dirpath, _, files in os.walk(os.path.join(ctx.remote, "refs")):
        locks += [os.path.join(dirpath, f) for f in files if f.endswith(".lock")]
    for lock in filter(os.path.exists, locks):
        os.unlink(lock)
        notes.append("removed the stale lock %s" %
                     os.path.relpath(lock, ctx.remote))


def gone_trial(ctx, remote, stage, when, at=None):
    ctx.restore(remote, stage)
    notes = []
    gone = ctx.remote + ".gone"
    away, back = {
        "path": (lambda: os.rename(ctx.remote, gone),
                 lambda: os.rename(gone, ctx.remote)),
        # The listener dies; connections it serves finish.
        "daemon": (lambda: DAEMON.stop(group=False), DAEMON.start),
    }[remote]
    refs, counts = ctx.refs(), ctx.counts()
    interrupted = {}
    if when == "between":
        away()
        try:
            r = ctx.relc(stage)
        finally:
            back()
        check(r.code in (1, 2), "without the remote: " + r.why())
        check("error:" in r.err, "no diagnostic: " + r.why())
        notes.append(one_line(re.search(r"error: .*", r.err).group(0), 120))
        check(ctx.refs() == refs and ctx.counts() == counts,
              "the failed run changed something")
    else:
        delay = at * WINDOWS[(remote, stage)]
        notes.append("after %d ms" % (1000 * delay))
        p = ctx.start(stage)
        time.sleep(delay)
        away()
        try:
            r = finish(p)
            wait_group(p.pid)
        finally:
            back()
        if remote == "daemon":
            wait_served(ctx)
        else:
            clear_stale_locks(ctx, notes)
        check(r.code in (0, 1, 2), "with the remote gone mid-run: " + r.why())
        if r.code:
            check("error:" in r.err, "no diagnostic: " + r.why())
            notes.append(one_line(re.search(r"error: .*", r.err).group(0),
                                  120))
            interrupted = snapshot_interrupt(ctx)
        else:
            notes.append("finished before the remote went")
    marker = rerun_and_finish(ctx, stage, notes)
    check_release(ctx, marker=marker)
    check_commands(ctx.counts(), interrupted, notes)
    return notes


def refused(ctx, r, refs, counts, what):
    """R failed cleanly and changed nothing."""
    check(r.code in (1, 2), "%s: %s" % (what, r.why()))
    check("error:" in r.err, "%s: no diagnostic: %s" % (what, r.why()))
    check(ctx.refs() == refs, "%s: the remote changed" % what)
    check(ctx.counts() == counts, "%s: a command ran" % what)
    return one_line(re.search(r"error: .*", r.err).group(0), 120)


def truncate_trial(ctx, stage, seed):
    rng = random.Random(seed)
    ctx.restore("path", stage)
    path = ctx.journal_path()
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")[:-1]
    i = rng.randrange(len(lines))
    start = sum(len(l) + 1 for l in lines[:i])
    cut = start + rng.randrange(1, len(lines[i]))
    with open(path, "r+b") as f:
        f.truncate(cut)
    notes = ["cut in line %d of %d at byte %d" % (i + 1, len(lines), cut)]
    marker = rerun_and_finish(ctx, stage, notes)
    check_release(ctx, marker=marker)
    check_commands(ctx.counts())
    # The torn line stays on a line of its own.
    with open(path, "rb") as f:
        after = f.read().split(b"\n")
    torn = [l for l in after if l and not is_json(l)]
    check(torn == [data[start:cut]], "the torn line was not kept apart: %r"
          % [t[:60] for t in torn])
    return notes


def is_json(line):
    try:
        json.loads(line)
        return True
    except (ValueError, RecursionError):
        return False


def garbage(variant, url, rng):
    if variant == "binary-append":
        return None, bytes(rng.randrange(256) for _ in range(4096))
    if variant == "binary-replace":
        return bytes(rng.randrange(256) for _ in range(4096)), None
    if variant == "nul-bytes":
        return None, b'{"event":"run","stage":"rc",\x00\x00"rc":1}\n\x00\x00\n'
    if variant == "invalid-utf8":
        return None, (b'{"event":"run","stage":"rc","remote":"' +
                      url.encode() + b'","rc":1,"user":"\xff\xfe"}\n')
    if variant == "wrong-types":
        lines = [5, "text", None, [1, 2], {"event": 5, "key": [1]},
                 {"event": "run", "stage": "rc", "remote": url, "rc": "1"},
                 {"event": "run", "stage": "rc", "remote": url, "rc": 1.5},
                 {"event": "step", "key": CMD_KEY["rc1"], "remote": url,
                  "status": True, "acted": "yes"},
                 {"event": "end", "stage": ["rc"], "remote": url, "rc": None}]
        return None, b"".join(json.dumps(l).encode() + b"\n" for l in lines)
    if variant.startswith("bad-rc"):
        n = variant.split(":")[1]
        return None, ('{"event":"run","stage":"rc","remote":%s,"rc":%s}\n' %
                      (json.dumps(url), n)).encode()
    if variant == "long-line":
        return None, b'{"event":"x","pad":"' + b"x" * (2 << 20) + b'"}\n'
    if variant == "deep-nesting":
        return None, b"[" * 200000 + b"]" * 200000 + b"\n"
    raise ValueError(variant)


GARBAGE = ["binary-append", "binary-replace", "nul-bytes", "invalid-utf8",
           "wrong-types", "bad-rc:0", "bad-rc:-1", "bad-rc:10000",
           "bad-rc:1e30", "long-line", "deep-nesting"]


def garbage_trial(ctx, variant, seed):
    """Garbage in the journal after the cut; then the rc stage. relc may
    ignore it or refuse with a diagnostic; it must not crash nor act on
    it. A refusal is dealt with as its message says (--rc 1), or by
    removing the garbage."""
    rng = random.Random(seed)
    ctx.restore("path", "rc")
    path = ctx.journal_path()
    with open(path, "rb") as f:
        original = f.read()
    replace, append = garbage(variant, ctx.url(), rng)
    with open(path, "wb") as f:
        f.write(replace if replace is not None else original + append)
    refs, counts = ctx.refs(), ctx.counts()
    notes = []
    r = ctx.relc("rc")
    check(r.code >= 0, "relc crashed (signal %d): %s" % (-r.code,
                                                         one_line(r.err)))
    check(r.code in (0, 1, 2), r.why())
    if r.code:
        notes.append(refused(ctx, r, refs, counts, "with garbage"))
        fix = ["--rc", "1"] if "pass --rc" in r.err else []
        if not fix:
            with open(path, "wb") as f:
                f.write(original)
            notes.append("garbage removed")
        r = ctx.relc("rc", extra=fix)
        check(r.code == 0, "after the fix: " + r.why())
    else:
        notes.append("ignored")
    r = ctx.relc("promote")
    check(r.code == 0, "promote: " + r.why())
    check_release(ctx)
    check_commands(ctx.counts())
    return notes


def readonly_trial(ctx, how):
    """The journal cannot be written: relc must fail with a diagnostic
    before it changes anything; once it can, a re-run completes."""
    ctx.restore("path", "rc")
    path, state = ctx.journal_path(), ctx.state()
    logs = os.path.join(state, "logs")
    aside = path + ".aside"
    refs, counts = ctx.refs(), ctx.counts()
    notes = []

    def attr(flag, *paths):
        r = subprocess.run(["chattr", flag, *paths], capture_output=True,
                           text=True, timeout=TIMEOUT)
        return r.returncode == 0

    if how == "dir-at-journal":
        os.rename(path, aside)
        os.mkdir(path)
        undo = lambda: (os.rmdir(path), os.rename(aside, path))
    elif how == "journal":
        if IS_ROOT:
            if not attr("+i", path, state):
                raise Skip("running as root and chattr +i does not work "
                           "here: chmod does not stop root")
            notes.append("root: chattr +i")
            undo = lambda: attr("-i", path, state)
        else:
            os.chmod(path, 0o444)
            os.chmod(state, 0o555)
            undo = lambda: (os.chmod(state, 0o755), os.chmod(path, 0o644))
    elif how == "logs":
        # The journal is writable, the logs directory is not: the rc
        # command cannot have its log, and must not run.
        if IS_ROOT:
            if not attr("+i", logs):
                raise Skip("running as root and chattr +i does not work "
                           "here: chmod does not stop root")
            notes.append("root: chattr +i")
            undo = lambda: attr("-i", logs)
        else:
            os.chmod(logs, 0o555)
            undo = lambda: os.chmod(logs, 0o755)
    try:
        r = ctx.relc("rc")
    finally:
        undo()
    if how == "logs":
        check(r.code in (1, 2) and "error:" in r.err,
              "with a read-only logs directory: " + r.why())
        check(ctx.counts() == counts, "the command ran without its log")
        notes.append(one_line(re.search(r"error: .*", r.err).group(0), 120))
    else:
        notes.append(refused(ctx, r, refs, counts, "with a read-only journal"))
    marker = rerun_and_finish(ctx, "rc", notes)
    check_release(ctx, marker=marker)
    check_commands(ctx.counts())
    return notes


def full_run(ctx, stage, attempt, notes):
    """Runs STAGE short of room: it succeeds, or fails with a diagnostic.
    Returns what the interrupted run left (for check_commands)."""
    r = attempt()
    check(r.code in (0, 1, 2), "on a full file system: " + r.why())
    interrupted = {}
    if r.code:
        check("error:" in r.err, "no diagnostic: " + r.why())
        notes.append(one_line(re.search(r"error: .*", r.err).group(0), 120))
        check(not ctx.locks(), "lock files left: %s" % ctx.locks())
        interrupted = snapshot_interrupt(ctx)
    else:
        notes.append("enough room")
    return interrupted


def tmpfs_trial(ctx, stage, free_pages):
    """The state directory on a 64k tmpfs filled up but FREE_PAGES pages."""
    if not IS_ROOT:
        raise Skip("not root: cannot mount a tmpfs")
    ctx.restore("path", stage)
    state = ctx.state()
    aside = state + ".aside"
    os.rename(state, aside)
    os.mkdir(state)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                        state], capture_output=True, text=True,
                       timeout=TIMEOUT)
    if m.returncode:
        os.rmdir(state)
        os.rename(aside, state)
        raise Skip("mount -t tmpfs failed: " + one_line(m.stderr, 100))
    notes = ["tmpfs, %d page(s) free" % free_pages]
    try:
        shutil.copytree(aside, state, dirs_exist_ok=True)
        filler = os.path.join(state, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            while os.write(fd, b"\0" * 4096) == 4096:
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        size = os.path.getsize(filler)
        os.truncate(filler, max(0, size - 4096 * free_pages))
        interrupted = full_run(ctx, stage, lambda: ctx.relc(stage), notes)
        os.remove(filler)
        marker = rerun_and_finish(ctx, stage, notes)
        check_release(ctx, marker=marker)
        check_commands(ctx.counts(), interrupted, notes)
    finally:
        u = subprocess.run(["umount", state], capture_output=True)
        if u.returncode:
            subprocess.run(["umount", "-l", state], capture_output=True)
    return notes


def fsize_full_trial(ctx, stage, extra):
    """A file system that fills up: no file may grow past the journal's
    size plus EXTRA bytes (RLIMIT_FSIZE, with SIGXFSZ ignored: a write
    fails with EFBIG, as one on a full disk fails with ENOSPC)."""
    notes = []
    ctx.restore("path", stage)
    limit = os.path.getsize(ctx.journal_path()) + extra

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    notes.append("files limited to %d bytes" % limit)
    interrupted = full_run(
        ctx, stage, lambda: ctx.relc(stage, preexec_fn=limited), notes)
    marker = rerun_and_finish(ctx, stage, notes)
    check_release(ctx, marker=marker)
    check_commands(ctx.counts(), interrupted, notes)
    return notes


def symlink_trial(ctx, what):
    """A symlink at a state path, to a file or directory elsewhere: relc
    must refuse (non-zero, a diagnostic) and leave the target alone."""
    ctx.restore("path", "rc")
    outside = os.path.join(ctx.dir, "outside")
    os.makedirs(outside)
    state = ctx.state()
    if what == "journal":
        target = os.path.join(outside, "journal.jsonl")
        os.rename(ctx.journal_path(), target)
        link = ctx.journal_path()
    elif what == "logs-dir":
        target = os.path.join(outside, "logs")
        shutil.move(os.path.join(state, "logs"), target)
        link = os.path.join(state, "logs")
    else:
        target = os.path.join(outside, "precious.txt")
        with open(target, "w") as f:
            f.write("not a log\n")
        d = os.path.join(state, "logs", "rc-rc1")
        os.makedirs(d)
        link = os.path.join(d, "run-echo-rc-RELC_RC-RELC_COUNT.log")
    os.symlink(target, link)

    def fingerprint():
        out = []
        for root, dirs, files in os.walk(target):
            for n in sorted(dirs + files):
                p = os.path.join(root, n)
                out.append((os.path.relpath(p, target), os.path.getsize(p)
                            if os.path.isfile(p) else None))
        if os.path.isfile(target):
            with open(target, "rb") as f:
                out.append(f.read())
        return out

    before = fingerprint()
    refs, counts = ctx.refs(), ctx.counts()
    r = ctx.relc("rc")
    check(r.code >= 0, "relc crashed: " + r.why())
    changed = fingerprint() != before
    check(r.code in (1, 2) and "error:" in r.err and not changed,
          "exit %d, %s" % (r.code, "wrote through the symlink" if changed
                           else "did not refuse the symlink"))
    notes = [refused(ctx, r, refs, counts, "with a symlink")]
    os.remove(link)
    if what in ("journal", "logs-dir"):
        shutil.move(target, link)
    marker = rerun_and_finish(ctx, "rc", notes)
    check_release(ctx, marker=marker)
    check_commands(ctx.counts())
    return notes


# ------------------------------------------------------------ the suite

WINDOWS = {}  # (remote kind, stage) -> seconds within which to kill
STATS = {"killed": Counter(), "completed": Counter(), "leaked": Counter(),
         "in-push": Counter()}
RESULTS = []  # (kind, status)
FAILURES = []  # the FAIL lines, printed again after the summary
PRINT_LOCK = threading.Lock()


def execute(ctx, t):
    if time.monotonic() - START > BUDGET:
        return "budget", None
    try:
        notes = t.fn(ctx, **t.args) or []
        return "ok", "; ".join(notes)
    except Skip as e:
        return "skip", str(e)
    except Fail as e:
        return "fail", str(e)
    except Exception as e:  # A bug of the suite, or an unexpected world.
        return "fail", "%s: %s" % (type(e).__name__, e)


def report(t, status, text):
    xfail = next((k for k in XFAIL if t.kind == k or
                  t.kind.startswith(k + "-")), None)
    name = "%s %s" % (t.kind, t.detail)
    if status == "ok":
        line = "ok   " + name + (" (%s)" % one_line(text) if text else "")
        if xfail:
            line += " [XPASS: drop %s from XFAIL]" % xfail
        RESULTS.append((t.kind, "passed"))
    elif status == "skip":
        line = "note: skipped %s: %s" % (name, one_line(text))
        RESULTS.append((t.kind, "skipped"))
    elif status == "budget":
        line = "FAIL %s: not run, past the time budget of %ds" % (name,
                                                                   BUDGET)
        RESULTS.append((t.kind, "failed"))
    elif xfail:
        line = "XFAIL %s: %s" % (name, one_line(text))
        RESULTS.append((t.kind, "xfail"))
    else:
        line = "FAIL %s: %s" % (name, one_line(text))
        RESULTS.append((t.kind, "failed"))
    if line.startswith("FAIL"):
        FAILURES.append(line)
    with PRINT_LOCK:
        print(line, flush=True)


def kill_trials(rng):
    """At every step boundary worth killing at, over both remotes; then
    timed kills, spread over stages, remotes and kill targets."""
    points = {
        "cut": [("after-act", n) for n in (2, 3, 4)] +
               [("after-step", n) for n in range(1, 6)],
        "rc": [("after-act", 1)] +
              [("after-step", n) for n in (1, 2, 3, 12, 13, 14, 15)],
        "promote": [("after-act", 5)] +
                   [("after-step", n) for n in range(1, 7)],
    }
    trials = []
    for remote in ("path", "daemon"):
        for stage in STAGES:
            for point, n in points[stage]:
                if remote == "daemon" and point == "after-step" and \
                        n not in (1, 4, 5, 6):
                    continue
                trials.append(Trial("kill-step", "%s %s %s:%d" % (
                    remote, stage, point, n), kill_trial, remote=remote,
                    stage=stage, mode="step", point=point, n=n))
    trials = trials[:KILLS]
    combos = [(stage, remote, group) for remote in ("path", "path", "path",
                                                    "daemon")
              for stage in STAGES for group in (False, True)]
    for i in range(KILLS - len(trials)):
        stage, remote, group = combos[i % len(combos)]
        at = rng.random()
        trials.append(Trial("kill-time", "%s %s %s @%.3f" % (
            remote, stage, "group" if group else "relc", at), kill_trial,
            remote=remote, stage=stage, mode="time", group=group, at=at))
    return trials


def main():
    global DAEMON
    print("seed %d" % SEED, flush=True)
    rng = random.Random(SEED)
    os.makedirs(os.path.join(BASE, "home"), exist_ok=True)
    # The demo plan, its commands appending to a counter file outside the
    # repository ($RELC_COUNT), plus a plain command in cut and rc.
    os.makedirs(os.path.dirname(PLAN), exist_ok=True)
    shutil.copy(os.path.join(DEMO, "1.0.relplan"), PLAN)
    shutil.copy(os.path.join(DEMO, "tracker.yaml"), os.path.dirname(PLAN))
    with open(os.path.join(DEMO, "project.relplan")) as f:
        project = f.read()
    edits = [
        (r'compat "([^"]*)"', lambda m: 'compat "%s"' % os.path.normpath(
            os.path.join(DEMO, m.group(1)))),
        (r'(\n( *)git\.commit version_file = [^\n]*)',
         lambda m: m.group(1) + '\n%srun "echo cut >> \\"$RELC_COUNT\\"";'
         % m.group(2)),
        (r'(\n( *)git\.tag rc_tag on release_branch;)',
         lambda m: m.group(1) + '\n%srun "echo rc$RELC_RC >> \\"$RELC_COUNT'
         '\\"";' % m.group(2)),
        (r'run "[^\n]*" once;',
         lambda m: 'run "echo published >> \\"$RELC_COUNT\\"" once;'),
    ]
    for pattern, repl in edits:
        project, n = re.subn(pattern, repl, project)
        if n != 1:
            harness("the demo plan changed: %r matches %d times" % (pattern,
                                                                    n))
    with open(os.path.join(os.path.dirname(PLAN), "project.relplan"),
              "w") as f:
        f.write(project)

    DAEMON = Daemon()
    DAEMON.start()
    slots = [Ctx(i) for i in range(JOBS)]

    def prepare(ctx):
        ctx.build("path")
        ctx.build("daemon")
        marker = [r for r in ctx.refs() if r.startswith("refs/relc/once/")]
        if marker != [MARKER]:
            harness("once markers after a release: %s" % marker)
        return ctx.calibrate()

    with ThreadPoolExecutor(JOBS) as pool:
        for took in pool.map(prepare, slots):
            for key, secs in took.items():
                WINDOWS.setdefault(key, []).extend(secs)
    for key, secs in WINDOWS.items():
        WINDOWS[key] = sorted(secs)[len(secs) // 2]
    # A timed kill lands within the median duration of the stage.
    print("kill windows: " + ", ".join(
        "%s %s 0-%d ms" % (k, s, 1000 * WINDOWS[(k, s)]) for k in
        ("path", "daemon") for s in STAGES), flush=True)

    kills = kill_trials(rng)
    serial = []
    configs = [(c, i) for c in ("one", "many") for i in ("one", "many")]
    for i in range(RACES):
        stage = STAGES[i % 3]
        clones, idents = configs[(i // 3) % 4]
        remote = ("path", "daemon")[(i // 12) % 2]
        k = 2 + (i + i // 3) % 3  # Each stage gets 2, 3 and 4 runs.
        serial.append(Trial("race", "%s %s %d runs, %s clone%s, %s "
                            "identit%s" % (remote, stage, k, clones,
                                           "s" if clones == "many" else "",
                                           idents, "ies" if idents == "many"
                                           else "y"),
                            race_trial, remote=remote, stage=stage,
                            clones=clones, idents=idents, k=k))
    for remote in ("path", "daemon"):
        for stage in STAGES:
            serial.append(Trial("reject", "%s %s hook refuses all" % (
                remote, stage), reject_trial, remote=remote, stage=stage,
                hook="all"))
        serial.append(Trial("reject", "%s promote hook refuses once "
                            "markers" % remote, reject_trial, remote=remote,
                            stage="promote", hook="once"))
        serial.append(Trial("reject", "%s cut hook refuses the frozen "
                            "branch" % remote, reject_trial, remote=remote,
                            stage="cut", hook="orig"))
    serial.append(Trial("reject", "daemon cut without receive-pack",
                        reject_trial, remote="daemon", stage="cut",
                        hook="no-receive-pack", exclusive=True))
    for remote in ("path", "daemon"):
        for stage in STAGES:
            serial.append(Trial("gone", "%s before %s" % (remote, stage),
                                gone_trial, remote=remote, stage=stage,
                                when="between", exclusive=remote == "daemon"))
    for i in range(MIDRUN):
        remote, stage = ("path", "daemon")[i % 2], STAGES[(i // 2) % 3]
        at = rng.random()
        serial.append(Trial("gone", "%s during %s @%.3f" % (
            remote, stage, at), gone_trial, remote=remote,
            stage=stage, when="mid", at=at, exclusive=remote == "daemon"))
    for i in range(TRUNC):
        serial.append(Trial("journal-truncate", "before %s #%d" % (
            ("rc", "promote")[i % 2], i + 1), truncate_trial,
            stage=("rc", "promote")[i % 2], seed=rng.random()))
    for variant in GARBAGE:
        serial.append(Trial("journal-garbage", variant, garbage_trial,
                            variant=variant, seed=rng.random()))
    for how in ("dir-at-journal", "journal", "logs"):
        serial.append(Trial("journal-readonly", how, readonly_trial, how=how))
    for stage, extra in (("rc", 0), ("rc", 250), ("rc", 700), ("rc", 1500),
                         ("promote", 0), ("promote", 400),
                         ("promote", 900)):
        serial.append(Trial("journal-full", "%s fsize +%d" % (stage, extra),
                            fsize_full_trial, stage=stage, extra=extra,
                            exclusive=True))
    for stage, pages in (("rc", 0), ("promote", 1)):
        serial.append(Trial("journal-full", "%s tmpfs %d free" % (stage,
                                                                  pages),
                            tmpfs_trial, stage=stage, free_pages=pages))
    for what in ("journal", "logs-dir", "log-file"):
        serial.append(Trial("symlink", what, symlink_trial, what=what))

    # Every trial's random choices are drawn above, so a selection runs
    # them exactly as the whole suite does.
    kills = [t for t in kills if ONLY.search(t.kind + " " + t.detail)]
    serial = [t for t in serial if ONLY.search(t.kind + " " + t.detail)]
    kinds = Counter(t.kind for t in kills + serial)
    print("trials: " + ", ".join("%s %d" % kv for kv in kinds.items()) +
          " (%d in all; %d at a time but %d run alone)" % (
              sum(kinds.values()), JOBS, sum(t.exclusive for t in serial)),
          flush=True)
    for kind, why in XFAIL.items():
        print("note: %s trials are expected to fail (XFAIL, not counted): "
              "%s" % (kind, why), flush=True)
    if IS_ROOT:
        print("note: running as root: chmod does not stop root, so "
              "read-only means chattr +i; tmpfs mounts are tried",
              flush=True)

    free = queue.Queue()
    for ctx in slots:
        free.put(ctx)

    def on_slot(t):
        ctx = free.get()
        try:
            return execute(ctx, t)
        finally:
            free.put(ctx)

    trials = kills + serial
    side_by_side = [t for t in trials if not t.exclusive]
    alone = [t for t in trials if t.exclusive]
    phase = time.monotonic()
    with ThreadPoolExecutor(JOBS) as pool:
        for t, (status, text) in zip(side_by_side,
                                     pool.map(on_slot, side_by_side)):
            report(t, status, text)
    times = {"side by side": time.monotonic() - phase}
    phase = time.monotonic()
    for t in alone:
        status, text = execute(slots[0], t)
        report(t, status, text)
    times["alone"] = time.monotonic() - phase

    for mode in ("step", "time"):
        print("kill-%s: %d killed mid-run (%d with a git push in flight), %d "
              "ran to completion first, %d left temporary files" % (
                  mode, STATS["killed"][mode], STATS["in-push"][mode],
                  STATS["completed"][mode], STATS["leaked"][mode]))
    by_kind = {}
    for kind, status in RESULTS:
        by_kind.setdefault(kind, Counter())[status] += 1
    for kind, c in by_kind.items():
        print("%s: %s" % (kind, ", ".join("%d %s" % (n, s)
                                          for s, n in sorted(c.items()))))
    print("time: %.0f s (%s)" % (time.monotonic() - START, ", ".join(
        "%s %.0f s" % kv for kv in times.items())))
    # Again at the end: a log cut to its head and tail still shows them.
    for line in FAILURES:
        print(line)
    passed = sum(s == "passed" for k, s in RESULTS)
    failed = sum(s == "failed" for k, s in RESULTS)
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


def cleanup():
    if DAEMON:
        DAEMON.stop()
        for pgid in DAEMON.groups:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    # A tmpfs left mounted by an interrupted trial.
    try:
        with open("/proc/mounts") as f:
            for line in f:
                point = line.split()[1]
                if point.startswith(BASE + "/"):
                    subprocess.run(["umount", "-l", point],
                                   capture_output=True)
    except OSError:
        pass


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    try:
        code = main()
    finally:
        cleanup()
    sys.exit(code)
