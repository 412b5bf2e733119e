// A model's reference, prepared once: what every evaluation compares its
// current window with. Numeric columns become counts on their grid
// (detectors/grid.h), categorical ones counts over a category dictionary,
// and each multivariate test gets standardised reference points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "driftd/config.h"
#include "driftd/event.h"
#include "driftd/table.h"
#include "grid.h"

namespace driftd {

// Reference values before preparation, one entry per schema column: numbers
// for numeric columns (NaN = missing), texts for categorical ones.
struct ReferenceData {
  std::vector<std::vector<double>> numbers;
  std::vector<std::vector<std::optional<std::string>>> texts;
  std::uint64_t rows = 0;
};

// Reads the columns of `schema` from a reference file. Throws InputError
// naming the file, line and column when one is absent or a numeric one holds
// a value that is not a finite number.
ReferenceData reference_from_table(const Table& table, const ModelSchema& schema);

// Category codes of one categorical column, shared by its reference and its
// window. The dictionary grows with categories first seen in the stream, up
// to a bound; further new categories share one overflow code, so memory
// stays bounded whatever the stream holds.
class CategoryDictionary {
 public:
  // max_categories >= 2: the last code is shared by every category past the bound.
  explicit CategoryDictionary(std::size_t max_categories) : max_categories_(max_categories) {}

  // The code of `text`, adding it when new (or the overflow code when full,
  // counted unless `count_overflow` is false: an event read again).
  std::uint32_t code(std::string_view text, bool count_overflow = true);
  std::size_t size() const { return names_.size(); }
  const std::string& name(std::uint32_t code) const { return names_[code]; }
  std::uint64_t overflowed() const { return overflowed_; }

  // Its categories in code order; restore() codes a snapshot's on top of
  // the reference's, false when those do not begin with the reference's.
  const std::vector<std::string>& names() const { return names_; }
  bool restore(const std::vector<std::string>& names, std::uint64_t overflowed);

 private:
  // Lets find() take a string_view without building a std::string per event.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  std::size_t max_categories_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> codes_;
  std::vector<std::string> names_;
  std::uint64_t overflowed_ = 0;
};

struct NumericReference {
  GridIndex grid;                      // its points and a fast lookup
  std::vector<GridCount> counts;       // reference counts on it
  std::uint64_t missing = 0;
  std::uint64_t total = 0;             // the sum of counts: values not missing
  std::size_t psi_bins = 0;            // the PSI bins the grid was built with,
  std::vector<std::size_t> psi_bin_ends;  // and where they end on it

  GridSample sample() const { return {grid.points(), counts, psi_bins, psi_bin_ends, total}; }
};

struct CategoricalReference {
  CategoryDictionary dictionary{0};
  std::vector<std::uint64_t> counts;   // per code; grows with the dictionary
  std::uint64_t missing = 0;
};

struct MultivariateReference {
  std::vector<std::size_t> columns;    // schema column indices
  std::vector<double> mean, deviation; // per feature; a zero deviation counts as 1
  std::vector<double> points;          // row-major, standardised, at most max_points rows
  std::size_t max_points = 0;
};

struct ReferenceProfile {
  std::uint64_t rows = 0;
  std::vector<std::optional<NumericReference>> numeric;          // per schema column
  std::vector<std::optional<CategoricalReference>> categorical;  // per schema column
  std::vector<MultivariateReference> multivariate;               // per configured test
};

// Prepares `data` for the model: grids with the configured PSI bins,
// dictionaries bounded by `max_categories`, multivariate points subsampled
// with `seed`.
ReferenceProfile prepare_reference(const ReferenceData& data, const ModelSchema& schema, const ModelConfig& model,
                                   const Defaults& defaults, std::size_t max_categories, std::uint64_t seed);

}  // namespace driftd
