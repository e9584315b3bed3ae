# lit configuration for relc's tests. Run through CTest (one CTest test per
# file), or by hand:
#   python3 /usr/lib/llvm-14/build/utils/lit/lit.py -sv \
#     --param relc_bin_dir=build/bin test/lit
import os
import re

import lit.formats

config.name = "relc"

# lit 14 rewrites .lit_test_times.txt in the exec root after every run, in
# place. CTest starts one lit per test file, two at a time, so two lits can
# interleave their writes and every lit after that fails reading the file
# ("not enough values to unpack"). The times only order the tests of one lit
# run, and a CTest run gives each lit one file: read and keep none.
import lit.Test
import lit.main

if hasattr(lit.Test, "read_test_times"):
    lit.Test.read_test_times = lambda suite: {}
if hasattr(lit.main, "record_test_times"):
    lit.main.record_test_times = lambda tests, lit_config: None
# The external shell (bash) runs RUN lines, so tests may use loops and $?.
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".relplan", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)

params = lit_config.params
repo_root = os.path.abspath(os.path.join(config.test_source_root, "..", ".."))
relc_bin_dir = params.get("relc_bin_dir", os.path.join(repo_root, "build", "bin"))
llvm_tools_dir = params.get("llvm_tools_dir", "/usr/lib/llvm-14/bin")
config.test_exec_root = params.get(
    "exec_root", os.path.join(repo_root, "build", "test", "lit"))

config.environment["PATH"] = os.pathsep.join(
    [relc_bin_dir, llvm_tools_dir, config.environment.get("PATH", "")])
# Diagnostics must not depend on the terminal or the locale.
config.environment["LC_ALL"] = "C.UTF-8"
# One model cache for the whole suite, in the build tree, never the user's:
# most tests then read their models from it, and every test's expectations
# hold for a cached model as for a fresh one.
config.environment["RELC_CACHE_DIR"] = os.path.join(config.test_exec_root,
                                                    ".relc-cache")
# The fault-injection suite's seed and trial counts (Run/faults.test).
for name, value in os.environ.items():
    if name.startswith("RELC_FAULT_"):
        config.environment[name] = value
config.substitutions.append(("%relc_root", repo_root))
# The build directory, for the tests of `cmake --install` and `cpack`.
relc_build_dir = params.get("relc_build_dir", os.path.join(repo_root, "build"))
config.substitutions.append(("%relc_build", relc_build_dir))
config.substitutions.append(("%relc_bin", os.path.join(relc_bin_dir, "relc")))
# The linker that made relc, as it signs the executable's .comment section:
# what relc loads at start differs between lld and GNU ld
# (cmake/Dependencies.cmake, Install/linked.test).
import subprocess
try:
    comment = subprocess.run(["readelf", "-p", ".comment",
                              os.path.join(relc_bin_dir, "relc")],
                             capture_output=True, text=True).stdout
except OSError:
    comment = ""
# lld signs "Linker: LLD 14.0.6", Debian's "Linker: Debian LLD 14.0.6".
if re.search(r"^\s*\[\s*\w+\]\s+Linker: .*\bLLD\b", comment, re.M):
    config.available_features.add("lld-linked")
# The version the build gave relc (project(VERSION) in CMakeLists.txt):
# `relc --version`, calendars, SARIF logs and the language server must all
# say exactly this. CTest passes it; by hand, it is read from the build's
# lib/Basic/Config.h.
relc_version = params.get("relc_version")
if relc_version is None:
    config_h = os.path.join(relc_build_dir, "lib", "Basic", "Config.h")
    try:
        with open(config_h) as f:
            m = re.search(r'^#define RELC_VERSION "([^"]*)"', f.read(), re.M)
            relc_version = m.group(1) if m else None
    except OSError:
        pass
    if not relc_version:
        lit_config.fatal("no relc version: pass --param relc_version=X.Y.Z "
                         "or --param relc_build_dir=BUILD (with " + config_h + ")")
config.substitutions.append(("%relc_version", relc_version))
config.substitutions.append(("%plans", os.path.join(repo_root, "plans")))
# An address-space limit for the tests that show memory follows the input,
# not what it announces. AddressSanitizer reserves terabytes of address
# space up front, so a sanitized build (CTest gives it ASAN_OPTIONS) runs
# them without the limit; ASan reports any blow-up there itself.
config.substitutions.append(
    ("%ulimit_vm", "true" if "ASAN_OPTIONS" in os.environ
     else "ulimit -v 262144"))
# Independent checkers for the CI files relc emits (test/validators).
validators = os.path.join(repo_root, "test", "validators")
config.substitutions.append(
    ("%check-github", "/usr/bin/node " + os.path.join(validators, "check-github.mjs")))
config.substitutions.append(
    ("%check-schema", "/usr/bin/python3 " + os.path.join(validators, "check-schema.py")))
config.substitutions.append(
    ("%check-static", "/usr/bin/python3 " + os.path.join(validators, "check-static.py")))
config.substitutions.append(
    ("%ci-shape", "/usr/bin/python3 " + os.path.join(validators, "ci-shape.py")))
config.substitutions.append(
    ("%audit", "/usr/bin/python3 " + os.path.join(validators, "audit.py")))
