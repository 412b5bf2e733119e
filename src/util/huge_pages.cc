#include "util/huge_pages.h"

#include <cstdint>

#include <sys/mman.h>

namespace driftd {

void prefer_huge_pages(const void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHugePage = std::uintptr_t(2) << 20;
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t end = (start + bytes) & ~(kHugePage - 1);
  if (data == nullptr || end <= first) return;
  // Failure (no THP in this kernel, memory not from mmap) only means small pages.
  (void)madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
}

}  // namespace driftd
