// The incremental window against a recomputation from scratch, on thousands
// of random steps, for count and time windows.
#include "window/model_window.h"

#include <catch2/catch.hpp>
#include <numeric>
#include <random>

#include "grid.h"

using namespace driftd;

namespace {

struct Fixture {
  ModelSchema schema{"m", {{"x", FeatureType::numeric}, {"c", FeatureType::categorical}}};
  ModelConfig model;
  ReferenceProfile profile;

  Fixture() {
    ReferenceData data;
    data.rows = 200;
    data.numbers.resize(2);
    data.texts.resize(2);
    std::mt19937_64 random(5);
    std::normal_distribution<double> normal;
    for (int i = 0; i < 200; ++i) {
      data.numbers[0].push_back(std::round(normal(random) * 10) / 10);
      data.numbers[1].push_back(0);
      data.texts[0].emplace_back();
      data.texts[1].emplace_back(std::string(1, char('a' + i % 3)));
    }
    model.features = {{"x", FeatureType::numeric, {"ks"}}, {"c", FeatureType::categorical, {"chi2"}}};
    profile = prepare_reference(data, schema, model, Defaults{}, 5, 1);
  }
};

struct Kept {
  std::int64_t ts;
  bool x_missing;
  double x;
  std::string c;
};

DecodedEvent make_event(std::mt19937_64& random, std::int64_t ts, std::string& text_storage) {
  std::normal_distribution<double> normal(0.3, 1.2);
  DecodedEvent event{.model = 0, .ts_ms = ts, .values = std::vector<ColumnValue>(2)};
  event.values[0].missing = random() % 10 == 0;
  event.values[0].number = std::round(normal(random) * 20) / 20;
  event.values[1].missing = random() % 12 == 0;
  text_storage = std::string(1, char('a' + random() % 7));  // more categories than the bound of 5
  event.values[1].text = text_storage;
  return event;
}

void check_against(ModelWindow& window, Fixture& f, const std::vector<Kept>& kept) {
  std::vector<double> xs;
  std::uint64_t x_missing = 0;
  std::uint64_t c_missing = 0;
  CategoryDictionary& dictionary = f.profile.categorical[1]->dictionary;
  std::vector<std::uint64_t> categories(dictionary.size(), 0);
  for (const Kept& k : kept) {
    if (k.x_missing) ++x_missing;
    else xs.push_back(k.x);
    if (k.c.empty()) ++c_missing;
    else ++categories[dictionary.code(k.c)];
  }
  REQUIRE(window.size() == kept.size());
  const GridSample grid = window.numeric_sample(0);
  REQUIRE(grid.total);
  CHECK(*grid.total == std::accumulate(grid.counts.begin(), grid.counts.end(), std::uint64_t{0}));
  const auto expected = grid_counts(f.profile.numeric[0]->grid.points(), xs);
  CHECK(std::vector<GridCount>(grid.counts.begin(), grid.counts.end()) == expected);
  CHECK(window.missing(0) == x_missing);
  CHECK(window.missing(1) == c_missing);
  const auto [reference, current] = window.categorical_samples(1);
  CHECK(std::vector<std::uint64_t>(current.counts.begin(), current.counts.end()) == categories);
  CHECK(reference.counts.size() == current.counts.size());
}

}  // namespace

TEST_CASE("model_window: a count window equals the last `size` events, evaluated every `step`", "[window]") {
  Fixture f;
  const WindowConfig config{.size = 50, .step = 7};
  ModelWindow window(f.schema, f.profile, config);
  std::mt19937_64 random(11);
  std::vector<Kept> all;
  std::string text;
  std::vector<std::uint64_t> evaluated_at;
  for (std::uint64_t sequence = 1; sequence <= 3000; ++sequence) {
    const DecodedEvent event = make_event(random, std::int64_t(sequence * 10), text);
    REQUIRE(window.add(event, sequence));
    all.push_back({event.ts_ms, event.values[0].missing, event.values[0].number,
                   event.values[1].missing ? "" : text});
    if (window.due()) {
      evaluated_at.push_back(sequence);
      window.mark_evaluated();
    }
    if (sequence % 13 == 0 || sequence < 60) {
      const std::size_t from = all.size() > 50 ? all.size() - 50 : 0;
      check_against(window, f, std::vector<Kept>(all.begin() + long(from), all.end()));
    }
  }
  REQUIRE(evaluated_at.size() >= 2);
  CHECK(evaluated_at[0] == 50);  // first when full
  CHECK(evaluated_at[1] == 57);  // then every 7 events
  CHECK(evaluated_at.back() == 50 + 7 * ((3000 - 50) / 7));
  const WindowInfo info = window.info();
  CHECK(info.count == 50);
  CHECK(info.end_sequence == 3000);
  CHECK(info.start_ts == all[all.size() - 50].ts);
  CHECK(info.end_ts == all.back().ts);
  CHECK(f.profile.categorical[1]->dictionary.overflowed() > 0);  // 7 categories, bound 5
}

TEST_CASE("model_window: counts read rarely, after events came and went unread, are still exact", "[window]") {
  // Counting waits for a read or for a batch of events: read after fewer
  // events than a batch (some added and evicted unread), after several
  // batches, and at a window larger than a batch.
  for (const std::size_t size : {std::size_t(100), std::size_t(3000)}) {
    Fixture f;
    ModelWindow window(f.schema, f.profile, WindowConfig{.size = size, .step = 1});
    std::mt19937_64 random(size);
    std::vector<Kept> all;
    std::string text;
    for (std::uint64_t sequence = 1; sequence <= 9000; ++sequence) {
      const DecodedEvent event = make_event(random, std::int64_t(sequence), text);
      REQUIRE(window.add(event, sequence));
      all.push_back({event.ts_ms, event.values[0].missing, event.values[0].number,
                     event.values[1].missing ? "" : text});
      if (sequence == 700 || sequence == 5000 || sequence == 9000) {
        INFO("size " << size << ", read after " << sequence);
        const std::size_t from = all.size() > size ? all.size() - size : 0;
        check_against(window, f, std::vector<Kept>(all.begin() + long(from), all.end()));
      }
    }
  }
}

TEST_CASE("model_window: a time window holds the events after B - duration up to B at each boundary B, late events dropped", "[window]") {
  Fixture f;
  const WindowConfig config{.duration = Millis(1000), .step_duration = Millis(250)};
  ModelWindow window(f.schema, f.profile, config);
  std::mt19937_64 random(12);
  std::vector<Kept> accepted;
  std::string text;
  std::int64_t clock = 100'000;
  int boundaries = 0;
  int late = 0;
  for (std::uint64_t sequence = 1; sequence <= 4000; ++sequence) {
    clock += std::int64_t(random() % 40);
    // Out of order: most events a little behind the clock, a few far behind.
    const std::int64_t lag = random() % 20 == 0 ? std::int64_t(random() % 1500) : std::int64_t(random() % 100);
    const DecodedEvent event = make_event(random, clock - lag, text);
    for (const std::int64_t boundary : window.boundaries_closed_by(event.ts_ms)) {
      window.close_boundary(boundary);
      ++boundaries;
      CHECK(boundary % 250 == 0);
      std::vector<Kept> expected;
      for (const Kept& k : accepted) {
        if (k.ts > boundary - 1000 && k.ts <= boundary) expected.push_back(k);
      }
      check_against(window, f, expected);
      CHECK(window.info().end_ts == boundary);
      CHECK(window.info().start_ts == boundary - 1000);
    }
    if (window.add(event, sequence)) {
      accepted.push_back({event.ts_ms, event.values[0].missing, event.values[0].number,
                          event.values[1].missing ? "" : text});
    } else {
      ++late;
    }
  }
  CHECK(boundaries > 100);
  CHECK(late > 0);
  CHECK(late < 200);
}

TEST_CASE("model_window: a time window holds at most max_events, the newest by event time", "[window]") {
  Fixture f;
  const WindowConfig config{.duration = Millis(60'000), .step_duration = Millis(10'000), .max_events = 50};
  ModelWindow window(f.schema, f.profile, config);
  std::mt19937_64 random(5);
  std::vector<Kept> accepted;
  std::string text;
  // 200 events within one window's span, slightly out of order.
  for (std::uint64_t sequence = 1; sequence <= 200; ++sequence) {
    const std::int64_t ts = 1'000'000 + std::int64_t(sequence) * 10 - std::int64_t(random() % 30);
    const DecodedEvent event = make_event(random, ts, text);
    REQUIRE(window.add(event, sequence));
    accepted.push_back({ts, event.values[0].missing, event.values[0].number, event.values[1].missing ? "" : text});
  }
  CHECK(window.overflowed() == 150);
  // What is kept: the 50 latest by event time (ties: the earlier arrival goes first).
  std::stable_sort(accepted.begin(), accepted.end(), [](const Kept& a, const Kept& b) { return a.ts < b.ts; });
  check_against(window, f, std::vector<Kept>(accepted.end() - 50, accepted.end()));
}
