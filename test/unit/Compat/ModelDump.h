//===- ModelDump.h - A compatibility model as text, for tests --*- C++ -*-===//
//
// Everything a loaded model holds, locations as line:column, so that tests
// can compare two ways of getting a model (the two YAML readers, a fresh
// load and the on-disk cache) by comparing two strings.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_TEST_UNIT_COMPAT_MODELDUMP_H
#define RELC_TEST_UNIT_COMPAT_MODELDUMP_H

#include "Compat/Model.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace relc::test {
using namespace relc::compat;

inline std::string where(const llvm::SourceMgr &sm, llvm::SMLoc loc) {
  if (!loc.isValid())
    return "-";
  auto [line, col] = sm.getLineAndColumn(loc);
  return std::to_string(line) + ":" + std::to_string(col);
}

/// Everything the loader put into \p m, locations as line:column.
inline std::string dumpModel(const Model &m, const llvm::SourceMgr &sm) {
  std::string s;
  llvm::raw_string_ostream os(s);
  auto props = [&](const Properties &ps) {
    for (const auto &[name, p] : ps)
      os << " " << name << "=" << p.str() << (p.isList ? "[]" : "") << "@"
         << where(sm, p.loc);
  };
  auto entry = [&](const Entry &e) {
    os << "  " << e.label() << "@" << where(sm, e.loc) << " title=" << e.title
       << " from=" << e.versionsFrom << "@" << where(sm, e.versionsLoc)
       << " status=" << statusName(e.status) << "@" << where(sm, e.statusLoc)
       << " released=" << (e.released ? e.released->str() : "-") << "@"
       << where(sm, e.releasedLoc)
       << " bugfix=" << (e.endOfBugfix ? e.endOfBugfix->str() : "-")
       << " eol=" << (e.endOfLife ? e.endOfLife->str() : "-") << "@"
       << where(sm, e.endOfLifeLoc) << " ft=" << e.freeThreaded << "@"
       << where(sm, e.freeThreadedLoc);
    for (const auto &[comp, list] : e.supports) {
      os << " supports " << comp << "@" << where(sm, e.supportsLoc.at(comp));
      for (const Supported &v : list)
        os << " " << v.version.str() << "@" << where(sm, v.loc);
    }
    props(e.properties);
    for (const Override &o : e.overrides) {
      os << " override@" << where(sm, o.loc) << " when=\"" << o.whenText
         << "\"";
      props(o.properties);
    }
    os << "\n";
  };
  for (size_t i = 0; i < m.names.size(); ++i)
    os << "model " << m.names[i] << " " << m.paths[i] << "\n";
  for (const Axis &a : m.axes) {
    os << "axis " << a.name << "@" << where(sm, a.loc) << " " << a.title << " "
       << (a.kind == Axis::Kind::Version ? "version" : "name") << "\n";
    for (const Entry &e : a.values)
      entry(e);
  }
  for (const Component &c : m.components) {
    os << "component " << c.name << "@" << where(sm, c.loc) << " " << c.title
       << "\n";
    for (const Entry &e : c.versions)
      entry(e);
  }
  // A condition as the text it was parsed from, where it is.
  auto cond = [&](const char *what, const ast::ConditionPtr &c,
                  llvm::StringRef text) {
    if (c)
      os << " " << what << "=\"" << text << "\"@"
         << where(sm, llvm::SMLoc::getFromPointer(text.data()));
  };
  for (const Rule &r : m.rules) {
    os << "rule " << r.id << "@" << where(sm, r.loc) << " " << r.why << " "
       << (r.kind == Rule::Kind::Window ? "window" : "require")
       << " per=" << r.per << "@" << where(sm, r.perLoc) << " max=" << r.max
       << "@" << where(sm, r.maxLoc) << " axes=";
    for (unsigned a : r.axes)
      os << a << ",";
    cond("when", r.when, r.whenText);
    cond("require", r.require, r.requireText);
    cond("window", r.window, r.windowText);
    os << "\n";
  }
  return os.str();
}

} // namespace relc::test

#endif // RELC_TEST_UNIT_COMPAT_MODELDUMP_H
