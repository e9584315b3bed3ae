#!/usr/bin/env bash
# Installs relc's build and test dependencies from Debian 12 packages, then
# the npm packages of the CI-file validators (test/validators).
# Idempotent: installs only what is missing or stale; apt runs as root or
# through sudo.
set -euo pipefail

packages=(
  antlr4 libantlr4-runtime-dev default-jre-headless
  llvm-14-dev llvm-14-tools
  libyaml-cpp-dev libgit2-dev
  googletest libgtest-dev
  cmake ninja-build g++ python3 git
  lld # relc's hot functions laid out together (cmake/FunctionOrder.cmake)
  python3-jsonschema python3-yaml graphviz
  python3-icalendar pre-commit
  awscli # uploads to S3 targets, tested against s3rver (test/validators)
  curl twine # uploads to package indexes (PyPI), tested against test/lit/Run/Inputs/index.py
  dpkg-dev file groff-base lintian # the Debian package (test/lit/Install/deb.test)
  clang-14 libclang-rt-14-dev # the fuzz targets (fuzz/): libFuzzer, ASan, UBSan
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The validators' npm packages, exactly as package-lock.json pins them. npm
# writes node_modules/.package-lock.json on every install, so one older than
# the lock file (or none) means the install is missing or stale.
validators="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test/validators"
if [ ! "$validators/node_modules/.package-lock.json" -nt "$validators/package-lock.json" ]; then
  command -v npm >/dev/null || { echo "setup: need Node.js 20 and npm for test/validators" >&2; exit 2; }
  echo "setup: installing test/validators npm packages"
  (cd "$validators" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
