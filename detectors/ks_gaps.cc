#include "ks_gaps.h"

#if defined(__AVX512F__) && defined(__AVX512DQ__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstdlib>

namespace driftd {

void ks_gaps_portable(std::span<const GridCount> r, std::span<const GridCount> c, std::int64_t n, std::int64_t m,
                      std::int64_t* block_start, std::int64_t* block_widest) {
  const std::size_t cells = r.size();
  std::int64_t gap = 0;
  for (std::size_t b = 0; b * kKsGapBlock < cells; ++b) {
    block_start[b] = gap;
    std::int64_t widest = 0;
    for (std::size_t k = b * kKsGapBlock; k < std::min(cells, (b + 1) * kKsGapBlock); ++k) {
      gap += std::int64_t(r[k]) * m - std::int64_t(c[k]) * n;
      widest = std::max(widest, std::abs(gap));
    }
    block_widest[b] = widest;
  }
}

#if defined(__AVX512F__) && defined(__AVX512DQ__)
namespace {

// _mm512_reduce_max_epi64 trips GCC 12's -Wuninitialized (its _mm512_undefined).
std::int64_t lane_max(__m512i x) {
  alignas(64) std::int64_t lanes[8];
  _mm512_store_si512(lanes, x);
  return *std::max_element(lanes, lanes + 8);
}

}  // namespace

void ks_gaps_avx512(std::span<const GridCount> r, std::span<const GridCount> c, std::int64_t n, std::int64_t m,
                    std::int64_t* block_start, std::int64_t* block_widest) {
  // 8 cells at a time: the 8 differences, their prefix sum inside the
  // register (3 shifted additions), plus the running total carried in from
  // the previous 8. The carry is the only chain across iterations.
  static_assert(kKsGapBlock % 8 == 0);
  const std::size_t cells = r.size();
  const __m512i vm = _mm512_set1_epi64(m);
  const __m512i vn = _mm512_set1_epi64(n);
  const __m512i zero = _mm512_setzero_si512();
  const __m512i last_lane = _mm512_set1_epi64(7);
  __m512i carry = zero;  // the gap so far, in every lane
  __m512i widest = zero;
  std::size_t k = 0;
  for (; k + 8 <= cells; k += 8) {
    if (k % kKsGapBlock == 0) block_start[k / kKsGapBlock] = _mm_cvtsi128_si64(_mm512_castsi512_si128(carry));
    const __m512i rr = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(&r[k])));
    const __m512i cc = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(&c[k])));
    __m512i x = _mm512_sub_epi64(_mm512_mullo_epi64(rr, vm), _mm512_mullo_epi64(cc, vn));
    // alignr(x, 0, 8 - s): lane i takes x[i - s], zero below s.
    x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 7));
    x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 6));
    x = _mm512_add_epi64(x, _mm512_alignr_epi64(x, zero, 4));
    x = _mm512_add_epi64(x, carry);
    carry = _mm512_permutexvar_epi64(last_lane, x);
    widest = _mm512_max_epi64(widest, _mm512_abs_epi64(x));
    if ((k + 8) % kKsGapBlock == 0) {
      block_widest[k / kKsGapBlock] = lane_max(widest);
      widest = zero;
    }
  }
  // The last cells (fewer than 8) one at a time, from the carried total.
  std::int64_t gap = _mm_cvtsi128_si64(_mm512_castsi512_si128(carry));
  std::int64_t tail_widest = lane_max(widest);
  if (k < cells && k % kKsGapBlock == 0) block_start[k / kKsGapBlock] = gap;
  for (; k < cells; ++k) {
    gap += std::int64_t(r[k]) * m - std::int64_t(c[k]) * n;
    tail_widest = std::max(tail_widest, std::abs(gap));
  }
  if (cells % kKsGapBlock != 0) block_widest[cells / kKsGapBlock] = tail_widest;
}
#endif

}  // namespace driftd
