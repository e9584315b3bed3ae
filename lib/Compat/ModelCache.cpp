//===- ModelCache.cpp - Compiled models kept on disk ----------------------===//

#include "Compat/ModelCache.h"

#include "Basic/Config.h"
#include "Basic/Diagnostics.h"
#include "Syntax/Parser.h"

#include "Basic/SourceFiles.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>

using namespace relc;
using namespace relc::compat;
using llvm::StringRef;

namespace {

/// The layout of an entry; a change to it or to Model changes this.
constexpr uint32_t formatVersion = 1;
constexpr StringRef magic = "relc-model-cache\n";

class Writer {
public:
  Writer(llvm::ArrayRef<CachedFile> files) : files(files) {}
  std::string out;
  bool ok = true;

  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i)
      out += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  void u64(uint64_t v) {
    u32(static_cast<uint32_t>(v));
    u32(static_cast<uint32_t>(v >> 32));
  }
  void str(StringRef s) {
    u32(static_cast<uint32_t>(s.size()));
    out += s;
  }
  /// A place in one of the files: its index plus one (0: no place) and the
  /// offset.
  void loc(llvm::SMLoc l) {
    if (!l.isValid()) {
      u32(0);
      return;
    }
    for (size_t i = 0; i < files.size(); ++i) {
      const char *p = l.getPointer(), *b = files[i].text.begin();
      if (p >= b && p <= files[i].text.end()) {
        u32(static_cast<uint32_t>(i + 1));
        u32(static_cast<uint32_t>(p - b));
        return;
      }
    }
    ok = false; // Somewhere else: not this cache's to keep.
    u32(0);
  }
  /// A condition: where its text is; the tree is parsed again on reading.
  void cond(const ast::ConditionPtr &c, StringRef text) {
    if (!c) {
      u32(0);
      return;
    }
    loc(llvm::SMLoc::getFromPointer(text.data()));
    u32(static_cast<uint32_t>(text.size()));
  }
  void version(const std::optional<Version> &v) {
    u32(v ? 1 : 0);
    if (v)
      str(v->str());
  }
  void date(const std::optional<Date> &d) {
    u32(d ? 1 : 0);
    if (d)
      u64(static_cast<uint64_t>(d->toDays()));
  }
  void properties(const Properties &ps) {
    u32(static_cast<uint32_t>(ps.size()));
    for (const auto &[key, p] : ps) {
      str(key);
      u32(static_cast<uint32_t>(p.items.size()));
      for (const std::string &item : p.items)
        str(item);
      u32(p.isList);
      loc(p.loc);
    }
  }
  void entry(const Entry &e) {
    str(e.name);
    version(e.version);
    loc(e.loc);
    str(e.title);
    str(e.versionsFrom);
    loc(e.versionsLoc);
    u32(static_cast<uint32_t>(e.status));
    loc(e.statusLoc);
    date(e.released);
    date(e.endOfBugfix);
    date(e.endOfLife);
    loc(e.releasedLoc);
    loc(e.endOfLifeLoc);
    u32(e.freeThreaded);
    loc(e.freeThreadedLoc);
    u32(static_cast<uint32_t>(e.supports.size()));
    for (const auto &[component, list] : e.supports) {
      str(component);
      u32(static_cast<uint32_t>(list.size()));
      for (const Supported &s : list) {
        str(s.version.str());
        loc(s.loc);
      }
    }
    u32(static_cast<uint32_t>(e.supportsLoc.size()));
    for (const auto &[component, l] : e.supportsLoc) {
      str(component);
      loc(l);
    }
    properties(e.properties);
    u32(static_cast<uint32_t>(e.overrides.size()));
    for (const Override &o : e.overrides) {
      cond(o.when, o.whenText);
      properties(o.properties);
      loc(o.loc);
    }
  }
  void entries(const std::vector<Entry> &es) {
    u32(static_cast<uint32_t>(es.size()));
    for (const Entry &e : es)
      entry(e);
  }

private:
  llvm::ArrayRef<CachedFile> files;
};

/// Reads what Writer wrote; any shortfall or value out of range makes it
/// fail, and then nothing read counts.
class Reader {
public:
  Reader(DiagnosticEngine &diags, StringRef data,
         llvm::ArrayRef<CachedFile> files)
      : diags(diags), data(data), files(files) {}
  bool ok = true;

  bool atEnd() const { return pos == data.size(); }
  uint32_t u32() {
    if (data.size() - pos < 4) {
      ok = false;
      pos = data.size();
      return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<uint32_t>(static_cast<unsigned char>(data[pos + i]))
           << (8 * i);
    pos += 4;
    return v;
  }
  uint64_t u64() {
    uint64_t lo = u32();
    return lo | (static_cast<uint64_t>(u32()) << 32);
  }
  /// A count of things each at least \p least bytes long: never more than
  /// the data left could hold, so a corrupt count allocates nothing large.
  uint32_t count(size_t least = 4) {
    uint32_t n = u32();
    if (n > (data.size() - pos) / least) {
      ok = false;
      pos = data.size();
      return 0;
    }
    return n;
  }
  std::string str() {
    uint32_t n = u32();
    if (n > data.size() - pos) {
      ok = false;
      pos = data.size();
      return {};
    }
    std::string s = data.substr(pos, n).str();
    pos += n;
    return s;
  }
  bool flag() {
    uint32_t v = u32();
    ok &= v <= 1;
    return v == 1;
  }
  llvm::SMLoc loc() {
    uint32_t file = u32();
    if (file == 0)
      return {};
    uint32_t offset = u32();
    if (file > files.size() || offset > files[file - 1].text.size()) {
      ok = false;
      return {};
    }
    return llvm::SMLoc::getFromPointer(files[file - 1].text.data() + offset);
  }
  ast::ConditionPtr cond(StringRef &text) {
    llvm::SMLoc at = loc();
    if (!at.isValid())
      return nullptr;
    uint32_t size = u32();
    const char *p = at.getPointer();
    for (const CachedFile &f : files)
      if (p >= f.text.begin() && p <= f.text.end() &&
          size <= static_cast<size_t>(f.text.end() - p) && size > 0) {
        text = StringRef(p, size);
        // The same bytes parsed cleanly when the entry was made.
        ast::ConditionPtr c = parseCondition(diags, text);
        ok &= c != nullptr;
        return c;
      }
    ok = false;
    return nullptr;
  }
  std::optional<Version> version() {
    if (!flag())
      return std::nullopt;
    std::optional<Version> v = Version::parse(str());
    ok &= v.has_value();
    return v;
  }
  std::optional<Date> date() {
    if (!flag())
      return std::nullopt;
    // A date of a model is within years 0 to 9999 (Date::parse); an
    // altered entry's day count may be anything.
    int64_t days = static_cast<int64_t>(u64());
    if (days < -800000 || days > 3000000) {
      ok = false;
      return std::nullopt;
    }
    return Date::fromDays(days);
  }
  void properties(Properties &ps) {
    for (uint32_t n = count(); ok && n; --n) {
      std::string key = str();
      Property &p = ps[key];
      for (uint32_t m = count(); ok && m; --m)
        p.items.push_back(str());
      p.isList = flag();
      p.loc = loc();
    }
  }
  void entry(Entry &e) {
    e.name = str();
    e.version = version();
    e.loc = loc();
    e.title = str();
    e.versionsFrom = str();
    e.versionsLoc = loc();
    uint32_t status = u32();
    ok &= status <= static_cast<uint32_t>(Status::EndOfLife);
    e.status = static_cast<Status>(status);
    e.statusLoc = loc();
    e.released = date();
    e.endOfBugfix = date();
    e.endOfLife = date();
    e.releasedLoc = loc();
    e.endOfLifeLoc = loc();
    e.freeThreaded = flag();
    e.freeThreadedLoc = loc();
    for (uint32_t n = count(); ok && n; --n) {
      std::vector<Supported> &list = e.supports[str()];
      for (uint32_t m = count(); ok && m; --m) {
        std::optional<Version> v = Version::parse(str());
        ok &= v.has_value();
        if (v)
          list.push_back({*v, loc()});
      }
    }
    for (uint32_t n = count(); ok && n; --n) {
      std::string component = str();
      e.supportsLoc[component] = loc();
    }
    // Each list has its place, as the loader leaves them.
    for (const auto &s : e.supports)
      ok &= e.supportsLoc.count(s.first) == 1;
    properties(e.properties);
    for (uint32_t n = count(); ok && n; --n) {
      Override o;
      o.when = cond(o.whenText);
      properties(o.properties);
      o.loc = loc();
      ok &= o.when != nullptr;
      e.overrides.push_back(std::move(o));
    }
  }
  void entries(std::vector<Entry> &es) {
    uint32_t n = count();
    es.reserve(es.size() + n); // n is bounded by count().
    for (; ok && n; --n) {
      es.emplace_back();
      entry(es.back());
    }
  }

private:
  DiagnosticEngine &diags;
  StringRef data;
  size_t pos = 0;
  llvm::ArrayRef<CachedFile> files;
};

} // namespace

std::optional<std::string> compat::saveModel(const Model &model,
                                             llvm::ArrayRef<CachedFile> files) {
  Writer w(files);
  w.u32(static_cast<uint32_t>(model.names.size()));
  for (const std::string &name : model.names)
    w.str(name);
  w.u32(static_cast<uint32_t>(model.axes.size()));
  for (const Axis &a : model.axes) {
    w.str(a.name);
    w.str(a.title);
    w.u32(static_cast<uint32_t>(a.kind));
    w.loc(a.loc);
    w.entries(a.values);
  }
  w.u32(static_cast<uint32_t>(model.components.size()));
  for (const Component &c : model.components) {
    w.str(c.name);
    w.str(c.title);
    w.loc(c.loc);
    w.u32(c.paired);
    w.entries(c.versions);
  }
  w.u32(static_cast<uint32_t>(model.rules.size()));
  for (const Rule &r : model.rules) {
    w.str(r.id);
    w.u32(static_cast<uint32_t>(r.kind));
    w.loc(r.loc);
    w.str(r.why);
    w.cond(r.when, r.whenText);
    w.cond(r.require, r.requireText);
    w.cond(r.window, r.windowText);
    w.str(r.per);
    w.loc(r.perLoc);
    w.u32(r.max);
    w.loc(r.maxLoc);
    w.u32(static_cast<uint32_t>(r.axes.size()));
    for (unsigned a : r.axes)
      w.u32(a);
  }
  if (!w.ok)
    return std::nullopt;
  return std::move(w.out);
}

bool compat::restoreModel(llvm::SourceMgr &sm, StringRef data,
                          llvm::ArrayRef<CachedFile> files, Model &model) {
  // Conditions are parsed again from bytes that parsed before; should that
  // ever fail, the entry is ignored, and nothing of it may reach the user.
  DiagnosticEngine quiet(sm, llvm::nulls());
  Reader r(quiet, data, files);
  for (uint32_t n = r.count(); r.ok && n; --n)
    model.names.push_back(r.str());
  uint32_t naxes = r.count();
  model.axes.reserve(model.axes.size() + naxes);
  for (; r.ok && naxes; --naxes) {
    Axis &a = model.axes.emplace_back();
    a.name = r.str();
    a.title = r.str();
    uint32_t kind = r.u32();
    r.ok &= kind <= static_cast<uint32_t>(Axis::Kind::Name);
    a.kind = static_cast<Axis::Kind>(kind);
    a.loc = r.loc();
    r.entries(a.values);
  }
  uint32_t ncomponents = r.count();
  model.components.reserve(model.components.size() + ncomponents);
  for (; r.ok && ncomponents; --ncomponents) {
    Component &c = model.components.emplace_back();
    c.name = r.str();
    c.title = r.str();
    c.loc = r.loc();
    c.paired = r.flag();
    r.entries(c.versions);
  }
  uint32_t nrules = r.count();
  model.rules.reserve(model.rules.size() + nrules);
  for (; r.ok && nrules; --nrules) {
    Rule &rule = model.rules.emplace_back();
    rule.id = r.str();
    uint32_t kind = r.u32();
    r.ok &= kind <= static_cast<uint32_t>(Rule::Kind::Window);
    rule.kind = static_cast<Rule::Kind>(kind);
    rule.loc = r.loc();
    rule.why = r.str();
    rule.when = r.cond(rule.whenText);
    rule.require = r.cond(rule.requireText);
    rule.window = r.cond(rule.windowText);
    rule.per = r.str();
    rule.perLoc = r.loc();
    rule.max = r.u32();
    rule.maxLoc = r.loc();
    for (uint32_t m = r.count(); r.ok && m; --m)
      rule.axes.push_back(r.u32());
  }
  return r.ok && r.atEnd() && model.names.size() == files.size();
}

//===--------------------------------------------------------- on disk ===//

/// The header of an entry: the format, relc's version and build, and every
/// file's name and bytes, whole.
std::string ModelDiskCache::header(llvm::ArrayRef<CachedFile> files) const {
  // Sized first: the header holds the files whole, tens of KB that would
  // otherwise be copied at each doubling.
  size_t size =
      magic.size() + 3 * 4 + StringRef(RELC_VERSION).size() + build.size() + 4;
  for (const CachedFile &f : files)
    size += 2 * 4 + f.name.size() + f.text.size();
  Writer w({});
  w.out.reserve(size);
  w.out += magic;
  w.u32(formatVersion);
  w.str(RELC_VERSION);
  w.str(build);
  w.u32(static_cast<uint32_t>(files.size()));
  for (const CachedFile &f : files) {
    w.str(f.name);
    w.str(f.text);
  }
  return std::move(w.out);
}

/// An entry's file: named by a hash of its header; reading compares the
/// header byte for byte, so the hash only finds the entry.
static std::string pathFor(StringRef dir, StringRef header) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path,
                          "model-" + llvm::utohexstr(llvm::xxHash64(header),
                                                     /*LowerCase=*/true));
  return std::string(path);
}

static uint64_t readU64(StringRef bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return v;
}

std::string ModelDiskCache::entryPath(llvm::ArrayRef<CachedFile> files) const {
  return pathFor(dir, header(files));
}

std::optional<SavedModel>
ModelDiskCache::read(llvm::ArrayRef<CachedFile> files) const {
  if (dir.empty())
    return std::nullopt;
  std::string head = header(files);
  auto buf = llvm::MemoryBuffer::getFile(pathFor(dir, head),
                                         /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    return std::nullopt;
  StringRef text = (*buf)->getBuffer();
  if (!text.startswith(head))
    return std::nullopt;
  text = text.drop_front(head.size());
  // The payload's length and hash: a torn or altered entry reads as none.
  if (text.size() < 16)
    return std::nullopt;
  uint64_t size = readU64(text), hash = readU64(text.drop_front(8));
  StringRef payload = text.drop_front(16);
  if (payload.size() != size || llvm::xxHash64(payload) != hash)
    return std::nullopt;
  return SavedModel{std::move(*buf), payload};
}

void ModelDiskCache::write(llvm::ArrayRef<CachedFile> files,
                           StringRef data) const {
  if (dir.empty() || llvm::sys::fs::create_directories(dir))
    return;
  std::string head = header(files);
  Writer w({});
  w.out = head;
  w.u64(data.size());
  w.u64(llvm::xxHash64(data));
  w.out += data;
  std::string path = pathFor(dir, head);
  llvm::consumeError(writeFileAtomic(path, w.out, "tmp"));
  prune();
}

void ModelDiskCache::prune() const {
  // Each edit of a model makes an entry: keep the newest few. An entry
  // another run removes first, or reads as it goes, costs that run a load.
  std::vector<std::pair<llvm::sys::TimePoint<>, std::string>> entries;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    llvm::sys::fs::file_status st;
    if (!name.startswith("model-") || it->status().getError())
      continue;
    if (!llvm::sys::fs::status(it->path(), st))
      entries.emplace_back(st.getLastModificationTime(), it->path());
  }
  if (entries.size() <= maxEntries)
    return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i + maxEntries < entries.size(); ++i)
    llvm::sys::fs::remove(entries[i].second);
}
