//===- DiagnosticFormats.cpp - Diagnostics for programs -------------------===//
//
// The formats of `--diagnostics-format` other than text (docs/diagnostics.md
// describes each): JSON Lines, GitHub Actions workflow commands, and SARIF
// 2.1.0 as GitHub code scanning reads it. Ranges are given as start and end,
// the end one past the last character, as SARIF counts them; a diagnostic
// at one point covers the character there, as the caret of the text form
// does. JSON and GitHub columns count bytes like the text form; SARIF
// columns count code points and the log says so (columnKind).
//
//===----------------------------------------------------------------------===//
#include "Basic/Config.h"
#include "Basic/DiagnosticDocs.h"
#include "Basic/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace relc;

namespace {

/// Where a diagnostic or a note is. line 0: no position in a file.
struct Place {
  llvm::StringRef file;
  unsigned line = 0, column = 0;
  unsigned endLine = 0, endColumn = 0;
};

enum class Columns { Bytes, CodePoints };

} // namespace

static unsigned codePointLength(const char *p, const char *end) {
  unsigned len = llvm::getNumBytesForUTF8(*p);
  return len == 0 || p + len > end ? 1 : len;
}

static std::pair<unsigned, unsigned> lineAndColumn(const llvm::SourceMgr &sm,
                                                   unsigned buf, const char *p,
                                                   Columns columns) {
  const char *start = sm.getMemoryBuffer(buf)->getBufferStart();
  const char *lineStart = p;
  while (lineStart > start && lineStart[-1] != '\n')
    --lineStart;
  unsigned column = 1;
  if (columns == Columns::Bytes)
    column += p - lineStart;
  else
    for (const char *c = lineStart; c < p; ++column)
      c += codePointLength(c, p);
  return {sm.FindLineNumber(llvm::SMLoc::getFromPointer(p), buf), column};
}

static Place placeOf(const llvm::SourceMgr &sm, llvm::SMRange range,
                     Columns columns) {
  Place place;
  if (!range.Start.isValid())
    return place;
  unsigned buf = sm.FindBufferContainingLoc(range.Start);
  if (!buf)
    return place;
  const llvm::MemoryBuffer *mb = sm.getMemoryBuffer(buf);
  const char *start = range.Start.getPointer();
  const char *bufEnd = mb->getBufferEnd();
  const char *end = range.End.isValid() ? range.End.getPointer() : nullptr;
  if (!end || end <= start || end > bufEnd) {
    // One point: the character there, or nothing past the end of a line.
    end = start;
    if (start < bufEnd && *start != '\n' && *start != '\r')
      end += codePointLength(start, bufEnd);
  }
  place.file = mb->getBufferIdentifier();
  std::tie(place.line, place.column) = lineAndColumn(sm, buf, start, columns);
  std::tie(place.endLine, place.endColumn) =
      lineAndColumn(sm, buf, end, columns);
  return place;
}

static const char *severityName(Severity s) {
  return s == Severity::Error     ? "error"
         : s == Severity::Warning ? "warning"
                                  : "note";
}

/// JSON strings must be UTF-8; a path or quoted text might not be.
static std::string utf8(llvm::StringRef s) {
  return llvm::json::isUTF8(s) ? s.str() : llvm::json::fixUTF8(s);
}

//===----------------------------------------------------------------------===//
// JSON Lines
//===----------------------------------------------------------------------===//

void DiagnosticEngine::printJson(const Diagnostic &d) {
  llvm::json::OStream j(os);
  Place p = placeOf(sm, d.range, Columns::Bytes);
  j.object([&] {
    j.attribute("kind", getDiagKindInfo(d.kind).id);
    j.attribute("severity", severityName(d.severity));
    j.attribute("message", utf8(d.message));
    if (p.line) {
      j.attribute("file", utf8(p.file));
      j.attribute("line", p.line);
      j.attribute("column", p.column);
      j.attribute("endLine", p.endLine);
      j.attribute("endColumn", p.endColumn);
    } else if (!d.subject.empty()) {
      j.attribute("file", utf8(d.subject));
    }
    j.attributeArray("notes", [&] {
      for (const DiagNote &n : d.notes) {
        Place np = placeOf(sm, llvm::SMRange(n.loc, n.loc), Columns::Bytes);
        j.object([&] {
          if (np.line) {
            j.attribute("file", utf8(np.file));
            j.attribute("line", np.line);
            j.attribute("column", np.column);
          }
          j.attribute("message", utf8(n.message));
        });
      }
    });
  });
  os << '\n';
}

//===----------------------------------------------------------------------===//
// GitHub Actions workflow commands
//===----------------------------------------------------------------------===//

/// The escaping the Actions runner undoes: in a message `%`, CR and LF; in a
/// property value also `:` and `,`, which would end it.
static std::string escapeGithub(llvm::StringRef s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    case ':':
      out += property ? "%3A" : ":";
      break;
    case ',':
      out += property ? "%2C" : ",";
      break;
    default:
      out += c;
    }
  }
  return out;
}

static void printGithubCommand(llvm::raw_ostream &os, const char *command,
                               const Place &p, llvm::StringRef file,
                               llvm::StringRef title, llvm::StringRef message) {
  os << "::" << command;
  char sep = ' ';
  auto property = [&](llvm::StringRef name, llvm::StringRef value) {
    os << sep << name << '=' << escapeGithub(value, /*property=*/true);
    sep = ',';
  };
  if (!file.empty())
    property("file", file);
  if (p.line) {
    property("line", std::to_string(p.line));
    // GitHub takes columns only for a range within one line.
    if (p.endLine == p.line)
      property("col", std::to_string(p.column));
    property("endLine", std::to_string(p.endLine));
    if (p.endLine == p.line)
      property("endColumn", std::to_string(p.endColumn));
  }
  property("title", title);
  os << "::" << escapeGithub(message, /*property=*/false) << '\n';
}

void DiagnosticEngine::printGithub(const Diagnostic &d) {
  llvm::StringRef kind = getDiagKindInfo(d.kind).id;
  Place p = placeOf(sm, d.range, Columns::Bytes);
  printGithubCommand(os, d.severity == Severity::Warning ? "warning" : "error",
                     p, p.line ? p.file : llvm::StringRef(d.subject), kind,
                     d.message);
  for (const DiagNote &n : d.notes) {
    Place np = placeOf(sm, llvm::SMRange(n.loc, n.loc), Columns::Bytes);
    printGithubCommand(os, "notice", np, np.file, kind, n.message);
  }
}

//===----------------------------------------------------------------------===//
// SARIF 2.1.0
//===----------------------------------------------------------------------===//

/// A path as an artifactLocation.uri: relative paths stay relative (GitHub
/// resolves them against the checkout), absolute ones become file: URIs;
/// every byte that a URI path may not hold as it is gets %-encoded.
static std::string artifactUri(llvm::StringRef path) {
  while (path.consume_front("./"))
    ;
  std::string uri = llvm::sys::path::is_absolute(path) ? "file://" : "";
  for (unsigned char c : path) {
    if (llvm::isAlnum(c) || llvm::StringRef("-._~/").contains(c))
      uri += c;
    else
      uri += "%" + llvm::utohexstr(c, /*LowerCase=*/false, /*Width=*/2);
  }
  return uri;
}

static void physicalLocation(llvm::json::OStream &j, llvm::StringRef file,
                             const Place &p) {
  j.attributeObject("physicalLocation", [&] {
    j.attributeObject("artifactLocation",
                      [&] { j.attribute("uri", artifactUri(file)); });
    j.attributeObject("region", [&] {
      // A diagnostic about a whole file: GitHub needs a line to show it.
      j.attribute("startLine", p.line ? p.line : 1);
      if (!p.line)
        return;
      j.attribute("startColumn", p.column);
      j.attribute("endLine", p.endLine);
      j.attribute("endColumn", p.endColumn);
    });
  });
}

static void sarifRule(llvm::json::OStream &j, const DiagKindInfo &info) {
  const DiagDoc *doc = findDiagDoc(info.id);
  j.object([&] {
    j.attribute("id", info.id);
    j.attributeObject("shortDescription",
                      [&] { j.attribute("text", info.summary); });
    if (doc) {
      j.attributeObject("fullDescription",
                        [&] { j.attribute("text", doc->meaning); });
      j.attributeObject("help", [&] {
        j.attribute("text", "Example: " + doc->example + "\nFix: " + doc->fix);
        j.attribute("markdown", "**Example:** " + doc->example +
                                    "\n\n**Fix:** " + doc->fix);
      });
    }
    j.attributeObject("defaultConfiguration", [&] {
      j.attribute("level",
                  info.severity == Severity::Warning ? "warning" : "error");
    });
  });
}

void DiagnosticEngine::printSarif(llvm::ArrayRef<Diagnostic> shown) {
  // A rule for each kind reported, in the order first reported.
  std::vector<DiagKind> rules;
  for (const Diagnostic &d : shown)
    if (!llvm::is_contained(rules, d.kind))
      rules.push_back(d.kind);

  llvm::json::OStream j(os, /*IndentSize=*/2);
  j.object([&] {
    j.attribute("$schema",
                "https://raw.githubusercontent.com/oasis-tcs/"
                "sarif-spec/master/Schemata/sarif-schema-2.1.0.json");
    j.attribute("version", "2.1.0");
    j.attributeArray("runs", [&] {
      j.object([&] {
        j.attributeObject("tool", [&] {
          j.attributeObject("driver", [&] {
            j.attribute("name", "relc");
            j.attribute("version", RELC_VERSION);
            j.attribute("semanticVersion", RELC_VERSION);
            if (!llvm::StringRef(RELC_INFORMATION_URI).empty())
              j.attribute("informationUri", RELC_INFORMATION_URI);
            j.attributeArray("rules", [&] {
              for (DiagKind k : rules)
                sarifRule(j, getDiagKindInfo(k));
            });
          });
        });
        j.attribute("columnKind", "unicodeCodePoints");
        j.attributeArray("results", [&] {
          for (const Diagnostic &d : shown) {
            Place p = placeOf(sm, d.range, Columns::CodePoints);
            llvm::StringRef file = p.line ? p.file : llvm::StringRef(d.subject);
            // Notes with a place are related locations; the others go into
            // the message.
            std::string message = d.message;
            std::vector<std::pair<Place, const DiagNote *>> related;
            for (const DiagNote &n : d.notes) {
              Place np =
                  placeOf(sm, llvm::SMRange(n.loc, n.loc), Columns::CodePoints);
              if (np.line)
                related.push_back({np, &n});
              else
                message += "\nnote: " + n.message;
            }
            j.object([&] {
              j.attribute("ruleId", getDiagKindInfo(d.kind).id);
              j.attribute("ruleIndex",
                          int64_t(llvm::find(rules, d.kind) - rules.begin()));
              j.attribute("level", severityName(d.severity));
              j.attributeObject("message",
                                [&] { j.attribute("text", utf8(message)); });
              if (!file.empty())
                j.attributeArray("locations", [&] {
                  j.object([&] { physicalLocation(j, utf8(file), p); });
                });
              if (related.empty())
                return;
              j.attributeArray("relatedLocations", [&] {
                for (size_t i = 0; i < related.size(); ++i)
                  j.object([&] {
                    j.attribute("id", int64_t(i + 1));
                    physicalLocation(j, utf8(related[i].first.file),
                                     related[i].first);
                    j.attributeObject("message", [&] {
                      j.attribute("text", utf8(related[i].second->message));
                    });
                  });
              });
            });
          }
        });
      });
    });
  });
  os << '\n';
}
