#!/usr/bin/env bash
# usage: hook_source.sh RELC_ROOT SCRATCH_DIR
# Prints "REPO REV": the repository and commit a .pre-commit-config.yaml
# should take relc's hooks from, as a user's would. That is this checkout at
# its HEAD when HEAD holds the work tree's .pre-commit-hooks.yaml (pre-commit
# clones the commit, not the work tree). Otherwise (a source tree that is not
# a git checkout, or a hooks file changed since the last commit) it is a git
# repository made in SCRATCH_DIR holding the work tree's hooks file alone.
set -euo pipefail
root=$1 scratch=$2
if rev=$(git -C "$root" rev-parse --verify -q HEAD 2>/dev/null) &&
  [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" -ef "$root" ] &&
  git -C "$root" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null &&
  git -C "$root" diff --quiet HEAD -- .pre-commit-hooks.yaml; then
  echo "$root $rev"
  exit 0
fi
rm -rf "$scratch"
mkdir -p "$scratch"
cp "$root/.pre-commit-hooks.yaml" "$scratch/"
git -C "$scratch" init -q
git -C "$scratch" add .pre-commit-hooks.yaml
git -C "$scratch" -c user.name=relc -c user.email=relc@invalid commit -q -m "relc hooks"
echo "$scratch $(git -C "$scratch" rev-parse HEAD)"
