//===- SmallHeap.h - relc's operator new for small objects ------*- C++ -*-===//
//
// What SmallHeap.cpp tells about the blocks it hands out, for its tests.
//
//===----------------------------------------------------------------------===//
#ifndef RELC_TOOLS_SMALLHEAP_H
#define RELC_TOOLS_SMALLHEAP_H

#include <cstddef>
#include <cstdint>

namespace relc::smallheap {

/// The largest request served from the small heap; larger ones go to malloc.
constexpr std::size_t maxSmall = 256;

/// The most address space the small heap reserves.
constexpr std::size_t maxRegion = std::size_t(1) << 30;

/// The address space the small heap reserves under a limit of
/// \p addressSpaceLimit bytes (0: none): a quarter of it at most, whole
/// slabs; 0 if not one slab fits.
std::size_t regionFor(std::uint64_t addressSpaceLimit);

/// Whether \p p is a block of the small heap (not one malloc made).
bool owns(const void *p) noexcept;

/// The size of the small heap's block \p p; 0 if it is not one.
std::size_t blockSize(const void *p) noexcept;

} // namespace relc::smallheap

#endif // RELC_TOOLS_SMALLHEAP_H
