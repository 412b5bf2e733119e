#include "score/score_input.h"

#include <catch2/catch.hpp>

#include "driftd/error.h"
#include "temp_file.h"

using namespace driftd;
using driftd::testing::TempDir;

TEST_CASE("score_input: both files are read and their numeric columns prepared", "[score_input]") {
  TempDir dir;
  const auto reference = dir.write("r.csv", "x,c\n3,a\n1,b\n2,a\n");
  const auto current = dir.write("c.csv", "x,c\n5,b\n,b\n4,a\n");
  const ScoreInputs inputs = read_score_inputs(reference, current, "", {});
  REQUIRE(inputs.reference->table.rows() == 3);
  REQUIRE(inputs.current->table.rows() == 3);
  const Column& x = inputs.current->table.columns[0];
  CHECK(inputs.current->numbers.sorted(x) == std::vector<double>{4, 5});
  CHECK(inputs.current->numbers.missing(x) == 1);
  CHECK_FALSE(inputs.reference->numbers.all_numbers(inputs.reference->table.columns[1]));
}

TEST_CASE("score_input: when both files are at fault the reference's error is reported", "[score_input]") {
  TempDir dir;
  const auto reference = dir.write("r.csv", "a,b\n1\n");
  const auto current = dir.write("c.csv", "");
  for (int repeat = 0; repeat < 10; ++repeat) {
    CHECK_THROWS_WITH(read_score_inputs(reference, current, "", {}), reference + ":2: expected 2 fields, found 1");
  }
  const auto good = dir.write("g.csv", "a,b\n1,2\n");
  CHECK_THROWS_WITH(read_score_inputs(good, current, "", {}), Catch::Matchers::StartsWith(current));
}
