#include "window/reference_profile.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "driftd/error.h"
#include "grid.h"
#include "psi.h"
#include "sort_values.h"
#include "samples/samples.h"

namespace driftd {

std::uint32_t CategoryDictionary::code(std::string_view text, bool count_overflow) {
  if (const auto it = codes_.find(text); it != codes_.end()) return it->second;
  if (names_.size() + 1 >= max_categories_) {
    // The last code is the shared overflow category.
    if (count_overflow) ++overflowed_;
    if (names_.size() + 1 == max_categories_) names_.push_back("__overflow__");
    return std::uint32_t(max_categories_ - 1);
  }
  const auto code = std::uint32_t(names_.size());
  names_.emplace_back(text);
  codes_.emplace(names_.back(), code);
  return code;
}

bool CategoryDictionary::restore(const std::vector<std::string>& names, std::uint64_t overflowed) {
  if (names.size() < names_.size() || names.size() > max_categories_ ||
      !std::equal(names_.begin(), names_.end(), names.begin())) {
    return false;
  }
  for (std::size_t i = names_.size(); i < names.size(); ++i) {
    code(names[i]);
    if (names_.size() != i + 1 || names_.back() != names[i]) return false;
  }
  overflowed_ = overflowed;
  return true;
}

ReferenceData reference_from_table(const Table& table, const ModelSchema& schema) {
  ReferenceData data;
  data.rows = table.rows();
  data.numbers.resize(schema.columns.size());
  data.texts.resize(schema.columns.size());
  for (std::size_t c = 0; c < schema.columns.size(); ++c) {
    const ColumnSchema& column = schema.columns[c];
    const Column* values = table.find(column.name);
    if (values == nullptr) throw InputError(table.path, 1, column.name, "configured feature missing from the reference");
    for (std::size_t row = 0; row < table.rows(); ++row) {
      const bool missing = values->kinds[row] == CellKind::missing;
      if (column.type == FeatureType::numeric) {
        if (missing) {
          data.numbers[c].push_back(std::numeric_limits<double>::quiet_NaN());
          continue;
        }
        const auto number = cell_number(values->cells[row], values->kinds[row]);
        if (!number) {
          throw InputError(table.path, table.row_line[row], column.name,
                           "expected a finite number, found '" + std::string(values->cells[row]) + "'");
        }
        data.numbers[c].push_back(*number);
      } else if (missing) {
        data.texts[c].emplace_back(std::nullopt);
      } else {
        data.texts[c].emplace_back(std::string(values->cells[row]));
      }
    }
  }
  return data;
}

ReferenceProfile prepare_reference(const ReferenceData& data, const ModelSchema& schema, const ModelConfig& model,
                                   const Defaults& defaults, std::size_t max_categories, std::uint64_t seed) {
  ReferenceProfile profile;
  profile.rows = data.rows;
  profile.numeric.resize(schema.columns.size());
  profile.categorical.resize(schema.columns.size());
  for (std::size_t c = 0; c < schema.columns.size(); ++c) {
    if (schema.columns[c].type == FeatureType::numeric) {
      NumericReference& ref = profile.numeric[c].emplace();
      std::vector<double> sorted;
      for (const double v : data.numbers[c]) {
        if (std::isnan(v)) ++ref.missing;
        else sorted.push_back(v);
      }
      sort_values(sorted);
      ref.grid = GridIndex(reference_grid(sorted, defaults.psi_bins));
      ref.counts = grid_counts(ref.grid.points(), sorted);
      ref.total = sorted.size();
      ref.psi_bins = defaults.psi_bins;
      ref.psi_bin_ends = psi_bin_ends(GridSample{ref.grid.points(), ref.counts}, ref.psi_bins);
    } else {
      CategoricalReference& ref = profile.categorical[c].emplace();
      ref.dictionary = CategoryDictionary(max_categories);
      for (const auto& text : data.texts[c]) {
        if (!text) {
          ++ref.missing;
          continue;
        }
        const std::uint32_t code = ref.dictionary.code(*text);
        if (code >= ref.counts.size()) ref.counts.resize(code + 1, 0);
        ++ref.counts[code];
      }
    }
  }
  for (const auto& config : model.multivariate) {
    MultivariateReference& mv = profile.multivariate.emplace_back();
    mv.max_points = config.max_points;
    std::vector<const std::vector<double>*> columns;
    for (const auto& name : config.features) {
      const auto it = std::find_if(schema.columns.begin(), schema.columns.end(),
                                   [&](const ColumnSchema& column) { return column.name == name; });
      mv.columns.push_back(std::size_t(it - schema.columns.begin()));
      columns.push_back(&data.numbers[mv.columns.back()]);
    }
    standardisation(columns, mv.mean, mv.deviation);
    mv.points = standardised_points(columns, mv.mean, mv.deviation, mv.max_points, seed);
  }
  return profile;
}

}  // namespace driftd
