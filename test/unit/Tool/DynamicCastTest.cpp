//===- DynamicCastTest.cpp - Cached dynamic_cast against libstdc++ --------===//
//
// tools/relc/DynamicCast.cpp answers dynamic_casts from a cache keyed by the
// object's vtable pointer and the two types. The unit tests are linked the
// same way, so every dynamic_cast here goes through it; each is compared
// with libstdc++'s own answer (__real___dynamic_cast, given no hint) on
// hierarchies with multiple, repeated and virtual bases, failing and
// ambiguous casts, and casts made while an object is still being built.
//
//===----------------------------------------------------------------------===//
#include "gtest/gtest.h"

#include <typeinfo>
#include <utility>

extern "C" void *__real___dynamic_cast(const void *src, const void *srcType,
                                       const void *dstType,
                                       std::ptrdiff_t src2dst);

namespace {

struct A {
  virtual ~A() = default;
  int a = 1;
};
struct B : A {
  int b = 2;
};
struct C {
  virtual ~C() = default;
  int c = 3;
};
struct D : B, C {
  int d = 4;
};
struct V {
  virtual ~V() = default;
  int v = 5;
};
struct E : virtual V {
  int e = 6;
};
struct F : virtual V {
  int f = 7;
};
struct G : E, F, C {
  int g = 8;
};
struct R1 : A {};
struct R2 : A {};
struct H : R1, R2, C {}; // Two A subobjects: a cast to A from C is ambiguous.

/// libstdc++'s answer for `dynamic_cast<To *>(p)`, p of static type From.
template <class To, class From> To *reference(From *p) {
  return static_cast<To *>(
      __real___dynamic_cast(p, &typeid(From), &typeid(To), -1));
}

/// The cast through the cache, twice, against libstdc++.
template <class To, class From> void check(From *p) {
  To *expected = reference<To>(p);
  for (int i = 0; i < 2; ++i) // A miss, then a hit.
    EXPECT_EQ(dynamic_cast<To *>(p), expected)
        << typeid(From).name() << " -> " << typeid(To).name();
}

/// check<To>(p) for each type To of the list.
template <class... To, class From> void checkEach(From *p) {
  (check<To>(p), ...);
}

TEST(DynamicCastTest, SameAsLibstdcxx) {
  D d;
  B b;
  G g;
  H h;
  for (A *p : {static_cast<A *>(&d), static_cast<A *>(&b),
               static_cast<A *>(static_cast<R1 *>(&h)),
               static_cast<A *>(static_cast<R2 *>(&h))})
    checkEach<B, C, D, H, R1, R2, G>(p);
  // From C in H, A is ambiguous: null.
  for (C *p :
       {static_cast<C *>(&d), static_cast<C *>(&g), static_cast<C *>(&h)})
    checkEach<A, B, D, E, F, G, H, V>(p);
  checkEach<E, F, G, C, A>(static_cast<V *>(&g));
  // The pointer and the answer both differ per object; the offset does not.
  D d2;
  EXPECT_EQ(dynamic_cast<D *>(static_cast<C *>(&d2)), &d2);
  EXPECT_EQ(dynamic_cast<D *>(static_cast<C *>(&d)), &d);
}

/// Many classes, each with C at another offset from A, so that some share
/// a slot of the cache: a slot answered for another class would be wrong.
template <int N> struct Padded : A { int pad[N + 1] = {}; };
template <int N> struct Mixed : Padded<N>, C {};

template <int... N> void checkMixed(std::integer_sequence<int, N...>) {
  (
      [] {
        Mixed<N> m;
        check<A>(static_cast<C *>(&m));
        check<Padded<N>>(static_cast<C *>(&m));
        check<C>(static_cast<A *>(&m));
      }(),
      ...);
}

TEST(DynamicCastTest, ManyClasses) {
  checkMixed(std::make_integer_sequence<int, 300>());
}

struct Built;
struct Building {
  Building();
  virtual ~Building() = default;
  Built *seen = nullptr;
};
struct Built : Building {
  int x = 9;
};
Building::Building() { seen = dynamic_cast<Built *>(this); }

TEST(DynamicCastTest, WhileBuilding) {
  for (int i = 0; i < 3; ++i) {
    Built b;
    EXPECT_EQ(b.seen, nullptr); // Not yet a Built while Building runs.
    Building plain;
    std::pair<Building *, Built *> objects[] = {{&b, &b}, {&plain, nullptr}};
    for (auto [object, built] : objects)
      EXPECT_EQ(dynamic_cast<Built *>(object), built);
  }
}

} // namespace
