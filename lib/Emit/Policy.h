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
#include "Emit/Emit.h"
#include "Emit/Yaml.h"

#include <vector>

namespace relc::emit {

/// Something an overlay's edit did that relc's policy allows only when the
/// overlay says why.
struct PolicyFinding {
  llvm::StringRef allow; ///< One of sema::overlayAllowances().
  std::string what;      ///< "raises permissions (contents: read to write)"
};

/// What \p after, a job of \p backend (`github`, `gitlab`) as an overlay's
/// edit left it, does that \p before, the job before the edit, did not:
/// grant more permissions, lose or change its approval environment, start
/// by itself where relc starts it by hand, inherit all secrets, put an
/// expression into a script.
std::vector<PolicyFinding> overlayFindings(llvm::StringRef backend,
                                           const yaml::Node &before,
                                           const yaml::Node &after);

/// Pins every `uses:` of \p job (its steps' and its own) from \p lock:
/// `NAME`, `NAME@VERSION` or `NAME@SHA` of a locked action becomes
/// `NAME@SHA # VERSION`; a local action (`./...`) stays. Anything else (an
/// action the lock lacks, another ref, a docker image) is reported at
/// \p at, with the lock entry to add. False if anything was reported.
bool pinUses(DiagnosticEngine &diags, const ActionsLock &lock, yaml::Node &job,
             llvm::SMRange at);

/// Reports every scalar of \p root that holds text from a plan, model, lock
/// or path and that CI would evaluate: `${{` on GitHub. \p file names the
/// output. False if any.
bool checkDataIsInert(DiagnosticEngine &diags, const yaml::Node &root,
                      llvm::StringRef file);

/// \p name as a GitHub branch or tag filter that matches exactly it: the
/// filter characters (`*`, `?`, `+`, `[`, `]`, `!`, `\`) escaped.
std::string literalFilter(llvm::StringRef name);

/// \p text as a GitLab (RE2) regular expression between slashes that
/// matches exactly it: every metacharacter and `/` escaped.
std::string regexLiteral(llvm::StringRef text);

} // namespace relc::emit

#endif // RELC_EMIT_POLICY_H
