#!/usr/bin/env bash
# Installs relc's build and test dependencies from Debian 12 packages.
# Idempotent: installs only what is missing; runs as root or through sudo.
set -euo pipefail

packages=(
  antlr4 libantlr4-runtime-dev default-jre-headless
  llvm-14-dev llvm-14-tools
  libyaml-cpp-dev libgit2-dev
  googletest libgtest-dev
  cmake ninja-build g++ python3 git
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
