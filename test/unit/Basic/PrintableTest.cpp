//===- PrintableTest.cpp - Text shown on one line, nothing hidden ---------===//
#include "Basic/Printable.h"

#include "gtest/gtest.h"

using namespace relc;

TEST(Printable, LineBreaksOfEitherYamlAreEscaped) {
  EXPECT_EQ(printable("a\nb\r\nc\td"), "a\\nb\\r\\nc\\td");
  EXPECT_EQ(printable("a\xc2\x85"
                      "b\xe2\x80\xa8"
                      "c\xe2\x80\xa9"),
            "a\\x85b\\u2028c\\u2029");
}

TEST(Printable, ControlsAndInvisibleCharactersAreEscaped) {
  EXPECT_EQ(printable(std::string("\0\x1b\x7f", 3)), "\\x00\\x1B\\x7F");
  EXPECT_EQ(printable("\xef\xbb\xbf"
                      "bom"),
            "\\uFEFFbom");
  EXPECT_EQ(printable("x\xe2\x80\xae"
                      "y"),
            "x\\u202Ey"); // RLO
  EXPECT_EQ(printable("\xc2\xa0"), "\\xA0");
}

TEST(Printable, OtherTextStays) {
  EXPECT_EQ(printable("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 ${{ x }}"),
            "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 ${{ x }}");
  EXPECT_EQ(printable("back\\slash"), "back\\\\slash");
}

TEST(Printable, BytesThatAreNotUtf8AreEscaped) {
  EXPECT_EQ(printable("a\xff"
                      "b\xc3"),
            "a\\xFFb\\xC3");
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xED\\xA0\\x80"); // A surrogate.
}
