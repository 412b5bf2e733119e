#include "calibrate/calibrator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "calibrate/null_stream.h"
#include "calibrate/tail_scale.h"
#include "driftd/decision.h"
#include "sort_values.h"
#include "split_mix64.h"

namespace driftd {
namespace {

constexpr double kLevelStep = 0.05;        // the grid of surprise levels rates are measured at
constexpr std::size_t kMinEpisodes = 20;   // below this a measured rate is too noisy to use
// The simulation's size comes from a cost model (nanoseconds on this kind
// of machine), not from a clock, so that it is the same on every run.
constexpr double kGroupBudgetNs = 200e6;
// A model with many groups shares this instead, so that its start-up stays
// within seconds (each group still gets kMinEvaluations).
constexpr double kModelBudgetNs = 1'500e6;
constexpr std::size_t kMinEvaluations = 200;
constexpr std::size_t kMinMmdEvaluations = 400;
constexpr std::size_t kMaxEvaluations = 20'000;
// Each segment draws its own reference: the reference's sampling error
// counts as much as the window's, so even a short run needs several.
constexpr std::size_t kEvaluationsPerSegment = 50;
constexpr std::size_t kMaxSegments = 8;
// MMD's kernel costs the square of its points. Its null distribution, times
// 1/(1/a + 1/b) for samples of a and b points, hardly depends on them once
// they are in the hundreds, so its null streams run on a window scaled down
// to this many points, with the step scaled alike (the same overlap), and
// the statistics are scaled back.
constexpr std::size_t kMmdSimulatedPoints = 200;
// Its drawn references need only be large enough for their subsample of
// max_points to be a sample of the distribution (null_stream.h).
constexpr std::uint64_t kMmdReferenceRowsPerPoint = 50;

struct Planned {
  NullGroup group;
  std::vector<std::size_t> columns;  // the model's columns it stands for (several when uniform)
  // The groups of tests it stands for: one per column, or the one multivariate test.
  std::size_t copies() const { return std::max<std::size_t>(columns.size(), 1); }
  int multivariate = -1;             // index into model.multivariate
  std::vector<std::string> tests;
  double statistic_factor = 1.0;     // simulated statistics times this are the model's
  std::vector<TailScale> scales;
  std::size_t evaluations = 0;
  // Measured: alarm episodes per evaluation at levels kLevelStep * (j + 1),
  // made non-increasing, up to the last level with kMinEpisodes.
  std::vector<double> rates;
  // Where the rate is extrapolated from, per evaluation, at the last
  // measured level: see measure_rates().
  double tail_base = 0.0;
  std::vector<std::vector<double>> surprises;  // [evaluation][test], as simulated
};

// The share of simulated evaluations at which test t reached `level`, or,
// past the last measured level, that share there along e^-L.
double exceedance(const Planned& planned, std::size_t t, double level) {
  const double last_level = kLevelStep * double(planned.rates.size());
  const double at = std::min(level, last_level);
  std::size_t count = 0;
  for (const auto& row : planned.surprises) count += row[t] >= at ? 1 : 0;
  const double share = planned.surprises.empty() ? 0.0 : double(count) / double(planned.surprises.size());
  return share * std::exp(-(level - at));
}

bool continuous_without_missing(const std::vector<double>& values) {
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (const double v : values) {
    if (std::isnan(v)) return false;
    sorted.push_back(v);
  }
  sort_values(sorted);
  return std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
}

ModelConfig group_model(const ModelConfig& model, std::size_t window, std::size_t step) {
  ModelConfig group;
  group.id = model.id;
  group.reference.from_stream = 0;
  group.window.size = window;
  group.window.step = step;
  group.alerting.mode = AlertMode::statistics_only;
  return group;
}

std::string joined_tests(const std::vector<std::string>& tests) {
  std::string joined;
  for (const auto& test : tests) joined += test + ",";
  return joined;
}

std::vector<Planned> plan_groups(const ModelSchema& schema, const ModelConfig& model, const ReferenceData& reference,
                                 std::size_t window, std::size_t step) {
  std::vector<Planned> groups;
  std::map<std::string, std::size_t> uniform_groups;  // by their tests
  for (std::size_t c = 0; c < schema.columns.size(); ++c) {
    FeatureConfig feature = model.column_config(c);
    if (feature.tests.empty()) continue;
    feature.name = schema.columns[c].name;
    const bool uniform = schema.columns[c].type == FeatureType::numeric && continuous_without_missing(reference.numbers[c]);
    if (uniform) {
      const auto [found, added] = uniform_groups.emplace(joined_tests(feature.tests), groups.size());
      if (!added) {
        groups[found->second].columns.push_back(c);
        continue;
      }
    }
    Planned& planned = groups.emplace_back();
    planned.group.schema = {.id = model.id, .columns = {{.name = feature.name, .type = feature.type}}};
    planned.group.model = group_model(model, window, step);
    planned.group.model.features.push_back(feature);
    planned.group.source_columns = {c};
    planned.group.uniform = uniform;
    planned.columns = {c};
    planned.tests = feature.tests;
  }
  for (std::size_t i = 0; i < model.multivariate.size(); ++i) {
    MultivariateConfig multivariate = model.multivariate[i];
    Planned& planned = groups.emplace_back();
    planned.group.schema.id = model.id;
    planned.group.model = group_model(model, window, step);
    for (const auto& name : multivariate.features) {
      const auto column = std::size_t(std::find_if(schema.columns.begin(), schema.columns.end(),
                                                   [&](const ColumnSchema& s) { return s.name == name; }) -
                                      schema.columns.begin());
      planned.group.schema.columns.push_back({.name = name, .type = FeatureType::numeric});
      planned.group.model.features.push_back({.name = name, .type = FeatureType::numeric, .tests = {}});
      planned.group.source_columns.push_back(column);
    }
    // Points the model compares: a of the reference, b of the window.
    const auto a = double(std::min<std::uint64_t>(multivariate.max_points, reference.rows));
    const auto b = double(std::min(multivariate.max_points, window));
    const double shrink = std::min(1.0, double(kMmdSimulatedPoints) / std::max(a, b));
    if (shrink < 1.0) {
      multivariate.max_points = std::max<std::size_t>(2, std::size_t(std::llround(double(multivariate.max_points) * shrink)));
      planned.group.model.window.size = std::max<std::size_t>(2, std::size_t(std::llround(double(window) * shrink)));
      planned.group.model.window.step = std::clamp<std::size_t>(std::size_t(std::llround(double(step) * shrink)), 1,
                                                                planned.group.model.window.size);
      const auto a_simulated = double(std::min<std::uint64_t>(multivariate.max_points, reference.rows));
      const auto b_simulated = double(std::min(multivariate.max_points, planned.group.model.window.size));
      planned.statistic_factor = (1 / a + 1 / b) / (1 / a_simulated + 1 / b_simulated);
    }
    planned.group.model.multivariate.push_back(multivariate);
    planned.group.reference_rows = kMmdReferenceRowsPerPoint * multivariate.max_points;
    planned.multivariate = int(i);
    planned.tests = {multivariate.test};
  }
  return groups;
}

// What one simulated evaluation of the group costs, by a rough model.
double evaluation_cost_ns(const Planned& planned, const ReferenceProfile& profile) {
  const WindowConfig& window = planned.group.model.window;
  double cost = 5'000.0 + double(window.step) * double(planned.group.schema.columns.size()) * 100.0;
  if (planned.multivariate >= 0) {
    const auto points = double(std::min(planned.group.model.multivariate[0].max_points, window.size));
    const auto reference = double(std::min<std::uint64_t>(planned.group.model.multivariate[0].max_points, profile.rows));
    return cost + (points + reference) * (points + reference) * 3.0;
  }
  const std::size_t c = planned.columns.front();
  const double cells = profile.numeric[c] ? double(profile.numeric[c]->counts.size())
                                          : double(profile.categorical[c]->counts.size()) * 4.0;
  return cost + cells * double(planned.tests.size());
}

std::uint64_t nonzero(const std::vector<std::uint64_t>& counts) {
  return std::uint64_t(std::count_if(counts.begin(), counts.end(), [](std::uint64_t n) { return n > 0; }));
}

TailScale scale_of(const Planned& planned, std::size_t t, const ReferenceProfile& profile, std::size_t window,
                   const std::vector<double>& simulated) {
  const std::string& test = planned.tests[t];
  if (planned.multivariate < 0) {
    const std::size_t c = planned.columns.front();
    std::uint64_t reference = 0;
    double categories = 0.0;
    if (profile.numeric[c]) {
      reference = profile.numeric[c]->total;
      categories = double(profile.numeric[c]->psi_bin_ends.size());
    } else {
      reference = std::accumulate(profile.categorical[c]->counts.begin(), profile.categorical[c]->counts.end(),
                                  std::uint64_t{0});
      categories = double(nonzero(profile.categorical[c]->counts));
    }
    const double share = profile.rows == 0 ? 1.0 : double(reference) / double(profile.rows);
    const auto current = std::max<std::uint64_t>(1, std::uint64_t(std::llround(double(window) * share)));
    const double effective = double(reference) * double(current) / (double(reference) + double(current));
    if (test == "ks") return TailScale::ks(reference, current);
    if (test == "chi2") return TailScale::chi_square(categories - 1.0, 1.0);
    if (test == "psi" && categories >= 2.0) return TailScale::chi_square(categories - 1.0, effective);
  }
  std::vector<double> column;
  for (const double x : simulated) {
    if (!std::isnan(x)) column.push_back(x);
  }
  return TailScale::fitted(column);
}

// Alarm episodes at `level` in the simulated surprises, counted as the
// alert policy raises alerts (cooldowns aside, which only remove alarms).
std::size_t count_episodes(const std::vector<std::vector<double>>& surprises, std::size_t per_segment, double level,
                           std::size_t min_consecutive) {
  struct State {
    bool firing = false;
    std::size_t drifted = 0;
    std::size_t clean = 0;
  };
  std::size_t episodes = 0;
  std::vector<State> states;
  std::size_t firing = 0;
  for (std::size_t e = 0; e < surprises.size(); ++e) {
    if (e % per_segment == 0) {
      states.assign(surprises[e].size(), State{});
      firing = 0;
    }
    const bool before = firing > 0;
    for (std::size_t t = 0; t < states.size(); ++t) {
      const double surprise = surprises[e][t];
      if (std::isnan(surprise)) continue;  // a test that could not run keeps its state
      State& state = states[t];
      if (surprise >= level) {
        ++state.drifted;
        state.clean = 0;
        if (!state.firing && state.drifted >= min_consecutive) {
          state.firing = true;
          ++firing;
        }
      } else {
        ++state.clean;
        state.drifted = 0;
        if (state.firing && state.clean >= min_consecutive) {
          state.firing = false;
          --firing;
        }
      }
    }
    if (!before && firing > 0) ++episodes;
  }
  return episodes;
}

// Episodes are few at low levels too (a test that is nearly always above
// its level fires once and stays firing), so levels are counted from the
// lowest up, and the measured curve ends at the highest level that still
// has kMinEpisodes (the count falls once past its peak).
void measure_rates(Planned& planned, const std::vector<std::vector<double>>& surprises, std::size_t per_segment,
                   std::size_t min_consecutive) {
  double largest = 0.0;
  for (const auto& row : surprises) {
    for (const double surprise : row) {
      if (!std::isnan(surprise)) largest = std::max(largest, surprise);
    }
  }
  std::vector<std::size_t> episodes;
  bool resolved = false;
  for (std::size_t j = 0; kLevelStep * double(j + 1) <= largest; ++j) {
    const std::size_t count = count_episodes(surprises, per_segment, kLevelStep * double(j + 1), min_consecutive);
    episodes.push_back(count);
    if (count == 0 || (resolved && count < kMinEpisodes)) break;
    resolved = resolved || count >= kMinEpisodes;
  }
  std::size_t measured = episodes.size();
  while (measured > 1 && episodes[measured - 1] < kMinEpisodes) --measured;
  for (std::size_t j = 0; j < measured; ++j) planned.rates.push_back(double(episodes[j]) / double(surprises.size()));
  // Past the last measured level each test's exceedances fall as e^-L. With
  // min_consecutive 1 every episode begins with one, and the share of
  // exceedances that begin an episode grows towards 1 as the level rises
  // (clusters thin out): the exceedances are the base, an upper bound. With
  // more, an episode needs a run of exceedances, which thins out faster
  // than one: the episodes are the base, and also an upper bound.
  planned.tail_base = planned.rates.empty() ? 0.0 : planned.rates.back();
  if (min_consecutive == 1 && measured > 0) {
    const double level = kLevelStep * double(measured);
    std::size_t exceedances = 0;
    for (const auto& row : surprises) {
      for (const double surprise : row) exceedances += surprise >= level ? 1 : 0;
    }
    planned.tail_base = std::max(planned.tail_base, double(exceedances) / double(surprises.size()));
  }
  // Rarely, a higher level splits an episode in two: keep the rate of a
  // level at least that of every level above it.
  for (std::size_t j = planned.rates.size(); j-- > 1;) {
    planned.rates[j - 1] = std::max(planned.rates[j - 1], planned.rates[j]);
  }
}

// The group's alarm episodes per evaluation at `level`: measured (log-linear
// between grid levels), then along e^-level past the last measured one.
double rate_at(const Planned& planned, double level) {
  const auto& rates = planned.rates;
  if (rates.empty()) return 0.0;
  const double last_level = kLevelStep * double(rates.size());
  if (level >= last_level) return planned.tail_base * std::exp(-(level - last_level));
  const double position = std::max(level / kLevelStep - 1.0, 0.0);
  const auto below = std::size_t(position);
  const double fraction = position - double(below);
  const double low = rates[below];
  const double high = rates[std::min(below + 1, rates.size() - 1)];
  if (low <= 0.0 || high <= 0.0) return low + (high - low) * fraction;
  return std::exp(std::log(low) + (std::log(high) - std::log(low)) * fraction);
}

double model_rate(const std::vector<Planned>& groups, double level) {
  double rate = 0.0;
  for (const auto& planned : groups) rate += double(planned.copies()) * rate_at(planned, level);
  return rate;
}

}  // namespace

Calibration calibrate(const ModelSchema& schema, const ModelConfig& model, const Defaults& defaults,
                      const ReferenceData& reference, const ReferenceProfile& profile, std::size_t window_events,
                      std::size_t step_events) {
  const auto start = std::chrono::steady_clock::now();
  Calibration calibration;
  calibration.by_time = model.window.by_time();
  calibration.false_alarm_every = false_alarm_every(model);
  calibration.evaluations_per_alarm = evaluations_per_false_alarm(model);
  calibration.window_events = window_events;
  calibration.step_events = step_events;
  calibration.reference_rows = reference.rows;

  std::vector<Planned> groups = plan_groups(schema, model, reference, window_events, step_events);
  // A group that stands for several columns gets up to 4 shares: its rate counts that many times.
  const auto shares = [](const Planned& planned) { return double(std::min<std::size_t>(planned.copies(), 4)); };
  double all_shares = 0.0;
  for (const auto& planned : groups) all_shares += shares(planned);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Planned& planned = groups[g];
    const double budget = std::min(kGroupBudgetNs, kModelBudgetNs / all_shares) * shares(planned);
    const double cost = evaluation_cost_ns(planned, profile);
    // MMD's statistic has no distribution-free tail to lean on: it gets more.
    const double least = double(planned.multivariate >= 0 ? kMinMmdEvaluations : kMinEvaluations);
    const auto wanted = std::size_t(std::clamp(budget / cost, least, double(kMaxEvaluations)));
    NullRun run;
    run.segments = std::clamp<std::size_t>(wanted / kEvaluationsPerSegment, 1, kMaxSegments);
    run.evaluations_per_segment = (wanted + run.segments - 1) / run.segments;
    // Seeded by the group's place in the model: the same configuration draws the same streams.
    run.seed = SplitMix64(0x64726966746421ULL + g).next();
    auto statistics = simulate_null(planned.group, reference, defaults, run);
    for (auto& row : statistics) {
      for (double& statistic : row) statistic *= planned.statistic_factor;
    }
    planned.evaluations = statistics.size();
    calibration.simulated_evaluations += statistics.size();

    for (std::size_t t = 0; t < planned.tests.size(); ++t) {
      std::vector<double> simulated;
      for (const auto& row : statistics) simulated.push_back(row[t]);
      planned.scales.push_back(scale_of(planned, t, profile, window_events, simulated).spliced(simulated));
    }
    std::vector<std::vector<double>> surprises(statistics.size());
    for (std::size_t e = 0; e < statistics.size(); ++e) {
      for (std::size_t t = 0; t < planned.tests.size(); ++t) {
        const double statistic = statistics[e][t];
        surprises[e].push_back(std::isnan(statistic) ? statistic : planned.scales[t].surprise(statistic));
      }
    }
    measure_rates(planned, surprises, run.evaluations_per_segment, model.alerting.min_consecutive);
    planned.surprises = std::move(surprises);
  }

  // The lowest level from which on the model's rate stays within the
  // budget. The rate falls with the level but for a step up where a group's
  // extrapolation takes over, so the levels are walked down from the top.
  const double target = 1.0 / std::max(calibration.evaluations_per_alarm, 1.0);
  constexpr double kWalk = kLevelStep / 4.0;
  double level = TailScale::kMaxSurprise;
  while (level - kWalk >= kLevelStep && model_rate(groups, level - kWalk) <= target) level -= kWalk;
  if (level - kWalk >= kLevelStep) {
    double over = level - kWalk;  // the rate is above the budget here
    for (int i = 0; i < 60; ++i) {
      const double middle = over + (level - over) / 2.0;
      (model_rate(groups, middle) > target ? over : level) = middle;
    }
  }
  calibration.level = level;
  calibration.expected_episode_rate = model_rate(groups, level);

  calibration.features.resize(schema.columns.size());
  calibration.multivariate.resize(model.multivariate.size());
  for (const auto& planned : groups) {
    CalibrationGroup& group = calibration.groups.emplace_back();
    std::vector<std::string> names;
    for (const std::size_t c : planned.columns) names.push_back(schema.columns[c].name);
    group.features = planned.multivariate >= 0
                         ? joined_features(model.multivariate[std::size_t(planned.multivariate)].features)
                         : joined_features(names);
    group.tests = joined_features(planned.tests);
    group.copies = planned.copies();
    group.evaluations = planned.evaluations;
    group.measured_rate = planned.rates.empty() ? 0.0 : planned.rates.back();
    group.expected_rate = rate_at(planned, level);

    std::vector<TestThreshold> thresholds;
    for (std::size_t t = 0; t < planned.tests.size(); ++t) {
      thresholds.push_back({.test = planned.tests[t],
                            .threshold = planned.scales[t].statistic_at(level),
                            .alpha = exceedance(planned, t, level)});
    }
    if (planned.multivariate >= 0) {
      thresholds.front().feature = joined_features(model.multivariate[std::size_t(planned.multivariate)].features);
      calibration.multivariate[std::size_t(planned.multivariate)] = thresholds.front();
      continue;
    }
    for (const std::size_t c : planned.columns) {
      for (auto& threshold : thresholds) threshold.feature = schema.columns[c].name;
      calibration.features[c] = thresholds;
    }
  }
  calibration.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return calibration;
}

}  // namespace driftd
