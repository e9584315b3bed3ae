#!/usr/bin/python3
"""history.py: time relc's history checks on a repository with many commits
after the cut.

Builds, with `git fast-import`, a bare remote whose main branch has --commits
commits after the cut (each landed from a PR, every 100th a revert of a
commit from before the cut) and whose release branch has --picks
cherry-picks of them (half by `-x` trailer, a quarter by PR line, a quarter
as identical patches under new messages); writes a copy of the demo plan
(test/lit/Run/Inputs/demo) with a tracker listing every picked PR plus as
many missing ones; then runs each check of the rc stage as one step
(`relc run --step`), whole process: once cold (the run downloads the
objects, as a fresh work tree would), then --runs times, and prints the
medians as a Markdown table.

    bench/history.py [--relc build/bin/relc] [--commits 10000] [--picks 200]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "test", "lit", "Run", "Inputs", "demo")


def fast_import(repo, commands):
    p = subprocess.run(["git", "-C", repo, "fast-import", "--quiet"],
                       input=commands.encode(), capture_output=True)
    if p.returncode:
        sys.exit("fast-import failed: " + p.stderr.decode())


def data(text):
    b = text.encode()
    return "data %d\n%s\n" % (len(b), text)


def commit(ref, mark, parent, when, message, path, content):
    s = "commit %s\nmark :%d\ncommitter Dev <dev@example.com> %d +0000\n" % (
        ref, mark, when)
    s += data(message)
    if parent:
        s += "from :%d\n" % parent
    s += "M 644 inline %s\n" % path + data(content)
    return s


def revs(repo, ref, count):
    out = subprocess.run(["git", "-C", repo, "rev-list", "--reverse", ref],
                         capture_output=True, text=True, check=True).stdout
    return out.split()[-count:] if count else out.split()


def build(dir, commits, picks):
    remote = os.path.join(dir, "remote.git")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", remote],
                   check=True)
    when = 1_760_000_000
    # Before the cut: 100 commits.
    cmds = "".join(commit("refs/heads/main", i, i - 1 if i > 1 else 0,
                          when + i, "Early work %d" % i, "early/%d.txt" % i,
                          "%d\n" % i) for i in range(1, 101))
    fast_import(remote, cmds)
    early = revs(remote, "main", 0)
    cut = early[-1]
    subprocess.run(["git", "-C", remote, "branch", "orig/release/1.0", cut],
                   check=True)
    # After the cut: PRs 1..commits on main; every 100th a revert.
    cmds = "reset refs/heads/main\nfrom %s\n\n" % cut
    for i in range(1, commits + 1):
        parent = "" if i == 1 else "from :%d\n" % (100 + i - 1)
        if i % 100 == 0:
            target = early[i // 100 % len(early)]
            msg = 'Revert "Early work"\n\nThis reverts commit %s.\n' % target
        else:
            msg = ("Fix %d\n\nPull Request resolved: "
                   "https://github.com/demo/demo/pull/%d\n" % (i, i))
        cmds += ("commit refs/heads/main\nmark :%d\n"
                 "committer Dev <dev@example.com> %d +0000\n" % (100 + i,
                                                                  when + 1000 + i)
                 + data(msg) + (parent or "from %s\n" % cut)
                 + "M 644 inline main/%d/%d.txt\n" % (i // 100, i) + data("%d\n" % i))
    fast_import(remote, cmds)
    landed = revs(remote, "main", commits)
    # The release branch: picks of every (commits // picks)-th PR.
    step = max(1, commits // picks)
    picked = [i for i in range(1, commits + 1, step) if i % 100][:picks]
    cmds = "reset refs/heads/release/1.0\nfrom %s\n\n" % cut
    mark = 100 + commits
    for k, i in enumerate(picked):
        mark += 1
        how = k % 4
        if how in (0, 1):
            msg = "Fix %d\n\n(cherry picked from commit %s)\nCategory: regression\n" % (
                i, landed[i - 1])
        elif how == 2:
            msg = ("Fix %d (pick)\n\nPull Request resolved: "
                   "https://github.com/demo/demo/pull/%d\nCategory: critical\n" % (i, i))
        else:
            msg = "Backport of fix %d\n\nCategory: docs\n" % i
        cmds += ("commit refs/heads/release/1.0\nmark :%d\n"
                 "committer Dev <dev@example.com> %d +0000\n" % (mark, when + 50000 + k)
                 + data(msg) + ("from %s\n" % cut if k == 0 else "from :%d\n" % (mark - 1))
                 + "M 644 inline main/%d/%d.txt\n" % (i // 100, i) + data("%d\n" % i))
    fast_import(remote, cmds)
    work = os.path.join(dir, "work")
    subprocess.run(["git", "init", "-q", "-b", "main", work], check=True)
    subprocess.run(["git", "-C", work, "remote", "add", "origin", remote], check=True)
    # The plan, with a tracker of every picked PR and as many not picked.
    plans = os.path.join(dir, "plans")
    os.makedirs(plans)
    for f in ("1.0.relplan", "project.relplan"):
        shutil.copy(os.path.join(DEMO, f), plans)
    project = os.path.join(plans, "project.relplan")
    with open(project) as f:
        text = f.read()
    text = text.replace('"../../../../../plans/compat/python.yaml"',
                        '"%s"' % os.path.join(ROOT, "plans", "compat", "python.yaml"))
    with open(project, "w") as f:
        f.write(text)
    missing = [i + 1 for i in picked if (i + 1) % 100][:len(picked)]
    with open(os.path.join(plans, "tracker.yaml"), "w") as f:
        f.write("picks:\n" + "".join("  - %d\n" % i for i in picked + missing))
    return work, os.path.join(plans, "1.0.relplan"), len(picked), len(missing)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--relc", default=os.path.join(ROOT, "build", "bin", "relc"))
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--picks", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    relc = os.path.abspath(args.relc)
    with tempfile.TemporaryDirectory(prefix="relc-history-") as dir:
        t = time.perf_counter()
        work, plan, picked, missing = build(dir, args.commits, args.picks)
        setup = time.perf_counter() - t
        print("%d commits after the cut, %d picks, tracker of %d (%d missing); "
              "repository built in %.1f s\n" % (args.commits, picked,
                                                picked + missing, missing, setup))
        print("| check | first run | median wall time | result |")
        print("|---|---|---|---|")
        for check in ("picks_landed", "picks_typed", "reverts_in"):
            cmd = [relc, "run", plan, "--stage", "rc", "--rc", "1", "--step",
                   "rc/check-" + check]
            # The first run downloads the objects (a real clone has them).
            t = time.perf_counter()
            subprocess.run(cmd, cwd=work, capture_output=True)
            first = time.perf_counter() - t
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                p = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
                times.append(time.perf_counter() - t)
            line = next((l for l in p.stdout.splitlines() if "rc/check-" in l), "")
            print("| %s | %.3f s | %.3f s | %s |" % (
                check, first, statistics.median(times), line.split(": ", 1)[-1]))


if __name__ == "__main__":
    main()
