//===- SmallHeapTest.cpp - relc's operator new for small blocks -----------===//
//
// The unit tests are linked with tools/relc/SmallHeap.cpp, as relc is (not in
// sanitized builds, which keep the sanitizer's allocator), so every test of
// the suite allocates through it. These check its own promises: requests
// of up to 256 bytes come from the small heap, rounded up to 16 and aligned
// to 16; a freed block is reused for its size only; blocks never overlap,
// across slabs and across threads that free each other's blocks; larger
// requests, and requests of no bytes, go to malloc; and every form of new
// pairs with every form of delete.
//
//===----------------------------------------------------------------------===//
#include "gtest/gtest.h"

#ifdef RELC_SMALL_HEAP

#include "SmallHeap.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace relc::smallheap;

namespace {

size_t roundedUp(size_t n) { return (n + 15) / 16 * 16; }

TEST(SmallHeapTest, SmallRequestsAreRoundedAlignedBlocks) {
  for (size_t n = 1; n <= maxSmall; ++n) {
    void *p = operator new(n);
    EXPECT_TRUE(owns(p)) << n;
    EXPECT_EQ(blockSize(p), roundedUp(n)) << n;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u) << n;
    std::memset(p, 0xab, n);
    operator delete(p);
  }
}

TEST(SmallHeapTest, LargeAndEmptyRequestsGoToMalloc) {
  for (size_t n : {size_t(0), maxSmall + 1, size_t(4096), size_t(1) << 20}) {
    void *p = operator new(n);
    ASSERT_NE(p, nullptr);
    EXPECT_FALSE(owns(p)) << n;
    EXPECT_EQ(blockSize(p), 0u) << n;
    std::memset(p, 0xcd, n);
    operator delete(p);
  }
  // Two requests of no bytes are still two objects.
  void *a = operator new(0), *b = operator new(0);
  EXPECT_NE(a, b);
  operator delete(a);
  operator delete(b);
  EXPECT_FALSE(owns(nullptr));
  operator delete(nullptr);
}

// Under `ulimit -v` the heap's range takes a quarter of the limit, in whole
// slabs of 1 KiB, leaving the rest to malloc; without a limit, the most it
// takes; nothing where not one slab fits.
TEST(SmallHeapTest, RegionLeavesMostOfAnAddressSpaceLimitToMalloc) {
  using relc::smallheap::maxRegion;
  using relc::smallheap::regionFor;
  EXPECT_EQ(regionFor(0), maxRegion);
  EXPECT_EQ(regionFor(uint64_t(256) << 20), size_t(64) << 20);
  EXPECT_EQ(regionFor(uint64_t(64) << 30), maxRegion);
  EXPECT_EQ(regionFor(10000), 2048u);
  EXPECT_EQ(regionFor(4000), 0u);
}

TEST(SmallHeapTest, FreedBlockIsReusedForItsSizeOnly) {
  void *p = operator new(40);
  operator delete(p);
  void *other = operator new(24); // Another size: never the freed block.
  EXPECT_NE(other, p);
  void *same = operator new(48); // 40 and 48 share a size.
  EXPECT_EQ(same, p);
  operator delete(other);
  operator delete(same);
}

// Blocks of all sizes, filled with a pattern of their own, some freed and
// made again; every pattern must survive. 20,000 blocks of one size need
// many slabs.
TEST(SmallHeapTest, BlocksNeverOverlap) {
  struct Block {
    unsigned char *p;
    size_t n;
    unsigned char mark;
  };
  std::mt19937 rng(7);
  std::vector<Block> blocks;
  auto make = [&](size_t n) {
    auto mark = static_cast<unsigned char>(rng());
    auto *p = static_cast<unsigned char *>(operator new(n));
    std::memset(p, mark, n);
    blocks.push_back({p, n, mark});
  };
  for (int i = 0; i < 20000; ++i)
    make(16);
  for (int i = 0; i < 20000; ++i)
    make(1 + rng() % 400);
  for (size_t i = 0; i < blocks.size(); i += 2)
    operator delete(blocks[i].p, blocks[i].n);
  std::vector<Block> kept;
  for (size_t i = 1; i < blocks.size(); i += 2)
    kept.push_back(blocks[i]);
  blocks = std::move(kept);
  for (int i = 0; i < 30000; ++i)
    make(1 + rng() % 300);
  for (const Block &b : blocks)
    for (size_t i = 0; i < b.n; ++i)
      ASSERT_EQ(b.p[i], b.mark);
  for (const Block &b : blocks)
    operator delete(b.p);
}

// Threads make blocks, hand half of them to the next thread to check and
// free, and free the other half themselves.
TEST(SmallHeapTest, ThreadsFreeEachOthersBlocks) {
  constexpr int numThreads = 4, perThread = 20000;
  std::vector<std::vector<std::pair<unsigned char *, size_t>>> made(numThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < numThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      for (int i = 0; i < perThread; ++i) {
        size_t n = 1 + rng() % maxSmall;
        auto *p = static_cast<unsigned char *>(operator new(n));
        std::memset(p, t, n);
        if (i % 2)
          operator delete(p);
        else
          made[t].push_back({p, n});
      }
    });
  for (std::thread &t : threads)
    t.join();
  threads.clear();
  std::atomic<int> damaged{0};
  for (int t = 0; t < numThreads; ++t)
    threads.emplace_back([&, t] {
      int from = (t + 1) % numThreads;
      for (auto [p, n] : made[from]) {
        for (size_t i = 0; i < n; ++i)
          if (p[i] != from)
            ++damaged;
        operator delete(p);
        // A block made here, maybe in the freed one's place.
        auto *q = static_cast<unsigned char *>(operator new(n));
        std::memset(q, 0xee, n);
        operator delete(q);
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(damaged.load(), 0);
}

TEST(SmallHeapTest, EveryFormOfNewPairsWithEveryDelete) {
  int *a = new int[10];
  EXPECT_TRUE(owns(a));
  delete[] a;
  int *b = new (std::nothrow) int[1000];
  EXPECT_FALSE(owns(b));
  delete[] b;
  void *c = operator new(100, std::nothrow);
  EXPECT_TRUE(owns(c));
  operator delete(c, std::nothrow);
  void *d = operator new[](300);
  operator delete[](d, 300);
  // A string that outgrows the small heap moves to malloc's blocks.
  std::string s;
  for (int i = 0; i < 1000; ++i)
    s += 'x';
  EXPECT_FALSE(owns(s.data()));
  EXPECT_EQ(s, std::string(1000, 'x'));
  // Over-aligned types keep libstdc++'s aligned operator new.
  struct alignas(64) Wide {
    char bytes[64];
  };
  auto *w = new Wide;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(w) % 64, 0u);
  EXPECT_FALSE(owns(w));
  delete w;
}

} // namespace

#endif // RELC_SMALL_HEAP
