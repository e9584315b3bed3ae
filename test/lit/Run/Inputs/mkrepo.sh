#!/bin/sh
# mkrepo.sh DIR: a work clone DIR/clone of a bare remote DIR/remote.git whose
# main holds version.txt (1.0.0a0) and two commits, ready for the demo plan's
# cut stage. Commit dates are fixed so runs are reproducible.
set -e
d=$1
. "$(dirname "$0")/initrepo.sh"
init_repo "$d" 2026-10-01T12:00:00Z "Rel Eng" releng@example.com
echo 1.0.0a0 > version.txt
git add version.txt
git commit -qm "Start 1.0"
echo a > a.txt
git add a.txt
git commit -qm "Add a (#100)"
git remote add origin "$d/remote.git"
git push -q origin main
