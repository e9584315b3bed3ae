//===- SmallHeap.cpp - relc's operator new for small objects -------------===//
//
// relc's trees, strings and tables are made of thousands of small blocks,
// nearly all of them a few dozen bytes: checking PyTorch's plan asks for
// about 5,400. glibc's malloc takes 150 to 200 instructions for one such
// block and its free, most of it in carving fresh memory from the top of the
// heap, which is where a short run's blocks all come from: a sixth of a
// small `relc check`.
//
// So relc replaces the global operator new and delete. A request of up to
// 256 bytes is rounded up to a multiple of 16 (the alignment operator new
// promises) and served from that size's list of freed blocks, or else the
// next block of a 1 KiB slab that holds blocks of that size only: a dozen
// instructions either way. Larger requests go to malloc, as before. Slabs
// are small so that the sizes share pages, as malloc's blocks do: a fresh
// page costs about two microseconds to fault in, and with a slab per page
// or more, `relc --version`'s few hundred blocks would touch a dozen pages.
//
// The slabs are cut from one range of address space reserved at the first
// request and touched only as it is used, so a pointer's place tells both
// whether it is a small block and, through a table of slabs, its size: an
// unsized delete needs no header in the block. Each thread keeps its own
// lists and slabs, so no call takes a lock; a block freed by another thread
// than made it joins the freeing thread's list. Memory is reused but never
// given back to the system, and a thread's free blocks are not reused after
// it ends: relc's commands are short and single-threaded, and the language
// server's heap stays at its high-water mark either way.
//
// Under an address-space limit (`ulimit -v`) the range takes a quarter of
// it at most, so that malloc keeps the rest. If it cannot be reserved
// (strict overcommit) or is used up, every request goes to malloc; delete
// tells the two kinds apart by address. Sanitized builds keep the sanitizer's
// allocator, which must see every block.
//
//===----------------------------------------------------------------------===//
#include "SmallHeap.h"

#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

using namespace relc::smallheap;

namespace {

constexpr std::size_t granule = 16;
constexpr std::size_t numSizes = maxSmall / granule;
constexpr unsigned slabBits = 10;
constexpr std::size_t slabSize = std::size_t(1) << slabBits;
constexpr std::size_t numSlabs = maxRegion / slabSize;

std::atomic<std::uintptr_t> regionBase{0};
// Zero until the region is reserved, so that no pointer is in it.
std::atomic<std::size_t> regionLength{0};
std::atomic<std::size_t> nextSlab{0};
// The size index of each slab handed out; written before the slab's first
// block leaves the thread that took it. Slabs are handed out in order, so
// only the table's first pages are ever touched.
unsigned char slabSizeIndex[numSlabs];

struct FreeBlock {
  FreeBlock *next;
};

// Trivial, so it costs nothing at start-up or at a thread's end.
struct ThreadCache {
  FreeBlock *freed[numSizes];
  char *next[numSizes];
  char *end[numSizes];
};
thread_local ThreadCache cache;

void reserveRegion() {
  rlimit limit;
  std::size_t size = regionFor(getrlimit(RLIMIT_AS, &limit) == 0 &&
                                       limit.rlim_cur != RLIM_INFINITY
                                   ? limit.rlim_cur
                                   : 0);
  if (size == 0)
    return;
  // Address space only: pages are backed as they are first touched.
  void *p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return;
  regionBase.store(reinterpret_cast<std::uintptr_t>(p),
                   std::memory_order_relaxed);
  regionLength.store(size, std::memory_order_release);
}

void *fromMalloc(std::size_t n) {
  for (;;) {
    if (void *p = std::malloc(n ? n : 1))
      return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler)
      throw std::bad_alloc();
    handler();
  }
}

// A new slab for size index \p index, and its first block; or malloc's
// block when there is no region or no slab left.
[[gnu::noinline]] void *refill(std::size_t index) {
  static const bool reserved = (reserveRegion(), true);
  (void)reserved;
  std::size_t size = (index + 1) * granule;
  std::size_t slabs = regionLength.load(std::memory_order_acquire) / slabSize;
  std::size_t slab =
      slabs ? nextSlab.fetch_add(1, std::memory_order_relaxed) : 0;
  if (slab >= slabs)
    return fromMalloc(size);
  slabSizeIndex[slab] = static_cast<unsigned char>(index);
  char *start = reinterpret_cast<char *>(
      regionBase.load(std::memory_order_relaxed) + slab * slabSize);
  cache.next[index] = start + size;
  cache.end[index] = start + slabSize / size * size;
  return start;
}

inline void *allocate(std::size_t n) {
  // n - 1 wraps for a request of 0 bytes, which malloc serves.
  if (n - 1 >= maxSmall)
    return fromMalloc(n);
  std::size_t index = (n - 1) / granule;
  if (FreeBlock *block = cache.freed[index]) {
    cache.freed[index] = block->next;
    return block;
  }
  char *next = cache.next[index];
  if (next == cache.end[index])
    return refill(index);
  cache.next[index] = next + (index + 1) * granule;
  return next;
}

// Whether \p p is in the region, and where: its length is read first, so
// that a length other than zero comes with the base it was published with.
inline bool inRegion(const void *p, std::size_t &offset) {
  std::size_t length = regionLength.load(std::memory_order_acquire);
  offset = reinterpret_cast<std::uintptr_t>(p) -
           regionBase.load(std::memory_order_relaxed);
  return offset < length;
}

inline void release(void *p) noexcept {
  std::size_t offset;
  if (!inRegion(p, offset)) {
    std::free(p);
    return;
  }
  std::size_t index = slabSizeIndex[offset >> slabBits];
  auto *block = static_cast<FreeBlock *>(p);
  block->next = cache.freed[index];
  cache.freed[index] = block;
}

} // namespace

std::size_t relc::smallheap::regionFor(std::uint64_t addressSpaceLimit) {
  if (addressSpaceLimit == 0)
    return maxRegion;
  std::uint64_t quarter = addressSpaceLimit / 4 / slabSize * slabSize;
  return static_cast<std::size_t>(std::min<std::uint64_t>(quarter, maxRegion));
}

bool relc::smallheap::owns(const void *p) noexcept {
  std::size_t offset;
  return inRegion(p, offset);
}

std::size_t relc::smallheap::blockSize(const void *p) noexcept {
  std::size_t offset;
  return inRegion(p, offset) ? (slabSizeIndex[offset >> slabBits] + 1) * granule
                             : 0;
}

// The replaceable forms without an alignment; the aligned ones stay
// libstdc++'s, which pair aligned_alloc with free among themselves.
void *operator new(std::size_t n) { return allocate(n); }
void *operator new[](std::size_t n) { return allocate(n); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept {
  return operator new(n, std::nothrow);
}
void operator delete(void *p) noexcept { release(p); }
void operator delete[](void *p) noexcept { release(p); }
void operator delete(void *p, std::size_t) noexcept { release(p); }
void operator delete[](void *p, std::size_t) noexcept { release(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { release(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { release(p); }
