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

extern "C" void *__real___dynamic_cast(const void *src, const void *srcType,
                                       const void *dstType,
                                       std::ptrdiff_t src2dst);

namespace {
struct Cast {
  const void *vptr = nullptr, *srcType = nullptr, *dstType = nullptr;
  std::ptrdiff_t offset = 0;
  bool null = false;
};
constexpr size_t cacheSize = 1024; // A power of two.
// Made at a thread's first cast: as thread-local storage, its 40 KB were
// zeroed at every start, casts or not (most commands make none).
thread_local std::unique_ptr<Cast[]> cache;
} // namespace

extern "C" void *__wrap___dynamic_cast(const void *src, const void *srcType,
                                       const void *dstType,
                                       std::ptrdiff_t src2dst) {
  const void *vptr = *static_cast<const void *const *>(src);
  auto bits = [](const void *p) { return reinterpret_cast<uintptr_t>(p); };
  size_t slot = ((bits(vptr) >> 3) ^ (bits(dstType) >> 4) * 31 ^
                 (bits(srcType) >> 4) * 17) &
                (cacheSize - 1);
  if (!cache)
    cache.reset(new Cast[cacheSize]);
  Cast &c = cache[slot];
  if (c.vptr == vptr && c.srcType == srcType && c.dstType == dstType)
    return c.null
               ? nullptr
               : const_cast<char *>(static_cast<const char *>(src)) + c.offset;
  void *out = __real___dynamic_cast(src, srcType, dstType, src2dst);
  c.vptr = vptr;
  c.srcType = srcType;
  c.dstType = dstType;
  c.null = out == nullptr;
  c.offset =
      out ? static_cast<const char *>(out) - static_cast<const char *>(src) : 0;
  return out;
}
