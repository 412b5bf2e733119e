// The table of tests: every row makes the detector it describes, and a name
// that is not in it has no row.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "detector_registry.h"

using namespace driftd;

TEST_CASE("detector registry: each row makes a detector of its name and kind", "[registry]") {
  std::set<std::string_view> names;
  for (const DetectorInfo& info : detector_table()) {
    INFO(std::string(info.name));
    CHECK(names.insert(info.name).second);
    CHECK(find_detector(info.name) == &info);
    const auto detector = info.make(TestParams{});
    REQUIRE(detector != nullptr);
    CHECK(detector->name() == info.name);
    CHECK(detector->kind() == info.kind);
    // A multivariate test takes no single column; every other test takes some.
    CHECK(info.multivariate == !(info.numeric || info.categorical));
  }
  CHECK(names == std::set<std::string_view>{"ks", "psi", "chi2", "mmd"});
}

TEST_CASE("detector registry: what each test takes", "[registry]") {
  CHECK(find_detector("ks")->numeric);
  CHECK_FALSE(find_detector("ks")->categorical);
  CHECK(find_detector("psi")->numeric);
  CHECK(find_detector("psi")->categorical);
  CHECK(find_detector("psi")->kind == TestKind::distance);
  CHECK(find_detector("chi2")->categorical);
  CHECK_FALSE(find_detector("chi2")->numeric);
  CHECK(find_detector("mmd")->multivariate);
}

TEST_CASE("detector registry: an unknown name has no row and no detector", "[registry]") {
  CHECK(find_detector("") == nullptr);
  CHECK(find_detector("KS") == nullptr);
  CHECK(find_detector("anderson") == nullptr);
  CHECK(make_detector("anderson", {}) == nullptr);
}
