// Turns the columns of two tables into the samples detectors compare:
// sorted numbers, category counts over a shared dictionary, or standardised
// points. Done once per column pair.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "driftd/table.h"

namespace driftd {

// The value of a cell as a finite number, if it is one. Surrounding spaces
// and a leading '+' are accepted, as spreadsheets and pandas write them.
std::optional<double> cell_number(std::string_view cell, CellKind kind);

// Whether every non-missing cell of the column is a finite number (SPEC §1:
// such a column is numeric, any other is categorical).
bool all_numbers(const Column& column);

struct NumericValues {
  std::vector<double> sorted;  // ascending, missing left out
  std::uint64_t missing = 0;
};

// The column's numbers, sorted. Throws InputError naming the table's file,
// the line and the column for a cell that is not a finite number.
NumericValues numeric_values(const Table& table, const Column& column);

struct CategoryCounts {
  std::vector<std::string> categories;  // the shared dictionary, in first-seen order
  std::vector<std::uint64_t> reference;  // counts per category
  std::vector<std::uint64_t> current;
  std::uint64_t missing = 0;             // in both samples
};

// Counts the categories of two columns over one dictionary. A cell's category
// is its text as written ("true"/"false" for booleans).
CategoryCounts category_counts(const Column& reference, const Column& current);

struct PointValues {
  std::vector<double> reference;  // row-major, standardised by the reference
  std::vector<double> current;
  std::size_t dims = 0;
  std::uint64_t incomplete = 0;   // rows left out for a missing value in any feature
};

// Points of several numeric columns, rows with any missing value left out,
// each feature standardised by the reference's mean and (population)
// standard deviation, a zero deviation counting as 1. When a sample has more
// than `max_points` rows, a fixed-seed uniform choice of `max_points` rows
// (in their original order) is kept, after standardising.
PointValues point_values(const Table& reference, const std::vector<const Column*>& reference_columns,
                         const Table& current, const std::vector<const Column*>& current_columns,
                         std::size_t max_points, std::uint64_t seed);

// The rows of `columns` (all the same length, NaN = missing) that have no
// missing value, standardised feature by feature with `mean` and
// `deviation`, row-major; when more than `max_points` rows are complete, a
// fixed-seed uniform choice of `max_points` of them, in their original order.
std::vector<double> standardised_points(const std::vector<const std::vector<double>*>& columns,
                                        const std::vector<double>& mean, const std::vector<double>& deviation,
                                        std::size_t max_points, std::uint64_t seed);

// Mean and population standard deviation of each column over the rows
// complete in all columns (a zero deviation counts as 1).
void standardisation(const std::vector<const std::vector<double>*>& columns, std::vector<double>& mean,
                     std::vector<double>& deviation);

}  // namespace driftd
