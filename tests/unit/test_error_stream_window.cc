// ADWIN and Page-Hinkley against the fixtures Frouros computed
// (tests/golden/gen_error_stream_window.py), and the properties the fixtures
// cannot show: reset, save/load, bounded memory, rejecting bad states.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adwin.h"
#include "error_stream_sample.h"
#include "golden.h"
#include "page_hinkley.h"

using namespace driftd;

namespace {

std::unique_ptr<ErrorStreamDetector> make_detector(std::string_view name) {
  if (name == "adwin") return std::make_unique<Adwin>();
  if (name == "page_hinkley") return std::make_unique<PageHinkley>();
  throw std::invalid_argument("unknown detector " + std::string(name));
}

std::string status_name(ErrorStreamStatus status) {
  switch (status) {
    case ErrorStreamStatus::in_control:
      return "in_control";
    case ErrorStreamStatus::warning:
      return "warning";
    case ErrorStreamStatus::drift:
      return "drift";
  }
  return "?";
}

// What the fixture protocol records, plus the statistic after every step
// (for comparing a run split by save/load with an unsplit one).
struct Trace {
  ErrorStreamStatus previous = ErrorStreamStatus::in_control;
  std::vector<std::pair<std::uint64_t, std::string>> transitions;
  std::vector<std::pair<std::uint64_t, double>> statistic_at_drift;
  std::vector<double> statistic_after_step;
};

// The protocol of gen_error_stream_window.py: feed, record status changes,
// reset on drift (as driftd's engine does once it has taken a drift).
void feed(ErrorStreamDetector& detector, const std::vector<double>& values, std::size_t begin, std::size_t end,
          Trace& trace) {
  for (std::size_t step = begin; step < end; ++step) {
    const ErrorStreamStatus status = detector.update(values[step]);
    if (status != trace.previous) {
      trace.transitions.emplace_back(step, status_name(status));
      trace.previous = status;
    }
    if (status == ErrorStreamStatus::drift) {
      trace.statistic_at_drift.emplace_back(step, detector.statistic());
      detector.reset();
      trace.previous = ErrorStreamStatus::in_control;
    }
    trace.statistic_after_step.push_back(detector.statistic());
  }
}

Trace run(ErrorStreamDetector& detector, const std::vector<double>& values) {
  Trace trace;
  feed(detector, values, 0, values.size(), trace);
  return trace;
}

std::vector<double> stream(const std::string& spec_json) {
  simdjson::dom::parser parser;
  return driftd::testing::error_stream(parser.parse(spec_json).value());
}

std::vector<double> bernoulli(std::uint64_t seed, std::uint64_t n, double before, double after,
                              std::uint64_t change_at) {
  return stream(R"({"seed": )" + std::to_string(seed) + R"(, "n": )" + std::to_string(n) +
                R"(, "kind": "bernoulli", "before": )" + std::to_string(before) + R"(, "after": )" +
                std::to_string(after) + R"(, "change_at": )" + std::to_string(change_at) + R"(, "ramp": 0})");
}

std::vector<double> saved(const ErrorStreamDetector& detector) {
  std::vector<double> state;
  detector.save(state);
  return state;
}

void check_golden(std::string_view name, int expected_cases) {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "error_stream_window.json");
  int cases = 0;
  for (auto c : golden["cases"].get_array()) {
    if (std::string_view(c["detector"]) != name) continue;
    const auto values = driftd::testing::error_stream(c["stream"]);
    INFO(name << ": " << std::string_view(c["label"]) << ", seed " << std::uint64_t(c["stream"]["seed"]));
    auto detector = make_detector(name);
    const Trace trace = run(*detector, values);

    std::vector<std::pair<std::uint64_t, std::string>> expected;
    for (auto pair : c["transitions"].get_array()) {
      expected.emplace_back(std::uint64_t(pair.at(0)), std::string(std::string_view(pair.at(1))));
    }
    CHECK(trace.transitions == expected);

    for (auto pair : c["statistic_at"].get_array()) {
      const auto step = std::uint64_t(pair.at(0));
      REQUIRE(step < trace.statistic_after_step.size());
      INFO("statistic after step " << step);
      CHECK(trace.statistic_after_step[step] == Approx(double(pair.at(1))).epsilon(1e-12).margin(1e-300));
    }
    std::vector<std::pair<std::uint64_t, double>> expected_at_drift;
    for (auto pair : c["statistic_at_drift"].get_array()) {
      expected_at_drift.emplace_back(std::uint64_t(pair.at(0)), double(pair.at(1)));
    }
    REQUIRE(trace.statistic_at_drift.size() == expected_at_drift.size());
    for (std::size_t i = 0; i < expected_at_drift.size(); ++i) {
      CHECK(trace.statistic_at_drift[i].first == expected_at_drift[i].first);
      CHECK(trace.statistic_at_drift[i].second == Approx(expected_at_drift[i].second).epsilon(1e-12).margin(1e-300));
    }
    ++cases;
  }
  CHECK(cases == expected_cases);
}

// The most rows ADWIN's histogram can use for a window of `width` values:
// every row but the oldest keeps at least m - 1 buckets once the next row
// exists (a row only loses buckets by merging m + 1 into m - 1, or, the
// oldest, by a cut), and the oldest holds at least one, so a window with
// L rows has width >= (m - 1)(2^(L-1) - 1) + 2^(L-1) = m 2^(L-1) - (m - 1).
std::size_t adwin_row_bound(std::uint64_t width, std::uint64_t m) {
  std::size_t rows = 1;
  while (m * (std::uint64_t(1) << rows) - (m - 1) <= width) ++rows;
  return rows;
}

}  // namespace

TEST_CASE("adwin: drift steps and window width agree with Frouros", "[adwin][golden]") { check_golden("adwin", 19); }

TEST_CASE("page_hinkley: drift steps and cumulative sum agree with Frouros", "[page_hinkley][golden]") {
  check_golden("page_hinkley", 19);
}

TEST_CASE("adwin: the window kept after cuts agrees with Frouros, for other parameters", "[adwin][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "error_stream_window.json");
  int cases = 0;
  int with_drift = 0;
  for (auto c : golden["adwin_without_reset"].get_array()) {
    const auto p = c["params"];
    const AdwinParams params{.delta = double(p["delta"]),
                             .m = std::uint32_t(std::uint64_t(p["m"])),
                             .clock = std::uint32_t(std::uint64_t(p["clock"])),
                             .min_window_size = std::uint32_t(std::uint64_t(p["min_window_size"])),
                             .min_num_instances = std::uint32_t(std::uint64_t(p["min_num_instances"]))};
    INFO("m " << params.m << ", clock " << params.clock << ", seed " << std::uint64_t(c["stream"]["seed"]));
    const auto values = driftd::testing::error_stream(c["stream"]);
    Adwin adwin(params);
    std::vector<double> width_after_step;
    std::int64_t first_drift = -1;
    for (std::size_t step = 0; step < values.size(); ++step) {
      if (adwin.update(values[step]) == ErrorStreamStatus::drift && first_drift < 0) first_drift = std::int64_t(step);
      width_after_step.push_back(adwin.statistic());
    }
    const std::int64_t expected_first_drift = c["first_drift"].is_null() ? -1 : std::int64_t(c["first_drift"]);
    CHECK(first_drift == expected_first_drift);
    for (auto pair : c["width_at"].get_array()) {
      const auto step = std::uint64_t(pair.at(0));
      REQUIRE(step < width_after_step.size());
      INFO("step " << step);
      CHECK(width_after_step[step] == double(std::uint64_t(pair.at(1))));
    }
    if (first_drift >= 0) ++with_drift;
    ++cases;
  }
  CHECK(cases == 8);
  CHECK(with_drift == 6);
}

TEST_CASE("window detectors: names, statistic names and defaults", "[adwin][page_hinkley]") {
  Adwin adwin;
  PageHinkley page_hinkley;
  CHECK(adwin.name() == "adwin");
  CHECK(adwin.statistic_name() == "window_width");
  CHECK(page_hinkley.name() == "page_hinkley");
  CHECK(page_hinkley.statistic_name() == "cumulative_sum");
  CHECK(adwin.params().delta == 0.002);
  CHECK(adwin.params().m == 5);
  CHECK(adwin.params().clock == 32);
  CHECK(adwin.params().min_window_size == 5);
  CHECK(adwin.params().min_num_instances == 10);
  CHECK(page_hinkley.params().delta == 0.005);
  CHECK(page_hinkley.params().lambda == 50.0);
  CHECK(page_hinkley.params().alpha == 0.9999);
  CHECK(page_hinkley.params().min_num_instances == 30);
  CHECK(adwin.statistic() == 0.0);
  CHECK(page_hinkley.statistic() == 0.0);
}

TEST_CASE("window detectors: parameters out of range are rejected", "[adwin][page_hinkley]") {
  CHECK_THROWS_AS(Adwin(AdwinParams{.delta = 0.0}), std::invalid_argument);
  CHECK_THROWS_AS(Adwin(AdwinParams{.delta = 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(Adwin(AdwinParams{.delta = std::nan("")}), std::invalid_argument);
  CHECK_THROWS_AS(Adwin(AdwinParams{.m = 0}), std::invalid_argument);
  CHECK_THROWS_AS(Adwin(AdwinParams{.clock = 0}), std::invalid_argument);
  CHECK_THROWS_AS(Adwin(AdwinParams{.min_window_size = 0}), std::invalid_argument);
  CHECK_THROWS_AS(Adwin(AdwinParams{.min_num_instances = 0}), std::invalid_argument);
  CHECK_THROWS_AS(PageHinkley(PageHinkleyParams{.delta = -0.1}), std::invalid_argument);
  CHECK_THROWS_AS(PageHinkley(PageHinkleyParams{.lambda = -1.0}), std::invalid_argument);
  CHECK_THROWS_AS(PageHinkley(PageHinkleyParams{.alpha = 1.5}), std::invalid_argument);
  CHECK_THROWS_AS(PageHinkley(PageHinkleyParams{.min_num_instances = 0}), std::invalid_argument);
  CHECK_NOTHROW(Adwin(AdwinParams{.m = 1, .clock = 1}));
  CHECK_NOTHROW(PageHinkley(PageHinkleyParams{.alpha = 1.0}));
}

TEST_CASE("window detectors: reset gives a fresh detector", "[adwin][page_hinkley]") {
  const auto used_stream = bernoulli(21, 3000, 0.1, 0.5, 1500);
  const auto test_stream = bernoulli(22, 3000, 0.1, 0.4, 1000);
  for (std::string_view name : {"adwin", "page_hinkley"}) {
    INFO(name);
    auto fresh = make_detector(name);
    auto used = make_detector(name);
    for (double value : used_stream) used->update(value);
    REQUIRE(saved(*used) != saved(*fresh));
    used->reset();
    CHECK(saved(*used) == saved(*fresh));
    CHECK(used->statistic() == fresh->statistic());
    const Trace expected = run(*fresh, test_stream);
    const Trace actual = run(*used, test_stream);
    CHECK(actual.transitions == expected.transitions);
    CHECK(actual.statistic_after_step == expected.statistic_after_step);
    REQUIRE_FALSE(expected.transitions.empty());
  }
}

TEST_CASE("window detectors: save then load continues identically", "[adwin][page_hinkley][state]") {
  const auto values = bernoulli(23, 4000, 0.1, 0.45, 2000);
  for (std::string_view name : {"adwin", "page_hinkley"}) {
    INFO(name);
    auto whole = make_detector(name);
    const Trace expected = run(*whole, values);
    REQUIRE_FALSE(expected.transitions.empty());

    // Split points: the start, inside the first clock period, at and next
    // to clock ticks, steps whose update cascaded merges through several
    // rows of ADWIN's histogram (a new row opened), and around each drift.
    std::vector<std::size_t> splits = {0, 1, 7, 31, 32, 33, 64, 1000, 1999, 2000, values.size() - 1, values.size()};
    {
      Adwin probe;
      std::size_t rows = probe.bucket_rows();
      for (std::size_t step = 0; step < values.size(); ++step) {
        probe.update(values[step]);
        if (probe.bucket_rows() > rows) splits.push_back(step + 1);
        rows = probe.bucket_rows();
      }
    }
    for (const auto& [step, status] : expected.transitions) {
      splits.push_back(step);
      splits.push_back(step + 1);
    }
    for (std::size_t split : splits) {
      INFO("split at " << split);
      auto first = make_detector(name);
      Trace trace;
      feed(*first, values, 0, split, trace);
      auto second = make_detector(name);
      REQUIRE(second->load(saved(*first)));
      CHECK(saved(*second) == saved(*first));
      CHECK(second->statistic() == first->statistic());
      feed(*second, values, split, values.size(), trace);
      CHECK(trace.transitions == expected.transitions);
      CHECK(trace.statistic_after_step == expected.statistic_after_step);
      CHECK(saved(*second) == saved(*whole));
    }
  }
}

TEST_CASE("adwin: save then load continues identically inside a window being cut", "[adwin][state]") {
  // Without resets: a drift cuts the window and the cut window goes on.
  const auto values = bernoulli(24, 3000, 0.1, 0.6, 1000);
  Adwin whole;
  std::vector<double> expected_width;
  std::size_t first_drift = 0;
  for (std::size_t step = 0; step < values.size(); ++step) {
    if (whole.update(values[step]) == ErrorStreamStatus::drift && first_drift == 0) first_drift = step;
    expected_width.push_back(whole.statistic());
  }
  REQUIRE(first_drift > 1000);
  for (std::size_t split : {first_drift, first_drift + 1, first_drift + 40, std::size_t(2500)}) {
    INFO("split at " << split);
    Adwin first;
    for (std::size_t step = 0; step < split; ++step) first.update(values[step]);
    Adwin second;
    REQUIRE(second.load(saved(first)));
    for (std::size_t step = split; step < values.size(); ++step) {
      CHECK(second.update(values[step]) == ErrorStreamStatus::drift);
      REQUIRE(second.statistic() == expected_width[step]);
    }
    CHECK(saved(second) == saved(whole));
  }
}

TEST_CASE("window detectors: load rejects truncated or garbage state", "[adwin][page_hinkley][state]") {
  const auto values = bernoulli(25, 700, 0.2, 0.2, 0);
  for (std::string_view name : {"adwin", "page_hinkley"}) {
    INFO(name);
    auto source = make_detector(name);
    for (double value : values) source->update(value);
    const std::vector<double> good = saved(*source);
    const std::vector<double> fresh = saved(*make_detector(name));
    REQUIRE(good != fresh);

    auto rejects = [&](std::vector<double> state, const std::string& why) {
      INFO(why);
      auto target = make_detector(name);
      for (double value : values) target->update(value);
      CHECK_FALSE(target->load(state));
      CHECK(saved(*target) == fresh);
    };
    rejects({}, "empty");
    rejects(std::vector<double>(good.begin(), good.end() - 1), "last number cut off");
    rejects(std::vector<double>(good.begin(), good.begin() + std::ptrdiff_t(good.size() / 2)), "half");
    {
      auto longer = good;
      longer.push_back(0.0);
      rejects(longer, "one number too many");
    }
    for (std::size_t i = 0; i < good.size(); ++i) {
      auto bad = good;
      bad[i] = std::nan("");
      rejects(bad, "NaN at " + std::to_string(i));
    }
    {
      auto bad = good;
      bad[0] *= 2.0;  // the first parameter (delta for both) differs
      rejects(bad, "another configuration");
    }
    rejects(std::vector<double>(good.size(), 0.5), "all 0.5");
    rejects(std::vector<double>(good.size(), -1.0), "all -1");

    auto target = make_detector(name);
    CHECK(target->load(good));
    CHECK(saved(*target) == good);
  }

  // Structural checks of ADWIN's rows: layout [5 params, num_instances,
  // width, total, variance, drift, rows, counts..., buckets...].
  Adwin source;
  for (double value : values) source.update(value);
  const std::vector<double> good = saved(source);
  const std::size_t rows = std::size_t(good[10]);
  REQUIRE(rows >= 4);
  auto adwin_rejects = [&](std::vector<double> state, const std::string& why) {
    INFO(why);
    Adwin target;
    CHECK_FALSE(target.load(state));
    CHECK(saved(target) == saved(Adwin()));
  };
  {
    auto bad = good;
    bad[6] += 1.0;
    adwin_rejects(bad, "width not the sum of the buckets");
  }
  {
    auto bad = good;
    bad[5] = bad[6] - 1.0;
    adwin_rejects(bad, "fewer values seen than in the window");
  }
  {
    auto bad = good;
    bad[9] = 0.5;
    adwin_rejects(bad, "drift neither 0 nor 1");
  }
  {
    auto bad = good;
    bad[11] = 6.0;  // more than m buckets in row 0 (a full row would have merged)
    adwin_rejects(bad, "row 0 over-full");
  }
  {
    auto bad = good;
    bad[11] += 0.5;
    adwin_rejects(bad, "fractional count");
  }
  {
    auto bad = good;
    bad[11 + rows] = -1.0;
    adwin_rejects(bad, "negative bucket total");
  }
  {
    auto bad = good;
    bad[10] = 0.0;
    adwin_rejects(bad, "no rows");
  }
  PageHinkley page_hinkley;
  CHECK_FALSE(page_hinkley.load(good));
  Adwin adwin;
  CHECK_FALSE(adwin.load(saved(page_hinkley)));
}

TEST_CASE("adwin: the histogram stays within O(m log W) on a million values", "[adwin][memory]") {
  Adwin adwin;
  const std::uint64_t m = adwin.params().m;
  std::uint64_t state = 26;
  std::uint64_t widest = 0;
  bool within_bound = true;
  for (int step = 0; step < 1000000; ++step) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = double(state >> 11) * (1.0 / 9007199254740992.0);
    adwin.update(u < 0.2 ? 1.0 : 0.0);
    const auto width = std::uint64_t(adwin.statistic());
    widest = std::max(widest, width);
    // Only a failing step is reported: a million CHECKs would be slow.
    if (adwin.bucket_rows() > adwin_row_bound(width, m) || adwin.bucket_count() > m * adwin.bucket_rows()) {
      within_bound = false;
      INFO("step " << step << ": width " << width << ", rows " << adwin.bucket_rows() << ", buckets "
                   << adwin.bucket_count());
      CHECK(within_bound);
      break;
    }
  }
  CHECK(within_bound);
  INFO("widest window " << widest);
  CHECK(widest > 100000);
  // m 2^(L-1) - (m - 1) <= 10^6 gives L <= 18 rows of at most m buckets.
  CHECK(adwin_row_bound(1000000, m) == 18);
  CHECK(adwin.allocated_rows() <= adwin_row_bound(widest, m));
  CHECK(adwin.bucket_count() <= 18 * m);
}

TEST_CASE("adwin: stationary errors give no drift, shifted errors give drift", "[adwin]") {
  const auto stationary = bernoulli(27, 4000, 0.15, 0.15, 0);
  const auto shifted = bernoulli(27, 4000, 0.15, 0.45, 2000);
  Adwin calm;
  CHECK(run(calm, stationary).transitions.empty());
  CHECK(calm.statistic() == 4000.0);
  Adwin changed;
  const auto transitions = run(changed, shifted).transitions;
  REQUIRE(transitions.size() == 1);
  CHECK(transitions[0].first >= 2000);
  CHECK(transitions[0].first < 2400);
  CHECK(transitions[0].second == "drift");
  // The clock: cuts are only looked for every 32 values since reset.
  CHECK((transitions[0].first + 1) % 32 == 0);
}

TEST_CASE("page_hinkley: stationary errors give no drift, rising errors give drift", "[page_hinkley]") {
  const auto stationary = bernoulli(28, 4000, 0.15, 0.15, 0);
  const auto shifted = bernoulli(28, 4000, 0.15, 0.45, 2000);
  PageHinkley calm;
  CHECK(run(calm, stationary).transitions.empty());
  CHECK(calm.statistic() < 50.0);
  PageHinkley changed;
  const auto transitions = run(changed, shifted).transitions;
  REQUIRE(transitions.size() >= 1);
  CHECK(transitions[0].first >= 2000);
  CHECK(transitions[0].first < 2500);
}

TEST_CASE("page_hinkley: only a rise of the error is a drift, ADWIN sees both", "[page_hinkley][adwin]") {
  const auto falling = bernoulli(29, 4000, 0.45, 0.05, 1000);
  PageHinkley page_hinkley;
  CHECK(run(page_hinkley, falling).transitions.empty());
  CHECK(page_hinkley.statistic() < -100.0);
  Adwin adwin;
  CHECK_FALSE(run(adwin, falling).transitions.empty());
}

TEST_CASE("page_hinkley: no drift before min_num_instances values, and drift is not latched", "[page_hinkley]") {
  PageHinkley page_hinkley(PageHinkleyParams{.delta = 0.0, .lambda = 1.0, .alpha = 1.0, .min_num_instances = 5});
  // 0, 0, 10: sum = 0, 0, 10 - 10/3 = 6.67 > lambda, but only 3 values.
  CHECK(page_hinkley.update(0.0) == ErrorStreamStatus::in_control);
  CHECK(page_hinkley.update(0.0) == ErrorStreamStatus::in_control);
  CHECK(page_hinkley.update(10.0) == ErrorStreamStatus::in_control);
  CHECK(page_hinkley.statistic() == Approx(10.0 - 10.0 / 3.0));
  CHECK(page_hinkley.update(2.5) == ErrorStreamStatus::in_control);  // mean 3.125, sum 6.67 - 0.625
  CHECK(page_hinkley.update(2.5) == ErrorStreamStatus::drift);       // 5 values, mean 3, sum 5.54 > 1
  // Frouros recomputes drift at every value: falling errors clear it.
  ErrorStreamStatus status = ErrorStreamStatus::drift;
  for (int i = 0; i < 20 && status == ErrorStreamStatus::drift; ++i) status = page_hinkley.update(0.0);
  CHECK(status == ErrorStreamStatus::in_control);
}

TEST_CASE("window detectors: odd finite errors do not throw", "[adwin][page_hinkley]") {
  for (std::string_view name : {"adwin", "page_hinkley"}) {
    INFO(name);
    auto detector = make_detector(name);
    const std::vector<double> odd = {0.0, 1e-300, 1e150, 0.0, 5e-324, 1.0, 1e100, 0.0};
    for (int round = 0; round < 200; ++round) {
      for (double value : odd) CHECK_NOTHROW(detector->update(value));
    }
    std::vector<double> state;
    detector->save(state);
    auto copy = make_detector(name);
    CHECK_NOTHROW(copy->load(state));
  }
}
