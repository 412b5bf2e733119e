// DDM, EDDM, HDDM-A and HDDM-W against the fixtures Frouros computed
// (tests/golden/gen_error_stream_spc.py), and the properties the engine
// relies on: reset() gives a new detector, save()/load() carry the state
// through a restart, load() refuses what save() could not have written.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ddm.h"
#include "eddm.h"
#include "error_stream_sample.h"
#include "golden.h"
#include "hddm_a.h"
#include "hddm_w.h"

using namespace driftd;
using driftd::testing::error_stream;

namespace {

constexpr const char* kDetectorNames[] = {"ddm", "eddm", "hddm_a", "hddm_w"};

std::unique_ptr<ErrorStreamDetector> make_detector(std::string_view name) {
  if (name == "ddm") return std::make_unique<Ddm>();
  if (name == "eddm") return std::make_unique<Eddm>();
  if (name == "hddm_a") return std::make_unique<HddmA>();
  if (name == "hddm_w") return std::make_unique<HddmW>();
  FAIL("unknown detector " << std::string(name));
  return nullptr;
}

std::string status_text(ErrorStreamStatus status) {
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

using Transitions = std::vector<std::pair<std::size_t, std::string>>;

// The fixtures' protocol: a transition whenever the status differs from the
// previous step's, reset() after each drift. `previous` carries the status of
// the step before `first` when a run is continued.
// `statistics` gets the statistic after every step (after the reset that
// follows a drift), for comparison with the fixtures' checkpoints.
struct Run {
  Transitions transitions;
  ErrorStreamStatus previous = ErrorStreamStatus::in_control;
  std::vector<double> statistics;
};

void feed(ErrorStreamDetector& detector, const std::vector<double>& stream, std::size_t first, std::size_t end,
          Run& run) {
  for (std::size_t step = first; step < end; ++step) {
    const ErrorStreamStatus status = detector.update(stream[step]);
    if (status != run.previous) run.transitions.emplace_back(step, status_text(status));
    run.previous = status;
    if (status == ErrorStreamStatus::drift) detector.reset();
    run.statistics.push_back(detector.statistic());
  }
}

Run run_all(ErrorStreamDetector& detector, const std::vector<double>& stream) {
  Run run;
  feed(detector, stream, 0, stream.size(), run);
  return run;
}

std::size_t drifts_in(const Transitions& transitions, std::size_t from, std::size_t to) {
  std::size_t count = 0;
  for (const auto& [step, status] : transitions) count += status == "drift" && step >= from && step < to;
  return count;
}

std::vector<double> saved(const ErrorStreamDetector& detector) {
  std::vector<double> state;
  detector.save(state);
  return state;
}

// Bit-for-bit equality of states: infinities compare equal, no NaN is expected.
bool same_state(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i])) return false;
  }
  return true;
}

std::vector<double> make_stream(std::uint64_t seed, std::uint64_t n, const char* kind, double before, double after,
                                std::uint64_t change_at) {
  simdjson::dom::parser parser;
  const std::string json = "{\"seed\": " + std::to_string(seed) + ", \"n\": " + std::to_string(n) + ", \"kind\": \"" +
                           kind + "\", \"before\": " + std::to_string(before) +
                           ", \"after\": " + std::to_string(after) + ", \"change_at\": " + std::to_string(change_at) +
                           ", \"ramp\": 0}";
  return error_stream(parser.parse(json).value());
}

}  // namespace

TEST_CASE("spc detectors: transitions and statistic agree with Frouros", "[ddm][eddm][hddm_a][hddm_w][golden]") {
  simdjson::dom::parser parser;
  const auto golden = driftd::testing::load_golden(parser, "error_stream_spc.json");
  std::size_t cases = 0;
  std::size_t cases_with_drift = 0;
  std::map<std::string, std::size_t, std::less<>> cases_per_detector;
  for (auto c : golden["cases"].get_array()) {
    const std::string name{std::string_view(c["name"])};
    INFO(name);
    const auto stream = error_stream(c["stream"]);
    auto detector = make_detector(std::string_view(c["detector"]));
    REQUIRE(detector->name() == std::string_view(c["detector"]));

    Transitions expected;
    for (auto t : c["transitions"].get_array()) {
      expected.emplace_back(std::size_t(std::uint64_t(t.at(0))), std::string(std::string_view(t.at(1))));
    }
    const Run run = run_all(*detector, stream);
    CHECK(run.transitions == expected);
    CHECK(detector->statistic() == Approx(double(c["statistic"])).epsilon(1e-12).margin(1e-15));
    std::size_t checkpoints = 0;
    for (auto at : c["statistics_at"].get_array()) {
      const auto step = std::size_t(std::uint64_t(at.at(0)));
      INFO("statistic after step " << step);
      REQUIRE(step < run.statistics.size());
      CHECK(run.statistics[step] == Approx(double(at.at(1))).epsilon(1e-12).margin(1e-15));
      ++checkpoints;
    }
    CHECK(checkpoints >= 15);
    cases_with_drift += drifts_in(expected, 0, stream.size()) > 0;
    ++cases_per_detector[std::string(detector->name())];
    ++cases;
  }
  for (const char* name : kDetectorNames) {
    INFO(name);
    CHECK(cases_per_detector[name] >= 9);
  }
  CHECK(cases >= 40);
  CHECK(cases_with_drift >= 20);
}

TEST_CASE("spc detectors: the statistic is named and finite", "[ddm][eddm][hddm_a][hddm_w]") {
  const auto stream = make_stream(5, 2000, "bernoulli", 0.1, 0.4, 1000);
  for (const char* name : kDetectorNames) {
    INFO(name);
    auto detector = make_detector(name);
    CHECK(detector->name() == name);
    CHECK(!detector->statistic_name().empty());
    CHECK(std::isfinite(detector->statistic()));
    for (double error : stream) {
      detector->update(error);
      REQUIRE(std::isfinite(detector->statistic()));
    }
  }
}

TEST_CASE("spc detectors: after reset a detector behaves as a new one", "[ddm][eddm][hddm_a][hddm_w]") {
  const auto first = make_stream(101, 1700, "bernoulli", 0.1, 0.5, 800);
  const auto second = make_stream(102, 3000, "bernoulli", 0.15, 0.45, 1500);
  for (const char* name : kDetectorNames) {
    INFO(name);
    auto used = make_detector(name);
    for (double error : first) used->update(error);
    used->reset();
    auto fresh = make_detector(name);
    CHECK(same_state(saved(*used), saved(*fresh)));
    CHECK(used->statistic() == fresh->statistic());
    const Run from_used = run_all(*used, second);
    const Run from_fresh = run_all(*fresh, second);
    CHECK(from_used.transitions == from_fresh.transitions);
    CHECK(drifts_in(from_fresh.transitions, 0, second.size()) > 0);
    CHECK(used->statistic() == fresh->statistic());
  }
}

TEST_CASE("spc detectors: save then load continues as the original", "[ddm][eddm][hddm_a][hddm_w]") {
  const auto bernoulli = make_stream(201, 3000, "bernoulli", 0.1, 0.4, 1200);
  const auto uniform = make_stream(202, 3000, "uniform", 0.2, 0.45, 1200);
  const std::size_t splits[] = {0, 1, 17, 29, 30, 31, 500, 1201, 1250, 2999};
  for (const char* name : kDetectorNames) {
    for (const auto* stream : {&bernoulli, &uniform}) {
      const Run whole = [&] {
        auto detector = make_detector(name);
        return run_all(*detector, *stream);
      }();
      for (std::size_t split : splits) {
        INFO(name << " split at " << split);
        auto original = make_detector(name);
        Run run;
        feed(*original, *stream, 0, split, run);
        auto restored = make_detector(name);
        REQUIRE(restored->load(saved(*original)));
        CHECK(same_state(saved(*restored), saved(*original)));
        CHECK(restored->statistic() == original->statistic());

        Run original_run = run;
        feed(*original, *stream, split, stream->size(), original_run);
        Run restored_run = run;
        feed(*restored, *stream, split, stream->size(), restored_run);
        CHECK(restored_run.transitions == original_run.transitions);
        CHECK(restored_run.transitions == whole.transitions);
        CHECK(restored->statistic() == original->statistic());
        CHECK(same_state(saved(*restored), saved(*original)));
      }
    }
  }
}

TEST_CASE("spc detectors: load refuses a state save could not have written", "[ddm][eddm][hddm_a][hddm_w]") {
  const auto stream = make_stream(301, 1500, "bernoulli", 0.2, 0.2, 1500);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const char* name : kDetectorNames) {
    INFO(name);
    auto source = make_detector(name);
    for (double error : stream) source->update(error);
    const std::vector<double> good = saved(*source);
    const std::vector<double> fresh_state = saved(*make_detector(name));
    REQUIRE(good.size() >= 4);

    std::vector<std::vector<double>> bad;
    bad.emplace_back();                              // empty
    bad.emplace_back(good.begin(), good.end() - 1);  // truncated
    bad.push_back(good);
    bad.back().push_back(0.0);  // too long
    bad.push_back(good);
    bad.back()[0] = -1.0;  // a negative count
    bad.push_back(good);
    bad.back()[0] = 12.5;  // a count that is not whole
    bad.push_back(good);
    bad.back()[0] = nan;
    bad.push_back(good);
    bad.back()[1] = nan;
    bad.push_back(good);
    bad.back()[2] = -inf;
    bad.emplace_back(good.size(), -3.0);  // garbage of the right size
    bad.emplace_back(good.size(), nan);

    for (std::size_t i = 0; i < bad.size(); ++i) {
      INFO("bad state " << i);
      auto target = make_detector(name);
      for (double error : stream) target->update(error);  // load must also clear what was there
      CHECK_FALSE(target->load(bad[i]));
      CHECK(same_state(saved(*target), fresh_state));
    }

    auto target = make_detector(name);
    CHECK(target->load(good));
    CHECK(same_state(saved(*target), good));
  }
}

TEST_CASE("spc detectors: a stationary stream gives no drift, a worse one gives drift", "[ddm][eddm][hddm_a][hddm_w]") {
  struct Pair {
    const char* detector;
    std::uint64_t seed;
    const char* kind;
    double level;
    double worse;
  };
  // Every one of these detectors raises false alarms on stationary 0/1
  // streams, in Frouros and so here: of 3000-step streams at error rate 0.2,
  // DDM drifted on 6 of 20 seeds, EDDM on 16 of 20, HDDM-A on 5 of 40, HDDM-W
  // on 11 of 40 (see also the fixtures' "stationary" cases). The Bernoulli
  // pairs use seeds on which the detector stays quiet, so that they show the
  // change being seen; on bounded continuous errors the HDDMs stayed quiet on
  // all 40 seeds tried.
  const Pair pairs[] = {
      {"ddm", 400, "bernoulli", 0.2, 0.5},    {"eddm", 402, "bernoulli", 0.2, 0.5},
      {"hddm_a", 403, "bernoulli", 0.2, 0.4}, {"hddm_w", 404, "bernoulli", 0.2, 0.6},
      {"hddm_a", 405, "uniform", 0.2, 0.4},   {"hddm_w", 406, "uniform", 0.1, 0.45},
  };
  for (const Pair& pair : pairs) {
    INFO(pair.detector << " " << pair.kind << " seed " << pair.seed);
    const auto stationary = make_stream(pair.seed, 3000, pair.kind, pair.level, pair.level, 3000);
    const auto shifted = make_stream(pair.seed, 3000, pair.kind, pair.level, pair.worse, 1500);
    auto detector = make_detector(pair.detector);
    const Run quiet = run_all(*detector, stationary);
    CHECK(drifts_in(quiet.transitions, 0, stationary.size()) == 0);
    detector->reset();
    const Run loud = run_all(*detector, shifted);
    // The two streams share their first 1500 values, so whatever happens before the change is the same.
    CHECK(drifts_in(loud.transitions, 0, 1500) == 0);
    CHECK(drifts_in(loud.transitions, 1500, shifted.size()) > 0);
  }
}
