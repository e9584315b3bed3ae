//===- Version.h - PEP 440 versions ---------------------------------------===//
//
// Release plans speak of PyTorch, Python, CUDA and cuDNN versions; all of them
// are compared with PEP 440 ordering (1.0.dev1 < 1.0a0 < 1.0b0 < 1.0rc1 < 1.0
// < 1.0.post1), so every version in relc is one of these, never a string.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_BASIC_VERSION_H
#define RELC_BASIC_VERSION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace relc {

class Version {
public:
  enum class PreKind { None, Alpha, Beta, RC };

  /// Parses a PEP 440 version, accepting the spellings PEP 440 normalises
  /// (`1.0-alpha.1`, `v1.0`, `1.0RC1`, `1.0.post`, ...). On failure returns
  /// std::nullopt and, if \p err is given, says why in a short phrase.
  static std::optional<Version> parse(llvm::StringRef text,
                                      std::string *err = nullptr);

  uint64_t epoch() const { return epochNum; }
  llvm::ArrayRef<uint64_t> release() const { return releaseNums; }
  /// release()[i], or 0 past its end (so 12.1 has micro() == 0).
  uint64_t component(size_t i) const;
  uint64_t major() const { return component(0); }
  uint64_t minor() const { return component(1); }
  uint64_t micro() const { return component(2); }
  PreKind preKind() const { return pre; }
  uint64_t preNumber() const { return preNum; }
  std::optional<uint64_t> post() const { return postNum; }
  std::optional<uint64_t> dev() const { return devNum; }
  llvm::StringRef local() const { return localLabel; }
  bool isPrerelease() const { return pre != PreKind::None || devNum; }
  /// A patch release (`2.4.1`): a final release whose micro is not 0. It
  /// stands on its minor (`2.4.0`), whose branch it ships from.
  bool isPatch() const { return micro() != 0 && !isPrerelease(); }
  /// The minor release a patch stands on: `2.4.0` for `2.4.1`.
  Version minorRelease() const;

  /// The normalised form (`1.0rc1`, `1.13.0.dev20220601`).
  std::string str() const;

  /// PEP 440 ordering; trailing zeros of the release do not count
  /// (`1.0 == 1.0.0`). Returns <0, 0 or >0.
  int compare(const Version &other) const;

  friend bool operator==(const Version &a, const Version &b) {
    return a.compare(b) == 0;
  }
  friend bool operator!=(const Version &a, const Version &b) {
    return a.compare(b) != 0;
  }
  friend bool operator<(const Version &a, const Version &b) {
    return a.compare(b) < 0;
  }
  friend bool operator<=(const Version &a, const Version &b) {
    return a.compare(b) <= 0;
  }
  friend bool operator>(const Version &a, const Version &b) {
    return a.compare(b) > 0;
  }
  friend bool operator>=(const Version &a, const Version &b) {
    return a.compare(b) >= 0;
  }

private:
  uint64_t epochNum = 0;
  llvm::SmallVector<uint64_t, 4> releaseNums;
  PreKind pre = PreKind::None;
  uint64_t preNum = 0;
  std::optional<uint64_t> postNum;
  std::optional<uint64_t> devNum;
  std::string localLabel;
};

} // namespace relc

#endif // RELC_BASIC_VERSION_H
