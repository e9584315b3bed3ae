//===- Partners.cpp - Releases that go with releases of other projects ----===//
//
// A domain library's release pairs with one of PyTorch's (`with pytorch
// 2.4.0;` in torchvision 0.19.0): its wheels install beside that release's,
// so it builds only what that release builds. This file holds what a release
// reads of the releases it goes with once both are checked: their versions in
// text, and their matrices as the bounds of its own.
//
//===----------------------------------------------------------------------===//
#include "Sema/Sema.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace relc;
using namespace relc::sema;

std::optional<std::string> sema::partnerPlaceholder(const Plan &plan,
                                                    llvm::StringRef name) {
  auto [project, what] = name.split('.');
  const Partner *pt = what.empty() ? nullptr : plan.partner(project);
  if (!pt || !pt->plan->version)
    return std::nullopt;
  const Version &v = *pt->plan->version;
  if (what == "version")
    return v.str();
  if (what == "major")
    return std::to_string(v.major());
  if (what == "minor")
    return std::to_string(v.minor());
  if (what == "micro")
    return std::to_string(v.micro());
  return std::nullopt;
}

namespace {

/// The matrix of \p partner that \p m must lie within: the one of the same
/// name, else its only one.
const Matrix *partnerMatrix(const Plan &partner, const Matrix &m) {
  if (const Matrix *same = partner.matrix(m.name))
    return same;
  return partner.matrices.size() == 1 ? &partner.matrices[0] : nullptr;
}

/// One matrix against one partner's: the axes they share, by name, and what
/// the partner builds on them.
class Bounds {
public:
  Bounds(const Plan &plan, const Matrix &m, const Plan &partner,
         const Matrix &pm)
      : plan(plan), m(m), partner(partner), pm(pm) {
    for (size_t a = 0; a < m.axes.size(); ++a)
      for (size_t b = 0; b < pm.axes.size(); ++b)
        if (m.axes[a].name == pm.axes[b].name)
          shared.push_back({a, b});
    values.resize(shared.size());
    // The partner's channels as this plan's: a channel of the same name.
    std::vector<int> channelOf;
    for (const std::string &c : partner.channels)
      channelOf.push_back(plan.channelIndex(c));
    for (size_t leg = 0; leg < pm.legCount(); ++leg) {
      uint32_t mask = 0;
      for (size_t c = 0; c < channelOf.size(); ++c)
        if (channelOf[c] >= 0 && (pm.legChannels[leg] >> c & 1))
          mask |= 1u << channelOf[c];
      legs[key(leg, /*own=*/false)] |= mask;
      for (size_t i = 0; i < shared.size(); ++i)
        values[i].insert(pm.value(leg, shared[i].second).ref.str());
    }
    for (int c : channelOf)
      if (c >= 0)
        partnerChannels |= 1u << c;
  }

  bool empty() const { return shared.empty(); }
  bool check(DiagnosticEngine &diags);

private:
  std::string key(size_t leg, bool own) const {
    std::string k;
    for (const auto &[a, b] : shared)
      k += (own ? m.value(leg, a) : pm.value(leg, b)).ref.str() + "\n";
    return k;
  }
  const Plan &plan;
  const Matrix &m;
  const Plan &partner;
  const Matrix &pm;
  std::vector<std::pair<size_t, size_t>> shared; ///< (own axis, theirs).
  llvm::StringMap<uint32_t> legs; ///< Shared values -> this plan's channels.
  std::vector<llvm::StringSet<>> values; ///< Per shared axis: all built.
  uint32_t partnerChannels = 0;
};

bool Bounds::check(DiagnosticEngine &diags) {
  std::string who = plan.project + " " + plan.version->str();
  std::string them = partner.project + " " + partner.version->str();
  llvm::StringSet<> reported;
  bool ok = true;
  for (size_t leg = 0; leg < m.legCount(); ++leg) {
    auto it = legs.find(key(leg, /*own=*/true));
    uint32_t missing = it == legs.end()
                           ? ~0u
                           : m.legChannels[leg] & partnerChannels & ~it->second;
    if (it != legs.end() && !missing)
      continue;
    ok = false;
    // A value the partner never builds is the reason, wherever it occurs.
    const LegValue *culprit = nullptr;
    size_t culpritAxis = 0;
    for (size_t i = 0; i < shared.size() && !culprit; ++i) {
      const LegValue &v = m.value(leg, shared[i].first);
      if (!values[i].count(v.ref.str()))
        culprit = &v, culpritAxis = i;
    }
    if (culprit) {
      const MatrixAxis &axis = m.axes[shared[culpritAxis].first];
      std::string value = culprit->ref.str();
      if (!reported.insert(axis.name + "\n" + value).second)
        continue;
      diags.report(DiagKind::PartnerMatrix, culprit->range,
                   who + " builds " + axis.name + " " + value + " in matrix '" +
                       m.name + "', which " + them +
                       ", the release it goes with, does not build");
      diags.note(pm.axes[shared[culpritAxis].second].range.Start,
                 them + " builds these " + axis.name + " values");
      continue;
    }
    // Every value is built, but not together (or not for the channel).
    std::string combination;
    for (const auto &[a, b] : shared)
      combination += (combination.empty() ? "" : ", ") + m.axes[a].name + " " +
                     m.value(leg, a).ref.str();
    if (!reported.insert(combination).second)
      continue;
    std::string channels;
    if (it != legs.end())
      for (size_t c = 0; c < plan.channels.size(); ++c)
        if (missing >> c & 1)
          channels += (channels.empty() ? "" : ", ") + plan.channels[c];
    const LegValue &last = m.value(leg, shared.back().first);
    diags.report(DiagKind::PartnerMatrix, last.range,
                 who + " builds the leg (" + combination + ") in matrix '" +
                     m.name + "'" +
                     (channels.empty() ? "" : " for " + channels) + ", which " +
                     them + ", the release it goes with, " + "does not build" +
                     (channels.empty() ? "" : " for that channel"));
    diags.note(pm.range.Start, "the matrix of " + them);
  }
  return ok;
}

} // namespace

bool sema::checkPartnerMatrices(DiagnosticEngine &diags, const Plan &plan) {
  bool ok = true;
  for (const Matrix &m : plan.matrices)
    for (const Partner &pt : plan.partners) {
      const Matrix *pm = partnerMatrix(*pt.plan, m);
      if (!pm)
        continue;
      Bounds bounds(plan, m, *pt.plan, *pm);
      if (!bounds.empty())
        ok &= bounds.check(diags);
    }
  return ok;
}
