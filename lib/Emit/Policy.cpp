//===- Policy.cpp - What generated CI may and may not do ------------------===//
#include "Emit/Policy.h"

#include "Basic/Printable.h"

using namespace relc;
using namespace relc::emit;
using yaml::Node;

/// Calls \p f on every scalar and key of \p n with the key's node.
template <class F> static void eachScalar(const Node &n, F f) {
  if (n.isScalar()) {
    f(n.text, n.origin);
    return;
  }
  for (const auto &[k, v] : n.map) {
    f(k, Node::Origin::Data);
    eachScalar(v, f);
  }
  for (const Node &item : n.seq)
    eachScalar(item, f);
}

bool emit::checkDataIsInert(DiagnosticEngine &diags, const Node &root,
                            llvm::StringRef file) {
  bool ok = true;
  eachScalar(root, [&](llvm::StringRef text, Node::Origin origin) {
    if (origin != Node::Origin::Data || !text.contains("${{"))
      return;
    diags.report(DiagKind::ExpressionInData, llvm::SMRange(),
                 file + ": '" + printable(text) +
                     "' holds '${{', which GitHub Actions would evaluate as "
                     "an expression; relc writes text from plans, models, "
                     "locks and paths as data only");
    ok = false;
  });
  return ok;
}

std::string emit::literalFilter(llvm::StringRef name) {
  std::string out;
  for (char c : name) {
    if (llvm::StringRef("*?+[]!\\").contains(c))
      out += '\\';
    out += c;
  }
  return out;
}
