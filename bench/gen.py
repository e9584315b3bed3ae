#!/usr/bin/python3
"""Generate synthetic relc plans and compatibility models at growing sizes.

Deterministic (seeded), Python 3 standard library only. Everything is written
under one scratch directory (default: bench/out/gen, git-ignored):

  compat/python.yaml, compat/bench.yaml   the model every generated plan uses
  legs/<N>/                               one release whose matrix has exactly N legs
  size/<S>/                               project + release of about S bytes in total
  releases/<R>/                           one project and R release files
  model/<S>/model.yaml                    a compatibility model of about S bytes
  manifest.json                           what was generated (read by bench.py)

Every plan is meant to check clean (exit 0, no diagnostics); `--verify RELC`
checks that with a relc binary, and that each legs case expands to exactly
the number of legs it was generated for.

    /usr/bin/python3 bench/gen.py                       # default sizes
    /usr/bin/python3 bench/gen.py --quick               # small sizes only
    /usr/bin/python3 bench/gen.py --legs 1e3,1e6 --sizes 10MB --series legs,size
    /usr/bin/python3 bench/gen.py --verify build/bin/relc
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

DEFAULT_LEGS = ["1e2", "1e3", "1e4", "1e5", "1e6"]
DEFAULT_SIZES = ["10KB", "100KB", "1MB", "10MB"]
DEFAULT_RELEASES = ["1", "10", "100", "1000", "10000"]
DEFAULT_MODELS = ["10KB", "100KB", "1MB", "10MB"]
QUICK_LEGS = ["1e2", "1e3", "1e4"]
QUICK_SIZES = ["10KB", "100KB"]
QUICK_RELEASES = ["1", "10"]
QUICK_MODELS = ["10KB", "100KB"]
SERIES = ["legs", "size", "releases", "model"]

# ---------------------------------------------------------------- the model ---
# A synthetic model in the shape of plans/compat/{python,pytorch}.yaml, with
# enough values on each axis for a matrix of 1,000,000 legs (six axes of ten).

PY_MINORS = list(range(0, 24))            # 3.0 .. 3.23
PY_SUPPORTED_FROM = 10                    # 3.0 .. 3.9 are past their end of life
PY_TOP = "3.%d" % PY_MINORS[-1]
PY_FT_FROM = 13                           # 3.13t and later exist

PLATFORMS = [  # name, os, arch, wheel tag, glibc (or None)
    ("linux-x86_64", "linux", "x86_64", "manylinux_2_28_x86_64", "2.28"),
    ("linux-aarch64", "linux", "aarch64", "manylinux_2_28_aarch64", "2.28"),
    ("windows-x86_64", "windows", "x86_64", "win_amd64", None),
    ("macos-arm64", "macos", "arm64", "macosx_11_0_arm64", None),
    ("linux-ppc64le", "linux", "ppc64le", "manylinux_2_28_ppc64le", "2.28"),
    ("linux-s390x", "linux", "s390x", "manylinux_2_28_s390x", "2.28"),
    ("windows-arm64", "windows", "arm64", "win_arm64", None),
    ("macos-x86_64", "macos", "x86_64", "macosx_10_15_x86_64", None),
    ("linux-riscv64", "linux", "riscv64", "manylinux_2_39_riscv64", "2.39"),
    ("freebsd-x86_64", "freebsd", "x86_64", "freebsd_14_x86_64", None),
    ("musllinux-x86_64", "linux", "x86_64", "musllinux_1_2_x86_64", None),
    ("android-arm64", "android", "arm64", "android_24_arm64_v8a", None),
]

CUDA_MAJORS = {  # major: (cudnn versions, nccl versions, archs)
    11: (["8.9.2.26", "8.9.7.29"], ["2.18.1"],
         ["3.7", "5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0"]),
    12: (["9.1.0.70", "9.5.1.17"], ["2.21.5", "2.26.2"],
         ["5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0"]),
    13: (["9.10.2.21"], ["2.27.3"],
         ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0"]),
}
CUDA_VERSIONS = ["%d.%d" % (M, m) for M in sorted(CUDA_MAJORS) for m in range(10)]
ROCM_VERSIONS = (["5.%d" % m for m in range(8)] + ["6.%d" % m for m in range(5)]
                 + ["7.%d" % m for m in range(3)])
GCC_VERSIONS = [str(v) for v in range(9, 15)]
CLANG_VERSIONS = [str(v) for v in range(14, 21)]
BLAS = ["openblas", "mkl", "blis", "atlas", "netlib", "flexiblas", "armpl",
        "aocl", "nvpl", "reference", "accelerate"]
BLAS_PICK = BLAS[:10]          # `accelerate` is macOS-only (a model rule)
VARIANTS = [("release", "Release", "-O2"), ("debug", "Debug", "-O0 -g"),
            ("relwithdebinfo", "RelWithDebInfo", "-O2 -g"),
            ("minsizerel", "MinSizeRel", "-Os"), ("asan", "Debug", "-fsanitize=address"),
            ("ubsan", "Debug", "-fsanitize=undefined"), ("lto", "Release", "-flto"),
            ("pgo", "Release", "-fprofile-use"), ("static", "Release", "-static"),
            ("shared", "Release", "-fPIC"), ("coverage", "Debug", "--coverage"),
            ("profile", "Release", "-pg"), ("msan", "Debug", "-fsanitize=memory")]
VARIANT_PICK = [v[0] for v in VARIANTS[:12]]   # `msan` needs clang (a model rule)


def py_entry(i):
    released = dt.date(2000 + i, 10, 2)
    if i < PY_SUPPORTED_FROM:
        eol, status = dt.date(2005 + i, 10, 1), "end-of-life"
    else:
        eol, status = dt.date(2090 + i, 10, 1), ("security" if i < 20 else "bugfix")
    lines = ['      - version: "3.%d"' % i,
             "        status: %s" % status,
             "        released: %s" % released,
             "        end_of_bugfix: %s" % (released + dt.timedelta(days=540)),
             "        end_of_life: %s" % eol]
    if i >= PY_FT_FROM:
        lines.append("        free_threaded: true")
    lines.append("        properties: {pep: %d}" % (400 + 25 * i))
    return lines


def model_python():
    out = ["# Synthetic CPython lines for relc benchmarks (bench/gen.py); not real dates.",
           "format: 1", "name: python-synthetic", "", "axes:", "  python:",
           "    kind: version", "    title: Python", "    values:"]
    for i in PY_MINORS:
        out += py_entry(i)
    return "\n".join(out) + "\n"


def model_bench():
    o = ["# Synthetic build-matrix model for relc benchmarks (bench/gen.py), shaped like",
         "# plans/compat/pytorch.yaml with three more axes (compiler, blas, variant).",
         "format: 1", "name: bench", "", "axes:", "  platform:", "    kind: name",
         "    title: Platform", "    values:"]
    for name, os_, arch, tag, glibc in PLATFORMS:
        props = "{os: %s, arch: %s, wheel_tag: %s%s}" % (
            os_, arch, tag, ', glibc: "%s"' % glibc if glibc else "")
        o.append("      - name: %s" % name)
        o.append("        properties: %s" % props)
        if glibc == "2.28":
            o += ["        overrides:",
                  '          - when: "release < 2.0"',
                  '            properties: {wheel_tag: manylinux2014_%s, glibc: "2.17"}' % arch]
    o += ["  accel:", "    kind: name", "    values:", "      - name: cpu",
          "      - name: cuda", "        title: CUDA", "        versions: cuda",
          "      - name: rocm", "        title: ROCm", "        versions: rocm",
          "      - name: xpu",
          "  compiler:", "    kind: name", "    values:",
          "      - name: gcc", "        versions: gcc",
          "      - name: clang", "        versions: clang",
          "  blas:", "    kind: name", "    values:"]
    for b in BLAS:
        o += ["      - name: %s" % b, "        properties: {blas_lib: lib%s}" % b]
    o += ["  variant:", "    kind: name", "    values:"]
    for name, btype, flags in VARIANTS:
        o += ["      - name: %s" % name,
              '        properties: {build_type: %s, cflags: "%s"}' % (btype, flags)]
    o += ["", "components:", "  cuda:"]
    for v in CUDA_VERSIONS:
        major = int(v.split(".")[0])
        cudnn, nccl, archs = CUDA_MAJORS[major]
        o += ['    - version: "%s"' % v,
              "      supports: {cudnn: [%s], nccl: [%s]}" % (
                  ", ".join('"%s"' % c for c in cudnn), ", ".join('"%s"' % n for n in nccl)),
              "      properties:",
              '        full: ["%s.1"]' % v,
              '        cudnn_major: "%s"' % cudnn[0].split(".")[0],
              "        archs: [%s]" % ", ".join('"%s"' % a for a in archs),
              "      overrides:",
              '        - when: "platform is linux-aarch64"',
              "          properties: {archs: [%s]}" % ", ".join(
                  '"%s"' % a for a in archs if a in ("8.0", "9.0", "10.0", "12.0"))]
    o += ["  rocm:"]
    for v in ROCM_VERSIONS:
        targets = ["gfx900", "gfx906", "gfx908", "gfx90a", "gfx1030", "gfx1100"]
        if v >= "6":
            targets.append("gfx942")
        o += ['    - version: "%s"' % v,
              "      properties: {targets: [%s]}" % ", ".join(targets)]
    all_cudnn = sorted({c for M in CUDA_MAJORS.values() for c in M[0]},
                       key=lambda s: [int(x) for x in s.split(".")])
    all_nccl = sorted({n for M in CUDA_MAJORS.values() for n in M[1]},
                      key=lambda s: [int(x) for x in s.split(".")])
    o += ["  cudnn:"] + ['    - version: "%s"' % c for c in all_cudnn]
    o += ["  nccl:"] + ['    - version: "%s"' % n for n in all_nccl]
    o += ["  gcc:"]
    for v in GCC_VERSIONS:
        o += ['    - version: "%s"' % v, "      properties: {cc: gcc-%s, cxx_compiler: g++-%s}" % (v, v)]
    o += ["  clang:"]
    for v in CLANG_VERSIONS:
        o += ['    - version: "%s"' % v,
              "      properties: {cc: clang-%s, cxx_compiler: clang++-%s}" % (v, v)]
    o += ["  cxx:", '    title: "C++"', "    versions:"]
    for v in ("14", "17", "20"):
        o += ['      - version: "%s"' % v, '        title: "C++%s"' % v]
    o += ["", "rules:",
          "  - id: rocm-linux-x86_64-only",
          '    when: "accel is rocm"',
          '    require: "platform is linux-x86_64"',
          '    why: "ROCm builds exist for Linux x86_64 only (synthetic)"',
          "  - id: xpu-linux-windows-only",
          '    when: "accel is xpu"',
          '    require: "platform in [linux-x86_64, windows-x86_64]"',
          '    why: "XPU builds exist for Linux and Windows x86_64 only (synthetic)"',
          "  - id: cuda-gcc-9",
          '    when: "accel is cuda and compiler is gcc"',
          '    require: "compiler >= gcc 9"',
          '    why: "CUDA host code needs GCC 9 or later (synthetic)"',
          "  - id: msan-clang-only",
          '    when: "variant is msan"',
          '    require: "compiler is clang"',
          '    why: "MemorySanitizer is a clang feature (synthetic)"',
          "  - id: accelerate-macos-only",
          '    when: "blas is accelerate"',
          '    require: "platform in [macos-arm64, macos-x86_64]"',
          '    why: "Accelerate ships with macOS only (synthetic)"',
          "  - id: cuda-two-minors-per-major",
          '    window: "accel is cuda"',
          "    per: major",
          "    max: 2",
          '    why: "at most two supported CUDA minors per major (synthetic)"',
          "  - id: rocm-two-minors-per-major",
          '    window: "accel is rocm"',
          "    per: major",
          "    max: 2",
          '    why: "at most two supported ROCm minors per major (synthetic)"']
    return "\n".join(o) + "\n"


# ---------------------------------------------------------------- the plans ---

PROJECT_HEAD = """\
// Generated by bench/gen.py ({what}); synthetic, for benchmarks only.
project bench {{
  compat "{compat}/python.yaml";
  compat "{compat}/bench.yaml";

  repo {{
    remote "origin";
    version_file "version.txt";
    cut_from "viable/strict";
    main_branch "main";
    release_branch "release/{{major}}.{{minor}}";
    frozen_branch "orig/release/{{major}}.{{minor}}";
    rc_tag "v{{version}}-rc{{rc}}";
    final_tag "v{{version}}";
  }}

  channels nightly > test > release {{
    nightly {{ upload "s3://bench/whl/nightly/"; }}
    test {{ upload "s3://bench/whl/test/"; }}
    release {{ upload "s3://bench/whl/"; }}
  }}

  patch policy {{
    max_per_minor {max_patches};
    only_latest_minor;
    categories regression, critical, fixnewfeature, docs, release;
    critical silent_correctness, backwards_compat, crash, deadlock, memory_leak;
  }}
"""

SMALL_PROJECT_BODY = """
  check picks_landed = cherry_picks_present(from: frozen_branch, into: release_branch, tracker: "tracker.yaml");
  check picks_typed = trailers(range: frozen_branch..release_branch, key: "Category", in: patch.categories);
  check wheels_fit = artifact_size(glob: "*.whl", max: 1 GiB);

  stage cut on schedule.branch_cut {
    git.branch release_branch from cut_from;
    git.branch frozen_branch from cut_from;
    git.commit version_file = "{next_minor}.0a0" on "main";
  }

  stage rc(n) after cut {
    git.tag rc_tag on release_branch annotated message "RC {rc} of {version}";
    build wheels channel test timeout 6h;
    require picks_landed, picks_typed;
  }

  stage promote after rc on schedule.release {
    approve "release-managers";
    require picks_landed, picks_typed, wheels_fit;
    run "release/promote.sh" env { TARGET: "s3" } timeout 2h;
    run "release/promote.sh" env { TARGET: "pypi" } once;
  }

  overlay github "wheels-*" {
    runs-on = "linux.12xlarge";
    env.USE_CUDA = "1";
    strategy.fail-fast = false;
    steps += [{ name: "Show GPUs", run: "nvidia-smi" }];
  }
}
"""


def pick_cuda(count, rng=None, avoid=()):
    """`count` CUDA values, at most two non-experimental per major."""
    order = []
    for minor in range(9, -1, -1):
        for major in (12, 13, 11):
            order.append("%d.%d" % (major, minor))
    if rng is not None:
        rng.shuffle(order)
    per_major, out = {}, []
    for v in order:
        if v in avoid:
            continue
        if len(out) == count:
            break
        major = int(v.split(".")[0])
        per_major[major] = per_major.get(major, 0) + 1
        out.append((v, per_major[major] > 2))
    assert len(out) == count, count
    # Ascending, as a person would list them.
    out.sort(key=lambda x: [int(p) for p in x[0].split(".")])
    return out


def cuda_value(v, experimental, rng=None, pin=True):
    cudnn = CUDA_MAJORS[int(v.split(".")[0])][0]
    s = "cuda " + v
    if pin:
        c = cudnn[-1] if rng is None else rng.choice(cudnn)
        s += " (cudnn %s)" % c
    if experimental:
        s += " experimental"
    return s


def duration(n, unit):
    """`n` days or weeks as relc fmt writes it (`14d` is `2w`)."""
    return "%dw" % (n // 7) if unit == "d" and n % 7 == 0 else "%d%s" % (n, unit)


def compiler_key(value):
    name, version = value.split()
    return name, int(version)


def parse_count(text):
    t = text.strip().lower().replace("_", "").replace(",", "")
    return int(float(t)) if re.fullmatch(r"[0-9.]+e[0-9]+", t) else int(t)


def parse_size(text):
    m = re.fullmatch(r"\s*([0-9.]+)\s*([kmg]?)i?b?\s*", text.lower())
    if not m:
        raise SystemExit("bad size %r (write 10KB, 1MB, 10MB)" % text)
    mult = {"": 1, "k": 1000, "m": 1000 ** 2, "g": 1000 ** 3}[m.group(2)]
    return int(float(m.group(1)) * mult)


def factor_axes(n, maxima, min_axes=3):
    """Split n into per-axis value counts (each <= its maximum, product == n)."""
    k = min(len(maxima), max(min_axes, math.ceil(math.log10(max(n, 1)) - 1e-9)))
    primes, x, p = [], n, 2
    while x > 1:
        while x % p == 0:
            primes.append(p)
            x //= p
        p += 1
        if p * p > x and x > 1:
            primes.append(x)
            break
    sizes = [1] * k
    for p in sorted(primes, reverse=True):
        best = None
        for i in range(k):
            if sizes[i] * p <= maxima[i] and (best is None or sizes[i] < sizes[best]):
                best = i
        if best is None:
            raise SystemExit("cannot build exactly %d legs from axes of at most %s values"
                             % (n, maxima[:k]))
        sizes[best] *= p
    return sizes


# How each leg of a generated matrix is built, as relc requires of a matrix a
# build step builds; its accelerator legs are not tested.
RECIPES = ["",
           "    recipe build {",
           '      runner "linux.2xlarge";',
           '      env { PYTHON_VERSION: "{python}" };',
           '      command "python setup.py bdist_wheel";',
           '      artifacts "dist/*.whl";',
           "    }",
           "    recipe test none where accel is not cpu;"]


def legs_release(n):
    """A release whose matrix `wheels` expands to exactly n legs.

    Axes python, platform, accel, compiler, blas, variant (as many as the size
    needs). accel holds one ROCm value, excluded on every platform but
    linux-x86_64 (the model's rule); the removed legs are given back by one
    `include` per other platform, each adding a nightly-only CUDA value on
    linux-x86_64, so the leg count is exactly the product of the axis sizes.
    """
    maxima = [len(PY_MINORS) - PY_SUPPORTED_FROM, len(PLATFORMS), 12,
              len(GCC_VERSIONS) + len(CLANG_VERSIONS), len(BLAS_PICK), len(VARIANT_PICK)]
    sizes = factor_axes(n, maxima)
    p, q, a = sizes[0], sizes[1], sizes[2]
    lines = ["// Generated by bench/gen.py: matrix 'wheels' has exactly %d legs (%s)."
             % (n, " x ".join(str(s) for s in sizes)),
             "release bench 2.4.0 {",
             "  schedule {",
             "    branch_cut 2024-06-10;",
             "    first_rc branch_cut + 1w;",
             "    final_rc release - 1w;",
             "    release 2024-07-24;",
             "    patch 2.4.1 on release + 6w;",
             "    patch 2.4.2 on release + 12w;",
             "  }",
             "",
             "  matrix wheels {"]
    lo = len(PY_MINORS) - p
    lines.append("    python 3.%d .. %s;" % (lo, PY_TOP) if p > 1 else "    python %s;" % PY_TOP)
    lines.append("    platform %s;" % ", ".join(pl[0] for pl in PLATFORMS[:q]))
    accel = ["cpu"]
    rocm = a >= 2
    if rocm:
        accel.append("rocm 6.4")
    cuda = pick_cuda(a - len(accel))
    accel += [cuda_value(v, e) for v, e in cuda]
    lines.append("    accel %s;" % ", ".join(accel))
    if len(sizes) > 3:
        comps = (["gcc %s" % v for v in reversed(GCC_VERSIONS)]
                 + ["clang %s" % v for v in reversed(CLANG_VERSIONS)])
        chosen = comps[:sizes[3]]
        lines.append("    compiler %s;" % ", ".join(sorted(chosen, key=compiler_key)))
    if len(sizes) > 4:
        lines.append("    blas %s;" % ", ".join(BLAS_PICK[:sizes[4]]))
    if len(sizes) > 5:
        lines.append("    variant %s;" % ", ".join(VARIANT_PICK[:sizes[5]]))
    lines.append("    pin cxx 17;")
    if rocm and q > 1:
        lines.append("    exclude accel is rocm where platform != linux-x86_64;")
        extra = pick_cuda(q - 1, avoid={v for v, _ in cuda})
        for v, _ in extra:
            lines.append("    include platform linux-x86_64, accel %s experimental only(nightly);"
                         % cuda_value(v, False))
    lines += RECIPES + ["  }", "}"]
    return "\n".join(lines) + "\n", sizes


MILESTONE_WORDS = ["docs_freeze", "partner_sync", "rc_review", "branch_health",
                   "security_review", "perf_signoff", "blog_draft", "announce",
                   "binary_validation", "conda_upload", "domain_libs", "triage",
                   "cherry_pick_cutoff", "infra_freeze", "release_notes", "comms"]
CHECK_WORDS = ["picks", "trailers", "reverts", "wheel", "sdist", "docs", "binary",
               "conda", "domain", "notes", "license", "symbols", "abi", "size"]
STEP_SCRIPTS = ["smoke_test", "validate_binaries", "upload_docs", "sync_mirror",
                "update_index", "notify", "publish_notes", "build_docker", "sign",
                "verify_checksums", "promote"]
GROUPS = ["release-managers", "infra-oncall", "security", "docs-team", "partners"]
PLATFORM_PICK = [p[0] for p in PLATFORMS[:8]]


class Budget:
    """Appends generated chunks until a byte budget is used up."""

    def __init__(self, limit):
        self.limit, self.used, self.chunks = limit, 0, []

    def add(self, text):
        self.chunks.append(text)
        self.used += len(text.encode())

    @property
    def left(self):
        return self.limit - self.used


def size_matrix(rng, name):
    """A small realistic matrix (tens of legs) that checks clean, and the
    number of legs it expands to (docs/language.md section 5, computed here
    independently of relc so `--verify` cross-checks the expansion)."""
    lines = ["  matrix %s {" % name]
    lo = rng.randint(len(PY_MINORS) - 6, len(PY_MINORS) - 2)
    lines.append("    python 3.%d .. %s;" % (lo, PY_TOP))
    pythons = list(range(lo, PY_MINORS[-1] + 1))
    q = rng.randint(1, 4)
    plats = ["linux-x86_64"] + rng.sample(PLATFORM_PICK[1:], q - 1)
    lines.append("    platform %s;" % ", ".join(plats))
    accel = ["cpu"]
    rocm = rng.random() < 0.4
    if rocm:
        accel.append("rocm %s" % rng.choice(["6.2", "6.3", "6.4", "7.1", "7.2"]))
    ncuda = rng.randint(0, 3)
    accel += [cuda_value(v, e, rng, pin=rng.random() < 0.7)
              for v, e in pick_cuda(ncuda, rng)]
    lines.append("    accel %s;" % ", ".join(accel))
    kinds = [a.split()[0] for a in accel]
    compilers = [None]
    if rng.random() < 0.3:
        compilers = rng.sample(["gcc 11", "gcc 12", "gcc 13", "clang 17", "clang 18"],
                               rng.randint(1, 2))
        lines.append("    compiler %s;" % ", ".join(sorted(compilers, key=compiler_key)))
    lines.append("    pin cxx %s;" % rng.choice(["17", "17", "20"]))
    excludes = []
    if rocm and q > 1:
        lines.append("    exclude accel is rocm where platform != linux-x86_64;")
        excludes.append(lambda py, pl, ac: ac == "rocm" and pl != "linux-x86_64")
    macs = [p for p in plats if p.startswith("macos")]
    if ncuda and macs:
        lines.append("    exclude accel is cuda where platform in [%s];" % ", ".join(macs))
        excludes.append(lambda py, pl, ac: ac == "cuda" and pl in macs)
    if rng.random() < 0.3:
        lines.append("    exclude python < 3.%d and platform is linux-x86_64 and accel is cpu "
                     "where not python is %s;" % (lo + 1, PY_TOP))
        excludes.append(lambda py, pl, ac: py < lo + 1 and pl == "linux-x86_64" and ac == "cpu"
                        and py != PY_MINORS[-1])
    legs = len(compilers) * sum(1 for py in pythons for pl in plats for ac in kinds
                                if not any(ex(py, pl, ac) for ex in excludes))
    if rng.random() < 0.4:
        lines.append("    include python %st experimental only(nightly) where platform is "
                     "linux-x86_64 and accel is cpu;" % PY_TOP)
        legs += len(compilers)  # one leg per compiler: linux-x86_64, cpu, 3.23t
    lines += RECIPES + ["  }"]
    return "\n".join(lines) + "\n", legs


def size_case(target, rng):
    """A project and a release of about `target` bytes in total.

    Release: a long schedule (10%), many matrices (30%). Project: named checks
    (12%), stages with many steps (40%), CI overlays (8%).
    """
    # ---- release: schedule and matrices
    sched = Budget(int(target * 0.10))
    milestones = ["branch_cut", "first_rc", "final_rc", "release"]
    sched.add("  schedule {\n    branch_cut 2024-06-10;\n    first_rc branch_cut + 1w;\n"
              "    final_rc release - 1w;\n    release 2024-07-24;\n")
    extra = []
    j = 0
    patches = []
    while sched.left > 0:
        j += 1
        if j % 25 == 0:  # a planned patch every so often
            patches.append(len(patches) + 1)
            continue
        name = "%s_%d" % (rng.choice(MILESTONE_WORDS), j)
        base = rng.choice(["branch_cut", "release", "final_rc", None])
        if base is None:
            when = str(dt.date(2024, 6, 10) + dt.timedelta(days=rng.randint(0, 400)))
        else:
            when = "%s %s %s" % (base, rng.choice("+-"), duration(rng.randint(1, 30), rng.choice("dw")))
        sched.add("    %s %s;\n" % (name, when))
        extra.append(name)
    milestones += extra
    for k in patches:
        sched.add("    patch 2.4.%d on release + %dw;\n" % (k, 4 * k))
    sched.add("  }\n")

    mats = Budget(int(target * 0.30))
    matrices, legs = [], 0
    while mats.left > 0 or not matrices:
        name = "m%d" % len(matrices)
        matrices.append(name)
        text, n = size_matrix(rng, name)
        mats.add("\n" + text)
        legs += n

    release = ("// Generated by bench/gen.py: a release of about %d bytes with its project.\n"
               "release bench 2.4.0 {\n" % target + "".join(sched.chunks)
               + "".join(mats.chunks) + "}\n")

    # ---- project: checks, stages, overlays
    checks = Budget(int(target * 0.12))
    check_names = []
    while checks.left > 0 or not check_names:
        i = len(check_names)
        name = "%s_%d" % (rng.choice(CHECK_WORDS), i)
        kind = i % 4
        if kind == 0:
            body = ('cherry_picks_present(from: frozen_branch, into: release_branch, '
                    'tracker: "tracker.yaml")')
        elif kind == 1:
            body = ('trailers(range: frozen_branch..release_branch, key: "Category", '
                    'in: patch.categories)')
        elif kind == 2:
            body = 'reverts_propagated(into: release_branch, from: "main")'
        else:
            body = 'artifact_size(glob: "dist/pkg%d-*.whl", max: %s)' % (
                i, rng.choice(["100 MiB", "250 MiB", "500 MiB", "1 GiB"]))
        checks.add("  check %s = %s;\n" % (name, body))
        check_names.append(name)

    stages = Budget(int(target * 0.40))
    stage_names = []
    while stages.left > 0 or not stage_names:
        i = len(stage_names)
        param = i % 7 == 3
        name = "s%d" % i
        head = "  stage %s%s" % (name, "(n)" if param else "")
        if i:
            after = sorted({stage_names[-1]} | ({rng.choice(stage_names)} if rng.random() < 0.3 else set()),
                           key=lambda s: int(s[1:]))
            head += " after " + ", ".join(after)
        if rng.random() < 0.4:
            head += " on schedule.%s" % rng.choice(milestones)
        body = []
        if rng.random() < 0.7:
            body.append("require %s;" % ", ".join(rng.sample(check_names, min(len(check_names), rng.randint(1, 3)))))
        for _ in range(rng.randint(4, 14)):
            r = rng.random()
            if r < 0.10:
                body.append("git.branch %s from cut_from;" % rng.choice(["release_branch", "frozen_branch"]))
            elif r < 0.20:
                body.append('git.tag rc_tag on release_branch annotated message "RC {rc} of {version} (%s)";' % name)
            elif r < 0.27:
                body.append('git.commit version_file = "{next_minor}.0a0" on "main" message "bump after {schedule.%s}";'
                            % rng.choice(milestones))
            elif r < 0.45:
                body.append("build %s channel %s timeout %dh;" % (
                    rng.choice(matrices), rng.choice(["nightly", "test", "release"]), rng.randint(1, 12)))
            elif r < 0.80:
                script = rng.choice(STEP_SCRIPTS)
                body.append('run "scripts/%s.sh --version {version}%s" env { TARGET: "%s", SHARD: "%d" } timeout %dm cwd "ci";'
                            % (script, " --rc {n}" if param else "", rng.choice(["s3", "pypi", "conda", "mirror"]),
                               rng.randint(0, 63), rng.choice([15, 30, 45, 90])))
            else:
                body.append("wait until schedule.%s + %s;" % (rng.choice(milestones), duration(rng.randint(1, 9), "d")))
        if rng.random() < 0.35:
            body.append('approve "%s" timeout 2d;' % rng.choice(GROUPS))
            body.append('run "release/%s.sh" env { TARGET: "pypi" } once;' % rng.choice(STEP_SCRIPTS))
        stages.add("\n" + head + " {\n" + "".join("    %s\n" % b for b in body) + "  }\n")
        stage_names.append(name)

    overlays = Budget(int(target * 0.08))
    k = 0
    while overlays.left > 0:
        m = rng.choice(matrices)
        overlays.add(
            '\n  overlay github "%s-*" {\n'
            '    runs-on = "linux.%dxlarge";\n'
            '    timeout-minutes = %d;\n'
            '    env.USE_CUDA = "%d";\n'
            '    env.MATRIX_SHARD = "%d";\n'
            '    strategy.fail-fast = false;\n'
            '    steps += [{ name: "Show GPUs", run: "nvidia-smi" }, { name: "Cache key", run: "echo %s-%d" }];\n'
            '  }\n' % (m, rng.choice([2, 4, 12]), rng.choice([60, 120, 240]), rng.randint(0, 1), k, m, k))
        k += 1

    project = (PROJECT_HEAD.format(what="size %d bytes" % target, compat="../../compat",
                                   max_patches=max(2, len(patches)))
               + "\n" + "".join(checks.chunks) + "".join(stages.chunks)
               + "".join(overlays.chunks) + "}\n")
    stats = {"checks": len(check_names), "stages": len(stage_names), "matrices": len(matrices),
             "milestones": len(milestones), "patches": len(patches), "overlays": k,
             "steps": sum(c.count(";\n") for c in stages.chunks)}
    return project, release, stats, legs


def releases_case(count, rng):
    """One project and `count` release files with realistic small matrices."""
    project = PROJECT_HEAD.format(what="%d releases" % count, compat="../../compat",
                                  max_patches=2) + SMALL_PROJECT_BODY
    files, legs = {}, 0
    base = dt.date(2024, 1, 8)
    # A cut every two weeks, closer for many releases: every release ships
    # within the model's Python lifecycles (about 40 years of them).
    step = max(1, min(14, 14600 // max(count, 1)))
    for i in range(count):
        major, minor = 1 + i // 100, i % 100
        cut = base + dt.timedelta(days=step * i)
        lines = ["// Generated by bench/gen.py: release %d of %d." % (i + 1, count),
                 "release bench %d.%d.0 {" % (major, minor),
                 "  schedule {",
                 "    branch_cut %s;" % cut,
                 "    final_rc release - 1w;",
                 "    release %s;" % (cut + dt.timedelta(days=rng.randint(30, 50))),
                 "    patch %d.%d.1 on release + %dw;" % (major, minor, rng.randint(3, 8)),
                 "  }",
                 ""]
        text, n = size_matrix(rng, "wheels")
        legs += n
        lines.append(text.rstrip("\n"))
        lines.append("}")
        files["%d.%d.relplan" % (major, minor)] = "\n".join(lines) + "\n"
    return project, files, legs


class Lines(list):
    """A list of lines that knows its size in bytes (joined with newlines)."""
    bytes = 0

    def __iadd__(self, items):
        items = list(items)
        self.bytes += sum(len(x.encode()) + 1 for x in items)
        self.extend(items)
        return self

    def append(self, line):
        self += [line]


def model_case(target, rng):
    """A compatibility model of about `target` bytes: long version axes and
    components with supports lists, properties, overrides; many rules."""
    o = Lines()
    o += ["# Generated by bench/gen.py: a compatibility model of about %d bytes." % target,
          "format: 1", "name: big", "", "axes:"]
    size = lambda: o.bytes  # noqa: E731
    # Shares of the budget: python 15%, platform 10%, toolkit components 55%, rules 20%.
    o += ["  python:", "    kind: version", "    title: Python", "    values:"]
    n_py = 0
    while size() < target * 0.15 or n_py < 3:
        d = dt.date(1990, 1, 1) + dt.timedelta(days=30 * n_py)
        o += ['      - version: "3.%d"' % n_py, "        status: security",
              "        released: %s" % d, "        end_of_life: %s" % (d + dt.timedelta(days=365 * 80)),
              "        properties: {pep: %d}" % (1000 + n_py)]
        n_py += 1
    o += ["  platform:", "    kind: name", "    values:"]
    n_pl, platforms = 0, []
    start = size()
    while size() - start < target * 0.10 or n_pl < 3:
        os_, arch = rng.choice(["linux", "macos", "windows"]), rng.choice(["x86_64", "arm64", "riscv64"])
        platforms.append("p%d-%s-%s" % (n_pl, os_, arch))
        o += ["      - name: %s" % platforms[-1],
              "        properties: {os: %s, arch: %s, wheel_tag: %s_%d_%s, tags: [a%d, b%d, c%d]}"
              % (os_, arch, os_, n_pl, arch, n_pl, n_pl, n_pl),
              "        overrides:",
              '          - when: "release < 2.%d"' % (n_pl % 10),
              "            properties: {wheel_tag: old_%d_%s}" % (n_pl, arch)]
        n_pl += 1
    o += ["  accel:", "    kind: name", "    values:", "      - name: cpu",
          "      - name: gpu", "        versions: gpu", "", "components:"]
    n_lib = max(3, int(target * 0.15 / 60))
    start = size()
    o += ["  gpu:"]
    n_gpu = 0
    lib_versions = ["%d.%d.%d" % (1 + i // 100, (i // 10) % 10, i % 10) for i in range(n_lib)]
    while size() - start < target * 0.40 or n_gpu < 3:
        sup = sorted(rng.sample(range(n_lib), 3))
        o += ['    - version: "%d.%d"' % (1 + n_gpu // 10, n_gpu % 10),
              "      supports: {lib: [%s]}" % ", ".join('"%s"' % lib_versions[s] for s in sup),
              "      properties:",
              '        full: ["%d.%d.0", "%d.%d.1"]' % (1 + n_gpu // 10, n_gpu % 10, 1 + n_gpu // 10, n_gpu % 10),
              '        archs: ["5.0", "6.0", "7.0", "8.0", "9.0"]',
              "      overrides:",
              '        - when: "platform is %s"' % rng.choice(platforms),
              '          properties: {archs: ["8.0", "9.0"]}',
              '      note: "generated entry %d"' % n_gpu]
        n_gpu += 1
    o += ["  lib:"] + ['    - version: "%s"' % v for v in lib_versions]
    o += ["", "rules:"]
    r = 0
    while size() < target or r < 1:
        pl = rng.choice(platforms)
        o += ["  - id: rule-%d" % r,
              '    when: "platform is %s and python >= 3.%d"' % (pl, rng.randint(0, n_py - 1)),
              '    require: "accel is cpu or accel >= gpu %d.%d"' % (1 + (r % n_gpu) // 10, (r % n_gpu) % 10),
              '    why: "generated rule %d"' % r]
        r += 1
    o.append("  - id: gpu-window")
    o += ['    window: "accel is gpu"', "    per: major", "    max: 2", '    why: "generated window"']
    return "\n".join(o) + "\n", {"python": n_py, "platforms": n_pl, "gpu": n_gpu,
                                 "lib": n_lib, "rules": r}


# ------------------------------------------------------------------ driver ---

def actions_lock():
    """The actions lock `relc emit` needs (beside the plans or above them):
    the repository's own, else the same pin written here."""
    own = os.path.join(REPO, "plans", "actions.lock.yaml")
    if os.path.exists(own):
        return open(own, encoding="utf-8").read()
    return ("actions:\n  actions/checkout:\n    version: v4.2.2\n"
            "    sha: 11bd71901bbe5b1630ceea73d27597364c9af683\n")


# The cherry-pick tracker every generated project's checks name (a file
# beside the project: `relc check` reports a tracker that does not exist).
TRACKER = "# The fixes to pick onto the release branch.\npicks:\n  - 101\n  - 102\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode())


def seeded(seed, label):
    return random.Random(zlib.crc32(("%d/%s" % (seed, label)).encode()))


def generate(args):
    out = os.path.abspath(args.out)
    for sub in ("compat", "legs", "size", "releases", "model"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "actions.lock.yaml"), actions_lock())
    write(os.path.join(out, "compat", "python.yaml"), model_python())
    write(os.path.join(out, "compat", "bench.yaml"), model_bench())
    cases = []
    rel = lambda p: os.path.relpath(p, out)  # noqa: E731
    series = args.series

    if "legs" in series:
        for label in args.legs:
            n = parse_count(label)
            d = os.path.join(out, "legs", label)
            text, sizes = legs_release(n)
            write(os.path.join(d, "tracker.yaml"), TRACKER)
            b = write(os.path.join(d, "project.relplan"),
                      PROJECT_HEAD.format(what="legs", compat="../../compat", max_patches=2)
                      + SMALL_PROJECT_BODY)
            b += write(os.path.join(d, "2.4.relplan"), text)
            cases.append({"series": "legs", "label": label, "n": n, "legs": n,
                          "plans": [rel(os.path.join(d, "2.4.relplan"))],
                          "bytes": b, "axes": sizes})
    if "size" in series:
        for label in args.sizes:
            target = parse_size(label)
            d = os.path.join(out, "size", label)
            project, release, stats, legs = size_case(target, seeded(args.seed, "size/" + label))
            write(os.path.join(d, "tracker.yaml"), TRACKER)
            b = write(os.path.join(d, "project.relplan"), project)
            b += write(os.path.join(d, "2.4.relplan"), release)
            cases.append({"series": "size", "label": label, "n": target, "bytes": b, "legs": legs,
                          "plans": [rel(os.path.join(d, "2.4.relplan"))], "stats": stats})
    if "releases" in series:
        for label in args.releases:
            count = parse_count(label)
            d = os.path.join(out, "releases", label)
            project, files, legs = releases_case(count, seeded(args.seed, "releases/" + label))
            write(os.path.join(d, "tracker.yaml"), TRACKER)
            b = write(os.path.join(d, "project.relplan"), project)
            names = []
            for name, text in files.items():
                b += write(os.path.join(d, name), text)
                names.append(rel(os.path.join(d, name)))
            cases.append({"series": "releases", "label": label, "n": count, "bytes": b, "legs": legs,
                          "plans": names})
    if "model" in series:
        for label in args.models:
            target = parse_size(label)
            d = os.path.join(out, "model", label)
            text, stats = model_case(target, seeded(args.seed, "model/" + label))
            b = write(os.path.join(d, "model.yaml"), text)
            cases.append({"series": "model", "label": label, "n": target, "bytes": b,
                          "plans": [rel(os.path.join(d, "model.yaml"))], "stats": stats})

    manifest = {"generator": "bench/gen.py", "seed": args.seed, "out": out, "cases": cases}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def verify(manifest, relc, fmt=True):
    """Every generated plan checks clean (exit 0, nothing on stderr) and
    expands to the number of legs the generator computed. One
    `relc check --emit=plan` per case (the 10 MB plan takes one check)."""
    out, bad = manifest["out"], 0
    for c in manifest["cases"]:
        plans = c["plans"]
        what = "%s/%s" % (c["series"], c["label"])
        emit = [] if c["series"] == "model" else ["--emit=plan"]
        p = subprocess.run([relc, "check"] + emit + plans, cwd=out, capture_output=True, text=True)
        if p.returncode != 0 or p.stderr or (not emit and p.stdout):
            bad += 1
            print("FAIL %s: relc check exit %d\n%s%s" % (what, p.returncode, p.stdout[:3000],
                                                         p.stderr[:3000]), file=sys.stderr)
            continue
        if emit:
            legs = sum(int(m) for m in re.findall(r"^  matrix \S+: (\d+) legs?$", p.stdout, re.M))
            if legs != c["legs"]:
                bad += 1
                print("FAIL %s: relc expands %d legs, the generator counted %d"
                      % (what, legs, c["legs"]), file=sys.stderr)
                continue
        if fmt and c["series"] != "model":
            f = subprocess.run([relc, "fmt", "--check"] + plans, cwd=out, capture_output=True, text=True)
            if f.returncode != 0:
                print("note %s: not in relc fmt's canonical layout:\n%s" % (what, f.stderr[:1000]),
                      file=sys.stderr)
        print("ok   %-16s %10d bytes%s" % (what, c["bytes"],
                                            ", %d legs" % c["legs"] if "legs" in c else ""), flush=True)
    return bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, "out", "gen"),
                    help="scratch directory (default: bench/out/gen)")
    ap.add_argument("--seed", type=int, default=20240610)
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--series", default=",".join(SERIES),
                    help="comma-separated subset of %s" % ",".join(SERIES))
    ap.add_argument("--legs", help="leg counts, e.g. 1e2,1e3 (each must factor into axes)")
    ap.add_argument("--sizes", help="plan sizes, e.g. 10KB,1MB")
    ap.add_argument("--releases", help="release counts, e.g. 1,10,100")
    ap.add_argument("--models", help="model sizes, e.g. 10KB,1MB")
    ap.add_argument("--verify", metavar="RELC", help="check every generated plan with this relc")
    args = ap.parse_args(argv)
    args.series = [s for s in args.series.split(",") if s]
    for s in args.series:
        if s not in SERIES:
            ap.error("unknown series %r" % s)
    pick = lambda given, full, quick: (given.split(",") if given else (quick if args.quick else full))  # noqa: E731
    args.legs = pick(args.legs, DEFAULT_LEGS, QUICK_LEGS)
    args.sizes = pick(args.sizes, DEFAULT_SIZES, QUICK_SIZES)
    args.releases = pick(args.releases, DEFAULT_RELEASES, QUICK_RELEASES)
    args.models = pick(args.models, DEFAULT_MODELS, QUICK_MODELS)
    manifest = generate(args)
    print("generated %d cases in %s" % (len(manifest["cases"]), manifest["out"]))
    if args.verify:
        bad = verify(manifest, os.path.abspath(args.verify))
        if bad:
            print("%d generated case(s) do not check clean" % bad, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
