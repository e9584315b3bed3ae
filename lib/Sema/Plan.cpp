//===- Plan.cpp - The checked plan's own tables and lookups ---------------===//
//
// The check functions' signatures live here, once: Sema checks every call
// against them, the executor dispatches on their kind, and the
// documentation (docs/running.md, "Checks") describes the same parameters.
//
//===----------------------------------------------------------------------===//
#include "Sema/Plan.h"

using namespace relc;
using namespace relc::sema;

void Template::append(const Template &other) {
  append(other.pieces.front());
  for (size_t i = 1; i < other.pieces.size(); ++i)
    pieces.push_back(other.pieces[i]);
}

std::string Template::bind(std::optional<unsigned> rc) const {
  std::string hole = rc ? std::to_string(*rc) : "{rc}";
  std::string out = pieces.front();
  for (size_t i = 1; i < pieces.size(); ++i)
    out += hole + pieces[i];
  return out;
}

llvm::StringRef sema::paramTypeName(ParamType t) {
  switch (t) {
  case ParamType::Ref:
    return "a branch or tag name";
  case ParamType::Range:
    return "a range such as 'main..release_branch'";
  case ParamType::Text:
    return "a string";
  case ParamType::Names:
    return "a list of names such as 'patch.categories' or [\"a\", \"b\"]";
  case ParamType::Path:
    return "a file path string";
  case ParamType::TreePath:
    return "a path string relative to the top of the repository";
  case ParamType::Glob:
    return "a file name pattern string";
  case ParamType::Size:
    return "a size such as '1 GiB'";
  }
  return "";
}

namespace {
using K = CheckFunctionKind;
using T = ParamType;

const CheckParam cherryPicksParams[] = {
    {"from", T::Ref, true,
     "the branch the release was cut from, or its frozen copy"},
    {"into", T::Ref, true, "the release branch"},
    {"tracker", T::Path, true,
     "a YAML file listing the PRs or commits to pick"},
};
const CheckParam trailersParams[] = {
    {"range", T::Range, true, "the commits to look at"},
    {"key", T::Text, true, "the trailer key, such as \"Category\""},
    {"in", T::Names, true, "the values the trailer may have"},
};
const CheckParam revertsParams[] = {
    {"into", T::Ref, true, "the release branch"},
    {"from", T::Ref, false, "where reverts land first (default: main)"},
};
const CheckParam artifactParams[] = {
    {"glob", T::Glob, true, "the files to measure, under --artifacts"},
    {"max", T::Size, true, "the largest size allowed"},
};
const CheckParam fileContainsParams[] = {
    {"path", T::TreePath, true,
     "the file, from the top of the tree the stage's commands run in"},
    {"text", T::Text, true,
     "what it must contain (a template: \"## {version}\")"},
};

const CheckParam patchPicksParams[] = {
    {"into", T::Ref, true, "the release branch"},
    {"key", T::Text, true, "the category trailer key, such as \"Category\""},
    {"in", T::Names, true, "the categories a patch release takes"},
    {"critical", T::Names, false,
     "the classes a `critical` pick names in its `Critical:` trailer"},
    {"link", T::Text, false,
     "the trailer linking the issue or CI failure a pick fixes (default "
     "\"Fixes\")"},
};

const CheckFunction functions[] = {
    {K::CherryPicksPresent, "cherry_picks_present", cherryPicksParams,
     "every tracked fix that landed on main after the cut is on the release "
     "branch"},
    {K::Trailers, "trailers", trailersParams,
     "every commit of the range has the trailer with an allowed value"},
    {K::RevertsPropagated, "reverts_propagated", revertsParams,
     "every revert on main of a commit the release has is on the release "
     "branch too"},
    {K::ArtifactSize, "artifact_size", artifactParams,
     "every matching artifact is at most the size"},
    {K::FileContains, "file_contains", fileContainsParams,
     "the file contains the text"},
    {K::PatchPicks, "patch_picks", patchPicksParams,
     "in a patch release, every commit on the release branch after the "
     "minor's final tag has an allowed category, links an issue or CI "
     "failure, and was picked by the cherry-pick deadline"},
};

const llvm::StringLiteral backends[] = {"github", "gitlab"};
} // namespace

llvm::ArrayRef<CheckFunction> sema::checkFunctions() { return functions; }

const CheckFunction *sema::findCheckFunction(llvm::StringRef name) {
  for (const CheckFunction &f : functions)
    if (f.name == name)
      return &f;
  return nullptr;
}

const CheckParam *CheckFunction::param(llvm::StringRef name) const {
  for (const CheckParam &p : params)
    if (p.name == name)
      return &p;
  return nullptr;
}

const CheckArg *Check::arg(llvm::StringRef name) const {
  for (const CheckArg &a : args)
    if (a.param->name == name)
      return &a;
  return nullptr;
}

llvm::ArrayRef<llvm::StringLiteral> sema::overlayBackends() { return backends; }

static const llvm::StringLiteral allowances[] = {
    "excessive-permissions", "ungated-job", "secrets-inherit",
    "template-injection", "artipacked"};

llvm::ArrayRef<llvm::StringLiteral> sema::overlayAllowances() {
  return allowances;
}

const Milestone *Plan::milestone(llvm::StringRef name) const {
  auto it = milestoneIndex.find(name);
  return it == milestoneIndex.end() ? nullptr : &milestones[it->second];
}

const Matrix *Plan::matrix(llvm::StringRef name) const {
  auto it = matrixIndex.find(name);
  return it == matrixIndex.end() ? nullptr : &matrices[it->second];
}

int Plan::channelIndex(llvm::StringRef name) const {
  for (size_t i = 0; i < channels.size(); ++i)
    if (channels[i] == name)
      return i;
  return -1;
}

const Check *Plan::check(llvm::StringRef name) const {
  for (const Check &c : checks)
    if (c.name == name)
      return &c;
  return nullptr;
}

const Partner *Plan::partner(llvm::StringRef name) const {
  for (const Partner &p : partners)
    if (p.project == name)
      return &p;
  return nullptr;
}

const Repository *Plan::repositoryNamed(llvm::StringRef name) const {
  if (name.empty())
    return &repository;
  for (const Repository &r : repositories)
    if (r.name == name)
      return &r;
  return nullptr;
}
