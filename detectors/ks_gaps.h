// The core of KS on grid counts (ks.h): the running gap between the two
// ECDFs, scaled to exact integers, at the end of every cell,
//   gap[k] = m * (r[0] + .. + r[k]) - n * (c[0] + .. + c[k]),
// summarised per block of cells: where |gap| is largest, the statistic
// needs only the blocks that reach the overall maximum, so the gaps are
// not stored. It runs over every cell of every numeric feature at each
// evaluation, so it has an AVX-512 version; the portable one is the
// reference the tests hold it to.
#pragma once

#include <cstdint>
#include <span>

#include "driftd/detector.h"

namespace driftd {

// Cells per block.
inline constexpr std::size_t kKsGapBlock = 64;

// Per block b (the last may be partial): block_start[b] = the gap before its
// first cell (0 for the first block), block_widest[b] = the largest |gap|
// in it. n * m < 2^62.
void ks_gaps_portable(std::span<const GridCount> r, std::span<const GridCount> c, std::int64_t n, std::int64_t m,
                      std::int64_t* block_start, std::int64_t* block_widest);
#if defined(__AVX512F__) && defined(__AVX512DQ__)
void ks_gaps_avx512(std::span<const GridCount> r, std::span<const GridCount> c, std::int64_t n, std::int64_t m,
                    std::int64_t* block_start, std::int64_t* block_widest);
#endif

inline void ks_gaps(std::span<const GridCount> r, std::span<const GridCount> c, std::int64_t n, std::int64_t m,
                    std::int64_t* block_start, std::int64_t* block_widest) {
#if defined(__AVX512F__) && defined(__AVX512DQ__)
  ks_gaps_avx512(r, c, n, m, block_start, block_widest);
#else
  ks_gaps_portable(r, c, n, m, block_start, block_widest);
#endif
}

}  // namespace driftd
