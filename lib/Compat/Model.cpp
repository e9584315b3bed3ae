//===- Model.cpp - Looking things up in the compatibility model -----------===//
//
// The lookups are linear scans: a model has a handful of axes and a few dozen
// values each, fewer than it takes for a map to pay for itself, and vectors
// keep the model's order, which messages and ranges (`3.8 .. 3.12`) rely on.
//
//===----------------------------------------------------------------------===//
#include "Compat/Model.h"

#include "llvm/ADT/StringExtras.h"

using namespace relc;
using namespace relc::compat;

llvm::StringRef compat::statusName(Status s) {
  switch (s) {
  case Status::Unknown:
    return "unknown";
  case Status::Feature:
    return "feature";
  case Status::Prerelease:
    return "prerelease";
  case Status::Bugfix:
    return "bugfix";
  case Status::Security:
    return "security";
  case Status::EndOfLife:
    return "end-of-life";
  }
  return "unknown";
}

std::string Property::str() const { return llvm::join(items, ";"); }

const Entry *Axis::find(llvm::StringRef name) const {
  for (const Entry &e : values)
    if (!e.version && e.name == name)
      return &e;
  return nullptr;
}

static const Entry *findVersion(const std::vector<Entry> &entries,
                                const Version &v) {
  for (const Entry &e : entries)
    if (e.version && *e.version == v)
      return &e;
  return nullptr;
}

const Entry *Axis::find(const Version &v) const {
  return findVersion(values, v);
}

const Entry *Component::find(const Version &v) const {
  return findVersion(versions, v);
}

const Axis *Model::axis(llvm::StringRef name) const {
  int i = axisIndex(name);
  return i < 0 ? nullptr : &axes[i];
}

int Model::axisIndex(llvm::StringRef name) const {
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i].name == name)
      return static_cast<int>(i);
  return -1;
}

const Component *Model::component(llvm::StringRef name) const {
  for (const Component &c : components)
    if (c.name == name)
      return &c;
  return nullptr;
}

std::vector<std::string> Model::axisNames() const {
  std::vector<std::string> names;
  names.reserve(axes.size());
  for (const Axis &a : axes)
    names.push_back(a.name);
  return names;
}
