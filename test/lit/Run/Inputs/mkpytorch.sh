#!/bin/sh
# mkpytorch.sh DIR: a repository shaped like PyTorch's for the bundled 2.4
# plan: a bare remote DIR/remote.git and a work clone DIR/clone whose main
# and viable/strict hold version.txt 2.4.0a0, with release/promote.sh
# appending its TARGET to $PROMOTE_LOG (outside the repository) and the
# bundled plans and models under plans/, and the Triton pin
# .ci/docker/ci_commit_pins/triton.txt. The repositories the plan cuts with
# PyTorch's are bare remotes too, remotes of the clone: DIR/builder.git
# (remote builder, main) and DIR/xla.git (remote xla, master). Dates are
# fixed for reproducible commits.
set -e
d=$1
root=$2
. "$(dirname "$0")/initrepo.sh"
init_repo "$d" 2024-06-01T12:00:00Z "Release Manager" rm@example.com
echo 2.4.0a0 > version.txt
mkdir -p release
printf '#!/bin/sh\necho "$TARGET" >> "$PROMOTE_LOG"\n' > release/promote.sh
chmod +x release/promote.sh
cp -r "$root/plans" plans
mkdir -p .ci/docker/ci_commit_pins
echo 1b2f15840e0d70eec50d84c7a0575cb835524def > .ci/docker/ci_commit_pins/triton.txt
git add -A
git commit -qm "Start 2.4"
echo one > feature.txt
git add feature.txt
git commit -qm "Add a feature (#120)"
git remote add origin "$d/remote.git"
git push -q origin main main:viable/strict

# builder and xla: one commit each on their main branches.
for r in builder:main xla:master; do
  name=${r%%:*} branch=${r#*:}
  git init -q --bare -b "$branch" "$d/$name.git"
  git init -q -b "$branch" "$d/$name"
  git -C "$d/$name" -c user.name=Bot -c user.email=bot@example.com commit -q --allow-empty -m "Start $name"
  git -C "$d/$name" push -q "$d/$name.git" "$branch"
  git remote add "$name" "$d/$name.git"
done
