#!/bin/sh
# history.sh DIR: after the cut of DIR (see mkrepo.sh), land fixes and
# reverts on main and cherry-pick some of them onto release/1.0:
#   PR 101  picked with `git cherry-pick -x` (the trailer names it)
#   PR 102  re-applied by hand under another message (same patch-id)
#   PR 103  not picked: missing
#   PR 104  picked as a different patch that keeps its PR trailer
#   a revert of a commit from before the cut (so on the release branch),
#   not picked: unpropagated; a revert of PR 103 (never on the release
#   branch): nothing to propagate.
set -e
cd "$1/clone"
export GIT_AUTHOR_DATE="2026-11-05T12:00:00Z" GIT_COMMITTER_DATE="2026-11-05T12:00:00Z"
git fetch -q origin
git checkout -q -B main origin/main
pr() { # pr N FILE TEXT TITLE
  echo "$3" > "$2"; git add "$2"
  git commit -qm "$4" -m "Pull Request resolved: https://github.com/demo/demo/pull/$1"
}
pr 101 f101.txt one "Fix crash in the loader"
pr 102 f102.txt two "Fix a leak"
pr 103 f103.txt three "Fix the docs"
pr 104 f104.txt four "Speed up start-up"
git revert --no-edit "$(git rev-parse ':/^Add a')" > /dev/null
git revert --no-edit "$(git rev-parse ':/^Fix the docs')" > /dev/null
git push -q origin main

git checkout -q -b pick origin/release/1.0
git cherry-pick -x "$(git rev-parse 'main^{/^Fix crash}')" > /dev/null
git commit -q --amend -m "$(git log -1 --format=%B)" -m "Category: regression"
echo two > f102.txt; git add f102.txt
git commit -qm "Backport the leak fix" -m "Category: critical"
echo four-backported > f104.txt; git add f104.txt
git commit -qm "Speed up start-up (backport)" -m "Pull Request resolved: https://github.com/demo/demo/pull/104
Category: regression"
git push -q origin pick:release/1.0
git checkout -q main
