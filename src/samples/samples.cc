#include "samples/samples.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <unordered_map>

#include "driftd/error.h"
#include "util/huge_pages.h"
#include "sort_values.h"

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

TableNumbers::Parsed& TableNumbers::parsed(const Column& column) {
  const std::size_t index = std::size_t(&column - table_.columns.data());
  if (!parsed_[index]) convert({index});
  return *parsed_[index];
}

void TableNumbers::convert(const std::vector<std::size_t>& indices) {
  std::vector<const Column*> columns;
  std::vector<Parsed*> slots;
  for (const std::size_t index : indices) {
    if (parsed_[index]) continue;
    const Column& column = table_.columns[index];
    Parsed& out = parsed_[index].emplace();
    reserve_in_huge_pages(out.values, column.cells.size());
    out.values.assign(column.cells.size(), std::numeric_limits<double>::quiet_NaN());
    columns.push_back(&column);
    slots.push_back(&out);
  }
  // Row by row: the cells of a row lie together in the file, so a wide
  // file is read from memory once, not once per column.
  for (std::size_t row = 0; row < table_.rows(); ++row) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Column& column = *columns[c];
      Parsed& out = *slots[c];
      if (column.kinds[row] == CellKind::missing) {
        ++out.missing;
        continue;
      }
      const auto value = cell_number(column.cells[row], column.kinds[row]);
      if (value) out.values[row] = *value;
      else if (!out.bad_row) out.bad_row = row;
    }
  }
}

bool TableNumbers::all_numbers(const Column& column) { return !parsed(column).bad_row.has_value(); }

const std::vector<double>& TableNumbers::values(const Column& column) {
  const Parsed& p = parsed(column);
  if (p.bad_row) {
    const std::size_t row = *p.bad_row;
    throw InputError(table_.path, table_.row_line[row], column.name,
                     "expected a finite number, found '" + std::string(column.cells[row]) + "'");
  }
  return p.values;
}

std::uint64_t TableNumbers::missing(const Column& column) { return parsed(column).missing; }

const std::vector<double>& TableNumbers::sorted(const Column& column) {
  const std::vector<double>& all = values(column);
  Parsed& p = parsed(column);
  if (p.sorted) return *p.sorted;
  std::vector<double>& out = p.sorted.emplace();
  reserve_in_huge_pages(out, all.size() - p.missing);
  for (const double value : all) {
    if (!std::isnan(value)) out.push_back(value);
  }
  sort_values(out);
  return out;
}

void TableNumbers::prepare(const std::vector<const Column*>& columns) {
  std::vector<std::size_t> indices;
  for (const Column* column : columns) indices.push_back(std::size_t(column - table_.columns.data()));
  convert(indices);
  for (const Column* column : columns) {
    if (all_numbers(*column)) sorted(*column);
  }
}

NumericValues numeric_values(TableNumbers& numbers, const Column& column) {
  return {.sorted = numbers.sorted(column), .missing = numbers.missing(column)};
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

// Indices of the rows with a value in every column.
std::vector<std::size_t> complete_rows(const std::vector<const std::vector<double>*>& columns) {
  std::vector<std::size_t> rows;
  const std::size_t count = columns.empty() ? 0 : columns.front()->size();
  reserve_in_huge_pages(rows, count);
  for (std::size_t row = 0; row < count; ++row) {
    bool complete = true;
    for (const auto* column : columns) complete = complete && !std::isnan((*column)[row]);
    if (complete) rows.push_back(row);
  }
  return rows;
}

void standardisation(const std::vector<const std::vector<double>*>& columns, std::vector<double>& mean,
                     std::vector<double>& deviation) {
  standardisation(columns, complete_rows(columns), mean, deviation);
}

void standardisation(const std::vector<const std::vector<double>*>& columns, const std::vector<std::size_t>& rows,
                     std::vector<double>& mean, std::vector<double>& deviation) {
  mean.assign(columns.size(), 0.0);
  deviation.assign(columns.size(), 1.0);
  if (rows.empty()) return;
  for (std::size_t f = 0; f < columns.size(); ++f) {
    double sum = 0;
    for (const std::size_t row : rows) sum += (*columns[f])[row];
    mean[f] = sum / double(rows.size());
    double squares = 0;
    for (const std::size_t row : rows) {
      const double d = (*columns[f])[row] - mean[f];
      squares += d * d;
    }
    const double sd = std::sqrt(squares / double(rows.size()));
    deviation[f] = sd == 0 ? 1.0 : sd;
  }
}

std::vector<double> standardised_points(const std::vector<const std::vector<double>*>& columns,
                                        const std::vector<double>& mean, const std::vector<double>& deviation,
                                        std::size_t max_points, std::uint64_t seed) {
  return standardised_points(columns, complete_rows(columns), mean, deviation, max_points, seed);
}

std::vector<double> standardised_points(const std::vector<const std::vector<double>*>& columns,
                                        std::vector<std::size_t> rows, const std::vector<double>& mean,
                                        const std::vector<double>& deviation, std::size_t max_points,
                                        std::uint64_t seed) {
  if (rows.size() > max_points) {
    std::mt19937_64 random(seed);
    // Partial Fisher–Yates: the first max_points entries become a uniform choice.
    for (std::size_t i = 0; i < max_points; ++i) {
      std::swap(rows[i], rows[std::uniform_int_distribution<std::size_t>(i, rows.size() - 1)(random)]);
    }
    rows.resize(max_points);
    std::sort(rows.begin(), rows.end());
  }
  std::vector<double> points;
  points.reserve(rows.size() * columns.size());
  for (const std::size_t row : rows) {
    for (std::size_t f = 0; f < columns.size(); ++f) points.push_back(((*columns[f])[row] - mean[f]) / deviation[f]);
  }
  return points;
}

PointValues point_values(TableNumbers& reference, const std::vector<const Column*>& reference_columns,
                         TableNumbers& current, const std::vector<const Column*>& current_columns,
                         std::size_t max_points, std::uint64_t seed) {
  std::vector<const std::vector<double>*> ref, cur;
  for (const Column* column : reference_columns) ref.push_back(&reference.values(*column));
  for (const Column* column : current_columns) cur.push_back(&current.values(*column));

  PointValues out;
  out.dims = reference_columns.size();
  if (out.dims == 0) return out;
  std::vector<std::size_t> ref_rows = complete_rows(ref);
  std::vector<std::size_t> cur_rows = complete_rows(cur);
  out.incomplete = (reference.table().rows() - ref_rows.size()) + (current.table().rows() - cur_rows.size());
  std::vector<double> mean, deviation;
  standardisation(ref, ref_rows, mean, deviation);
  out.reference = standardised_points(ref, std::move(ref_rows), mean, deviation, max_points, seed);
  out.current = standardised_points(cur, std::move(cur_rows), mean, deviation, max_points, seed + 1);
  return out;
}

}  // namespace driftd
