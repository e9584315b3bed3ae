//===- PatchPolicy.cpp - The patch policy across a project's releases -----===//
//
// A release file's schedule can only count its own patches; a patch release
// in a file of its own, and a minor released while an older minor is still
// being patched, are seen only with the project's other release files. This
// is that check, over what `relc check` keeps of each file it checked.
//
//===----------------------------------------------------------------------===//
#include "Sema/Sema.h"

#include "Basic/Words.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace relc;
using namespace relc::sema;

ReleaseFacts sema::releaseFacts(const Plan &plan) {
  ReleaseFacts f;
  f.project = plan.project;
  f.version = *plan.version;
  if (plan.base)
    f.minor = plan.base->minor;
  if (const Milestone *m = plan.milestone("release"))
    f.release = *m;
  f.at = plan.file->releaseVersion->getRange();
  f.patches = plan.patches;
  auto max = plan.policy.find("max_per_minor");
  unsigned n;
  if (max != plan.policy.end() && max->second.size() == 1 &&
      !llvm::StringRef(max->second[0]).getAsInteger(10, n)) {
    f.maxPerMinor = n;
    f.maxAt = plan.policyAt.at("max_per_minor");
  }
  auto latest = plan.policyAt.find("only_latest_minor");
  if (latest != plan.policyAt.end()) {
    f.onlyLatestMinor = true;
    f.latestAt = latest->second;
  }
  return f;
}

namespace {
/// One patch release of a minor: its own file's, or its minor's schedule's.
struct PatchRef {
  Version version;
  std::optional<Date> date;
  llvm::SMRange at;
  const ReleaseFacts *policy; ///< Whose policy applies.
  bool ownFile;
};
using MinorKey = std::pair<uint64_t, uint64_t>;
MinorKey minorOf(const Version &v) { return {v.major(), v.minor()}; }
} // namespace

bool sema::checkPatchPolicy(DiagnosticEngine &diags,
                            llvm::ArrayRef<ReleaseFacts> releases) {
  unsigned before = diags.errorCount();
  std::map<std::string, std::map<MinorKey, std::map<Version, PatchRef>>>
      patches;
  std::map<std::string, std::vector<const ReleaseFacts *>> minors;
  for (const ReleaseFacts &r : releases) {
    if (r.minor) {
      std::optional<Date> d;
      if (r.release)
        d = r.release->date;
      // A file of its own says more than a schedule's line: it wins.
      patches[r.project][minorOf(r.version)].insert_or_assign(
          r.version, PatchRef{r.version, d, r.at, &r, true});
      continue;
    }
    minors[r.project].push_back(&r);
    for (const Patch &p : r.patches)
      patches[r.project][minorOf(r.version)].emplace(
          p.version, PatchRef{p.version, p.date, p.range, &r, false});
  }
  for (const auto &[project, byMinor] : patches)
    for (const auto &[key, list] : byMinor) {
      std::string minor =
          std::to_string(key.first) + "." + std::to_string(key.second);
      std::vector<std::string> earlier;
      for (const auto &[version, p] : list) {
        const ReleaseFacts &policy = *p.policy;
        // The minor's own schedule reports its surplus (patch-policy).
        if (policy.maxPerMinor && earlier.size() >= *policy.maxPerMinor &&
            p.ownFile) {
          diags.report(DiagKind::PatchLimit, p.at,
                       project + " " + version.str() + " is the " +
                           ordinal(earlier.size() + 1) + " patch release of " +
                           minor + " (after " + llvm::join(earlier, ", ") +
                           "); the patch policy allows " +
                           llvm::Twine(*policy.maxPerMinor) + " per minor");
          diags.note(policy.maxAt.Start, "the limit is set here");
        }
        earlier.push_back(version.str());
        if (!policy.onlyLatestMinor || !p.date)
          continue;
        // The first later minor released before the patch.
        const ReleaseFacts *later = nullptr;
        for (const ReleaseFacts *m : minors[project])
          if (minorOf(m->version) > key && m->release &&
              m->release->date < *p.date &&
              (!later || m->release->date < later->release->date))
            later = m;
        if (!later)
          continue;
        diags.report(DiagKind::PatchNotLatest, p.at,
                     project + " " + version.str() + " (" + p.date->str() +
                         ") patches " + minor + " after " +
                         later->version.str() + " was released (" +
                         later->release->date.str() +
                         "); the patch policy takes patches of the latest "
                         "minor only");
        diags.note(policy.latestAt.Start, "only_latest_minor is set here");
        diags.note(later->release->range.Start,
                   later->version.str() + " is released here");
      }
    }
  return diags.errorCount() == before;
}
