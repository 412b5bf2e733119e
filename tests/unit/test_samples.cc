#include "samples/samples.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "driftd/error.h"

using namespace driftd;

namespace {

Column column(const std::string& name, std::vector<std::string_view> cells, std::vector<CellKind> kinds) {
  return Column{.name = name, .cells = std::move(cells), .kinds = std::move(kinds)};
}

}  // namespace

TEST_CASE("samples: what counts as a finite number", "[samples]") {
  CHECK(cell_number("1.5", CellKind::text) == 1.5);
  CHECK(cell_number(" -2e3 ", CellKind::text) == -2000.0);
  CHECK(cell_number("+4", CellKind::number) == 4.0);
  CHECK_FALSE(cell_number("inf", CellKind::text).has_value());
  CHECK_FALSE(cell_number("NaN", CellKind::text).has_value());
  CHECK_FALSE(cell_number("1.5x", CellKind::text).has_value());
  CHECK_FALSE(cell_number("+-1", CellKind::text).has_value());
  CHECK_FALSE(cell_number("true", CellKind::boolean).has_value());
  CHECK_FALSE(cell_number("", CellKind::text).has_value());
}

TEST_CASE("samples: numeric values are sorted, missing counted, bad cells named", "[samples]") {
  Table table;
  table.path = "data.csv";
  table.row_line = {2, 3, 4, 5};
  table.columns.push_back(column("x", {"3", "", "1", "2"}, {CellKind::text, CellKind::missing, CellKind::text, CellKind::text}));
  table.columns.push_back(column("y", {"3", "oops", "1", "bad"}, std::vector<CellKind>(4, CellKind::text)));
  TableNumbers numbers(table);
  const NumericValues values = numeric_values(numbers, table.columns[0]);
  CHECK(std::vector<double>(values.sorted.begin(), values.sorted.end()) == std::vector<double>{1, 2, 3});
  CHECK(values.missing == 1);
  CHECK(numbers.all_numbers(table.columns[0]));

  CHECK_FALSE(numbers.all_numbers(table.columns[1]));
  CHECK_THROWS_WITH(numeric_values(numbers, table.columns[1]), "data.csv:3: y: expected a finite number, found 'oops'");
}

TEST_CASE("samples: categories share one dictionary", "[samples]") {
  const Column r = column("c", {"a", "b", "a", ""}, {CellKind::text, CellKind::text, CellKind::text, CellKind::missing});
  const Column c = column("c", {"c", "a"}, {CellKind::text, CellKind::text});
  const CategoryCounts counts = category_counts(r, c);
  CHECK(counts.categories == std::vector<std::string>{"a", "b", "c"});
  CHECK(counts.reference == std::vector<std::uint64_t>{2, 1, 0});
  CHECK(counts.current == std::vector<std::uint64_t>{1, 0, 1});
  CHECK(counts.missing == 1);
}

TEST_CASE("samples: points are standardised by the reference and subsampled with a fixed seed", "[samples]") {
  Table reference;
  reference.path = "r.csv";
  reference.row_line = {2, 3, 4, 5};
  Table current;
  current.path = "c.csv";
  current.row_line = {2, 3};
  const std::vector<CellKind> text4(4, CellKind::text);
  reference.columns = {column("x", {"1", "2", "3", "4"}, text4), column("k", {"5", "5", "5", "5"}, text4)};
  current.columns = {column("x", {"2.5", ""}, {CellKind::text, CellKind::missing}),
                     column("k", {"6", "5"}, {CellKind::text, CellKind::text})};
  const std::vector<const Column*> rc = {&reference.columns[0], &reference.columns[1]};
  const std::vector<const Column*> cc = {&current.columns[0], &current.columns[1]};

  TableNumbers ref_numbers(reference);
  TableNumbers cur_numbers(current);
  const PointValues points = point_values(ref_numbers, rc, cur_numbers, cc, 1000, 1);
  CHECK(points.dims == 2);
  CHECK(points.incomplete == 1);
  // x: mean 2.5, population sd sqrt(1.25); k: sd 0 counts as 1.
  REQUIRE(points.reference.size() == 8);
  CHECK(points.reference[0] == Approx(-1.5 / std::sqrt(1.25)));
  CHECK(points.reference[1] == 0.0);
  REQUIRE(points.current.size() == 2);
  CHECK(points.current[0] == 0.0);
  CHECK(points.current[1] == 1.0);

  const PointValues small = point_values(ref_numbers, rc, cur_numbers, cc, 2, 7);
  CHECK(small.reference.size() == 4);
  const PointValues again = point_values(ref_numbers, rc, cur_numbers, cc, 2, 7);
  CHECK(again.reference == small.reference);
}
