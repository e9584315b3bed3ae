//===- SmallHeap.h - relc's operator new for small objects ------*- C++ -*-===//
//
// What SmallHeap.cpp tells about the blocks it hands out, for its tests.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_TOOLS_SMALLHEAP_H
#define RELC_TOOLS_SMALLHEAP_H

#include <cstddef>

namespace relc::smallheap {

/// The largest request served from the small heap; larger ones go to malloc.
constexpr std::size_t maxSmall = 256;

/// Whether \p p is a block of the small heap (not one malloc made).
bool owns(const void *p) noexcept;

/// The size of the small heap's block \p p; 0 if it is not one.
std::size_t blockSize(const void *p) noexcept;

} // namespace relc::smallheap

#endif // RELC_TOOLS_SMALLHEAP_H
