#!/bin/sh
# mkpytorch.sh DIR: a repository shaped like PyTorch's for the bundled 2.4
# plan: a bare remote DIR/remote.git and a work clone DIR/clone whose main
# and viable/strict hold version.txt 2.4.0a0, with release/promote.sh
# appending its TARGET to $PROMOTE_LOG (outside the repository) and the
# bundled plans and models under plans/. Dates are fixed for reproducible
# commits.
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
git add -A
git commit -qm "Start 2.4"
echo one > feature.txt
git add feature.txt
git commit -qm "Add a feature (#120)"
git remote add origin "$d/remote.git"
git push -q origin main main:viable/strict
