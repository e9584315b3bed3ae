//===- Help.cpp - relc --help and --version without llvm::cl's printers --===//
//
// The layout is LLVM 14's: an overview, a usage line, the subcommands (at
// the top level), then the options sorted by name, grouped by category
// unless a list is asked for, each with its help text in one column. The
// widths come from cl::Option::getOptionWidth, so they are llvm::cl's own.
// test/lit/Driver/help.test holds the text llvm::cl printed.
//
//===----------------------------------------------------------------------===//
#include "Driver/Help.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace relc;
namespace cl = llvm::cl;

InfoRequest relc::findInfoRequest(llvm::ArrayRef<const char *> args,
                                  bool topLevel) {
  for (llvm::StringRef arg : args) {
    if (arg == "--")
      break; // Everything after it is a positional argument.
    if (arg == "--help" || arg == "--h")
      return InfoRequest::Help;
    if (arg == "--help-hidden")
      return InfoRequest::HelpHidden;
    if (arg == "--help-list")
      return InfoRequest::HelpList;
    if (arg == "--help-list-hidden")
      return InfoRequest::HelpListHidden;
    if (topLevel && arg == "--version")
      return InfoRequest::Version;
    // A single dash starts a group of one-letter options; -h is the only
    // one, and llvm::cl acts on it before looking at the rest (`-help`).
    // `-h=x` is -h with a value, an error.
    if (arg.startswith("-h") && !arg.startswith("-h="))
      return InfoRequest::Help;
  }
  return InfoRequest::None;
}

namespace {

/// `  --name` (`  -n` for one letter) and its width with the ` - ` after it.
void printName(llvm::raw_ostream &os, llvm::StringRef name) {
  os << (name.size() == 1 ? "  -" : "  --") << name;
}
size_t nameWidth(llvm::StringRef name) {
  return 2 + (name.size() == 1 ? 1 : 2) + name.size() + 3;
}

/// The help text in the column at \p column, the cursor being at \p at.
void printText(llvm::raw_ostream &os, llvm::StringRef text, size_t column,
               size_t at, llvm::StringRef lead = "") {
  llvm::SmallVector<llvm::StringRef, 4> lines;
  text.split(lines, '\n');
  os.indent(column - at) << " - " << lead << lines[0] << "\n";
  for (llvm::StringRef line : llvm::drop_begin(lines))
    os.indent(column + lead.size()) << line << "\n";
}

/// One option as --help shows it, its text in the column at \p column.
/// \p o is null for llvm::cl's `-h`, which exists only while a command line
/// is parsed.
void printOption(llvm::raw_ostream &os, const cl::Option *o, size_t column,
                 const OptionHelp &help) {
  if (!o) {
    printName(os, "h");
    printText(os, "Alias for --help", column, nameWidth("h"));
    return;
  }
  const cl::generic_parser_base *values = help.values;
  if (!values) {
    printName(os, o->ArgStr);
    llvm::StringRef value = o->ValueStr.empty() ? help.valueName : o->ValueStr;
    if (!help.valueName.empty()) {
      if (o->getMiscFlags() & cl::PositionalEatsArgs)
        os << " <" << value << ">...";
      else if (o->getValueExpectedFlag() == cl::ValueOptional)
        os << "[=<" << value << ">]";
      else
        os << "=<" << value << ">";
    }
    printText(os, o->HelpStr, column, o->getOptionWidth());
    return;
  }
  // An enum: the option, then each value with its description.
  auto shown = [&](unsigned i) {
    return o->getValueExpectedFlag() != cl::ValueOptional ||
           !values->getOption(i).empty() || !values->getDescription(i).empty();
  };
  if (o->getValueExpectedFlag() == cl::ValueOptional)
    for (unsigned i = 0; i < values->getNumOptions(); ++i)
      if (values->getOption(i).empty()) {
        printName(os, o->ArgStr);
        printText(os, o->HelpStr, column, nameWidth(o->ArgStr));
        break;
      }
  printName(os, o->ArgStr);
  os << "=<value>";
  printText(os, o->HelpStr, column, nameWidth(o->ArgStr) + 8);
  for (unsigned i = 0; i < values->getNumOptions(); ++i) {
    if (!shown(i))
      continue;
    llvm::StringRef name = values->getOption(i);
    llvm::StringRef description = values->getDescription(i);
    os << "    =" << (name.empty() ? "<empty>" : name);
    size_t at = 5 + (name.empty() ? 7 : name.size()) + 3;
    if (description.empty())
      os << "\n";
    else
      printText(os, description, column, at, "  ");
  }
}

/// Every option category: those of the options of every subcommand, and
/// llvm::cl's general one, which may have none; sorted by name.
std::vector<cl::OptionCategory *> allCategories() {
  llvm::SmallPtrSet<cl::OptionCategory *, 8> seen;
  std::vector<cl::OptionCategory *> all;
  auto add = [&](cl::OptionCategory *c) {
    if (seen.insert(c).second)
      all.push_back(c);
  };
  add(&cl::getGeneralCategory());
  for (cl::SubCommand *sub : cl::getRegisteredSubcommands()) {
    for (const auto &entry : sub->OptionsMap)
      for (cl::OptionCategory *c : entry.getValue()->Categories)
        add(c);
    for (cl::Option *o : sub->PositionalOpts)
      for (cl::OptionCategory *c : o->Categories)
        add(c);
  }
  llvm::sort(all, [](cl::OptionCategory *a, cl::OptionCategory *b) {
    return a->getName() < b->getName();
  });
  return all;
}

} // namespace

void relc::printHelp(
    llvm::raw_ostream &os, cl::SubCommand &sub, llvm::StringRef program,
    llvm::StringRef overview, InfoRequest kind,
    llvm::function_ref<OptionHelp(const cl::Option &)> describe) {
  bool hidden =
      kind == InfoRequest::HelpHidden || kind == InfoRequest::HelpListHidden;
  bool byCategory =
      kind == InfoRequest::Help || kind == InfoRequest::HelpHidden;
  bool topLevel = &sub == &*cl::TopLevelSubCommand;

  // The options shown, each once, by name.
  struct Row {
    llvm::StringRef name;
    const cl::Option *option; ///< Null for -h.
  };
  std::vector<Row> rows;
  llvm::SmallPtrSet<const cl::Option *, 32> seen;
  const cl::Option *helpOption = nullptr;
  for (const auto &entry : sub.OptionsMap) {
    const cl::Option *o = entry.getValue();
    if (entry.getKey() == "help")
      helpOption = o;
    cl::OptionHidden flag = o->getOptionHiddenFlag();
    // Sorting by category, llvm::cl shows --help-list, which says how not to.
    if (byCategory && entry.getKey() == "help-list")
      flag = cl::NotHidden;
    if (flag == cl::ReallyHidden || (flag == cl::Hidden && !hidden))
      continue;
    if (seen.insert(o).second)
      rows.push_back({entry.getKey(), o});
  }
  // -h, an alias and so hidden, is registered only during parsing.
  if (hidden && helpOption && !sub.OptionsMap.count("h"))
    rows.push_back({"h", nullptr});
  llvm::sort(rows, [](const Row &a, const Row &b) { return a.name < b.name; });

  std::vector<cl::SubCommand *> subs;
  for (cl::SubCommand *s : cl::getRegisteredSubcommands())
    if (!s->getName().empty())
      subs.push_back(s);
  llvm::sort(subs, [](cl::SubCommand *a, cl::SubCommand *b) {
    return a->getName() < b->getName();
  });

  if (!overview.empty())
    os << "OVERVIEW: " << overview << "\n";
  if (topLevel) {
    os << "USAGE: " << program << (subs.size() > 2 ? " [subcommand]" : "")
       << " [options]";
  } else {
    if (!sub.getDescription().empty())
      os << "SUBCOMMAND '" << sub.getName() << "': " << sub.getDescription()
         << "\n\n";
    os << "USAGE: " << program << " " << sub.getName() << " [options]";
  }
  for (const cl::Option *o : sub.PositionalOpts) {
    if (o->hasArgStr())
      os << " --" << o->ArgStr;
    os << " " << o->HelpStr;
  }
  if (sub.ConsumeAfterOpt)
    os << " " << sub.ConsumeAfterOpt->HelpStr;
  if (topLevel && !subs.empty()) {
    size_t width = 0;
    for (cl::SubCommand *s : subs)
      width = std::max(width, s->getName().size());
    os << "\n\nSUBCOMMANDS:\n\n";
    for (cl::SubCommand *s : subs) {
      os << "  " << s->getName();
      if (!s->getDescription().empty())
        os.indent(width - s->getName().size()) << " - " << s->getDescription();
      os << "\n";
    }
    os << "\n  Type \"" << program
       << " <subcommand> --help\" to get more help on a specific subcommand";
  }
  os << "\n\n";

  size_t column = 0;
  for (const Row &r : rows)
    column = std::max(column, r.option ? r.option->getOptionWidth()
                                       : nameWidth(r.name));
  auto print = [&](const Row &r) {
    printOption(os, r.option, column,
                r.option ? describe(*r.option) : OptionHelp());
  };
  os << "OPTIONS:\n";
  if (!byCategory) {
    llvm::for_each(rows, print);
    return;
  }
  for (cl::OptionCategory *category : allCategories()) {
    std::vector<const Row *> in;
    for (const Row &r : rows) {
      const cl::Option *o = r.option ? r.option : helpOption;
      if (llvm::is_contained(o->Categories, category))
        in.push_back(&r);
    }
    if (in.empty() && !hidden)
      continue;
    os << "\n" << category->getName() << ":\n";
    if (!category->getDescription().empty())
      os << category->getDescription() << "\n\n";
    else
      os << "\n";
    if (in.empty())
      os << "  This option category has no options.\n";
    for (const Row *r : in)
      print(*r);
  }
}
