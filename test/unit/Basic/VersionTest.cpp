//===- VersionTest.cpp - Tests for PEP 440 versions -----------------------===//
//
// Table-driven tests of relc::Version: the PEP 440 total order (checked in
// both directions and through every comparison operator), the normalised
// spelling of the alternate forms PEP 440 accepts, the parsed fields, and the
// inputs that must be rejected together with the reasons given.
//
//===----------------------------------------------------------------------===//

#include "Basic/Version.h"

#include "gtest/gtest.h"

#include <vector>

using namespace relc;

namespace {

Version parsed(const char *text) {
  std::string err;
  std::optional<Version> v = Version::parse(text, &err);
  EXPECT_TRUE(v.has_value()) << "'" << text << "' did not parse: " << err;
  return v.value_or(Version());
}

int sign(int x) { return (x > 0) - (x < 0); }

struct OrderCase {
  const char *lhs;
  const char *rhs;
  int expected; // -1: lhs < rhs, 0: equal, 1: lhs > rhs.
};

const OrderCase orderCases[] = {
    // The pre/post/dev chain of the header comment.
    {"1.0.dev0", "1.0a0", -1},
    {"1.0a0", "1.0b0", -1},
    {"1.0b0", "1.0rc1", -1},
    {"1.0rc1", "1.0", -1},
    {"1.0", "1.0.post1", -1},
    {"1.0.dev0", "1.0.post1", -1},
    // A bare dev release comes before every pre-release of the same release.
    {"1.0.dev999", "1.0a0.dev0", -1},
    {"1.0.dev1", "1.0.dev2", -1},
    {"1.0a1.dev5", "1.0a1", -1},
    {"1.0a1", "1.0a1.post1.dev0", -1},
    {"1.0a1.post1.dev0", "1.0a1.post1", -1},
    {"1.0a1.post1", "1.0a2.dev0", -1},
    {"1.0a99", "1.0b0", -1},
    {"1.0b2", "1.0c1", -1},
    {"1.0c1", "1.0rc1", 0},
    {"1.0rc2", "1.0c3", -1},
    {"1.0rc1.post1", "1.0", -1},
    {"1.0", "1.0.post1.dev0", -1},
    {"1.0.post1.dev0", "1.0.post1", -1},
    {"1.0.post1", "1.0.post2.dev0", -1},
    {"1.0.post1", "1.0.1.dev0", -1},
    {"1.0.post1", "1.0-1", 0},
    {"1.0.post0", "1.0.post", 0},
    // Numeric, not textual, comparison of release segments.
    {"1.9", "1.10", -1},
    {"1.2.3", "1.12", -1},
    {"2.0", "10.0", -1},
    {"1.18446744073709551614", "1.18446744073709551615", -1},
    // Trailing zeros of the release do not count; other zeros do.
    {"1.0", "1.0.0", 0},
    {"1", "1.0.0.0", 0},
    {"1.0.0a1", "1a1", 0},
    {"1.0.0.1", "1.0", 1},
    {"1.0.1", "1.1", -1},
    // Epochs come first.
    {"1!0.1", "2.0", 1},
    {"1!1.0.dev0", "99.0.post9", 1},
    {"0!1.0", "1.0", 0},
    {"1!1.0", "2!0.1", -1},
    // Local labels.
    {"1.0", "1.0+local", -1},
    {"1.0+local", "1.0.post1", -1},
    {"1.0a1+local", "1.0a1.post0", -1},
    {"1.0+abc", "1.0+abc.1", -1},
    {"1.0+abc", "1.0+abd", -1},
    {"1.0+abc", "1.0+123", -1},    // Numeric after alphanumeric.
    {"1.0+123abc", "1.0+abc", -1}, // Alphanumeric: textual.
    {"1.0+9", "1.0+10", -1},       // Numeric: by value.
    {"1.0+1234.abc", "1.0+123456", -1},
    {"1.0+ubuntu.01", "1.0+ubuntu.1", 0},
    {"1.0+Ubuntu-1", "1.0+ubuntu_1", 0},
    {"1.0+ubuntu.1", "1.0+ubuntu1", -1}, // "ubuntu" < "ubuntu1"
    {"1.0+99999999999999999999999", "1.0+99999999999999999999998", 1},
    // Versions that release plans use.
    {"2.4.0rc1", "2.4.0", -1},
    {"2.3.1", "2.4.0rc1", -1},
    {"2.4.0", "2.4", 0},
    {"1.12.0a0", "1.12.0", -1},
    {"1.12.0", "1.13.0.dev20220601", -1},
    {"1.13.0.dev20220601", "1.13.0.dev20220602", -1},
    {"1.13.0.dev20220601", "1.13.0a0", -1},
    {"1.13.0.dev20220601", "1.13.0", -1},
    {"9.1.0", "9.1.0.70", -1},
    {"9.1.0.70", "9.1.0.8", 1},
    {"9.1.0.70", "12.1", -1},
    {"11.8", "12.1", -1},
    {"12.1", "12.1.0", 0},
    {"12.1", "12.1.1", -1},
    {"3.9", "3.10", -1},
    // Spellings normalise before they compare.
    {"v1.0", "1.0", 0},
    {"1.0-ALPHA.1", "1.0a1", 0},
    {"1.0preview2", "1.0rc2", 0},
    {"1.0.r3", "1.0.post3", 0},
    {"1.0-dev", "1.0.dev0", 0},
};

TEST(VersionTest, Ordering) {
  for (const OrderCase &c : orderCases) {
    SCOPED_TRACE(std::string(c.lhs) + " vs " + c.rhs);
    Version a = parsed(c.lhs), b = parsed(c.rhs);
    EXPECT_EQ(sign(a.compare(b)), c.expected);
    EXPECT_EQ(sign(b.compare(a)), -c.expected);
    EXPECT_EQ(a == b, c.expected == 0);
    EXPECT_EQ(a != b, c.expected != 0);
    EXPECT_EQ(a < b, c.expected < 0);
    EXPECT_EQ(a <= b, c.expected <= 0);
    EXPECT_EQ(a > b, c.expected > 0);
    EXPECT_EQ(a >= b, c.expected >= 0);
  }
}

// A strictly increasing sequence (mostly the one packaging's own tests use):
// every pair must compare as their positions do, which also checks that the
// order is transitive across pre, post, dev, local and epoch.
TEST(VersionTest, SortedSequence) {
  const char *sorted[] = {
      "1.0.dev456",
      "1.0a1",
      "1.0a2.dev456",
      "1.0a12.dev456",
      "1.0a12",
      "1.0b1.dev456",
      "1.0b2",
      "1.0b2.post345.dev456",
      "1.0b2.post345",
      "1.0b2-346",
      "1.0c1.dev456",
      "1.0c1",
      "1.0rc2",
      "1.0c3",
      "1.0",
      "1.0.post456.dev34",
      "1.0.post456",
      "1.1.dev1",
      "1.2+123abc",
      "1.2+123abc456",
      "1.2+abc",
      "1.2+abc123",
      "1.2+abc123def",
      "1.2+1234.abc",
      "1.2+123456",
      "1.2.r32+123456",
      "1.2.rev33+123456",
      "1.12.0a0",
      "1.13.0.dev20220601",
      "2.4.0rc1",
      "2.4.0",
      "9.1.0.70",
      "12.1",
      "1!0.1.dev0",
      "1!0.1",
      "2!0.0.1",
  };
  std::vector<Version> versions;
  for (const char *s : sorted)
    versions.push_back(parsed(s));
  for (size_t i = 0; i < versions.size(); ++i)
    for (size_t j = 0; j < versions.size(); ++j) {
      SCOPED_TRACE(std::string(sorted[i]) + " vs " + sorted[j]);
      EXPECT_EQ(sign(versions[i].compare(versions[j])),
                i < j ? -1 : (i > j ? 1 : 0));
    }
}

struct NormalCase {
  const char *input;
  const char *normal;
};

const NormalCase normalCases[] = {
    {"1.0", "1.0"},
    {"1.0.0", "1.0.0"}, // str() keeps the release as written.
    {"01.002.0003", "1.2.3"},
    {"v1.0", "1.0"},
    {"V2.4.0", "2.4.0"},
    {"0!1.0", "1.0"},
    {"1!2.0", "1!2.0"},
    {"007!1", "7!1"},
    {"1.0a1", "1.0a1"},
    {"1.0A1", "1.0a1"},
    {"1.0alpha1", "1.0a1"},
    {"1.0-alpha.1", "1.0a1"},
    {"1.0_ALPHA_1", "1.0a1"},
    {"1.0a", "1.0a0"},
    {"1.0a-1", "1.0a1"},
    {"1.0.a.1", "1.0a1"},
    {"1.0beta", "1.0b0"},
    {"1.0-beta-2", "1.0b2"},
    {"1.0b02", "1.0b2"},
    {"1.0c1", "1.0rc1"},
    {"1.0RC1", "1.0rc1"},
    {"1.0.rc.1", "1.0rc1"},
    {"1.0pre2", "1.0rc2"},
    {"1.0-pre", "1.0rc0"},
    {"1.0preview_3", "1.0rc3"},
    {"1.0.Preview", "1.0rc0"},
    {"1.0-1", "1.0.post1"},
    {"1.0post1", "1.0.post1"},
    {"1.0.post", "1.0.post0"},
    {"1.0_post_2", "1.0.post2"},
    {"1.0-r4", "1.0.post4"},
    {"1.0rev", "1.0.post0"},
    {"1.0.REV.5", "1.0.post5"},
    {"1.0a.post1", "1.0a0.post1"},
    {"1.0a1-1", "1.0a1.post1"},
    {"1.0dev", "1.0.dev0"},
    {"1.0-dev-3", "1.0.dev3"},
    {"1.0DEV7", "1.0.dev7"},
    {"1.0.post.dev", "1.0.post0.dev0"},
    {"1.0rc1r", "1.0rc1.post0"},
    // PEP 440's regular expression allows the separator after a label even
    // when the number is left out.
    {"1.0rc.", "1.0rc0"},
    {"1.0.post-", "1.0.post0"},
    {"1.0.DEV_", "1.0.dev0"},
    {"1.0a_-dev", "1.0a0.dev0"},
    {"1.0.post.dev.+abc", "1.0.post0.dev0+abc"},
    {"1.0+Ubuntu-1_2", "1.0+ubuntu.1.2"},
    {"1.0+abc.007", "1.0+abc.7"},
    {"1.0+0", "1.0+0"},
    {"1.0+000", "1.0+0"},
    {"1.0+foo0100", "1.0+foo0100"},
    {"1.13.0.dev20220601", "1.13.0.dev20220601"},
    {"9.1.0.70", "9.1.0.70"},
    {"v1!2.3.4RC5-6.DEV7+LOCAL.8", "1!2.3.4rc5.post6.dev7+local.8"},
    {"18446744073709551615", "18446744073709551615"},
};

TEST(VersionTest, Normalisation) {
  for (const NormalCase &c : normalCases) {
    SCOPED_TRACE(c.input);
    Version v = parsed(c.input);
    EXPECT_EQ(v.str(), c.normal);
    // The normal form is a fixed point and means the same version.
    Version again = parsed(v.str().c_str());
    EXPECT_EQ(again.str(), c.normal);
    EXPECT_EQ(again.compare(v), 0);
  }
}

TEST(VersionTest, Fields) {
  Version v = parsed("1!2.3.4rc5.post6.dev7+Local-8");
  EXPECT_EQ(v.epoch(), 1u);
  EXPECT_EQ(v.release().vec(), (std::vector<uint64_t>{2, 3, 4}));
  EXPECT_EQ(v.major(), 2u);
  EXPECT_EQ(v.minor(), 3u);
  EXPECT_EQ(v.micro(), 4u);
  EXPECT_EQ(v.component(3), 0u);
  EXPECT_EQ(v.component(100), 0u);
  EXPECT_EQ(v.preKind(), Version::PreKind::RC);
  EXPECT_EQ(v.preNumber(), 5u);
  EXPECT_EQ(v.post(), std::optional<uint64_t>(6));
  EXPECT_EQ(v.dev(), std::optional<uint64_t>(7));
  EXPECT_EQ(v.local().str(), "local.8");

  Version cuda = parsed("12.1");
  EXPECT_EQ(cuda.epoch(), 0u);
  EXPECT_EQ(cuda.release().size(), 2u);
  EXPECT_EQ(cuda.major(), 12u);
  EXPECT_EQ(cuda.minor(), 1u);
  EXPECT_EQ(cuda.micro(), 0u);
  EXPECT_EQ(cuda.preKind(), Version::PreKind::None);
  EXPECT_EQ(cuda.post(), std::nullopt);
  EXPECT_EQ(cuda.dev(), std::nullopt);
  EXPECT_EQ(cuda.local().str(), "");

  Version cudnn = parsed("9.1.0.70");
  EXPECT_EQ(cudnn.release().size(), 4u);
  EXPECT_EQ(cudnn.component(3), 70u);

  EXPECT_EQ(parsed("1.0a").preKind(), Version::PreKind::Alpha);
  EXPECT_EQ(parsed("1.0a").preNumber(), 0u);
  EXPECT_EQ(parsed("1.0beta3").preKind(), Version::PreKind::Beta);
  EXPECT_EQ(parsed("1.0beta3").preNumber(), 3u);
  EXPECT_EQ(parsed("1.0.post").post(), std::optional<uint64_t>(0));
  EXPECT_EQ(parsed("1.0.dev").dev(), std::optional<uint64_t>(0));
  EXPECT_EQ(parsed("1.0-7").post(), std::optional<uint64_t>(7));
  EXPECT_EQ(parsed("18446744073709551615").major(), UINT64_MAX);

  EXPECT_TRUE(parsed("1.0.dev0").isPrerelease());
  EXPECT_TRUE(parsed("1.0a1").isPrerelease());
  EXPECT_TRUE(parsed("2.4.0rc1").isPrerelease());
  EXPECT_TRUE(parsed("1.0.post1.dev0").isPrerelease());
  EXPECT_FALSE(parsed("1.0").isPrerelease());
  EXPECT_FALSE(parsed("1.0.post1").isPrerelease());
  EXPECT_FALSE(parsed("1.0+local").isPrerelease());
}

struct RejectCase {
  const char *input;
  const char *error; // nullptr: any message will do, but there must be one.
};

const RejectCase rejectCases[] = {
    {"", "empty version"},
    {" 1.0", "unexpected ' ' in version"},
    {"1.0 ", "unexpected ' ' in version"},
    {"1.0\n", "unexpected character 0x0a in version"},
    {"1.0x", "unexpected 'x' in version"},
    {"1.0.x", "unexpected 'x' in version"},
    {"x1.0", "unexpected 'x' in version"},
    {"-1.0", "unexpected '-' in version"},
    {".1", "unexpected '.' in version"},
    {"v", "expected a number after 'v'"},
    {"vv1.0", "unexpected 'v' in version"},
    {"1.", "trailing '.' in version"},
    {"1.0-", "trailing '-' in version"},
    {"1..0", nullptr},
    {"1!", "expected a release number after '!'"},
    {"!1.0", nullptr},
    {"1!2!3", nullptr},
    {"1.0rc.x", "unexpected 'x' in version"},
    {"1.0.post-+", "expected a local label segment after '+'"},
    {"1.0.dev__1", "unexpected '1' in version"},
    {"1.0a1a2", "unexpected 'a' in version"},
    {"1.0rc1.2", "unexpected '2' in version"},
    {"1.0alphabet", nullptr},
    {"1.0-alpha-beta", nullptr},
    {"1.0.dev1.post1", nullptr}, // post must come before dev
    {"1.0.dev1a1", nullptr},
    {"1.0.post1.post2", nullptr},
    {"1.0+", "expected a local label segment after '+'"},
    {"1.0+abc.", "expected a local label segment after '.'"},
    {"1.0+abc..d", "expected a local label segment after '.'"},
    {"1.0+a!b", "unexpected '!' in version"},
    {"1.0++a", nullptr},
    {"1.0+ubuntu 1", "unexpected ' ' in version"},
    {"1.0+abc+def", nullptr},
    {"1,0", "unexpected ',' in version"},
    {"18446744073709551616", "number 18446744073709551616 is too large"},
    {"1.99999999999999999999", "number 99999999999999999999 is too large"},
    {"18446744073709551616!1.0", nullptr},
    {"1.0rc18446744073709551616", nullptr},
    {"1.0.post18446744073709551616", nullptr},
    {"1.0-18446744073709551616", nullptr},
    {"1.0.dev18446744073709551616", nullptr},
};

TEST(VersionTest, Rejected) {
  for (const RejectCase &c : rejectCases) {
    SCOPED_TRACE(std::string("'") + c.input + "'");
    std::string err;
    std::optional<Version> v = Version::parse(c.input, &err);
    EXPECT_FALSE(v.has_value()) << "parsed as " << v->str();
    EXPECT_FALSE(err.empty());
    if (c.error) {
      EXPECT_EQ(err, c.error);
    }
    // Without an error string it fails just the same.
    EXPECT_FALSE(Version::parse(c.input).has_value());
  }
}

} // namespace
