// Turns the columns of two tables into the samples detectors compare:
// sorted numbers, category counts over a shared dictionary, or standardised
// points. Done once per column pair.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "driftd/table.h"

namespace driftd {

// The value of a cell as a finite number, if it is one. Surrounding spaces
// and a leading '+' are accepted, as spreadsheets and pandas write them.
std::optional<double> cell_number(std::string_view cell, CellKind kind);

// The cells of a table's columns read as numbers, each column once and on
// first use: type inference, KS/PSI samples and MMD points all need them,
// and parsing is most of the cost of `score` on large files.
class TableNumbers {
 public:
  explicit TableNumbers(const Table& table) : table_(table), parsed_(table.columns.size()) {}

  const Table& table() const { return table_; }
  // Whether every non-missing cell of the column is a finite number (include/driftd/README.md, "driftd score":
  // such a column is numeric, any other is categorical).
  bool all_numbers(const Column& column);
  // The column's values by row, NaN for missing. Throws InputError naming the
  // file, the line and the column at the first cell that is not a finite number.
  const std::vector<double>& values(const Column& column);
  // The column's values without the missing ones, ascending (values()'s
  // errors); sorted once, on first use.
  const std::vector<double>& sorted(const Column& column);
  std::uint64_t missing(const Column& column);
  // Converts the columns now and sorts those that are all numbers: `score`
  // prepares each file's columns on a thread of its own, after which the
  // accessors above only read.
  void prepare(const std::vector<const Column*>& columns);

 private:
  struct Parsed {
    std::vector<double> values;
    std::uint64_t missing = 0;
    std::optional<std::size_t> bad_row;  // first non-missing cell that is not a finite number
    std::optional<std::vector<double>> sorted;
  };
  Parsed& parsed(const Column& column);
  void convert(const std::vector<std::size_t>& indices);  // the columns not converted yet

  const Table& table_;
  std::vector<std::optional<Parsed>> parsed_;  // by column index
};

struct NumericValues {
  std::span<const double> sorted;  // ascending, missing left out; owned by the TableNumbers
  std::uint64_t missing = 0;
};

// The column's numbers, sorted (TableNumbers::values's errors).
NumericValues numeric_values(TableNumbers& numbers, const Column& column);

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
PointValues point_values(TableNumbers& reference, const std::vector<const Column*>& reference_columns,
                         TableNumbers& current, const std::vector<const Column*>& current_columns,
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

// The same two, for callers that already know the complete rows (indices
// ascending): on a file of millions of rows, finding them is most of the cost.
std::vector<std::size_t> complete_rows(const std::vector<const std::vector<double>*>& columns);
void standardisation(const std::vector<const std::vector<double>*>& columns, const std::vector<std::size_t>& rows,
                     std::vector<double>& mean, std::vector<double>& deviation);
std::vector<double> standardised_points(const std::vector<const std::vector<double>*>& columns,
                                        std::vector<std::size_t> rows, const std::vector<double>& mean,
                                        const std::vector<double>& deviation, std::size_t max_points,
                                        std::uint64_t seed);

}  // namespace driftd
