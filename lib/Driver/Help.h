//===- Help.h - relc --help and --version without llvm::cl's printers ----===//
//
// llvm::cl prints --help and --version to the process's standard output and
// then ends the process. The driver finds those options in the command line
// before llvm::cl sees it, and prints the same text to the stream it was
// given, so `relc --help` runs in memory and returns like any other command.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_DRIVER_HELP_H
#define RELC_DRIVER_HELP_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace llvm {
class raw_ostream;
namespace cl {
class Option;
class SubCommand;
class generic_parser_base;
} // namespace cl
} // namespace llvm

namespace relc {

/// What the command line asks for instead of running a command.
enum class InfoRequest {
  None,
  Help,           ///< --help, -h: options by category.
  HelpHidden,     ///< --help-hidden: hidden options too.
  HelpList,       ///< --help-list: options in one list.
  HelpListHidden, ///< --help-list-hidden.
  Version,        ///< --version (no subcommand has it).
};

/// The first of --help, -h, --help-hidden, --help-list, --help-list-hidden
/// and --version in \p args (the arguments after the program and the
/// subcommand, if any) that llvm::cl would act on; \p topLevel when no
/// subcommand was named. As in llvm::cl, `-help` is the group `-h -e -l -p`.
InfoRequest findInfoRequest(llvm::ArrayRef<const char *> args, bool topLevel);

/// What --help shows of an option that cl::Option does not tell: llvm::cl
/// gives no way from an Option to its parser (and the driver is built
/// without RTTI, as LLVM is).
struct OptionHelp {
  llvm::StringRef
      valueName; ///< `uint` in `--error-limit=<uint>`; empty: a flag.
  const llvm::cl::generic_parser_base *values = nullptr; ///< An enum's.
};

/// Prints the help of \p sub as llvm::cl would, byte for byte. \p describe
/// tells the value of an option; an option it does not know is a flag.
void printHelp(
    llvm::raw_ostream &os, llvm::cl::SubCommand &sub, llvm::StringRef program,
    llvm::StringRef overview, InfoRequest kind,
    llvm::function_ref<OptionHelp(const llvm::cl::Option &)> describe);

} // namespace relc

#endif // RELC_DRIVER_HELP_H
