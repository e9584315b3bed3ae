#!/bin/sh
# refs.sh DIR: every ref of DIR/clone and DIR/remote.git (and both HEADs), so
# two snapshots can be compared byte for byte.
for r in "$1/clone" "$1/remote.git"; do
  echo "== $r"
  git -C "$r" symbolic-ref HEAD
  git -C "$r" for-each-ref --format='%(objectname) %(objecttype) %(refname)'
done
