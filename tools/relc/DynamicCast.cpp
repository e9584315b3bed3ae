//===- DynamicCast.cpp - dynamic_cast with a cache -----------------------===//
//
// relc links with `--wrap=__dynamic_cast`, so every dynamic_cast of the
// process, ANTLR's runtime's included, comes here first. ANTLR's parser and
// the contexts it generates cast at every rule entry and exit, every token
// and every child of a parse tree, and libstdc++'s __dynamic_cast walks the
// class hierarchy comparing type names with strcmp each time: about 200
// instructions a cast, a fifth of `relc check` on PyTorch's plan.
//
// The result of a cast depends only on the object's vtable pointer (which
// fixes its most derived type and which base subobject the pointer is at,
// even during construction), and on the source and target types: it is
// null, or the source moved by a fixed offset. So the first cast of each
// such triple asks libstdc++ and the answer is kept, per thread, in a small
// direct-mapped table. The unit tests are linked the same way, and
// test/unit/Tool/DynamicCastTest.cpp compares the two on hierarchies with
// multiple, repeated and virtual bases.
//
//===----------------------------------------------------------------------===//
#include <cstddef>
#include <cstdint>
#include <memory>

#include <sys/mman.h>

extern "C" void *__real___dynamic_cast(const void *src, const void *srcType,
                                       const void *dstType,
                                       std::ptrdiff_t src2dst);

namespace {
// All zeros is an empty slot. A failed cast keeps `nullOffset`: no object is
// that far from its base.
struct Cast {
  const void *vptr, *srcType, *dstType;
  std::ptrdiff_t offset;
};
constexpr std::ptrdiff_t nullOffset = PTRDIFF_MIN;
// A power of two. Since plans are parsed without ANTLR's parser, which casts
// at every rule, a command makes a few dozen kinds of cast, a file with a
// syntax error a few hundred: 1,024 slots touched eight pages for casts
// that two hold, and 256 cost an error's parse 0.1% more instructions.
constexpr size_t cacheSize = 256;
constexpr size_t cacheBytes = cacheSize * sizeof(Cast);
struct Unmap {
  void operator()(Cast *p) const { munmap(p, cacheBytes); }
};
// Made at a thread's first cast (libstdc++'s own start-up makes one) as
// pages of its own, which the system gives zeroed: only the pages of slots
// in use are ever touched. From the heap, the whole table was written at
// once, for a command that makes a handful of casts as for one that makes
// many.
thread_local std::unique_ptr<Cast[], Unmap> cache;

Cast *makeCache() {
  void *p = mmap(nullptr, cacheBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return nullptr;
  cache.reset(static_cast<Cast *>(p));
  return cache.get();
}
} // namespace

extern "C" void *__wrap___dynamic_cast(const void *src, const void *srcType,
                                       const void *dstType,
                                       std::ptrdiff_t src2dst) {
  const void *vptr = *static_cast<const void *const *>(src);
  auto bits = [](const void *p) { return reinterpret_cast<uintptr_t>(p); };
  size_t slot = ((bits(vptr) >> 3) ^ (bits(dstType) >> 4) * 31 ^
                 (bits(srcType) >> 4) * 17) &
                (cacheSize - 1);
  if (!cache && !makeCache()) // Out of memory: casts work, uncached.
    return __real___dynamic_cast(src, srcType, dstType, src2dst);
  Cast &c = cache[slot];
  if (c.vptr == vptr && c.srcType == srcType && c.dstType == dstType)
    return c.offset == nullOffset
               ? nullptr
               : const_cast<char *>(static_cast<const char *>(src)) + c.offset;
  void *out = __real___dynamic_cast(src, srcType, dstType, src2dst);
  c.vptr = vptr;
  c.srcType = srcType;
  c.dstType = dstType;
  c.offset =
      out ? static_cast<const char *>(out) - static_cast<const char *>(src)
          : nullOffset;
  return out;
}
