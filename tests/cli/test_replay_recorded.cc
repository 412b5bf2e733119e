// `driftd replay` on the shipped configurations gives the output recorded in
// tests/cli/recorded/: a change to the engine's code that is meant to keep
// its behaviour (a refactoring) must keep these files. Numbers are compared
// to 1e-9 relative, every other byte exactly: a build for another CPU
// (-march=native, and Eigen's vector code with it) may round the last bit
// of a kernel sum differently, which is not a change of behaviour.
//
// The events come from a generator written here, not from the demo's
// (std::*_distribution may change with the C++ library), so the input is
// the same wherever the test runs. DRIFTD_RECORD=1 rewrites the recorded
// files, and the test then fails so that a recording never passes as a check.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_driftd.h"

namespace {

// The calibration's wall time ("took 1.23 s") is the one part of the log
// that varies between runs: it is recorded as "took (time) s". (By hand:
// std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.)
std::string without_times(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t found; (found = text.find("took ", at)) != std::string::npos;) {
    std::size_t end = found + 5;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) != 0 || text[end] == '.')) ++end;
    if (end > found + 5 && text.compare(end, 2, " s") == 0) {
      out.append(text, at, found - at);
      out += "took (time) s";
      at = end + 2;
    } else {
      out.append(text, at, end - at);
      at = end;
    }
  }
  out.append(text, at, std::string::npos);
  return out;
}

// splitmix64: tiny, and the same numbers on every platform.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double normal() {  // Box–Muller
    const double u = 1.0 - uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * uniform());
  }
  std::size_t pick(std::initializer_list<int> weights) {
    int total = 0;
    for (const int w : weights) total += w;
    int draw = int(next() % std::uint64_t(total));
    std::size_t i = 0;
    for (const int w : weights) {
      if (draw < w) return i;
      draw -= w;
      ++i;
    }
    return i - 1;
  }

 private:
  std::uint64_t state_;
};

using driftd::testing::new_temp_file;
using driftd::testing::read_file;
using driftd::testing::Run;
using driftd::testing::run_driftd;

bool starts_number(const std::string& text, std::size_t at) {
  const char c = text[at];
  return (c >= '0' && c <= '9') || (c == '-' && at + 1 < text.size() && text[at + 1] >= '0' && text[at + 1] <= '9');
}

// Where `got` first differs from `want` beyond rounding, or npos.
std::size_t first_difference(const std::string& got, const std::string& want) {
  std::size_t g = 0, w = 0;
  while (g < got.size() && w < want.size()) {
    if (starts_number(got, g) && starts_number(want, w)) {
      char* g_end = nullptr;
      char* w_end = nullptr;
      const double a = std::strtod(got.c_str() + g, &g_end);
      const double b = std::strtod(want.c_str() + w, &w_end);
      if (std::abs(a - b) > 1e-9 * std::max({1.0, std::abs(a), std::abs(b)})) return g;
      g = std::size_t(g_end - got.c_str());
      w = std::size_t(w_end - want.c_str());
    } else if (got[g++] != want[w++]) {
      return g - 1;
    }
  }
  return g == got.size() && w == want.size() ? std::string::npos : g;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

// fraud-v3 and churn-v1 of config/demo.yaml, alternating one event a second;
// fraud-v3 drifts in amount and country from its `drift_after`th event. Every
// 97th line is invalid, one way or another. support-router-v2 gets no events:
// its labels are the subject of test_labels_cli.cc and the demo's own test.
std::string events(std::size_t count, std::size_t drift_after) {
  static const char* const kCountries[] = {"KR", "US", "DE", "BR", "IN"};
  static const char* const kPlans[] = {"basic", "plus", "pro"};
  static const char* const kInvalid[] = {"not json", "{\"model_id\":\"fraud-v3\",\"features\":{\"amount\":\"x\"}}",
                                         "{\"model_id\":\"nobody\",\"features\":{}}", "[1,2]"};
  Random random(20261203);
  std::string out;
  std::size_t fraud = 0;
  for (std::size_t i = 1; i <= count; ++i) {
    const std::string ts = std::to_string(1'764'700'000'000LL + std::int64_t(i) * 1000);
    if (i % 97 == 0) {
      out += kInvalid[(i / 97) % 4];
    } else if (i % 2 == 1) {
      const bool drifted = fraud++ >= drift_after;
      const double amount = std::exp((drifted ? 3.6 : 3.0) + 0.8 * random.normal());
      const std::size_t country = drifted ? random.pick({5, 1, 1, 1, 2}) : random.pick({2, 3, 2, 1, 2});
      out += "{\"model_id\":\"fraud-v3\",\"ts\":" + ts + ",\"features\":{\"amount\":" + number(amount) +
             ",\"age\":" + number(41.0 + 12.0 * random.normal()) + ",\"country\":\"" + kCountries[country] +
             "\",\"is_new\":" + (random.uniform() < 0.2 ? "true" : "false") +
             "},\"prediction\":" + number(1.0 / (1.0 + std::exp(-(amount - 40.0) / 15.0))) + "}";
    } else {
      // The demo's distributions (src/demo/synthetic_stream.cc), which its
      // reference files hold: Gamma(2, 12) as two exponentials, Poisson(1.5)
      // by Knuth's product of uniforms.
      const double tenure = -12.0 * (std::log(1.0 - random.uniform()) + std::log(1.0 - random.uniform()));
      int tickets = 0;
      for (double product = random.uniform(); product > std::exp(-1.5); product *= random.uniform()) ++tickets;
      out += "{\"model_id\":\"churn-v1\",\"ts\":" + ts + ",\"features\":{\"tenure_months\":" + number(tenure) +
             ",\"support_tickets\":" + std::to_string(tickets) + ",\"plan\":\"" + kPlans[random.pick({5, 3, 2})] +
             "\"}}";
    }
    out += '\n';
  }
  return out;
}

void check_recorded(const std::string& config_name) {
  namespace fs = std::filesystem;
  const fs::path source = DRIFTD_SOURCE_DIR;
  const std::string input = new_temp_file();
  std::ofstream(input) << events(30'000, 7'000);
  const Run run = run_driftd("replay --config " + (source / "config" / (config_name + ".yaml")).string() +
                             " --input " + input);
  std::remove(input.c_str());
  INFO(run.err);
  REQUIRE(run.status == 0);
  // The output, then the summary, which counts every kind of event.
  // The calibration's wall time is the one thing that varies between runs.
  const std::string err = without_times(run.err);
  const std::string got = run.out + "--- stderr\n" + err;
  const fs::path recorded = source / "tests" / "cli" / "recorded" / ("replay_" + config_name + ".txt");
  if (std::getenv("DRIFTD_RECORD") != nullptr) {
    std::ofstream(recorded, std::ios::binary) << got;
    FAIL("recorded " << recorded.string() << "; run again without DRIFTD_RECORD");
  }
  const std::string want = read_file(recorded.string());
  REQUIRE(!want.empty());
  const std::size_t at = first_difference(got, want);
  INFO("differs from " << recorded.string() << " at byte " << at << ": "
                       << (at == std::string::npos ? "" : got.substr(at > 80 ? at - 80 : 0, 200)));
  CHECK(at == std::string::npos);
}

}  // namespace

TEST_CASE("replay cli: config/example.yaml gives the recorded output", "[cli][replay]") {
  check_recorded("example");
}

TEST_CASE("replay cli: config/demo.yaml gives the recorded output", "[cli][replay]") {
  check_recorded("demo");
}
