#include "labels/label_join.h"

#include <catch2/catch.hpp>
#include <string>

using namespace driftd;

namespace {

LabelValue number(double value) { return LabelValue{LabelValue::Kind::number, value, {}}; }

constexpr std::int64_t kHour = 3'600'000;

std::string id_of(int i) {
  std::string id = "p";
  id += std::to_string(i);
  return id;
}

}  // namespace

TEST_CASE("label join: labels after, long after and without their prediction are each counted", "[labels][join]") {
  LabelJoin join(kHour, 100);
  join.add_prediction("a", 1'000, number(1));
  join.add_prediction("b", 2'000, number(0));
  join.add_prediction("c", 3'000, number(1));
  CHECK(join.pending() == 3);

  // After its prediction, within the hour: joined, with its lag.
  const auto a = join.take_label("a", 61'000);
  REQUIRE(a);
  CHECK(a->number == 1);
  CHECK(join.last_lag_ms() == 60'000);
  // A second label for it: duplicate, not unmatched.
  CHECK_FALSE(join.take_label("a", 62'000));
  // An id never seen: unmatched.
  CHECK_FALSE(join.take_label("zzz", 63'000));

  const auto& counts = join.counts();
  CHECK(counts.joined == 1);
  CHECK(counts.duplicate == 1);
  CHECK(counts.unmatched == 1);
  CHECK(join.pending() == 2);

  // An event two hours on lets b and c go unlabelled; their labels then find nothing.
  join.add_prediction("d", 2 * kHour + 5'000, number(0));
  CHECK(counts.expired == 2);
  CHECK_FALSE(join.take_label("b", 2 * kHour + 6'000));
  CHECK(counts.unmatched == 2);
  CHECK(join.pending() == 1);
  CHECK(counts.late == 0);
}

TEST_CASE("label join: a label before its prediction is unmatched", "[labels][join]") {
  LabelJoin join(kHour, 10);
  CHECK_FALSE(join.take_label("x", 1'000));
  join.add_prediction("x", 2'000, number(1));
  CHECK(join.counts().unmatched == 1);
  CHECK(join.pending() == 1);
  CHECK(join.take_label("x", 3'000));
}

TEST_CASE("label join: a label more than join_within after a prediction not yet let go is late", "[labels][join]") {
  LabelJoin join(kHour, 10);
  join.add_prediction("late", 10 * kHour, number(1));
  // Out of order: the model's latest time is still the prediction's, so it waits.
  join.add_prediction("earlier", 1'000, number(1));
  // The label of "earlier" comes with a time past its hour, but "late" (first
  // to leave) holds the queue: the prediction is still there, and late.
  CHECK_FALSE(join.take_label("earlier", kHour + 2'000));
  CHECK(join.counts().late == 1);
  CHECK(join.counts().joined == 0);
}

TEST_CASE("label join: beyond max_pending the oldest predictions are dropped and counted", "[labels][join]") {
  LabelJoin join(kHour, 3);
  for (int i = 0; i < 5; ++i) join.add_prediction(id_of(i), 1'000 + i, number(i));
  CHECK(join.counts().dropped == 2);
  CHECK(join.pending() == 3);
  CHECK_FALSE(join.take_label("p0", 2'000));
  CHECK_FALSE(join.take_label("p1", 2'000));
  CHECK(join.take_label("p2", 2'000));
  CHECK(join.counts().unmatched == 2);
  // A labelled prediction still holds its place until it goes: one more
  // prediction makes room by letting the labelled p2 go, uncounted.
  join.add_prediction("p5", 3'000, number(5));
  CHECK(join.counts().dropped == 2);
  CHECK(join.pending() == 3);
}

TEST_CASE("label join: a repeated prediction id keeps the first prediction", "[labels][join]") {
  LabelJoin join(kHour, 10);
  join.add_prediction("r", 1'000, number(1));
  join.add_prediction("r", 1'500, number(0));
  CHECK(join.pending() == 1);
  const auto taken = join.take_label("r", 2'000);
  REQUIRE(taken);
  CHECK(taken->number == 1);
}
