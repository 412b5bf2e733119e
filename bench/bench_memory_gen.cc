// Input for bench_memory.sh: a configuration with three models and a long
// stream of their events, written to stdout so that `driftd replay --input
// /dev/stdin` reads it through a pipe (10^7 events would be a ~2 GB file).
//
//   bench_memory_gen setup DIR                 memory.yaml and the reference CSVs in DIR
//   bench_memory_gen events N [PROGRESS_FILE]  N events on stdout; PROGRESS_FILE, when
//                                              given, holds the number written so far
//
// The models, each event going to one of them by its index (i mod 10):
//   wide   (0-4)  20 numeric features, KS + PSI, count window 5,000/1,000;
//                 f0-f2 shift by 0.3 sd in the second half
//   shop   (5-7)  categorical features past the 1,000-category bound: `user`
//                 is new on almost every event (10^9 ids; 500 in the
//                 reference), `item` comes from 20,000 with a skew (300 in
//                 the reference), `country` from 50; plus a numeric `amount`;
//                 chi2 + PSI / KS + PSI, count window 5,000/1,000
//   timed  (8-9)  5 numeric features, KS + PSI, time window 1 h / 5 min;
//                 event time advances 100 ms per event of the stream, so the
//                 window holds ~7,200 events (36,000 events an hour, 1 in 5
//                 of them timed's)
// Same seed, same bytes.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <system_error>

namespace {

constexpr std::int64_t kStartTs = 1763800000000;
constexpr std::int64_t kTsStep = 100;  // ms of event time per event of the stream
constexpr int kWideFeatures = 20;
constexpr int kTimedFeatures = 5;
constexpr int kReferenceRows = 5000;
constexpr int kItems = 20000;
constexpr int kCountries = 50;

void append_number(std::string& out, double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 5);
  out.append(text, result.ptr);
}

void append_integer(std::string& out, std::uint64_t value) {
  char text[24];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

// A skewed item index: the square of a uniform, so low indices are common.
int skewed_item(std::mt19937_64& random) {
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(random);
  return std::min(kItems - 1, int(u * u * kItems));
}

// A reference of kReferenceRows rows of `features` standard normal columns
// named PREFIX0, PREFIX1, ...
void write_normal_reference(const std::filesystem::path& path, const char* prefix, int features,
                            std::mt19937_64& random, std::normal_distribution<double>& normal) {
  std::ofstream out(path);
  for (int f = 0; f < features; ++f) out << (f ? "," : "") << prefix << f;
  out << "\n";
  std::string text;
  for (int i = 0; i < kReferenceRows; ++i) {
    text.clear();
    for (int f = 0; f < features; ++f) {
      if (f) text += ',';
      append_number(text, normal(random));
    }
    out << text << "\n";
  }
}

void setup(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::mt19937_64 random(5);
  std::normal_distribution<double> normal;
  std::string text;

  std::ofstream config(dir / "memory.yaml");
  config << "# bench_memory.sh: three models, count and time windows, categories past the bound\n"
            "models:\n"
            "  - id: wide\n    reference: {path: wide.csv}\n    window: {size: 5000, step: 1000}\n"
            "    features:\n";
  for (int f = 0; f < kWideFeatures; ++f) config << "      - {name: f" << f << ", type: numeric, tests: [ks, psi]}\n";
  config << "  - id: shop\n    reference: {path: shop.csv}\n    window: {size: 5000, step: 1000}\n"
            "    features:\n"
            "      - {name: user, type: categorical, tests: [chi2, psi]}\n"
            "      - {name: item, type: categorical, tests: [chi2, psi]}\n"
            "      - {name: country, type: categorical, tests: [chi2, psi]}\n"
            "      - {name: amount, type: numeric, tests: [ks, psi]}\n"
            "  - id: timed\n    reference: {path: timed.csv}\n    window: {duration: 1h, step: 5m}\n"
            "    features:\n";
  for (int f = 0; f < kTimedFeatures; ++f) config << "      - {name: t" << f << ", type: numeric, tests: [ks, psi]}\n";

  write_normal_reference(dir / "wide.csv", "f", kWideFeatures, random, normal);

  std::ofstream shop(dir / "shop.csv");
  shop << "user,item,country,amount\n";
  for (int i = 0; i < kReferenceRows; ++i) {
    shop << "u" << random() % 500 << ",i" << skewed_item(random) % 300 << ",c" << random() % kCountries << ",";
    text.clear();
    append_number(text, 50.0 + 10.0 * normal(random));
    shop << text << "\n";
  }

  write_normal_reference(dir / "timed.csv", "t", kTimedFeatures, random, normal);
}

void write_progress(const std::string& path, std::uint64_t events) {
  if (path.empty()) return;
  const std::string temporary = path + ".tmp";
  if (std::FILE* f = std::fopen(temporary.c_str(), "w")) {
    std::fprintf(f, "%llu\n", static_cast<unsigned long long>(events));
    std::fclose(f);
    std::error_code ignored;
    std::filesystem::rename(temporary, path, ignored);
  }
}

int events(std::uint64_t count, const std::string& progress) {
  std::mt19937_64 random(11);
  std::normal_distribution<double> normal;
  std::string out;
  out.reserve(1 << 20);
  std::uint64_t written = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const bool drifted = i >= count / 2;
    const std::uint64_t kind = i % 10;
    out += "{\"model_id\":\"";
    if (kind < 5) {
      out += "wide\",\"ts\":";
      append_integer(out, kStartTs + std::int64_t(i) * kTsStep);
      out += ",\"features\":{";
      for (int f = 0; f < kWideFeatures; ++f) {
        out += f ? ",\"f" : "\"f";
        append_integer(out, f);
        out += "\":";
        append_number(out, normal(random) + (drifted && f < 3 ? 0.3 : 0.0));
      }
    } else if (kind < 8) {
      out += "shop\",\"ts\":";
      append_integer(out, kStartTs + std::int64_t(i) * kTsStep);
      out += ",\"features\":{\"user\":\"u";
      append_integer(out, random() % 1'000'000'000);
      out += "\",\"item\":\"i";
      append_integer(out, skewed_item(random));
      out += "\",\"country\":\"c";
      append_integer(out, drifted ? random() % (kCountries / 2) : random() % kCountries);
      out += "\",\"amount\":";
      append_number(out, 50.0 + 10.0 * normal(random));
    } else {
      out += "timed\",\"ts\":";
      append_integer(out, kStartTs + std::int64_t(i) * kTsStep);
      out += ",\"features\":{";
      for (int f = 0; f < kTimedFeatures; ++f) {
        out += f ? ",\"t" : "\"t";
        append_integer(out, f);
        out += "\":";
        append_number(out, normal(random) + (drifted && f == 0 ? 0.5 : 0.0));
      }
    }
    out += "}}\n";
    if (out.size() >= (1 << 18) || i + 1 == count) {
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 1;  // the reader went away
      std::fflush(stdout);
      out.clear();
      // Every ~10,000 events: what has reached the pipe (the reader is at
      // most a pipe buffer and its own read buffer behind).
      if ((i + 1) / 10'000 != written / 10'000 || i + 1 == count) write_progress(progress, i + 1);
      written = i + 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "setup" && argc == 3) {
    setup(argv[2]);
    return 0;
  }
  if (command == "events" && (argc == 3 || argc == 4)) {
    return events(std::strtoull(argv[2], nullptr, 10), argc == 4 ? argv[3] : "");
  }
  std::fprintf(stderr, "usage: bench_memory_gen setup DIR | events N [PROGRESS_FILE]\n");
  return 2;
}
