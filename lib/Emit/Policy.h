//===- Policy.h - What generated CI may and may not do -----------*- C++
//-*-===//
//
// relc's CI files hold the least they need: no expression made from data,
// no permission, trigger or secret a job does not need, every action pinned
// from the lock, every approval gate in place. Overlays edit the generated
// jobs; the policy here says which edits need the plan to say
// `allow WHAT "reason"` (docs/step-graph.md, "Security").
//
//===----------------------------------------------------------------------===//
#ifndef RELC_EMIT_POLICY_H
#define RELC_EMIT_POLICY_H

#include "Basic/Diagnostics.h"
#include "Emit/Yaml.h"

namespace relc::emit {

/// Reports every scalar of \p root that holds text from a plan, model, lock
/// or path and that CI would evaluate: `${{` on GitHub. \p file names the
/// output. False if any.
bool checkDataIsInert(DiagnosticEngine &diags, const yaml::Node &root,
                      llvm::StringRef file);

/// \p name as a GitHub branch or tag filter that matches exactly it: the
/// filter characters (`*`, `?`, `+`, `[`, `]`, `!`, `\`) escaped.
std::string literalFilter(llvm::StringRef name);

} // namespace relc::emit

#endif // RELC_EMIT_POLICY_H
