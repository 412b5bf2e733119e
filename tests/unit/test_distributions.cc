#include "score/distributions.h"

#include <catch2/catch.hpp>

#include "driftd/error.h"
#include "score/scorer.h"
#include "temp_file.h"

using namespace driftd;

namespace {

using Values = std::vector<double>;

// feature_distributions() of two CSV texts, for `model` or, without one,
// for the plan `score` makes of them.
std::vector<FeatureDistribution> distributions_of(const std::string& reference_csv, const std::string& current_csv,
                                                  const ModelConfig* model = nullptr) {
  testing::TempDir dir;
  const Table reference = read_csv(dir.write("ref.csv", reference_csv));
  const Table current = read_csv(dir.write("cur.csv", current_csv));
  TableNumbers ref(reference);
  TableNumbers cur(current);
  return feature_distributions(ref, cur, model != nullptr ? *model : default_plan(ref, cur));
}

}  // namespace

TEST_CASE("distributions: integer data gets one bin per integer, shares exact", "[distributions]") {
  const std::vector<double> reference{0, 1, 2, 3};
  const std::vector<double> current{2, 3, 3, 5};
  const std::vector<double> edges = shared_bin_edges(reference, current);
  CHECK(edges == std::vector<double>{-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5});
  CHECK(bin_shares(reference, edges) == std::vector<double>{0.25, 0.25, 0.25, 0.25, 0, 0});
  CHECK(bin_shares(current, edges) == std::vector<double>{0, 0, 0.25, 0.5, 0, 0.25});
}

TEST_CASE("distributions: wide integer data gets bins of whole integers", "[distributions]") {
  std::vector<double> ages;
  for (int age = 18; age <= 80; ++age) ages.push_back(age);  // 63 values, one each
  const std::vector<double> edges = shared_bin_edges(ages, ages);
  // 126 values: 2·126^(1/3) = 10.03, 11 bins wanted; 63/11 rounds up to 6 integers a bin.
  REQUIRE(edges.size() == 12);
  for (std::size_t k = 0; k < edges.size(); ++k) CHECK(edges[k] == 17.5 + 6.0 * static_cast<double>(k));
  std::vector<double> expected(11, 6.0 / 63);
  expected.back() = 3.0 / 63;  // 78, 79, 80
  CHECK(bin_shares(ages, edges) == expected);
}

TEST_CASE("distributions: real numbers share equal-width bins over both ranges", "[distributions]") {
  const std::vector<double> reference{0, 0.25, 0.5, 0.75, 1.0};
  const std::vector<double> current{0, 0, 0.1, 0.9};
  const std::vector<double> edges = shared_bin_edges(reference, current);
  REQUIRE(edges.size() == 6);  // 9 values: 2·9^(1/3) = 4.2, at least 5 bins
  CHECK(edges.front() == 0.0);
  CHECK(edges.back() == 1.0);  // the largest value is inside the last bin
  CHECK(edges[1] == Approx(0.2));
  CHECK(bin_shares(reference, edges) == std::vector<double>{0.2, 0.2, 0.2, 0.2, 0.2});
  CHECK(bin_shares(current, edges) == std::vector<double>{0.75, 0, 0, 0, 0.25});
}

TEST_CASE("distributions: edge cases keep bins finite", "[distributions]") {
  CHECK(shared_bin_edges(Values{}, Values{}).empty());
  CHECK(shared_bin_edges(Values{2.5, 2.5}, Values{2.5}) == std::vector<double>{2.0, 3.0});
  CHECK(shared_bin_edges(Values{7}, Values{}) == std::vector<double>{6.5, 7.5});
  // Near the ends of the double range hi - lo overflows; the edges must not.
  const std::vector<double> edges = shared_bin_edges(Values{-1e308}, Values{1e308});
  for (const double edge : edges) CHECK(std::isfinite(edge));
  CHECK(bin_shares(Values{-1e308}, edges).front() == 1.0);
  CHECK(bin_shares(Values{1e308}, edges).back() == 1.0);
  // Integers beyond 2^52 are not one apart: equal-width bins instead.
  CHECK(shared_bin_edges(Values{1e17}, Values{1e17 + 16}).size() == 6);
}

TEST_CASE("distributions: from the scored tables, missing counted per sample", "[distributions]") {
  const auto distributions =
      distributions_of("x,colour\n1,red\n2,blue\n,red\n3,\n", "x,colour\n3,<script>\n3,red\n,\n");
  REQUIRE(distributions.size() == 2);

  const FeatureDistribution& x = distributions[0];
  CHECK_FALSE(x.categorical);
  CHECK(x.edges == std::vector<double>{0.5, 1.5, 2.5, 3.5});
  CHECK(x.reference.shares == std::vector<double>{1.0 / 3, 1.0 / 3, 1.0 / 3});
  CHECK(x.current.shares == std::vector<double>{0, 0, 1});
  CHECK(x.reference.values == 3);
  CHECK(x.reference.missing == 1);
  CHECK(x.current.values == 2);
  CHECK(x.current.missing == 1);

  const FeatureDistribution& colour = distributions[1];
  CHECK(colour.categorical);
  CHECK(colour.categories == std::vector<std::string>{"red", "blue", "<script>"});  // by pooled count
  CHECK(colour.reference.shares == std::vector<double>{2.0 / 3, 1.0 / 3, 0});
  CHECK(colour.current.shares == std::vector<double>{0.5, 0, 0.5});
  CHECK(colour.reference.missing == 1);
  CHECK(colour.current.missing == 1);
  CHECK(colour.other_categories == 0);
}

TEST_CASE("distributions: categories past the top ones are pooled as other", "[distributions]") {
  std::string ref_csv = "c\n";
  std::string cur_csv = "c\n";
  // Category k appears 100 - k times in the reference, once in the current.
  for (int k = 0; k < 25; ++k) {
    for (int n = 0; n < 100 - k; ++n) ref_csv.append("c").append(std::to_string(k)).append("\n");
    cur_csv.append("c").append(std::to_string(k)).append("\n");
  }
  const auto distributions = distributions_of(ref_csv, cur_csv);
  const FeatureDistribution& c = distributions.at(0);
  REQUIRE(c.categories.size() == kTopCategories);
  CHECK(c.categories.front() == "c0");
  CHECK(c.categories.back() == "c19");
  CHECK(c.other_categories == 5);
  REQUIRE(c.bars() == 21);
  const double reference_rows = 100 * 25 - 300;  // sum of 100 - k for k < 25
  CHECK(c.reference.shares.back() == Approx((80 + 79 + 78 + 77 + 76) / reference_rows));
  CHECK(c.current.shares.back() == Approx(5.0 / 25));
}

TEST_CASE("distributions: a configured column absent from a file is an input error", "[distributions]") {
  ModelConfig model;
  model.features.push_back({.name = "y"});
  CHECK_THROWS_AS(distributions_of("x\n1\n", "x\n1\n", &model), InputError);
}

TEST_CASE("distributions: a far outlier goes into the last bin instead of stretching the axis", "[distributions]") {
  std::string ref_csv = "x\n";
  std::string cur_csv = "x\n";
  for (int v = 0; v < 200; ++v) {
    ref_csv.append(std::to_string(v)).append("\n");
    cur_csv.append(std::to_string(v)).append("\n");
  }
  ref_csv.append("1000000\n");
  const FeatureDistribution x = distributions_of(ref_csv, cur_csv).at(0);
  // 401 values: 15 bins wanted; 200 integers in the central range, 14 a bin.
  REQUIRE(x.edges.size() == 16);
  CHECK(x.edges.front() == -0.5);
  CHECK(x.edges.back() == 209.5);
  CHECK(x.tails());
  CHECK(x.reference.max == 1e6);
  CHECK(x.current.max == 199);
  CHECK(x.reference.shares.back() == 5.0 / 201);  // 196..199 and the outlier
  CHECK(x.current.shares.back() == 4.0 / 200);
  CHECK(x.reference.shares.front() == 14.0 / 201);

  // Without the outlier the range is the data's own.
  CHECK_FALSE(distributions_of(cur_csv, cur_csv).at(0).tails());
}
