#include "scenario.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace driftd::calibration {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void append_number(std::string& out, double value) {
  std::array<char, 32> text{};
  const auto end = std::to_chars(text.data(), text.data() + text.size(), value).ptr;
  out.append(text.data(), end);
}

void append_value(std::string& out, const Column& column, double value) {
  if (column.categorical) {
    out += 'k';
    out += std::to_string(long(value));
  } else {
    append_number(out, value);
  }
}

// Buffered writes: a million lines through std::ofstream << would cost more
// than the replay.
class Writer {
 public:
  explicit Writer(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr) throw std::runtime_error("cannot write " + path);
  }
  ~Writer() {
    flush();
    std::fclose(file_);
  }
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() > (1 << 20)) flush();
  }

 private:
  void flush() {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    buffer_.clear();
  }
  std::FILE* file_;
  std::string buffer_;
};

void write_reference(const Scenario& s, const std::string& path) {
  const auto cols = columns(s.reference.kind);
  Writer out(path);
  for (std::size_t c = 0; c < cols.size(); ++c) out.buffer() += (c ? "," : "") + cols[c].name;
  out.buffer() += '\n';
  // Its own seed: the reference and the stream are independent samples.
  Rng rng(s.seed * 2 + 1);
  const RowSource source(s.reference);
  std::vector<double> row;
  for (std::uint64_t r = 0; r < s.reference_rows; ++r) {
    source.draw(rng, row);
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) out.buffer() += ',';
      append_value(out.buffer(), cols[c], row[c]);
    }
    out.buffer() += '\n';
    out.maybe_flush();
  }
}

void write_stream(const Scenario& s, const std::string& path) {
  const auto cols = columns(s.reference.kind);
  Writer out(path);
  Rng rng(s.seed * 2 + 2);
  const RowSource before(s.reference), after(s.drifted);
  std::vector<double> row;
  for (std::uint64_t i = 0; i < s.events; ++i) {
    (i < s.onset ? before : after).draw(rng, row);
    std::string& line = out.buffer();
    line += "{\"model_id\":\"" + s.id + "\",\"ts\":" + std::to_string(kFirstTs + std::int64_t(i)) + ",\"features\":{";
    for (std::size_t c = 0; c < cols.size(); ++c) {
      line += (c ? ",\"" : "\"") + cols[c].name + "\":";
      if (cols[c].categorical) line += '"';
      append_value(line, cols[c], row[c]);
      if (cols[c].categorical) line += '"';
    }
    line += "}}\n";
    out.maybe_flush();
  }
}

void write_config(const Scenario& s, const std::string& path, const std::string& reference_file) {
  std::ofstream out(path);
  out << "models:\n  - id: " << s.id << "\n    reference: {path: " << reference_file << "}\n    window: " << s.window
      << "\n    features:\n";
  std::string numeric;
  for (const auto& column : columns(s.reference.kind)) {
    out << "      - {name: " << column.name << ", type: " << (column.categorical ? "categorical" : "numeric")
        << ", tests: [" << (column.categorical ? "chi2" : "ks") << ", psi]}\n";
    if (!column.categorical) numeric += (numeric.empty() ? "" : ", ") + column.name;
  }
  if (s.mmd_points > 0) {
    out << "    multivariate: [{test: mmd, features: [" << numeric << "], max_points: " << s.mmd_points << "}]\n";
  }
  if (!s.alerting.empty()) out << "    alerting: " << s.alerting << "\n";
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// DRIFTD_CALIBRATION_KEEP=1 keeps every file, to rerun a replay by hand.
bool keep_files() {
  const char* keep = std::getenv("DRIFTD_CALIBRATION_KEEP");
  return keep != nullptr && *keep != '\0' && std::string(keep) != "0";
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = "/tmp/driftd-calibration-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  if (keep_files()) {
    std::fprintf(stderr, "kept %s\n", path_.c_str());
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Replay run_replay(const Scenario& s, const std::string& dir) {
  Replay replay;
  const auto writing = Clock::now();
  const std::string reference = "ref_" + s.id + ".csv", stream = dir + "/" + s.id + ".jsonl",
                    config = dir + "/" + s.id + ".yaml", err = dir + "/" + s.id + ".err";
  write_reference(s, dir + "/" + reference);
  write_stream(s, stream);
  write_config(s, config, reference);
  replay.writing = seconds_since(writing);

  const auto start = Clock::now();
  const std::string command =
      std::string(DRIFTD_BINARY) + " replay --config '" + config + "' --input '" + stream + "' 2>'" + err + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return replay;
  std::array<char, 1 << 16> chunk{};
  std::size_t got = 0;
  while ((got = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0) replay.out.append(chunk.data(), got);
  const int status = ::pclose(pipe);
  replay.seconds = seconds_since(start);
  replay.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  replay.err = read_all(err);
  if (keep_files()) {
    std::ofstream(dir + "/" + s.id + ".out") << replay.out;
  } else {
    std::filesystem::remove(stream);
  }
  return replay;
}

}  // namespace driftd::calibration
