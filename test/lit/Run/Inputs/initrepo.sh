# Sourced by mkrepo.sh and mkpytorch.sh. init_repo DIR DATE NAME EMAIL makes
# an empty bare remote DIR/remote.git and a repository DIR/clone with that
# git identity, and enters it; commits get DATE so runs are reproducible.
init_repo() {
  rm -rf "$1"
  mkdir -p "$1"
  export GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2"
  git init -q --bare -b main "$1/remote.git"
  git init -q -b main "$1/clone"
  cd "$1/clone"
  git config user.name "$3"
  git config user.email "$4"
}
