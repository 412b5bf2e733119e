// Sorting a numeric sample before KS: Boost.Sort's branchless pdqsort, about
// 2x faster than std::sort on 10^6 doubles here (bench/RESULTS.md); an LSD
// radix sort we tried was no faster, so there is no sort of our own.
#pragma once

#include <boost/sort/pdqsort/pdqsort.hpp>
#include <vector>

namespace driftd {

inline void sort_values(std::vector<double>& values) {
  boost::sort::pdqsort_branchless(values.begin(), values.end());
}

}  // namespace driftd
