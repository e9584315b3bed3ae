//===- ModelLoader.cpp - Reading a compatibility model from YAML ----------===//
//
// lib/Compat/FastYaml, or yaml-cpp for a file it leaves, turns the text into
// a tree whose nodes know their byte offset (Mark::pos); this file walks that
// tree (the Loader is a template over the two node types) against the model
// format (docs/compat-model.md) and reports every problem at its YAML line and
// column, through the same SourceMgr as plan diagnostics. yaml-cpp throws and
// nothing past lib/Syntax may, so every exception stops here. Conditions are
// parsed from the bytes of the YAML buffer itself, so an error inside a rule's
// condition points into the model file.
//
// YAML aliases are allowed (a list of cuDNN versions shared by several CUDA
// entries), but the walk counts the nodes it visits: one long list named by
// an alias from thousands of entries would otherwise make it quadratic in
// the size of the file.
//
//===----------------------------------------------------------------------===//
#include "Compat/FastYaml.h"
#include "Compat/Model.h"

#include "Basic/Diagnostics.h"
#include "Basic/SourceFiles.h"
#include "Basic/Suggest.h"
#include "Syntax/Parser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"

#include "yaml-cpp/depthguard.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/yaml.h"

#include <map>
#include <new>
#include <sstream>

using namespace relc;
using namespace relc::compat;
using llvm::SMRange;
using llvm::StringRef;

namespace {

const StringRef topKeys[] = {"format", "name", "axes", "components", "rules"};
const StringRef axisKeys[] = {"kind", "title", "doc", "values"};
const StringRef componentKeys[] = {"title", "doc", "versions"};
const StringRef overrideKeys[] = {"when", "properties"};
const StringRef ruleKeys[] = {"id",     "when", "require", "why",
                              "window", "per",  "max"};
// The keys every entry may have besides its identity.
const StringRef commonEntryKeys[] = {
    "status",   "released",   "end_of_bugfix", "end_of_life", "free_threaded",
    "supports", "properties", "overrides",     "title",       "note"};

const std::pair<StringRef, Status> statuses[] = {
    {"feature", Status::Feature},
    {"prerelease", Status::Prerelease},
    {"bugfix", Status::Bugfix},
    {"security", Status::Security},
    {"end-of-life", Status::EndOfLife}};

/// One pair of a mapping. The key's text is copied: yaml-cpp hands out
/// references into nodes. \p N is N or fastyaml::Node.
template <class N> struct Field {
  std::string name;
  N key, value;
  /// A bad key (not a scalar, given twice, not accepted here): reported
  /// when processing reaches the pair, which is then skipped, so that
  /// diagnostics come in document order.
  std::optional<DiagKind> problem;
  std::string message;
  size_t first = 0; ///< Duplicates: the index of the first occurrence.
};

/// The pairs of a mapping in document order, and the good ones by name.
template <class N> struct Fields {
  std::vector<Field<N>> items;
  llvm::StringMap<size_t> index;
  const Field<N> *get(StringRef name) const {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &items[it->second];
  }
};

/// What an entry is, which decides its identity key.
enum class EntryKind { VersionValue, NameValue, ComponentVersion };

template <class N> StringRef describe(const N &n) {
  switch (n.Type()) {
  case YAML::NodeType::Map:
    return "a mapping";
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Scalar:
    return "a scalar";
  default:
    return "nothing";
  }
}

/// What `found ...` says of a node: the text of a short scalar, else its
/// kind.
template <class N> std::string found(const N &n) {
  if (!n.IsScalar())
    return describe(n).str();
  const std::string &s = n.Scalar();
  if (n.Tag() == "!")
    return "the string \"" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) +
           "\"";
  if (s.size() > 40 || s.find('\n') != std::string::npos)
    return "a scalar";
  return "'" + s + "'";
}

/// The scalar value of \p key in \p map, or "": an entry's identity, read
/// before its other keys so that messages about them can name it.
template <class N> std::string scalarAt(const N &map, StringRef key) {
  for (const auto &pair : map)
    if (pair.first.IsScalar() && pair.first.Scalar() == key)
      return pair.second.IsScalar() ? pair.second.Scalar() : "";
  return "";
}

/// A name a plan can write where the model's name is expected: the IDENT
/// token of the grammar (`linux-x86_64`, `manylinux_2_28`).
bool isPlanName(StringRef s) {
  if (s.empty() || !(llvm::isAlpha(s[0]) || s[0] == '_'))
    return false;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (llvm::isAlnum(c) || c == '_')
      continue;
    if (c != '-' || i + 1 == s.size() || s[i + 1] == '-')
      return false;
  }
  return true;
}

bool isRuleId(StringRef s) {
  return !s.empty() && llvm::all_of(s, [](char c) {
    // Platform names such as linux-x86_64 and versions such as 2.2 appear
    // in ids.
    return llvm::isDigit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
           c == '.';
  });
}

std::vector<std::string> toStrings(llvm::ArrayRef<StringRef> refs) {
  std::vector<std::string> out;
  for (StringRef r : refs)
    out.push_back(r.str());
  return out;
}

/// Reads one model file into the model.
template <class N> class Loader {
  using Field = ::Field<N>;
  using Fields = ::Fields<N>;

public:
  Loader(DiagnosticEngine &diags, StringRef text, Model &model)
      : diags(diags), buf(text), model(model), budget(2 * text.size() + 64) {
    for (const Axis &a : model.axes)
      axisSeen.try_emplace(a.name, a.loc);
    for (const Component &c : model.components)
      componentSeen.try_emplace(c.name, c.loc);
    for (const Rule &r : model.rules)
      ruleSeen.try_emplace(r.id, r.loc);
  }

  void load(const N &root, StringRef path);
  SMLoc at(const YAML::Mark &m) const;

private:
  SMLoc at(const N &n) const { return at(n.Mark()); }
  std::optional<StringRef> verbatim(const N &n) const;
  SMRange rangeOf(const N &n) const;
  SMRange valueRange(const Field &f) const {
    // yaml-cpp places an empty value at the next token, often on the next
    // line; the key is where the reader looks.
    return f.value.IsNull() ? rangeOf(f.key) : rangeOf(f.value);
  }
  bool tick(const N &n);

  Fields
  readMapping(const N &map, llvm::ArrayRef<StringRef> allowed,
              const std::string &subject,
              llvm::function_ref<std::string(StringRef)> explain = nullptr);
  bool accept(const Fields &fields, const Field &f);
  void missing(const N &map, StringRef key, const std::string &subject,
               const llvm::Twine &hint = "");
  void wrongType(const Field &f, const std::string &subject,
                 const llvm::Twine &expected);

  bool expectMap(const Field &f, const std::string &subject,
                 const llvm::Twine &expected);
  bool expectList(const Field &f, const std::string &subject,
                  const llvm::Twine &expected);
  std::optional<std::string> scalar(const Field &f, const std::string &subject,
                                    const llvm::Twine &expected);
  std::optional<std::string> freeText(const Field &f,
                                      const std::string &subject);
  std::optional<std::string> planName(const Field &f,
                                      const std::string &subject);
  std::optional<Version> version(const N &n, const N &key,
                                 const llvm::Twine &what);
  std::optional<Date> date(const Field &f, const std::string &subject);
  std::optional<bool> boolean(const Field &f, const std::string &subject);
  std::optional<uint64_t> integer(const Field &f, const std::string &subject,
                                  const llvm::Twine &expected);
  /// Parses a condition; \p text gets its bytes in the buffer.
  ast::ConditionPtr condition(const Field &f, const std::string &subject,
                              StringRef &text);

  bool checkFormat(const Field &f);
  void checkPlanName(const Field &f, StringRef what);
  void loadAxis(const Field &f);
  void loadComponent(const Field &f);
  void loadEntries(const N &list, EntryKind kind, const std::string &owner,
                   std::vector<Entry> &out);
  bool loadEntry(const N &node, EntryKind kind, const std::string &owner,
                 size_t position, Entry &e);
  void loadSupports(const Field &f, const std::string &subject, Entry &e);
  void loadProperties(const Field &f, const std::string &subject,
                      Properties &out);
  void loadOverrides(const Field &f, const std::string &subject, Entry &e);
  void loadRule(const N &node, size_t position);

  DiagnosticEngine &diags;
  StringRef buf; ///< The text yaml-cpp parsed; Mark::pos is relative to it.
  Model &model;
  size_t visits = 0, budget;
  bool stopped = false;
  llvm::StringMap<SMLoc> axisSeen, componentSeen, ruleSeen;
};

} // namespace

//===----------------------------------------------------- locations ===//

template <class N> SMLoc Loader<N>::at(const YAML::Mark &m) const {
  size_t pos = m.pos < 0 ? 0 : std::min<size_t>(m.pos, buf.size());
  return SMLoc::getFromPointer(buf.data() + pos);
}

/// The bytes of scalar \p n in the buffer, without quotes, when the buffer
/// holds its value verbatim (no escapes, no folded lines, no tag).
template <class N>
std::optional<StringRef> Loader<N>::verbatim(const N &n) const {
  if (!n.IsScalar() || n.Mark().pos < 0 ||
      static_cast<size_t>(n.Mark().pos) >= buf.size())
    return std::nullopt;
  size_t pos = n.Mark().pos;
  const std::string &value = n.Scalar();
  char open = buf[pos];
  bool quoted = open == '"' || open == '\'';
  size_t begin = pos + (quoted ? 1 : 0);
  StringRef bytes = buf.substr(begin, value.size());
  if (bytes != value)
    return std::nullopt;
  // An escape always makes the source longer than its value, so equal bytes
  // followed by the closing quote mean there was none.
  if (quoted && buf.substr(begin + value.size(), 1) != StringRef(&open, 1))
    return std::nullopt;
  return bytes;
}

template <class N> SMRange Loader<N>::rangeOf(const N &n) const {
  SMLoc start = at(n);
  std::optional<StringRef> bytes = verbatim(n);
  if (!bytes)
    return {start, start};
  const char *end = bytes->end();
  if (bytes->data() != start.getPointer())
    ++end; // The closing quote.
  return {start, SMLoc::getFromPointer(end)};
}

template <class N> bool Loader<N>::tick(const N &n) {
  if (stopped)
    return false;
  if (++visits <= budget)
    return true;
  stopped = true;
  diags.report(DiagKind::ModelSyntax, at(n),
               "the model expands to too many nodes through its aliases; "
               "stopped reading it here");
  return false;
}

//===------------------------------------------------------ mappings ===//

/// Reads the pairs of \p map, marking keys that are not scalars, keys given
/// twice and, unless \p allowed is empty, keys not in it (\p explain may say
/// why a key known elsewhere is not accepted here).
template <class N>
Fields<N>
Loader<N>::readMapping(const N &map, llvm::ArrayRef<StringRef> allowed,
                       const std::string &subject,
                       llvm::function_ref<std::string(StringRef)> explain) {
  Fields fields;
  // Range-for keeps each pair alive; `it->first` would dangle (yaml-cpp's
  // operator-> returns a temporary proxy).
  for (const auto &pair : map) {
    if (!tick(pair.first))
      break;
    Field f;
    f.name = pair.first.IsScalar() ? pair.first.Scalar() : "";
    f.key = pair.first;
    f.value = pair.second;
    auto dup = fields.index.find(f.name);
    if (!f.key.IsScalar()) {
      f.problem = DiagKind::ModelType;
      f.message = "a key in " + subject + " must be a scalar; found " +
                  describe(f.key).str();
    } else if (dup != fields.index.end()) {
      f.problem = DiagKind::ModelDuplicateKey;
      f.message = "duplicate key '" + f.name + "' in " + subject;
      f.first = dup->second;
    } else if (!allowed.empty() && !llvm::is_contained(allowed, f.name)) {
      std::string why = explain ? explain(f.name) : std::string();
      if (why.empty())
        why = didYouMean(f.name, toStrings(allowed));
      f.problem = DiagKind::ModelUnknownKey;
      f.message = "unknown key '" + f.name + "' in " + subject + why;
    }
    // Unknown keys are indexed too, so that a repeated one is reported as
    // unknown once and as repeated after.
    if (f.key.IsScalar() && dup == fields.index.end())
      fields.index[f.name] = fields.items.size();
    fields.items.push_back(std::move(f));
  }
  // get() is for the good pairs only.
  for (const Field &f : fields.items)
    if (f.problem && f.problem != DiagKind::ModelDuplicateKey &&
        f.key.IsScalar())
      fields.index.erase(f.name);
  return fields;
}

/// Reports \p f if its key is bad; true when it is good.
template <class N>
bool Loader<N>::accept(const Fields &fields, const Field &f) {
  if (!f.problem)
    return true;
  diags.report(*f.problem, rangeOf(f.key), f.message);
  if (f.problem == DiagKind::ModelDuplicateKey)
    diags.note(at(fields.items[f.first].key),
               "'" + f.name + "' is first given here");
  return false;
}

template <class N>
void Loader<N>::missing(const N &map, StringRef key, const std::string &subject,
                        const llvm::Twine &hint) {
  diags.report(DiagKind::ModelMissingKey, at(map),
               "missing key '" + key + "' in " + subject + hint);
}

template <class N>
void Loader<N>::wrongType(const Field &f, const std::string &subject,
                          const llvm::Twine &expected) {
  diags.report(DiagKind::ModelType, valueRange(f),
               "'" + f.name + "' in " + subject + " must be " + expected +
                   "; found " + found(f.value));
}

template <class N>
bool Loader<N>::expectMap(const Field &f, const std::string &subject,
                          const llvm::Twine &expected) {
  if (f.value.IsMap())
    return true;
  wrongType(f, subject, expected);
  return false;
}

template <class N>
bool Loader<N>::expectList(const Field &f, const std::string &subject,
                           const llvm::Twine &expected) {
  if (f.value.IsSequence())
    return true;
  wrongType(f, subject, expected);
  return false;
}

//===---------------------------------------------------- scalars ===//

template <class N>
std::optional<std::string> Loader<N>::scalar(const Field &f,
                                             const std::string &subject,
                                             const llvm::Twine &expected) {
  if (f.value.IsScalar())
    return f.value.Scalar();
  wrongType(f, subject, expected);
  return std::nullopt;
}

/// Free text (`doc`, `note`, `why`): any scalar but an empty one.
template <class N>
std::optional<std::string> Loader<N>::freeText(const Field &f,
                                               const std::string &subject) {
  std::optional<std::string> s = scalar(f, subject, "text");
  if (s && StringRef(*s).trim().empty()) {
    diags.report(DiagKind::ModelType, valueRange(f),
                 "'" + f.name + "' in " + subject + " is empty");
    return std::nullopt;
  }
  return s;
}

template <class N>
std::optional<std::string> Loader<N>::planName(const Field &f,
                                               const std::string &subject) {
  std::optional<std::string> s = scalar(f, subject, "a name");
  if (s && !isPlanName(*s)) {
    diags.report(DiagKind::ModelType, valueRange(f),
                 "'" + f.name + "' in " + subject + " must be a name a " +
                     "plan can write (a letter or '_', then letters, " +
                     "digits, '_' and single inner '-'); found " +
                     found(f.value));
    return std::nullopt;
  }
  return s;
}

/// A version: a scalar \p n, or, when it is null, reported at \p key.
template <class N>
std::optional<Version> Loader<N>::version(const N &n, const N &key,
                                          const llvm::Twine &what) {
  SMRange where = n.IsNull() ? rangeOf(key) : rangeOf(n);
  if (!n.IsScalar()) {
    diags.report(DiagKind::ModelType, where,
                 what + " must be a version such as \"3.12\"; found " +
                     found(n));
    return std::nullopt;
  }
  StringRef s = n.Scalar();
  std::string err;
  std::optional<Version> v = Version::parse(s, &err);
  if (v)
    return v;
  std::string hint;
  if (s.size() > 1 && s.endswith("t") && llvm::isDigit(s[s.size() - 2]) &&
      Version::parse(s.drop_back()))
    hint = "; a free-threaded build is not a value of its own: write '" +
           s.drop_back().str() + "' with 'free_threaded: true'";
  diags.report(DiagKind::ModelType, where,
               "invalid version '" + s + "' for " + what + ": " + err + hint);
  return std::nullopt;
}

template <class N>
std::optional<Date> Loader<N>::date(const Field &f,
                                    const std::string &subject) {
  std::optional<std::string> s = scalar(f, subject, "a date (YYYY-MM-DD)");
  if (!s)
    return std::nullopt;
  std::string err;
  std::optional<Date> d = Date::parse(*s, &err);
  if (!d)
    diags.report(DiagKind::ModelType, valueRange(f),
                 "invalid date '" + *s + "' for '" + f.name + "' in " +
                     subject + ": " + err);
  return d;
}

template <class N>
std::optional<bool> Loader<N>::boolean(const Field &f,
                                       const std::string &subject) {
  // A quoted "true" is a string in YAML; other tools reading the model would
  // not see a boolean either.
  if (f.value.IsScalar() && f.value.Tag() != "!") {
    StringRef s = f.value.Scalar();
    if (s == "true" || s == "True" || s == "TRUE")
      return true;
    if (s == "false" || s == "False" || s == "FALSE")
      return false;
  }
  wrongType(f, subject, "true or false");
  return std::nullopt;
}

template <class N>
std::optional<uint64_t> Loader<N>::integer(const Field &f,
                                           const std::string &subject,
                                           const llvm::Twine &expected) {
  uint64_t n = 0;
  if (f.value.IsScalar() && f.value.Tag() != "!") {
    StringRef s = f.value.Scalar();
    if (!s.empty() && llvm::all_of(s, llvm::isDigit) &&
        !s.getAsInteger(10, n) && n <= UINT32_MAX)
      return n;
  }
  wrongType(f, subject, expected);
  return std::nullopt;
}

/// Parses a condition where the YAML file holds it, so that its diagnostics
/// point into the model.
template <class N>
ast::ConditionPtr Loader<N>::condition(const Field &f,
                                       const std::string &subject,
                                       StringRef &text) {
  if (!f.value.IsScalar()) {
    wrongType(f, subject, "a condition such as \"accel is cuda\"");
    return nullptr;
  }
  if (StringRef(f.value.Scalar()).trim().empty()) {
    diags.report(DiagKind::ModelType, valueRange(f),
                 "'" + f.name + "' in " + subject +
                     " is empty; expected a condition such as \"accel is "
                     "cuda\"");
    return nullptr;
  }
  std::optional<StringRef> bytes = verbatim(f.value);
  if (!bytes) {
    diags.report(DiagKind::ModelConditionLayout, at(f.value),
                 "write the condition of '" + f.name + "' in " + subject +
                     " on one line, plain or in quotes, without escapes");
    return nullptr;
  }
  text = *bytes;
  return parseCondition(diags, *bytes);
}

//===------------------------------------------------------- the model ===//

template <class N> bool Loader<N>::checkFormat(const Field &f) {
  std::optional<uint64_t> n = integer(f, "the model", "the integer 1");
  if (n && *n != 1) {
    diags.report(DiagKind::ModelFormat, valueRange(f),
                 "model format " + llvm::Twine(*n) +
                     " is not supported; this relc reads format 1");
    return false;
  }
  // A malformed `format` is most likely a typo of 1: read on.
  return true;
}

template <class N> void Loader<N>::load(const N &root, StringRef path) {
  model.paths.push_back(path.str());
  model.names.emplace_back();
  const std::string subject = "the model";
  if (!root.IsMap()) {
    diags.report(DiagKind::ModelType, at(root),
                 "a model must be a mapping with 'format' and 'name' at the "
                 "top level; found " +
                     found(root));
    return;
  }
  Fields top = readMapping(root, topKeys, subject);

  // Another format may mean anything: nothing more is read.
  if (const Field *f = top.get("format")) {
    if (!checkFormat(*f))
      return;
  } else {
    missing(root, "format", subject, " (write 'format: 1')");
  }
  if (!top.get("name"))
    missing(root, "name", subject);

  for (const Field &f : top.items) {
    if (!accept(top, f) || f.name == "format")
      continue;
    if (f.name == "name") {
      if (std::optional<std::string> name = freeText(f, subject))
        model.names.back() = *name;
    } else if (f.name == "axes") {
      if (!expectMap(f, subject, "a mapping of axis names to axes"))
        continue;
      Fields axes = readMapping(f.value, {}, "'axes'");
      for (const Field &axis : axes.items)
        if (accept(axes, axis))
          loadAxis(axis);
    } else if (f.name == "components") {
      if (!expectMap(f, subject,
                     "a mapping of component names to lists of versions"))
        continue;
      Fields components = readMapping(f.value, {}, "'components'");
      for (const Field &component : components.items)
        if (accept(components, component))
          loadComponent(component);
    } else if (f.name == "rules") {
      if (!expectList(f, subject, "a list of rules"))
        continue;
      size_t position = 0;
      for (const N &rule : f.value) {
        if (!tick(rule))
          break;
        loadRule(rule, ++position);
      }
    }
  }
}

/// Reports \p name defined a second time at \p range, or records it.
static bool firstDefinition(DiagnosticEngine &diags,
                            llvm::StringMap<SMLoc> &seen, StringRef what,
                            StringRef name, SMRange range) {
  auto [it, inserted] = seen.try_emplace(name, range.Start);
  if (inserted)
    return true;
  diags.report(DiagKind::ModelDuplicate, range,
               what + " '" + name + "' is defined twice");
  diags.note(it->second, "first defined here");
  return false;
}

template <class N>
void Loader<N>::checkPlanName(const Field &f, StringRef what) {
  if (!isPlanName(f.name))
    diags.report(DiagKind::ModelType, rangeOf(f.key),
                 what + " name '" + f.name + "' is not a name a plan can " +
                     "write (a letter or '_', then letters, digits, '_' " +
                     "and single inner '-')");
}

template <class N> void Loader<N>::loadAxis(const Field &f) {
  const std::string subject = "axis '" + f.name + "'";
  bool fresh = firstDefinition(diags, axisSeen, "axis", f.name, rangeOf(f.key));
  checkPlanName(f, "axis");
  if (!f.value.IsMap()) {
    diags.report(DiagKind::ModelType, valueRange(f),
                 subject +
                     " must be a mapping with 'kind' and 'values'; "
                     "found " +
                     found(f.value));
    return;
  }
  Fields fields = readMapping(f.value, axisKeys, subject);
  Axis axis;
  axis.name = f.name;
  axis.loc = at(f.key);

  // The kind decides how values are read, whatever the order of the keys.
  std::optional<EntryKind> kind;
  if (const Field *k = fields.get("kind")) {
    if (std::optional<std::string> s =
            scalar(*k, subject, "'version' or 'name'")) {
      if (*s == "version")
        kind = EntryKind::VersionValue;
      else if (*s == "name")
        kind = EntryKind::NameValue;
      else
        diags.report(DiagKind::ModelType, valueRange(*k),
                     "'kind' in " + subject +
                         " must be 'version' or 'name'; found " +
                         found(k->value) + didYouMean(*s, {"version", "name"}));
    }
  } else {
    missing(f.value, "kind", subject, " (version or name)");
  }
  if (kind)
    axis.kind = *kind == EntryKind::VersionValue ? Axis::Kind::Version
                                                 : Axis::Kind::Name;
  if (!fields.get("values"))
    missing(f.value, "values", subject);

  for (const Field &v : fields.items) {
    if (!accept(fields, v))
      continue;
    if (v.name == "title") {
      axis.title = freeText(v, subject).value_or("");
    } else if (v.name == "doc") {
      freeText(v, subject);
    } else if (v.name == "values") {
      if (!expectList(v, subject, "a list of values"))
        continue;
      if (v.value.size() == 0)
        diags.report(DiagKind::ModelType, valueRange(v),
                     subject + " has no values");
      else if (kind)
        loadEntries(v.value, *kind, f.name + " value", axis.values);
    }
  }
  if (fresh)
    model.axes.push_back(std::move(axis));
}

template <class N> void Loader<N>::loadComponent(const Field &f) {
  const std::string subject = "component '" + f.name + "'";
  bool fresh = firstDefinition(diags, componentSeen, "component", f.name,
                               rangeOf(f.key));
  checkPlanName(f, "component");
  Component component;
  component.name = f.name;
  component.loc = at(f.key);
  // A component is its list of versions, or a mapping that also gives the
  // title tables print (`title: "C++"`).
  const Field *versions = &f;
  Fields fields;
  if (f.value.IsMap()) {
    fields = readMapping(f.value, componentKeys, subject);
    versions = fields.get("versions");
    if (!versions) {
      missing(f.value, "versions", subject);
      return;
    }
    for (const Field &k : fields.items) {
      if (!accept(fields, k))
        continue;
      if (k.name == "title")
        component.title = freeText(k, subject).value_or("");
      else if (k.name == "doc")
        freeText(k, subject);
    }
  }
  // Plans name a component's versions (`cuda 12.4`), so it needs some.
  if (!versions->value.IsSequence() || versions->value.size() == 0) {
    diags.report(DiagKind::ModelType, valueRange(*versions),
                 subject +
                     " must be a non-empty list of versions such as "
                     "'- version: \"12.4\"'; found " +
                     (versions->value.IsSequence()
                          ? std::string("an empty list")
                          : found(versions->value)));
    return;
  }
  loadEntries(versions->value, EntryKind::ComponentVersion, f.name + " version",
              component.versions);
  if (fresh)
    model.components.push_back(std::move(component));
}

/// Loads the entries of \p list; equal ones are errors, and versions must
/// ascend. Only entries that loaded and are in order reach \p out, so the
/// model's lists are always ascending.
template <class N>
void Loader<N>::loadEntries(const N &list, EntryKind kind,
                            const std::string &owner, std::vector<Entry> &out) {
  llvm::StringMap<SMLoc> names;
  std::map<Version, SMLoc> versions;
  size_t position = 0;
  for (const N &node : list) {
    if (!tick(node))
      return;
    Entry e;
    if (!loadEntry(node, kind, owner, ++position, e))
      continue;
    if (!e.version) {
      auto [it, inserted] = names.try_emplace(e.name, e.loc);
      if (!inserted) {
        diags.report(DiagKind::ModelDuplicate, e.loc,
                     owner + " '" + e.name + "' is listed twice");
        diags.note(it->second, "first listed here");
        continue;
      }
      out.push_back(std::move(e));
      continue;
    }
    auto it = versions.find(*e.version);
    if (it != versions.end()) {
      diags.report(DiagKind::ModelDuplicate, e.loc,
                   owner + " '" + e.label() + "' is listed twice");
      diags.note(it->second, "first listed here");
      continue;
    }
    versions.emplace(*e.version, e.loc);
    if (!out.empty() && *e.version < *out.back().version) {
      diags.report(DiagKind::ModelOrder, e.loc,
                   owner + " '" + e.label() + "' comes after '" +
                       out.back().label() +
                       "'; versions must be listed in ascending order");
      diags.note(out.back().loc, "'" + out.back().label() + "' is here");
      continue;
    }
    out.push_back(std::move(e));
  }
}

template <class N>
bool Loader<N>::loadEntry(const N &node, EntryKind kind,
                          const std::string &owner, size_t position, Entry &e) {
  bool byName = kind == EntryKind::NameValue;
  StringRef idKey = byName ? "name" : "version";
  StringRef example = byName ? "{name: linux}" : "{version: \"3.12\"}";
  std::string subject = owner + " #" + std::to_string(position);
  if (!node.IsMap()) {
    diags.report(DiagKind::ModelType, at(node),
                 subject + " must be a mapping such as '" + example +
                     "'; found " + found(node));
    return false;
  }
  // The identity names the entry in every other message about it.
  std::string label = scalarAt(node, idKey);
  if (!label.empty() && label.size() <= 40)
    subject = owner + " '" + label + "'";

  llvm::SmallVector<StringRef, 12> allowed(std::begin(commonEntryKeys),
                                           std::end(commonEntryKeys));
  allowed.push_back(idKey);
  if (byName)
    allowed.push_back("versions");
  auto explain = [&](StringRef key) -> std::string {
    if (key == "name" || key == "version")
      return "; " +
             std::string(kind == EntryKind::ComponentVersion
                             ? "the versions of a component"
                         : byName ? "the values of a name axis"
                                  : "the values of a version axis") +
             " are identified by '" + idKey.str() + "'";
    if (key == "versions")
      return "; only values of a name axis take versions from a component";
    return "";
  };
  Fields fields = readMapping(node, allowed, subject, explain);

  bool ok = true;
  if (const Field *id = fields.get(idKey)) {
    if (byName) {
      std::optional<std::string> name = planName(*id, subject);
      ok = name.has_value();
      e.name = name.value_or("");
    } else {
      e.version = version(id->value, id->key, "'version' in " + subject);
      ok = e.version.has_value();
    }
    e.loc = valueRange(*id).Start;
  } else {
    missing(node, idKey, subject);
    ok = false;
  }

  for (const Field &f : fields.items) {
    if (!accept(fields, f) || f.name == idKey)
      continue;
    SMLoc loc = valueRange(f).Start;
    if (f.name == "versions") {
      if (std::optional<std::string> comp = planName(f, subject))
        e.versionsFrom = *comp;
      e.versionsLoc = loc;
    } else if (f.name == "status") {
      e.statusLoc = loc;
      std::optional<std::string> s =
          scalar(f, subject, "a status such as 'bugfix'");
      if (!s)
        continue;
      auto *it =
          llvm::find_if(statuses, [&](const auto &p) { return p.first == *s; });
      if (it != std::end(statuses)) {
        e.status = it->second;
        continue;
      }
      std::vector<std::string> names;
      for (const auto &p : statuses)
        names.push_back(p.first.str());
      diags.report(DiagKind::ModelType, valueRange(f),
                   "'status' in " + subject + " must be one of " +
                       llvm::join(names, ", ") + "; found " + found(f.value) +
                       didYouMean(*s, names));
    } else if (f.name == "released") {
      e.released = date(f, subject);
      e.releasedLoc = loc;
    } else if (f.name == "end_of_bugfix") {
      e.endOfBugfix = date(f, subject);
    } else if (f.name == "end_of_life") {
      e.endOfLife = date(f, subject);
      e.endOfLifeLoc = loc;
    } else if (f.name == "free_threaded") {
      e.freeThreaded = boolean(f, subject).value_or(false);
      e.freeThreadedLoc = loc;
    } else if (f.name == "supports") {
      loadSupports(f, subject, e);
    } else if (f.name == "properties") {
      loadProperties(f, subject, e.properties);
    } else if (f.name == "overrides") {
      loadOverrides(f, subject, e);
    } else if (f.name == "title") {
      e.title = freeText(f, subject).value_or("");
    } else if (f.name == "note") {
      freeText(f, subject);
    }
  }
  return ok;
}

template <class N>
void Loader<N>::loadSupports(const Field &f, const std::string &subject,
                             Entry &e) {
  if (!expectMap(f, subject,
                 "a mapping of components to lists of versions, such as "
                 "'{cudnn: [\"9.1.0.70\"]}'"))
    return;
  Fields comps = readMapping(f.value, {}, "the supports of " + subject);
  for (const Field &comp : comps.items) {
    if (!accept(comps, comp))
      continue;
    std::string what = "'" + comp.name + "' in the supports of " + subject;
    e.supportsLoc[comp.name] = valueRange(comp).Start;
    if (!comp.value.IsSequence()) {
      diags.report(DiagKind::ModelType, valueRange(comp),
                   what +
                       " must be a list of versions such as "
                       "[\"9.1.0.70\"]; found " +
                       found(comp.value));
      continue;
    }
    std::vector<Supported> &list = e.supports[comp.name];
    std::map<Version, SMLoc> seen;
    for (const N &item : comp.value) {
      if (!tick(item))
        return;
      std::optional<Version> v = version(item, comp.key, what);
      if (!v)
        continue;
      SMLoc loc = at(item);
      auto [it, inserted] = seen.emplace(*v, loc);
      if (!inserted) {
        diags.report(DiagKind::ModelDuplicate, rangeOf(item),
                     comp.name + " " + v->str() + " is listed twice in " +
                         "the supports of " + subject);
        diags.note(it->second, "first listed here");
        continue;
      }
      list.push_back({std::move(*v), loc});
    }
  }
}

template <class N>
void Loader<N>::loadProperties(const Field &f, const std::string &subject,
                               Properties &out) {
  if (!expectMap(f, subject,
                 "a mapping of property names to a scalar or a list of "
                 "scalars"))
    return;
  Fields props = readMapping(f.value, {}, "the properties of " + subject);
  for (const Field &p : props.items) {
    if (!accept(props, p))
      continue;
    Property prop;
    prop.loc = valueRange(p).Start;
    auto bad = [&](const N &n) {
      diags.report(DiagKind::ModelType, n.IsNull() ? valueRange(p) : rangeOf(n),
                   "property '" + p.name + "' of " + subject +
                       " must be a scalar or a list of scalars; found " +
                       found(n));
    };
    if (p.value.IsScalar()) {
      prop.items.push_back(p.value.Scalar());
    } else if (p.value.IsSequence()) {
      prop.isList = true;
      for (const N &item : p.value) {
        if (!tick(item))
          return;
        if (item.IsScalar())
          prop.items.push_back(item.Scalar());
        else
          bad(item);
      }
    } else {
      bad(p.value);
      continue;
    }
    out[p.name] = std::move(prop);
  }
}

template <class N>
void Loader<N>::loadOverrides(const Field &f, const std::string &subject,
                              Entry &e) {
  if (!expectList(f, subject,
                  "a list of overrides, each with 'when' and 'properties'"))
    return;
  std::string where = "an override of " + subject;
  for (const N &node : f.value) {
    if (!tick(node))
      return;
    if (!node.IsMap()) {
      diags.report(DiagKind::ModelType, at(node),
                   "each override of " + subject +
                       " must be a mapping with 'when' and 'properties'; "
                       "found " +
                       found(node));
      continue;
    }
    Fields fields = readMapping(node, overrideKeys, where);
    Override o;
    o.loc = at(node);
    for (const char *key : {"when", "properties"})
      if (!fields.get(key))
        missing(node, key, where);
    for (const Field &p : fields.items) {
      if (!accept(fields, p))
        continue;
      if (p.name == "when")
        o.when = condition(p, where, o.whenText);
      else if (p.name == "properties")
        loadProperties(p, where, o.properties);
    }
    // finishModel compiles the condition of every override: keep only
    // those that have one.
    if (o.when)
      e.overrides.push_back(std::move(o));
  }
}

template <class N> void Loader<N>::loadRule(const N &node, size_t position) {
  std::string subject = "rule #" + std::to_string(position);
  if (!node.IsMap()) {
    diags.report(DiagKind::ModelType, at(node),
                 subject +
                     " must be a mapping with 'id', 'why' and either "
                     "'when' and 'require' or 'window', 'per' and "
                     "'max'; found " +
                     found(node));
    return;
  }
  std::string label = scalarAt(node, "id");
  if (isRuleId(label) && label.size() <= 60)
    subject = "rule '" + label + "'";
  Fields fields = readMapping(node, ruleKeys, subject);

  // The two forms share only `id` and `why`; the first key of either form
  // decides which one the rule is, and a key of the other is misplaced.
  Rule rule;
  std::optional<Rule::Kind> form;
  for (const Field &f : fields.items)
    if (!f.problem && !form) {
      if (f.name == "when" || f.name == "require")
        form = Rule::Kind::Require;
      else if (f.name == "window" || f.name == "per" || f.name == "max")
        form = Rule::Kind::Window;
    }
  rule.kind = form.value_or(Rule::Kind::Require);
  bool window = rule.kind == Rule::Kind::Window;
  llvm::SmallVector<StringRef, 6> required = {"id"};
  if (window)
    required.append({"window", "per", "max"});
  else
    required.append({"when", "require"});
  required.push_back("why");
  bool ok = true;
  for (StringRef key : required)
    if (!fields.get(key)) {
      missing(node, key, subject,
              key == "when" && !form
                  ? " (a rule has 'when' and 'require', or 'window', "
                    "'per' and 'max')"
                  : "");
      ok = false;
    }

  for (const Field &f : fields.items) {
    if (!accept(fields, f)) {
      ok = false;
      continue;
    }
    bool requireKey = f.name == "when" || f.name == "require";
    bool windowKey = f.name == "window" || f.name == "per" || f.name == "max";
    if ((requireKey && window) || (windowKey && !window)) {
      diags.report(DiagKind::ModelUnknownKey, rangeOf(f.key),
                   "'" + f.name + "' does not belong in " + subject +
                       (window ? ", a window rule" : ", a 'when' rule") +
                       ": a rule has either 'when' and 'require', or "
                       "'window', 'per' and 'max'");
      ok = false;
      continue;
    }
    SMLoc loc = valueRange(f).Start;
    if (f.name == "id") {
      rule.loc = loc;
      std::optional<std::string> id = scalar(f, subject, "a rule id");
      if (id && !isRuleId(*id)) {
        diags.report(
            DiagKind::ModelType, valueRange(f),
            "rule id " + found(f.value) +
                " must be lower-case letters, digits, '-', '_' and '.'");
        id.reset();
      }
      ok &=
          id && firstDefinition(diags, ruleSeen, "rule id", *id, valueRange(f));
      rule.id = id.value_or("");
    } else if (f.name == "when" || f.name == "require" || f.name == "window") {
      bool when = f.name == "when", require = f.name == "require";
      ast::ConditionPtr &out = when      ? rule.when
                               : require ? rule.require
                                         : rule.window;
      out = condition(f, subject,
                      when      ? rule.whenText
                      : require ? rule.requireText
                                : rule.windowText);
      ok &= out != nullptr;
    } else if (f.name == "per") {
      std::optional<std::string> per = scalar(f, subject, "'major'");
      ok &= per.has_value();
      rule.per = per.value_or("");
      rule.perLoc = loc;
    } else if (f.name == "max") {
      std::optional<uint64_t> max =
          integer(f, subject, "a positive whole number");
      if (max && *max == 0) {
        diags.report(DiagKind::ModelType, valueRange(f),
                     "'max' in " + subject + " must be at least 1");
        max.reset();
      }
      ok &= max.has_value();
      rule.max = static_cast<unsigned>(max.value_or(0));
      rule.maxLoc = loc;
    } else if (f.name == "why") {
      std::optional<std::string> why = freeText(f, subject);
      ok &= why.has_value();
      rule.why = why.value_or("");
    }
  }
  if (ok)
    model.rules.push_back(std::move(rule));
}

//===------------------------------------------------------ the entry ===//

namespace {
/// Where yaml-cpp's parser finds a document's first node, and whether it
/// is an empty one.
class FirstNode : public YAML::EventHandler {
public:
  std::optional<YAML::Mark> mark;
  bool null = false;

private:
  void node(const YAML::Mark &m, bool isNull) {
    if (!mark) {
      mark = m;
      null = isNull;
    }
  }
  void OnDocumentStart(const YAML::Mark &) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark &m, YAML::anchor_t) override { node(m, true); }
  void OnAlias(const YAML::Mark &m, YAML::anchor_t) override { node(m, false); }
  void OnScalar(const YAML::Mark &m, const std::string &, YAML::anchor_t,
                const std::string &) override {
    node(m, false);
  }
  void OnSequenceStart(const YAML::Mark &m, const std::string &, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node(m, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark &m, const std::string &, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node(m, false);
  }
  void OnMapEnd() override {}
};
} // namespace

/// Where text follows the first document of \p text (whose tree is \p root),
/// if it does; a trailing `---` or `...` with nothing after is harmless.
///
/// YAML::Load reads one document and ignores the rest, and YAML::LoadAll
/// loops forever on text it cannot place after one (`"x",`), so the rest is
/// read here event by event. A block mapping can only be followed through a
/// document marker, so the usual model, which has none, is parsed once.
static std::optional<YAML::Mark> textAfterDocument(StringRef text,
                                                   const YAML::Node &root) {
  bool markers = false;
  for (StringRef rest = text; !rest.empty() && !markers;) {
    auto [line, next] = rest.split('\n');
    markers = line.startswith("---") || line.startswith("...");
    rest = next;
  }
  if (!markers && root.Style() == YAML::EmitterStyle::Block &&
      (root.IsMap() || root.IsSequence()))
    return std::nullopt;
  std::istringstream in(text.str());
  YAML::Parser parser(in);
  FirstNode first;
  if (!parser.HandleNextDocument(first))
    return std::nullopt;
  std::optional<int> lastEmpty;
  for (;;) {
    FirstNode doc;
    if (!parser.HandleNextDocument(doc) || !doc.mark)
      return std::nullopt;
    // Text the parser cannot place comes back as the same empty document
    // again and again.
    if (!doc.null || doc.mark->pos == lastEmpty)
      return doc.mark;
    lastEmpty = doc.mark->pos;
  }
}

bool compat::loadModelFile(DiagnosticEngine &diags, StringRef path,
                           SMRange namedAt, Model &model, ModelReader reader) {
  unsigned id = loadSourceFile(diags, path, namedAt, SourceKind::Model);
  return id && loadModelBuffer(diags, id, path, model, reader);
}

bool compat::loadModelBuffer(DiagnosticEngine &diags, unsigned id,
                             StringRef path, Model &model, ModelReader reader) {
  unsigned errorsBefore = diags.errorCount();
  StringRef text = sourceText(diags.getSourceMgr(), id);
  Loader<YAML::Node> loader(diags, text, model);
  try {
    // The common case: a file the fast reader understands whole, which then
    // gives yaml-cpp's very tree (FastYaml.h).
    if (reader == ModelReader::Fast)
      if (std::unique_ptr<fastyaml::Document> doc = fastyaml::parse(text)) {
        Loader<fastyaml::Node>(diags, text, model).load(doc->root(), path);
        return diags.errorCount() == errorsBefore;
      }
    YAML::Node root = YAML::Load(text.str());
    if (std::optional<YAML::Mark> more = textAfterDocument(text, root)) {
      diags.report(DiagKind::ModelSyntax, loader.at(*more),
                   "more YAML after the model; a model file holds one "
                   "document");
      return false;
    }
    if (root.IsNull()) {
      diags.report(DiagKind::ModelType, loader.at(root.Mark()),
                   "the model is empty; expected a mapping with 'format' and "
                   "'name'");
      return false;
    }
    loader.load(root, path);
  } catch (const YAML::DeepRecursion &e) {
    // yaml-cpp words this one "bad file".
    diags.report(DiagKind::ModelSyntax, loader.at(e.mark),
                 "invalid YAML: nested more than " +
                     llvm::Twine(e.depth() - 1) + " levels deep");
    return false;
  } catch (const YAML::Exception &e) {
    diags.report(DiagKind::ModelSyntax, loader.at(e.mark),
                 "invalid YAML: " + e.msg);
    return false;
  } catch (const std::bad_alloc &) {
    diags.report(DiagKind::InternalError, SMRange(),
                 "out of memory reading the model '" + path + "'");
    return false;
  } catch (const std::exception &e) {
    diags.report(DiagKind::InternalError, SMRange(),
                 "unexpected failure reading the model '" + path +
                     "': " + e.what());
    return false;
  } catch (...) {
    diags.report(DiagKind::InternalError, SMRange(),
                 "unexpected failure reading the model '" + path + "'");
    return false;
  }
  return diags.errorCount() == errorsBefore;
}
