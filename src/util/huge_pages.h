// Large buffers in 2 MiB pages. On the VMs driftd runs on, a first touch of
// a 4 KiB page costs microseconds, and `score` touches each of its large
// buffers (file bytes, cells, numbers) once: with transparent huge pages in
// the kernel's `madvise` mode (Debian's default) the same memory costs 512
// times fewer faults. Measured in bench/RESULTS.md (issue 19).
#pragma once

#include <cstddef>
#include <vector>

namespace driftd {

// Asks for huge pages on the whole 2 MiB pages inside [data, data + bytes).
// Only a hint: nothing changes where the kernel or the memory cannot do it.
// Useful before the memory is first written (a fresh large allocation).
void prefer_huge_pages(const void* data, std::size_t bytes);

// Reserves room for `count` elements and asks for huge pages on it.
template <typename T>
void reserve_in_huge_pages(std::vector<T>& values, std::size_t count) {
  values.reserve(count);
  prefer_huge_pages(values.data(), values.capacity() * sizeof(T));
}

}  // namespace driftd
