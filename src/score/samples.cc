#include "samples.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>
#include <unordered_map>

#include "driftd/error.h"

namespace driftd {

std::optional<double> cell_number(std::string_view cell, CellKind kind) {
  if (kind != CellKind::text && kind != CellKind::number) return std::nullopt;
  while (!cell.empty() && cell.front() == ' ') cell.remove_prefix(1);
  while (!cell.empty() && cell.back() == ' ') cell.remove_suffix(1);
  if (cell.size() > 1 && cell.front() == '+' && cell[1] != '-') cell.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool all_numbers(const Column& column) {
  for (std::size_t row = 0; row < column.cells.size(); ++row) {
    if (column.kinds[row] != CellKind::missing && !cell_number(column.cells[row], column.kinds[row])) return false;
  }
  return true;
}

NumericValues numeric_values(const Table& table, const Column& column) {
  NumericValues out;
  out.sorted.reserve(column.cells.size());
  for (std::size_t row = 0; row < column.cells.size(); ++row) {
    if (column.kinds[row] == CellKind::missing) {
      ++out.missing;
      continue;
    }
    const auto value = cell_number(column.cells[row], column.kinds[row]);
    if (!value) {
      throw InputError(table.path, table.row_line[row], column.name,
                       "expected a finite number, found '" + std::string(column.cells[row]) + "'");
    }
    out.sorted.push_back(*value);
  }
  std::sort(out.sorted.begin(), out.sorted.end());
  return out;
}

CategoryCounts category_counts(const Column& reference, const Column& current) {
  CategoryCounts out;
  std::unordered_map<std::string_view, std::size_t> index;
  const auto count = [&](const Column& column, std::vector<std::uint64_t>& counts) {
    for (std::size_t row = 0; row < column.cells.size(); ++row) {
      if (column.kinds[row] == CellKind::missing) {
        ++out.missing;
        continue;
      }
      const auto [it, added] = index.try_emplace(column.cells[row], out.categories.size());
      if (added) {
        out.categories.emplace_back(column.cells[row]);
        out.reference.push_back(0);
        out.current.push_back(0);
      }
      ++counts[it->second];
    }
  };
  count(reference, out.reference);
  count(current, out.current);
  return out;
}

namespace {

// Rows of `columns` with no missing value, as row-major numbers.
std::vector<double> complete_rows(const Table& table, const std::vector<const Column*>& columns,
                                  std::uint64_t& incomplete) {
  std::vector<double> points;
  std::vector<double> row_values(columns.size());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    bool complete = true;
    for (std::size_t f = 0; f < columns.size() && complete; ++f) {
      const Column& column = *columns[f];
      if (column.kinds[row] == CellKind::missing) {
        complete = false;
        break;
      }
      const auto value = cell_number(column.cells[row], column.kinds[row]);
      if (!value) {
        throw InputError(table.path, table.row_line[row], column.name,
                         "expected a finite number, found '" + std::string(column.cells[row]) + "'");
      }
      row_values[f] = *value;
    }
    if (complete) points.insert(points.end(), row_values.begin(), row_values.end());
    else ++incomplete;
  }
  return points;
}

// Keeps a fixed-seed uniform choice of `max_points` rows, in original order.
void subsample(std::vector<double>& points, std::size_t dims, std::size_t max_points, std::uint64_t seed) {
  const std::size_t rows = points.size() / dims;
  if (rows <= max_points) return;
  std::vector<std::size_t> order(rows);
  for (std::size_t i = 0; i < rows; ++i) order[i] = i;
  std::mt19937_64 random(seed);
  // Partial Fisher–Yates: the first max_points entries become a uniform choice.
  for (std::size_t i = 0; i < max_points; ++i) {
    const std::size_t j = std::uniform_int_distribution<std::size_t>(i, rows - 1)(random);
    std::swap(order[i], order[j]);
  }
  order.resize(max_points);
  std::sort(order.begin(), order.end());
  std::vector<double> kept;
  kept.reserve(max_points * dims);
  for (const std::size_t row : order) kept.insert(kept.end(), points.begin() + row * dims, points.begin() + (row + 1) * dims);
  points = std::move(kept);
}

}  // namespace

PointValues point_values(const Table& reference, const std::vector<const Column*>& reference_columns,
                         const Table& current, const std::vector<const Column*>& current_columns,
                         std::size_t max_points, std::uint64_t seed) {
  PointValues out;
  out.dims = reference_columns.size();
  out.reference = complete_rows(reference, reference_columns, out.incomplete);
  out.current = complete_rows(current, current_columns, out.incomplete);
  const std::size_t rows = out.dims == 0 ? 0 : out.reference.size() / out.dims;
  for (std::size_t f = 0; f < out.dims && rows > 0; ++f) {
    double mean = 0;
    for (std::size_t i = 0; i < rows; ++i) mean += out.reference[i * out.dims + f];
    mean /= double(rows);
    double variance = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      const double d = out.reference[i * out.dims + f] - mean;
      variance += d * d;
    }
    double deviation = std::sqrt(variance / double(rows));
    if (deviation == 0) deviation = 1;
    for (auto* points : {&out.reference, &out.current}) {
      for (std::size_t i = f; i < points->size(); i += out.dims) (*points)[i] = ((*points)[i] - mean) / deviation;
    }
  }
  if (out.dims > 0) {
    subsample(out.reference, out.dims, max_points, seed);
    subsample(out.current, out.dims, max_points, seed + 1);
  }
  return out;
}

}  // namespace driftd
