// What a careless or hostile user can hand the commands (issue 13): endless
// devices, pipes without a writer, directories, huge lines, wide files,
// broken UTF-8, stray arguments, a full disk under stdout. Each must end
// with the documented exit code and a message, within bounded memory and
// time. The runs are bounded (RunBounds) so that a regression fails the
// test instead of exhausting the machine.
#include <sys/stat.h>
#include <unistd.h>

#include <simdjson.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_driftd.h"

using driftd::testing::Run;
using driftd::testing::run_driftd;
using driftd::testing::RunBounds;
using Catch::Matchers::Contains;

namespace {

const std::string kSource = DRIFTD_SOURCE_DIR;
const std::string kConfig = kSource + "/config/example.yaml";
const std::string kReference = kSource + "/config/example-reference.csv";
const std::string kCurrent = kSource + "/config/example-current.csv";

// Generous for a loaded two-core machine; the old code needed minutes or gigabytes.
constexpr RunBounds kBounds{.wall_seconds = 120, .cpu_seconds = 60, .memory_mib = 1024};

class Dir {
 public:
  Dir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("driftd-hostile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~Dir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, const std::string& content) const {
    const std::string path = (path_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string fifo(const std::string& name) const {
    const std::string path = (path_ / name).string();
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    return path;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("hostile cli: score of an endless device stops at the line bound (exit 2)", "[cli][hostile]") {
  const Run run = run_driftd("score --reference /dev/zero --current " + kCurrent, kBounds);
  INFO(run.err);
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Contains("/dev/zero:1:") && Contains("16 MiB"));
}

TEST_CASE("hostile cli: replay counts a long line as too_large and stops at an endless one (exit 2)", "[cli][hostile]") {
  // 2 MB, over input.max_bytes (1 MiB): an invalid event like any other, held only up to the bound.
  const Run long_line = run_driftd("replay --config " + kConfig + " --input /dev/stdin", kBounds,
                                   "head -c 2000000 /dev/zero | ");
  INFO(long_line.err);
  CHECK(long_line.status == 0);
  CHECK_THAT(long_line.err, Contains("replay: 1 events, 1 invalid, too_large 1;"));
  // 600 MB without a line end, through a pipe: the old reader buffered it
  // whole, and under the memory bound silently read nothing. Past 16 MiB,
  // the most any data file's line may hold, it is an input error.
  const Run endless = run_driftd("replay --config " + kConfig + " --input /dev/stdin", kBounds,
                                 "head -c 600000000 /dev/zero | ");
  INFO(endless.err);
  CHECK(endless.status == 2);
  CHECK_THAT(endless.err, Contains("/dev/stdin:1:") && Contains("16 MiB"));
}

TEST_CASE("hostile cli: a FIFO without a writer is an empty file, not a wait for ever", "[cli][hostile]") {
  const Dir dir;
  const Run score = run_driftd("score --reference " + dir.fifo("ref.csv") + " --current " + kCurrent, kBounds);
  INFO(score.err);
  CHECK(score.status == 2);
  CHECK_THAT(score.err, Contains("empty file"));

  const Run validate = run_driftd("validate --config " + dir.fifo("driftd.yaml"), kBounds);
  INFO(validate.err);
  CHECK(validate.status == 2);
  CHECK_THAT(validate.err, Contains("driftd.yaml"));
}

TEST_CASE("hostile cli: a pipe with a writer is read like a file", "[cli][hostile]") {
  const Run run = run_driftd("score --reference /dev/stdin --current " + kReference, kBounds, "cat " + kReference + " | ");
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK_THAT(run.out, Contains("\"reference_rows\":2000"));
}

TEST_CASE("hostile cli: a directory where a file is expected exits 2 saying so", "[cli][hostile]") {
  const Dir dir;
  const Run validate = run_driftd("validate --config " + dir.path(), kBounds);
  CHECK(validate.status == 2);
  CHECK_THAT(validate.err, Contains(dir.path()) && Contains("Is a directory"));

  const Run replay = run_driftd("replay --config " + kConfig + " --input " + dir.path(), kBounds);
  CHECK(replay.status == 2);
  CHECK_THAT(replay.err, Contains(dir.path()) && Contains("Is a directory"));
  CHECK(replay.out.empty());

  const Run score = run_driftd("score --reference " + dir.path() + " --current " + kCurrent, kBounds);
  CHECK(score.status == 2);
  CHECK_THAT(score.err, Contains("Is a directory"));
}

TEST_CASE("hostile cli: a write error on stdout is a runtime failure (exit 3) with a message", "[cli][hostile]") {
  const Run validate = run_driftd("validate --config " + kConfig + " >/dev/full", kBounds);
  CHECK(validate.status == 3);
  CHECK_THAT(validate.err, Contains("cannot write to standard output") && Contains("No space left on device"));

  // Drift (exit 1) does not hide it.
  const Run score = run_driftd("score --reference " + kReference + " --current " + kCurrent + " >/dev/full", kBounds);
  CHECK(score.status == 3);
  CHECK_THAT(score.err, Contains("cannot write to standard output"));

  const Run table = run_driftd(
      "score --format table --reference " + kReference + " --current " + kReference + " >/dev/full", kBounds);
  CHECK(table.status == 3);
}

TEST_CASE("hostile cli: replay's alerts on a full disk exit 3", "[cli][hostile]") {
  // The example's reference against its drifted current data, as events.
  std::ifstream current(kCurrent);
  std::string header, line, events;
  std::getline(current, header);
  while (std::getline(current, line)) {
    double amount = 0, age = 0, prediction = 0;
    char country[8] = {}, is_new[8] = {};
    if (std::sscanf(line.c_str(), "%lf,%lf,%7[^,],%7[^,],%lf", &amount, &age, country, is_new, &prediction) != 5) continue;
    events += "{\"features\":{\"amount\":" + std::to_string(amount) + ",\"age\":" + std::to_string(age) +
              ",\"country\":\"" + country + "\",\"is_new\":\"" + is_new + "\"},\"prediction\":" +
              std::to_string(prediction) + "}\n";
  }
  const Dir dir;
  // Twice over, so that the window of 1000 fills and is evaluated.
  const std::string input = dir.write("events.jsonl", events + events);
  const Run ok = run_driftd("replay --config " + kConfig + " --input " + input, kBounds);
  INFO(ok.err);
  REQUIRE(ok.status == 0);
  REQUIRE_FALSE(ok.out.empty());  // alerts were written

  const Run full = run_driftd("replay --config " + kConfig + " --input " + input + " >/dev/full", kBounds);
  INFO(full.err);
  CHECK(full.status == 3);
  CHECK_THAT(full.err, Contains("cannot write to standard output"));
}

TEST_CASE("hostile cli: a CSV header that is not UTF-8 still gives valid JSON", "[cli][hostile]") {
  const Dir dir;
  // Latin-1 bytes, a lone continuation byte, a truncated sequence and an
  // escape sequence that would drive a terminal.
  std::string csv = "caf\xe9,\x80x,\xe2\x82,bell\x1b[31m\n";
  for (int i = 0; i < 50; ++i) csv += std::to_string(i) + "," + std::to_string(i % 7) + ",1," + std::to_string(i % 3) + "\n";
  const std::string reference = dir.write("ref.csv", csv);
  const Run run = run_driftd("score --reference " + reference + " --current " + reference, kBounds);
  INFO(run.err);
  REQUIRE(run.status == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element result;
  REQUIRE(parser.parse(run.out).get(result) == simdjson::SUCCESS);  // simdjson checks UTF-8 too
  CHECK(std::string_view(result["features"].at(0)["name"]) == "caf\xef\xbf\xbd");
  CHECK(std::string_view(result["features"].at(1)["name"]) == "\xef\xbf\xbdx");
  CHECK(std::string_view(result["features"].at(2)["name"]) == "\xef\xbf\xbd");
  CHECK(std::string_view(result["features"].at(3)["name"]) == "bell\x1b[31m");  // escaped in JSON, intact once read

  const Run table = run_driftd("score --format table --reference " + reference + " --current " + reference, kBounds);
  REQUIRE(table.status == 0);
  CHECK_THAT(table.out, Contains("caf\xef\xbf\xbd") && Contains("bell\\x1b[31m"));
  CHECK(table.out.find('\x1b') == std::string::npos);
  CHECK(table.out.find('\xe9') == std::string::npos);
}

TEST_CASE("hostile cli: a 100,000-column CSV is scored without quadratic column lookups", "[cli][hostile]") {
  const Dir dir;
  std::string header, row;
  // Appended piece by piece: GCC 12 reports a false -Wrestrict on "x" + std::string.
  for (int c = 0; c < 100'000; ++c) {
    header.append(c ? ",c" : "c").append(std::to_string(c));
    row.append(c ? "," : "").append(std::to_string(c % 10));
  }
  const std::string path = dir.write("wide.csv", header + "\n" + row + "\n" + row + "\n");
  // The old linear lookups took about a minute of CPU here.
  const Run run = run_driftd("score --reference " + path + " --current " + path + " >/dev/null",
                             {.wall_seconds = 300, .cpu_seconds = 30, .memory_mib = 4096});
  INFO(run.err);
  CHECK(run.status == 0);
}

TEST_CASE("hostile cli: stray arguments and negative durations are usage errors", "[cli][hostile]") {
  const Run validate = run_driftd("validate --config " + kConfig + " extra", kBounds);
  CHECK(validate.status == 2);
  CHECK_THAT(validate.err, Contains("unexpected argument 'extra'"));
  CHECK(validate.out.empty());

  const Run score = run_driftd("score " + kReference + " --reference " + kReference + " --current " + kCurrent, kBounds);
  CHECK(score.status == 2);
  CHECK_THAT(score.err, Contains("unexpected argument"));

  const Run replay = run_driftd("replay --config " + kConfig + " --input " + kCurrent + " now", kBounds);
  CHECK(replay.status == 2);

  // The old code took -1 as "until Ctrl-C" and ran the demo for ever.
  const Run demo = run_driftd("demo --config " + kSource + "/config/demo.yaml --seconds -1",
                              {.wall_seconds = 60, .cpu_seconds = 60, .memory_mib = 4096});
  CHECK(demo.status == 2);
  CHECK_THAT(demo.err, Contains("--seconds"));
}
