//===- DiagnosticDocs.cpp - Reading the kinds tables of the docs ----------===//
//
// Cells are split as GitHub splits them: at every `|` that is not escaped
// as `\|`, code spans included, so what relc reads is what the rendered
// page shows.
//
//===----------------------------------------------------------------------===//
#include "Basic/DiagnosticDocs.h"
#include "Basic/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"

using namespace relc;

static const char embeddedReference[] =
#include "Basic/DiagnosticsReference.inc"
    ;

llvm::StringRef relc::diagnosticsReference() {
  return llvm::StringRef(embeddedReference, sizeof embeddedReference - 1);
}

static std::vector<llvm::StringRef> splitRow(llvm::StringRef row) {
  row = row.trim();
  if (row.startswith("|"))
    row = row.drop_front();
  if (row.endswith("|") && !row.endswith("\\|"))
    row = row.drop_back();
  std::vector<llvm::StringRef> cells;
  size_t start = 0;
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\') {
      ++i;
      continue;
    }
    if (row[i] == '|') {
      cells.push_back(row.slice(start, i).trim());
      start = i + 1;
    }
  }
  cells.push_back(row.substr(start).trim());
  return cells;
}

static std::string unescape(llvm::StringRef cell) {
  std::string out;
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\\' && i + 1 < cell.size() && cell[i + 1] == '|')
      ++i;
    out += cell[i];
  }
  return out;
}

std::vector<DiagDoc> relc::parseDiagDocs(llvm::StringRef markdown) {
  std::vector<DiagDoc> docs;
  llvm::StringRef section;
  bool inTable = false;
  unsigned lineNo = 0;
  while (!markdown.empty()) {
    llvm::StringRef line;
    std::tie(line, markdown) = markdown.split('\n');
    line = line.rtrim("\r");
    ++lineNo;
    if (line.startswith("## ")) {
      section = line.drop_front(3).trim();
      inTable = false;
      continue;
    }
    if (!line.startswith("|")) {
      inTable = false;
      continue;
    }
    std::vector<llvm::StringRef> cells = splitRow(line);
    if (!inTable) {
      inTable = cells.size() == 4 && cells[0] == "kind" &&
                cells[1] == "meaning" && cells[2] == "example" &&
                cells[3] == "fix";
      continue;
    }
    if (llvm::all_of(cells, [](llvm::StringRef c) {
          return !c.empty() &&
                 c.find_first_not_of("-:") == llvm::StringRef::npos;
        }))
      continue; // The |---|---| line.
    DiagDoc d;
    d.section = section;
    d.row = line;
    d.line = lineNo;
    d.cells = cells.size();
    // `kind` (exit 2)
    llvm::StringRef kind = cells[0];
    if (kind.consume_front("`")) {
      size_t close = kind.find('`');
      d.id = kind.take_front(close).str();
      llvm::StringRef rest = kind.drop_front(std::min(close + 1, kind.size()));
      rest = rest.trim();
      if (rest.consume_front("(") && rest.consume_back(")"))
        d.marks = rest.str();
    } else {
      d.id = kind.str();
    }
    auto cell = [&](size_t i) {
      return i < cells.size() ? unescape(cells[i]) : std::string();
    };
    d.meaning = cell(1);
    d.example = cell(2);
    d.fix = cell(3);
    docs.push_back(std::move(d));
  }
  return docs;
}

llvm::ArrayRef<DiagDoc> relc::diagDocs() {
  static const std::vector<DiagDoc> docs =
      parseDiagDocs(diagnosticsReference());
  return docs;
}

const DiagDoc *relc::findDiagDoc(llvm::StringRef id) {
  for (const DiagDoc &d : diagDocs())
    if (d.id == id)
      return &d;
  return nullptr;
}

std::vector<std::string> relc::checkDiagDocs(llvm::ArrayRef<DiagDoc> docs) {
  std::vector<std::string> problems;
  auto at = [](const DiagDoc &d) {
    return "docs/diagnostics.md:" + std::to_string(d.line) + ": ";
  };
  for (const DiagKindInfo &k : allDiagKinds()) {
    std::vector<const DiagDoc *> rows;
    for (const DiagDoc &d : docs)
      if (d.id == k.id)
        rows.push_back(&d);
    if (rows.empty())
      problems.push_back("docs/diagnostics.md: kind '" + k.id.str() +
                         "' has no row");
    for (size_t i = 1; i < rows.size(); ++i)
      problems.push_back(at(*rows[i]) + "kind '" + k.id.str() +
                         "' has a second row");
    if (rows.empty())
      continue;
    const DiagDoc &d = *rows.front();
    std::string expected = k.io                              ? "exit 2"
                           : k.severity == Severity::Warning ? "warning"
                                                             : "";
    auto mark = [](const std::string &m) {
      return m.empty() ? std::string("no mark") : "'(" + m + ")'";
    };
    if (d.marks != expected)
      problems.push_back(at(d) + "the row of '" + d.id + "' has " +
                         mark(d.marks) + ", but Diagnostics.def asks for " +
                         mark(expected));
  }
  for (const DiagDoc &d : docs) {
    bool known = llvm::any_of(
        allDiagKinds(), [&](const DiagKindInfo &k) { return k.id == d.id; });
    if (!known) {
      problems.push_back(at(d) + "'" + d.id +
                         "' is not a kind in Diagnostics.def");
      continue;
    }
    if (d.cells != 4)
      problems.push_back(at(d) + "the row of '" + d.id + "' has " +
                         std::to_string(d.cells) +
                         " cells, not 4 (write '\\|' for a '|' in a cell)");
    auto needs = [&](const char *name, const std::string &text) {
      if (llvm::StringRef(text).trim().empty())
        problems.push_back(at(d) + "the row of '" + d.id + "' has no " + name);
    };
    needs("meaning", d.meaning);
    needs("example", d.example);
    needs("fix", d.fix);
  }
  return problems;
}
