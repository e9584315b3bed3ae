#!/bin/sh
# mkrepo.sh DIR: a work clone DIR/work of a bare remote DIR/remote.git whose
# main holds version.txt (1.0.0a0) and two commits, ready for the demo plan's
# cut stage. Commit dates are fixed so runs are reproducible.
set -e
d=$1
rm -rf "$d"
mkdir -p "$d"
export GIT_AUTHOR_DATE="2026-10-01T12:00:00Z" GIT_COMMITTER_DATE="2026-10-01T12:00:00Z"
git init -q --bare -b main "$d/remote.git"
git init -q -b main "$d/work"
cd "$d/work"
git config user.name "Rel Eng"
git config user.email releng@example.com
echo 1.0.0a0 > version.txt
git add version.txt
git commit -qm "Start 1.0"
echo a > a.txt
git add a.txt
git commit -qm "Add a (#100)"
git remote add origin "$d/remote.git"
git push -q origin main
